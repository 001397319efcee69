//! The acting identity of a request with every policy that bears on it,
//! resolved once from the workspace.

use std::sync::Arc;

use crate::model::organization::AccountOrgKeys;
use crate::model::policy_ref::NamedPolicy;
use crate::model::workspace::{LookupError, PrincipalRef};
use crate::model::{Account, Role, Tag, User, Workspace};
use crate::policy::context::{ContextKeys, RequestKeys, TIME_KEYS};
use crate::policy::principal::{Requester, RequesterKind};
use crate::policy::RequestContext;

/// What kind of identity acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum PrincipalKind {
    /// An IAM user with long-term credentials.
    User,
    /// A session of a role (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`).
    RoleSession,
    /// The account's root user.
    Root,
}

/// A permissions boundary as it applies.
#[derive(Debug, Clone)]
pub enum Boundary {
    Policy(Arc<NamedPolicy>),
    /// The boundary's ARN names no known policy: it allows nothing (fail closed).
    Unresolved(String),
}

/// The session of a role, as far as evaluation needs it.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub role_arn: String,
    pub role_name: String,
    pub role_id: String,
    pub session_name: String,
    /// `aws:userid` of the session: `ROLE-ID:SESSION-NAME`.
    pub user_id: String,
    /// `None`: no session policy was passed (the session then has the role's
    /// permissions). `Some`: the session is limited to their intersection.
    pub session_policies: Option<Vec<Arc<NamedPolicy>>>,
}

/// The acting identity and the policies it carries.
#[derive(Debug, Clone)]
pub struct Principal {
    pub kind: PrincipalKind,
    /// The user ARN, the session ARN or the root ARN.
    pub arn: String,
    pub account: String,
    /// A short name for messages: `alice`, `ProdDeploy/iamscope`, `root`.
    pub display_name: String,
    pub user: Option<UserInfo>,
    pub session: Option<SessionInfo>,
    pub tags: Vec<Tag>,
    /// Identity policies: the user's own and its groups', or the role's.
    pub identity_policies: Vec<Arc<NamedPolicy>>,
    pub boundary: Option<Boundary>,
    /// Attached ARNs that resolved to nothing; they grant nothing.
    pub unresolved_policies: Vec<String>,
    /// Service-linked roles are exempt from SCPs and RCPs.
    pub service_linked: bool,
    /// The organization of the principal's account, when the workspace knows
    /// it with its id: `aws:PrincipalOrgID` and `aws:PrincipalOrgPaths`.
    pub org: Option<Arc<AccountOrgKeys>>,
}

#[derive(Debug, Clone)]
pub struct UserInfo {
    pub name: String,
    pub id: String,
}

/// The session name used when none is given.
pub const DEFAULT_SESSION_NAME: &str = "iamscope";

impl Principal {
    /// Resolves a principal reference; a role means a session of that role.
    pub fn from_ref(
        workspace: &Workspace,
        principal: PrincipalRef,
        session_name: Option<&str>,
    ) -> Principal {
        match principal {
            PrincipalRef::User { account, user } => Principal::user(workspace, account, user),
            PrincipalRef::Role { account, role } => Principal::role_session(
                workspace,
                account,
                role,
                session_name.unwrap_or(DEFAULT_SESSION_NAME),
                None,
            ),
            PrincipalRef::Root { account } => Principal::root(&account.id).in_workspace(workspace),
        }
    }

    /// The same principal with the organization keys its account has in
    /// `workspace` (the root user is built without a workspace).
    pub fn in_workspace(mut self, workspace: &Workspace) -> Principal {
        self.org = org_keys(workspace, &self.account);
        self
    }

    /// Finds the principal a user named: an ARN (an assumed-role ARN gives
    /// a session of that name) or a friendly name unique in the workspace.
    pub fn lookup(workspace: &Workspace, query: &str) -> Result<Principal, LookupError> {
        let found = workspace.find_principal(query)?;
        let session_name = query
            .strip_prefix("arn:")
            .filter(|_| query.contains(":assumed-role/"))
            .and_then(|_| query.rsplit('/').next());
        Ok(Principal::from_ref(workspace, found, session_name))
    }

