//! Effective permissions against the catalog, checked with expectations
//! computed independently of the engine's pattern expansion.

use serde_json::json;

use super::fixture::*;
use crate::catalog::Catalog;
use crate::eval::effective::{diff, effective_permissions};
use crate::eval::Principal;
use crate::model::Workspace;
use crate::policy::RequestContext;

fn with_managed(arn: &str) -> Workspace {
    let mut u = user(A, "u", &[]);
    u["AttachedManagedPolicies"] = json!([{"PolicyName": "x", "PolicyArn": arn}]);
    workspace(vec![dump(vec![u], vec![], vec![], vec![])])
}

fn permissions_of(ws: &Workspace, who: &str) -> crate::eval::effective::EffectivePermissions {
    effective_permissions(ws, &principal(ws, who), &RequestContext::new(), NOW)
}

/// A plain recursive wildcard matcher, independent of the engine's.
fn wildcard(pattern: &[u8], text: &[u8]) -> bool {
    match (pattern.first(), text.first()) {
        (None, None) => true,
        (Some(b'*'), _) => {
            wildcard(&pattern[1..], text) || (!text.is_empty() && wildcard(pattern, &text[1..]))
        }
        (Some(b'?'), Some(_)) => wildcard(&pattern[1..], &text[1..]),
        (Some(p), Some(t)) if p.eq_ignore_ascii_case(t) => wildcard(&pattern[1..], &text[1..]),
        _ => false,
    }
}

fn bundled_actions(arn: &str) -> Vec<String> {
    let policy = crate::bundled::managed_policies::lookup(arn).unwrap();
    let doc: serde_json::Value = serde_json::from_str(policy.document).unwrap();
    let mut patterns = Vec::new();
    for s in doc["Statement"].as_array().unwrap() {
        assert_eq!(s["Effect"], "Allow");
        match &s["Action"] {
            serde_json::Value::String(a) => patterns.push(a.clone()),
            serde_json::Value::Array(list) => {
                patterns.extend(list.iter().map(|a| a.as_str().unwrap().to_string()))
            }
            _ => {}
        }
    }
    patterns
}

#[test]
fn administrator_access_lists_every_catalog_action() {
    let ws = with_managed("arn:aws:iam::aws:policy/AdministratorAccess");
    let p = permissions_of(&ws, "u");
    assert_eq!(p.actions.len(), Catalog::get().len());
}

/// PowerUserAccess: Allow NotAction [iam:*, organizations:*, account:*] on *,
/// plus a second statement adding a few of those back.
#[test]
fn power_user_access_is_the_complement_plus_what_it_adds_back() {
    let ws = with_managed("arn:aws:iam::aws:policy/PowerUserAccess");
    let p = permissions_of(&ws, "u");
    let add_back = bundled_actions("arn:aws:iam::aws:policy/PowerUserAccess");
    let expected: Vec<&str> = Catalog::get()
        .actions()
        .iter()
        .map(|a| a.full_name.as_str())
        .filter(|name| {
            let prefix = name.split(':').next().unwrap();
            !["iam", "organizations", "account"].contains(&prefix)
                || add_back.iter().any(|a| a == name)
        })
        .collect();
    let got: Vec<&str> = p.actions.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(got, expected);
    assert!(p.find("iam:ListRoles").is_some());
    assert!(p.find("iam:CreateUser").is_none());
    assert!(p.find("ec2:TerminateInstances").is_some());
}

#[test]
fn read_only_access_is_exactly_what_its_patterns_name() {
    let ws = with_managed("arn:aws:iam::aws:policy/ReadOnlyAccess");
    let p = permissions_of(&ws, "u");
    let patterns = bundled_actions("arn:aws:iam::aws:policy/ReadOnlyAccess");
    let expected: Vec<&str> = Catalog::get()
        .actions()
        .iter()
        .map(|a| a.full_name.as_str())
        .filter(|name| {
            patterns
                .iter()
                .any(|p| wildcard(p.as_bytes(), name.as_bytes()))
        })
        .collect();
    let got: Vec<&str> = p.actions.iter().map(|a| a.action.as_str()).collect();
    assert!(expected.len() > 1000, "{}", expected.len());
    assert_eq!(got, expected);
    assert!(p.find("s3:PutObject").is_none());
}

