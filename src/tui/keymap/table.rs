//! The table of key bindings: in which modes a key applies, what it asks
//! for, how help and the footer name it, and in which states it acts.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use crate::tui::app::{App, Pane};
use crate::tui::overlay::Overlay;
use crate::tui::views::detail::LineKind;
use crate::tui::views::permissions::PermRow;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The main screen.
    Browse,
    /// The switch-role picker.
    Picker,
    /// The tour chooser.
    Tours,
    /// The list of the workspace's problems.
    Problems,
    /// `E`: the list of who can become admin.
    Escalations,
    /// One principal's escalation path, its steps as rows.
    Path,
    /// The what-if menu.
    WhatIf,
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
    /// The first screen, while the workspace loads.
    Loading,
    /// The command palette (`:`): letters are text.
    Palette,
    /// Naming the file the demo state is saved to (`S`): letters are text.
    SaveForm,
    /// Naming the file what is on screen is exported to (`e`): letters are text.
    ExportForm,
    /// The ask line (`a`): an action, a resource.
    Ask,
}

/// What a key asks for, before the state gives it its payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
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
    Ask,
    Why,
    Help,
    CopyArn,
    CopyPolicy,
    ToggleMouse,
    Duration,
    ToggleMfa,
    NextField,
    PrevField,
    Apply,
    FilterKeep,
    FilterClear,
    FilterPop,
    Tour,
    TourNext,
    TourBack,
    TourLeave,
    Problems,
    Escalations,
    ToggleDenied,
    WhatIf,
    UndoWhatIf,
    MarkCompare,
    Compare,
    Presenter,
    Theme,
    Palette,
    SaveDemo,
    Export,
    /// Ctrl-C while the workspace loads: the process ends as the command
    /// line's Ctrl-C ends it (status 130).
    Interrupt,
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
    pub command: Command,
    pub help: &'static str,
    /// Shown in the footer.
    pub hint: bool,
    /// The states in which the key acts; `None`: always.
    pub when: Option<fn(&App) -> bool>,
}

use Mode::*;

const ALL_MAIN: &[Mode] = &[Browse];
const OVERLAYS: &[Mode] = &[
    Picker,
    Tours,
    Problems,
    Escalations,
    Path,
    Reader,
    Form,
    WhatIf,
];

