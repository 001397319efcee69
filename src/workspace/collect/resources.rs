//! Resource folders: a `metadata.json` with an `arn`, and beside it the
//! resource policy (`policy.json`), its tags (`tags.json`) and, for S3
//! buckets, Block Public Access (`bpa.json`). Any service whose folder has
//! that shape is read (S3, KMS, SQS, SNS, Lambda, Secrets Manager, ECR…).

use std::path::Path;

use serde_json::Value;

use super::iam::tags_of;
use super::read::StoreFiles;
use crate::model::policy_ref::PolicySource;
use crate::model::{Arn, PublicAccessBlock, ResourceFacts, ResourcePolicy};
use crate::policy::{JsonPath, PolicyKind};
use crate::workspace::file_context::{FileContext, PolicyLabel};

/// Reads one resource folder of `account` into `policies` and `facts`.
pub fn add_resource(
    files: &mut StoreFiles,
    account: &str,
    dir: &Path,
    policies: &mut Vec<ResourcePolicy>,
    facts: &mut ResourceFacts,
) {
    let Some((metadata, cx)) = files.take(&dir.join("metadata.json")) else {
        return;
    };
    let root = JsonPath::root();
    let Some(arn) = metadata.get("arn").and_then(Value::as_str) else {
        // Some folders of the layout describe things without an ARN; they
        // carry no policy, unless a policy.json says otherwise.
        if files.exists(&dir.join("policy.json")) {
            if let Some(cx) = files.context(&dir.join("metadata.json")) {
                cx.error(
                    &root,
                    "metadata.json has no \"arn\", so the policy beside it governs no known resource; it is set aside",
                );
            }
        }
        return;
    };
    let arn = arn.to_string();
    let parsed = match arn.parse::<Arn>() {
        Ok(parsed) => parsed,
        Err(e) => {
            cx.error(
                &root.key("arn"),
                format!("\"{arn}\" is not an ARN: {e}; the resource is set aside"),
            );
            return;
        }
    };
    if !parsed.account.is_empty() && parsed.account != account {
        cx.warning(
            &root.key("arn"),
            format!("{arn} names account {}, but is stored under account {account}; the ARN's account owns it", parsed.account),
        );
    }
    if parsed.account.is_empty() {
        facts.owners.insert(arn.clone(), account.to_string());
    }
    // S3 ABAC: bucket tags are condition values only once the bucket owner
    // turns attribute-based access on (S3 User Guide, buckets-tagging-enable-abac:
    // "By default, ABAC is disabled for all Amazon S3 general purpose buckets");
    // iam-collect records it as `abacEnabled`.
    let tags_count = parsed.service != "s3"
        || metadata.get("abacEnabled").and_then(Value::as_bool) == Some(true);
    if let Some((value, cx)) = files.take(&dir.join("policy.json")) {
        policies.push(resource_policy(cx, &value, &arn, account));
    }
    if let Some((value, cx)) = files.take(&dir.join("tags.json")) {
        let tags = tags_of(cx, value);
        if tags_count && !tags.is_empty() {
            facts.tags.insert(arn.clone(), tags);
        }
    }
    if let Some((value, cx)) = files.take(&dir.join("bpa.json")) {
        if let Some(block) = public_access_block(cx, &value) {
            facts.bucket_public_access.insert(arn, block);
        }
    }
}

fn resource_policy(
    cx: &mut FileContext,
    value: &Value,
    arn: &str,
    account: &str,
) -> ResourcePolicy {
    let document = cx.parse_policy(
        value,
        &JsonPath::root(),
        PolicyKind::Resource,
        PolicyLabel {
            name: format!("resource policy of {arn}"),
            arn: None,
            source: PolicySource::Attached,
        },
        false,
    );
    // The folder's account owns the resource: S3 ARNs carry none.
    let owner = match arn.parse::<Arn>() {
        Ok(parsed) if !parsed.account.is_empty() => parsed.account,
        _ => account.to_string(),
    };
    ResourcePolicy {
        arn: arn.to_string(),
        account: Some(owner),
        document,
    }
}

/// `PublicAccessBlockConfiguration` (S3 API reference): four booleans, a
/// missing one being false.
pub fn public_access_block(cx: &mut FileContext, value: &Value) -> Option<PublicAccessBlock> {
    let Value::Object(map) = value else {
        cx.error(
            &JsonPath::root(),
            "not a PublicAccessBlockConfiguration object; Block Public Access is taken to be off",
        );
        return None;
    };
    let flag = |key: &str| map.get(key).and_then(Value::as_bool).unwrap_or(false);
    Some(PublicAccessBlock {
        block_public_acls: flag("BlockPublicAcls"),
        ignore_public_acls: flag("IgnorePublicAcls"),
        block_public_policy: flag("BlockPublicPolicy"),
        restrict_public_buckets: flag("RestrictPublicBuckets"),
    })
}
