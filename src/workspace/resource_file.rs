//! Reading a resource-policies file.

use super::file_context::{FileContext, PolicyLabel};
use super::files::{Entries, ResourcePolicyEntry};
use crate::model::arn::is_account_id;
use crate::model::policy_ref::PolicySource;
use crate::model::{Arn, ResourcePolicy};
use crate::policy::{JsonPath, PolicyKind};

pub fn build_resource_policies(
    cx: &mut FileContext,
    entries: Entries<ResourcePolicyEntry>,
) -> Vec<ResourcePolicy> {
    let base = JsonPath::root().key("ResourcePolicies");
    let mut out = Vec::with_capacity(entries.len());
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
        let document = cx.parse_policy(
            &entry.policy,
            &path.key("Policy"),
            PolicyKind::Resource,
            PolicyLabel {
                name: format!("resource policy of {}", entry.arn),
                arn: None,
                source: PolicySource::Attached,
            },
            false,
        );
        out.push(ResourcePolicy {
            arn: entry.arn,
            account: entry.account_id,
            document,
        });
    }
    out
}
