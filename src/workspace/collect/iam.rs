//! An account's IAM folders as [`Account`] entities. Each entity is a
//! folder of small files (iam-collect, src/syncs/iam/authorizationDetails.ts
//! writes them from `GetAccountAuthorizationDetails`): `metadata.json`
//! (`arn`, `name`, `id`, `path`, `created`, `permissionBoundary`),
//! `inline-policies.json` (`[{PolicyName, PolicyDocument}]`),
//! `managed-policies.json` (ARNs), `groups.json` (group ARNs, users),
//! `trust-policy.json` (roles), `tags.json` (`{key: value}`),
//! `current-policy.json` (the default version, managed policies).
//!
//! Folder names are lower-cased and URL-encoded, so the ARN inside
//! `metadata.json` is the truth: names and paths come from it.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::read::StoreFiles;
use super::walk::EntityKind;
use crate::model::account::{is_aws_managed_arn, DEFAULT_MAX_SESSION_SECONDS};
use crate::model::policy_ref::{NamedPolicy, PolicySource};
use crate::model::{Account, Arn, Group, ManagedPolicy, PolicyVersion, Role, Tag, User};
use crate::policy::{JsonPath, PolicyKind};
use crate::workspace::file_context::{FileContext, PolicyLabel};

/// What `metadata.json` says of an entity.
struct Metadata {
    arn: String,
    name: String,
    id: String,
    path: String,
    created: Option<String>,
    boundary: Option<String>,
    default_version: Option<String>,
}

/// Adds the entity of `dir` to `account`; an entity whose `metadata.json`
/// is missing, unreadable or names no usable ARN is set aside, reported on
/// that file (or on the folder when it has none).
pub fn add_entity(
    files: &mut StoreFiles,
    account: &mut Account,
    kind: EntityKind,
    dir: &Path,
    problems: &mut Vec<crate::workspace::Diagnostic>,
) {
    let metadata_file = dir.join("metadata.json");
    let Some(metadata) = metadata(files, &metadata_file, kind, &account.id) else {
        if !files.exists(&metadata_file) {
            problems.push(folder_problem(
                dir,
                "the folder has no metadata.json, so what it holds cannot be told; it is set aside",
            ));
        }
        return;
    };
    let place = files
        .context(&metadata_file)
        .map(|cx| cx.place(&JsonPath::root()))
        .unwrap_or_default();
    match kind {
        EntityKind::User => {
            let user = User {
                inline_policies: inline_policies(files, dir),
                groups: group_names(files, dir),
                attached: managed_arns(files, dir),
                tags: tags(files, dir),
                name: metadata.name,
                id: metadata.id,
                arn: metadata.arn,
                path: metadata.path,
                create_date: metadata.created,
                boundary: metadata.boundary,
                place,
            };
            account.users.push(user);
        }
        EntityKind::Group => {
            let group = Group {
                inline_policies: inline_policies(files, dir),
                attached: managed_arns(files, dir),
                name: metadata.name,
                id: metadata.id,
                arn: metadata.arn,
                path: metadata.path,
                create_date: metadata.created,
                place,
            };
            account.groups.push(group);
        }
        EntityKind::Role => {
            let trust_policy = trust_policy(files, dir, &metadata_file, &metadata.name);
            let role = Role {
                inline_policies: inline_policies(files, dir),
                attached: managed_arns(files, dir),
                tags: tags(files, dir),
                trust_policy,
                name: metadata.name,
                id: metadata.id,
                arn: metadata.arn,
                path: metadata.path,
                create_date: metadata.created,
                boundary: metadata.boundary,
                // Neither GetAccountAuthorizationDetails nor the store has
                // MaxSessionDuration: AWS's default (IAM API, CreateRole).
                max_session_seconds: DEFAULT_MAX_SESSION_SECONDS,
                last_used: None,
                place,
            };
            account.roles.push(role);
        }
        EntityKind::Policy | EntityKind::AwsPolicy => {
            if let Some(policy) = managed_policy(files, dir, &metadata_file, metadata, place) {
                if account.policies.contains_key(&policy.arn) {
                    if let Some(cx) = files.context(&metadata_file) {
                        cx.error(
                            &JsonPath::root().key("arn"),
                            format!(
                                "the policy {} is stored twice; the first is kept",
                                policy.arn
                            ),
                        );
                    }
                } else {
                    account.policies.insert(policy.arn.clone(), policy);
                }
            }
        }
    }
}

