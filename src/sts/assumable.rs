//! Can a principal assume a role, and if not, why not — in a few words.
//! The rules are STS's (through [`assume_role`]); the UI's picker and detail
//! pane and the CLI share them.

use crate::eval::decision::Layer;
use crate::eval::{Outcome, Principal};
use crate::model::ArnParts;
use crate::model::{Role, Workspace};
use crate::policy::RequestContext;

use super::assume::{assume_role, AssumeRequest, Refusal};

/// The answer for one role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assumability {
    pub allowed: bool,
    pub reason: String,
}

/// Whether the role's trust policy names `caller` at all (its ARN, its role,
/// its account or everyone), conditions aside: a cheap test that spares a
/// full evaluation for the many roles of a large account that never could.
pub fn trust_may_name(role: &Role, caller: &Principal) -> bool {
    let Some(trust) = &role.trust_policy else {
        return false;
    };
    let requester = caller.requester();
    trust.policy.statements.iter().any(|s| {
        s.effect == crate::policy::Effect::Allow
            && s.principal
                .as_ref()
                .is_some_and(|p| p.names(&requester).is_some())
    })
}

/// Asks STS (the engine) whether `caller` may assume `role` now.
pub fn assumability(
    workspace: &Workspace,
    caller: &Principal,
    role: &Role,
    context: &RequestContext,
    now: i64,
) -> Assumability {
    if !trust_may_name(role, caller) {
        if let Some(names) = super::trust::service_or_federated_only(role) {
            return Assumability {
                allowed: false,
                reason: format!("assumable by {names}"),
            };
        }
        return Assumability {
            allowed: false,
            reason: "not named by the trust policy".to_string(),
        };
    }
    let request = AssumeRequest {
        role_arn: role.arn.clone(),
        duration: None,
        session_name: crate::eval::principal::DEFAULT_SESSION_NAME.to_string(),
        session_policies: Vec::new(),
        context: context.clone(),
        now_epoch: now,
    };
    let outcome = match assume_role(workspace, caller, &request) {
        Ok(outcome) => outcome,
        Err(refusal) => {
            return Assumability {
                allowed: false,
                reason: refusal.to_string(),
            }
        }
    };
    if let Some(session) = &outcome.session {
        let how = outcome
            .decision
            .layer(Layer::ResourcePolicy)
            .map(|l| l.note.clone())
            .unwrap_or_default();
        // Cross-account: the role lives in another account than the caller
        // (IAM User Guide, "Cross account resource access in IAM",
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-cross-account-resource-access.html).
        let role_account = ArnParts::parse(&session.role_arn).map(|a| a.account).ok();
        let cross = if role_account != Some(caller.account.as_str()) {
            "cross-account; "
        } else {
            ""
        };
        return Assumability {
            allowed: true,
            reason: format!("{cross}{}", short_trust_note(&how)),
        };
    }
    if let Some(refusal) = &outcome.refusal {
        if let Refusal::ServiceOnly { names, .. } = refusal {
            return Assumability {
                allowed: false,
                reason: format!("assumable by {names}"),
            };
        }
        return Assumability {
            allowed: false,
            reason: refusal.to_string(),
        };
    }
    let decision = &outcome.decision;
    // Assumable, but not with the session tags the context passes.
    if decision.action.eq_ignore_ascii_case("sts:TagSession") {
        return Assumability {
            allowed: false,
            reason: "the session tags need sts:TagSession, not allowed".to_string(),
        };
    }
    let reason = match (decision.decision, decision.reasons.first()) {
        (Outcome::ExplicitDeny, Some(r)) => r.message.clone(),
        (_, Some(r)) => match r.layer {
            Layer::ResourcePolicy => {
                let miss = decision
                    .layer(Layer::ResourcePolicy)
                    .and_then(|l| l.near_misses.first())
                    .map(|m| m.failed_conditions.join(" and "));
                match miss {
                    Some(conditions) => format!("trust needs {conditions}"),
                    None => "not named by the trust policy".to_string(),
                }
            }
            Layer::Identity => "no sts:AssumeRole allow".to_string(),
            Layer::Boundary => "boundary blocks sts:AssumeRole".to_string(),
            Layer::SessionPolicy => "session policy blocks it".to_string(),
            Layer::Scp => "an SCP blocks sts:AssumeRole".to_string(),
            Layer::Rcp => "an RCP blocks sts:AssumeRole".to_string(),
        },
        _ => "denied".to_string(),
    };
    Assumability {
        allowed: false,
        reason,
    }
}

/// "trust policy of X allows; it names the account" → "trust names the account".
fn short_trust_note(note: &str) -> String {
    match note.split_once("; it ") {
        Some((_, rest)) => format!("trust {rest}"),
        None => note.to_string(),
    }
}
