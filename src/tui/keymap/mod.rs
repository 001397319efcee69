//! One table of key bindings drives input, the footer hints and the help
//! overlay, so the three can never disagree. Each binding says in which
//! modes it applies and, with `when`, in which states it does something:
//! the footer shows a hint only when its key would act.

mod table;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::tui::action::{Action, ClockAction, CopyWhat, FilterEdit, FormEdit, Move, TourAction};
use crate::tui::app::{App, Tab};
use crate::tui::overlay::{Overlay, PAGE};
pub use table::{why_possible, Binding, Command, Key, Mode, BINDINGS};

/// The binding of `key` in `mode`.
pub fn lookup(mode: Mode, key: &KeyEvent) -> Option<&'static Binding> {
    let modifiers = key.modifiers - KeyModifiers::SHIFT;
    let pressed = match key.code {
        // Shift is part of the character itself.
        KeyCode::Char(_) => Key(key.code, modifiers),
        KeyCode::BackTab => Key(KeyCode::BackTab, KeyModifiers::NONE),
        _ => Key(key.code, key.modifiers),
    };
    BINDINGS
        .iter()
        .find(|b| b.modes.contains(&mode) && b.keys.contains(&pressed))
}

/// The mode the keymap is read in.
pub fn mode(app: &App) -> Mode {
    match &app.overlay {
        Some(Overlay::Picker(p)) if p.filtering => Mode::Filter,
        Some(Overlay::Picker(_)) => Mode::Picker,
        Some(Overlay::Tours(_)) => Mode::Tours,
        Some(Overlay::Problems(_)) => Mode::Problems,
        Some(Overlay::Escalations(_)) => Mode::Escalations,
        Some(Overlay::EscalationPath(_)) => Mode::Path,
        Some(Overlay::WhatIf(_)) => Mode::WhatIf,
        Some(Overlay::Context(_)) => Mode::Form,
        Some(Overlay::Ask(_)) => Mode::Ask,
        Some(Overlay::SaveDemo(_)) => Mode::SaveForm,
        Some(Overlay::Export(_)) => Mode::ExportForm,
        Some(Overlay::Palette(_)) => Mode::Palette,
        Some(Overlay::HelpSearch(s)) if s.typing => Mode::Filter,
        Some(_) => Mode::Reader,
        None if app.browser.filtering.is_some() => Mode::Filter,
        None => Mode::Browse,
    }
}

/// Whether the tour's keys apply over the current mode (not while typing).
pub fn tour_keys_apply(app: &App) -> bool {
    app.tour.is_some()
        && !matches!(
            mode(app),
            Mode::Filter
                | Mode::Form
                | Mode::Ask
                | Mode::Palette
                | Mode::SaveForm
                | Mode::ExportForm
        )
}

/// The bindings the footer shows now: the tour's (during a tour), then the
/// mode's, each only when its key would act.
pub fn hints(app: &App) -> Vec<&'static Binding> {
    let mut out = Vec::new();
    let shown = |b: &&Binding| b.hint && b.when.is_none_or(|when| when(app));
    if tour_keys_apply(app) {
        out.extend(
            BINDINGS
                .iter()
                .filter(|b| b.modes.contains(&Mode::Tour))
                .filter(shown),
        );
    }
    let mode = mode(app);
    let tour_keys: Vec<Key> = out.iter().flat_map(|b| b.keys.iter().copied()).collect();
    out.extend(
        BINDINGS
            .iter()
            .filter(|b| b.modes.contains(&mode))
            .filter(shown)
            // A key the tour takes is not offered twice.
            .filter(|b| !b.keys.iter().all(|k| tour_keys.contains(k))),
    );
    out
}

/// Footer hints for a mode without an app (the error screen).
pub fn mode_hints(mode: Mode) -> Vec<(&'static str, &'static str)> {
    BINDINGS
        .iter()
        .filter(|b| b.hint && b.modes.contains(&mode))
        .map(|b| (b.label, short_help(b.help)))
        .collect()
}

/// How the keys that quit in `mode` are written (`q`, or `C-c` where
/// letters are text).
pub fn quit_keys(mode: Mode) -> &'static str {
    BINDINGS
        .iter()
        .find(|b| b.command == Command::Quit && b.modes.contains(&mode))
        .map_or("C-c", |b| b.label)
}

/// How the key that lists the problems is written (for the header).
pub fn problems_key() -> &'static str {
    BINDINGS
        .iter()
        .find(|b| b.command == Command::Problems)
        .map_or("!", |b| b.label)
}

