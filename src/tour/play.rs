//! Playing a tour on the engine alone: every step's action is carried out on
//! a session stack and a simulated clock, and every expectation is checked.

use serde::Serialize;

use super::{Expectation, StepAction, Tour};
use crate::eval::{evaluate, Outcome, Principal, Request};
use crate::model::Workspace;
use crate::policy::{JsonPath, RequestContext, Severity};
use crate::sts::{AssumeRequest, SessionStack, SimClock};
use crate::workspace::locate::locate;
use crate::workspace::Diagnostic;

/// What a step did.
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

/// What is selected, as the TUI would show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Selected {
    None,
    User,
    Group,
    Role,
}

struct Player<'a> {
    workspace: &'a Workspace,
    clock: SimClock,
    context: RequestContext,
    stack: SessionStack,
    selected: Selected,
    selected_name: String,
}

/// Plays every step of `tour` from the clock time `now`.
pub fn play(workspace: &Workspace, tour: &Tour, now: i64) -> Result<Vec<StepOutcome>, TourError> {
    let base = first_user(workspace).unwrap_or_else(|| Principal::root("000000000000"));
    let mut player = Player {
        workspace,
        clock: SimClock::new(now),
        context: RequestContext::new(),
        stack: SessionStack::new(workspace, base, RequestContext::new(), now),
        selected: Selected::None,
        selected_name: String::new(),
    };
    let mut outcomes = Vec::new();
    for (i, step) in tour.steps.iter().enumerate() {
        let result = player.apply(&step.action).map_err(|message| TourError {
            file: tour.file.clone(),
            step: i + 1,
            message,
        })?;
        outcomes.push(StepOutcome {
            step: i + 1,
            text: step.text.clone(),
            result,
        });
    }
    Ok(outcomes)
}

/// Plays a tour and reports a failing step at its place in the file.
pub fn check(workspace: &Workspace, tour: &Tour, now: i64) -> Option<Diagnostic> {
    let error = play(workspace, tour, now).err()?;
    let path = JsonPath::root().key("steps").index(error.step - 1);
    Some(Diagnostic {
        severity: Severity::Error,
        file: tour.file.clone(),
        position: (!tour.text.is_empty()).then(|| locate(&tour.text, &path)),
        path: Some(path.to_string()),
        message: format!(
            "tour \"{}\", step {}: {}",
            tour.title, error.step, error.message
        ),
        anchor: None,
    })
}

fn first_user(workspace: &Workspace) -> Option<Principal> {
    workspace
        .accounts
        .iter()
        .find_map(|a| a.users.first().map(|u| Principal::user(workspace, a, u)))
}

