//! The condition keys a request's resource implies, from the workspace:
//! `aws:ResourceAccount`, `aws:ResourceOrgID`, `aws:ResourceOrgPaths` and
//! `aws:ResourceTag/*` (IAM User Guide, reference_policies_condition-keys:
//! "Properties of the resource"). Read lazily: most decisions never ask.

use std::cell::OnceCell;
use std::sync::Arc;

use crate::model::organization::AccountOrgKeys;
use crate::model::{ResourcePolicy, Workspace};
use crate::policy::condition::ConditionBlock;
use crate::policy::ContextKeys;

/// The resource side of a request's keys, as a view over the workspace.
pub struct ResourceKeys<'a> {
    workspace: &'a Workspace,
    resource: &'a str,
    caller_account: &'a str,
    policy: Option<&'a ResourcePolicy>,
    resolved: OnceCell<Resolved>,
}

/// The owner of the resource and its organization, found at first use.
struct Resolved {
    account: Option<[String; 1]>,
    org: Option<Arc<AccountOrgKeys>>,
}

impl<'a> ResourceKeys<'a> {
    pub fn new(
        workspace: &'a Workspace,
        resource: &'a str,
        caller_account: &'a str,
        policy: Option<&'a ResourcePolicy>,
    ) -> Self {
        ResourceKeys {
            workspace,
            resource,
            caller_account,
            policy,
            resolved: OnceCell::new(),
        }
    }

    fn resolved(&self) -> &Resolved {
        self.resolved.get_or_init(|| {
            // `*` names no resource: AWS has no resource to read keys from.
            let account = (self.resource != "*")
                .then(|| {
                    self.workspace.resource_account_with(
                        self.resource,
                        self.caller_account,
                        self.policy,
                    )
                })
                .flatten();
            let org = account.and_then(|a| {
                self.workspace
                    .organization
                    .as_ref()?
                    .account_keys(a)
                    .cloned()
            });
            Resolved {
                account: account.map(|a| [a.to_string()]),
                org,
            }
        })
    }
}

const TAG: &str = "aws:ResourceTag/";

impl ContextKeys for ResourceKeys<'_> {
    fn get(&self, key: &str) -> Option<&[String]> {
        if !is_resource_key(key) {
            return None;
        }
        if key.len() > TAG.len()
            && key.is_char_boundary(TAG.len())
            && key[..TAG.len()].eq_ignore_ascii_case(TAG)
        {
            // Tag keys are case-insensitive in condition keys (IAM User
            // Guide, reference_policies_condition-keys, aws:ResourceTag).
            let wanted = &key[TAG.len()..];
            return self
                .workspace
                .resource_facts
                .tags_of(self.resource)
                .iter()
                .find(|t| t.key.eq_ignore_ascii_case(wanted))
                .map(|t| std::slice::from_ref(&t.value));
        }
        let is = |name: &str| key.eq_ignore_ascii_case(name);
        let resolved = self.resolved();
        if is("aws:ResourceAccount") {
            return resolved.account.as_ref().map(|a| a.as_slice());
        }
        // Present when the resource's account is in an organization whose
        // id the workspace knows (the same page, aws:ResourceOrgID /
        // aws:ResourceOrgPaths).
        if is("aws:ResourceOrgID") {
            return resolved.org.as_ref().map(|o| std::slice::from_ref(&o.id));
        }
        if is("aws:ResourceOrgPaths") {
            return resolved.org.as_ref().map(|o| std::slice::from_ref(&o.path));
        }
        None
    }
}

/// Keys read from `first`, else from `second`.
pub struct Layered<'a>(pub &'a dyn ContextKeys, pub &'a dyn ContextKeys);

impl ContextKeys for Layered<'_> {
    #[inline]
    fn get(&self, key: &str) -> Option<&[String]> {
        self.0.get(key).or_else(|| self.1.get(key))
    }
}

/// True when a condition reads a key of the resource: a search that does
/// not know the resource yet cannot tell whether it holds.
pub fn reads_resource_keys(condition: &ConditionBlock) -> bool {
    condition.clauses.iter().any(|c| is_resource_key(&c.key))
}

/// `aws:Resource…`, in any case.
fn is_resource_key(key: &str) -> bool {
    key.get(..12)
        .is_some_and(|p| p.eq_ignore_ascii_case("aws:Resource"))
}
