//! Reading the organization file: the tree, SCPs and RCPs.

use super::file_context::{FileContext, PolicyLabel};
use super::files::{OrgPolicyEntry, OrganizationFile};
use crate::model::arn::is_account_id;
use crate::model::organization::{OrgNode, OrgPolicy};
use crate::model::policy_ref::PolicySource;
use crate::model::Organization;
use crate::policy::{JsonPath, PolicyKind};

pub fn build_organization(cx: &mut FileContext, file: OrganizationFile) -> Organization {
    let base = JsonPath::root().key("Organization");
    if !is_account_id(&file.management_account_id) {
        cx.error(
            &base.key("ManagementAccountId"),
            format!(
                "\"{}\" is not a 12-digit account id",
                file.management_account_id
            ),
        );
    }
    let node = |n: super::files::NodeEntry| OrgNode {
        id: n.id,
        name: n.name,
        parent_id: n.parent_id,
    };
    let mut org = Organization {
        file: cx.name.to_string(),
        management_account_id: file.management_account_id,
        roots: file.roots.into_iter().map(|r| r.id).collect(),
        organizational_units: file.organizational_units.into_iter().map(node).collect(),
        accounts: file.accounts.into_iter().map(node).collect(),
        ..Organization::default()
    };
    org.service_control_policies = org_policies(
        cx,
        file.service_control_policies,
        &base.key("ServiceControlPolicies"),
        PolicyKind::Scp,
    );
    org.resource_control_policies = org_policies(
        cx,
        file.resource_control_policies,
        &base.key("ResourceControlPolicies"),
        PolicyKind::Rcp,
    );
    check_tree(cx, &org, &base);
    org
}

fn org_policies(
    cx: &mut FileContext,
    entries: Vec<OrgPolicyEntry>,
    path: &JsonPath,
    kind: PolicyKind,
) -> Vec<OrgPolicy> {
    entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let document = cx.parse_policy(
                &entry.policy,
                &path.index(i).key("Policy"),
                kind,
                PolicyLabel {
                    name: entry.name.clone(),
                    arn: None,
                    source: PolicySource::Attached,
                },
                false,
            );
            OrgPolicy {
                name: entry.name,
                targets: entry.targets,
                document,
            }
        })
        .collect()
}

/// Every parent and every policy target must name a listed root, OU or account.
fn check_tree(cx: &mut FileContext, org: &Organization, base: &JsonPath) {
    if org.roots.is_empty() {
        cx.error(&base.key("Roots"), "the organization lists no root");
    }
    for (i, ou) in org.organizational_units.iter().enumerate() {
        if !org.knows_target(&ou.parent_id) {
            cx.error(
                &base.key("OrganizationalUnits").index(i).key("ParentId"),
                format!(
                    "parent \"{}\" of OU {} is not a listed root or OU",
                    ou.parent_id, ou.id
                ),
            );
        }
    }
    for (i, account) in org.accounts.iter().enumerate() {
        let path = base.key("Accounts").index(i);
        if !is_account_id(&account.id) {
            cx.error(
                &path.key("Id"),
                format!("\"{}\" is not a 12-digit account id", account.id),
            );
        }
        if !org.knows_target(&account.parent_id) {
            cx.error(
                &path.key("ParentId"),
                format!(
                    "parent \"{}\" of account {} is not a listed root or OU",
                    account.parent_id, account.id
                ),
            );
        }
    }
    for (list, key) in [
        (&org.service_control_policies, "ServiceControlPolicies"),
        (&org.resource_control_policies, "ResourceControlPolicies"),
    ] {
        for (i, policy) in list.iter().enumerate() {
            for (j, target) in policy.targets.iter().enumerate() {
                if !org.knows_target(target) {
                    cx.error(
                        &base.key(key).index(i).key("Targets").index(j),
                        format!(
                            "target \"{target}\" of {} names no listed root, OU or account",
                            policy.name
                        ),
                    );
                }
            }
        }
    }
}
