//! Escalation in the UI (issue 14): the `E` list of who can become admin,
//! one principal's path, and the why of a step's request.

use super::ask::{fail, show_why};
use crate::escalation::{escalation, Escalates, PrincipalEscalation, StepRequest};
use crate::eval::{Outcome, Principal, Request};
use crate::tui::app::{Answer, App};
use crate::tui::filter_list::FilterList;
use crate::tui::overlay::{EscalationPath, EscalationsView, Overlay};

/// `E`: every user and role that is admin or can become admin, riskiest
/// first (admins, then short sure paths, then conditional ones).
pub(super) fn open_list(app: &mut App) {
    let mut report = escalation(&app.workspace, &app.session.context, app.now(), None);
    report.principals.sort_by_key(|p| p.risk_order());
    let asked = report.principals.len();
    let rows: Vec<PrincipalEscalation> = report
        .principals
        .into_iter()
        .filter(|p| p.admin || p.escalates != Escalates::No)
        .collect();
    let list = FilterList::new(rows.iter().map(|p| p.name.clone()).collect());
    app.overlay = Some(Overlay::Escalations(EscalationsView { rows, asked, list }));
}

/// Opens the path of the user or role `arn`, and remembers whether it
/// escalates (a tour step checks it).
pub(super) fn open_path(app: &mut App, arn: &str) {
    let report = escalation(&app.workspace, &app.session.context, app.now(), Some(arn));
    let Some(found) = report.principals.into_iter().next() else {
        fail(app, format!("{arn} is not a user or role of the workspace"));
        return;
    };
    app.last_answer = Some(answer(&found));
    app.overlay = Some(Overlay::EscalationPath(EscalationPath::new(found)));
}

/// "can erin become admin": the answer a tour step reads back.
fn answer(found: &PrincipalEscalation) -> Answer {
    let steps = found.paths.first().map_or(0, |p| p.steps.len());
    let verdict = if found.admin {
        "admin-equivalent"
    } else {
        found.escalates.as_str()
    };
    Answer {
        question: format!("can {} become admin", found.name),
        outcome: if found.admin || found.escalates != Escalates::No {
            Outcome::Allow
        } else {
            Outcome::ImplicitDeny
        },
        detail: format!(
            "escalation of {}: {verdict} ({steps} step{})",
            found.name,
            if steps == 1 { "" } else { "s" }
        ),
    }
}

/// The why of a step's request, asked by the step's principal exactly as
/// the search asked it (its context carries the call's own keys), over
/// the path it came from.
pub(super) fn explain_step(app: &mut App, principal: &str, request: &StepRequest) {
    let who = match Principal::lookup(&app.workspace, principal) {
        Ok(p) => p,
        Err(e) => {
            fail(app, format!("{principal}: {e}"));
            return;
        }
    };
    let request = Request {
        action: request.action.clone(),
        resource: request.resource.clone(),
        context: request.context.clone(),
        now_epoch: app.now(),
    };
    let back = app.overlay.take().map(Box::new);
    show_why(app, &who, &request, back);
}
