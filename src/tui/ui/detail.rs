//! The detail pane of the selection.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use super::layout::list_offset;
use super::text::clean;
use crate::tui::app::{App, Pane};
use crate::tui::views::detail::{LineKind, Tone};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let focused = app.browser.focus == Pane::Detail;
    let title = match app.selected_entity() {
        Some(_) => format!(" {} ", app.browser.tab.title().trim_end_matches('s')),
        None => " Detail ".to_string(),
    };
    let block = Block::bordered()
        .title(Span::styled(title, t.title()))
        .border_style(t.border(focused));
    let height = usize::from(area.height.saturating_sub(2));
    let selected = usize::from(app.panes.detail_scroll);
    let offset = list_offset(selected, height);
    let lines: Vec<Line> = app
        .panes
        .detail
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, l)| {
            let style = match l.tone {
                Tone::Normal => t.base(),
                Tone::Heading => t.title(),
                Tone::Dim => t.dim(),
                Tone::Allowed => t.allowed(),
                Tone::Denied => t.denied(),
                Tone::Warning => t.warning(),
            };
            // A heading without a label (the ARN) uses the whole width.
            let label = if l.label.is_empty() && l.tone == Tone::Heading {
                String::new()
            } else {
                format!(
                    "{:<12}",
                    if l.label.is_empty() {
                        String::new()
                    } else {
                        format!("{:<11} ", l.label)
                    }
                )
            };
            let mut spans = vec![Span::styled(label, t.label())];
            // The countdown comes right after who acts, before the words a
            // narrow pane cuts.
            if let (LineKind::Acting, Some(session)) =
                (&l.kind, app.session.stack.current_session())
            {
                let left = super::text::format_duration(session.remaining(app.now()));
                // The countdown first: a narrow pane cuts from the right.
                spans.push(Span::styled(
                    format!("{left} left · {} ", clean(&session.role_name)),
                    style,
                ));
                spans.push(Span::styled(format!("· {}", clean(&l.text)), t.dim()));
            } else {
                spans.push(Span::styled(clean(&l.text), style));
            }
            let mut line = Line::from(spans);
            if focused && i == selected {
                line = line.style(t.selected());
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
