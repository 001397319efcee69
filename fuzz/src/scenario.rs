//! Structure-aware inputs: small workspaces and requests built with
//! `arbitrary`, written in the real file formats (authorization details,
//! organization, resource policies) so that most inputs are valid IAM and
//! reach the evaluator's depths: conditions with their set qualifiers and
//! `IfExists`, policy variables, `NotAction`/`NotResource`/`NotPrincipal`,
//! boundaries, groups, managed policies, SCP and RCP levels, sessions.

use arbitrary::Arbitrary;
use iamscope::eval::Request;
use iamscope::policy::RequestContext;
use iamscope::workspace::Source;
use serde_json::{json, Map, Value};

use crate::vocabulary::*;

#[derive(Arbitrary, Debug, Clone)]
pub enum Val {
    Word(u8),
    Free(String),
    Number(i32),
    Bool(bool),
}

impl Val {
    fn json(&self) -> Value {
        match self {
            Val::Word(i) => json!(pick(VALUES, *i)),
            Val::Free(s) => json!(s),
            Val::Number(n) => json!(n),
            Val::Bool(b) => json!(b),
        }
    }

    fn text(&self) -> String {
        match self {
            Val::Word(i) => pick(VALUES, *i).to_string(),
            Val::Free(s) => s.clone(),
            Val::Number(n) => n.to_string(),
            Val::Bool(b) => b.to_string(),
        }
    }
}

#[derive(Arbitrary, Debug, Clone)]
pub struct Cond {
    qualifier: u8,
    operator: u8,
    if_exists: bool,
    key: u8,
    values: Vec<Val>,
    as_list: bool,
}

#[derive(Arbitrary, Debug, Clone)]
pub struct Stmt {
    deny: bool,
    sid: Option<u8>,
    not_action: bool,
    actions: Vec<u8>,
    not_resource: bool,
    omit_resource: bool,
    resources: Vec<u8>,
    principal: u8,
    not_principal: bool,
    conditions: Vec<Cond>,
}

#[derive(Arbitrary, Debug, Clone)]
pub struct Doc {
    version: u8,
    statements: Vec<Stmt>,
}

/// Where an organization policy is attached: the root, the OU or the account.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Level {
    Root,
    Unit,
    Account,
}

impl Level {
    fn target(self) -> &'static str {
        match self {
            Level::Root => "r-root",
            Level::Unit => "ou-work",
            Level::Account => ACCOUNT,
        }
    }
}

/// Which principal asks.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Who {
    User,
    Role,
    Session,
}

impl Who {
    /// The query `Principal::lookup` resolves.
    pub fn query(self) -> &'static str {
        match self {
            Who::User => "alice",
            Who::Role => "Worker",
            Who::Session => "arn:aws:sts::111111111111:assumed-role/Worker/fuzz",
        }
    }
}

/// A small workspace: the user `alice`, the roles `Worker` (its policies
/// generated when `who` is a role) and `Admin`, optional group, managed
/// policy, boundary, resource policy and organization policies.
#[derive(Arbitrary, Debug, Clone)]
pub struct Scenario {
    pub identity: Doc,
    /// Adds an unconditional `Deny * on *` to the identity policy, at this position.
    pub deny_all: Option<u8>,
    pub boundary: Option<Doc>,
    /// An inline policy of the group `Team` alice belongs to.
    pub group: Option<Doc>,
    /// A customer managed policy `Shared` attached to the generated principal.
    pub managed: Option<Doc>,
    /// (ARN index, the owner is the other account, document).
    pub resource_policy: Option<(u8, bool, Doc)>,
    pub scps: Vec<(Level, Doc)>,
    pub rcps: Vec<(Level, Doc)>,
    /// Bit 0..2: `FullAWSAccess` attached at the root, the OU, the account.
    pub full_access: u8,
    pub who: Who,
}

/// One request: an action, a resource and a context.
#[derive(Arbitrary, Debug, Clone)]
pub struct Ask {
    action: u8,
    free_action: Option<String>,
    resource: u8,
    pub context: Context,
}

#[derive(Arbitrary, Debug, Clone, Default)]
pub struct Context(Vec<(u8, Vec<Val>)>);

impl Context {
    pub fn build(&self) -> RequestContext {
        let mut context = RequestContext::new();
        for (key, values) in self.0.iter().take(4) {
            context.set(pick(KEYS, *key), values.iter().take(4).map(Val::text));
        }
        context
    }
}

impl Ask {
    pub fn action(&self) -> String {
        match &self.free_action {
            Some(a) => a.clone(),
            None => pick(REQUEST_ACTIONS, self.action).to_string(),
        }
    }

    pub fn request(&self) -> Request {
        Request {
            action: self.action(),
            resource: pick(REQUEST_RESOURCES, self.resource).to_string(),
            context: self.context.build(),
            now_epoch: NOW,
        }
    }
}

fn list_or_single(mut items: Vec<Value>, as_list: bool) -> Value {
    match items.pop() {
        Some(only) if items.is_empty() && !as_list => only,
        Some(last) => {
            items.push(last);
            Value::Array(items)
        }
        None => Value::Array(items),
    }
}

