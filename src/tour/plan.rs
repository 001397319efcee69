//! A tour as a plan: every step's names resolved against the workspace and
//! its arguments checked, once, before anything plays. The UI carries the
//! plan out through its actions, in front of the room and headless for
//! `validate`, so what validates is what plays.
//!
//! The plan knows nothing of the UI: it names principals, roles, policies,
//! durations and questions, and leaves what they look like to the player.

use serde::Serialize;

use super::{EscalationExpectation, Expectation, StepAction, Tour, WhatIfKind};
use crate::model::Workspace;
use crate::policy::{JsonPath, RequestContext, Severity};
use crate::sts::assume::MIN_DURATION;
use crate::workspace::locate::locate;
use crate::workspace::Diagnostic;

/// What kind of entity a step names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Kind {
    User,
    Group,
    Role,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Group => "group",
            Kind::Role => "role",
        }
    }
}

/// A user, group or role found by its name: unique in the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub kind: Kind,
    pub name: String,
    pub arn: String,
    /// Index of its account in the workspace, and in that account's list.
    pub account: usize,
    pub index: usize,
}

/// Which policy of the subject a step opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyName {
    /// A role's trust policy.
    Trust,
    /// An inline or managed policy, by name.
    Named(String),
}

/// How far the clock moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advance {
    Seconds(i64),
    /// Until the current session expires (known only while playing).
    UntilExpiry,
}

/// What a step does, resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Cue {
    Say,
    Select(Named),
    OpenPolicy(PolicyName),
    /// `duration`: `None` asks for STS's default of one hour.
    StartSession {
        role: Named,
        duration: Option<u32>,
        expect: Option<Expectation>,
    },
    EndSession,
    AdvanceClock(Advance),
    SetContext(RequestContext),
    Explain {
        action: String,
        resource: String,
        expect: Option<Expectation>,
    },
    /// The escalation path of `of` (a user or role).
    OpenEscalation {
        of: Named,
        expect: Option<EscalationExpectation>,
    },
    /// The why of step `step` (from 1) of `of`'s escalation path.
    WhyEscalationStep {
        of: Named,
        step: usize,
        expect: Option<Expectation>,
    },
    /// A change on a copy of the workspace, checked against the loaded one.
    WhatIf(crate::what_if::Change),
    UndoWhatIf,
}

/// One step of the plan: the subject it speaks about (the last user, group
/// or role selected before it), which the player re-establishes before
/// acting, and what it does.
#[derive(Debug, Clone, PartialEq)]
pub struct StepPlan {
    pub text: String,
    pub subject: Option<Named>,
    pub cue: Cue,
}

/// What a step did, as a player reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepOutcome {
    pub step: usize,
    pub text: String,
    pub result: String,
}

/// A step that cannot be carried out, or whose expectation fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: step {step}: {message}")]
pub struct TourError {
    pub file: String,
    /// 1-based.
    pub step: usize,
    pub message: String,
}

impl TourError {
    /// The error as a diagnostic placed at its step in the tour's file.
    pub fn diagnostic(&self, tour: &Tour) -> Diagnostic {
        let path = JsonPath::root()
            .key("steps")
            .index(self.step.saturating_sub(1));
        Diagnostic {
            severity: Severity::Error,
            file: tour.file.clone(),
            position: (!tour.text.is_empty()).then(|| locate(&tour.text, &path)),
            path: Some(path.to_string()),
            message: format!(
                "tour \"{}\", step {}: {}",
                tour.title, self.step, self.message
            ),
            anchor: None,
        }
    }
}

impl Expectation {
    /// Whether `allowed` (and `explicit`, for a denial) is what was expected.
    pub fn holds(self, outcome: crate::eval::Outcome) -> bool {
        use crate::eval::Outcome;
        match self {
            Expectation::Allowed => outcome == Outcome::Allow,
            Expectation::Denied => outcome != Outcome::Allow,
            Expectation::ExplicitDeny => outcome == Outcome::ExplicitDeny,
            Expectation::ImplicitDeny => outcome == Outcome::ImplicitDeny,
        }
    }
}

