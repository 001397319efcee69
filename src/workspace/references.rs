//! Checks across a workspace once every file is read: attached policies and
//! boundaries must resolve, groups must exist, resources must have an owner.

use std::collections::BTreeMap;

use super::file_context::{FileContext, PolicyLabel};
use crate::bundled::managed_policies;
use crate::model::account::is_aws_managed_arn;
use crate::model::policy_ref::PolicySource;
use crate::model::{Account, Arn, ManagedPolicy, PolicyVersion, Workspace};
use crate::policy::{JsonPath, PolicyKind};

/// `account_contexts[i]` belongs to `workspace.accounts[i]`.
pub fn check(
    workspace: &mut Workspace,
    account_contexts: &mut [FileContext],
    other_contexts: &mut [FileContext],
) {
    let mut bundled = BTreeMap::new();
    for (account, cx) in workspace.accounts.iter().zip(account_contexts.iter_mut()) {
        check_account(workspace, account, cx, &mut bundled);
    }
    workspace.bundled_policies = bundled;
    check_resource_owners(workspace, other_contexts);
}

/// Where a policy reference sits, for messages.
struct Reference<'a> {
    arn: &'a str,
    path: JsonPath,
    boundary: bool,
}

fn check_account(
    workspace: &Workspace,
    account: &Account,
    cx: &mut FileContext,
    bundled: &mut BTreeMap<String, ManagedPolicy>,
) {
    let root = JsonPath::root();
    let mut references = Vec::new();
    for (i, user) in account.users.iter().enumerate() {
        let path = root.key("UserDetailList").index(i);
        for (j, group) in user.groups.iter().enumerate() {
            if account.group(group).is_none() {
                cx.warning(
                    &path.key("GroupList").index(j),
                    format!("user {} is in group \"{group}\", which this file does not list; its policies are unknown", user.name),
                );
            }
        }
        collect(
            &mut references,
            &user.attached,
            user.boundary.as_deref(),
            &path,
        );
    }
    for (i, group) in account.groups.iter().enumerate() {
        collect(
            &mut references,
            &group.attached,
            None,
            &root.key("GroupDetailList").index(i),
        );
    }
    for (i, role) in account.roles.iter().enumerate() {
        collect(
            &mut references,
            &role.attached,
            role.boundary.as_deref(),
            &root.key("RoleDetailList").index(i),
        );
    }
    for reference in references {
        resolve(workspace, account, cx, bundled, &reference);
    }
}

fn collect<'a>(
    out: &mut Vec<Reference<'a>>,
    attached: &'a [String],
    boundary: Option<&'a str>,
    path: &JsonPath,
) {
    for (j, arn) in attached.iter().enumerate() {
        out.push(Reference {
            arn,
            path: path
                .key("AttachedManagedPolicies")
                .index(j)
                .key("PolicyArn"),
            boundary: false,
        });
    }
    if let Some(arn) = boundary {
        out.push(Reference {
            arn,
            path: path
                .key("PermissionsBoundary")
                .key("PermissionsBoundaryArn"),
            boundary: true,
        });
    }
}

fn resolve(
    workspace: &Workspace,
    account: &Account,
    cx: &mut FileContext,
    bundled: &mut BTreeMap<String, ManagedPolicy>,
    reference: &Reference,
) {
    let consequence = if reference.boundary {
        "as a boundary that cannot be read, it allows nothing"
    } else {
        "it grants nothing"
    };
    if is_aws_managed_arn(reference.arn) {
        if workspace
            .accounts
            .iter()
            .any(|a| a.policies.contains_key(reference.arn))
            || bundled.contains_key(reference.arn)
        {
            return;
        }
        match managed_policies::lookup(reference.arn) {
            Some(policy) => {
                bundled.insert(reference.arn.to_string(), bundled_policy(policy));
            }
            None => cx.warning(
                &reference.path,
                format!(
                    "AWS managed policy {} is neither in the dump nor among the {} bundled ones; {consequence}",
                    reference.arn,
                    managed_policies::count()
                ),
            ),
        }
        return;
    }
    match reference.arn.parse::<Arn>() {
        Err(e) => cx.error(&reference.path, format!("\"{}\" is not a policy ARN: {e}", reference.arn)),
        Ok(arn) if arn.account != account.id => cx.error(
            &reference.path,
            format!(
                "policy {} belongs to account {}; an entity can only use its own account's policies",
                reference.arn, arn.account
            ),
        ),
        Ok(_) if !account.policies.contains_key(reference.arn) => cx.error(
            &reference.path,
            format!("policy {} is attached but defined nowhere (not in Policies); {consequence}", reference.arn),
        ),
        Ok(_) => {}
    }
}

/// Parses a bundled AWS managed policy. The data is generated and tested, so
/// its problems (there are none) are not the user's to see.
fn bundled_policy(policy: managed_policies::BundledPolicy) -> ManagedPolicy {
    let name = policy
        .arn
        .rsplit('/')
        .next()
        .unwrap_or(policy.arn)
        .to_string();
    let value: serde_json::Value =
        serde_json::from_str(policy.document).unwrap_or(serde_json::Value::Null);
    let mut scratch = FileContext::new("(bundled AWS managed policies)".into(), policy.document);
    let document = scratch.parse_policy(
        &value,
        &JsonPath::root(),
        PolicyKind::Identity,
        PolicyLabel {
            name: name.clone(),
            arn: Some(policy.arn.to_string()),
            source: PolicySource::AwsManagedBundled,
        },
        false,
    );
    ManagedPolicy {
        name,
        arn: policy.arn.to_string(),
        id: String::new(),
        path: policy_path(policy.arn),
        default_version_id: policy.version_id.to_string(),
        versions: vec![PolicyVersion {
            version_id: policy.version_id.to_string(),
            is_default: true,
            create_date: None,
            document,
        }],
        attachment_count: None,
    }
}

/// `arn:aws:iam::aws:policy/job-function/ViewOnlyAccess` has path `/job-function/`.
fn policy_path(arn: &str) -> String {
    let after = arn.split_once(":policy").map_or("", |(_, rest)| rest);
    match after.rfind('/') {
        Some(i) if i > 0 => after[..=i].to_string(),
        _ => "/".to_string(),
    }
}

/// A resource ARN without an account (S3) belongs to the only account; with
/// several accounts the file must say which.
fn check_resource_owners(workspace: &Workspace, other_contexts: &mut [FileContext]) {
    if workspace.accounts.len() <= 1 {
        return;
    }
    for rp in &workspace.resource_policies {
        let needs_owner =
            rp.account.is_none() && rp.arn.parse::<Arn>().is_ok_and(|a| a.account.is_empty());
        if !needs_owner {
            continue;
        }
        if let Some(cx) = other_contexts
            .iter_mut()
            .find(|cx| *cx.name == *rp.document.origin.file)
        {
            cx.error(
                &rp.document.origin.path.parent_or_root().key("AccountId"),
                format!(
                    "{} carries no account id and the workspace has {} accounts: add \"AccountId\"",
                    rp.arn,
                    workspace.accounts.len()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::policy_path;

    #[test]
    fn managed_policy_paths() {
        assert_eq!(policy_path("arn:aws:iam::aws:policy/ReadOnlyAccess"), "/");
        assert_eq!(
            policy_path("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"),
            "/job-function/"
        );
    }
}
