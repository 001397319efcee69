//! The organizations of a store (iam-collect,
//! src/syncs/organizations/organizations.ts writes them):
//! `organizations/<org-id>/metadata.json` (`id`, `rootOu`, `rootAccountId`:
//! the management account), `accounts.json` (`{account: {ou, scps, rcps}}`),
//! `ous.json` (`{ou: {parent, scps, rcps}}`, the root without a parent),
//! `ous/<ou-id>/metadata.json` (`name`), and `scps/<policy-id>/` and
//! `rcps/<policy-id>/` each with `metadata.json` (`arn`, `name`) and
//! `policy.json`. Several organizations become one tree of several roots.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::read::StoreFiles;
use super::walk::{file_name, subfolders};
use crate::model::organization::{OrgNode, OrgPolicy};
use crate::model::policy_ref::{NamedPolicy, PolicyOrigin, PolicySource};
use crate::model::Organization;
use crate::policy::{JsonPath, Policy, PolicyKind};
use crate::workspace::file_context::PolicyLabel;

/// The store's organizations as one [`Organization`]; `None` when it has none.
pub fn build(files: &mut StoreFiles, dirs: &[std::path::PathBuf]) -> Option<Organization> {
    let mut merged: Option<Organization> = None;
    for dir in dirs {
        let Some(one) = read_one(files, dir) else {
            continue;
        };
        match &mut merged {
            None => merged = Some(one),
            Some(org) => {
                org.root_organizations.extend(one.root_organizations);
                org.roots.extend(one.roots);
                org.organizational_units.extend(one.organizational_units);
                org.accounts.extend(one.accounts);
                org.service_control_policies
                    .extend(one.service_control_policies);
                org.resource_control_policies
                    .extend(one.resource_control_policies);
                org.other_management_accounts
                    .extend(one.management_account_id);
            }
        }
    }
    merged
}

/// Attachments as the store lists them: target → policy ARNs.
#[derive(Default)]
struct Attachments {
    scps: Vec<(String, Vec<String>, JsonPath, Arc<str>)>,
    rcps: Vec<(String, Vec<String>, JsonPath, Arc<str>)>,
}

