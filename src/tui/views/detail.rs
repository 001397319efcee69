//! The detail pane: a user's groups, policies, boundary, tags and the roles
//! it may assume; a group's members and policies; a role's trust policy in
//! words, policies, maximum session and boundary.

use std::sync::Arc;

use super::account_label;
use crate::eval::Principal;
use crate::model::policy_ref::NamedPolicy;
use crate::model::{Account, Group, Role, User, Workspace};
use crate::policy::RequestContext;
use crate::sts::trust::{describe_trust, service_or_federated_only};
use crate::sts::{assumability, trust_may_name};
use crate::tui::selection::{Selection, Tab};
use crate::workspace::caveats::ProblemCounts;

/// How a line reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Normal,
    Heading,
    Dim,
    Allowed,
    Denied,
    Warning,
}

/// What a line is about, for the keys that act on it (never read off its label).
#[derive(Debug, Clone, PartialEq)]
pub enum LineKind {
    Plain,
    /// An identity policy or boundary: `Enter` opens it, `Y` copies it.
    Policy(Arc<NamedPolicy>),
    /// A line of a role's trust policy in words: `Enter` opens the policy.
    Trust(Arc<NamedPolicy>),
    /// "✓/✗ RoleName": `w` explains sts:AssumeRole on the role.
    CanAssume {
        role_arn: String,
    },
    /// Who acts while a session lasts: the render adds the countdown, which
    /// moves with every tick while these lines are built once.
    Acting,
    /// Whether the selection can become admin: `Enter` opens the path, step
    /// by step, with the statements that allow each step.
    Escalation(Box<crate::escalation::PrincipalEscalation>),
    /// The escalation line of this principal (its ARN), still being
    /// computed on the UI's worker thread ("computing…").
    EscalationPending(String),
}

/// One line of the detail pane.
#[derive(Debug, Clone)]
pub struct DetailLine {
    pub label: String,
    pub text: String,
    pub tone: Tone,
    pub kind: LineKind,
}

impl DetailLine {
    fn new(label: &str, text: impl Into<String>, tone: Tone) -> Self {
        DetailLine {
            label: label.to_string(),
            text: text.into(),
            tone,
            kind: LineKind::Plain,
        }
    }

    /// The policy `Enter` opens from this line.
    pub fn policy(&self) -> Option<&Arc<NamedPolicy>> {
        match &self.kind {
            LineKind::Policy(p) | LineKind::Trust(p) => Some(p),
            _ => None,
        }
    }
}

/// What the detail pane is computed from.
pub struct DetailInput<'a> {
    pub workspace: &'a Workspace,
    pub selection: Option<Selection>,
    pub context: &'a RequestContext,
    pub now: i64,
    /// The chain of sessions, when one is active: `carol → EC2Terminator`.
    pub session: Option<String>,
    /// The problems in what the selection rests on.
    pub problems: ProblemCounts,
    /// Whether the escalation search runs here; `false` leaves a
    /// "computing…" line ([`LineKind::EscalationPending`]) for the UI's
    /// worker thread, since the search takes longer than a keypress may.
    pub escalation_inline: bool,
}

/// How many users the role view checks for "who can assume it".
const MAX_ASSUMERS_CHECKED: usize = 200;

/// The lines of the detail pane for `input`.
pub fn build(input: &DetailInput) -> Vec<DetailLine> {
    let Some(selection) = input.selection else {
        return vec![DetailLine::new("", "nothing selected", Tone::Dim)];
    };
    let ws = input.workspace;
    let entity = selection.entity;
    let Some(account) = ws.accounts.get(entity.account) else {
        return Vec::new();
    };
    let mut lines = match selection.tab {
        Tab::Users => account
            .users
            .get(entity.index)
            .map(|u| user_lines(input, account, u)),
        Tab::Groups => account
            .groups
            .get(entity.index)
            .map(|g| group_lines(ws, account, g)),
        Tab::Roles => account
            .roles
            .get(entity.index)
            .map(|r| role_lines(input, account, r)),
    }
    .unwrap_or_default();
    if !input.problems.is_empty() {
        lines.insert(0, problems_line(input.problems));
    }
    if let Some(chain) = &input.session {
        lines.insert(
            0,
            DetailLine {
                kind: LineKind::Acting,
                ..DetailLine::new(
                    "Acting",
                    format!("{chain} (session; this pane shows the selection)"),
                    Tone::Warning,
                )
            },
        );
    }
    lines
}

