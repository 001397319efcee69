//! Reading the organization file: the tree, SCPs and RCPs.

use super::file_context::{FileContext, PolicyLabel};
use super::files::{OrgPolicyEntry, OrganizationFile};
use crate::model::arn::is_account_id;
use crate::model::organization::{OrgNode, OrgPolicy};
use crate::model::policy_ref::PolicySource;
use crate::model::Organization;
use crate::policy::{JsonPath, PolicyKind};

pub fn build_organization<'a>(
    cx: &mut FileContext<'a>,
    file: OrganizationFile<'a>,
) -> Organization {
    let base = JsonPath::root().key("Organization");
    let management_account_id = management_account(cx, &file, &base);
    if let Some(id) = &file.id {
        if !is_organization_id(id) {
            cx.warning(
                &base.key("Id"),
                format!("\"{id}\" is not an organization id (o- and 10 to 32 lower-case letters or digits)"),
            );
        }
    }
    let node = |n: super::files::NodeEntry| OrgNode {
        id: n.id,
        name: n.name,
        parent_id: n.parent_id,
    };
    let mut org = Organization {
        file: cx.name.to_string(),
        id: file.id,
        management_account_id,
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

/// The management account: `ManagementAccountId`, or `MasterAccountId` as
/// DescribeOrganization also prints it (AWS Organizations API reference,
/// API_Organization). SCPs do not restrict it (AWS Organizations User Guide,
/// orgs_manage_policies_scps: "SCPs don't affect users or roles in the
/// management account"), so an unknown one exempts no account.
fn management_account<'a>(
    cx: &mut FileContext<'a>,
    file: &OrganizationFile<'a>,
    base: &JsonPath,
) -> Option<String> {
    let (key, id) = match (&file.management_account_id, &file.master_account_id) {
        (Some(id), _) => ("ManagementAccountId", id),
        (None, Some(id)) => ("MasterAccountId", id),
        (None, None) => {
            cx.warning(
                base,
                "the organization names no ManagementAccountId (or MasterAccountId), \
                 so no account is exempt from SCPs",
            );
            return None;
        }
    };
    if is_account_id(id) {
        Some(id.clone())
    } else {
        cx.error(
            &base.key(key),
            format!("\"{id}\" is not a 12-digit account id; no account is exempt from SCPs"),
        );
        None
    }
}

/// `o-` followed by 10 to 32 lower-case letters or digits (AWS Organizations
/// API reference, API_Organization, `Id` pattern `^o-[a-z0-9]{10,32}$`).
fn is_organization_id(id: &str) -> bool {
    id.strip_prefix("o-").is_some_and(|rest| {
        (10..=32).contains(&rest.len())
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

fn org_policies<'a>(
    cx: &mut FileContext<'a>,
    entries: Vec<OrgPolicyEntry<'a>>,
    path: &JsonPath,
    kind: PolicyKind,
) -> Vec<OrgPolicy> {
    entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let document = cx.parse_document(
                entry.policy,
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
fn check_tree<'a>(cx: &mut FileContext<'a>, org: &Organization, base: &JsonPath) {
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