fn read_one(files: &mut StoreFiles, dir: &Path) -> Option<Organization> {
    let metadata_file = dir.join("metadata.json");
    let (metadata, cx) = files.take(&metadata_file)?;
    let text = |key: &str| {
        metadata
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let id = text("id").unwrap_or_else(|| file_name(dir));
    let Some(root) = text("rootOu") else {
        cx.error(
            &JsonPath::root(),
            format!(
                "organization {id}: metadata.json has no \"rootOu\"; the organization is set aside"
            ),
        );
        return None;
    };
    let management = text("rootAccountId");
    if management.is_none() {
        cx.warning(
            &JsonPath::root(),
            format!("organization {id} names no rootAccountId (its management account), so no account is exempt from SCPs"),
        );
    }
    let file = cx.name.to_string();
    let mut org = Organization {
        file,
        id: Some(id.clone()),
        management_account_id: management,
        roots: vec![root.clone()],
        root_organizations: BTreeMap::from([(root.clone(), id.clone())]),
        ..Organization::default()
    };
    let mut attachments = Attachments::default();
    read_ous(files, dir, &root, &mut org, &mut attachments);
    read_accounts(files, dir, &mut org, &mut attachments);
    org.service_control_policies =
        policies(files, &dir.join("scps"), PolicyKind::Scp, attachments.scps);
    org.resource_control_policies =
        policies(files, &dir.join("rcps"), PolicyKind::Rcp, attachments.rcps);
    Some(org)
}

/// The attachment lists of one target (`scps`, `rcps`), by ARN.
fn lists(entry: &Value) -> (Vec<String>, Vec<String>) {
    let arns = |key: &str| {
        entry
            .get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    (arns("scps"), arns("rcps"))
}

fn read_ous(
    files: &mut StoreFiles,
    dir: &Path,
    root: &str,
    org: &mut Organization,
    attachments: &mut Attachments,
) {
    // OU names live in `ous/<ou-id>/metadata.json`; the folder name is the
    // id lower-cased, as every id of Organizations already is.
    let mut names = BTreeMap::new();
    for ou_dir in subfolders(&dir.join("ous")) {
        if let Some((value, _)) = files.take(&ou_dir.join("metadata.json")) {
            if let Some(name) = value.get("name").and_then(Value::as_str) {
                names.insert(file_name(&ou_dir), name.to_string());
            }
        }
    }
    let file = dir.join("ous.json");
    let Some((value, cx)) = files.take(&file) else {
        return;
    };
    let Value::Object(map) = value else {
        cx.error(&JsonPath::root(), "ous.json is not an object of OU id: {parent, scps, rcps}; the tree below the root is unknown");
        return;
    };
    let name: Arc<str> = cx.name.clone();
    for (id, entry) in map {
        let path = JsonPath::root().key(&id);
        let (scps, rcps) = lists(&entry);
        attachments
            .scps
            .push((id.clone(), scps, path.key("scps"), name.clone()));
        attachments
            .rcps
            .push((id.clone(), rcps, path.key("rcps"), name.clone()));
        if id == root {
            continue;
        }
        let Some(parent) = entry.get("parent").and_then(Value::as_str) else {
            cx.error(
                &path,
                format!("OU {id} has no parent; it is set aside, with what is under it"),
            );
            continue;
        };
        org.organizational_units.push(OrgNode {
            name: names
                .get(&id.to_lowercase())
                .cloned()
                .unwrap_or_else(|| id.clone()),
            id,
            parent_id: parent.to_string(),
        });
    }
}

fn read_accounts(
    files: &mut StoreFiles,
    dir: &Path,
    org: &mut Organization,
    attachments: &mut Attachments,
) {
    let Some((value, cx)) = files.take(&dir.join("accounts.json")) else {
        return;
    };
    let Value::Object(map) = value else {
        cx.error(&JsonPath::root(), "accounts.json is not an object of account id: {ou, scps, rcps}; the organization has no accounts");
        return;
    };
    let name: Arc<str> = cx.name.clone();
    for (id, entry) in map {
        let path = JsonPath::root().key(&id);
        if !crate::model::arn::is_account_id(&id) {
            cx.error(
                &path,
                format!("\"{id}\" is not a 12-digit account id; it is set aside"),
            );
            continue;
        }
        let Some(parent) = entry.get("ou").and_then(Value::as_str) else {
            cx.error(
                &path,
                format!(
                    "account {id} has no \"ou\"; it is set aside (no SCP or RCP applies to it)"
                ),
            );
            continue;
        };
        let (scps, rcps) = lists(&entry);
        attachments
            .scps
            .push((id.clone(), scps, path.key("scps"), name.clone()));
        attachments
            .rcps
            .push((id.clone(), rcps, path.key("rcps"), name.clone()));
        org.accounts.push(OrgNode {
            name: id.clone(),
            id,
            parent_id: parent.to_string(),
        });
    }
    // Parent checks once the tree is known.
    let Some(cx) = files.context(&dir.join("accounts.json")) else {
        return;
    };
    for account in &org.accounts {
        if !org.knows_target(&account.parent_id) {
            cx.error(
                &JsonPath::root().key(&account.id).key("ou"),
                format!(
                    "parent \"{}\" of account {} is in neither ous.json nor the root",
                    account.parent_id, account.id
                ),
            );
        }
    }
}

/// The policies of `folder` (`scps/` or `rcps/`) with their targets. An
/// attached policy that the folder lacks is kept as one that allows nothing:
/// a level missing its policy cannot be taken to allow (unresolved policies
/// fail closed), except AWS's own full-access policies, whose text is known.
fn policies(
    files: &mut StoreFiles,
    folder: &Path,
    kind: PolicyKind,
    attachments: Vec<(String, Vec<String>, JsonPath, Arc<str>)>,
) -> Vec<crate::model::OrgPolicy> {
    let mut by_arn: BTreeMap<String, OrgPolicy> = BTreeMap::new();
    for dir in subfolders(folder) {
        let metadata_file = dir.join("metadata.json");
        let Some((metadata, cx)) = files.take(&metadata_file) else {
            continue;
        };
        let Some(arn) = metadata
            .get("arn")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            cx.error(
                &JsonPath::root(),
                "metadata.json has no \"arn\"; the policy is set aside",
            );
            continue;
        };
        let name = metadata
            .get("name")
            .and_then(Value::as_str)
            .map_or_else(|| file_name(&dir), str::to_string);
        let Some((document, cx)) = files.take(&dir.join("policy.json")) else {
            continue;
        };
        let document = cx.parse_policy(
            &document,
            &JsonPath::root(),
            kind,
            PolicyLabel {
                name: name.clone(),
                arn: Some(arn.clone()),
                source: PolicySource::Attached,
            },
            false,
        );
        by_arn.insert(
            arn,
            OrgPolicy {
                name,
                targets: Vec::new(),
                document,
            },
        );
    }
    for (target, arns, path, file) in attachments {
        for (j, arn) in arns.iter().enumerate() {
            let policy = by_arn.entry(arn.clone()).or_insert_with(|| {
                let missing = missing_policy(arn, kind, &file, path.index(j));
                if missing.document.origin.source != PolicySource::Implied {
                    if let Some(cx) = files.context(Path::new(&*file)) {
                        cx.error(
                            &path.index(j),
                            format!(
                                "{arn} is attached here but not stored in {}; it is taken to allow nothing",
                                folder.display()
                            ),
                        );
                    }
                }
                missing
            });
            policy.targets.push(target.clone());
        }
    }
    by_arn.into_values().collect()
}

/// A policy the store attaches but does not hold. AWS's full-access policies
/// are known (Organizations User Guide, orgs_manage_policies_scps and
/// orgs_manage_policies_rcps: `FullAWSAccess`, `RCPFullAWSAccess`); any
/// other allows nothing.
/// Its origin is where the store first attaches it, so that an answer the
/// level takes part in carries the problem reported there.
fn missing_policy(arn: &str, kind: PolicyKind, file: &Arc<str>, path: JsonPath) -> OrgPolicy {
    let name = arn.rsplit('/').next().unwrap_or(arn).to_string();
    let full_access = name.eq_ignore_ascii_case("p-FullAWSAccess")
        || name.eq_ignore_ascii_case("p-RCPFullAWSAccess");
    let policy = if full_access {
        Policy::allow_all(kind)
    } else {
        Policy::new(crate::policy::Version::V2012_10_17, None, Vec::new())
    };
    OrgPolicy {
        name: name.clone(),
        targets: Vec::new(),
        document: NamedPolicy::new(
            PolicyOrigin {
                file: file.clone(),
                path,
                name,
                arn: Some(arn.to_string()),
                source: if full_access {
                    PolicySource::Implied
                } else {
                    PolicySource::Attached
                },
            },
            kind,
            policy,
        ),
    }
}