/// The first words of a help text, for the footer.
pub fn short_help(help: &'static str) -> &'static str {
    let end = help.find([':', '(', ',']).unwrap_or(help.len());
    help[..end].trim_end()
}

impl Command {
    /// The action a key asks for; the payload, when it needs one, comes
    /// from the state when `update` carries it out.
    pub fn action(self) -> Action {
        match self {
            // Only the loading screen, which has no app, binds Interrupt.
            Command::Quit | Command::Interrupt => Action::Quit,
            Command::NextPane => Action::FocusNext,
            Command::PrevPane => Action::FocusPrev,
            Command::Users => Action::ShowTab(Tab::Users),
            Command::Groups => Action::ShowTab(Tab::Groups),
            Command::Roles => Action::ShowTab(Tab::Roles),
            Command::Up => Action::Move(Move::By(-1)),
            Command::Down => Action::Move(Move::By(1)),
            Command::PageUp => Action::Move(Move::By(-PAGE)),
            Command::PageDown => Action::Move(Move::By(PAGE)),
            Command::Top => Action::Move(Move::First),
            Command::Bottom => Action::Move(Move::Last),
            Command::Enter => Action::Open,
            Command::Back => Action::Back,
            Command::Filter => Action::Filter(FilterEdit::Open),
            Command::FilterKeep => Action::Filter(FilterEdit::Keep),
            Command::FilterClear => Action::Filter(FilterEdit::Clear),
            Command::FilterPop => Action::Filter(FilterEdit::Pop),
            Command::SwitchRole => Action::OpenPicker,
            Command::EndSession => Action::EndSession,
            Command::Pause => Action::Clock(ClockAction::Pause),
            Command::Faster => Action::Clock(ClockAction::Faster),
            Command::Slower => Action::Clock(ClockAction::Slower),
            Command::SkipAhead => Action::Clock(ClockAction::Skip(SKIP_SECONDS)),
            Command::Context => Action::OpenContextForm,
            Command::Ask => Action::OpenAsk,
            Command::Why => Action::Why,
            Command::Help => Action::Help,
            Command::CopyArn => Action::Copy(CopyWhat::Arn),
            Command::CopyPolicy => Action::Copy(CopyWhat::Policy),
            Command::ToggleMouse => Action::ToggleMouse,
            Command::Duration => Action::CycleDuration,
            Command::ToggleMfa => Action::Form(FormEdit::ToggleMfa),
            Command::NextField => Action::Form(FormEdit::NextField),
            Command::PrevField => Action::Form(FormEdit::PrevField),
            Command::Apply => Action::Form(FormEdit::Apply),
            Command::Tour => Action::Tour(TourAction::Choose),
            Command::TourNext => Action::Tour(TourAction::Next),
            Command::TourBack => Action::Tour(TourAction::Back),
            Command::TourLeave => Action::Tour(TourAction::Leave),
            Command::Problems => Action::OpenProblems,
            Command::Escalations => Action::OpenEscalations,
            Command::ToggleDenied => Action::ToggleDenied,
            Command::WhatIf => Action::OpenWhatIf,
            Command::UndoWhatIf => Action::UndoWhatIf,
            Command::MarkCompare => Action::MarkCompare,
            Command::Compare => Action::Compare,
            Command::Presenter => Action::TogglePresenter,
            Command::Theme => Action::CycleTheme,
            Command::Palette => Action::OpenPalette,
            Command::SaveDemo => Action::OpenSaveDemo,
            Command::Export => Action::OpenExport,
        }
    }
}

/// The modes the help and the README list, with their titles, in order.
pub const MODE_TITLES: [(Mode, &str); 17] = [
    (Mode::Browse, "Main screen"),
    (Mode::Picker, "Switch-role picker"),
    (Mode::Tours, "Tour chooser"),
    (Mode::Problems, "Problems (!)"),
    (Mode::Escalations, "Who can become admin (E)"),
    (Mode::Path, "Escalation path"),
    (Mode::WhatIf, "What-if menu (W)"),
    (Mode::Reader, "Why, policy viewer, help, notices"),
    (Mode::Form, "Request context form (letters are text)"),
    (Mode::Filter, "Filter, after / (letters are text)"),
    (Mode::Tour, "During a guided tour"),
    (Mode::Palette, "Go to (:), letters are text"),
    (
        Mode::SaveForm,
        "Saving the demo state (S), letters are text",
    ),
    (
        Mode::ExportForm,
        "Exporting what is on screen (e), letters are text",
    ),
    (Mode::Ask, "Asking (a), letters are text"),
    (
        Mode::ErrorScreen,
        "The error screen (a workspace that cannot be opened)",
    ),
    (
        Mode::Loading,
        "While the workspace loads (other keys are ignored)",
    ),
];

/// Every binding as Markdown, one table per mode, for the README: generated
/// from the table, so the README cannot disagree with the keys
/// (tests/readme_keys.rs compares them).
pub fn markdown() -> String {
    let mut out = String::new();
    for (mode, title) in MODE_TITLES {
        out.push_str(&format!(
            "**{title}**\n\n| key | what it does |\n| --- | --- |\n"
        ));
        for b in BINDINGS.iter().filter(|b| b.modes.contains(&mode)) {
            let label = b.label.replace('|', "\\|");
            out.push_str(&format!("| `{label}` | {} |\n", b.help.replace('|', "\\|")));
        }
        out.push('\n');
    }
    out.pop();
    out
}

/// How far `>` moves the clock, in seconds.
pub const SKIP_SECONDS: i64 = 300;

/// What every glyph on screen means, for the help's legend (meaning is never
/// carried by colour alone, so each mark is also a character).
pub const LEGEND: [(&str, &str); 14] = [
    ("▶", "the selected row of a list"),
    ("▸ ▾", "a service folded / unfolded in the permissions pane"),
    (
        "+",
        "an action gained: by the session in force, or just now",
    ),
    (
        "-",
        "an action lost when the session started (struck through)",
    ),
    (
        "?",
        "an action allowed only if conditions the context leaves open hold",
    ),
    (
        "…",
        "more than fits: the rest is a key away (the text is never cut silently)",
    ),
    ("✓", "allowed: a role it may assume, a layer that allows"),
    ("✗", "denied, or an error in the workspace"),
    ("!", "a warning in the workspace (! lists them)"),
    ("–", "a layer that takes no part in the decision"),
    (
        "⏱",
        "the simulated clock (p pauses, + and - change its speed)",
    ),
    ("×N", "how fast the simulated clock runs"),
    ("N left", "what a role session has left before it expires"),
    (
        "[N limits]",
        "denies or gates that narrow an allowed action (selected: shown in full)",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: KeyModifiers = KeyModifiers::NONE;
    const CTRL: KeyModifiers = KeyModifiers::CONTROL;

    fn key(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    #[test]
    fn lookups_respect_modes_and_modifiers() {
        assert_eq!(
            lookup(Mode::Browse, &key(KeyCode::Char('q'), NONE)).map(|b| b.command),
            Some(Command::Quit)
        );
        assert_eq!(
            lookup(Mode::Form, &key(KeyCode::Char('q'), NONE)).map(|b| b.command),
            None
        );
        assert_eq!(
            lookup(Mode::Filter, &key(KeyCode::Char('c'), CTRL)).map(|b| b.command),
            Some(Command::Quit)
        );
        assert_eq!(
            lookup(Mode::Browse, &key(KeyCode::Char('?'), KeyModifiers::SHIFT)).map(|b| b.command),
            Some(Command::Help)
        );
        assert_eq!(
            lookup(Mode::Browse, &key(KeyCode::Char('G'), KeyModifiers::SHIFT)).map(|b| b.command),
            Some(Command::Bottom)
        );
        assert_eq!(
            lookup(Mode::Browse, &key(KeyCode::BackTab, KeyModifiers::SHIFT)).map(|b| b.command),
            Some(Command::PrevPane)
        );
        assert_eq!(
            lookup(Mode::Picker, &key(KeyCode::Enter, NONE)).map(|b| b.command),
            Some(Command::Enter)
        );
        for quit in [
            key(KeyCode::Char('q'), NONE),
            key(KeyCode::Esc, NONE),
            key(KeyCode::Enter, NONE),
            key(KeyCode::Char('c'), CTRL),
        ] {
            assert_eq!(
                lookup(Mode::ErrorScreen, &quit).map(|b| b.command),
                Some(Command::Quit)
            );
        }
        assert_eq!(
            lookup(Mode::ErrorScreen, &key(KeyCode::Char('s'), NONE)).map(|b| b.command),
            None
        );
    }

    #[test]
    fn every_mode_has_hints_and_no_key_is_bound_twice_in_a_mode() {
        for mode in [
            Mode::Browse,
            Mode::Picker,
            Mode::Tours,
            Mode::Problems,
            Mode::Escalations,
            Mode::Path,
            Mode::Filter,
            Mode::Reader,
            Mode::Form,
            Mode::Tour,
            Mode::ErrorScreen,
            Mode::Loading,
            Mode::WhatIf,
            Mode::Palette,
            Mode::SaveForm,
            Mode::ExportForm,
            Mode::Ask,
        ] {
            assert!(!mode_hints(mode).is_empty(), "{mode:?}");
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