/// A problem of a folder as a whole (not of one of its files).
pub fn folder_problem(dir: &Path, message: &str) -> crate::workspace::Diagnostic {
    crate::workspace::Diagnostic {
        severity: crate::policy::Severity::Error,
        file: dir.display().to_string(),
        position: None,
        path: None,
        message: message.to_string(),
        anchor: None,
    }
}

/// The IAM resource type each folder kind holds (`arn:aws:iam::ACCOUNT:TYPE/…`).
fn arn_type(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::User => "user",
        EntityKind::Group => "group",
        EntityKind::Role => "role",
        EntityKind::Policy | EntityKind::AwsPolicy => "policy",
    }
}

fn metadata(
    files: &mut StoreFiles,
    file: &Path,
    kind: EntityKind,
    account: &str,
) -> Option<Metadata> {
    let (value, cx) = files.take(file)?;
    let root = JsonPath::root();
    let what = arn_type(kind);
    let Some(arn) = value.get("arn").and_then(Value::as_str) else {
        cx.error(
            &root,
            format!("metadata.json has no \"arn\"; this {what} is set aside"),
        );
        return None;
    };
    let parsed = match arn.parse::<Arn>() {
        Ok(parsed) => parsed,
        Err(e) => {
            cx.error(
                &root.key("arn"),
                format!("\"{arn}\" is not an ARN: {e}; this {what} is set aside"),
            );
            return None;
        }
    };
    let (resource_type, rest) = parsed.resource_type_and_name();
    // AWS managed policies are `arn:aws:iam::aws:policy/…`.
    let owner = if kind == EntityKind::AwsPolicy {
        "aws"
    } else {
        account
    };
    if parsed.service != "iam" || resource_type != what || parsed.account != owner {
        cx.error(
            &root.key("arn"),
            format!(
                "\"{arn}\" is not the ARN of an IAM {what} of account {owner}, where the store keeps it; it is set aside"
            ),
        );
        return None;
    }
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_string);
    // The ARN's last segment is the name and what precedes it the path
    // (IAM User Guide, reference_identifiers).
    let name_from_arn = rest.rsplit('/').next().unwrap_or(rest).to_string();
    let path_from_arn = match rest.rfind('/') {
        Some(i) => format!("/{}", &rest[..=i]),
        None => "/".to_string(),
    };
    let created = text("created").or_else(|| text("createDate"));
    cx.check_date(created.as_deref(), &root.key("created"));
    Some(Metadata {
        name: text("name").unwrap_or(name_from_arn),
        id: text("id").unwrap_or_default(),
        path: text("path").unwrap_or(path_from_arn),
        created,
        boundary: text("permissionBoundary"),
        default_version: text("defaultVersionId"),
        arn: arn.to_string(),
    })
}

fn inline_policies(files: &mut StoreFiles, dir: &Path) -> Vec<Arc<NamedPolicy>> {
    let Some((value, cx)) = files.take(&dir.join("inline-policies.json")) else {
        return Vec::new();
    };
    let root = JsonPath::root();
    let Value::Array(entries) = value else {
        cx.error(
            &root,
            "inline-policies.json is not a list of {PolicyName, PolicyDocument}; its policies are set aside",
        );
        return Vec::new();
    };
    let mut out = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let path = root.index(i);
        let (Some(name), Some(document)) = (
            entry.get("PolicyName").and_then(Value::as_str),
            entry.get("PolicyDocument"),
        ) else {
            cx.error(
                &path,
                "an inline policy without PolicyName or PolicyDocument; it is set aside",
            );
            continue;
        };
        out.push(cx.parse_policy(
            document,
            &path.key("PolicyDocument"),
            PolicyKind::Identity,
            PolicyLabel {
                name: name.to_string(),
                arn: None,
                source: PolicySource::Inline,
            },
            false,
        ));
    }
    out
}

/// A list of strings (`managed-policies.json`, `groups.json`); an entry
/// that is not one is reported and skipped.
fn strings(files: &mut StoreFiles, file: &Path, what: &str) -> Vec<String> {
    let Some((value, cx)) = files.take(file) else {
        return Vec::new();
    };
    let Value::Array(entries) = value else {
        cx.error(
            &JsonPath::root(),
            format!("expected a list of {what}; the file is set aside"),
        );
        return Vec::new();
    };
    let mut out = Vec::with_capacity(entries.len());
    for (i, entry) in entries.into_iter().enumerate() {
        match entry {
            Value::String(s) => out.push(s),
            _ => cx.error(
                &JsonPath::root().index(i),
                format!("not one of {what}; it is skipped"),
            ),
        }
    }
    out
}

