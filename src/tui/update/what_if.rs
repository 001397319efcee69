//! What-if in the UI: the menu of changes the selection allows (`W`), a
//! change made on an in-memory copy of the workspace, and `u` to undo. The
//! permissions pane animates what the acting identity gains and loses, as a
//! session start does, and the event log records each change.

use std::sync::Arc;

use super::ask::fail;
use crate::eval::effective::diff;
use crate::tui::app::{Answer, App, Pane, WhatIfStep};
use crate::tui::filter_list::FilterList;
use crate::tui::overlay::{Overlay, WhatIfMenu};
use crate::tui::views::detail::LineKind;
use crate::what_if::{apply, Change};

/// Why what-if waits for the session to end: the change is made to the
/// selection, and a session's permissions were fixed when it started.
const END_SESSION_FIRST: &str =
    "what-if changes the selection's policies: end the session first (x)";

/// `W`: the changes the selection allows, and the organization's SCPs.
pub(super) fn open_menu(app: &mut App) {
    if app.in_session() {
        fail(app, END_SESSION_FIRST);
        return;
    }
    let choices =
        crate::tui::views::what_if::choices(&app.workspace, app.browser.tab, app.selected_entity());
    if choices.is_empty() {
        fail(app, "nothing to change here: select a user, group or role");
        return;
    }
    let mut list = FilterList::new(choices.iter().map(|c| c.label.clone()).collect());
    // On a detail line naming a policy, start on that policy's detach.
    if let Some(name) = focused_policy(app) {
        if let Some(i) = choices.iter().position(
            |c| matches!(&c.change, Change::DetachPolicy { policy, .. } if *policy == name),
        ) {
            list.select_item(i);
        }
    }
    app.overlay = Some(Overlay::WhatIf(WhatIfMenu { choices, list }));
}

fn focused_policy(app: &App) -> Option<String> {
    if app.browser.focus != Pane::Detail {
        return None;
    }
    match &app
        .panes
        .detail
        .get(usize::from(app.panes.detail_scroll))?
        .kind
    {
        LineKind::Policy(p) => Some(p.origin.name.clone()),
        _ => None,
    }
}

/// Makes `change` on a copy of the workspace and shows what it did.
pub(super) fn make(app: &mut App, change: Change) {
    if app.in_session() {
        fail(app, END_SESSION_FIRST);
        return;
    }
    let changed = match apply(&app.workspace, &change) {
        Ok(changed) => changed,
        Err(e) => {
            fail(app, format!("what-if: {e}"));
            return;
        }
    };
    let before = std::mem::replace(&mut app.workspace, Arc::new(changed));
    let text = change.describe();
    app.what_if.push(WhatIfStep { change, before });
    let (gained, lost) = recompute(app);
    let detail = format!("what-if: {text}  +{gained} -{lost}");
    app.log(detail.clone());
    app.last_answer = Some(Answer {
        question: text,
        outcome: crate::eval::Outcome::Allow,
        detail,
    });
    app.browser.focus = Pane::Permissions;
}

/// `u`: undoes the last what-if change.
pub(super) fn undo(app: &mut App) {
    let Some(step) = app.what_if.pop() else {
        fail(app, "no what-if change to undo");
        return;
    };
    app.workspace = step.before;
    let (gained, lost) = recompute(app);
    app.log(format!(
        "what-if undone: {}  +{gained} -{lost}",
        step.change.describe()
    ));
    if app.what_if.is_empty() {
        app.flash("what-if off: the workspace as loaded");
    }
}

/// The acting identity again from the changed workspace; the diff animated.
fn recompute(app: &mut App) -> (usize, usize) {
    let before = app.session.stack.permissions().clone();
    app.rebuild_acting();
    let change = diff(&before, app.session.stack.permissions());
    app.show_diff(None, &change);
    (change.gained.len(), change.lost.len())
}
