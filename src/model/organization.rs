//! AWS Organizations: the tree of roots, OUs and accounts, and the SCPs and
//! RCPs attached along it.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::policy_ref::NamedPolicy;

/// An SCP or RCP and the roots, OUs or accounts it is attached to.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct OrgPolicy {
    pub name: String,
    pub targets: Vec<String>,
    #[serde(with = "super::sharing::arc")]
    pub document: Arc<NamedPolicy>,
}

/// An organizational unit or account placed in the tree.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct OrgNode {
    pub id: String,
    pub name: String,
    pub parent_id: String,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Organization {
    pub file: String,
    /// `o-…`, when the file gives it (`aws organizations describe-organization`
    /// prints it as `Id`).
    pub id: Option<String>,
    /// `None` when the file does not say: then no account is taken to be the
    /// management account, so every account of the tree is under its SCPs.
    pub management_account_id: Option<String>,
    pub roots: Vec<String>,
    pub organizational_units: Vec<OrgNode>,
    pub accounts: Vec<OrgNode>,
    pub service_control_policies: Vec<OrgPolicy>,
    pub resource_control_policies: Vec<OrgPolicy>,
    /// Root id → organization id, when the workspace holds several
    /// organizations in one tree (an iam-collect store of two or more): each
    /// root then says which organization its accounts are in. Empty for one
    /// organization, whose id is [`Organization::id`].
    pub root_organizations: BTreeMap<String, String>,
    /// The management accounts of the other organizations of a store that
    /// holds several (see [`Organization::root_organizations`]).
    pub other_management_accounts: Vec<String>,
    /// Each account's organization keys, computed at first use.
    #[serde(skip)]
    pub(crate) keys_cache: std::sync::OnceLock<BTreeMap<String, Arc<AccountOrgKeys>>>,
    /// The SCP and RCP levels of every account, computed at first use:
    /// evaluation asks for them on every request.
    #[serde(skip)]
    pub(crate) level_cache: std::sync::OnceLock<LevelsByAccount>,
}

/// What the organization says of one account, as condition-key values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountOrgKeys {
    /// `o-…`
    pub id: String,
    /// `o-…/r-…/ou-…/`
    pub path: String,
    pub account: String,
}

/// Each account's SCP levels and RCP levels.
type LevelsByAccount = BTreeMap<String, (Vec<OrgLevel>, Vec<OrgLevel>)>;

/// Which policies of the organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgPolicyKind {
    ServiceControl,
    ResourceControl,
}

/// One gate of the organization tree: every level must allow.
#[derive(Debug, Clone)]
pub struct OrgLevel {
    /// `r-…`, `ou-…` or the account id.
    pub target: String,
    /// "root", "OU Workloads", "account 111111111111".
    pub label: String,
    /// The policies attached there; empty means AWS's default full-access policy.
    pub policies: Vec<OrgPolicy>,
}

impl Organization {
    /// The levels of `account` for SCPs or RCPs (see [`Organization::levels`]), cached.
    pub fn account_levels(&self, account: &str, kind: OrgPolicyKind) -> Option<&[OrgLevel]> {
        let cache = self.level_cache.get_or_init(|| {
            self.accounts
                .iter()
                .filter_map(|a| {
                    let scp = self.levels(&a.id, &self.service_control_policies)?;
                    let rcp = self.levels(&a.id, &self.resource_control_policies)?;
                    Some((a.id.clone(), (scp, rcp)))
                })
                .collect()
        });
        cache.get(account).map(|(scp, rcp)| match kind {
            OrgPolicyKind::ServiceControl => scp.as_slice(),
            OrgPolicyKind::ResourceControl => rcp.as_slice(),
        })
    }

    pub fn contains_account(&self, account: &str) -> bool {
        self.accounts.iter().any(|a| a.id == account)
    }

    pub fn is_management_account(&self, account: &str) -> bool {
        self.management_account_id.as_deref() == Some(account)
            || self.other_management_accounts.iter().any(|a| a == account)
    }

    /// The organization id and path of `account`, as the condition keys
    /// `aws:PrincipalOrgID` / `aws:PrincipalOrgPaths` (and their `Resource`
    /// twins) carry them; `None` when the account is not in the tree or the
    /// organization's id is unknown (then AWS's keys cannot be derived).
    pub fn account_keys(&self, account: &str) -> Option<&Arc<AccountOrgKeys>> {
        let cache = self.keys_cache.get_or_init(|| {
            self.accounts
                .iter()
                .filter_map(|a| Some((a.id.clone(), Arc::new(self.compute_keys(&a.id)?))))
                .collect()
        });
        cache.get(account)
    }

    /// The path `o-…/r-…/ou-…/…/` of the account's parent: IAM User Guide,
    /// reference_policies_condition-keys, `aws:PrincipalOrgPaths` ("the path
    /// … from the organization id through the root to the OU that contains
    /// the account", each entity followed by `/`).
    fn compute_keys(&self, account: &str) -> Option<AccountOrgKeys> {
        let node = self.accounts.iter().find(|a| a.id == account)?;
        let mut chain = Vec::new();
        let mut parent = node.parent_id.clone();
        // Bounded walk, as in `levels`: a cycle must not hang the tool.
        for _ in 0..=self.organizational_units.len() {
            chain.push(parent.clone());
            if self.roots.contains(&parent) {
                break;
            }
            parent = self
                .organizational_units
                .iter()
                .find(|ou| ou.id == parent)?
                .parent_id
                .clone();
        }
        let root = chain.last()?;
        if !self.roots.contains(root) {
            return None;
        }
        let org = self
            .root_organizations
            .get(root)
            .or(self.id.as_ref())?
            .clone();
        let mut path = format!("{org}/");
        for id in chain.iter().rev() {
            path.push_str(id);
            path.push('/');
        }
        Some(AccountOrgKeys {
            id: org,
            path,
            account: account.to_string(),
        })
    }

    /// The levels from the root down to `account`, or `None` when the account
    /// is not in the organization (then no SCP or RCP applies to it). A broken
    /// parent chain stops where it breaks; `validate` reports it.
    pub fn levels(&self, account: &str, policies: &[OrgPolicy]) -> Option<Vec<OrgLevel>> {
        let node = self.accounts.iter().find(|a| a.id == account)?;
        let mut chain = vec![(node.id.clone(), format!("account {}", node.id))];
        let mut parent = node.parent_id.clone();
        // Bounded walk: a cycle in a hand-written file must not hang the tool.
        for _ in 0..=self.organizational_units.len() {
            if self.roots.contains(&parent) {
                chain.push((parent.clone(), format!("root {parent}")));
                break;
            }
            match self.organizational_units.iter().find(|ou| ou.id == parent) {
                Some(ou) => {
                    chain.push((ou.id.clone(), format!("OU {}", ou.name)));
                    parent = ou.parent_id.clone();
                }
                None => break,
            }
        }
        chain.reverse();
        Some(
            chain
                .into_iter()
                .map(|(target, label)| OrgLevel {
                    policies: policies
                        .iter()
                        .filter(|p| p.targets.contains(&target))
                        .cloned()
                        .collect(),
                    target,
                    label,
                })
                .collect(),
        )
    }

    /// True when `id` names a root, OU or account of this organization.
    pub fn knows_target(&self, id: &str) -> bool {
        self.roots.iter().any(|r| r == id)
            || self.organizational_units.iter().any(|o| o.id == id)
            || self.accounts.iter().any(|a| a.id == id)
    }
}
