//! Turning one authorization-details file into an [`Account`].

use std::collections::BTreeMap;

use super::file_context::{FileContext, PolicyLabel};
use super::files::{
    AttachedPolicy, Entries, GroupDetail, InlinePolicy, ManagedPolicyDetail, RoleDetail, TagEntry,
    UserDetail,
};
use crate::model::account::{is_aws_managed_arn, DEFAULT_MAX_SESSION_SECONDS};
use crate::model::policy_ref::{NamedPolicy, PolicySource};
use crate::model::{Account, Arn, Group, ManagedPolicy, PolicyVersion, Role, Tag, User};
use crate::policy::{JsonPath, PolicyKind};
use std::sync::Arc;

/// The four lists of an authorization-details file.
pub struct AccountLists<'a> {
    pub users: Entries<UserDetail<'a>>,
    pub groups: Entries<GroupDetail<'a>>,
    pub roles: Entries<RoleDetail<'a>>,
    pub policies: Entries<ManagedPolicyDetail<'a>>,
}

/// `MaxSessionDuration` bounds: one hour to twelve hours (IAM API, `CreateRole`).
const MAX_SESSION_RANGE: std::ops::RangeInclusive<u64> = 3600..=43200;

/// Builds the accounts a file describes: the account of its first ARN, and
/// any other account whose entities it lists (a dump of one account holds
/// only that account's entities, but files assembled by hand or by other
/// tools mix them). Empty when the file has no ARN to tell an account by.
pub fn build_accounts<'a>(cx: &mut FileContext<'a>, lists: AccountLists<'a>) -> Vec<Account> {
    let Some(main) = account_id(cx, &lists) else {
        return Vec::new();
    };
    let mut accounts = FileAccounts::new(cx.name.to_string(), main);
    let root = JsonPath::root();
    let users_path = root.key("UserDetailList");
    for (i, detail) in lists.users.indexed() {
        let path = users_path.index(i);
        let account = accounts.for_entity(&detail.arn, &path);
        let user = build_user(cx, &account.id, detail, &path);
        account.users.push(user);
    }
    let groups_path = root.key("GroupDetailList");
    for (i, detail) in lists.groups.indexed() {
        let path = groups_path.index(i);
        let account = accounts.for_entity(&detail.arn, &path);
        let group = build_group(cx, &account.id, detail, &path);
        account.groups.push(group);
    }
    let roles_path = root.key("RoleDetailList");
    for (i, detail) in lists.roles.indexed() {
        let path = roles_path.index(i);
        let account = accounts.for_entity(&detail.arn, &path);
        let profiles = instance_profile_arns(&detail.instance_profile_list);
        let role = build_role(cx, &account.id, detail, &path);
        if !profiles.is_empty() {
            account.instance_profiles.insert(role.arn.clone(), profiles);
        }
        account.roles.push(role);
    }
    let policies_path = root.key("Policies");
    for (i, detail) in lists.policies.indexed() {
        let path = policies_path.index(i);
        // AWS managed policies belong to no account: every dump that uses
        // one prints it, and they are kept with the file's own account.
        let account = if is_aws_managed_arn(&detail.arn) {
            accounts.main()
        } else {
            accounts.for_entity(&detail.arn, &path)
        };
        let policy = build_managed_policy(cx, &account.id, detail, &path);
        if account.policies.contains_key(&policy.arn) {
            cx.error(
                &path.key("Arn"),
                format!(
                    "the policy {} is listed twice; the first is kept",
                    policy.arn
                ),
            );
        } else {
            account.policies.insert(policy.arn.clone(), policy);
        }
    }
    accounts.finish(cx)
}

/// The accounts of one file, the file's own first.
struct FileAccounts {
    file: String,
    accounts: Vec<Account>,
    /// For each account after the first: where its first entity is, and how
    /// many entities the file lists for it, for one warning per account.
    others: Vec<(JsonPath, usize)>,
}

impl FileAccounts {
    fn new(file: String, main: String) -> Self {
        let first = Account {
            id: main,
            file: file.clone(),
            ..Account::default()
        };
        FileAccounts {
            file,
            accounts: vec![first],
            others: Vec::new(),
        }
    }

    fn main(&mut self) -> &mut Account {
        &mut self.accounts[0]
    }

