//! All loaded accounts, the organization and the resource policies, with the
//! lookups evaluation needs.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::account::{is_aws_managed_arn, Account, ManagedPolicy, Role, User};
use super::arn::{is_account_id, Arn, ArnParts};
use super::organization::Organization;
use super::policy_ref::NamedPolicy;
use crate::text::edit_distance;

/// A resource-based policy (S3 bucket, KMS key, SQS queue...).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ResourcePolicy {
    pub arn: String,
    /// The owning account, when the file says it (needed for S3 ARNs, which carry none).
    pub account: Option<String>,
    #[serde(with = "super::sharing::arc")]
    pub document: Arc<NamedPolicy>,
}

/// The owner of a resource the workspace has no policy for, as a
/// resource-policies file declares it (`{"Arn", "AccountId"}`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ResourceOwner {
    pub arn: String,
    pub account: String,
}

/// Everything the tool knows, read once from the workspace files.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Workspace {
    /// A short name for headers: the folder or file name.
    pub name: String,
    pub accounts: Vec<Account>,
    pub organization: Option<Organization>,
    pub resource_policies: Vec<ResourcePolicy>,
    /// Owners declared for resources without a policy.
    pub resource_owners: Vec<ResourceOwner>,
    /// AWS managed policies referenced but missing from every dump, resolved
    /// from the copies in the binary.
    pub bundled_policies: BTreeMap<String, ManagedPolicy>,
    /// Resource policies set aside while loading (their owner could not be
    /// told): the resource's ARN and where the policy is, so that answers
    /// about the resource carry the problem as a caveat.
    pub set_aside_resources: Vec<(String, super::policy_ref::Place)>,
    /// Tags of resources and S3 Block Public Access, where the workspace
    /// says them (an iam-collect store does).
    pub resource_facts: super::resource_facts::ResourceFacts,
    /// The text of each file, by the name diagnostics use.
    #[serde(skip)]
    pub sources: BTreeMap<Arc<str>, Arc<str>>,
    /// Resource policies by ARN, built at first use.
    #[serde(skip)]
    pub(crate) resource_index: std::sync::OnceLock<HashMap<String, usize>>,
    /// AWS managed policies of the dumps: ARN → the first account holding
    /// one, built at first use (and for the number of accounts then).
    #[serde(skip)]
    pub(crate) aws_managed_index: std::sync::OnceLock<(usize, HashMap<String, usize>)>,
}

/// A principal the user named on the command line or picked in the UI.
#[derive(Debug, Clone, Copy)]
pub enum PrincipalRef<'a> {
    User {
        account: &'a Account,
        user: &'a User,
    },
    Role {
        account: &'a Account,
        role: &'a Role,
    },
    Root {
        account: &'a Account,
    },
}

impl PrincipalRef<'_> {
    pub fn arn(&self) -> String {
        match self {
            PrincipalRef::User { user, .. } => user.arn.clone(),
            PrincipalRef::Role { role, .. } => role.arn.clone(),
            PrincipalRef::Root { account } => format!("arn:aws:iam::{}:root", account.id),
        }
    }
}

/// Why a principal could not be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error("no user or role named \"{query}\" in the workspace{}", candidates_text(.candidates))]
    Unknown {
        query: String,
        candidates: Vec<String>,
    },
    #[error("\"{query}\" is ambiguous: it names {}; give the ARN instead", .candidates.join(", "))]
    Ambiguous {
        query: String,
        candidates: Vec<String>,
    },
}

fn candidates_text(candidates: &[String]) -> String {
    if candidates.is_empty() {
        String::new()
    } else {
        format!("; did you mean: {}?", candidates.join(", "))
    }
}

