//! `sts:AssumeRole` as STS does it: the authorization (trust policy and the
//! caller's side, through the evaluation engine), then the request's own
//! rules (duration, session name, chaining), then the session's identity.

use std::sync::Arc;

use serde::Serialize;

use crate::eval::{evaluate, Decision, Outcome, Principal, PrincipalKind, Request};
use crate::model::policy_ref::NamedPolicy;
use crate::model::{Role, Workspace};
use crate::policy::RequestContext;

/// The shortest session STS grants (AssumeRole API, DurationSeconds).
pub const MIN_DURATION: u32 = 900;
/// Role chaining caps a session at one hour (IAM User Guide, "Role chaining").
pub const CHAINING_MAX: u32 = 3600;

/// What the caller asks for.
#[derive(Debug, Clone)]
pub struct AssumeRequest {
    pub role_arn: String,
    /// `None`: STS's default of one hour (capped by the role's maximum... the
    /// default is 3600 and every role allows at least that).
    pub duration: Option<u32>,
    pub session_name: String,
    pub session_policies: Vec<Arc<NamedPolicy>>,
    /// Request context for the trust policy: MFA, ExternalId, source identity...
    pub context: RequestContext,
    pub now_epoch: i64,
}

/// A session that started.
#[derive(Debug, Clone)]
pub struct Session {
    pub principal: Principal,
    pub role_arn: String,
    pub role_name: String,
    /// The identity that assumed the role.
    pub caller_arn: String,
    pub caller_name: String,
    pub started_at: i64,
    pub expires_at: i64,
    pub duration: u32,
    /// Assumed from another role session.
    pub chained: bool,
    /// Session tags passed with the request, as the session's principal
    /// tags (`aws:PrincipalTag/*`).
    pub tags: Vec<(String, String)>,
}

impl Session {
    pub fn arn(&self) -> &str {
        &self.principal.arn
    }

    /// Seconds left at `now`; 0 once expired.
    pub fn remaining(&self, now: i64) -> i64 {
        (self.expires_at - now).max(0)
    }
}

/// Why STS refuses a request before or regardless of authorization.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum Refusal {
    #[error("no role {0} in the workspace")]
    UnknownRole(String),
    #[error(
        "the requested DurationSeconds ({requested}) is outside 900..{max}: {why} (STS refuses it; it does not shorten it)"
    )]
    Duration {
        requested: u32,
        max: u32,
        why: String,
    },
    #[error(
        "the role session name \"{0}\" must be 2 to 64 characters of letters, digits and +=,.@_-"
    )]
    SessionName(String),
    #[error("the trust policy of {role} names only {names}: it is assumable by that service or identity provider, not by an IAM user or role")]
    ServiceOnly { role: String, names: String },
    #[error("session tags: {0} (STS refuses the request)")]
    SessionTags(String),
}

/// The outcome: the authorization decision, and the session when it started.
#[derive(Debug, Clone)]
pub struct AssumeOutcome {
    pub decision: Decision,
    pub refusal: Option<Refusal>,
    pub session: Option<Session>,
}

impl AssumeOutcome {
    pub fn allowed(&self) -> bool {
        self.session.is_some()
    }
}

/// Asks STS, on behalf of `caller`, for a session of the role.
pub fn assume_role(
    workspace: &Workspace,
    caller: &Principal,
    request: &AssumeRequest,
) -> Result<AssumeOutcome, Refusal> {
    let Some((account, role)) = workspace.role_by_arn(&request.role_arn) else {
        return Err(Refusal::UnknownRole(request.role_arn.clone()));
    };
    let mut context = request.context.clone();
    context.set_default("sts:RoleSessionName", [request.session_name.clone()]);
    let tags = session_tags(&request.context);
    if !tags.is_empty() {
        // "aws:TagKeys ... the tag keys in the request" (IAM User Guide,
        // reference_policies_condition-keys), unless the caller gave it.
        context.set_default("aws:TagKeys", tags.iter().map(|(k, _)| k.clone()));
    }
    let ask = |action: &str| {
        evaluate(
            workspace,
            caller,
            &Request {
                action: action.to_string(),
                resource: role.arn.clone(),
                context: context.clone(),
                now_epoch: request.now_epoch,
            },
        )
    };
    let mut decision = ask("sts:AssumeRole");
    // Passing session tags needs sts:TagSession allowed by the role's trust
    // policy, and on the caller's side by the rule AssumeRole follows (IAM
    // User Guide, id_session-tags, "Permissions required to add session
    // tags"): asked as its own request, with the tags in its context.
    if !tags.is_empty() && decision.decision.is_allowed() {
        let tagging = ask("sts:TagSession");
        if !tagging.decision.is_allowed() {
            decision = tagging;
        }
    }
    let chained = caller.kind == PrincipalKind::RoleSession;
    let refusal = check_tags(&tags).or_else(|| check_request(role, request, chained));
    let refusal = refusal.or_else(|| {
        match (
            decision.decision,
            super::trust::service_or_federated_only(role),
        ) {
            (Outcome::ImplicitDeny, Some(names)) => Some(Refusal::ServiceOnly {
                role: role.name.clone(),
                names,
            }),
            _ => None,
        }
    });
    if !decision.decision.is_allowed() || refusal.is_some() {
        return Ok(AssumeOutcome {
            decision,
            refusal,
            session: None,
        });
    }
    let duration = request.duration.unwrap_or(3600);
    let session_policies =
        (!request.session_policies.is_empty()).then(|| request.session_policies.clone());
    let mut principal = Principal::role_session(
        workspace,
        account,
        role,
        &request.session_name,
        session_policies,
    );
    principal.apply_session_tags(&tags);
    Ok(AssumeOutcome {
        decision,
        refusal: None,
        session: Some(Session {
            principal,
            role_arn: role.arn.clone(),
            role_name: role.name.clone(),
            caller_arn: caller.arn.clone(),
            caller_name: caller.display_name.clone(),
            started_at: request.now_epoch,
            expires_at: request.now_epoch + i64::from(duration),
            duration,
            chained,
            tags,
        }),
    })
}

