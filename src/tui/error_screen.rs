//! The screen shown instead of the UI when the workspace cannot be opened at
//! all (no such path, an empty folder, a file over the size limit, nothing
//! readable as an account): why, where, and what to do next. The same thin
//! layers as the main screen: this state, [`update`] the only place it
//! changes, `ui::error_screen::render` only reading it.

use ratatui::crossterm::event::KeyEventKind;

use super::keymap::{lookup, Action, Mode};
use super::theme::Theme;
use super::ui::error_screen::{max_scroll, page_height};
use super::update::{Effect, Msg};

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
            let action = lookup(Mode::ErrorScreen, &key)?;
            let page = i32::from(page_height(screen.size).max(1));
            let delta = match action {
                Action::Quit => {
                    screen.quit = true;
                    return Some(Effect::Quit);
                }
                Action::Up => -1,
                Action::Down => 1,
                Action::PageUp => -page,
                Action::PageDown => page,
                Action::Top => -i32::from(u16::MAX),
                Action::Bottom => i32::from(u16::MAX),
                _ => 0,
            };
            scroll_by(screen, delta);
        }
        Msg::Resize(w, h) => {
            screen.size = (w, h);
            scroll_by(screen, 0);
        }
        Msg::Key(_) | Msg::Mouse(_) | Msg::Tick(_) => {}
    }
    None
}

/// Moves the first line shown, within what the text at this size allows.
fn scroll_by(screen: &mut ErrorScreen, delta: i32) {
    let max = i32::from(max_scroll(screen));
    screen.scroll = (i32::from(screen.scroll) + delta).clamp(0, max) as u16;
}
