//! The layout of a notice (a message overlay): where it goes and how its
//! text wraps, shared by render and by update (how far it scrolls).

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Block;

use super::layout::centered;
use super::text::{clean, wrap};

/// Where a message goes on `area`, and the text inside its border.
pub fn message_rects(area: Rect) -> (Rect, Rect) {
    let rect = centered(area, 80, 60);
    (rect, Block::bordered().inner(rect))
}

/// The message's lines at `width`: each line of the text cleaned on its own
/// (so that its line breaks stay breaks), then wrapped; a line that starts
/// with `• ` is an item, its continuation lines indented under its text.
pub fn message_lines(text: &str, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let mut lines = Vec::new();
    for line in text.lines() {
        let line = clean(line);
        match line.strip_prefix("• ") {
            Some(item) => {
                for (i, piece) in wrap(item, width.saturating_sub(2)).into_iter().enumerate() {
                    let lead = if i == 0 { "• " } else { "  " };
                    lines.push(Line::from(format!("{lead}{piece}")));
                }
            }
            None => lines.extend(wrap(&line, width).into_iter().map(Line::from)),
        }
    }
    lines
}

/// How far a message scrolls on a screen of `size`: to its last line at the
/// bottom of the box.
pub fn message_max_scroll(text: &str, size: (u16, u16)) -> u16 {
    let (_, inner) = message_rects(Rect::new(0, 0, size.0, size.1));
    let total = message_lines(text, inner.width).len();
    u16::try_from(total.saturating_sub(usize::from(inner.height))).unwrap_or(u16::MAX)
}