/// The escalation line for `arn`: computed now, or left to the worker.
fn escalation_line(input: &DetailInput, arn: &str) -> DetailLine {
    if input.escalation_inline {
        return escalation(input.workspace, input.context, input.now, arn);
    }
    DetailLine {
        kind: LineKind::EscalationPending(arn.to_string()),
        ..DetailLine::new("Escalation", "computing…", Tone::Dim)
    }
}

/// "Escalation  can become admin in 2 steps (Enter: the path)": the
/// escalation search for this one principal (`crate::escalation`).
pub fn escalation(
    workspace: &Workspace,
    context: &RequestContext,
    now: i64,
    arn: &str,
) -> DetailLine {
    use crate::escalation::{escalation, Escalates};
    let report = escalation(workspace, context, now, Some(arn));
    let Some(found) = report.principals.into_iter().next() else {
        return DetailLine::new("Escalation", "—", Tone::Dim);
    };
    let steps = found.paths.first().map_or(0, |p| p.steps.len());
    let plural = if steps == 1 { "" } else { "s" };
    let (text, tone) = match (found.admin, found.escalates) {
        (true, _) => ("admin-equivalent (Enter: why)".to_string(), Tone::Denied),
        (false, Escalates::Yes) => (
            format!("can become admin in {steps} step{plural} (Enter: the path)"),
            Tone::Denied,
        ),
        (false, Escalates::Conditional) => (
            format!("can become admin in {steps} step{plural} if … (Enter: what it needs)"),
            Tone::Warning,
        ),
        (false, Escalates::No) => ("cannot become admin".to_string(), Tone::Allowed),
    };
    let mut line = DetailLine::new("Escalation", text, tone);
    if found.admin || found.escalates != Escalates::No {
        line.kind = LineKind::Escalation(Box::new(found));
    }
    line
}

/// "Problems  ✗ 1 error, ! 2 warnings": the problems in what the selection
/// rests on (its policies, groups, boundary, trust policy, SCPs).
fn problems_line(counts: ProblemCounts) -> DetailLine {
    let mut parts = Vec::new();
    if counts.errors > 0 {
        parts.push(format!(
            "✗ {} error{}",
            counts.errors,
            if counts.errors == 1 { "" } else { "s" }
        ));
    }
    if counts.warnings > 0 {
        parts.push(format!(
            "! {} warning{}",
            counts.warnings,
            if counts.warnings == 1 { "" } else { "s" }
        ));
    }
    DetailLine::new(
        "Problems",
        // The header and the footer name the key that lists them; the
        // pane is narrow.
        parts.join(", "),
        if counts.errors > 0 {
            Tone::Denied
        } else {
            Tone::Warning
        },
    )
}

fn policy_line(label: &str, policy: &Arc<NamedPolicy>, via: &str) -> DetailLine {
    DetailLine {
        label: label.to_string(),
        text: format!(
            "{}   {}{via}",
            policy.origin.name,
            policy.origin.source.describe()
        ),
        tone: Tone::Normal,
        kind: LineKind::Policy(policy.clone()),
    }
}

