//! The loading screen: the UI's frame at once, the load's progress in the
//! header, the panes empty until the workspace arrives (they fill all at
//! once: the loader hands over the workspace when it is whole).

use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use super::layout::{areas, MIN_HEIGHT, MIN_WIDTH};
use super::text::{clean, fit, too_small};
use crate::tui::keymap::{mode_hints, quit_keys, Mode};
use crate::tui::loading::Loading;

pub fn render(screen: &Loading, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(
            frame,
            area,
            "iamscope: loading",
            (MIN_WIDTH, MIN_HEIGHT),
            quit_keys(Mode::Loading),
        );
        return;
    }
    let t = &screen.theme;
    let a = areas(area, None);
    let width = usize::from(area.width);
    let header = Line::from(vec![
        Span::styled(" iamscope ", t.title()),
        Span::styled(
            format!("─ {} ─ ", fit(&clean(&screen.label), width / 3)),
            t.base(),
        ),
        Span::styled(
            format!("loading: {}", screen.reading.describe()),
            t.warning(),
        ),
    ]);
    frame.render_widget(Paragraph::new(header), a.header);
    let pane = |title: &str| {
        Block::bordered()
            .title(Span::styled(format!(" {title} "), t.title()))
            .border_style(t.border(false))
    };
    let waiting = Paragraph::new(Line::from(Span::styled(" loading…", t.dim())));
    frame.render_widget(waiting.clone().block(pane("Users")), a.list);
    frame.render_widget(Paragraph::new("").block(pane("Detail")), a.detail);
    frame.render_widget(Paragraph::new("").block(pane("Permissions")), a.permissions);
    frame.render_widget(Paragraph::new("").block(pane("Events")), a.events);
    let mut spans = vec![Span::raw(" ")];
    for (key, help) in mode_hints(Mode::Loading) {
        spans.push(Span::styled(key, t.key()));
        spans.push(Span::raw(format!(" {help}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), a.footer);
}