    pub fn user(workspace: &Workspace, account: &Account, user: &User) -> Principal {
        let mut policies = user.inline_policies.clone();
        let mut unresolved = Vec::new();
        push_managed(
            workspace,
            &account.id,
            &user.attached,
            &mut policies,
            &mut unresolved,
        );
        for group_name in &user.groups {
            if let Some(group) = account.group(group_name) {
                policies.extend(group.inline_policies.iter().cloned());
                push_managed(
                    workspace,
                    &account.id,
                    &group.attached,
                    &mut policies,
                    &mut unresolved,
                );
            }
        }
        Principal {
            kind: PrincipalKind::User,
            arn: user.arn.clone(),
            account: account.id.clone(),
            display_name: user.name.clone(),
            user: Some(UserInfo {
                name: user.name.clone(),
                id: user.id.clone(),
            }),
            session: None,
            tags: user.tags.clone(),
            identity_policies: policies,
            boundary: boundary(workspace, &account.id, user.boundary.as_deref()),
            unresolved_policies: unresolved,
            service_linked: false,
            org: org_keys(workspace, &account.id),
        }
    }

    /// A session of `role`. The session ARN has no path; `aws:PrincipalArn`
    /// is the role ARN with its path (IAM User Guide, "IAM identifiers").
    pub fn role_session(
        workspace: &Workspace,
        account: &Account,
        role: &Role,
        session_name: &str,
        session_policies: Option<Vec<Arc<NamedPolicy>>>,
    ) -> Principal {
        let mut policies = role.inline_policies.clone();
        let mut unresolved = Vec::new();
        push_managed(
            workspace,
            &account.id,
            &role.attached,
            &mut policies,
            &mut unresolved,
        );
        Principal {
            kind: PrincipalKind::RoleSession,
            arn: format!(
                "arn:aws:sts::{}:assumed-role/{}/{}",
                account.id, role.name, session_name
            ),
            account: account.id.clone(),
            display_name: format!("{}/{}", role.name, session_name),
            user: None,
            session: Some(SessionInfo {
                role_arn: role.arn.clone(),
                role_name: role.name.clone(),
                role_id: role.id.clone(),
                session_name: session_name.to_string(),
                user_id: format!("{}:{}", role.id, session_name),
                session_policies,
            }),
            tags: role.tags.clone(),
            identity_policies: policies,
            boundary: boundary(workspace, &account.id, role.boundary.as_deref()),
            unresolved_policies: unresolved,
            service_linked: role.is_service_linked(),
            org: org_keys(workspace, &account.id),
        }
    }

    /// A member of `group` holding only the group's policies: what the group
    /// grants, for previews (a group is not a principal itself).
    pub fn group_preview(
        workspace: &Workspace,
        account: &Account,
        group: &crate::model::Group,
    ) -> Principal {
        let mut policies = group.inline_policies.clone();
        let mut unresolved = Vec::new();
        push_managed(
            workspace,
            &account.id,
            &group.attached,
            &mut policies,
            &mut unresolved,
        );
        Principal {
            kind: PrincipalKind::User,
            arn: group.arn.clone(),
            account: account.id.clone(),
            display_name: format!("member of {}", group.name),
            user: None,
            session: None,
            tags: Vec::new(),
            identity_policies: policies,
            boundary: None,
            unresolved_policies: unresolved,
            service_linked: false,
            org: org_keys(workspace, &account.id),
        }
    }

    /// The account's root user: every permission, yet still under the SCPs of
    /// a member account (IAM User Guide, "Policies and the root user").
    pub fn root(account: &str) -> Principal {
        Principal {
            kind: PrincipalKind::Root,
            arn: format!("arn:aws:iam::{account}:root"),
            account: account.to_string(),
            display_name: "root".to_string(),
            user: None,
            session: None,
            tags: Vec::new(),
            identity_policies: Vec::new(),
            boundary: None,
            unresolved_policies: Vec::new(),
            service_linked: false,
            org: None,
        }
    }