fn condition_json(conditions: &[Cond]) -> Value {
    let mut block = Map::new();
    for c in conditions.iter().take(4) {
        let qualifier = match c.qualifier % 4 {
            0 | 1 => "",
            2 => "ForAllValues:",
            _ => "ForAnyValue:",
        };
        let suffix = if c.if_exists { "IfExists" } else { "" };
        let operator = format!("{qualifier}{}{suffix}", pick(OPERATORS, c.operator));
        let values: Vec<Value> = c.values.iter().take(4).map(Val::json).collect();
        let entry = block
            .entry(operator)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(keys) = entry {
            keys.insert(
                pick(KEYS, c.key).to_string(),
                list_or_single(values, c.as_list),
            );
        }
    }
    Value::Object(block)
}

fn picked(indexes: &[u8], list: &[&str]) -> Vec<Value> {
    indexes
        .iter()
        .take(4)
        .map(|&i| json!(pick(list, i)))
        .collect()
}

fn statement_json(s: &Stmt, with_principal: bool) -> Value {
    let mut m = Map::new();
    if let Some(sid) = s.sid {
        m.insert("Sid".into(), json!(format!("S{}", sid % 4)));
    }
    m.insert(
        "Effect".into(),
        json!(if s.deny { "Deny" } else { "Allow" }),
    );
    let action_key = if s.not_action { "NotAction" } else { "Action" };
    m.insert(
        action_key.into(),
        list_or_single(picked(&s.actions, ACTIONS), false),
    );
    if !s.omit_resource {
        let key = if s.not_resource {
            "NotResource"
        } else {
            "Resource"
        };
        m.insert(
            key.into(),
            list_or_single(picked(&s.resources, RESOURCES), false),
        );
    }
    if with_principal {
        let principal: Value =
            serde_json::from_str(pick(PRINCIPALS, s.principal)).unwrap_or(Value::Null);
        let key = if s.not_principal {
            "NotPrincipal"
        } else {
            "Principal"
        };
        m.insert(key.into(), principal);
    }
    if !s.conditions.is_empty() {
        m.insert("Condition".into(), condition_json(&s.conditions));
    }
    Value::Object(m)
}

impl Doc {
    /// The policy document, with `extra` inserted at a position.
    pub fn json(&self, with_principal: bool, extra: Option<(usize, Value)>) -> Value {
        let mut statements: Vec<Value> = self
            .statements
            .iter()
            .take(4)
            .map(|s| statement_json(s, with_principal))
            .collect();
        if let Some((at, statement)) = extra {
            statements.insert(at.min(statements.len()), statement);
        }
        let mut m = Map::new();
        match self.version % 4 {
            0 | 1 => {
                m.insert("Version".into(), json!("2012-10-17"));
            }
            2 => {
                m.insert("Version".into(), json!("2008-10-17"));
            }
            _ => {}
        }
        m.insert("Statement".into(), Value::Array(statements));
        Value::Object(m)
    }
}

fn deny_all() -> Value {
    json!({"Effect": "Deny", "Action": "*", "Resource": "*"})
}

fn managed_json(name: &str, document: Value) -> Value {
    json!({
        "PolicyName": name,
        "PolicyId": format!("ANPAFUZZ{}", name.to_uppercase()),
        "Arn": format!("arn:aws:iam::{ACCOUNT}:policy/{name}"),
        "Path": "/",
        "DefaultVersionId": "v1",
        "AttachmentCount": 1,
        "IsAttachable": true,
        "PolicyVersionList": [
            {"Document": document, "VersionId": "v1", "IsDefaultVersion": true}
        ]
    })
}

fn trust_of_account() -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "sts:AssumeRole"}]
    })
}

