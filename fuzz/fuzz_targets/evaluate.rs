//! Evaluating a request against generated policies: an identity policy, an
//! optional permissions boundary, an optional resource policy and a request
//! context, all drawn from a small vocabulary (wildcards, policy variables,
//! every condition operator with its set qualifiers and `IfExists`).
//!
//! Invariants: evaluating twice gives the same decision; an unconditional
//! `Deny` of `*` on `*` in the identity policy denies every action but
//! `sts:GetCallerIdentity`.
#![no_main]

use arbitrary::Arbitrary;
use iamscope::eval::effective::effective_permissions;
use iamscope::eval::{evaluate, Outcome, Principal, Request};
use iamscope::policy::RequestContext;
use iamscope::workspace::{load_sources, Source};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

const NOW: i64 = 1_767_260_400;

const ACCOUNT: &str = "111111111111";

const ACTIONS: &[&str] = &[
    "*",
    "s3:*",
    "s3:GetObject",
    "s3:Get*",
    "s3:?etObject",
    "S3:getobject",
    "s3:ListBucket",
    "s3:*Object",
    "ec2:TerminateInstances",
    "ec2:Describe*",
    "iam:*",
    "iam:PassRole",
    "sts:AssumeRole",
    "sts:GetCallerIdentity",
    "kms:Decrypt",
    "sqs:SendMessage",
    "notaservice:Foo",
    "*:*",
    "s3",
    "",
];

const REQUEST_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "s3:DeleteObject",
    "ec2:TerminateInstances",
    "ec2:DescribeInstances",
    "iam:PassRole",
    "iam:CreateUser",
    "sts:AssumeRole",
    "sts:GetCallerIdentity",
    "kms:Decrypt",
    "sqs:SendMessage",
    "S3:getobject",
    "notaservice:Foo",
    "",
    "s3",
];

const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::bucket",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket/${aws:username}/*",
    "arn:aws:s3:::b?cket/*",
    "arn:aws:s3:::${aws:PrincipalTag/team}-*",
    "arn:aws:s3:::bucket/${*}",
    "arn:aws:s3:::bucket/${?}",
    "arn:aws:s3:::bucket/${unknown:key}",
    "arn:aws:s3:::bucket/${aws:username",
    "arn:aws:s3:::bucket/${aws:username, 'x'}",
    "arn:aws:ec2:*:111111111111:instance/*",
    "arn:aws:ec2:eu-west-1:111111111111:instance/i-?",
    "arn:aws:iam::111111111111:role/*",
    "arn:aws:iam::111111111111:role/Worker",
    "arn:aws:iam::111111111111:user/${aws:username}",
    "arn:aws:kms:eu-west-1:222222222222:key/*",
    "arn:aws:sqs:*:*:q",
    "arn:aws:*:*:*:*",
    "not-an-arn",
    "",
];

const REQUEST_RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::bucket",
    "arn:aws:s3:::bucket/alice/file",
    "arn:aws:s3:::bucket/Worker/x",
    "arn:aws:s3:::platform-data",
    "arn:aws:s3:::other/key",
    "arn:aws:ec2:eu-west-1:111111111111:instance/i-1",
    "arn:aws:ec2:eu-west-1:222222222222:instance/i-2",
    "arn:aws:iam::111111111111:role/Worker",
    "arn:aws:iam::111111111111:user/alice",
    "arn:aws:kms:eu-west-1:222222222222:key/k1",
    "arn:aws:sqs:eu-west-1:111111111111:q",
    "not-an-arn",
    "",
];

const RESOURCE_POLICY_ARNS: &[&str] = &[
    "arn:aws:s3:::bucket",
    "arn:aws:kms:eu-west-1:222222222222:key/k1",
    "arn:aws:sqs:eu-west-1:111111111111:q",
    "arn:aws:iam::111111111111:role/Worker",
    "*",
];

const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
    "stringequals",
    "Bogus",
];

const KEYS: &[&str] = &[
    "aws:username",
    "aws:userid",
    "aws:MultiFactorAuthPresent",
    "aws:MultiFactorAuthAge",
    "aws:SourceIp",
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:PrincipalTag/team",
    "aws:ResourceTag/critical",
    "aws:RequestTag/env",
    "aws:TagKeys",
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalType",
    "aws:SecureTransport",
    "aws:SourceArn",
    "s3:prefix",
    "s3:max-keys",
    "kms:EncryptionContext:dept",
    "AWS:USERNAME",
    "",
];

