//! One AWS account as `aws iam get-account-authorization-details` describes it.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use super::policy_ref::{NamedPolicy, Place};

/// A resource tag or principal tag.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// An IAM user: long-term credentials, its own policies plus its groups'.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct User {
    pub name: String,
    pub id: String,
    pub arn: String,
    pub path: String,
    pub create_date: Option<String>,
    #[serde(with = "super::sharing::arcs")]
    pub inline_policies: Vec<Arc<NamedPolicy>>,
    /// Group names, as the dump lists them.
    pub groups: Vec<String>,
    /// ARNs of attached managed policies.
    pub attached: Vec<String>,
    /// ARN of the permissions boundary, if one is set.
    pub boundary: Option<String>,
    pub tags: Vec<Tag>,
    /// Where the dump lists it.
    pub place: Place,
}

/// An IAM group: a set of policies its members share. Not a principal.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Group {
    pub name: String,
    pub id: String,
    pub arn: String,
    pub path: String,
    pub create_date: Option<String>,
    #[serde(with = "super::sharing::arcs")]
    pub inline_policies: Vec<Arc<NamedPolicy>>,
    pub attached: Vec<String>,
    /// Where the dump lists it.
    pub place: Place,
}

/// AWS's default when a role does not say: one hour.
pub const DEFAULT_MAX_SESSION_SECONDS: u32 = 3600;

/// An IAM role: permissions that exist only inside a session.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Role {
    pub name: String,
    pub id: String,
    pub arn: String,
    pub path: String,
    pub create_date: Option<String>,
    /// The trust policy: who may assume the role.
    #[serde(with = "super::sharing::arcs::optional")]
    pub trust_policy: Option<Arc<NamedPolicy>>,
    #[serde(with = "super::sharing::arcs")]
    pub inline_policies: Vec<Arc<NamedPolicy>>,
    pub attached: Vec<String>,
    pub boundary: Option<String>,
    pub tags: Vec<Tag>,
    /// From `MaxSessionDuration` when the file has it (as `aws iam get-role`
    /// prints it); the authorization dump lacks it, so 3600 by default.
    pub max_session_seconds: u32,
    pub last_used: Option<String>,
    /// Where the dump lists it.
    pub place: Place,
}

impl Role {
    /// Service-linked roles live under `/aws-service-role/` and are exempt from SCPs.
    pub fn is_service_linked(&self) -> bool {
        self.path.starts_with("/aws-service-role/")
    }
}

/// One version of a managed policy.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PolicyVersion {
    pub version_id: String,
    pub is_default: bool,
    pub create_date: Option<String>,
    #[serde(with = "super::sharing::arc")]
    pub document: Arc<NamedPolicy>,
}

/// A managed policy with all its versions; only the default one is evaluated.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ManagedPolicy {
    pub name: String,
    pub arn: String,
    pub id: String,
    pub path: String,
    pub default_version_id: String,
    pub versions: Vec<PolicyVersion>,
    pub attachment_count: Option<u64>,
    /// Where the dump lists it (the bundled copies have no file of the workspace).
    pub place: Place,
}

impl ManagedPolicy {
    /// The version AWS evaluates.
    pub fn default_document(&self) -> Option<&Arc<NamedPolicy>> {
        self.versions
            .iter()
            .find(|v| v.is_default)
            .or_else(|| {
                self.versions
                    .iter()
                    .find(|v| v.version_id == self.default_version_id)
            })
            .map(|v| &v.document)
    }

    pub fn is_aws_managed(&self) -> bool {
        is_aws_managed_arn(&self.arn)
    }
}

/// `arn:aws:iam::aws:policy/...`: a policy AWS owns and maintains.
pub fn is_aws_managed_arn(arn: &str) -> bool {
    arn.split(':').nth(4) == Some("aws") && arn.contains(":policy/")
}

/// One account, as one authorization-details file describes it (a file may
/// describe several: then each of its accounts names that file).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Account {
    pub id: String,
    /// The file it came from, for messages.
    pub file: String,
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub roles: Vec<Role>,
    /// Managed policies of the dump, by ARN.
    pub policies: BTreeMap<String, ManagedPolicy>,
    /// The instance profiles each role is in (role ARN → profile ARNs), as
    /// the dump's `InstanceProfileList` says: EC2 can only run code as a
    /// role through one (IAM User Guide, id_roles_use_switch-role-ec2_instance-profiles).
    pub instance_profiles: BTreeMap<String, Vec<String>>,
    /// Groups by name and roles by ARN, built at first use: who-can resolves
    /// 13,000 principals and tests thousands of trust policies at scale.
    #[serde(skip)]
    pub(crate) index: OnceLock<AccountIndex>,
}

/// Positions in an account's lists, by the keys lookups use.
#[derive(Debug, Clone, Default)]
pub(crate) struct AccountIndex {
    groups: HashMap<String, usize>,
    roles_by_arn: HashMap<String, usize>,
    /// The list lengths it was built for; a longer list (still being read)
    /// is searched directly.
    built_for: (usize, usize),
}

impl Account {
    fn index(&self) -> Option<&AccountIndex> {
        let index = self.index.get_or_init(|| {
            let mut index = AccountIndex {
                built_for: (self.groups.len(), self.roles.len()),
                ..AccountIndex::default()
            };
            for (i, group) in self.groups.iter().enumerate() {
                index.groups.entry(group.name.clone()).or_insert(i);
            }
            for (i, role) in self.roles.iter().enumerate() {
                index.roles_by_arn.entry(role.arn.clone()).or_insert(i);
            }
            index
        });
        (index.built_for == (self.groups.len(), self.roles.len())).then_some(index)
    }

    pub fn user(&self, name: &str) -> Option<&User> {
        self.users.iter().find(|u| u.name == name)
    }

    pub fn group(&self, name: &str) -> Option<&Group> {
        match self.index() {
            Some(index) => index.groups.get(name).map(|&i| &self.groups[i]),
            None => self.groups.iter().find(|g| g.name == name),
        }
    }

    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.name == name)
    }

    pub fn role_by_arn(&self, arn: &str) -> Option<&Role> {
        match self.index() {
            Some(index) => index.roles_by_arn.get(arn).map(|&i| &self.roles[i]),
            None => self.roles.iter().find(|r| r.arn == arn),
        }
    }

    pub fn user_by_arn(&self, arn: &str) -> Option<&User> {
        self.users.iter().find(|u| u.arn == arn)
    }
}