/// Lines for inline and attached policies; unresolved ARNs are flagged.
fn policies(
    ws: &Workspace,
    account: &Account,
    inline: &[Arc<NamedPolicy>],
    attached: &[String],
    via: &str,
    out: &mut Vec<DetailLine>,
) {
    for p in inline {
        let label = if out.iter().any(|l| l.label == "Policies") {
            ""
        } else {
            "Policies"
        };
        out.push(policy_line(label, p, via));
    }
    for arn in attached {
        let label = if out.iter().any(|l| l.label == "Policies") {
            ""
        } else {
            "Policies"
        };
        match ws
            .managed_policy(&account.id, arn)
            .and_then(|m| m.default_document())
        {
            Some(doc) => out.push(policy_line(label, doc, via)),
            None => out.push(DetailLine::new(
                label,
                format!("{arn}   unresolved: grants nothing"),
                Tone::Warning,
            )),
        }
    }
}

fn boundary_line(ws: &Workspace, account: &Account, boundary: Option<&str>) -> DetailLine {
    match boundary {
        None => DetailLine::new("Boundary", "—", Tone::Dim),
        Some(arn) => match ws
            .managed_policy(&account.id, arn)
            .and_then(|m| m.default_document())
        {
            Some(doc) => {
                let mut line = policy_line("Boundary", doc, "");
                line.tone = Tone::Warning;
                line
            }
            None => DetailLine::new(
                "Boundary",
                format!("{arn} — unresolved: allows nothing"),
                Tone::Denied,
            ),
        },
    }
}

fn tags_line(tags: &[crate::model::Tag]) -> DetailLine {
    if tags.is_empty() {
        return DetailLine::new("Tags", "—", Tone::Dim);
    }
    let text: Vec<String> = tags
        .iter()
        .map(|t| format!("{}={}", t.key, t.value))
        .collect();
    DetailLine::new("Tags", text.join(" · "), Tone::Normal)
}

fn user_lines(input: &DetailInput, account: &Account, user: &User) -> Vec<DetailLine> {
    let ws = input.workspace;
    let mut out = vec![
        DetailLine::new("", user.arn.clone(), Tone::Heading),
        DetailLine::new("Account", account_label(ws, &account.id), Tone::Normal),
        DetailLine::new(
            "Groups",
            if user.groups.is_empty() {
                "—".to_string()
            } else {
                user.groups.join(", ")
            },
            if user.groups.is_empty() {
                Tone::Dim
            } else {
                Tone::Normal
            },
        ),
    ];
    policies(
        ws,
        account,
        &user.inline_policies,
        &user.attached,
        "",
        &mut out,
    );
    for group in user.groups.iter().filter_map(|g| account.group(g)) {
        policies(
            ws,
            account,
            &group.inline_policies,
            &group.attached,
            &format!(", via {}", group.name),
            &mut out,
        );
    }
    if !out.iter().any(|l| l.label == "Policies") {
        out.push(DetailLine::new(
            "Policies",
            "— (no policy: can do nothing)",
            Tone::Dim,
        ));
    }
    out.push(boundary_line(ws, account, user.boundary.as_deref()));
    out.push(tags_line(&user.tags));
    out.push(escalation_line(input, &user.arn));
    out.push(DetailLine::new("Can assume", "", Tone::Heading));
    let caller = Principal::user(ws, account, user);
    // Only roles whose trust policy names the user (or its account, or
    // everyone) are weighed; in a large account the rest are counted.
    let mut others = 0;
    for other in &ws.accounts {
        for role in other.roles.iter().filter(|r| !r.is_service_linked()) {
            if !trust_may_name(role, &caller) {
                others += 1;
                continue;
            }
            let answer = assumability(ws, &caller, role, input.context, input.now);
            let mark = if answer.allowed { "✓" } else { "✗" };
            let mut line = DetailLine::new(
                "",
                format!("{mark} {:<18} {}", role.name, answer.reason),
                if answer.allowed {
                    Tone::Allowed
                } else {
                    Tone::Dim
                },
            );
            line.kind = LineKind::CanAssume {
                role_arn: role.arn.clone(),
            };
            out.push(line);
        }
    }
    if others > 0 {
        out.push(DetailLine::new(
            "",
            format!(
                "  {others} other role{} do not trust {} or its account",
                if others == 1 { "" } else { "s" },
                user.name
            ),
            Tone::Dim,
        ));
    }
    out
}