const VALUES: &[&str] = &[
    "alice",
    "ALICE",
    "a?ice",
    "*",
    "",
    "true",
    "false",
    "TRUE",
    "10",
    "-1",
    "1.5",
    "1e3",
    "0x10",
    "99999999999999999999999",
    "2026-01-01T00:00:00Z",
    "2026-01-01",
    "2026-01-01T00:00:00.123+02:00",
    "1767260400",
    "not-a-date",
    "203.0.113.0/24",
    "203.0.113.7",
    "203.0.113.7/33",
    "2001:db8::/32",
    "2001:db8::1",
    "::1",
    "arn:aws:iam::111111111111:user/alice",
    "arn:aws:iam::*:user/*",
    "arn:aws:iam::111111111111:role/Worker",
    "arn:aws:s3:::bucket",
    "arn:*",
    "${aws:username}",
    "${aws:PrincipalTag/team}",
    "${*}",
    "dGVzdA==",
    "%%%",
    "team",
    "platform",
    "111111111111",
    "User",
    "AssumedRole",
];

const PRINCIPALS: &[&str] = &[
    "\"*\"",
    "{\"AWS\": \"*\"}",
    "{\"AWS\": \"arn:aws:iam::111111111111:user/alice\"}",
    "{\"AWS\": \"arn:aws:iam::111111111111:role/Worker\"}",
    "{\"AWS\": \"arn:aws:sts::111111111111:assumed-role/Worker/fuzz\"}",
    "{\"AWS\": \"111111111111\"}",
    "{\"AWS\": \"arn:aws:iam::111111111111:root\"}",
    "{\"AWS\": \"arn:aws:iam::222222222222:root\"}",
    "{\"AWS\": [\"222222222222\", \"arn:aws:iam::111111111111:user/*\"]}",
    "{\"Service\": \"ec2.amazonaws.com\"}",
    "{\"Federated\": \"cognito-identity.amazonaws.com\"}",
    "{\"CanonicalUser\": \"abc\"}",
    "{}",
    "[]",
];

fn pick<'a>(list: &[&'a str], i: u8) -> &'a str {
    list[i as usize % list.len()]
}

