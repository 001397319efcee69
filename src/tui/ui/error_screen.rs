//! The error screen: why the workspace cannot be opened, what to do, and
//! the problems behind it, wrapped to the width and scrolled. The lines come
//! from the screen's state (`error_screen::lines`), so that update can tell
//! how far it scrolls from the same lines that are drawn.

use ratatui::layout::Alignment;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::text::too_small;
use crate::tui::error_screen::{areas, block, lines, ErrorScreen};
use crate::tui::keymap::{mode_hints, quit_keys, Mode};

/// The smallest screen the error screen is drawn on; below it, the
/// too-small message.
pub const MIN_WIDTH: u16 = 30;
pub const MIN_HEIGHT: u16 = 7;

pub const TITLE: &str = "iamscope cannot open this workspace";

pub fn render(screen: &ErrorScreen, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        // A short title: on a tiny screen every line counts.
        too_small(
            frame,
            area,
            "iamscope: cannot open",
            (MIN_WIDTH, MIN_HEIGHT),
            quit_keys(Mode::ErrorScreen),
        );
        return;
    }
    let t = &screen.theme;
    let (main, body, footer) = areas(area);
    let lines = lines(screen, body.width);
    let height = usize::from(body.height);
    let top = usize::from(screen.scroll).min(lines.len().saturating_sub(height));
    let mut block = block()
        .title(Span::styled(format!(" {TITLE} "), t.denied()))
        .border_style(t.border(true));
    if lines.len() > height {
        let last = (top + height).min(lines.len());
        block = block.title_bottom(
            Line::from(Span::styled(
                format!(" lines {}–{last} of {} ", top + 1, lines.len()),
                t.dim(),
            ))
            .alignment(Alignment::Right),
        );
    }
    let shown: Vec<Line> = lines.into_iter().skip(top).take(height).collect();
    frame.render_widget(Paragraph::new(shown).block(block), main);
    let mut spans = vec![Span::raw(" ")];
    for (key, help) in mode_hints(Mode::ErrorScreen) {
        spans.push(Span::styled(key, t.key()));
        spans.push(Span::raw(format!(" {help}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), footer);
}