/// The prefix of the request keys that carry session tags.
const REQUEST_TAG: &str = "aws:RequestTag/";

/// The session tags of a request: its `aws:RequestTag/KEY=VALUE` keys
/// (`assume --tag KEY=VALUE` adds them; so can the UI's context form).
/// A key given twice (in any case) is one context key with two values: it
/// comes out twice, for [`check_tags`] to refuse.
pub fn session_tags(context: &RequestContext) -> Vec<(String, String)> {
    context
        .entries()
        .filter(|entry| {
            entry
                .key
                .get(..REQUEST_TAG.len())
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case(REQUEST_TAG))
        })
        .flat_map(|entry| {
            let key = &entry.key[REQUEST_TAG.len()..];
            entry
                .values
                .iter()
                .map(move |v| (key.to_string(), v.clone()))
        })
        .collect()
}

/// STS's limits on session tags (AssumeRole API, `Tags`: at most 50 session
/// tags, a key of 1 to 128 characters, a value of at most 256; keys that
/// differ only in case are the same key — IAM User Guide, id_session-tags).
fn check_tags(tags: &[(String, String)]) -> Option<Refusal> {
    if tags.len() > 50 {
        return Some(Refusal::SessionTags(format!(
            "{} tags given; at most 50 can be passed",
            tags.len()
        )));
    }
    for (i, (key, value)) in tags.iter().enumerate() {
        if key.is_empty() || key.chars().count() > 128 {
            return Some(Refusal::SessionTags(format!(
                "the tag key \"{key}\" must be 1 to 128 characters"
            )));
        }
        if value.chars().count() > 256 {
            return Some(Refusal::SessionTags(format!(
                "the value of tag {key} is longer than 256 characters"
            )));
        }
        if tags[..i].iter().any(|(k, _)| k.eq_ignore_ascii_case(key)) {
            return Some(Refusal::SessionTags(format!(
                "the tag key {key} is given twice (keys are case-insensitive)"
            )));
        }
    }
    None
}

/// STS's own checks on the request: duration bounds and the session name.
fn check_request(role: &Role, request: &AssumeRequest, chained: bool) -> Option<Refusal> {
    if !valid_session_name(&request.session_name) {
        return Some(Refusal::SessionName(request.session_name.clone()));
    }
    let requested = request.duration?;
    let (max, why) = if chained {
        (
            CHAINING_MAX.min(role.max_session_seconds),
            "role chaining (assuming a role from a role session) is limited to one hour"
                .to_string(),
        )
    } else {
        (
            role.max_session_seconds,
            format!(
                "the role's MaxSessionDuration is {} s",
                role.max_session_seconds
            ),
        )
    };
    if requested < MIN_DURATION {
        return Some(Refusal::Duration {
            requested,
            max,
            why: "a session lasts at least 900 s".to_string(),
        });
    }
    (requested > max).then_some(Refusal::Duration {
        requested,
        max,
        why,
    })
}

/// RoleSessionName: 2 to 64 characters of `[\w+=,.@-]` (AssumeRole API).
pub fn valid_session_name(name: &str) -> bool {
    (2..=64).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
}

/// The longest session a caller may ask of `role`: the role's
/// MaxSessionDuration, or at most one hour when chaining from a role session.
/// AssumeRole API, DurationSeconds
/// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html);
/// IAM User Guide, "Role chaining"
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining).
pub fn longest_duration(role: &Role, chained: bool) -> u32 {
    if chained {
        role.max_session_seconds.min(CHAINING_MAX)
    } else {
        role.max_session_seconds
    }
}

/// A RoleSessionName for a session started by `caller`: the caller's name
/// with every character the AssumeRole API does not accept (`[\w+=,.@-]`)
/// replaced by `-`, cut to 64 characters; the tool's default name when
/// fewer than 2 remain. AssumeRole API, RoleSessionName
/// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
pub fn session_name_for(caller: &str) -> String {
    let name: String = caller
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_+=,.@-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    if valid_session_name(&name) {
        name
    } else {
        crate::eval::principal::DEFAULT_SESSION_NAME.to_string()
    }
}

#[cfg(test)]
mod helper_tests {
    use super::*;

    #[test]
    fn session_names_keep_what_sts_accepts_and_replace_the_rest() {
        assert_eq!(session_name_for("carol"), "carol");
        assert_eq!(session_name_for("Jane Doe/ops"), "Jane-Doe-ops");
        assert_eq!(
            session_name_for("é"),
            crate::eval::principal::DEFAULT_SESSION_NAME
        );
        assert_eq!(session_name_for(&"a".repeat(80)).len(), 64);
        assert!(valid_session_name(&session_name_for("x y z ä ö")));
    }
}