    /// The account an entity belongs to, by its ARN; the file's own account
    /// when the ARN names none (that ARN is reported where it is checked).
    fn for_entity(&mut self, arn: &str, path: &JsonPath) -> &mut Account {
        let id = match crate::model::ArnParts::parse(arn) {
            Ok(parsed) if crate::model::arn::is_account_id(parsed.account) => parsed.account,
            _ => return self.main(),
        };
        // The file's own account first: nearly every entity is in it.
        if self.accounts[0].id == id {
            return self.main();
        }
        match self.accounts.iter().position(|a| a.id == id) {
            Some(0) => self.main(),
            Some(i) => {
                self.others[i - 1].1 += 1;
                &mut self.accounts[i]
            }
            None => {
                self.accounts.push(Account {
                    id: id.to_string(),
                    file: self.file.clone(),
                    ..Account::default()
                });
                self.others.push((path.key("Arn"), 1));
                let last = self.accounts.len() - 1;
                &mut self.accounts[last]
            }
        }
    }

    /// The accounts, with one warning for each account besides the first.
    fn finish<'a>(self, cx: &mut FileContext<'a>) -> Vec<Account> {
        let main = &self.accounts[0].id;
        for (account, (path, count)) in self.accounts.iter().skip(1).zip(&self.others) {
            cx.warning(
                path,
                format!(
                    "the file describes account {main}, but {count} of its entities belong to account {}; \
                     they are loaded into account {} (a dump of one account lists only its own)",
                    account.id, account.id
                ),
            );
        }
        self.accounts
    }
}

/// The account id, read from the first IAM ARN of the file ("The account id
/// comes from the ARNs": the dump has no account field).
fn account_id<'a>(cx: &mut FileContext<'a>, lists: &AccountLists<'a>) -> Option<String> {
    let arns = lists
        .users
        .iter()
        .map(|u| u.arn.as_str())
        .chain(lists.groups.iter().map(|g| g.arn.as_str()))
        .chain(lists.roles.iter().map(|r| r.arn.as_str()))
        .chain(
            lists
                .policies
                .iter()
                .map(|p| p.arn.as_str())
                .filter(|arn| !is_aws_managed_arn(arn)),
        );
    let mut first_arn = None;
    for arn in arns {
        first_arn.get_or_insert(arn);
        if let Ok(parsed) = arn.parse::<Arn>() {
            if crate::model::arn::is_account_id(&parsed.account) {
                return Some(parsed.account);
            }
        }
    }
    match first_arn {
        // Entities whose ARNs all fail would be dropped unseen: an error, so
        // that `validate` fails instead of passing with an account missing.
        Some(arn) => cx.error(
            &first_arn_path(lists),
            format!(
                "no ARN in the file carries a 12-digit account id (the first is \"{arn}\"), \
                 so its account cannot be told; the file is skipped"
            ),
        ),
        None => cx.warning(
            &JsonPath::root(),
            "the file lists no user, group, role or customer managed policy, so its account id cannot be told; it is skipped",
        ),
    }
    None
}

/// Where the first ARN [`account_id`] looked at sits, in the same order.
fn first_arn_path(lists: &AccountLists) -> JsonPath {
    let root = JsonPath::root();
    let list = if !lists.users.is_empty() {
        root.key("UserDetailList").index(lists.users.position(0))
    } else if !lists.groups.is_empty() {
        root.key("GroupDetailList").index(lists.groups.position(0))
    } else if !lists.roles.is_empty() {
        root.key("RoleDetailList").index(lists.roles.position(0))
    } else {
        match lists
            .policies
            .iter()
            .position(|p| !is_aws_managed_arn(&p.arn))
        {
            Some(i) => root.key("Policies").index(lists.policies.position(i)),
            None => return root,
        }
    };
    list.key("Arn")
}

/// Checks an entity ARN: it must parse, be an IAM ARN of the right type, and
/// belong to this file's account.
fn check_entity_arn<'a>(
    cx: &mut FileContext<'a>,
    arn: &str,
    kind: &str,
    account: &str,
    path: &JsonPath,
) {
    match arn.parse::<Arn>() {
        Err(e) => cx.error(path, format!("\"{arn}\" is not an ARN: {e}")),
        Ok(parsed) => {
            let (resource_type, _) = parsed.resource_type_and_name();
            if parsed.service != "iam" || resource_type != kind {
                cx.error(path, format!("\"{arn}\" is not the ARN of an IAM {kind}"));
            } else if parsed.account != account {
                // `FileAccounts::for_entity` places an entity whose ARN has
                // no 12-digit account id in the file's own account.
                cx.error(
                    path,
                    format!("\"{arn}\" is not in account {account}, where it was placed"),
                );
            }
        }
    }
}