/// Resolves every step of `tour` against `workspace`; the first step that
/// names something missing or ambiguous, or asks what STS would refuse, is
/// the error.
pub fn plan(tour: &Tour, workspace: &Workspace) -> Result<Vec<StepPlan>, TourError> {
    let mut subject: Option<Named> = None;
    let mut out = Vec::with_capacity(tour.steps.len());
    for (i, step) in tour.steps.iter().enumerate() {
        let error = |message: String| TourError {
            file: tour.file.clone(),
            step: i + 1,
            message,
        };
        let before = subject.clone();
        let cue = match &step.action {
            StepAction::Say => Ok(Cue::Say),
            StepAction::SelectUser { name } => select(workspace, Kind::User, name, &mut subject),
            StepAction::SelectGroup { name } => select(workspace, Kind::Group, name, &mut subject),
            StepAction::SelectRole { name } => select(workspace, Kind::Role, name, &mut subject),
            StepAction::OpenPolicy { policy } => {
                let Some(of) = &subject else {
                    return Err(error(
                        "open-policy needs a selected user, group or role".to_string(),
                    ));
                };
                if !has_policy(workspace, of, policy) {
                    return Err(error(format!(
                        "{} has no policy named \"{policy}\"",
                        of.name
                    )));
                }
                Ok(Cue::OpenPolicy(if policy == "trust" {
                    PolicyName::Trust
                } else {
                    PolicyName::Named(policy.clone())
                }))
            }
            StepAction::SwitchRole {
                role,
                duration,
                expect,
            } => find(workspace, Kind::Role, role).and_then(|found| {
                if let Some(d) = duration {
                    check_duration(workspace, &found, *d)?;
                }
                Ok(Cue::StartSession {
                    role: found,
                    duration: *duration,
                    expect: *expect,
                })
            }),
            StepAction::EndSession => Ok(Cue::EndSession),
            StepAction::AdvanceClock {
                seconds,
                until_expiry,
            } => match (seconds, until_expiry) {
                (Some(s), false) if *s > 0 => Ok(Cue::AdvanceClock(Advance::Seconds(*s))),
                (None, true) => Ok(Cue::AdvanceClock(Advance::UntilExpiry)),
                _ => Err(
                    "advance-clock takes either a positive \"seconds\" or \"until_expiry\": true"
                        .to_string(),
                ),
            },
            StepAction::SetContext { context } => {
                let mut ctx = RequestContext::new();
                for (key, value) in context {
                    ctx.set(key, [value.clone()]);
                }
                Ok(Cue::SetContext(ctx))
            }
            StepAction::OpenEscalation { expect } => principal_subject(&subject, "open-escalation")
                .map(|of| Cue::OpenEscalation {
                    of,
                    expect: *expect,
                }),
            StepAction::WhyEscalationStep { step, expect } => {
                if *step == 0 {
                    return Err(error("why-escalation-step counts steps from 1".to_string()));
                }
                principal_subject(&subject, "why-escalation-step").map(|of| {
                    Cue::WhyEscalationStep {
                        of,
                        step: *step,
                        expect: *expect,
                    }
                })
            }
            StepAction::WhatIf {
                change,
                policy,
                statement,
                scp,
            } => what_if(
                workspace,
                subject.as_ref(),
                *change,
                policy.as_deref(),
                *statement,
                scp.as_deref(),
            )
            .map(Cue::WhatIf),
            StepAction::UndoWhatIf => Ok(Cue::UndoWhatIf),
            StepAction::Why {
                action,
                resource,
                expect,
            } => Ok(Cue::Explain {
                action: action.clone(),
                resource: resource.clone(),
                expect: *expect,
            }),
        }
        .map_err(error)?;
        out.push(StepPlan {
            text: step.text.clone(),
            subject: before,
            cue,
        });
    }
    Ok(out)
}

/// The selected user or role a step about escalation speaks of: a group
/// cannot act, so it has no path of its own.
fn principal_subject(subject: &Option<Named>, kind: &str) -> Result<Named, String> {
    match subject {
        Some(named) if named.kind != Kind::Group => Ok(named.clone()),
        Some(named) => Err(format!(
            "{kind} needs a selected user or role: the group {} does not act by itself",
            named.name
        )),
        None => Err(format!("{kind} needs a selected user or role")),
    }
}

/// A what-if step as the change it makes, on the subject (a policy found on
/// the subject itself, else on a group of a user's), checked by making it
/// on the loaded workspace. A change that only fails after earlier changes
/// (a second SCP removed) is the player's to report.
fn what_if(
    workspace: &Workspace,
    subject: Option<&Named>,
    kind: WhatIfKind,
    policy: Option<&str>,
    statement: Option<usize>,
    scp: Option<&str>,
) -> Result<crate::what_if::Change, String> {
    use crate::what_if::Change;
    let subject =
        || subject.ok_or_else(|| "what-if needs a selected user, group or role".to_string());
    let policy = || policy.ok_or_else(|| "what-if needs \"policy\"".to_string());
    let change = match kind {
        WhatIfKind::DetachPolicy => Change::DetachPolicy {
            entity: holder_of(workspace, subject()?, policy()?),
            policy: policy()?.to_string(),
        },
        WhatIfKind::DisableStatement => {
            let number = statement
                .filter(|n| *n > 0)
                .ok_or("disable-statement needs \"statement\": its number, from 1")?;
            Change::DisableStatement {
                entity: holder_of(workspace, subject()?, policy()?),
                policy: policy()?.to_string(),
                index: number - 1,
            }
        }
        WhatIfKind::DropBoundary => Change::DropBoundary {
            entity: subject()?.arn.clone(),
        },
        WhatIfKind::DisableScp => Change::DisableScp {
            name: scp
                .ok_or("disable-scp needs \"scp\": the SCP's name")?
                .to_string(),
        },
    };
    crate::what_if::apply(workspace, &change).map_err(|e| e.to_string())?;
    Ok(change)
}