#[derive(Arbitrary, Debug)]
enum Val {
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

#[derive(Arbitrary, Debug)]
struct Cond {
    qualifier: u8,
    operator: u8,
    if_exists: bool,
    key: u8,
    values: Vec<Val>,
    as_list: bool,
}

#[derive(Arbitrary, Debug)]
struct Stmt {
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

#[derive(Arbitrary, Debug)]
struct Doc {
    version: u8,
    statements: Vec<Stmt>,
}

#[derive(Arbitrary, Debug)]
struct Input {
    identity: Doc,
    /// Adds an unconditional `Deny * on *` to the identity policy, at this position.
    deny_all: Option<u8>,
    boundary: Option<Doc>,
    resource_policy: Option<(u8, bool, Doc)>,
    /// Whether the principal is a session of the role `Worker` rather than the user `alice`.
    as_role: bool,
    action: u8,
    free_action: Option<String>,
    resource: u8,
    context: Vec<(u8, Vec<Val>)>,
}

fn list_or_single(mut items: Vec<Value>, as_list: bool) -> Value {
    if items.len() == 1 && !as_list {
        items.pop().unwrap()
    } else {
        Value::Array(items)
    }
}

fn condition_json(conditions: &[Cond]) -> Value {
    let mut block = serde_json::Map::new();
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
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
        if let Value::Object(keys) = entry {
            keys.insert(
                pick(KEYS, c.key).to_string(),
                list_or_single(values, c.as_list),
            );
        }
    }
    Value::Object(block)
}

fn statement_json(s: &Stmt, with_principal: bool) -> Value {
    let mut m = serde_json::Map::new();
    if let Some(sid) = s.sid {
        m.insert("Sid".into(), json!(format!("S{}", sid % 4)));
    }
    m.insert(
        "Effect".into(),
        json!(if s.deny { "Deny" } else { "Allow" }),
    );
    let actions: Vec<Value> = s
        .actions
        .iter()
        .take(4)
        .map(|&i| json!(pick(ACTIONS, i)))
        .collect();
    let action_key = if s.not_action { "NotAction" } else { "Action" };
    m.insert(action_key.into(), list_or_single(actions, false));
    if !s.omit_resource {
        let resources: Vec<Value> = s
            .resources
            .iter()
            .take(4)
            .map(|&i| json!(pick(RESOURCES, i)))
            .collect();
        let key = if s.not_resource {
            "NotResource"
        } else {
            "Resource"
        };
        m.insert(key.into(), list_or_single(resources, false));
    }
    if with_principal {
        let principal: Value =
            serde_json::from_str(pick(PRINCIPALS, s.principal)).expect("principal JSON");
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

fn document_json(doc: &Doc, with_principal: bool, extra: Option<(usize, Value)>) -> Value {
    let mut statements: Vec<Value> = doc
        .statements
        .iter()
        .take(4)
        .map(|s| statement_json(s, with_principal))
        .collect();
    if let Some((at, statement)) = extra {
        let at = at.min(statements.len());
        statements.insert(at, statement);
    }
    let mut m = serde_json::Map::new();
    match doc.version % 4 {
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

fn deny_all() -> Value {
    json!({"Effect": "Deny", "Action": "*", "Resource": "*"})
}

fn account_json(input: &Input) -> Value {
    let identity = document_json(
        &input.identity,
        false,
        input.deny_all.map(|at| (at as usize, deny_all())),
    );
    let boundary_arn = format!("arn:aws:iam::{ACCOUNT}:policy/Boundary");
    let mut policies = Vec::new();
    if let Some(boundary) = &input.boundary {
        policies.push(json!({
            "PolicyName": "Boundary",
            "PolicyId": "ANPAFUZZBOUNDARY00001",
            "Arn": boundary_arn,
            "Path": "/",
            "DefaultVersionId": "v1",
            "PolicyVersionList": [
                {"Document": document_json(boundary, false, None), "VersionId": "v1", "IsDefaultVersion": true}
            ]
        }));
    }
    let boundary_ref = input.boundary.as_ref().map(
        |_| json!({"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": boundary_arn}),
    );
    let inline = json!([{"PolicyName": "Identity", "PolicyDocument": identity}]);
    let mut user = json!({
        "Path": "/",
        "UserName": "alice",
        "UserId": "AIDAFUZZALICE00000001",
        "Arn": format!("arn:aws:iam::{ACCOUNT}:user/alice"),
        "GroupList": [],
        "AttachedManagedPolicies": [],
        "Tags": [{"Key": "team", "Value": "platform"}]
    });
    let mut role = json!({
        "Path": "/",
        "RoleName": "Worker",
        "RoleId": "AROAFUZZWORKER0000001",
        "Arn": format!("arn:aws:iam::{ACCOUNT}:role/Worker"),
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "sts:AssumeRole"}]
        },
        "AttachedManagedPolicies": [],
        "Tags": [{"Key": "team", "Value": "platform"}]
    });
    let holder = if input.as_role { &mut role } else { &mut user };
    let list_key = if input.as_role {
        "RolePolicyList"
    } else {
        "UserPolicyList"
    };
    holder[list_key] = inline;
    if let Some(b) = boundary_ref {
        holder["PermissionsBoundary"] = b;
    }
    json!({
        "UserDetailList": [user],
        "GroupDetailList": [],
        "RoleDetailList": [role],
        "Policies": policies
    })
}

fn resource_policies_json(input: &Input) -> Option<Value> {
    let (arn, cross_account, doc) = input.resource_policy.as_ref()?;
    let account = if *cross_account {
        "222222222222"
    } else {
        ACCOUNT
    };
    Some(json!({"ResourcePolicies": [{
        "Arn": pick(RESOURCE_POLICY_ARNS, *arn),
        "AccountId": account,
        "Policy": document_json(doc, true, None)
    }]}))
}

fn check(input: &Input) {
    let mut sources = vec![Source {
        name: "account.json".into(),
        bytes: serde_json::to_vec(&account_json(input)).unwrap(),
    }];
    if let Some(rp) = resource_policies_json(input) {
        sources.push(Source {
            name: "resource-policies.json".into(),
            bytes: serde_json::to_vec(&rp).unwrap(),
        });
    }
    let loaded = load_sources("fuzz", sources);
    for diagnostic in &loaded.diagnostics {
        let _ = diagnostic.to_string();
    }
    let workspace = &loaded.workspace;
    let name = if input.as_role { "Worker" } else { "alice" };
    let principal = match Principal::lookup(workspace, name) {
        Ok(p) => p,
        Err(e) => panic!("{name} not found: {e:?}\n{:#?}", loaded.diagnostics),
    };
    let mut context = RequestContext::new();
    for (key, values) in input.context.iter().take(4) {
        context.set(pick(KEYS, *key), values.iter().take(4).map(Val::text));
    }
    let action = match &input.free_action {
        Some(a) => a.clone(),
        None => pick(REQUEST_ACTIONS, input.action).to_string(),
    };
    let request = Request {
        action: action.clone(),
        resource: pick(REQUEST_RESOURCES, input.resource).to_string(),
        context: context.clone(),
        now_epoch: NOW,
    };
    let first = evaluate(workspace, &principal, &request);
    let second = evaluate(workspace, &principal, &request);
    assert_eq!(first, second, "evaluating twice gave different decisions");
    if input.deny_all.is_some() && !action.eq_ignore_ascii_case("sts:GetCallerIdentity") {
        assert_eq!(
            first.decision,
            Outcome::ExplicitDeny,
            "an unconditional Deny * on * did not deny {action} on {}: {first:#?}",
            request.resource
        );
    }
    let _ = effective_permissions(workspace, &principal, &context, NOW);
}

fuzz_target!(|input: Input| {
    check(&input);
});