fn inline_policies<'a>(
    cx: &mut FileContext<'a>,
    list: Vec<InlinePolicy<'a>>,
    path: &JsonPath,
) -> Vec<Arc<NamedPolicy>> {
    list.into_iter()
        .enumerate()
        .map(|(i, inline)| {
            cx.parse_document(
                inline.policy_document,
                &path.index(i).key("PolicyDocument"),
                PolicyKind::Identity,
                PolicyLabel {
                    name: inline.policy_name,
                    arn: None,
                    source: PolicySource::Inline,
                },
                false,
            )
        })
        .collect()
}

fn attached_arns(list: Vec<AttachedPolicy>) -> Vec<String> {
    list.into_iter().map(|a| a.policy_arn).collect()
}

fn tags(list: Vec<TagEntry>) -> Vec<Tag> {
    list.into_iter()
        .map(|t| Tag {
            key: t.key,
            value: t.value,
        })
        .collect()
}

fn build_user<'a>(
    cx: &mut FileContext<'a>,
    account: &str,
    d: UserDetail<'a>,
    path: &JsonPath,
) -> User {
    check_entity_arn(cx, &d.arn, "user", account, &path.key("Arn"));
    cx.check_date(d.create_date.as_deref(), &path.key("CreateDate"));
    User {
        inline_policies: inline_policies(cx, d.user_policy_list, &path.key("UserPolicyList")),
        name: d.user_name,
        id: d.user_id,
        arn: d.arn,
        path: d.path,
        create_date: d.create_date,
        groups: d.group_list,
        attached: attached_arns(d.attached_managed_policies),
        boundary: d.permissions_boundary.map(|b| b.permissions_boundary_arn),
        tags: tags(d.tags),
        place: cx.place(path),
    }
}

fn build_group<'a>(
    cx: &mut FileContext<'a>,
    account: &str,
    d: GroupDetail<'a>,
    path: &JsonPath,
) -> Group {
    check_entity_arn(cx, &d.arn, "group", account, &path.key("Arn"));
    cx.check_date(d.create_date.as_deref(), &path.key("CreateDate"));
    Group {
        inline_policies: inline_policies(cx, d.group_policy_list, &path.key("GroupPolicyList")),
        name: d.group_name,
        id: d.group_id,
        arn: d.arn,
        path: d.path,
        create_date: d.create_date,
        attached: attached_arns(d.attached_managed_policies),
        place: cx.place(path),
    }
}

fn build_role<'a>(
    cx: &mut FileContext<'a>,
    account: &str,
    d: RoleDetail<'a>,
    path: &JsonPath,
) -> Role {
    check_entity_arn(cx, &d.arn, "role", account, &path.key("Arn"));
    cx.check_date(d.create_date.as_deref(), &path.key("CreateDate"));
    let trust_policy = match &d.assume_role_policy_document {
        Some(document) => Some(cx.parse_document(
            document,
            &path.key("AssumeRolePolicyDocument"),
            PolicyKind::Trust,
            PolicyLabel {
                name: format!("trust policy of {}", d.role_name),
                arn: None,
                source: PolicySource::Attached,
            },
            false,
        )),
        None => {
            cx.warning(
                path,
                format!(
                    "role {} has no AssumeRolePolicyDocument: nobody can assume it",
                    d.role_name
                ),
            );
            None
        }
    };
    let max_session_seconds = match d.max_session_duration {
        None => DEFAULT_MAX_SESSION_SECONDS,
        Some(seconds) if MAX_SESSION_RANGE.contains(&seconds) => seconds as u32,
        Some(seconds) => {
            cx.error(
                &path.key("MaxSessionDuration"),
                format!("MaxSessionDuration is {seconds} s; AWS allows 3600 to 43200"),
            );
            DEFAULT_MAX_SESSION_SECONDS
        }
    };
    Role {
        inline_policies: inline_policies(cx, d.role_policy_list, &path.key("RolePolicyList")),
        trust_policy,
        name: d.role_name,
        id: d.role_id,
        arn: d.arn,
        path: d.path,
        create_date: d.create_date,
        attached: attached_arns(d.attached_managed_policies),
        boundary: d.permissions_boundary.map(|b| b.permissions_boundary_arn),
        tags: tags(d.tags),
        max_session_seconds,
        last_used: d.role_last_used.and_then(|r| r.last_used_date),
        place: cx.place(path),
    }
}

