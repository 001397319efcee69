//! One table of key bindings drives input, the footer hints and the help
//! overlay, so the three can never disagree.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The main screen.
    Browse,
    /// The switch-role picker.
    Picker,
    /// Scrolling overlays: why, policy viewer, help, messages.
    Reader,
    /// The request-context form.
    Form,
    /// Typing a filter.
    Filter,
    /// A guided tour is running (over the main screen or an overlay).
    Tour,
    /// The error screen: the workspace could not be opened at all.
    ErrorScreen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    NextPane,
    PrevPane,
    Users,
    Groups,
    Roles,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Enter,
    Back,
    Filter,
    SwitchRole,
    EndSession,
    Pause,
    Faster,
    Slower,
    SkipAhead,
    Context,
    Why,
    Help,
    CopyArn,
    CopyPolicy,
    ToggleMouse,
    Duration,
    ToggleMfa,
    NextField,
    PrevField,
    Tour,
    TourNext,
    TourBack,
    TourLeave,
}

/// A key and its modifiers (shift is ignored for characters: `?` is `?`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key(pub KeyCode, pub KeyModifiers);

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

const fn ch(c: char) -> Key {
    Key(KeyCode::Char(c), NONE)
}

const fn code(c: KeyCode) -> Key {
    Key(c, NONE)
}

pub struct Binding {
    pub modes: &'static [Mode],
    pub keys: &'static [Key],
    /// How the keys are written in hints and help.
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
    /// Shown in the footer.
    pub hint: bool,
}

use Mode::*;

const ALL_MAIN: &[Mode] = &[Browse];
const ANY: &[Mode] = &[Browse, Picker, Reader, Form];

