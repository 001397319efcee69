//! The footprint of an answer ([`Footprint`]): every user, group, role and
//! policy a decision about a principal and a resource reads.

use super::principal::{Boundary, Principal};
use crate::model::organization::OrgPolicyKind;
use crate::model::{Footprint, Workspace};

/// What a decision for `principal` on `resource` reads: the principal's
/// entity (its user and groups, or its role with its trust policy), its
/// identity policies, boundary and session policies, the SCPs on its
/// account's path, and for a resource, its resource policy and the RCPs
/// of its account (IAM User Guide, reference_policies_evaluation-logic:
/// the policy types evaluated for a request).
pub fn footprint(
    workspace: &Workspace,
    principal: &Principal,
    resource: Option<&str>,
) -> Footprint {
    let mut footprint = principal_footprint(workspace, principal);
    if let Some(resource) = resource {
        add_resource(&mut footprint, workspace, resource, &principal.account);
    }
    footprint
}

/// What any decision for `principal` reads, whatever the resource.
pub fn principal_footprint(workspace: &Workspace, principal: &Principal) -> Footprint {
    let mut footprint = Footprint::default();
    if let Some(account) = workspace.account(&principal.account) {
        if let Some(user) = account.user_by_arn(&principal.arn) {
            footprint.add_place(&user.place);
            for group in user.groups.iter().filter_map(|name| account.group(name)) {
                footprint.add_place(&group.place);
            }
        }
    }
    if let Some(session) = &principal.session {
        if let Some((_, role)) = workspace.role_by_arn(&session.role_arn) {
            footprint.add_place(&role.place);
        }
        for policy in session.session_policies.iter().flatten() {
            footprint.add_policy(policy);
        }
    }
    for policy in &principal.identity_policies {
        footprint.add_policy(policy);
    }
    if let Some(Boundary::Policy(policy)) = &principal.boundary {
        footprint.add_policy(policy);
    }
    add_org_levels(
        &mut footprint,
        workspace,
        &principal.account,
        OrgPolicyKind::ServiceControl,
    );
    footprint
}

/// The resource's policy (or the place of one set aside) and the RCPs of
/// the resource's account.
pub fn add_resource(
    footprint: &mut Footprint,
    workspace: &Workspace,
    resource: &str,
    caller_account: &str,
) {
    if let Some(policy) = workspace.resource_policy_for(resource) {
        footprint.add_policy(&policy.document);
    }
    for (arn, place) in &workspace.set_aside_resources {
        let governs = resource == arn
            || resource
                .strip_prefix(arn.as_str())
                .is_some_and(|rest| rest.starts_with('/'));
        if governs {
            footprint.add_place(place);
        }
    }
    if let Some(account) = workspace.resource_account(resource, caller_account) {
        add_org_levels(
            footprint,
            workspace,
            account,
            OrgPolicyKind::ResourceControl,
        );
    }
}

fn add_org_levels(
    footprint: &mut Footprint,
    workspace: &Workspace,
    account: &str,
    kind: OrgPolicyKind,
) {
    let Some(org) = &workspace.organization else {
        return;
    };
    let Some(levels) = org.account_levels(account, kind) else {
        return;
    };
    footprint.organization = Some(org.file.as_str().into());
    for level in levels {
        for policy in &level.policies {
            footprint.add_policy(&policy.document);
        }
    }
}
