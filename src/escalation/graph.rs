//! The principals of the workspace as the search sees them: each resolved
//! once, with the escalation actions its identity policies name at all and,
//! for a role, what its trust policy names.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::ask::Asker;
use super::routes::{self, service_bit};
use super::versions::{read_versions, VersionTexts};
use crate::eval::Principal;
use crate::model::policy_ref::NamedPolicy;
use crate::model::workspace::PrincipalRef;
use crate::model::Workspace;
use crate::parallel;
use crate::policy::principal::PrincipalSpec;
use crate::policy::{Effect, Policy, PolicyKind, RequestContext, TrustName};

/// The IAM and STS actions of the methods; the services' actions are added
/// from [`routes::ROUTES`].
const IAM_ACTIONS: [&str; 15] = [
    "sts:AssumeRole",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:UpdateAssumeRolePolicy",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:PutRolePolicy",
    "iam:AddUserToGroup",
    "iam:PassRole",
];

/// Every action a step may use, each once, in a fixed order.
fn power_actions() -> &'static [&'static str] {
    static ACTIONS: OnceLock<Vec<&'static str>> = OnceLock::new();
    ACTIONS.get_or_init(|| {
        let mut actions: Vec<&'static str> = IAM_ACTIONS.to_vec();
        for route in &routes::ROUTES {
            for (action, _) in route.actions {
                if !actions.contains(action) {
                    actions.push(action);
                }
            }
        }
        actions
    })
}

/// The escalation actions some identity Allow statement of a principal
/// names (conditions and resources aside): a principal without the bit of
/// an action can only be allowed it by a resource policy, and IAM, STS
/// (trust policies aside) and the services' create calls have none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Powers(u64);

impl Powers {
    fn of(principal: &Principal) -> Powers {
        let mut bits = 0u64;
        for (i, action) in power_actions().iter().enumerate() {
            let named = principal.identity_policies.iter().any(|policy| {
                policy
                    .policy
                    .statements_for(action)
                    .any(|s| s.effect == Effect::Allow && s.applies_to_action(action))
            });
            if named {
                bits |= 1 << i;
            }
        }
        Powers(bits)
    }

    /// Whether `action` (one of the methods' actions) is named at all; an
    /// action outside the list is assumed named.
    pub(super) fn has(self, action: &str) -> bool {
        match power_actions().iter().position(|a| *a == action) {
            Some(i) => self.0 & (1 << i) != 0,
            None => true,
        }
    }

    pub(super) fn any(self) -> bool {
        self.0 != 0
    }
}

/// A policy version by file, policy ARN and version id.
type VersionKey = (Arc<str>, String, String);

/// A user or a role (a session of it) of the workspace. Its principal is
/// resolved on first use: a search for one principal meets few of them.
pub(super) struct Node<'a> {
    workspace: &'a Workspace,
    /// The user's or the role's ARN (not the session's).
    pub(super) entity_arn: String,
    pub(super) name: String,
    /// Its account's position in the workspace.
    pub(super) account: usize,
    /// Its position in the account's roles, for a role.
    pub(super) role: Option<usize>,
    /// Its position in the account's users, for a user.
    user: Option<usize>,
    resolved: OnceLock<Principal>,
    powers: OnceLock<Powers>,
    /// Whether its own side refuses sts:AssumeRole on every role, without
    /// and with MFA (`eval::refuses_every_role`).
    pub(super) refuses_roles: [OnceLock<bool>; 2],
    /// Whether a policy granting everything, written on it, would make it
    /// admin (its boundary, SCPs and denies allowing): asked once.
    pub(super) admin_if_granted: OnceLock<bool>,
    /// For a role: the services of [`routes::SERVICES`] its trust policy names.
    pub(super) services: u16,
    /// For a role: whether the dump lists an instance profile of it.
    pub(super) has_profile: bool,
}

impl Node<'_> {
    pub(super) fn is_role(&self) -> bool {
        self.role.is_some()
    }

    /// The principal: the user, or a session of the role.
    pub(super) fn principal(&self) -> &Principal {
        self.resolved.get_or_init(|| {
            let account = &self.workspace.accounts[self.account];
            let reference = match (self.role, self.user) {
                (Some(r), _) => PrincipalRef::Role {
                    account,
                    role: &account.roles[r],
                },
                (None, Some(u)) => PrincipalRef::User {
                    account,
                    user: &account.users[u],
                },
                (None, None) => PrincipalRef::Root { account },
            };
            Principal::from_ref(self.workspace, reference, None)
        })
    }

    pub(super) fn powers(&self) -> Powers {
        *self.powers.get_or_init(|| Powers::of(self.principal()))
    }
}

/// What a role's trust policy names in its Allow statements (conditions
/// aside), as positions: the roles a principal may assume are among those
/// naming it, its account, or everyone.
#[derive(Debug, Default)]
pub(super) struct TrustNames {
    pub(super) everyone: bool,
    pub(super) accounts: Vec<usize>,
    pub(super) nodes: Vec<usize>,
}

pub(super) struct Graph<'a> {
    pub(super) workspace: &'a Workspace,
    pub(super) asker: Asker<'a>,
    pub(super) nodes: Vec<Node<'a>>,
    by_arn: HashMap<String, usize>,
    /// For each node: what its trust policy names (empty for a user).
    pub(super) trust: Vec<TrustNames>,
    /// Non-default policy versions read back from their files, by place:
    /// the model keeps only their outline.
    versions: Mutex<HashMap<VersionKey, Option<Arc<NamedPolicy>>>>,
    version_texts: OnceLock<VersionTexts>,
}