pub const BINDINGS: &[Binding] = &[
    Binding {
        modes: &[ErrorScreen],
        keys: &[ch('q'), code(KeyCode::Esc), code(KeyCode::Enter)],
        label: "q/Esc/Enter",
        action: Action::Quit,
        help: "quit",
        hint: true,
    },
    Binding {
        modes: &[ErrorScreen],
        keys: &[ch('j'), code(KeyCode::Down)],
        label: "j/↓",
        action: Action::Down,
        help: "scroll down",
        hint: true,
    },
    Binding {
        modes: &[ErrorScreen],
        keys: &[ch('k'), code(KeyCode::Up)],
        label: "k/↑",
        action: Action::Up,
        help: "scroll up",
        hint: true,
    },
    Binding {
        modes: &[ErrorScreen],
        keys: &[code(KeyCode::PageDown), Key(KeyCode::Char('d'), CTRL)],
        label: "PgDn",
        action: Action::PageDown,
        help: "page down",
        hint: true,
    },
    Binding {
        modes: &[ErrorScreen],
        keys: &[code(KeyCode::PageUp), Key(KeyCode::Char('u'), CTRL)],
        label: "PgUp",
        action: Action::PageUp,
        help: "page up",
        hint: true,
    },
    Binding {
        modes: &[ErrorScreen],
        keys: &[ch('g'), code(KeyCode::Home)],
        label: "g",
        action: Action::Top,
        help: "top",
        hint: false,
    },
    Binding {
        modes: &[ErrorScreen],
        keys: &[ch('G'), code(KeyCode::End)],
        label: "G",
        action: Action::Bottom,
        help: "bottom",
        hint: false,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('t')],
        label: "t",
        action: Action::Tour,
        help: "guided tours of the workspace",
        hint: true,
    },
    Binding {
        modes: &[Tour],
        keys: &[code(KeyCode::Right), ch('n')],
        label: "→/n",
        action: Action::TourNext,
        help: "next tour step",
        hint: true,
    },
    Binding {
        modes: &[Tour],
        keys: &[code(KeyCode::Left)],
        label: "←",
        action: Action::TourBack,
        help: "previous tour step",
        hint: true,
    },
    Binding {
        modes: &[Tour],
        keys: &[code(KeyCode::Esc)],
        label: "Esc",
        action: Action::TourLeave,
        help: "leave the tour (or close what a step opened)",
        hint: true,
    },
    Binding {
        modes: &[Browse],
        keys: &[ch('/')],
        label: "/",
        action: Action::Filter,
        help: "filter the focused list (fuzzy)",
        hint: true,
    },
    Binding {
        modes: &[Picker],
        keys: &[ch('/')],
        label: "/",
        action: Action::Filter,
        help: "filter the roles",
        hint: true,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('s')],
        label: "s",
        action: Action::SwitchRole,
        help: "switch role (chain from a session)",
        hint: true,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('x')],
        label: "x",
        action: Action::EndSession,
        help: "end the current session",
        hint: true,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('w')],
        label: "w",
        action: Action::Why,
        help: "why: the evaluation trace of the selected action",
        hint: true,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('c')],
        label: "c",
        action: Action::Context,
        help: "request context: MFA, source IP, time, tags",
        hint: true,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('p')],
        label: "p",
        action: Action::Pause,
        help: "pause / resume the clock",
        hint: true,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('+'), ch('=')],
        label: "+",
        action: Action::Faster,
        help: "clock faster (1× 10× 60× 600×)",
        hint: true,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('-')],
        label: "-",
        action: Action::Slower,
        help: "clock slower",
        hint: false,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('>')],
        label: ">",
        action: Action::SkipAhead,
        help: "skip the clock 5 minutes ahead",
        hint: false,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('1')],
        label: "1",
        action: Action::Users,
        help: "users",
        hint: false,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('2')],
        label: "2",
        action: Action::Groups,
        help: "groups",
        hint: false,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('3')],
        label: "3",
        action: Action::Roles,
        help: "roles",
        hint: false,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[code(KeyCode::Tab)],
        label: "Tab",
        action: Action::NextPane,
        help: "next pane",
        hint: false,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[
            code(KeyCode::BackTab),
            Key(KeyCode::BackTab, KeyModifiers::SHIFT),
        ],
        label: "S-Tab",
        action: Action::PrevPane,
        help: "previous pane",
        hint: false,
    },
    Binding {
        modes: &[Browse, Picker, Reader],
        keys: &[ch('k'), code(KeyCode::Up)],
        label: "k/↑",
        action: Action::Up,
        help: "up",
        hint: false,
    },
    Binding {
        modes: &[Browse, Picker, Reader],
        keys: &[ch('j'), code(KeyCode::Down)],
        label: "j/↓",
        action: Action::Down,
        help: "down",
        hint: false,
    },
    Binding {
        modes: &[Form],
        keys: &[
            code(KeyCode::Up),
            Key(KeyCode::BackTab, KeyModifiers::SHIFT),
            code(KeyCode::BackTab),
        ],
        label: "↑/S-Tab",
        action: Action::PrevField,
        help: "previous field",
        hint: false,
    },
    Binding {
        modes: &[Form],
        keys: &[code(KeyCode::Down), code(KeyCode::Tab)],
        label: "↓/Tab",
        action: Action::NextField,
        help: "next field",
        hint: true,
    },
    Binding {
        modes: &[Form],
        keys: &[code(KeyCode::F(2))],
        label: "F2",
        action: Action::ToggleMfa,
        help: "MFA: unset → yes → no (Space on the MFA field)",
        hint: true,
    },
    Binding {
        modes: &[Browse, Picker, Reader],
        keys: &[code(KeyCode::PageUp), Key(KeyCode::Char('u'), CTRL)],
        label: "PgUp",
        action: Action::PageUp,
        help: "page up",
        hint: false,
    },
    Binding {
        modes: &[Browse, Picker, Reader],
        keys: &[code(KeyCode::PageDown), Key(KeyCode::Char('d'), CTRL)],
        label: "PgDn",
        action: Action::PageDown,
        help: "page down",
        hint: false,
    },
    Binding {
        modes: &[Browse, Picker, Reader],
        keys: &[ch('g'), code(KeyCode::Home)],
        label: "g",
        action: Action::Top,
        help: "first row",
        hint: false,
    },
    Binding {
        modes: &[Browse, Picker, Reader],
        keys: &[ch('G'), code(KeyCode::End)],
        label: "G",
        action: Action::Bottom,
        help: "last row",
        hint: false,
    },
    Binding {
        modes: &[Browse],
        keys: &[code(KeyCode::Enter)],
        label: "Enter",
        action: Action::Enter,
        help: "open: a service, the policy behind an action or a detail line",
        hint: true,
    },
    Binding {
        modes: &[Picker],
        keys: &[code(KeyCode::Enter)],
        label: "Enter",
        action: Action::Enter,
        help: "start the session",
        hint: true,
    },
    Binding {
        modes: &[Form],
        keys: &[code(KeyCode::Enter)],
        label: "Enter",
        action: Action::Enter,
        help: "apply the context",
        hint: true,
    },
    Binding {
        modes: &[Picker],
        keys: &[ch('d')],
        label: "d",
        action: Action::Duration,
        help: "session duration: 1 h, 15 min, 2 h, the role's maximum",
        hint: true,
    },
    Binding {
        modes: ANY,
        keys: &[code(KeyCode::Esc)],
        label: "Esc",
        action: Action::Back,
        help: "back: close, clear the filter",
        hint: true,
    },
    Binding {
        modes: &[Browse, Reader],
        keys: &[ch('y')],
        label: "y",
        action: Action::CopyArn,
        help: "copy the selected ARN (OSC 52)",
        hint: false,
    },
    Binding {
        modes: &[Browse, Reader],
        keys: &[ch('Y')],
        label: "Y",
        action: Action::CopyPolicy,
        help: "copy the policy JSON (OSC 52)",
        hint: false,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('m')],
        label: "m",
        action: Action::ToggleMouse,
        help: "mouse on/off (off keeps the terminal's own text selection)",
        hint: false,
    },
    Binding {
        modes: &[Browse, Picker, Reader],
        keys: &[ch('?'), code(KeyCode::F(1))],
        label: "?",
        action: Action::Help,
        help: "help: every key",
        hint: true,
    },
    Binding {
        modes: &[Browse, Reader],
        keys: &[ch('q')],
        label: "q",
        action: Action::Quit,
        help: "quit",
        hint: true,
    },
    Binding {
        modes: &[Browse, Picker, Reader, Form, Filter, ErrorScreen],
        keys: &[Key(KeyCode::Char('c'), CTRL)],
        label: "C-c",
        action: Action::Quit,
        help: "quit",
        hint: false,
    },
];

