//! The actions that ask the engine something: why (an evaluation), a
//! switch of role (STS), the request context, the role picker, copying.

use crate::eval::footprint::footprint;
use crate::eval::{evaluate, Outcome, Request};
use crate::policy::RequestContext;
use crate::sts::assume::{longest_duration, session_name_for};
use crate::sts::{assumability, AssumeRequest};
use crate::tui::action::{CopyWhat, Effect, Who};
use crate::tui::app::{Answer, App, Dirty, Pane, Tab};
use crate::tui::filter_list::FilterList;
use crate::tui::overlay::{Overlay, Picker, PickerRole, WhyView};
use crate::tui::views::account_label;
use crate::tui::views::detail::LineKind;
use crate::tui::views::permissions::PermRow;

/// Shows `text` in the footer and remembers it as the last failure (a tour
/// step reads it back).
pub(super) fn fail(app: &mut App, text: impl Into<String>) {
    let text = text.into();
    app.last_error = Some(text.clone());
    app.flash(text);
}

fn selected_action(app: &App) -> Option<&crate::eval::effective::EffectiveAction> {
    match app.panes.perm_rows.get(app.panes.perm_selected) {
        Some(PermRow::Action { action, .. }) => Some(action),
        _ => None,
    }
}

/// `w`: explains what the focus is on. In the permissions pane, the selected
/// action on the first resource it is granted on (`*` when that is a
/// pattern the request cannot name); on a detail line "✓/✗ Role",
/// sts:AssumeRole on that role by the selection.
pub(super) fn why(app: &mut App) {
    match app.browser.focus {
        Pane::Permissions => {
            if let Some(PermRow::Denied(denied)) = app.panes.perm_rows.get(app.panes.perm_selected)
            {
                // The same question the row was answered with: on any resource.
                let action = denied.action.clone();
                explain(app, &action, "*", Who::Acting);
                return;
            }
            let Some(action) = selected_action(app).cloned() else {
                app.flash("select an action (a row under a service), then w");
                return;
            };
            let resource = action
                .grants
                .iter()
                .find(|g| !g.not_resource)
                .and_then(|g| g.resources.first())
                .cloned()
                .unwrap_or_else(|| "*".to_string());
            explain(app, &action.action, &resource, Who::Acting);
            if let Some(Overlay::Why(view)) = &mut app.overlay {
                view.listed_conditions = action.conditions.clone();
            }
        }
        Pane::Detail => {
            match app
                .panes
                .detail
                .get(usize::from(app.panes.detail_scroll))
                .map(|l| l.kind.clone())
            {
                Some(LineKind::CanAssume { role_arn }) => {
                    explain(app, "sts:AssumeRole", &role_arn, Who::Selection)
                }
                _ => app.flash("w explains a ✓/✗ role line here, or an action (Tab to it)"),
            }
        }
        Pane::List | Pane::Events => {
            app.flash("select an action in the permissions pane (Tab to it), then w")
        }
    }
}

/// Opens the "why" view for `action` on `resource`, asked by `who`.
pub(super) fn explain(app: &mut App, action: &str, resource: &str, who: Who) {
    let selection = match who {
        Who::Selection => app.selected_principal(),
        Who::Acting => None,
    };
    let principal = selection
        .as_ref()
        .unwrap_or_else(|| app.session.stack.acting())
        .clone();
    let request = Request {
        action: action.to_string(),
        resource: resource.to_string(),
        context: app.session.context.clone(),
        now_epoch: app.now(),
    };
    show_why(app, &principal, &request, None);
}

/// Evaluates `request` of `principal`, remembers the answer (a tour step
/// reads it back) and shows the why view, over `back` if given.
pub(super) fn show_why(
    app: &mut App,
    principal: &crate::eval::Principal,
    request: &Request,
    back: Option<Box<Overlay>>,
) {
    let decision = evaluate(&app.workspace, principal, request);
    let (action, resource) = (&request.action, &request.resource);
    app.last_answer = Some(Answer {
        question: format!("{action} on {resource}"),
        outcome: decision.decision,
        detail: format!("{action}: {:?}", decision.decision),
    });
    let caveats = if app.problems.is_empty() {
        Vec::new()
    } else {
        app.problems
            .caveats(&footprint(&app.workspace, principal, Some(resource)))
    };
    app.overlay = Some(Overlay::Why(WhyView {
        decision,
        caveats,
        listed_conditions: Vec::new(),
        scroll: 0,
        back,
    }));
}

