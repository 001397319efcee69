//! The screen shown instead of the UI when the workspace cannot be opened at
//! all (no such path, an empty folder, a file over the size limit, nothing
//! readable as an account): why, where, and what to do next. The same thin
//! layers as the main screen: this state, [`update`] the only place it
//! changes, `ui::error_screen::render` only reading it.

use ratatui::crossterm::event::KeyEventKind;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Padding};

use super::action::{Effect, Msg};
use super::keymap::{lookup, Command, Mode};
use super::theme::Theme;
use super::ui::text::{clean, wrap};

/// The most problems listed; past them the screen says how many more there are.
pub const PROBLEMS_SHOWN: usize = 200;

#[derive(Debug, Clone)]
pub struct ErrorScreen {
    /// The workspace path as the user gave it (raw: cleaned when drawn).
    pub path: String,
    /// Why it cannot be opened, in one line naming the file.
    pub reason: String,
    /// The problems behind the reason, each naming its file and place.
    pub problems: Vec<String>,
    pub theme: Theme,
    pub size: (u16, u16),
    /// The first line shown.
    pub scroll: u16,
    pub quit: bool,
}

impl ErrorScreen {
    pub fn new(path: String, reason: String, problems: Vec<String>, theme: Theme) -> ErrorScreen {
        ErrorScreen {
            path,
            reason,
            problems,
            theme,
            size: (80, 24),
            scroll: 0,
            quit: false,
        }
    }
}

pub fn update(screen: &mut ErrorScreen, msg: Msg) -> Option<Effect> {
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Press || key.kind == KeyEventKind::Repeat => {
            let command = lookup(Mode::ErrorScreen, &key)?.command;
            let page = i32::from(page_height(screen.size).max(1));
            let delta = match command {
                Command::Quit => {
                    screen.quit = true;
                    return Some(Effect::Quit);
                }
                Command::Up => -1,
                Command::Down => 1,
                Command::PageUp => -page,
                Command::PageDown => page,
                Command::Top => -i32::from(u16::MAX),
                Command::Bottom => i32::from(u16::MAX),
                _ => 0,
            };
            scroll_by(screen, delta);
        }
        Msg::Resize(w, h) => {
            screen.size = (w, h);
            scroll_by(screen, 0);
        }
        Msg::Key(_) | Msg::Mouse(_) | Msg::Tick(_) | Msg::Computed(_) => {}
    }
    None
}

/// Moves the first line shown, within what the text at this size allows.
fn scroll_by(screen: &mut ErrorScreen, delta: i32) {
    let max = i32::from(max_scroll(screen));
    screen.scroll = (i32::from(screen.scroll) + delta).clamp(0, max) as u16;
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

pub fn block() -> Block<'static> {
    Block::bordered().padding(Padding::horizontal(1))
}

/// The bordered frame, the text inside it, and the footer.
pub fn areas(area: Rect) -> (Rect, Rect, Rect) {
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