impl Player<'_> {
    fn now(&self) -> i64 {
        self.clock.now()
    }

    fn apply(&mut self, action: &StepAction) -> Result<String, String> {
        let ws = self.workspace;
        match action {
            StepAction::Say => Ok(String::new()),
            StepAction::SelectUser { name } => {
                let (account, user) = find_unique(
                    ws.accounts.iter().flat_map(|a| {
                        a.users
                            .iter()
                            .filter(|u| &u.name == name)
                            .map(move |u| (a, u))
                    }),
                    "user",
                    name,
                )?;
                self.select(Selected::User, name, Principal::user(ws, account, user));
                Ok(format!("selected user {name}"))
            }
            StepAction::SelectGroup { name } => {
                let (account, group) = find_unique(
                    ws.accounts.iter().flat_map(|a| {
                        a.groups
                            .iter()
                            .filter(|g| &g.name == name)
                            .map(move |g| (a, g))
                    }),
                    "group",
                    name,
                )?;
                self.select(
                    Selected::Group,
                    name,
                    Principal::group_preview(ws, account, group),
                );
                Ok(format!("selected group {name}"))
            }
            StepAction::SelectRole { name } => {
                let (account, role) = find_unique(
                    ws.accounts.iter().flat_map(|a| {
                        a.roles
                            .iter()
                            .filter(|r| &r.name == name)
                            .map(move |r| (a, r))
                    }),
                    "role",
                    name,
                )?;
                let preview = Principal::role_session(
                    ws,
                    account,
                    role,
                    crate::eval::principal::DEFAULT_SESSION_NAME,
                    None,
                );
                self.select(Selected::Role, name, preview);
                Ok(format!("selected role {name}"))
            }
            StepAction::OpenPolicy { policy } => self.open_policy(policy),
            StepAction::SwitchRole {
                role,
                duration,
                expect,
            } => self.switch_role(role, *duration, *expect),
            StepAction::EndSession => match self.stack.end(self.now()) {
                Some(event) => Ok(format!(
                    "{} ended: +{} -{}",
                    event.role_name,
                    event.diff.gained.len(),
                    event.diff.lost.len()
                )),
                None => Err("there is no session to end".to_string()),
            },
            StepAction::AdvanceClock {
                seconds,
                until_expiry,
            } => {
                let skip = match (seconds, until_expiry) {
                    (Some(s), false) if *s > 0 => *s,
                    (None, true) => match self.stack.current_session() {
                        Some(session) => session.remaining(self.now()),
                        None => return Err("until-expiry needs a session to expire".to_string()),
                    },
                    _ => return Err("advance-clock takes either a positive \"seconds\" or \"until_expiry\": true".to_string()),
                };
                self.clock.skip(skip);
                let events = self.stack.tick(self.now());
                Ok(format!(
                    "clock +{skip} s; {} session(s) expired",
                    events.len()
                ))
            }
            StepAction::SetContext { context } => {
                let mut ctx = RequestContext::new();
                for (key, value) in context {
                    ctx.set(key, [value.clone()]);
                }
                self.context = ctx.clone();
                self.stack.set_context(ws, ctx, self.now());
                Ok(format!("context set ({} keys)", context.len()))
            }
            StepAction::Why {
                action,
                resource,
                expect,
            } => {
                let decision = evaluate(
                    ws,
                    self.stack.acting(),
                    &Request {
                        action: action.clone(),
                        resource: resource.clone(),
                        context: self.context.clone(),
                        now_epoch: self.now(),
                    },
                );
                expect_outcome(
                    *expect,
                    decision.decision,
                    &format!("{action} on {resource}"),
                )?;
                Ok(format!("{action}: {:?}", decision.decision))
            }
        }
    }

    fn select(&mut self, kind: Selected, name: &str, principal: Principal) {
        self.selected = kind;
        self.selected_name = name.to_string();
        if self.stack.sessions().is_empty() {
            self.stack =
                SessionStack::new(self.workspace, principal, self.context.clone(), self.now());
        }
    }

    fn open_policy(&self, policy: &str) -> Result<String, String> {
        let ws = self.workspace;
        let name = &self.selected_name;
        let found = match self.selected {
            Selected::None => {
                return Err("open-policy needs a selected user, group or role".to_string())
            }
            Selected::Role => ws
                .accounts
                .iter()
                .flat_map(|a| a.roles.iter())
                .find(|r| &r.name == name)
                .is_some_and(|r| {
                    (policy == "trust" && r.trust_policy.is_some())
                        || r.inline_policies.iter().any(|p| p.origin.name == *policy)
                        || r.attached
                            .iter()
                            .any(|arn| arn.rsplit('/').next() == Some(policy))
                }),
            Selected::User => ws
                .accounts
                .iter()
                .flat_map(|a| a.users.iter().map(move |u| (a, u)))
                .find(|(_, u)| &u.name == name)
                .is_some_and(|(a, u)| {
                    u.inline_policies.iter().any(|p| p.origin.name == *policy)
                        || u.attached
                            .iter()
                            .chain(u.boundary.iter())
                            .any(|arn| arn.rsplit('/').next() == Some(policy))
                        || u.groups.iter().filter_map(|g| a.group(g)).any(|g| {
                            g.inline_policies.iter().any(|p| p.origin.name == *policy)
                                || g.attached
                                    .iter()
                                    .any(|arn| arn.rsplit('/').next() == Some(policy))
                        })
                }),
            Selected::Group => ws
                .accounts
                .iter()
                .flat_map(|a| a.groups.iter())
                .find(|g| &g.name == name)
                .is_some_and(|g| {
                    g.inline_policies.iter().any(|p| p.origin.name == *policy)
                        || g.attached
                            .iter()
                            .any(|arn| arn.rsplit('/').next() == Some(policy))
                }),
        };
        if found {
            Ok(format!("opened {policy}"))
        } else {
            Err(format!("{name} has no policy named \"{policy}\""))
        }
    }

    fn switch_role(
        &mut self,
        role: &str,
        duration: Option<u32>,
        expect: Option<Expectation>,
    ) -> Result<String, String> {
        let ws = self.workspace;
        let (_, found) = find_unique(
            ws.accounts.iter().flat_map(|a| {
                a.roles
                    .iter()
                    .filter(|r| r.name == role)
                    .map(move |r| (a, r))
            }),
            "role",
            role,
        )?;
        let request = AssumeRequest {
            role_arn: found.arn.clone(),
            duration,
            session_name: crate::eval::principal::DEFAULT_SESSION_NAME.to_string(),
            session_policies: Vec::new(),
            context: self.context.clone(),
            now_epoch: self.now(),
        };
        let (outcome, event) = self.stack.start(ws, request).map_err(|e| e.to_string())?;
        // A request STS refuses (duration, session name) is a denial too.
        let got = match (&event, outcome.decision.decision) {
            (Some(_), _) => Outcome::Allow,
            (None, Outcome::Allow) => Outcome::ImplicitDeny,
            (None, decision) => decision,
        };
        let result = match event {
            Some(e) => format!(
                "assumed {role}: +{} -{}",
                e.diff.gained.len(),
                e.diff.lost.len()
            ),
            None => format!(
                "could not assume {role}: {}",
                outcome
                    .refusal
                    .map(|r| r.to_string())
                    .or_else(|| outcome.decision.reasons.first().map(|r| r.message.clone()))
                    .unwrap_or_default()
            ),
        };
        expect_outcome(expect, got, &format!("switching to {role}"))
            .map_err(|e| format!("{e} ({result})"))?;
        Ok(result)
    }
}

fn expect_outcome(expect: Option<Expectation>, got: Outcome, what: &str) -> Result<(), String> {
    let Some(expect) = expect else { return Ok(()) };
    let holds = match expect {
        Expectation::Allowed => got == Outcome::Allow,
        Expectation::Denied => got != Outcome::Allow,
        Expectation::ExplicitDeny => got == Outcome::ExplicitDeny,
        Expectation::ImplicitDeny => got == Outcome::ImplicitDeny,
    };
    if holds {
        Ok(())
    } else {
        Err(format!(
            "expected {what} to be {expect:?}, but it is {got:?}"
        ))
    }
}

fn find_unique<'a, T>(
    mut found: impl Iterator<Item = T> + 'a,
    kind: &str,
    name: &str,
) -> Result<T, String> {
    let first = found
        .next()
        .ok_or_else(|| format!("no {kind} named \"{name}\" in the workspace"))?;
    if found.next().is_some() {
        return Err(format!(
            "several {kind}s are named \"{name}\"; tours name unique ones"
        ));
    }
    Ok(first)
}