fn group_lines(ws: &Workspace, account: &Account, group: &Group) -> Vec<DetailLine> {
    let members: Vec<&str> = account
        .users
        .iter()
        .filter(|u| u.groups.contains(&group.name))
        .map(|u| u.name.as_str())
        .collect();
    let mut out = vec![
        DetailLine::new("", group.arn.clone(), Tone::Heading),
        DetailLine::new("Account", account_label(ws, &account.id), Tone::Normal),
        DetailLine::new(
            "Members",
            if members.is_empty() {
                "—".to_string()
            } else {
                members.join(", ")
            },
            if members.is_empty() {
                Tone::Dim
            } else {
                Tone::Normal
            },
        ),
    ];
    policies(
        ws,
        account,
        &group.inline_policies,
        &group.attached,
        "",
        &mut out,
    );
    out.push(DetailLine::new(
        "",
        "A group is not a principal: its members get these policies.",
        Tone::Dim,
    ));
    out
}

fn role_lines(input: &DetailInput, account: &Account, role: &Role) -> Vec<DetailLine> {
    let ws = input.workspace;
    let mut out = vec![
        DetailLine::new("", role.arn.clone(), Tone::Heading),
        DetailLine::new("Account", account_label(ws, &account.id), Tone::Normal),
    ];
    if !role.is_service_linked() {
        out.push(escalation_line(input, &role.arn));
    }
    let trust = describe_trust(role);
    if trust.is_empty() {
        out.push(DetailLine::new(
            "Trust",
            "nobody (no trust policy)",
            Tone::Denied,
        ));
    }
    for (i, entry) in trust.iter().enumerate() {
        let mut text = format!(
            "{}{}",
            if entry.effect == crate::policy::Effect::Deny {
                "DENY "
            } else {
                ""
            },
            entry.who
        );
        if !entry.conditions.is_empty() {
            text.push_str(&format!(", if {}", entry.conditions.join(" and ")));
        }
        let mut line = DetailLine::new(if i == 0 { "Trust" } else { "" }, text, Tone::Normal);
        if let Some(trust) = &role.trust_policy {
            line.kind = LineKind::Trust(trust.clone());
        }
        out.push(line);
    }
    if let Some(names) = service_or_federated_only(role) {
        out.push(DetailLine::new(
            "",
            format!("assumable by {names} only, not by users"),
            Tone::Warning,
        ));
    }
    policies(
        ws,
        account,
        &role.inline_policies,
        &role.attached,
        "",
        &mut out,
    );
    out.push(DetailLine::new(
        "Session",
        format!(
            "up to {} (MaxSessionDuration)",
            crate::tui::ui::text::format_duration(i64::from(role.max_session_seconds))
        ),
        Tone::Normal,
    ));
    out.push(boundary_line(ws, account, role.boundary.as_deref()));
    out.push(tags_line(&role.tags));
    if let Some(last) = &role.last_used {
        out.push(DetailLine::new("Last used", last.clone(), Tone::Dim));
    }
    let users: Vec<(&Account, &User)> = ws
        .accounts
        .iter()
        .flat_map(|a| a.users.iter().map(move |u| (a, u)))
        .collect();
    if users.len() <= MAX_ASSUMERS_CHECKED {
        let can: Vec<&str> = users
            .iter()
            .filter(|(a, u)| {
                assumability(
                    ws,
                    &Principal::user(ws, a, u),
                    role,
                    input.context,
                    input.now,
                )
                .allowed
            })
            .map(|(_, u)| u.name.as_str())
            .collect();
        out.push(DetailLine::new(
            "Assumable by",
            if can.is_empty() {
                "no user, in the current context".to_string()
            } else {
                can.join(", ")
            },
            if can.is_empty() {
                Tone::Dim
            } else {
                Tone::Allowed
            },
        ));
    }
    out
}