    /// Replaces the session policies of a role session.
    pub fn with_session_policies(mut self, policies: Vec<Arc<NamedPolicy>>) -> Principal {
        if let Some(session) = &mut self.session {
            session.session_policies = Some(policies);
        }
        self
    }

    /// How principal matching sees this identity.
    pub fn requester(&self) -> Requester<'_> {
        Requester {
            account: &self.account,
            arn: &self.arn,
            role_arn: self.session.as_ref().map(|s| s.role_arn.as_str()),
            kind: match self.kind {
                PrincipalKind::User => RequesterKind::User,
                PrincipalKind::RoleSession => RequesterKind::RoleSession,
                PrincipalKind::Root => RequesterKind::Root,
            },
        }
    }

    /// Adds the keys AWS derives from the request, unless the caller set
    /// them: those of [`Principal::derived_keys`], and the request time
    /// (`aws:CurrentTime`, `aws:EpochTime`).
    /// Gives a role session the session tags passed when it started. Session
    /// tags become the session's `aws:PrincipalTag/*` and override the role's
    /// own tags of the same key, keys compared without case (IAM User Guide,
    /// id_session-tags, "Things to know about session tags"; AssumeRole API,
    /// `Tags`).
    pub fn apply_session_tags(&mut self, tags: &[(String, String)]) {
        if tags.is_empty() {
            return;
        }
        self.tags
            .retain(|t| !tags.iter().any(|(k, _)| k.eq_ignore_ascii_case(&t.key)));
        self.tags
            .extend(tags.iter().map(|(key, value)| crate::model::Tag {
                key: key.clone(),
                value: value.clone(),
            }));
    }

    pub fn add_request_keys(&self, context: &mut RequestContext, now_epoch: i64) {
        for (key, value) in self.derived_keys().entries() {
            context.set_default(&key, [value.clone()]);
        }
        for key in TIME_KEYS {
            if let Some(value) = RequestKeys::time_value(key, now_epoch) {
                context.set_default(key, [value]);
            }
        }
    }

    /// The keys AWS derives from the requester: `aws:username` (users only),
    /// `aws:userid`, `aws:PrincipalArn` (the role ARN for a session),
    /// `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:PrincipalTag/*`
    /// (IAM User Guide, "AWS global condition context keys"), read straight
    /// from the principal's fields: no map is built per principal.
    pub fn derived_keys(&self) -> DerivedKeys<'_> {
        DerivedKeys(self)
    }
}

/// The condition keys a principal implies, as a view over its fields.
#[derive(Debug, Clone, Copy)]
pub struct DerivedKeys<'p>(&'p Principal);

/// `aws:PrincipalType` values, stored once so that a lookup can lend them.
fn principal_type(kind: usize) -> &'static [String] {
    static TYPES: std::sync::LazyLock<[String; 3]> = std::sync::LazyLock::new(|| {
        [
            "User".to_string(),
            "AssumedRole".to_string(),
            "Account".to_string(),
        ]
    });
    std::slice::from_ref(&TYPES[kind])
}

