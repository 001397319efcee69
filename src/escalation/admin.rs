//! Admin-equivalent: what "every action on every resource" means here.
//!
//! A principal is admin when (1) one of its identity statements allows
//! every action (`"Action": "*"`) on every resource (`"Resource": "*"`)
//! without a condition, and (2) the full evaluator, with the caller's
//! context, allows it a set of probe requests on `*` across services
//! ([`PROBES`]): those are what a permissions boundary, an SCP at any
//! level, or an explicit deny in any policy would take back. (1) keeps
//! "admin" to principals granted everything, not merely many things; (2)
//! makes the grant count only when nothing else in the evaluation
//! (IAM User Guide, reference_policies_evaluation-logic) refuses it. A
//! deny narrower than the probes (one action of one service) leaves the
//! principal admin: it can then do everything but that.

use std::sync::Arc;

use super::ask::Asker;
use crate::eval::Principal;
use crate::model::policy_ref::NamedPolicy;
use crate::policy::statement::ActionSpec;
use crate::policy::Effect;

/// Requests an administrator can make: IAM writes (which give every other
/// permission), role assumption and passing, compute, storage, keys,
/// secrets.
pub(super) const PROBES: [&str; 14] = [
    "iam:CreateUser",
    "iam:PutRolePolicy",
    "iam:AttachRolePolicy",
    "iam:CreateAccessKey",
    "iam:PassRole",
    "sts:AssumeRole",
    "ec2:RunInstances",
    "ec2:TerminateInstances",
    "s3:GetObject",
    "s3:PutObject",
    "kms:Decrypt",
    "lambda:CreateFunction",
    "dynamodb:DeleteTable",
    "secretsmanager:GetSecretValue",
];

/// An identity statement of `principal` granting every action on every
/// resource without a condition: the policy and the statement's position.
pub(super) fn full_grant(principal: &Principal) -> Option<(&Arc<NamedPolicy>, usize)> {
    // An action no policy could name on purpose: only `*`-like patterns match it.
    const ANY: &str = "iamscopeprobe:IamscopeProbe";
    for policy in &principal.identity_policies {
        for statement in policy.policy.statements_for(ANY) {
            let every_action = match &statement.actions {
                ActionSpec::Action(list) => list.spans_services() && list.matches(ANY),
                ActionSpec::NotAction(_) => false,
            };
            if statement.effect == Effect::Allow
                && every_action
                && statement.covers_every_resource()
                && statement.condition.clauses.is_empty()
            {
                return Some((policy, statement.index));
            }
        }
    }
    None
}

/// Admin-equivalent as the module documents it.
pub(super) fn is_admin(asker: &Asker, principal: &Principal) -> bool {
    full_grant(principal).is_some()
        && PROBES
            .iter()
            .all(|action| asker.allowed(principal, action, "*", &[]))
}

/// `principal` with more identity policies (and without `without`): what
/// it would be after a step that changes its policies.
pub(super) fn changed(
    principal: &Principal,
    without: Option<&Arc<NamedPolicy>>,
    with: impl IntoIterator<Item = Arc<NamedPolicy>>,
) -> Principal {
    let mut changed = principal.clone();
    if let Some(old) = without {
        changed.identity_policies.retain(|p| !Arc::ptr_eq(p, old));
    }
    changed.identity_policies.extend(with);
    changed
}

/// Whether `principal` would be admin with a policy granting everything
/// added to it: false when a boundary, an SCP or a deny would still refuse
/// (a boundary is the documented fix for self-granting; IAM User Guide,
/// access_policies_boundaries).
pub(super) fn admin_if_granted(asker: &Asker, principal: &Principal) -> bool {
    is_admin(asker, &changed(principal, None, [asker.allow_all.clone()]))
}
