//! The first screen, shown at once while the workspace loads on a thread:
//! a large organization takes seconds to read, and a blank terminal looks
//! hung. The header says how far the load has come (files, MB, accounts,
//! from the engine's `LoadProgress`); `q` quits, Ctrl-C quits as an
//! interrupted command does; other keys are ignored, since nothing is there
//! yet for them to act on. When the load ends the UI (or the error screen)
//! takes the terminal over. The same thin layers as the main screen: this
//! state, [`update`] the only place it changes, `ui::loading` drawing it.

use ratatui::crossterm::event::KeyEventKind;

use super::action::Msg;
use super::keymap::{lookup, Command, Mode};
use super::theme::Theme;
use crate::workspace::ProgressReading;

#[derive(Debug, Clone)]
pub struct Loading {
    /// What is being loaded, as the user named it (raw: cleaned when drawn).
    pub label: String,
    /// The last reading of the load's progress.
    pub reading: ProgressReading,
    pub theme: Theme,
    pub size: (u16, u16),
}

/// How the loading screen ends early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leave {
    /// `q`: as a quit from the UI.
    Quit,
    /// Ctrl-C: as the command line's Ctrl-C (SIGINT, status 130).
    Interrupt,
}

impl Loading {
    pub fn new(label: String, theme: Theme) -> Loading {
        Loading {
            label,
            reading: ProgressReading::default(),
            theme,
            size: (80, 24),
        }
    }
}

/// Applies one message; `Some` when the user leaves.
pub fn update(screen: &mut Loading, msg: Msg) -> Option<Leave> {
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Press => {
            match lookup(Mode::Loading, &key)?.command {
                Command::Quit => Some(Leave::Quit),
                Command::Interrupt => Some(Leave::Interrupt),
                _ => None,
            }
        }
        Msg::Resize(w, h) => {
            screen.size = (w, h);
            None
        }
        Msg::Key(_) | Msg::Mouse(_) | Msg::Tick(_) | Msg::Computed(_) => None,
    }
}

/// A new reading of the load's progress (the loop polls it).
pub fn progress(screen: &mut Loading, reading: ProgressReading) {
    screen.reading = reading;
}