/// The ARNs of a role's instance profiles; entries without one are skipped.
fn instance_profile_arns(list: &[serde_json::Value]) -> Vec<String> {
    list.iter()
        .filter_map(|p| p.get("Arn").and_then(|a| a.as_str()))
        .map(str::to_string)
        .collect()
}

fn build_managed_policy<'a>(
    cx: &mut FileContext<'a>,
    account: &str,
    d: ManagedPolicyDetail<'a>,
    path: &JsonPath,
) -> ManagedPolicy {
    let aws_managed = is_aws_managed_arn(&d.arn);
    if !aws_managed {
        check_entity_arn(cx, &d.arn, "policy", account, &path.key("Arn"));
    }
    let source = if aws_managed {
        PolicySource::AwsManaged
    } else {
        PolicySource::CustomerManaged
    };
    let default_id = d.default_version_id.clone();
    let has_default = d
        .policy_version_list
        .iter()
        .any(|v| v.is_default_version || v.version_id == default_id);
    if !has_default {
        cx.error(
            &path.key("PolicyVersionList"),
            format!(
                "policy {} has no default version (DefaultVersionId \"{default_id}\" is not in PolicyVersionList); it grants nothing",
                d.policy_name
            ),
        );
    }
    let versions_path = path.key("PolicyVersionList");
    let mut versions = Vec::with_capacity(d.policy_version_list.len());
    for (i, v) in d.policy_version_list.into_iter().enumerate() {
        let is_default = v.is_default_version || (v.version_id == default_id);
        let document = cx.parse_document(
            v.document,
            &versions_path.index(i).key("Document"),
            PolicyKind::Identity,
            PolicyLabel {
                name: d.policy_name.clone(),
                arn: Some(d.arn.clone()),
                source,
            },
            !is_default,
        );
        // A dump holds up to five versions of each policy and AWS evaluates
        // one: the others (`history`) are read for their problems and kept as
        // an outline (name, place in the file) without their statements.
        versions.push(PolicyVersion {
            version_id: v.version_id,
            is_default,
            create_date: v.create_date,
            document,
        });
    }
    cx.check_date(d.create_date.as_deref(), &path.key("CreateDate"));
    cx.check_date(d.update_date.as_deref(), &path.key("UpdateDate"));
    ManagedPolicy {
        name: d.policy_name,
        arn: d.arn,
        id: d.policy_id,
        path: d.path,
        default_version_id: default_id,
        versions,
        attachment_count: d.attachment_count,
        place: cx.place(path),
    }
}

/// Names that must be unique in an account: reports the second of each pair.
pub fn check_duplicate_names<'a>(cx: &mut FileContext<'a>, account: &Account) {
    fn dups<'a>(
        names: impl Iterator<Item = (&'a str, &'a JsonPath)>,
    ) -> Vec<(&'a JsonPath, &'a str)> {
        let mut seen = BTreeMap::new();
        let mut out = Vec::new();
        for (name, path) in names {
            // IAM names are unique case-insensitively.
            if seen.insert(name.to_lowercase(), ()).is_some() {
                out.push((path, name));
            }
        }
        out
    }
    let users = account
        .users
        .iter()
        .map(|u| (u.name.as_str(), &u.place.path));
    for (path, name) in dups(users) {
        cx.error(
            &path.key("UserName"),
            format!("duplicate user name \"{name}\""),
        );
    }
    let groups = account
        .groups
        .iter()
        .map(|g| (g.name.as_str(), &g.place.path));
    for (path, name) in dups(groups) {
        cx.error(
            &path.key("GroupName"),
            format!("duplicate group name \"{name}\""),
        );
    }
    let roles = account
        .roles
        .iter()
        .map(|r| (r.name.as_str(), &r.place.path));
    for (path, name) in dups(roles) {
        cx.error(
            &path.key("RoleName"),
            format!("duplicate role name \"{name}\""),
        );
    }
}