impl Workspace {
    pub fn account(&self, id: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.id == id)
    }

    /// A managed policy as `account` sees it: customer managed policies are the
    /// account's own; AWS managed ones are the same everywhere, taken from any
    /// dump that has them or else from the bundled copy.
    pub fn managed_policy(&self, account: &str, arn: &str) -> Option<&ManagedPolicy> {
        if is_aws_managed_arn(arn) {
            self.aws_managed_in_dumps(arn)
                .or_else(|| self.bundled_policies.get(arn))
        } else {
            self.account(account).and_then(|a| a.policies.get(arn))
        }
    }

    /// True when some dump of the workspace prints the AWS managed policy
    /// `arn` (a lookup, not a scan of every account: an organization of a
    /// hundred accounts refers to each such policy thousands of times).
    pub fn managed_policy_in_dumps(&self, arn: &str) -> bool {
        is_aws_managed_arn(arn) && self.aws_managed_in_dumps(arn).is_some()
    }

    /// An AWS managed policy as the first dump that prints it has it.
    fn aws_managed_in_dumps(&self, arn: &str) -> Option<&ManagedPolicy> {
        let (accounts, index) = self.aws_managed_index.get_or_init(|| {
            let mut index = HashMap::new();
            for (i, account) in self.accounts.iter().enumerate() {
                for arn in account.policies.keys().filter(|a| is_aws_managed_arn(a)) {
                    index.entry(arn.clone()).or_insert(i);
                }
            }
            (self.accounts.len(), index)
        });
        if *accounts == self.accounts.len() {
            index
                .get(arn)
                .and_then(|&i| self.accounts.get(i))
                .and_then(|a| a.policies.get(arn))
        } else {
            self.accounts.iter().find_map(|a| a.policies.get(arn))
        }
    }

    pub fn role_by_arn(&self, arn: &str) -> Option<(&Account, &Role)> {
        let parsed = ArnParts::parse(arn).ok()?;
        let account = self.account(parsed.account)?;
        account.role_by_arn(arn).map(|r| (account, r))
    }

    /// The resource-based policy governing `resource`: one attached to that very
    /// ARN, or to a container of it (an S3 bucket policy governs its objects).
    pub fn resource_policy_for(&self, resource: &str) -> Option<&ResourcePolicy> {
        // Asked on every decision: an index by ARN, built at first use, then
        // the resource itself and each of its `/` prefixes, longest first.
        let index = self.resource_index.get_or_init(|| {
            let mut index = HashMap::with_capacity(self.resource_policies.len());
            for (i, rp) in self.resource_policies.iter().enumerate() {
                index.entry(rp.arn.clone()).or_insert(i);
            }
            index
        });
        if index.is_empty() {
            return None;
        }
        let mut candidate = resource;
        loop {
            if let Some(&i) = index.get(candidate) {
                return self.resource_policies.get(i);
            }
            candidate = &candidate[..candidate.rfind('/')?];
        }
    }

    /// The account that owns `resource`: the ARN's account field; for ARNs
    /// without one (S3), the `AccountId` of its resource policy, or the only
    /// account of the workspace. `*` is taken to be in the caller's account.
    pub fn resource_account<'a>(
        &'a self,
        resource: &'a str,
        caller_account: &'a str,
    ) -> Option<&'a str> {
        self.resource_account_with(resource, caller_account, self.resource_policy_for(resource))
    }

    /// [`Workspace::resource_account`] when the resource's policy
    /// ([`Workspace::resource_policy_for`]) is already known.
    pub fn resource_account_with<'a>(
        &'a self,
        resource: &'a str,
        caller_account: &'a str,
        policy: Option<&'a ResourcePolicy>,
    ) -> Option<&'a str> {
        if resource == "*" {
            return Some(caller_account);
        }
        let arn = ArnParts::parse(resource).ok()?;
        // AWS managed policies (`arn:aws:iam::aws:policy/…`) are AWS's, not
        // another account's: reading them is decided by the caller's own
        // policies alone (IAM User Guide, access_policies_managed-vs-inline),
        // as for a resource of its own account.
        if arn.account == "aws" {
            return Some(caller_account);
        }
        // An account field with a wildcard (`arn:aws:ec2:*:*:instance/*`) is
        // a pattern, not an owner: requests AWS evaluates name a real
        // resource, so such a value only comes from a question about "some
        // resource like this", which the caller's own account answers as `*`
        // does above. Reading `*` as another account denied what the
        // permissions list, probing a deny's pattern, and `check` on a real
        // resource of the caller both allow (fuzz finding, issue 18).
        if arn.account.contains(['*', '?']) {
            return Some(caller_account);
        }
        if !arn.account.is_empty() {
            return Some(arn.account);
        }
        if let Some(account) = policy.and_then(|rp| rp.account.as_deref()) {
            return Some(account);
        }
        if let Some(owner) = self.declared_owner(resource) {
            return Some(owner);
        }
        // An iam-collect store knows every bucket's owner.
        if let Some(account) = self.resource_facts.owner_of(resource) {
            return Some(account);
        }
        match self.accounts.as_slice() {
            [only] => Some(only.id.as_str()),
            _ => None,
        }
    }

    /// The owner a resource-policies file declares for `resource` or a
    /// container of it (a bucket's owner owns its objects).
    pub fn declared_owner(&self, resource: &str) -> Option<&str> {
        self.resource_owners
            .iter()
            .filter(|o| {
                resource == o.arn
                    || resource
                        .strip_prefix(o.arn.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            })
            .max_by_key(|o| o.arn.len())
            .map(|o| o.account.as_str())
    }

    /// Finds a principal by ARN (user, role, assumed-role session, account root)
    /// or by a friendly name unique in the workspace.
    pub fn find_principal(&self, query: &str) -> Result<PrincipalRef<'_>, LookupError> {
        if let Ok(arn) = query.parse::<Arn>() {
            return self.find_by_arn(query, &arn);
        }
        if is_account_id(query) {
            if let Some(account) = self.account(query) {
                return Ok(PrincipalRef::Root { account });
            }
        }
        let mut found = Vec::new();
        for account in &self.accounts {
            found.extend(
                account
                    .users
                    .iter()
                    .filter(|u| u.name == query)
                    .map(|user| PrincipalRef::User { account, user }),
            );
            found.extend(
                account
                    .roles
                    .iter()
                    .filter(|r| r.name == query)
                    .map(|role| PrincipalRef::Role { account, role }),
            );
        }
        match found.len() {
            1 => Ok(found[0]),
            0 => Err(LookupError::Unknown {
                query: query.to_string(),
                candidates: self.similar_names(query),
            }),
            _ => Err(LookupError::Ambiguous {
                query: query.to_string(),
                candidates: found.iter().map(|p| p.arn()).collect(),
            }),
        }
    }

    fn find_by_arn(&self, query: &str, arn: &Arn) -> Result<PrincipalRef<'_>, LookupError> {
        let unknown = || LookupError::Unknown {
            query: query.to_string(),
            candidates: self.similar_names(arn.friendly_name()),
        };
        let account = self.account(&arn.account).ok_or_else(unknown)?;
        let (kind, rest) = arn.resource_type_and_name();
        match (arn.service.as_str(), kind) {
            ("iam", "root") => Ok(PrincipalRef::Root { account }),
            ("iam", "user") => account
                .user_by_arn(query)
                .map(|user| PrincipalRef::User { account, user })
                .ok_or_else(unknown),
            ("iam", "role") => account
                .role_by_arn(query)
                .map(|role| PrincipalRef::Role { account, role })
                .ok_or_else(unknown),
            ("sts", "assumed-role") => {
                let role_name = rest.split('/').next().unwrap_or_default();
                account
                    .role(role_name)
                    .map(|role| PrincipalRef::Role { account, role })
                    .ok_or_else(unknown)
            }
            _ => Err(unknown()),
        }
    }

    /// Names that look like `query`, for "did you mean" hints.
    fn similar_names(&self, query: &str) -> Vec<String> {
        let q = query.to_lowercase();
        let mut names: Vec<String> = self
            .accounts
            .iter()
            .flat_map(|a| {
                a.users
                    .iter()
                    .map(|u| u.name.clone())
                    .chain(a.roles.iter().map(|r| r.name.clone()))
            })
            .filter(|n| {
                let n = n.to_lowercase();
                !q.is_empty() && (n.contains(&q) || q.contains(&n) || edit_distance(&n, &q) <= 2)
            })
            .collect();
        names.sort();
        names.dedup();
        names.truncate(8);
        names
    }
}
