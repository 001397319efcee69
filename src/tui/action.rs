//! What can happen, as data. Raw input arrives as a [`Msg`]; `input` turns
//! it into [`Action`]s (keys through the keymap, typed text in filters and
//! forms, mouse clicks); tours, tests and the event loop send the same
//! actions; `update` applies them and returns [`Effect`]s for the loop.

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use super::selection::{Pane, Tab};
use crate::policy::RequestContext;
use crate::workspace::subjects::Subject;

/// Raw input from the terminal.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Real time passed, in milliseconds.
    Tick(i64),
    /// The worker thread's answer to a job (`super::pending`).
    Computed(Box<super::pending::Computed>),
}

/// What the event loop must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Copy(String),
    SetMouse(bool),
    Quit,
    /// Remember the settings (the theme) in the user's config file.
    SaveSettings(super::settings::Settings),
    /// Write the demo state (`text`) to `path`, never inside the workspace.
    SaveDemo {
        path: String,
        text: String,
    },
    /// Write what was on screen (`what`, in words) as `text` to `path`,
    /// never inside the workspace.
    Export {
        path: String,
        text: String,
        what: String,
    },
}

/// A move in whatever has the focus (a list, a pane, an overlay).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    By(isize),
    First,
    Last,
}

/// Editing the filter being typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterEdit {
    /// Opens a filter on the focused list (or the picker's roles).
    Open,
    Push(char),
    Pop,
    /// Enter: keep the filter, stop typing.
    Keep,
    /// Esc: clear it, stop typing.
    Clear,
    /// Sets the whole text at once (a test, a tour).
    Set(String),
}

/// Editing the request-context form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormEdit {
    Push(char),
    Pop,
    NextField,
    PrevField,
    ToggleMfa,
    Apply,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockAction {
    /// Real milliseconds passed: the simulated clock runs at its speed.
    Tick(i64),
    Pause,
    Faster,
    Slower,
    /// Simulated seconds jump ahead.
    Skip(i64),
    /// Until the current session expires.
    UntilExpiry,
    /// To this time (seconds since the epoch), when no session runs:
    /// restoring a saved demo.
    At(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TourAction {
    /// `t`: the only tour, or the chooser.
    Choose,
    /// The workspace's tour with this index.
    Start(usize),
    Next,
    Back,
    Leave,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyWhat {
    Arn,
    Policy,
}

/// Whose request `Explain` weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// The identity in force: the top session, or the selection.
    Acting,
    /// The selected user (a detail line about what it may do).
    Selection,
}

/// Which of the selection's policies to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyPick {
    Trust,
    Named(String),
}

/// Everything the user, a tour or a test can ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Quit,
    Resize(u16, u16),
    Clock(ClockAction),
    Help,
    ToggleMouse,
    /// A notice over the screen (load problems).
    Notice {
        title: String,
        text: String,
    },
    ShowTab(Tab),
    Focus(Pane),
    FocusNext,
    FocusPrev,
    /// Selects a user, group or role by name.
    Select {
        tab: Tab,
        name: String,
    },
    /// Moves in the focused pane or overlay.
    Move(Move),
    /// The row `row` (from the top of what is shown) of `pane` was clicked.
    Click {
        pane: Pane,
        row: usize,
    },
    /// The wheel over `pane`.
    Scroll {
        pane: Pane,
        delta: isize,
    },
    /// Enter: open what the focus is on.
    Open,
    /// Esc: close, clear, go back.
    Back,
    Filter(FilterEdit),
    OpenPicker,
    CycleDuration,
    /// Assumes `role_arn` from the acting identity; `duration` `None` asks
    /// for STS's default (one hour), `Some(0)` for the longest allowed.
    StartSession {
        role_arn: String,
        duration: Option<u32>,
    },
    EndSession,
    OpenContextForm,
    /// `a`: the ask line.
    OpenAsk,
    /// `E`: every principal that can become admin.
    OpenEscalations,
    /// The escalation path of a user or role (its ARN): its steps as rows,
    /// each one key away from its why.
    OpenEscalationPath(String),
    /// The why of a request an escalation step makes: `principal` (a user
    /// or role ARN) asking it exactly as the search did, over the path
    /// (Esc comes back to it).
    ExplainStep {
        principal: String,
        request: crate::escalation::StepRequest,
    },
    /// Every catalog action `pattern` names, asked on `resource` by the
    /// acting identity: one line each, allowed or denied and by what.
    AskMany {
        pattern: String,
        resource: String,
    },
    Form(FormEdit),
    SetContext(RequestContext),
    /// `w`: explains what the focus is on.
    Why,
    /// `d`: lists the denied actions of each service too, or stops.
    ToggleDenied,
    /// `W`: the what-if menu for the selection.
    OpenWhatIf,
    /// Makes a what-if change on an in-memory copy of the workspace.
    WhatIf(crate::what_if::Change),
    /// `u`: undoes the last what-if change.
    UndoWhatIf,
    /// `v`: marks the selection for comparing (or unmarks it).
    MarkCompare,
    /// `V`: the diff, by service, from the marked principal to the selected one.
    Compare,
    Explain {
        action: String,
        resource: String,
        who: Who,
    },
    OpenPolicy(PolicyPick),
    Tour(TourAction),
    Copy(CopyWhat),
    /// `!`: the list of the workspace's problems.
    OpenProblems,
    /// Shows what a problem sits in: selects the user, group or role (for a
    /// managed policy, an entity it is attached to, and opens the policy).
    GoTo(Subject),
    /// `P`: presenter mode on/off (one pane zoomed, larger event log, the
    /// request context in the header).
    TogglePresenter,
    /// `S`: the form naming the file the demo state is saved to.
    OpenSaveDemo,
    /// Saves the demo state (selection, context, sessions, clock, tour
    /// step) to `path`.
    SaveDemo {
        path: String,
    },
    /// `e`: the form naming the file what is on screen is exported to (the
    /// why view, the comparison, else the permissions pane).
    OpenExport,
    /// Exports what the export form holds to `path`: CSV for `.csv`, else
    /// Markdown.
    Export {
        path: String,
    },
    /// A line for the event log.
    Note(String),
    /// `:`: the command palette, to go to anything by name.
    OpenPalette,
    /// A resource of the workspace: its resource-based policy, or who owns it.
    OpenResource(String),
    /// `T`: the next theme (default, high-contrast, light), remembered.
    CycleTheme,
    /// A one-line warning for the event log (a config file that cannot be
    /// read or written).
    Warn(String),
    /// The slow answers for the screen, from the worker thread: shown
    /// unless the screen has moved on since they were asked for.
    Computed(Box<super::pending::Computed>),
}
