//! The error screen: why the workspace cannot be opened, what to do, and
//! the problems behind it, wrapped to the width and scrolled. The text is
//! wrapped here, not by the paragraph, so that update can tell how far it
//! scrolls ([`max_scroll`]) from the same lines that are drawn.

use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Padding, Paragraph};
use ratatui::Frame;

use super::{clean, wrap};
use crate::tui::error_screen::{ErrorScreen, PROBLEMS_SHOWN};
use crate::tui::keymap::{hints, Mode};

/// The smallest screen the error screen is drawn on; below it, the
/// too-small message.
pub const MIN_WIDTH: u16 = 30;
pub const MIN_HEIGHT: u16 = 7;

pub const TITLE: &str = "iamscope cannot open this workspace";

pub fn render(screen: &ErrorScreen, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        // A short title: on a tiny screen every line counts.
        super::too_small(
            frame,
            area,
            "iamscope: cannot open",
            (MIN_WIDTH, MIN_HEIGHT),
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
    for (key, help) in hints(Mode::ErrorScreen) {
        spans.push(Span::styled(key, t.key()));
        spans.push(Span::raw(format!(" {help}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), footer);
}

/// How many rows of text one screen shows at `size`.
pub fn page_height(size: (u16, u16)) -> u16 {
    areas(Rect::new(0, 0, size.0, size.1)).1.height
}

/// The last first line: the end of the text at the bottom of the screen.
pub fn max_scroll(screen: &ErrorScreen) -> u16 {
    let (_, body, _) = areas(Rect::new(0, 0, screen.size.0, screen.size.1));
    let total = lines(screen, body.width).len();
    u16::try_from(total.saturating_sub(usize::from(body.height))).unwrap_or(u16::MAX)
}

fn block() -> Block<'static> {
    Block::bordered().padding(Padding::horizontal(1))
}

/// The bordered frame, the text inside it, and the footer.
fn areas(area: Rect) -> (Rect, Rect, Rect) {
    let [main, footer] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    (main, block().inner(main), footer)
}

/// Every line of the text, wrapped to `width`.
pub fn lines(screen: &ErrorScreen, width: u16) -> Vec<Line<'static>> {
    let t = &screen.theme;
    let width = usize::from(width);
    let path = clean(&screen.path);
    let mut out = Vec::new();
    let mut add = |label: &str, label_style: Style, indent: usize, text: &str, style: Style| {
        for (i, piece) in wrap(text, width.saturating_sub(indent))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 {
                format!("{label:<indent$}")
            } else {
                " ".repeat(indent)
            };
            out.push(Line::from(vec![
                Span::styled(lead, label_style),
                Span::styled(piece, style),
            ]));
        }
    };
    add("Path", t.label(), 9, &path, t.base());
    add("", t.base(), 0, "", t.base());
    add("", t.base(), 0, "What went wrong", t.title());
    add("", t.base(), 2, &clean(&screen.reason), t.denied());
    add("", t.base(), 0, "", t.base());
    add("", t.base(), 0, "What to do", t.title());
    let hints = [
        (
            format!("iamscope validate {}", shell_word(&path)),
            "lists every problem with file:line:column",
        ),
        (
            "iamscope".to_string(),
            "with no argument, opens the bundled workshop sample",
        ),
        (
            "README.md, section \"Workspaces\"".to_string(),
            "what a workspace holds: the JSON files to export from AWS",
        ),
    ];
    for (command, what) in &hints {
        add("", t.base(), 2, command, t.key());
        add("", t.base(), 6, what, t.base());
    }
    if !screen.problems.is_empty() {
        add("", t.base(), 0, "", t.base());
        let count = screen.problems.len();
        add("", t.base(), 0, &format!("Problems ({count})"), t.title());
        for problem in screen.problems.iter().take(PROBLEMS_SHOWN) {
            add("•", t.dim(), 2, &clean(problem), t.base());
        }
        if count > PROBLEMS_SHOWN {
            let more = format!(
                "… and {} more: `iamscope validate` lists them all",
                count - PROBLEMS_SHOWN
            );
            add("", t.base(), 2, &more, t.dim());
        }
    }
    out
}

/// A path as one shell word: quoted when it holds anything but plain characters.
fn shell_word(text: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "_-./:@+=,%~".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}