/// Opens the switch-role picker, each role marked assumable or not.
pub(super) fn open_picker(app: &mut App) {
    let now = app.now();
    let acting = app.session.stack.acting().clone();
    let mut roles = Vec::new();
    for account in &app.workspace.accounts {
        for role in account.roles.iter().filter(|r| !r.is_service_linked()) {
            let answer = assumability(&app.workspace, &acting, role, &app.session.context, now);
            roles.push(PickerRole {
                arn: role.arn.clone(),
                name: role.name.clone(),
                account: account_label(&app.workspace, &account.id),
                assumable: answer.allowed,
                reason: answer.reason,
            });
        }
    }
    if roles.is_empty() {
        app.flash("the workspace has no role to switch to");
        return;
    }
    let list = FilterList::new(roles.iter().map(|r| r.name.clone()).collect());
    let mut picker = Picker {
        roles,
        list,
        filtering: false,
        duration: 0,
    };
    if let Some(first) = picker.roles.iter().position(|r| r.assumable) {
        picker.list.select_item(first);
    }
    app.overlay = Some(Overlay::Picker(picker));
}

/// Starts a session of `role_arn` from the acting identity. `duration`
/// `Some(0)` asks for the longest STS grants here; any other duration is
/// asked as is, and STS refuses one outside its limits rather than
/// shortening it.
pub(super) fn start_session(app: &mut App, role_arn: &str, duration: Option<u32>) {
    let chained = app.in_session();
    let Some((_, role)) = app.workspace.role_by_arn(role_arn) else {
        fail(app, format!("no role {role_arn} in the workspace"));
        return;
    };
    let role_name = role.name.clone();
    let duration = match duration {
        Some(0) => Some(longest_duration(role, chained)),
        d => d,
    };
    let request = AssumeRequest {
        role_arn: role_arn.to_string(),
        duration,
        session_name: session_name_for(&app.session.stack.base().display_name),
        session_policies: Vec::new(),
        context: app.session.context.clone(),
        now_epoch: app.now(),
    };
    let workspace = app.workspace.clone();
    let question = format!("switching to {role_name}");
    match app.session.stack.start(&workspace, request) {
        Ok((_, Some(event))) => {
            let event = event.clone();
            app.last_answer = Some(Answer {
                question,
                outcome: Outcome::Allow,
                detail: format!(
                    "assumed {role_name}: +{} -{}",
                    event.diff.gained.len(),
                    event.diff.lost.len()
                ),
            });
            app.on_session_event(&event);
            app.browser.focus = Pane::Permissions;
        }
        Ok((outcome, None)) => {
            // A request STS refuses (duration, session name) is a denial too.
            let why = outcome
                .refusal
                .as_ref()
                .map(|r| r.to_string())
                .or_else(|| outcome.decision.reasons.first().map(|r| r.message.clone()))
                .unwrap_or_default();
            let decision = match outcome.decision.decision {
                Outcome::Allow => Outcome::ImplicitDeny,
                other => other,
            };
            app.last_answer = Some(Answer {
                question,
                outcome: decision,
                detail: format!("could not assume {role_name}: {why}"),
            });
            app.flash(format!("denied: {why}"));
        }
        Err(refusal) => fail(app, refusal.to_string()),
    }
}

/// Sets the request context and recomputes everything that depends on it.
pub(super) fn set_context(app: &mut App, context: RequestContext) {
    let summary: Vec<String> = context
        .entries()
        .map(|e| format!("{}={}", e.key, e.values.join(",")))
        .collect();
    app.session.context = context.clone();
    let workspace = app.workspace.clone();
    let now = app.now();
    app.session.stack.set_context(&workspace, context, now);
    app.log(if summary.is_empty() {
        "context cleared".to_string()
    } else {
        format!("context: {}", summary.join(" "))
    });
    app.refresh(Dirty::DETAIL);
}

pub(super) fn copy(app: &mut App, what: CopyWhat) -> Option<Effect> {
    let text = match (what, &app.overlay) {
        (CopyWhat::Arn, Some(Overlay::Why(w))) => {
            let text = crate::tui::views::export::why(&w.decision).markdown;
            app.flash("copied the why as Markdown");
            text
        }
        (CopyWhat::Arn, Some(Overlay::Comparison { export, .. })) => {
            let text = export.markdown.clone();
            app.flash("copied the comparison as Markdown");
            text
        }
        (CopyWhat::Policy, Some(Overlay::Policy(p))) => {
            let json = p.json.clone();
            app.flash("copied the policy JSON");
            json
        }
        (_, Some(_)) => return None,
        (CopyWhat::Arn, None) => {
            let arn = selected_arn(app)?;
            app.flash(format!("copied {arn}"));
            arn
        }
        (CopyWhat::Policy, None) => return copy_policy(app),
    };
    Some(Effect::Copy(text))
}