pub const BINDINGS: &[Binding] = &[
    Binding {
        modes: &[Loading],
        keys: &[ch('q')],
        label: "q",
        command: Command::Quit,
        help: "quit (the load stops)",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[Loading],
        keys: &[Key(KeyCode::Char('c'), CTRL)],
        label: "C-c",
        command: Command::Interrupt,
        help: "interrupt: quit with the status of an interrupted command (130)",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[ErrorScreen],
        keys: &[ch('q'), code(KeyCode::Esc), code(KeyCode::Enter)],
        label: "q/Esc/Enter",
        command: Command::Quit,
        help: "quit",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[ErrorScreen],
        keys: &[ch('j'), code(KeyCode::Down)],
        label: "j/↓",
        command: Command::Down,
        help: "scroll down",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[ErrorScreen],
        keys: &[ch('k'), code(KeyCode::Up)],
        label: "k/↑",
        command: Command::Up,
        help: "scroll up",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[ErrorScreen],
        keys: &[code(KeyCode::PageDown), Key(KeyCode::Char('d'), CTRL)],
        label: "PgDn",
        command: Command::PageDown,
        help: "page down",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[ErrorScreen],
        keys: &[code(KeyCode::PageUp), Key(KeyCode::Char('u'), CTRL)],
        label: "PgUp",
        command: Command::PageUp,
        help: "page up",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[ErrorScreen],
        keys: &[ch('g'), code(KeyCode::Home)],
        label: "g",
        command: Command::Top,
        help: "top",
        hint: false,
        when: None,
    },
    Binding {
        modes: &[ErrorScreen],
        keys: &[ch('G'), code(KeyCode::End)],
        label: "G",
        command: Command::Bottom,
        help: "bottom",
        hint: false,
        when: None,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('!')],
        label: "!",
        command: Command::Problems,
        help: "problems: what could not be read in the workspace, and what it touches",
        hint: true,
        when: Some(|app| !app.problems.is_empty()),
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('t')],
        label: "t",
        command: Command::Tour,
        help: "guided tours of the workspace",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[Tour],
        keys: &[code(KeyCode::Right), ch('n')],
        label: "→/n",
        command: Command::TourNext,
        help: "next tour step",
        hint: true,
        when: Some(|app| app.tour.as_ref().is_some_and(|t| !t.is_last())),
    },
    Binding {
        modes: &[Tour],
        keys: &[code(KeyCode::Left)],
        label: "←",
        command: Command::TourBack,
        help: "previous tour step",
        hint: true,
        when: Some(|app| app.tour.as_ref().is_some_and(|t| t.done > 1)),
    },
    Binding {
        modes: &[Tour],
        keys: &[code(KeyCode::Esc)],
        label: "Esc",
        command: Command::TourLeave,
        help: "leave the tour (or close what a step opened)",
        hint: true,
        when: Some(|app| app.overlay.is_none()),
    },
    Binding {
        modes: &[Browse],
        keys: &[ch('/')],
        label: "/",
        command: Command::Filter,
        help: "filter the focused list (fuzzy)",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[Picker],
        keys: &[ch('/')],
        label: "/",
        command: Command::Filter,
        help: "filter the roles",
        hint: true,
        when: None,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('s')],
        label: "s",
        command: Command::SwitchRole,
        help: "switch role (chain from a session)",
        hint: true,
        when: None,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('x')],
        label: "x",
        command: Command::EndSession,
        help: "end the current session",
        hint: true,
        when: Some(App::in_session),
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('w')],
        label: "w",
        command: Command::Why,
        help: "why: the evaluation trace of the selected action or ✓/✗ role line",
        hint: true,
        when: Some(why_possible),
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('E')],
        label: "E",
        command: Command::Escalations,
        help: "escalation: every user and role that can become admin, riskiest first",
        hint: false,
        when: None,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('a')],
        label: "a",
        command: Command::Ask,
        help: "ask: any action (and resource) as the acting identity, allowed or denied and why",
        hint: true,
        when: None,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('c')],
        label: "c",
        command: Command::Context,
        help: "request context: MFA, source IP, time, tags",
        hint: true,
        when: None,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('p')],
        label: "p",
        command: Command::Pause,
        help: "pause / resume the clock",
        hint: true,
        when: None,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('+'), ch('=')],
        label: "+",
        command: Command::Faster,
        help: "clock faster (1× 10× 60× 600×)",
        hint: true,
        when: None,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('-')],
        label: "-",
        command: Command::Slower,
        help: "clock slower",
        hint: false,
        when: None,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('>')],
        label: ">",
        command: Command::SkipAhead,
        help: "skip the clock 5 minutes ahead",
        hint: false,
        when: None,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('1')],
        label: "1",
        command: Command::Users,
        help: "users",
        hint: false,
        when: None,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('2')],
        label: "2",
        command: Command::Groups,
        help: "groups",
        hint: false,
        when: None,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('3')],
        label: "3",
        command: Command::Roles,
        help: "roles",
        hint: false,
        when: None,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[code(KeyCode::Tab)],
        label: "Tab",
        command: Command::NextPane,
        help: "next pane",
        hint: false,
        when: None,
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[
            code(KeyCode::BackTab),
            Key(KeyCode::BackTab, KeyModifiers::SHIFT),
        ],
        label: "S-Tab",
        command: Command::PrevPane,
        help: "previous pane",
        hint: false,
        when: None,
    },
    Binding {
        modes: &[Path],
        keys: &[ch('j'), code(KeyCode::Down)],
        label: "j/↓",
        command: Command::Down,
        help: "next step",
        hint: true,
        when: Some(
            |app| matches!(&app.overlay, Some(Overlay::EscalationPath(p)) if p.selected + 1 < p.steps().len()),
        ),
    },
    Binding {
        modes: &[Path],
        keys: &[ch('k'), code(KeyCode::Up)],
        label: "k/↑",
        command: Command::Up,
        help: "previous step",
        hint: true,
        when: Some(
            |app| matches!(&app.overlay, Some(Overlay::EscalationPath(p)) if p.selected > 0),
        ),
    },
    Binding {
        modes: &[Path],
        keys: &[ch('w')],
        label: "w",
        command: Command::Why,
        help: "why: the selected step's first request, asked as the search asked it",
        hint: true,
        when: Some(step_why_possible),
    },
    Binding {
        modes: &[Path],
        keys: &[code(KeyCode::Enter)],
        label: "Enter",
        command: Command::Enter,
        help: "the same as w on a step",
        hint: false,
        when: Some(step_why_possible),
    },
    Binding {
        modes: &[Escalations],
        keys: &[code(KeyCode::Enter)],
        label: "Enter",
        command: Command::Enter,
        help: "open the path of the selected user or role",
        hint: true,
        when: Some(
            |app| matches!(&app.overlay, Some(Overlay::Escalations(v)) if v.list.selected().is_some()),
        ),
    },
    Binding {
        modes: &[Browse, Picker, Tours, Problems, Escalations, WhatIf],
        keys: &[ch('k'), code(KeyCode::Up)],
        label: "k/↑",
        command: Command::Up,
        help: "up",
        hint: false,
        when: None,
    },
    Binding {
        modes: &[Browse, Picker, Tours, Problems, Escalations, WhatIf],
        keys: &[ch('j'), code(KeyCode::Down)],
        label: "j/↓",
        command: Command::Down,
        help: "down",
        hint: false,
        when: None,
    },
    Binding {
        modes: &[Reader],
        keys: &[ch('j'), code(KeyCode::Down)],
        label: "j/k",
        command: Command::Down,
        help: "scroll",
        hint: true,
        when: Some(scrollable),
    },
    Binding {
        modes: &[Reader],
        keys: &[ch('k'), code(KeyCode::Up)],
        label: "k/↑",
        command: Command::Up,
        help: "scroll up",
        hint: false,
        when: None,
    },
    Binding {
        modes: &[Form],
        keys: &[
            code(KeyCode::Up),
            Key(KeyCode::BackTab, KeyModifiers::SHIFT),
            code(KeyCode::BackTab),
        ],
        label: "↑/S-Tab",
        command: Command::PrevField,
        help: "previous field",
        hint: false,
        when: None,
    },
    Binding {
        modes: &[Form],
        keys: &[code(KeyCode::Down), code(KeyCode::Tab)],
        label: "↓/Tab",
        command: Command::NextField,
        help: "next field",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[Form],
        keys: &[code(KeyCode::F(2))],
        label: "F2",
        command: Command::ToggleMfa,
        help: "MFA: unset → yes → no (Space on the MFA field)",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[Browse, Picker, Problems, Escalations, Path, Reader, WhatIf],
        keys: &[code(KeyCode::PageUp), Key(KeyCode::Char('u'), CTRL)],
        label: "PgUp",
        command: Command::PageUp,
        help: "page up",
        hint: false,
        when: None,
    },
    Binding {
        modes: &[Browse, Picker, Problems, Escalations, Path, Reader, WhatIf],
        keys: &[code(KeyCode::PageDown), Key(KeyCode::Char('d'), CTRL)],
        label: "PgDn",
        command: Command::PageDown,
        help: "page down",
        hint: false,
        when: None,
    },
    Binding {
        modes: &[Browse, Picker, Problems, Escalations, Path, Reader, WhatIf],
        keys: &[ch('g'), code(KeyCode::Home)],
        label: "g",
        command: Command::Top,
        help: "first row",
        hint: false,
        when: None,
    },
    Binding {
        modes: &[Browse, Picker, Problems, Escalations, Path, Reader, WhatIf],
        keys: &[ch('G'), code(KeyCode::End)],
        label: "G",
        command: Command::Bottom,
        help: "last row",
        hint: false,
        when: None,
    },
    Binding {
        modes: &[Browse],
        keys: &[code(KeyCode::Enter)],
        label: "Enter",
        command: Command::Enter,
        help: "open: a service, the policy behind an action or a detail line",
        hint: true,
        when: Some(can_open),
    },
    Binding {
        modes: &[Picker],
        keys: &[code(KeyCode::Enter)],
        label: "Enter",
        command: Command::Enter,
        help: "start the session",
        hint: true,
        when: Some(
            |app| matches!(&app.overlay, Some(Overlay::Picker(p)) if p.list.selected().is_some()),
        ),
    },
    Binding {
        modes: &[Tours],
        keys: &[code(KeyCode::Enter)],
        label: "Enter",
        command: Command::Enter,
        help: "start the tour",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[Problems],
        keys: &[code(KeyCode::Enter)],
        label: "Enter",
        command: Command::Enter,
        help: "go to what the problem sits in (its user, group, role or policy)",
        hint: true,
        when: Some(
            |app| matches!(&app.overlay, Some(Overlay::Problems(p)) if p.list.selected().is_some()),
        ),
    },
    Binding {
        modes: &[WhatIf],
        keys: &[code(KeyCode::Enter)],
        label: "Enter",
        command: Command::Enter,
        help: "make the change, on a copy in memory (the files are never touched; u undoes)",
        hint: true,
        when: Some(
            |app| matches!(&app.overlay, Some(Overlay::WhatIf(m)) if m.list.selected().is_some()),
        ),
    },
    Binding {
        modes: &[Form],
        keys: &[code(KeyCode::Enter)],
        label: "Enter",
        command: Command::Apply,
        help: "apply the context",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[Picker],
        keys: &[ch('d')],
        label: "d",
        command: Command::Duration,
        help: "session duration: 1 h, 15 min, 2 h, the role's maximum",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[Browse],
        keys: &[code(KeyCode::Esc)],
        label: "Esc",
        command: Command::Back,
        help: "back: clear the filter, back to the list",
        hint: true,
        when: Some(can_go_back),
    },
    Binding {
        modes: OVERLAYS,
        keys: &[code(KeyCode::Esc)],
        label: "Esc",
        command: Command::Back,
        help: "close (first clears a filter)",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[Filter],
        keys: &[code(KeyCode::Enter)],
        label: "Enter",
        command: Command::FilterKeep,
        help: "keep the filter",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[Filter],
        keys: &[code(KeyCode::Esc)],
        label: "Esc",
        command: Command::FilterClear,
        help: "clear the filter",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[Filter],
        keys: &[code(KeyCode::Up)],
        label: "↑",
        command: Command::Up,
        help: "up",
        hint: false,
        when: None,
    },
    Binding {
        modes: &[Filter],
        keys: &[code(KeyCode::Down)],
        label: "↓",
        command: Command::Down,
        help: "move",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[Filter],
        keys: &[code(KeyCode::Backspace)],
        label: "⌫",
        command: Command::FilterPop,
        help: "delete a letter (letters are text)",
        hint: false,
        when: None,
    },
    Binding {
        modes: &[Browse],
        keys: &[ch('y')],
        label: "y",
        command: Command::CopyArn,
        help: "copy the selected ARN (OSC 52)",
        hint: false,
        when: None,
    },
    Binding {
        modes: &[Reader],
        keys: &[ch('y')],
        label: "y",
        command: Command::CopyArn,
        help: "copy as Markdown: the why view or the comparison (OSC 52)",
        hint: true,
        when: Some(exportable_overlay),
    },
    Binding {
        modes: &[Browse],
        keys: &[ch('Y')],
        label: "Y",
        command: Command::CopyPolicy,
        help: "copy the policy JSON (OSC 52)",
        hint: false,
        when: Some(policy_at_focus),
    },
    Binding {
        modes: &[Reader],
        keys: &[ch('Y')],
        label: "Y",
        command: Command::CopyPolicy,
        help: "copy the policy JSON (policy view)",
        hint: true,
        when: Some(|app| matches!(app.overlay, Some(Overlay::Policy(_)))),
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('W')],
        label: "W",
        command: Command::WhatIf,
        help: "what-if: detach a policy, disable a statement, drop the boundary or an SCP, on a copy",
        hint: true,
        when: Some(|app| !app.in_session() && app.selected_entity().is_some()),
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('u')],
        label: "u",
        command: Command::UndoWhatIf,
        help: "undo the last what-if change",
        hint: true,
        when: Some(|app| !app.what_if.is_empty()),
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('v')],
        label: "v",
        command: Command::MarkCompare,
        help: "mark the selected user, group or role to compare (again: unmark)",
        hint: false,
        when: Some(|app| app.selected_entity().is_some()),
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('V')],
        label: "V",
        command: Command::Compare,
        help: "compare: what the selection may do that the marked one may not (+), and the reverse (-), by service",
        hint: true,
        when: Some(|app| {
            app.compare_mark
                .as_ref()
                .is_some_and(|m| app.selection().is_some_and(|s| s != m.selection))
        }),
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('d')],
        label: "d",
        command: Command::ToggleDenied,
        help: "denied too: each service's denied actions (✗, by which layer), w on one says why",
        hint: true,
        when: Some(|app| app.browser.focus == Pane::Permissions),
    },
    Binding {
        modes: ALL_MAIN,
        keys: &[ch('m')],
        label: "m",
        command: Command::ToggleMouse,
        help: "mouse on/off (off keeps the terminal's own text selection)",
        hint: false,
        when: None,
    },
    Binding {
        modes: &[Reader],
        keys: &[ch('/')],
        label: "/",
        command: Command::Filter,
        help: "search the help (keys and marks)",
        hint: true,
        when: Some(|app| matches!(app.overlay, Some(Overlay::Help(_) | Overlay::HelpSearch(_)))),
    },
    Binding {
        modes: &[Browse],
        keys: &[ch(':')],
        label: ":",
        command: Command::Palette,
        help: "go to: any user, group, role, policy, action or resource ARN, by name (fuzzy)",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[Palette],
        keys: &[code(KeyCode::Enter)],
        label: "Enter",
        command: Command::Enter,
        help: "go there: select it, open the policy, the why of the action",
        hint: true,
        when: Some(|app| matches!(&app.overlay, Some(Overlay::Palette(p)) if p.selected_entry().is_some())),
    },
    Binding {
        modes: &[Palette],
        keys: &[code(KeyCode::Esc)],
        label: "Esc",
        command: Command::Back,
        help: "close",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[Palette],
        keys: &[code(KeyCode::Down)],
        label: "↓",
        command: Command::Down,
        help: "next match",
        hint: true,
        when: Some(|app| matches!(&app.overlay, Some(Overlay::Palette(p)) if p.selected + 1 < p.hits.len())),
    },
    Binding {
        modes: &[Palette],
        keys: &[code(KeyCode::Up)],
        label: "↑",
        command: Command::Up,
        help: "previous match",
        hint: false,
        when: None,
    },
    Binding {
        modes: &[Palette],
        keys: &[code(KeyCode::Backspace)],
        label: "⌫",
        command: Command::FilterPop,
        help: "delete a letter (letters are text)",
        hint: false,
        when: None,
    },
    Binding {
        modes: &[Browse],
        keys: &[ch('S')],
        label: "S",
        command: Command::SaveDemo,
        help: "save the demo state (selection, context, sessions, clock, tour step) to a file; --restore FILE re-opens it",
        hint: false,
        when: None,
    },
    Binding {
        modes: &[Browse],
        keys: &[ch('e')],
        label: "e",
        command: Command::Export,
        help: "export: the permissions pane (with its +/- diff), to a Markdown or .csv file",
        hint: false,
        when: None,
    },
    Binding {
        modes: &[Reader],
        keys: &[ch('e')],
        label: "e",
        command: Command::Export,
        help: "export: the why view or the comparison, to a Markdown or .csv file",
        hint: true,
        when: Some(exportable_overlay),
    },
    Binding {
        modes: &[Ask],
        keys: &[code(KeyCode::Tab)],
        label: "Tab",
        command: Command::NextField,
        help: "complete with the best match (an action, then a resource ARN)",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[Ask],
        keys: &[code(KeyCode::Enter)],
        label: "Enter",
        command: Command::Apply,
        help: "ask: the why view of the answer (a pattern lists each action it names)",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[Ask],
        keys: &[code(KeyCode::Esc)],
        label: "Esc",
        command: Command::Back,
        help: "close",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[ExportForm],
        keys: &[code(KeyCode::Enter)],
        label: "Enter",
        command: Command::Apply,
        help: "export to this file (.csv: CSV, else Markdown)",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[ExportForm],
        keys: &[code(KeyCode::Esc)],
        label: "Esc",
        command: Command::Back,
        help: "close without exporting",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[SaveForm],
        keys: &[code(KeyCode::Enter)],
        label: "Enter",
        command: Command::Apply,
        help: "save the demo state to this file",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[SaveForm],
        keys: &[code(KeyCode::Esc)],
        label: "Esc",
        command: Command::Back,
        help: "close without saving",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[Browse],
        keys: &[ch('P')],
        label: "P",
        command: Command::Presenter,
        help: "presenter mode on/off: the focused pane zoomed, a larger event log, the context in the header",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[Browse],
        keys: &[ch('T')],
        label: "T",
        command: Command::Theme,
        help: "theme: default, high-contrast, light (remembered in your config directory)",
        hint: false,
        when: None,
    },
    Binding {
        modes: &[Browse, Picker, Problems, Escalations, Path, Reader],
        keys: &[ch('?'), code(KeyCode::F(1))],
        label: "?",
        command: Command::Help,
        help: "help: every key",
        hint: true,
        when: Some(|app| !matches!(app.overlay, Some(Overlay::Help(_)))),
    },
    Binding {
        modes: &[Browse, Reader],
        keys: &[ch('q')],
        label: "q",
        command: Command::Quit,
        help: "quit",
        hint: true,
        when: None,
    },
    Binding {
        modes: &[
            Browse,
            Picker,
            Tours,
            Problems,
            Escalations,
            Path,
            Reader,
            Form,
            Filter,
            ErrorScreen,
            WhatIf,
            Palette,
            SaveForm,
            ExportForm,
            Ask,
        ],
        keys: &[Key(KeyCode::Char('c'), CTRL)],
        label: "C-c",
        command: Command::Quit,
        help: "quit",
        hint: false,
        when: None,
    },
];