/// Where `policy` is attached for `subject`: the subject itself, or the
/// first of a user's groups that holds it (else the subject, and `apply`
/// says it holds no such policy).
fn holder_of(workspace: &Workspace, subject: &Named, policy: &str) -> String {
    let Some(account) = workspace.accounts.get(subject.account) else {
        return subject.arn.clone();
    };
    let holds = |inline: &[std::sync::Arc<crate::model::NamedPolicy>], attached: &[String]| {
        inline.iter().any(|p| p.origin.name == policy)
            || attached
                .iter()
                .any(|arn| arn == policy || arn.rsplit('/').next() == Some(policy))
    };
    match subject.kind {
        Kind::User => {
            let Some(user) = account.users.get(subject.index) else {
                return subject.arn.clone();
            };
            if holds(&user.inline_policies, &user.attached) {
                return user.arn.clone();
            }
            user.groups
                .iter()
                .filter_map(|g| account.group(g))
                .find(|g| holds(&g.inline_policies, &g.attached))
                .map_or_else(|| subject.arn.clone(), |g| g.arn.clone())
        }
        Kind::Group | Kind::Role => subject.arn.clone(),
    }
}

fn select(
    workspace: &Workspace,
    kind: Kind,
    name: &str,
    subject: &mut Option<Named>,
) -> Result<Cue, String> {
    let found = find(workspace, kind, name)?;
    *subject = Some(found.clone());
    Ok(Cue::Select(found))
}

/// The one entity of `kind` named `name`.
pub fn find(workspace: &Workspace, kind: Kind, name: &str) -> Result<Named, String> {
    let mut found = Vec::new();
    for (a, account) in workspace.accounts.iter().enumerate() {
        let arns: Vec<(usize, &str, &str)> = match kind {
            Kind::User => account
                .users
                .iter()
                .enumerate()
                .map(|(i, u)| (i, u.name.as_str(), u.arn.as_str()))
                .collect(),
            Kind::Group => account
                .groups
                .iter()
                .enumerate()
                .map(|(i, g)| (i, g.name.as_str(), g.arn.as_str()))
                .collect(),
            Kind::Role => account
                .roles
                .iter()
                .enumerate()
                .map(|(i, r)| (i, r.name.as_str(), r.arn.as_str()))
                .collect(),
        };
        for (index, n, arn) in arns {
            if n == name {
                found.push(Named {
                    kind,
                    name: name.to_string(),
                    arn: arn.to_string(),
                    account: a,
                    index,
                });
            }
        }
    }
    match found.len() {
        0 => Err(format!(
            "no {} named \"{name}\" in the workspace",
            kind.word()
        )),
        1 => Ok(found.remove(0)),
        n => Err(format!(
            "{n} {}s are named \"{name}\" (in several accounts); tours name unique ones",
            kind.word()
        )),
    }
}

/// A duration STS would grant for a first session of `role` (a chained one
/// is capped at an hour, which only playing can tell). STS refuses a
/// DurationSeconds outside 900 to the role's MaxSessionDuration rather than
/// shortening it, so a tour asking for more is wrong, not clamped: AssumeRole
/// API, DurationSeconds
/// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
fn check_duration(workspace: &Workspace, role: &Named, duration: u32) -> Result<(), String> {
    let max = workspace
        .accounts
        .get(role.account)
        .and_then(|a| a.roles.get(role.index))
        .map_or(0, |r| r.max_session_seconds);
    if duration < MIN_DURATION || duration > max {
        return Err(format!(
            "duration {duration} s is outside what STS grants for {} (900 to its MaxSessionDuration, {max} s): STS refuses such a request",
            role.name
        ));
    }
    Ok(())
}

/// Whether the subject has a policy by that name (`trust`: a role's trust
/// policy), directly or through a group.
fn has_policy(workspace: &Workspace, of: &Named, policy: &str) -> bool {
    let Some(account) = workspace.accounts.get(of.account) else {
        return false;
    };
    let managed = |arns: &[String]| {
        arns.iter()
            .any(|arn| arn.rsplit('/').next() == Some(policy))
    };
    let inline = |list: &[std::sync::Arc<crate::model::NamedPolicy>]| {
        list.iter().any(|p| p.origin.name == policy)
    };
    match of.kind {
        Kind::Role => account.roles.get(of.index).is_some_and(|r| {
            (policy == "trust" && r.trust_policy.is_some())
                || inline(&r.inline_policies)
                || managed(&r.attached)
        }),
        Kind::Group => account
            .groups
            .get(of.index)
            .is_some_and(|g| inline(&g.inline_policies) || managed(&g.attached)),
        Kind::User => account.users.get(of.index).is_some_and(|u| {
            inline(&u.inline_policies)
                || managed(&u.attached)
                || u.boundary
                    .iter()
                    .any(|b| b.rsplit('/').next() == Some(policy))
                || u.groups
                    .iter()
                    .filter_map(|g| account.group(g))
                    .any(|g| inline(&g.inline_policies) || managed(&g.attached))
        }),
    }
}