fn selected_arn(app: &App) -> Option<String> {
    if app.browser.focus == Pane::Permissions || app.in_session() {
        return Some(app.session.stack.acting().arn.clone());
    }
    let entity = app.selected_entity()?;
    let account = app.workspace.accounts.get(entity.account)?;
    Some(match app.browser.tab {
        Tab::Users => account.users.get(entity.index)?.arn.clone(),
        Tab::Groups => account.groups.get(entity.index)?.arn.clone(),
        Tab::Roles => account.roles.get(entity.index)?.arn.clone(),
    })
}

fn copy_policy(app: &mut App) -> Option<Effect> {
    let policy = match app.browser.focus {
        Pane::Detail => app
            .panes
            .detail
            .get(usize::from(app.panes.detail_scroll))
            .and_then(|l| l.policy().cloned()),
        _ => selected_action(app).and_then(|a| {
            let grant = a.grants.first()?;
            app.session
                .stack
                .acting()
                .identity_policies
                .iter()
                .find(|p| p.origin.name == grant.source.policy)
                .cloned()
        }),
    };
    let Some(policy) = policy else {
        app.flash("select a policy line (detail pane) or an action first");
        return None;
    };
    let json = app
        .workspace
        .policy_document(&policy)
        .and_then(|d| serde_json::to_string_pretty(&d).ok())?;
    app.flash(format!("copied the JSON of {}", policy.origin.name));
    Some(Effect::Copy(json))
}

/// `a`: the ask line, its resource completions from the workspace's ARNs
/// (resource policies, declared owners, users, roles, managed policies).
pub(super) fn open_ask(app: &mut App) {
    let ws = &app.workspace;
    let mut arns: Vec<String> = ws
        .resource_policies
        .iter()
        .map(|r| r.arn.clone())
        .chain(ws.resource_owners.iter().map(|o| o.arn.clone()))
        .collect();
    for account in &ws.accounts {
        arns.extend(account.users.iter().map(|u| u.arn.clone()));
        arns.extend(account.roles.iter().map(|r| r.arn.clone()));
        arns.extend(account.policies.values().map(|p| p.arn.clone()));
    }
    arns.sort();
    arns.dedup();
    app.overlay = Some(Overlay::Ask(crate::tui::overlay::AskLine::new(
        std::sync::Arc::new(arns),
    )));
}

/// How many actions one pattern may ask about at once.
const ASK_MANY_MAX: usize = 400;

/// `s3:Get*` asked on `resource` by the acting identity: every action the
/// pattern names, allowed or denied, and the layer that decided.
pub(super) fn ask_many(app: &mut App, pattern: &str, resource: &str) {
    let catalog = crate::catalog::Catalog::get();
    let compiled = crate::policy::action::ActionPattern::new(pattern);
    let names: Vec<&str> = catalog
        .actions()
        .iter()
        .map(|a| a.full_name.as_str())
        .filter(|name| compiled.matches(name))
        .collect();
    if names.is_empty() {
        fail(app, format!("{pattern} names no action of the catalog"));
        return;
    }
    let principal = app.session.stack.acting().clone();
    let mut allowed = 0;
    let mut lines = Vec::new();
    for name in names.iter().take(ASK_MANY_MAX) {
        let decision = evaluate(
            &app.workspace,
            &principal,
            &Request {
                action: name.to_string(),
                resource: resource.to_string(),
                context: app.session.context.clone(),
                now_epoch: app.now(),
            },
        );
        let by = decision
            .reasons
            .first()
            .map(|r| r.layer.title())
            .unwrap_or("no policy");
        let (mark, verdict) = match (decision.decision, decision.refused.is_some()) {
            (_, true) => ("✗", format!("refused by the service ({by} allows)")),
            (Outcome::Allow, _) => {
                allowed += 1;
                ("✓", format!("allowed by {by}"))
            }
            (Outcome::ExplicitDeny, _) => ("✗", format!("denied explicitly by {by}")),
            (Outcome::ImplicitDeny, _) => ("✗", "denied: nothing allows it".to_string()),
        };
        lines.push(format!("{mark} {name}  {verdict}"));
    }
    let more = names.len().saturating_sub(ASK_MANY_MAX);
    let mut text = format!(
        "{pattern} on {resource}, as {}: {allowed} of {} allowed. Ask one of them (a) for its whole why.\n\n{}",
        principal.display_name,
        names.len().min(ASK_MANY_MAX),
        lines.join("\n")
    );
    if more > 0 {
        text.push_str(&format!("\n… and {more} more: narrow the pattern"));
    }
    app.overlay = Some(Overlay::Message {
        title: format!("Ask: {pattern}"),
        text,
        scroll: 0,
    });
}
