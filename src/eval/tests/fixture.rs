//! Small workspaces for evaluation tests, written in the real file formats and
//! loaded through the real loader.

use serde_json::{json, Value};

use crate::eval::{evaluate, Decision, Outcome, Principal, Request};
use crate::model::Workspace;
use crate::policy::{Policy, PolicyKind, RequestContext};
use crate::workspace::{load_sources, Source};

pub const A: &str = "111111111111";
pub const B: &str = "222222222222";

/// A 2012-10-17 policy document.
pub fn doc(statements: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// `{"Effect": "Allow", "Action": action, "Resource": resource}`.
pub fn allow(action: &str, resource: &str) -> Value {
    json!({"Effect": "Allow", "Action": action, "Resource": resource})
}

pub fn deny(action: &str, resource: &str) -> Value {
    json!({"Effect": "Deny", "Action": action, "Resource": resource})
}

fn inline_list(docs: &[Value]) -> Vec<Value> {
    docs.iter()
        .enumerate()
        .map(|(i, d)| json!({"PolicyName": format!("inline{i}"), "PolicyDocument": d}))
        .collect()
}

pub fn user(account: &str, name: &str, inline: &[Value]) -> Value {
    json!({
        "Path": "/", "UserName": name, "UserId": format!("AIDA{}", name.to_uppercase()),
        "Arn": format!("arn:aws:iam::{account}:user/{name}"),
        "CreateDate": "2024-01-01T00:00:00+00:00",
        "UserPolicyList": inline_list(inline), "GroupList": [], "AttachedManagedPolicies": [], "Tags": []
    })
}

pub fn group(account: &str, name: &str, inline: &[Value]) -> Value {
    json!({
        "Path": "/", "GroupName": name, "GroupId": format!("AGPA{}", name.to_uppercase()),
        "Arn": format!("arn:aws:iam::{account}:group/{name}"),
        "GroupPolicyList": inline_list(inline), "AttachedManagedPolicies": []
    })
}

pub fn role(account: &str, name: &str, trust: Value, inline: &[Value]) -> Value {
    json!({
        "Path": "/", "RoleName": name, "RoleId": format!("AROA{}", name.to_uppercase()),
        "Arn": format!("arn:aws:iam::{account}:role/{name}"),
        "AssumeRolePolicyDocument": trust,
        "RolePolicyList": inline_list(inline), "AttachedManagedPolicies": [], "Tags": [],
        "InstanceProfileList": [], "RoleLastUsed": {}
    })
}

/// A customer managed policy with one (default) version.
pub fn managed(account: &str, name: &str, document: Value) -> Value {
    json!({
        "PolicyName": name, "PolicyId": format!("ANPA{}", name.to_uppercase()),
        "Arn": format!("arn:aws:iam::{account}:policy/{name}"), "Path": "/",
        "DefaultVersionId": "v1", "AttachmentCount": 1, "IsAttachable": true,
        "PolicyVersionList": [{"Document": document, "VersionId": "v1", "IsDefaultVersion": true}]
    })
}

/// A trust policy letting `principal` (an `AWS` principal value) assume the role.
pub fn trust(principal: Value) -> Value {
    doc(json!([{"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}]))
}

pub fn dump(
    users: Vec<Value>,
    groups: Vec<Value>,
    roles: Vec<Value>,
    policies: Vec<Value>,
) -> Value {
    json!({"UserDetailList": users, "GroupDetailList": groups, "RoleDetailList": roles, "Policies": policies})
}

/// Loads files given as JSON values; fails the test on any load error.
pub fn workspace(files: Vec<Value>) -> Workspace {
    let sources = files
        .iter()
        .enumerate()
        .map(|(i, v)| Source {
            name: format!("file{i}.json"),
            bytes: serde_json::to_vec_pretty(v).expect("fixture serializes"),
        })
        .collect();
    let loaded = load_sources("test", sources);
    let errors: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
    assert!(errors.is_empty(), "fixture has errors: {errors:#?}");
    loaded.workspace
}

/// 2026-01-01T00:00:00Z.
pub const NOW: i64 = 1_767_225_600;

pub fn context(pairs: &[(&str, &str)]) -> RequestContext {
    let mut ctx = RequestContext::new();
    for (k, v) in pairs {
        ctx.push(k, *v);
    }
    ctx
}

pub fn principal(ws: &Workspace, query: &str) -> Principal {
    Principal::lookup(ws, query).unwrap_or_else(|e| panic!("{e}"))
}

/// Evaluates and returns the decision.
pub fn decide_as(
    ws: &Workspace,
    who: &Principal,
    action: &str,
    resource: &str,
    ctx: &[(&str, &str)],
) -> Decision {
    evaluate(
        ws,
        who,
        &Request {
            action: action.to_string(),
            resource: resource.to_string(),
            context: context(ctx),
            now_epoch: NOW,
        },
    )
}

pub fn decide(
    ws: &Workspace,
    who: &str,
    action: &str,
    resource: &str,
    ctx: &[(&str, &str)],
) -> Decision {
    decide_as(ws, &principal(ws, who), action, resource, ctx)
}

pub fn outcome(ws: &Workspace, who: &str, action: &str, resource: &str) -> Outcome {
    decide(ws, who, action, resource, &[]).decision
}

/// A session policy from a document.
pub fn session_policy(document: Value) -> std::sync::Arc<crate::model::NamedPolicy> {
    let mut problems = Vec::new();
    let policy = Policy::parse(&document, PolicyKind::Session, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    crate::model::NamedPolicy::new(
        crate::model::PolicyOrigin {
            file: "session.json".into(),
            path: crate::policy::JsonPath::root(),
            name: "session policy".to_string(),
            arn: None,
            source: crate::model::policy_ref::PolicySource::SessionFile,
        },
        PolicyKind::Session,
        policy,
    )
}

/// The organization file: root → OU "Workloads" → accounts A and B, with the given SCPs and RCPs.
pub fn organization(scps: Value, rcps: Value) -> Value {
    json!({"Organization": {
        "ManagementAccountId": "999999999999",
        "Roots": [{"Id": "r-root"}],
        "OrganizationalUnits": [{"Id": "ou-work", "Name": "Workloads", "ParentId": "r-root"}],
        "Accounts": [
            {"Id": A, "Name": "a", "ParentId": "ou-work"},
            {"Id": B, "Name": "b", "ParentId": "ou-work"},
            {"Id": "999999999999", "Name": "management", "ParentId": "r-root"}
        ],
        "ServiceControlPolicies": scps,
        "ResourceControlPolicies": rcps
    }})
}

pub fn resource_policies(entries: Value) -> Value {
    json!({ "ResourcePolicies": entries })
}