/// The why view or a comparison is open: `e` exports it, `y` copies it.
fn exportable_overlay(app: &App) -> bool {
    matches!(
        app.overlay,
        Some(Overlay::Why(_) | Overlay::Comparison { .. })
    )
}

/// The reader has more than fits (a short notice does not scroll).
fn scrollable(app: &App) -> bool {
    match &app.overlay {
        Some(Overlay::Message { text, .. } | Overlay::Comparison { text, .. }) => {
            crate::tui::ui::message::message_max_scroll(text, app.size) > 0
        }
        _ => true,
    }
}

/// Enter opens something where the focus is.
fn can_open(app: &App) -> bool {
    match app.browser.focus {
        Pane::List => app.selected_entity().is_some(),
        Pane::Detail => app
            .panes
            .detail
            .get(usize::from(app.panes.detail_scroll))
            .is_some_and(|l| l.policy().is_some() || matches!(l.kind, LineKind::Escalation(_))),
        Pane::Permissions => match app.panes.perm_rows.get(app.panes.perm_selected) {
            Some(PermRow::Service { .. }) => true,
            Some(PermRow::Action { action, .. }) => !action.grants.is_empty(),
            _ => false,
        },
        Pane::Events => false,
    }
}

/// Esc has something to clear or a place to go back to.
fn can_go_back(app: &App) -> bool {
    app.browser.focus != Pane::List
        || !app.current_list().list.filter().is_empty()
        || !app.panes.perm_filter.is_empty()
}

/// `w` has something to explain where the focus is.
pub fn why_possible(app: &App) -> bool {
    match app.browser.focus {
        Pane::Permissions => matches!(
            app.panes.perm_rows.get(app.panes.perm_selected),
            Some(PermRow::Action { .. } | PermRow::Denied(_))
        ),
        Pane::Detail => matches!(
            app.panes
                .detail
                .get(usize::from(app.panes.detail_scroll))
                .map(|l| &l.kind),
            Some(LineKind::CanAssume { .. })
        ),
        _ => false,
    }
}

/// `w` (or Enter) on the escalation path has a request to explain.
fn step_why_possible(app: &App) -> bool {
    matches!(&app.overlay, Some(Overlay::EscalationPath(p)) if p.why_of_selected().is_some())
}

/// `Y` has a policy to copy where the focus is.
fn policy_at_focus(app: &App) -> bool {
    match app.browser.focus {
        Pane::Detail => app
            .panes
            .detail
            .get(usize::from(app.panes.detail_scroll))
            .is_some_and(|l| l.policy().is_some()),
        _ => matches!(
            app.panes.perm_rows.get(app.panes.perm_selected),
            Some(PermRow::Action { action, .. }) if !action.grants.is_empty()
        ),
    }
}
