//! Quick, sound answers for searches (who-can over role paths): whether a
//! principal's own side refuses every role, and whether a trust policy may
//! admit it at all, each far cheaper than a full evaluation.

use std::sync::Arc;

use super::layers::implied_policy;
use super::request::TRUST_ACTIONS;
use crate::eval::decision::Layer;
use crate::eval::principal::{Boundary, Principal, PrincipalKind};
use crate::eval::resource_keys::{reads_resource_keys, Layered, ResourceKeys};
use crate::eval::scan::{scan, ScanResult, Target};
use crate::model::organization::OrgPolicyKind;
use crate::model::policy_ref::NamedPolicy;
use crate::model::Workspace;
use crate::policy::{Effect, RequestContext, RequestKeys};

/// True when `principal`'s own side refuses the trust action `action`
/// (`sts:AssumeRole`...) on every role, whatever the role's trust policy: an
/// explicit deny covering every resource in its identity policies, boundary,
/// session policies or SCPs, or a boundary, session policy or SCP level with
/// no statement that could allow the action (a trust policy never spares
/// those). The root user assumes no role.
///
/// Sound for pruning searches: when it returns true, [`evaluate_outcome`](super::evaluate_outcome) of
/// `action` on any role ARN, with the same context and time, is a deny. When
/// false, nothing is claimed.
pub fn refuses_every_role(
    workspace: &Workspace,
    principal: &Principal,
    action: &str,
    context: &RequestContext,
    now_epoch: i64,
) -> bool {
    if !TRUST_ACTIONS.iter().any(|t| t.eq_ignore_ascii_case(action)) {
        return false;
    }
    if principal.kind == PrincipalKind::Root {
        return true;
    }
    let derived = principal.derived_keys();
    let keys = RequestKeys::new(context, &derived, now_epoch);
    let denies_all = |policy: &NamedPolicy| {
        policy.policy.statements_for(action).any(|s| {
            s.effect == Effect::Deny
                && s.principal.is_none()
                && s.applies_to_action(action)
                && s.covers_every_resource()
                // A condition on the role's own keys may hold for one role
                // and not another: not a refusal of every role.
                && !reads_resource_keys(&s.condition)
                && s.condition.evaluate(&keys)
        })
    };
    let may_allow = |policy: &NamedPolicy| {
        policy.policy.statements_for(action).any(|s| {
            s.effect == Effect::Allow
                && s.applies_to_action(action)
                && s.covers_some_resource()
                && (reads_resource_keys(&s.condition) || s.condition.evaluate(&keys))
        })
    };
    let boundary: &[Arc<NamedPolicy>] = match &principal.boundary {
        Some(Boundary::Policy(policy)) => std::slice::from_ref(policy),
        _ => &[],
    };
    let session_policies = principal
        .session
        .as_ref()
        .and_then(|s| s.session_policies.as_deref());
    let own_side = principal
        .identity_policies
        .iter()
        .chain(boundary)
        .chain(session_policies.unwrap_or_default());
    if own_side.clone().any(|p| denies_all(p)) {
        return true;
    }
    let boundary_refuses = match &principal.boundary {
        None => false,
        Some(Boundary::Unresolved(_)) => true,
        Some(Boundary::Policy(policy)) => !may_allow(policy),
    };
    let session_refuses =
        session_policies.is_some_and(|policies| !policies.iter().any(|p| may_allow(p)));
    boundary_refuses
        || session_refuses
        || scps_refuse_everywhere(workspace, principal, &denies_all, &may_allow)
}

/// Whether the trust policy of `role_arn` may admit `principal` for the trust
/// action `action`: one of its Allow statements names the principal and its
/// conditions hold. A necessary condition of [`evaluate_outcome`](super::evaluate_outcome) allowing
/// `action` on the role, at a fraction of its cost (no other layer is read),
/// so searches test it first. A role not in the workspace admits no one.
pub fn trust_may_admit(
    workspace: &Workspace,
    principal: &Principal,
    action: &str,
    role_arn: &str,
    context: &RequestContext,
    now_epoch: i64,
) -> bool {
    let Some(trust) = workspace
        .role_by_arn(role_arn)
        .and_then(|(_, role)| role.trust_policy.as_ref())
    else {
        return false;
    };
    let derived = principal.derived_keys();
    let of_role = ResourceKeys::new(workspace, role_arn, &principal.account, None);
    let implied = Layered(&derived, &of_role);
    let keys = RequestKeys::new(context, &implied, now_epoch);
    let target = Target {
        action,
        resource: role_arn,
        context: &keys,
        requester: principal.requester(),
        has_boundary: principal.boundary.is_some(),
        explain: false,
    };
    let mut result = ScanResult::default();
    scan(trust, Layer::ResourcePolicy, None, &target, &mut result);
    result.summary.named.is_some()
}

/// The SCP part of [`refuses_every_role`]: a level that denies on every
/// resource, or that has no statement that could allow.
fn scps_refuse_everywhere(
    workspace: &Workspace,
    principal: &Principal,
    denies_all: &dyn Fn(&NamedPolicy) -> bool,
    may_allow: &dyn Fn(&NamedPolicy) -> bool,
) -> bool {
    let Some(org) = &workspace.organization else {
        return false;
    };
    let account = principal.account.as_str();
    if principal.service_linked
        || !org.contains_account(account)
        || org.is_management_account(account)
    {
        return false;
    }
    let Some(levels) = org.account_levels(account, OrgPolicyKind::ServiceControl) else {
        return false;
    };
    levels.iter().any(|level| {
        let implied = level
            .policies
            .is_empty()
            .then(|| implied_policy(OrgPolicyKind::ServiceControl));
        let policies = || {
            implied
                .into_iter()
                .chain(level.policies.iter().map(|p| p.document.as_ref()))
        };
        policies().any(denies_all) || !policies().any(may_allow)
    })
}