fn managed_arns(files: &mut StoreFiles, dir: &Path) -> Vec<String> {
    strings(files, &dir.join("managed-policies.json"), "policy ARNs")
}

/// The user's groups, by name as the model keeps them: `groups.json` lists
/// their ARNs, whose last segment is the name.
fn group_names(files: &mut StoreFiles, dir: &Path) -> Vec<String> {
    strings(files, &dir.join("groups.json"), "group ARNs")
        .into_iter()
        .map(|arn| arn.rsplit('/').next().unwrap_or(&arn).to_string())
        .collect()
}

/// `tags.json`: `{key: value}` (iam-collect's convertTagsToRecord), in key order.
pub fn tags(files: &mut StoreFiles, dir: &Path) -> Vec<Tag> {
    let Some((value, cx)) = files.take(&dir.join("tags.json")) else {
        return Vec::new();
    };
    tags_of(cx, value)
}

pub fn tags_of(cx: &mut FileContext, value: Value) -> Vec<Tag> {
    let Value::Object(map) = value else {
        cx.error(
            &JsonPath::root(),
            "tags.json is not an object of key: value; the tags are set aside",
        );
        return Vec::new();
    };
    let mut out = Vec::with_capacity(map.len());
    for (key, value) in map {
        match value {
            Value::String(value) => out.push(Tag { key, value }),
            _ => cx.warning(
                &JsonPath::root().key(&key),
                format!("the value of tag \"{key}\" is not a string; the tag is skipped"),
            ),
        }
    }
    out.sort();
    out
}

fn trust_policy(
    files: &mut StoreFiles,
    dir: &Path,
    metadata_file: &Path,
    role: &str,
) -> Option<Arc<NamedPolicy>> {
    let file = dir.join("trust-policy.json");
    let Some((value, cx)) = files.take(&file) else {
        if !files.exists(&file) {
            if let Some(cx) = files.context(metadata_file) {
                cx.warning(
                    &JsonPath::root(),
                    format!("role {role} has no trust-policy.json: nobody can assume it"),
                );
            }
        }
        return None;
    };
    Some(cx.parse_policy(
        &value,
        &JsonPath::root(),
        PolicyKind::Trust,
        PolicyLabel {
            name: format!("trust policy of {role}"),
            arn: None,
            source: PolicySource::Attached,
        },
        false,
    ))
}

/// A managed policy from its `metadata.json` and `current-policy.json` (the
/// default version, the only one AWS evaluates). An AWS managed policy
/// stored without its document is left to the bundled copies.
fn managed_policy(
    files: &mut StoreFiles,
    dir: &Path,
    metadata_file: &Path,
    metadata: Metadata,
    place: crate::model::Place,
) -> Option<ManagedPolicy> {
    let aws_managed = is_aws_managed_arn(&metadata.arn);
    let file = dir.join("current-policy.json");
    let Some((value, cx)) = files.take(&file) else {
        if !aws_managed && !files.exists(&file) {
            if let Some(cx) = files.context(metadata_file) {
                cx.error(
                    &JsonPath::root(),
                    format!(
                        "policy {} has no current-policy.json (its default version); it grants nothing",
                        metadata.arn
                    ),
                );
            }
        }
        return None;
    };
    let version = metadata.default_version.unwrap_or_else(|| "v1".to_string());
    let document = cx.parse_policy(
        &value,
        &JsonPath::root(),
        PolicyKind::Identity,
        PolicyLabel {
            name: metadata.name.clone(),
            arn: Some(metadata.arn.clone()),
            source: if aws_managed {
                PolicySource::AwsManaged
            } else {
                PolicySource::CustomerManaged
            },
        },
        false,
    );
    Some(ManagedPolicy {
        name: metadata.name,
        arn: metadata.arn,
        id: metadata.id,
        path: metadata.path,
        default_version_id: version.clone(),
        versions: vec![PolicyVersion {
            version_id: version,
            is_default: true,
            create_date: metadata.created,
            document,
        }],
        attachment_count: None,
        place,
    })
}
