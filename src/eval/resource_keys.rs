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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::organization::OrgNode;
    use crate::model::{Organization, Tag};

    fn workspace() -> Workspace {
        let mut ws = Workspace {
            organization: Some(Organization {
                id: Some("o-abcdefghij".into()),
                roots: vec!["r-ab12".into()],
                organizational_units: vec![OrgNode {
                    id: "ou-ab12-apps".into(),
                    name: "Apps".into(),
                    parent_id: "r-ab12".into(),
                }],
                accounts: vec![OrgNode {
                    id: "111122223333".into(),
                    name: "apps".into(),
                    parent_id: "ou-ab12-apps".into(),
                }],
                ..Organization::default()
            }),
            ..Workspace::default()
        };
        ws.resource_facts
            .owners
            .insert("arn:aws:s3:::bucket".into(), "111122223333".into());
        ws.resource_facts.tags.insert(
            "arn:aws:s3:::bucket".into(),
            vec![Tag {
                key: "Team".into(),
                value: "blue".into(),
            }],
        );
        ws
    }

    #[test]
    fn the_resource_keys_come_from_its_owner_and_its_tags() {
        let ws = workspace();
        let object = ResourceKeys::new(&ws, "arn:aws:s3:::bucket/key", "444455556666", None);
        assert_eq!(object.single("aws:ResourceAccount"), Some("111122223333"));
        assert_eq!(object.single("AWS:resourceorgid"), Some("o-abcdefghij"));
        assert_eq!(
            object.single("aws:ResourceOrgPaths"),
            Some("o-abcdefghij/r-ab12/ou-ab12-apps/")
        );
        // Tags are the resource's own: the object has none, the bucket has.
        assert_eq!(object.single("aws:ResourceTag/Team"), None);
        let bucket = ResourceKeys::new(&ws, "arn:aws:s3:::bucket", "444455556666", None);
        assert_eq!(bucket.single("aws:ResourceTag/team"), Some("blue"));
        // `*` names no resource; other keys are not the resource's.
        let any = ResourceKeys::new(&ws, "*", "444455556666", None);
        assert_eq!(any.single("aws:ResourceAccount"), None);
        assert_eq!(bucket.single("aws:PrincipalAccount"), None);
    }

    #[test]
    fn a_search_treats_conditions_on_resource_keys_as_unknown() {
        let value: serde_json::Value =
            serde_json::from_str(r#"{"StringEquals": {"aws:resourceaccount": "111122223333"}}"#)
                .expect("test JSON");
        let block = ConditionBlock::parse(
            &value,
            &crate::policy::JsonPath::root(),
            true,
            &mut Vec::new(),
        );
        assert!(reads_resource_keys(&block));
    }
}
