//! The non-default versions of managed policies, with their statements.
//!
//! The model keeps only an outline of the versions AWS does not evaluate
//! (memory: a dump holds up to five per policy). SetDefaultPolicyVersion
//! makes one of them the policy (IAM API SetDefaultPolicyVersion), so the
//! search needs their text: each file is read once, in one pass, the first
//! time a step asks, rather than located path by path.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use crate::model::Workspace;
use crate::parallel;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct FileVersions {
    #[serde(default)]
    policies: Vec<PolicyVersions>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PolicyVersions {
    #[serde(default)]
    arn: String,
    #[serde(default)]
    policy_version_list: Vec<VersionEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct VersionEntry {
    #[serde(default)]
    version_id: String,
    #[serde(default)]
    is_default_version: bool,
    #[serde(default)]
    document: Value,
}

/// Documents of non-default versions by (file, policy ARN, version id).
pub(super) type VersionTexts = HashMap<(Arc<str>, String, String), Value>;

/// Reads every file of the workspace that lists policy versions, on every
/// core. A file that does not read as a dump contributes nothing (its
/// problems were reported when the workspace loaded).
pub(super) fn read_versions(workspace: &Workspace) -> VersionTexts {
    let files: Vec<(&Arc<str>, &Arc<str>)> = workspace
        .sources
        .iter()
        .filter(|(_, text)| text.contains("\"PolicyVersionList\""))
        .collect();
    let read = parallel::map(&files, |(name, text)| {
        let mut out = Vec::new();
        if let Ok(file) = serde_json::from_str::<FileVersions>(text) {
            for policy in file.policies {
                for version in policy.policy_version_list {
                    if !version.is_default_version {
                        out.push((
                            ((*name).clone(), policy.arn.clone(), version.version_id),
                            version.document,
                        ));
                    }
                }
            }
        }
        out
    });
    read.into_iter().flatten().collect()
}

/// The document as JSON: dumps from the other SDKs keep it URL-encoded
/// (the IAM API returns RFC 3986 encoded text; the AWS CLI decodes it).
pub(super) fn decoded(value: &Value) -> Option<Value> {
    match value {
        Value::String(text) => {
            let text = if text.trim_start().starts_with('{') {
                text.clone()
            } else {
                percent_encoding::percent_decode_str(text)
                    .decode_utf8()
                    .ok()?
                    .into_owned()
            };
            serde_json::from_str(&text).ok()
        }
        other => Some(other.clone()),
    }
}
