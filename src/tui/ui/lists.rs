//! The list of users, groups or roles.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use super::layout::list_offset;
use super::text::clean;
use crate::tui::app::{App, Pane};
use crate::tui::theme::Theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let list = app.current_list();
    let focused = app.browser.focus == Pane::List;
    let mut title = format!(" {} ", app.browser.tab.title());
    if !list.list.filter().is_empty() {
        title = format!(
            " {} /{} ({}/{}) ",
            app.browser.tab.title(),
            clean(list.list.filter()),
            list.list.visible().len(),
            list.list.len()
        );
    }
    let block = Block::bordered()
        .title(Span::styled(title, t.title()))
        .border_style(t.border(focused));
    let height = usize::from(area.height.saturating_sub(2));
    let width = usize::from(area.width.saturating_sub(2));
    let selected = list.list.selected_row();
    let offset = list_offset(selected, height);
    let mut lines = Vec::new();
    for (row, visible) in list
        .list
        .visible()
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
    {
        let name = list.list.label(visible.item).to_string();
        let note = list.notes.get(visible.item).cloned().unwrap_or_default();
        let is_selected = row == selected;
        let marker = if is_selected { "▶ " } else { "  " };
        let mut spans = vec![Span::raw(marker)];
        let mut used = 2 + name.chars().count();
        // A problem in what the entity rests on: ✗ for errors, ! for
        // warnings (not by colour alone), in a column before the name so a
        // long name cannot push it out of view. Only lists of a workspace
        // with problems have the column.
        if let Some(counts) = list.marks.get(visible.item) {
            let (mark, style) = if counts.errors > 0 {
                ("✗ ", t.denied())
            } else if counts.warnings > 0 {
                ("! ", t.warning())
            } else {
                ("  ", t.base())
            };
            spans.push(Span::styled(mark, style));
            used += 2;
        }
        spans.extend(highlight(&name, &visible.matched, t));
        if width > used + 3 && !note.is_empty() {
            let room = width - used - 2;
            let note: String = clean(&note).chars().take(room).collect();
            spans.push(Span::styled(format!("  {note}"), t.dim()));
        }
        let mut line = Line::from(spans);
        if is_selected {
            line = line.style(if focused { t.selected() } else { t.base() });
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            if list.list.is_empty() {
                "  (none)"
            } else {
                "  no match"
            },
            t.dim(),
        )));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// Spans of `text` with the characters at `matched` (char indices) highlighted.
pub fn highlight(text: &str, matched: &[usize], t: &Theme) -> Vec<Span<'static>> {
    if matched.is_empty() {
        return vec![Span::raw(text.to_string())];
    }
    let mut spans = Vec::new();
    let mut current = String::new();
    let mut current_matched = false;
    for (i, c) in text.chars().enumerate() {
        let is_match = matched.contains(&i);
        if is_match != current_matched && !current.is_empty() {
            let style = if current_matched {
                t.matched()
            } else {
                t.base()
            };
            spans.push(Span::styled(std::mem::take(&mut current), style));
        }
        current_matched = is_match;
        current.push(c);
    }
    if !current.is_empty() {
        let style = if current_matched {
            t.matched()
        } else {
            t.base()
        };
        spans.push(Span::styled(current, style));
    }
    spans
}