/// The action bound to `key` in `mode`.
pub fn lookup(mode: Mode, key: &KeyEvent) -> Option<Action> {
    let modifiers = key.modifiers - KeyModifiers::SHIFT;
    let pressed = match key.code {
        // Shift is part of the character itself.
        KeyCode::Char(_) => Key(key.code, modifiers),
        KeyCode::BackTab => Key(KeyCode::BackTab, NONE),
        _ => Key(key.code, key.modifiers),
    };
    BINDINGS
        .iter()
        .find(|b| b.modes.contains(&mode) && b.keys.contains(&pressed))
        .map(|b| b.action)
}

/// Footer hints for `mode`.
pub fn hints(mode: Mode) -> Vec<(&'static str, &'static str)> {
    BINDINGS
        .iter()
        .filter(|b| b.hint && b.modes.contains(&mode))
        .map(|b| (b.label, short_help(b.help)))
        .collect()
}

/// The first words of a help text, for the footer.
fn short_help(help: &'static str) -> &'static str {
    let end = help.find([':', '(', ',']).unwrap_or(help.len());
    help[..end].trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    #[test]
    fn lookups_respect_modes_and_modifiers() {
        assert_eq!(
            lookup(Mode::Browse, &key(KeyCode::Char('q'), NONE)),
            Some(Action::Quit)
        );
        assert_eq!(lookup(Mode::Form, &key(KeyCode::Char('q'), NONE)), None);
        assert_eq!(
            lookup(Mode::Filter, &key(KeyCode::Char('c'), CTRL)),
            Some(Action::Quit)
        );
        assert_eq!(
            lookup(Mode::Browse, &key(KeyCode::Char('?'), KeyModifiers::SHIFT)),
            Some(Action::Help)
        );
        assert_eq!(
            lookup(Mode::Browse, &key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            lookup(Mode::Browse, &key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevPane)
        );
        assert_eq!(
            lookup(Mode::Picker, &key(KeyCode::Enter, NONE)),
            Some(Action::Enter)
        );
        for quit in [
            key(KeyCode::Char('q'), NONE),
            key(KeyCode::Esc, NONE),
            key(KeyCode::Enter, NONE),
            key(KeyCode::Char('c'), CTRL),
        ] {
            assert_eq!(lookup(Mode::ErrorScreen, &quit), Some(Action::Quit));
        }
        assert_eq!(
            lookup(Mode::ErrorScreen, &key(KeyCode::Char('s'), NONE)),
            None
        );
    }

    #[test]
    fn every_mode_has_hints_and_no_key_is_bound_twice_in_a_mode() {
        for mode in [
            Mode::Browse,
            Mode::Picker,
            Mode::Reader,
            Mode::Form,
            Mode::Tour,
            Mode::ErrorScreen,
        ] {
            assert!(!hints(mode).is_empty(), "{mode:?}");
            let mut seen = Vec::new();
            for b in BINDINGS.iter().filter(|b| b.modes.contains(&mode)) {
                for k in b.keys {
                    assert!(!seen.contains(k), "{k:?} twice in {mode:?}");
                    seen.push(*k);
                }
            }
        }
    }
}
