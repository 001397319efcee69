//! Reading a resource-policies file.

use super::file_context::{FileContext, PolicyLabel};
use super::files::{Entries, ResourcePolicyEntry};
use crate::model::arn::is_account_id;
use crate::model::policy_ref::PolicySource;
use crate::model::{Arn, ResourceOwner, ResourcePolicy};
use crate::policy::{JsonPath, PolicyKind};

/// What a resource-policies file says: policies, and owners of resources
/// that have none (an S3 bucket's ARN names no account; `{"Arn", "AccountId"}`
/// tells it without a policy).
#[derive(Debug, Default)]
pub struct ResourceFile {
    pub policies: Vec<ResourcePolicy>,
    pub owners: Vec<ResourceOwner>,
}

pub fn build_resource_policies<'a>(
    cx: &mut FileContext<'a>,
    entries: Entries<ResourcePolicyEntry<'a>>,
) -> ResourceFile {
    let base = JsonPath::root().key("ResourcePolicies");
    let mut out = ResourceFile {
        policies: Vec::with_capacity(entries.len()),
        owners: Vec::new(),
    };
    for (i, entry) in entries.indexed() {
        let path = base.index(i);
        if let Err(e) = entry.arn.parse::<Arn>() {
            cx.error(
                &path.key("Arn"),
                format!("\"{}\" is not an ARN: {e}", entry.arn),
            );
            continue;
        }
        if let Some(account) = &entry.account_id {
            if !is_account_id(account) {
                cx.error(
                    &path.key("AccountId"),
                    format!("\"{account}\" is not a 12-digit account id"),
                );
            }
        }
        let Some(policy) = &entry.policy else {
            match entry.account_id {
                Some(account) if is_account_id(&account) => out.owners.push(ResourceOwner {
                    arn: entry.arn,
                    account,
                }),
                Some(_) => {}
                None => cx.error(
                    &path,
                    format!(
                        "{} has neither \"Policy\" nor \"AccountId\": give its policy, or its owner",
                        entry.arn
                    ),
                ),
            }
            continue;
        };
        let document = cx.parse_document(
            policy,
            &path.key("Policy"),
            PolicyKind::Resource,
            PolicyLabel {
                name: format!("resource policy of {}", entry.arn),
                arn: None,
                source: PolicySource::Attached,
            },
            false,
        );
        out.policies.push(ResourcePolicy {
            arn: entry.arn,
            account: entry.account_id,
            document,
        });
    }
    out
}
