//! Checks across a workspace once every file is read: attached policies and
//! boundaries must resolve, groups must exist, resources must have an owner.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

use super::file_context::{FileContext, PolicyLabel};
use crate::bundled::managed_policies;
use crate::model::account::is_aws_managed_arn;
use crate::model::policy_ref::PolicySource;
use crate::model::{Account, Arn, ManagedPolicy, Place, PolicyVersion, Workspace};
use crate::policy::{JsonPath, PolicyKind, Severity};
use std::sync::Arc;

/// Resolves references across files; problems go to the context of the file
/// that holds the reference (`contexts` holds every file that loaded).
pub fn check(workspace: &mut Workspace, contexts: &mut [FileContext]) {
    let mut bundled = BTreeMap::new();
    let mut found = Vec::new();
    for account in &workspace.accounts {
        check_account(workspace, account, &mut bundled, &mut found);
    }
    for (file, path, severity, message) in found {
        if let Some(cx) = contexts.iter_mut().find(|cx| *cx.name == *file) {
            cx.report(severity, &path, message);
        }
    }
    workspace.bundled_policies = bundled;
    let unowned = unowned_resource_policies(workspace);
    set_aside_resource_policies(workspace, contexts, unowned);
}

/// A problem found across files: the file and place it is reported at.
type Found = (Arc<str>, JsonPath, Severity, String);

/// Where a policy reference sits, for messages.
struct Reference<'a> {
    arn: &'a str,
    file: &'a Arc<str>,
    path: JsonPath,
    boundary: bool,
}

fn check_account(
    workspace: &Workspace,
    account: &Account,
    bundled: &mut BTreeMap<String, ManagedPolicy>,
    found: &mut Vec<Found>,
) {
    let mut references = Vec::new();
    for user in &account.users {
        let path = &user.place.path;
        for (j, group) in user.groups.iter().enumerate() {
            if account.group(group).is_none() {
                found.push((
                    user.place.file.clone(),
                    path.key("GroupList").index(j),
                    Severity::Warning,
                    format!("user {} is in group \"{group}\", which the dump of account {} does not list; its policies are unknown", user.name, account.id),
                ));
            }
        }
        collect(
            &mut references,
            &user.attached,
            user.boundary.as_deref(),
            &user.place,
        );
    }
    for group in &account.groups {
        collect(&mut references, &group.attached, None, &group.place);
    }
    for role in &account.roles {
        collect(
            &mut references,
            &role.attached,
            role.boundary.as_deref(),
            &role.place,
        );
    }
    for reference in references {
        if let Some((severity, message)) = resolve(workspace, account, bundled, &reference) {
            found.push((reference.file.clone(), reference.path, severity, message));
        }
    }
}

fn collect<'a>(
    out: &mut Vec<Reference<'a>>,
    attached: &'a [String],
    boundary: Option<&'a str>,
    place: &'a Place,
) {
    let path = &place.path;
    for (j, arn) in attached.iter().enumerate() {
        out.push(Reference {
            arn,
            file: &place.file,
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
            file: &place.file,
            path: path
                .key("PermissionsBoundary")
                .key("PermissionsBoundaryArn"),
            boundary: true,
        });
    }
}

/// The problem with one reference, if it has one.
fn resolve(
    workspace: &Workspace,
    account: &Account,
    bundled: &mut BTreeMap<String, ManagedPolicy>,
    reference: &Reference,
) -> Option<(Severity, String)> {
    let consequence = if reference.boundary {
        "as a boundary that cannot be read, it allows nothing"
    } else {
        "it grants nothing"
    };
    if is_aws_managed_arn(reference.arn) {
        if workspace.managed_policy_in_dumps(reference.arn) || bundled.contains_key(reference.arn) {
            return None;
        }
        return match managed_policies::lookup(reference.arn) {
            Some(policy) => {
                bundled.insert(reference.arn.to_string(), bundled_policy(policy));
                None
            }
            None => Some((
                Severity::Warning,
                format!(
                    "AWS managed policy {} is neither in the dump nor among the {} bundled ones; {consequence}",
                    reference.arn,
                    managed_policies::count()
                ),
            )),
        };
    }
    let message = match reference.arn.parse::<Arn>() {
        Err(e) => format!("\"{}\" is not a policy ARN: {e}; {consequence}", reference.arn),
        Ok(arn) if arn.account != account.id => format!(
            "policy {} belongs to account {}; an entity can only use its own account's policies, so {consequence}",
            reference.arn, arn.account
        ),
        Ok(_) if !account.policies.contains_key(reference.arn) => format!(
            "policy {} is attached but defined nowhere (not in Policies); {consequence}",
            reference.arn
        ),
        Ok(_) => return None,
    };
    Some((Severity::Error, message))
}

