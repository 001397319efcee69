//! Comparing two principals in the UI: `v` marks the selection, `V` shows
//! what the selection may do that the marked one may not, and the reverse,
//! by service, as a session start's diff shows it.

use super::ask::fail;
use crate::eval::effective::{diff, effective_permissions};
use crate::tui::app::{App, CompareMark};
use crate::tui::overlay::Overlay;

/// `v`: marks the selection (again on the marked one: unmarks it).
pub(super) fn mark(app: &mut App) {
    let (Some(selection), Some(name)) = (app.selection(), app.selected_name()) else {
        fail(app, "select a user, group or role to mark it");
        return;
    };
    let name = name.to_string();
    if app
        .compare_mark
        .as_ref()
        .is_some_and(|m| m.selection == selection)
    {
        app.compare_mark = None;
        app.flash(format!("{name} unmarked"));
        return;
    }
    app.flash(format!(
        "{name} marked: select another user, group or role, then V compares"
    ));
    app.compare_mark = Some(CompareMark { selection, name });
}

/// `V`: the marked principal → the selected one.
pub(super) fn compare(app: &mut App) {
    let Some(mark) = app.compare_mark.clone() else {
        fail(app, "mark a principal with v first");
        return;
    };
    let (Some(selection), Some(to)) = (app.selection(), app.selected_principal()) else {
        fail(app, "select the principal to compare with");
        return;
    };
    if selection == mark.selection {
        fail(
            app,
            format!("{} is the one marked: select another", mark.name),
        );
        return;
    }
    let Some(from) = app.principal_of(mark.selection) else {
        fail(app, format!("{} is no longer in the workspace", mark.name));
        return;
    };
    let to_name = app.selected_name().unwrap_or_default().to_string();
    let (context, now) = (app.session.context.clone(), app.now());
    let before = effective_permissions(&app.workspace, &from, &context, now);
    let after = effective_permissions(&app.workspace, &to, &context, now);
    let change = diff(&before, &after);
    app.log(format!(
        "compared {} → {to_name}  +{} -{}",
        mark.name,
        change.gained.len(),
        change.lost.len()
    ));
    app.overlay = Some(Overlay::Comparison {
        title: format!("{} → {to_name}", mark.name),
        text: crate::tui::views::compare::text(&mark.name, &to_name, &change),
        scroll: 0,
        export: crate::tui::views::export::comparison(&mark.name, &to_name, &change),
    });
}