impl<'p> DerivedKeys<'p> {
    /// Every key with its value, in a fixed order (user or session keys,
    /// then the account, then the tags; the first tag of a key wins).
    pub fn entries(&self) -> Vec<(String, &'p String)> {
        let p = self.0;
        let mut out: Vec<(String, &'p String)> = Vec::new();
        match (&p.kind, &p.user, &p.session) {
            (PrincipalKind::User, Some(user), _) => {
                out.push(("aws:username".to_string(), &user.name));
                out.push(("aws:userid".to_string(), &user.id));
                out.push(("aws:PrincipalArn".to_string(), &p.arn));
                out.push(("aws:PrincipalType".to_string(), &principal_type(0)[0]));
            }
            (PrincipalKind::RoleSession, _, Some(session)) => {
                out.push(("aws:userid".to_string(), &session.user_id));
                out.push(("aws:PrincipalArn".to_string(), &session.role_arn));
                out.push(("aws:PrincipalType".to_string(), &principal_type(1)[0]));
            }
            _ => {
                out.push(("aws:userid".to_string(), &p.account));
                out.push(("aws:PrincipalArn".to_string(), &p.arn));
                out.push(("aws:PrincipalType".to_string(), &principal_type(2)[0]));
            }
        }
        out.push(("aws:PrincipalAccount".to_string(), &p.account));
        if let Some(org) = &p.org {
            out.push(("aws:PrincipalOrgID".to_string(), &org.id));
            out.push(("aws:PrincipalOrgPaths".to_string(), &org.path));
        }
        for tag in &p.tags {
            out.push((format!("aws:PrincipalTag/{}", tag.key), &tag.value));
        }
        out
    }
}

impl ContextKeys for DerivedKeys<'_> {
    fn get(&self, key: &str) -> Option<&[String]> {
        let p = self.0;
        let one = std::slice::from_ref;
        const TAG: &str = "aws:PrincipalTag/";
        if key.len() > TAG.len()
            && key.is_char_boundary(TAG.len())
            && key[..TAG.len()].eq_ignore_ascii_case(TAG)
        {
            let wanted = &key[TAG.len()..];
            return p
                .tags
                .iter()
                .find(|t| t.key.eq_ignore_ascii_case(wanted))
                .map(|t| one(&t.value));
        }
        let is = |name: &str| key.eq_ignore_ascii_case(name);
        if is("aws:PrincipalAccount") {
            return Some(one(&p.account));
        }
        // IAM User Guide, reference_policies_condition-keys: aws:PrincipalOrgID
        // and aws:PrincipalOrgPaths are present when the principal's account
        // is a member of an organization.
        if is("aws:PrincipalOrgID") {
            return p.org.as_ref().map(|o| one(&o.id));
        }
        if is("aws:PrincipalOrgPaths") {
            return p.org.as_ref().map(|o| one(&o.path));
        }
        match (&p.kind, &p.user, &p.session) {
            (PrincipalKind::User, Some(user), _) => match () {
                _ if is("aws:username") => Some(one(&user.name)),
                _ if is("aws:userid") => Some(one(&user.id)),
                _ if is("aws:PrincipalArn") => Some(one(&p.arn)),
                _ if is("aws:PrincipalType") => Some(principal_type(0)),
                _ => None,
            },
            (PrincipalKind::RoleSession, _, Some(session)) => match () {
                _ if is("aws:userid") => Some(one(&session.user_id)),
                _ if is("aws:PrincipalArn") => Some(one(&session.role_arn)),
                _ if is("aws:PrincipalType") => Some(principal_type(1)),
                _ => None,
            },
            _ => match () {
                _ if is("aws:userid") => Some(one(&p.account)),
                _ if is("aws:PrincipalArn") => Some(one(&p.arn)),
                _ if is("aws:PrincipalType") => Some(principal_type(2)),
                _ => None,
            },
        }
    }
}

/// The organization keys of `account`, when the workspace's organization
/// holds it and its id is known.
fn org_keys(workspace: &Workspace, account: &str) -> Option<Arc<AccountOrgKeys>> {
    workspace
        .organization
        .as_ref()?
        .account_keys(account)
        .cloned()
}

fn push_managed(
    workspace: &Workspace,
    account: &str,
    arns: &[String],
    policies: &mut Vec<Arc<NamedPolicy>>,
    unresolved: &mut Vec<String>,
) {
    for arn in arns {
        match workspace
            .managed_policy(account, arn)
            .and_then(|p| p.default_document())
        {
            Some(document) => policies.push(document.clone()),
            None => unresolved.push(arn.clone()),
        }
    }
}

fn boundary(workspace: &Workspace, account: &str, arn: Option<&str>) -> Option<Boundary> {
    let arn = arn?;
    Some(
        match workspace
            .managed_policy(account, arn)
            .and_then(|p| p.default_document())
        {
            Some(document) => Boundary::Policy(document.clone()),
            None => Boundary::Unresolved(arn.to_string()),
        },
    )
}