/// A bundled AWS managed policy, parsed once per process: the data is
/// embedded, so every workspace that uses it (a reload, a fuzzer's every
/// input) would otherwise parse the same document again, and ReadOnlyAccess
/// alone names thousands of actions.
fn bundled_policy(policy: managed_policies::BundledPolicy) -> ManagedPolicy {
    static PARSED: OnceLock<Mutex<HashMap<&'static str, ManagedPolicy>>> = OnceLock::new();
    let parsed = PARSED.get_or_init(Default::default);
    let cached = parsed
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .get(policy.arn)
        .cloned();
    if let Some(done) = cached {
        return done;
    }
    let done = parse_bundled(policy);
    parsed
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .insert(policy.arn, done.clone());
    done
}

/// Parses a bundled AWS managed policy. The data is generated and tested, so
/// its problems (there are none) are not the user's to see.
fn parse_bundled(policy: managed_policies::BundledPolicy) -> ManagedPolicy {
    let name = policy
        .arn
        .rsplit('/')
        .next()
        .unwrap_or(policy.arn)
        .to_string();
    let value: serde_json::Value =
        serde_json::from_str(policy.document).unwrap_or(serde_json::Value::Null);
    let mut scratch = FileContext::new(BUNDLED_FILE.into(), policy.document);
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
        place: Place {
            file: BUNDLED_FILE.into(),
            path: JsonPath::root(),
        },
    }
}

/// The file name the bundled AWS managed policies are shown under.
const BUNDLED_FILE: &str = "(bundled AWS managed policies)";

/// `arn:aws:iam::aws:policy/job-function/ViewOnlyAccess` has path `/job-function/`.
fn policy_path(arn: &str) -> String {
    let after = arn.split_once(":policy").map_or("", |(_, rest)| rest);
    match after.rfind('/') {
        Some(i) if i > 0 => after[..=i].to_string(),
        _ => "/".to_string(),
    }
}

/// Positions of the resource policies whose owner cannot be told: an ARN
/// without an account (S3 buckets) and no `AccountId`, in a workspace of
/// several accounts. With one account, that account owns them.
fn unowned_resource_policies(workspace: &Workspace) -> Vec<usize> {
    if workspace.accounts.len() <= 1 {
        return Vec::new();
    }
    workspace
        .resource_policies
        .iter()
        .enumerate()
        .filter(|(_, rp)| {
            rp.account.is_none() && rp.arn.parse::<Arn>().is_ok_and(|a| a.account.is_empty())
        })
        .map(|(i, _)| i)
        .collect()
}

/// Sets the unowned resource policies aside: whether a principal is in the
/// resource's account decides how the policy counts (IAM User Guide,
/// reference_policies_evaluation-logic-cross-account), so a guess could
/// turn a denial into an allow. The rest of the workspace loads.
fn set_aside_resource_policies(
    workspace: &mut Workspace,
    contexts: &mut [FileContext],
    unowned: Vec<usize>,
) {
    let accounts = workspace.accounts.len();
    for &i in unowned.iter().rev() {
        let rp = workspace.resource_policies.remove(i);
        if let Some(cx) = contexts
            .iter_mut()
            .find(|cx| *cx.name == *rp.document.origin.file)
        {
            cx.error(
                &rp.document.origin.path.parent_or_root().key("AccountId"),
                format!(
                    "{} carries no account id and the workspace has {accounts} accounts: add \"AccountId\"; \
                     until then this resource policy is set aside",
                    rp.arn
                ),
            );
        }
        let place = Place {
            file: rp.document.origin.file.clone(),
            path: rp.document.origin.path.parent_or_root(),
        };
        workspace.set_aside_resources.push((rp.arn, place));
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
