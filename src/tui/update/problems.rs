//! The list of the workspace's problems (`!`) and going to what a problem
//! sits in.

use super::ask::fail;
use crate::tui::app::{App, Dirty, Pane, Tab};
use crate::tui::filter_list::FilterList;
use crate::tui::overlay::{Overlay, ProblemRow, ProblemsView};
use crate::tui::views::policy;
use crate::workspace::subjects::Subject;

/// Opens the list of problems, errors first.
pub(super) fn open(app: &mut App) {
    let rows: Vec<ProblemRow> = app
        .problems
        .entries()
        .into_iter()
        .map(|entry| {
            let d = entry.diagnostic;
            let place = match d.position {
                Some(p) => format!("{}:{}:{}", d.file, p.line, p.column),
                None => d.file.clone(),
            };
            let message = if entry.count > 1 {
                format!("{} ({} places like this)", d.message, entry.count)
            } else {
                d.message.clone()
            };
            ProblemRow {
                error: d.severity == crate::policy::Severity::Error,
                place,
                message,
                subject: entry.subject.clone(),
            }
        })
        .collect();
    if rows.is_empty() {
        app.flash("the workspace loaded without a problem");
        return;
    }
    let labels = rows
        .iter()
        .map(|r| format!("{} {} {}", r.place, r.subject.describe(), r.message))
        .collect();
    app.overlay = Some(Overlay::Problems(ProblemsView {
        rows,
        errors: app.problems.errors(),
        warnings: app.problems.warnings(),
        list: FilterList::new(labels),
    }));
}

/// Selects what `subject` names; for a managed policy, the first user,
/// group or role it is attached to, then opens the policy.
pub(super) fn go_to(app: &mut App, subject: &Subject) {
    let found = match subject {
        Subject::User { account, name } => {
            entity(app, Tab::Users, account, |a, i| &a.users[i].name == name)
        }
        Subject::Group { account, name } => {
            entity(app, Tab::Groups, account, |a, i| &a.groups[i].name == name)
        }
        Subject::Role { account, name } => {
            entity(app, Tab::Roles, account, |a, i| &a.roles[i].name == name)
        }
        Subject::ManagedPolicy { account, arn } => return go_to_policy(app, account, arn),
        other => {
            return fail(
                app,
                format!(
                    "this problem is in {}: no user, group or role to show",
                    crate::text::clean(&other.describe())
                ),
            )
        }
    };
    match found {
        Some((tab, item)) => show(app, tab, item),
        None => fail(app, format!("{} is not in the lists", subject.describe())),
    }
}

/// The row of the entity of `tab` in `account` that `matches`.
fn entity(
    app: &App,
    tab: Tab,
    account: &str,
    matches: impl Fn(&crate::model::Account, usize) -> bool,
) -> Option<(Tab, usize)> {
    let list = &app.browser.lists[tab.index()];
    list.entities
        .iter()
        .position(|e| {
            app.workspace
                .accounts
                .get(e.account)
                .is_some_and(|a| a.id == account && matches(a, e.index))
        })
        .map(|item| (tab, item))
}

fn show(app: &mut App, tab: Tab, item: usize) {
    app.browser.tab = tab;
    app.browser.focus = Pane::List;
    app.browser.filtering = None;
    let list = &mut app.current_list_mut().list;
    list.set_filter("");
    list.select_item(item);
    app.refresh(Dirty::SELECTION);
}

fn go_to_policy(app: &mut App, account: &str, arn: &str) {
    let holder = [Tab::Users, Tab::Groups, Tab::Roles]
        .into_iter()
        .find_map(|tab| {
            entity(app, tab, account, |a, i| match tab {
                Tab::Users => a.users[i].attached.iter().any(|p| p == arn),
                Tab::Groups => a.groups[i].attached.iter().any(|p| p == arn),
                Tab::Roles => a.roles[i].attached.iter().any(|p| p == arn),
            })
        });
    if let Some((tab, item)) = holder {
        show(app, tab, item);
    }
    let document = app
        .workspace
        .account(account)
        .and_then(|a| a.policies.get(arn))
        .and_then(|p| {
            p.default_document()
                .or_else(|| p.versions.first().map(|v| &v.document))
        })
        .cloned();
    match document {
        Some(doc) => app.overlay = Some(Overlay::Policy(policy::view(&app.workspace, &doc, None))),
        None => fail(app, format!("the policy {arn} has no version to show")),
    }
}

/// A resource: its resource-based policy in the viewer; without one, who
/// owns it and how to ask about it. Without a resource-based policy only
/// identity-based policies of the owner's account can allow a request, and a
/// principal of another account is denied ("Cross-account policy evaluation
/// logic", docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
pub(super) fn go_to_resource(app: &mut App, arn: &str) {
    let ws = app.workspace.clone();
    if let Some(found) = ws.resource_policies.iter().find(|r| r.arn == arn) {
        app.overlay = Some(Overlay::Policy(policy::view(&ws, &found.document, None)));
        return;
    }
    match ws.resource_owners.iter().find(|o| o.arn == arn) {
        Some(owner) => {
            app.overlay = Some(Overlay::Message {
                title: crate::text::clean(arn).into_owned(),
                text: format!(
                    "Owned by {}. The workspace has no resource-based policy for it: only \
                     the identity-based policies of principals in that account can allow \
                     a request on it (within SCPs, RCPs and boundaries); another account's \
                     principals are denied.\n\nAsk about it with a: an action, a space, then this ARN \
                     (Tab completes it).",
                    crate::tui::views::account_label(&ws, &owner.account)
                ),
                scroll: 0,
            });
        }
        None => fail(app, format!("{arn} is not in the workspace")),
    }
}
