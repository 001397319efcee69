//! The main screen's actions: tabs, focus, moves, clicks, filters, opening
//! what the focus is on, the clock.

use super::ask::{explain, fail, open_picker, set_context, start_session, why};
use crate::tui::action::PolicyPick;
use crate::tui::action::{Action, ClockAction, FilterEdit, Move};
use crate::tui::app::{App, Dirty, FilterTarget, Pane, Tab, ANIMATION_MS};
use crate::tui::overlay::{form_from, EscalationPath, Overlay};
use crate::tui::views::detail::LineKind;
use crate::tui::views::permissions::PermRow;
use crate::tui::views::policy;

pub(super) fn main_screen(app: &mut App, action: Action) {
    match action {
        Action::ShowTab(tab) => {
            app.browser.tab = tab;
            app.browser.focus = Pane::List;
            app.refresh(Dirty::SELECTION);
        }
        Action::Focus(pane) => app.browser.focus = pane,
        Action::FocusNext | Action::FocusPrev => {
            let i = Pane::ORDER
                .iter()
                .position(|p| *p == app.browser.focus)
                .unwrap_or(0);
            let n = Pane::ORDER.len();
            let next = if action == Action::FocusNext {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            app.browser.focus = Pane::ORDER[next];
        }
        Action::Select { tab, name } => select(app, tab, &name),
        Action::Move(m) => move_focused(app, m),
        Action::Click { pane, row } => click(app, pane, row),
        Action::Scroll { pane, delta } => {
            let previous = app.browser.focus;
            app.browser.focus = pane;
            move_focused(app, Move::By(delta));
            app.browser.focus = previous;
        }
        Action::Open => open(app),
        Action::Back => {
            if app.browser.focus == Pane::Permissions && !app.panes.perm_filter.is_empty() {
                app.panes.perm_filter.clear();
                app.refresh(Dirty::PERMISSIONS);
            } else if !app.current_list().list.filter().is_empty() {
                app.current_list_mut().list.set_filter("");
                app.refresh(Dirty::SELECTION);
            } else {
                app.browser.focus = Pane::List;
            }
        }
        Action::Filter(edit) => filter(app, edit),
        Action::OpenPicker => open_picker(app),
        Action::StartSession { role_arn, duration } => start_session(app, &role_arn, duration),
        Action::EndSession => match app.session.stack.end(app.now()).cloned() {
            Some(event) => app.on_session_event(&event),
            None => fail(app, "no session to end: you act with your own credentials"),
        },
        Action::OpenContextForm => {
            app.overlay = Some(Overlay::Context(form_from(&app.session.context)))
        }
        Action::OpenAsk => super::ask::open_ask(app),
        Action::OpenEscalations => super::escalation::open_list(app),
        Action::OpenEscalationPath(arn) => super::escalation::open_path(app, &arn),
        Action::ExplainStep { principal, request } => {
            super::escalation::explain_step(app, &principal, &request)
        }
        Action::OpenSaveDemo => {
            app.overlay = Some(Overlay::SaveDemo(Default::default()));
        }
        Action::OpenPalette => {
            let entries = crate::tui::palette::entries(&app.workspace);
            app.overlay = Some(Overlay::Palette(crate::tui::palette::Palette::new(entries)));
        }
        Action::AskMany { pattern, resource } => super::ask::ask_many(app, &pattern, &resource),
        Action::SetContext(context) => set_context(app, context),
        Action::Why => why(app),
        Action::OpenWhatIf => super::what_if::open_menu(app),
        Action::WhatIf(change) => super::what_if::make(app, change),
        Action::UndoWhatIf => super::what_if::undo(app),
        Action::MarkCompare => super::compare::mark(app),
        Action::Compare => super::compare::compare(app),
        Action::ToggleDenied => {
            app.panes.show_denied = !app.panes.show_denied;
            app.refresh(crate::tui::app::Dirty::PERMISSIONS);
            app.flash(if app.panes.show_denied {
                "denied actions shown (✗, with the deciding layer): open a service, w on one says why"
            } else {
                "only allowed actions shown"
            });
        }
        Action::Explain {
            action,
            resource,
            who,
        } => explain(app, &action, &resource, who),
        Action::OpenPolicy(pick) => open_policy(app, &pick),
        Action::Clock(c) => clock(app, c),
        Action::OpenProblems => super::problems::open(app),
        Action::GoTo(subject) => super::problems::go_to(app, &subject),
        Action::OpenResource(arn) => super::problems::go_to_resource(app, &arn),
        // Handled above, or only meaningful in an overlay.
        Action::Quit
        | Action::Resize(..)
        | Action::Notice { .. }
        | Action::Help
        | Action::ToggleMouse
        | Action::Tour(_)
        | Action::Copy(_)
        | Action::CycleDuration
        | Action::TogglePresenter
        | Action::CycleTheme
        | Action::Warn(_)
        | Action::Computed(_)
        | Action::Note(_)
        | Action::SaveDemo { .. }
        | Action::OpenExport
        | Action::Export { .. }
        | Action::Form(_) => {}
    }
}

pub(super) fn on_tick(app: &mut App, elapsed: i64) {
    app.timeline.real_ms += elapsed.max(0);
    app.session.clock.advance(elapsed);
    after_clock(app);
    if app
        .timeline
        .status
        .as_ref()
        .is_some_and(|s| app.timeline.real_ms >= s.until_ms)
    {
        app.timeline.status = None;
    }
}

/// What the clock moving brings: sessions expiring, animations ending.
fn after_clock(app: &mut App) {
    let now = app.now();
    for event in app.session.stack.tick(now) {
        app.on_session_event(&event);
    }
    if app
        .panes
        .animation
        .as_ref()
        .is_some_and(|a| app.timeline.real_ms - a.started_ms >= ANIMATION_MS)
    {
        app.panes.animation = None;
        app.refresh(Dirty::PERMISSIONS);
    }
}

fn clock(app: &mut App, action: ClockAction) {
    match action {
        ClockAction::Tick(ms) => on_tick(app, ms),
        ClockAction::Pause => {
            app.session.clock.toggle_pause();
            app.flash(if app.session.clock.is_paused() {
                "clock paused"
            } else {
                "clock running"
            });
        }
        ClockAction::Faster => {
            app.session.clock.faster();
            app.flash(format!("clock ×{}", app.session.clock.speed()));
        }
        ClockAction::Slower => {
            app.session.clock.slower();
            app.flash(format!("clock ×{}", app.session.clock.speed()));
        }
        ClockAction::Skip(seconds) => {
            app.session.clock.skip(seconds.max(0));
            after_clock(app);
            app.flash(format!(
                "clock +{}",
                crate::tui::ui::text::format_duration(seconds)
            ));
        }
        ClockAction::At(epoch) => {
            if app.in_session() {
                fail(app, "the clock can be set only when no session runs");
                return;
            }
            app.session.clock.set(epoch);
            app.refresh(Dirty::DETAIL);
        }
        ClockAction::UntilExpiry => {
            let Some(left) = app
                .session
                .stack
                .current_session()
                .map(|s| s.remaining(app.now()))
            else {
                fail(
                    app,
                    "no session to wait for: the clock needs a session to expire",
                );
                return;
            };
            app.session.clock.skip(left);
            after_clock(app);
        }
    }
}

/// Selects the user, group or role named `name` on `tab`.
fn select(app: &mut App, tab: Tab, name: &str) {
    app.browser.tab = tab;
    app.browser.focus = Pane::List;
    app.browser.filtering = None;
    let list = &mut app.current_list_mut().list;
    list.set_filter("");
    let wanted = crate::text::clean(name);
    match (0..list.len()).find(|&i| list.label(i) == wanted) {
        Some(index) => {
            list.select_item(index);
            app.refresh(Dirty::SELECTION);
        }
        None => {
            app.refresh(Dirty::SELECTION);
            fail(app, format!("no {} named \"{name}\"", tab.noun()));
        }
    }
}

fn move_focused(app: &mut App, m: Move) {
    match app.browser.focus {
        Pane::List => {
            let list = &mut app.current_list_mut().list;
            match m {
                Move::By(d) => list.move_by(d),
                Move::First => list.select_first(),
                Move::Last => list.select_last(),
            }
            app.refresh(Dirty::SELECTION);
        }
        Pane::Detail => {
            let last = app.panes.detail.len().saturating_sub(1);
            app.panes.detail_scroll = moved(usize::from(app.panes.detail_scroll), m, last) as u16;
        }
        Pane::Permissions => {
            let last = app.panes.perm_rows.len().saturating_sub(1);
            app.panes.perm_selected = moved(app.panes.perm_selected, m, last);
        }
        Pane::Events => {
            // The log shows the newest line at the bottom: down is newer.
            let last = app.timeline.log.len().saturating_sub(1);
            let m = match m {
                Move::By(d) => Move::By(-d),
                Move::First => Move::Last,
                Move::Last => Move::First,
            };
            app.timeline.log_scroll = moved(app.timeline.log_scroll, m, last);
        }
    }
}

fn moved(at: usize, m: Move, last: usize) -> usize {
    match m {
        Move::By(d) => (at as isize).saturating_add(d).clamp(0, last as isize) as usize,
        Move::First => 0,
        Move::Last => last,
    }
}

fn click(app: &mut App, pane: Pane, row: usize) {
    match pane {
        Pane::List => {
            app.current_list_mut().list.select_row(row);
            app.refresh(Dirty::SELECTION);
        }
        Pane::Permissions => {
            app.panes.perm_selected = row.min(app.panes.perm_rows.len().saturating_sub(1));
        }
        Pane::Detail => {
            app.panes.detail_scroll = row.min(app.panes.detail.len().saturating_sub(1)) as u16;
        }
        Pane::Events => {}
    }
}

fn filter(app: &mut App, edit: FilterEdit) {
    if edit == FilterEdit::Open {
        app.browser.filtering = Some(if app.browser.focus == Pane::Permissions {
            FilterTarget::Permissions
        } else {
            app.browser.focus = Pane::List;
            FilterTarget::List
        });
        return;
    }
    let Some(target) = app.browser.filtering else {
        return;
    };
    let mut text = match target {
        FilterTarget::List => app.current_list().list.filter().to_string(),
        FilterTarget::Permissions => app.panes.perm_filter.clone(),
    };
    match edit {
        FilterEdit::Push(c) => text.push(c),
        FilterEdit::Pop => {
            text.pop();
        }
        FilterEdit::Set(t) => text = t,
        FilterEdit::Keep => {
            app.browser.filtering = None;
            return;
        }
        FilterEdit::Clear => {
            text.clear();
            app.browser.filtering = None;
        }
        FilterEdit::Open => {}
    }
    match target {
        FilterTarget::List => {
            app.current_list_mut().list.set_filter(&text);
            app.refresh(Dirty::SELECTION);
        }
        FilterTarget::Permissions => {
            app.panes.perm_filter = text;
            app.panes.perm_selected = 0;
            app.refresh(Dirty::PERMISSIONS);
            // Land on the first action rather than a service header.
            if let Some(i) = app
                .panes
                .perm_rows
                .iter()
                .position(|r| matches!(r, PermRow::Action { .. }))
            {
                app.panes.perm_selected = i;
            }
        }
    }
}

fn open(app: &mut App) {
    match app.browser.focus {
        Pane::List => app.browser.focus = Pane::Permissions,
        Pane::Detail => {
            let line = app.panes.detail.get(usize::from(app.panes.detail_scroll));
            if let Some(LineKind::Escalation(found)) = line.map(|l| &l.kind) {
                let path = EscalationPath::new((**found).clone());
                app.overlay = Some(Overlay::EscalationPath(path));
                return;
            }
            let policy = line.and_then(|l| l.policy().cloned());
            match policy {
                Some(policy) => {
                    app.overlay = Some(Overlay::Policy(policy::view(&app.workspace, &policy, None)))
                }
                None => app.flash("this line has no policy to open"),
            }
        }
        Pane::Permissions => match app.panes.perm_rows.get(app.panes.perm_selected).cloned() {
            Some(PermRow::Service {
                prefix, expanded, ..
            }) => {
                if expanded {
                    app.panes.expanded.remove(&prefix);
                } else {
                    app.panes.expanded.insert(prefix);
                }
                app.refresh(Dirty::PERMISSIONS);
            }
            Some(PermRow::Action { action, .. }) => open_grant(app, &action),
            Some(PermRow::MoreLost { .. } | PermRow::Denied(_)) | None => {}
        },
        Pane::Events => {}
    }
}

/// Opens the policy behind an action's first grant, its statement marked.
fn open_grant(app: &mut App, action: &crate::eval::effective::EffectiveAction) {
    let Some(grant) = action.grants.first() else {
        return;
    };
    let found = app
        .session
        .stack
        .acting()
        .identity_policies
        .iter()
        .find(|p| p.origin.name == grant.source.policy && *p.origin.file == *grant.source.file)
        .cloned();
    match found {
        Some(p) => {
            let view = policy::view(&app.workspace, &p, Some(grant.source.statement_index));
            app.overlay = Some(Overlay::Policy(view));
        }
        None => app.flash(format!("{} has no document to show", grant.source.policy)),
    }
}

/// Opens a policy of the selection, found by what its detail line is.
fn open_policy(app: &mut App, pick: &PolicyPick) {
    let found = app.panes.detail.iter().find_map(|l| match (&l.kind, pick) {
        (LineKind::Trust(p), PolicyPick::Trust) => Some(p.clone()),
        (LineKind::Policy(p), PolicyPick::Named(name)) => (p.origin.name == *name
            || p.origin
                .arn
                .as_deref()
                .is_some_and(|a| a.rsplit('/').next() == Some(name)))
        .then(|| p.clone()),
        _ => None,
    });
    match found {
        Some(p) => {
            app.overlay = Some(Overlay::Policy(policy::view(&app.workspace, &p, None)));
        }
        None => {
            let name = match pick {
                PolicyPick::Trust => "trust",
                PolicyPick::Named(n) => n.as_str(),
            };
            fail(
                app,
                format!("the selection has no policy named \"{name}\" on screen"),
            );
        }
    }
}