impl Scenario {
    /// The account's authorization details.
    pub fn account_json(&self) -> Value {
        let identity = self
            .identity
            .json(false, self.deny_all.map(|at| (at as usize, deny_all())));
        let mut policies = Vec::new();
        let mut attached = Vec::new();
        if let Some(boundary) = &self.boundary {
            policies.push(managed_json("Boundary", boundary.json(false, None)));
        }
        if let Some(shared) = &self.managed {
            policies.push(managed_json("Shared", shared.json(false, None)));
            attached.push(json!({"PolicyName": "Shared", "PolicyArn": format!("arn:aws:iam::{ACCOUNT}:policy/Shared")}));
        }
        let mut groups = Vec::new();
        let mut group_list = Vec::new();
        if let Some(group) = &self.group {
            groups.push(json!({
                "Path": "/", "GroupName": "Team", "GroupId": "AGPAFUZZTEAM000000001",
                "Arn": format!("arn:aws:iam::{ACCOUNT}:group/Team"),
                "GroupPolicyList": [{"PolicyName": "TeamPolicy", "PolicyDocument": group.json(false, None)}],
                "AttachedManagedPolicies": []
            }));
            group_list.push(json!("Team"));
        }
        let mut user = json!({
            "Path": "/", "UserName": "alice", "UserId": "AIDAFUZZALICE00000001",
            "Arn": format!("arn:aws:iam::{ACCOUNT}:user/alice"),
            "GroupList": group_list, "AttachedManagedPolicies": [],
            "Tags": [{"Key": "team", "Value": "platform"}]
        });
        let mut role = json!({
            "Path": "/", "RoleName": "Worker", "RoleId": "AROAFUZZWORKER0000001",
            "Arn": format!("arn:aws:iam::{ACCOUNT}:role/Worker"),
            "AssumeRolePolicyDocument": trust_of_account(),
            "AttachedManagedPolicies": [],
            "Tags": [{"Key": "team", "Value": "platform"}]
        });
        let admin = json!({
            "Path": "/", "RoleName": "Admin", "RoleId": "AROAFUZZADMIN00000001",
            "Arn": format!("arn:aws:iam::{ACCOUNT}:role/Admin"),
            "AssumeRolePolicyDocument": trust_of_account(),
            "AttachedManagedPolicies": [],
            "RolePolicyList": [{"PolicyName": "All", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}],
            "Tags": []
        });
        let (holder, list_key) = match self.who {
            Who::User => (&mut user, "UserPolicyList"),
            Who::Role | Who::Session => (&mut role, "RolePolicyList"),
        };
        holder[list_key] = json!([{"PolicyName": "Identity", "PolicyDocument": identity}]);
        holder["AttachedManagedPolicies"] = Value::Array(attached);
        if self.boundary.is_some() {
            holder["PermissionsBoundary"] = json!({
                "PermissionsBoundaryType": "Policy",
                "PermissionsBoundaryArn": format!("arn:aws:iam::{ACCOUNT}:policy/Boundary")
            });
        }
        json!({
            "UserDetailList": [user],
            "GroupDetailList": groups,
            "RoleDetailList": [role, admin],
            "Policies": policies
        })
    }

    pub fn resource_policies_json(&self) -> Option<Value> {
        let (arn, cross_account, doc) = self.resource_policy.as_ref()?;
        let account = if *cross_account {
            OTHER_ACCOUNT
        } else {
            ACCOUNT
        };
        Some(json!({"ResourcePolicies": [{
            "Arn": pick(RESOURCE_POLICY_ARNS, *arn),
            "AccountId": account,
            "Policy": doc.json(true, None)
        }]}))
    }

    /// The organization file, when any organization policy is generated.
    pub fn organization_json(&self) -> Option<Value> {
        if self.scps.is_empty() && self.rcps.is_empty() && self.full_access & 7 == 0 {
            return None;
        }
        let mut scps = Vec::new();
        for (bit, level) in [Level::Root, Level::Unit, Level::Account]
            .into_iter()
            .enumerate()
        {
            if self.full_access & (1 << bit) != 0 {
                scps.push(json!({
                    "Name": "FullAWSAccess",
                    "Targets": [level.target()],
                    "Policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
                }));
            }
        }
        let attach = |kind: &str, list: &[(Level, Doc)], out: &mut Vec<Value>| {
            for (i, (level, doc)) in list.iter().take(3).enumerate() {
                out.push(json!({
                    "Name": format!("{kind}{i}"),
                    "Targets": [level.target()],
                    "Policy": doc.json(false, None)
                }));
            }
        };
        attach("Scp", &self.scps, &mut scps);
        let mut rcps = Vec::new();
        attach("Rcp", &self.rcps, &mut rcps);
        Some(json!({"Organization": {
            "ManagementAccountId": "999999999999",
            "Roots": [{"Id": "r-root"}],
            "OrganizationalUnits": [{"Id": "ou-work", "Name": "Workloads", "ParentId": "r-root"}],
            "Accounts": [
                {"Id": ACCOUNT, "Name": "work", "ParentId": "ou-work"},
                {"Id": OTHER_ACCOUNT, "Name": "other", "ParentId": "ou-work"},
                {"Id": "999999999999", "Name": "management", "ParentId": "r-root"}
            ],
            "ServiceControlPolicies": scps,
            "ResourceControlPolicies": rcps
        }}))
    }

    /// The workspace's files, by name, as JSON values.
    pub fn files(&self) -> Vec<(&'static str, Value)> {
        let mut files = vec![("account-111111111111.json", self.account_json())];
        if let Some(org) = self.organization_json() {
            files.push(("organization.json", org));
        }
        if let Some(rp) = self.resource_policies_json() {
            files.push(("resource-policies.json", rp));
        }
        files
    }

    /// The workspace's files as loader sources.
    pub fn sources(&self) -> Vec<Source> {
        self.files()
            .into_iter()
            .map(|(name, value)| Source {
                name: name.to_string(),
                bytes: serde_json::to_vec(&value).unwrap_or_default(),
            })
            .collect()
    }

    /// Whether an unconditional `Deny *` on `*` was added to the identity policy.
    pub fn denies_everything(&self) -> bool {
        self.deny_all.is_some()
    }
}