#[test]
fn denies_boundaries_and_scps_narrow_the_list() {
    let mut u = user(
        A,
        "u",
        &[doc(json!([
            allow("s3:*", "*"),
            allow("ec2:*", "*"),
            deny("s3:DeleteBucket", "*"),
            deny("s3:DeleteObject", "arn:aws:s3:::keep/*")
        ]))],
    );
    u["PermissionsBoundary"] =
        json!({"PermissionsBoundaryArn": format!("arn:aws:iam::{A}:policy/B")});
    let ws = workspace(vec![
        dump(
            vec![u],
            vec![],
            vec![],
            vec![managed(
                A,
                "B",
                doc(json!([allow("s3:*", "*"), allow("ec2:Describe*", "*")])),
            )],
        ),
        organization(
            json!([{"Name": "NoTerminate", "Targets": [A], "Policy": doc(json!([allow("*", "*"), deny("ec2:TerminateInstances", "*")]))}]),
            json!([]),
        ),
    ]);
    let p = permissions_of(&ws, "u");
    assert!(p.find("s3:GetObject").is_some());
    assert!(
        p.find("s3:DeleteBucket").is_none(),
        "unconditional deny on * removes it"
    );
    let delete = p
        .find("s3:DeleteObject")
        .expect("a deny on some resources narrows");
    assert_eq!(delete.restrictions.len(), 1);
    assert_eq!(
        delete.restrictions[0].resources,
        vec!["arn:aws:s3:::keep/*"]
    );
    assert!(p.find("ec2:DescribeInstances").is_some());
    assert!(
        p.find("ec2:RunInstances").is_none(),
        "the boundary does not allow it"
    );
    assert!(p.find("ec2:TerminateInstances").is_none());
}

#[test]
fn conditions_known_to_the_context_are_decided() {
    let policy = doc(json!([
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"},
        {"Effect": "Allow", "Action": "ec2:StopInstances", "Resource": "*",
         "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
        {"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "*",
         "Condition": {"StringEquals": {"aws:username": "someone-else"}}}
    ]));
    let ws = workspace(vec![dump(
        vec![user(A, "u", &[policy])],
        vec![],
        vec![],
        vec![],
    )]);
    let who = principal(&ws, "u");
    let plain = effective_permissions(&ws, &who, &RequestContext::new(), NOW);
    assert_eq!(
        plain.find("s3:GetObject").unwrap().grants[0].resources,
        vec!["arn:aws:s3:::home/u/*"]
    );
    let stop = plain
        .find("ec2:StopInstances")
        .expect("undecided: kept with its condition");
    assert_eq!(
        stop.grants[0].conditions,
        vec!["aws:MultiFactorAuthPresent Bool true"]
    );
    assert!(plain.find("ec2:StartInstances").is_none(), "decided false");
    let without_mfa = effective_permissions(
        &ws,
        &who,
        &context(&[("aws:MultiFactorAuthPresent", "false")]),
        NOW,
    );
    assert!(without_mfa.find("ec2:StopInstances").is_none());
    let with_mfa = effective_permissions(
        &ws,
        &who,
        &context(&[("aws:MultiFactorAuthPresent", "true")]),
        NOW,
    );
    assert!(with_mfa.find("ec2:StopInstances").unwrap().grants[0]
        .conditions
        .is_empty());
}

/// A role session replaces the caller's permissions: the diff shows both sides.
#[test]
fn switching_to_a_role_gains_and_loses() {
    let ws = workspace(vec![dump(
        vec![user(
            A,
            "carol",
            &[doc(json!([
                allow("ec2:Describe*", "*"),
                allow("sts:AssumeRole", "*")
            ]))],
        )],
        vec![],
        vec![role(
            A,
            "Terminator",
            trust(json!(A)),
            &[doc(json!([allow("ec2:TerminateInstances", "*")]))],
        )],
        vec![],
    )]);
    let carol = permissions_of(&ws, "carol");
    let session = effective_permissions(
        &ws,
        &Principal::lookup(&ws, "Terminator").unwrap(),
        &RequestContext::new(),
        NOW,
    );
    let d = diff(&carol, &session);
    assert_eq!(
        d.gained
            .iter()
            .map(|a| a.action.as_str())
            .collect::<Vec<_>>(),
        vec!["ec2:TerminateInstances"]
    );
    assert!(d.lost.iter().any(|a| a.action == "ec2:DescribeInstances"));
    assert!(d.lost.iter().any(|a| a.action == "sts:AssumeRole"));
    assert_eq!(d.lost.len(), carol.actions.len());
}