impl<'a> Graph<'a> {
    /// The graph of the workspace; with `resolve_all`, every principal is
    /// resolved now, on every core (a search over everyone needs them all).
    pub(super) fn new(
        workspace: &'a Workspace,
        context: &'a RequestContext,
        now: i64,
        resolve_all: bool,
    ) -> Self {
        let mut nodes = Vec::new();
        for (a, account) in workspace.accounts.iter().enumerate() {
            for (u, user) in account.users.iter().enumerate() {
                nodes.push(Node {
                    workspace,
                    entity_arn: user.arn.clone(),
                    name: user.name.clone(),
                    account: a,
                    role: None,
                    user: Some(u),
                    resolved: OnceLock::new(),
                    powers: OnceLock::new(),
                    refuses_roles: [OnceLock::new(), OnceLock::new()],
                    admin_if_granted: OnceLock::new(),
                    services: 0,
                    has_profile: false,
                });
            }
            for (r, role) in account.roles.iter().enumerate() {
                nodes.push(Node {
                    workspace,
                    entity_arn: role.arn.clone(),
                    name: role.name.clone(),
                    account: a,
                    role: Some(r),
                    user: None,
                    resolved: OnceLock::new(),
                    powers: OnceLock::new(),
                    refuses_roles: [OnceLock::new(), OnceLock::new()],
                    admin_if_granted: OnceLock::new(),
                    services: trusted_services(role),
                    has_profile: account.instance_profiles.contains_key(&role.arn),
                });
            }
        }
        if resolve_all {
            parallel::map(&nodes, |node| {
                node.powers();
            });
        }
        let mut by_arn = HashMap::with_capacity(nodes.len());
        for (i, node) in nodes.iter().enumerate() {
            by_arn.entry(node.entity_arn.clone()).or_insert(i);
        }
        let mut graph = Graph {
            workspace,
            asker: Asker::new(workspace, context, now),
            nodes,
            by_arn,
            trust: Vec::new(),
            versions: Mutex::new(HashMap::new()),
            version_texts: OnceLock::new(),
        };
        graph.trust = graph.trust_names();
        graph
    }

    /// The node of a user or role ARN (or of a role's session ARN).
    pub(super) fn node_by_arn(&self, arn: &str) -> Option<usize> {
        if let Some(&i) = self.by_arn.get(arn) {
            return Some(i);
        }
        // arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION → the role.
        let (head, rest) = arn.split_once(":assumed-role/")?;
        let account = head.strip_prefix("arn:aws:sts::")?;
        let role = rest.split('/').next()?;
        self.nodes.iter().position(|n| {
            n.is_role() && n.name == role && self.workspace.accounts[n.account].id == account
        })
    }

    /// A non-default version of a managed policy with its statements
    /// (IAM API SetDefaultPolicyVersion makes it the one evaluated).
    pub(super) fn version_document(
        &self,
        outline: &NamedPolicy,
        version_id: &str,
    ) -> Option<Arc<NamedPolicy>> {
        let arn = outline.origin.arn.clone()?;
        let key = (outline.origin.file.clone(), arn, version_id.to_string());
        if let Ok(cache) = self.versions.lock() {
            if let Some(found) = cache.get(&key) {
                return found.clone();
            }
        }
        let texts = self
            .version_texts
            .get_or_init(|| read_versions(self.workspace));
        let read = texts.get(&key).and_then(|value| {
            let document = super::versions::decoded(value)?;
            let mut problems = Vec::new();
            Some(Arc::new(NamedPolicy {
                origin: outline.origin.clone(),
                kind: PolicyKind::Identity,
                policy: Arc::new(Policy::parse(
                    &document,
                    PolicyKind::Identity,
                    &mut problems,
                )),
            }))
        });
        if let Ok(mut cache) = self.versions.lock() {
            cache.insert(key, read.clone());
        }
        read
    }

    fn trust_names(&self) -> Vec<TrustNames> {
        let accounts: HashMap<&str, usize> = self
            .workspace
            .accounts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        self.nodes
            .iter()
            .map(|node| {
                let mut names = TrustNames::default();
                let Some(r) = node.role else {
                    return names;
                };
                let role = &self.workspace.accounts[node.account].roles[r];
                let Some(trust) = &role.trust_policy else {
                    return names;
                };
                trust.policy.visit_trust_names(|name| match name {
                    TrustName::Everyone => names.everyone = true,
                    TrustName::Account(a) => names.accounts.extend(accounts.get(a)),
                    TrustName::Principal(a) => names.nodes.extend(self.node_by_arn(a)),
                });
                names.accounts.sort_unstable();
                names.accounts.dedup();
                names.nodes.sort_unstable();
                names.nodes.dedup();
                names
            })
            .collect()
    }
}

/// The services of [`routes::SERVICES`] that the role's trust policy lets
/// assume it: an Allow naming the service principal for `sts:AssumeRole`
/// (IAM User Guide, id_roles_create_for-service; conditions such as
/// `aws:SourceAccount` are the service's to meet, not the caller's).
fn trusted_services(role: &crate::model::Role) -> u16 {
    let Some(trust) = &role.trust_policy else {
        return 0;
    };
    let mut bits = 0;
    for statement in &trust.policy.statements {
        if statement.effect != Effect::Allow || !statement.applies_to_action("sts:AssumeRole") {
            continue;
        }
        if let Some(PrincipalSpec::Principal(set)) = &statement.principal {
            for service in &set.services {
                bits |= service_bit(service);
            }
        }
    }
    // A Deny naming the service takes it back, whatever its conditions:
    // the step is then not claimed.
    for statement in &trust.policy.statements {
        if statement.effect != Effect::Deny || !statement.applies_to_action("sts:AssumeRole") {
            continue;
        }
        if let Some(PrincipalSpec::Principal(set)) = &statement.principal {
            for service in &set.services {
                bits &= !service_bit(service);
            }
        }
    }
    bits
}
