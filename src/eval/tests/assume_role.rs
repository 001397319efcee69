//! `sts:AssumeRole` authorized by the trust policy and the caller's side
//! (IAM-NOTES 2.1; AssumeRole API reference; "Modifying a role trust policy").

use serde_json::json;

use super::fixture::*;
use crate::eval::{Layer, Outcome};

fn role_arn(account: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:role/{name}")
}

fn assume_allow(account: &str, name: &str) -> serde_json::Value {
    doc(json!([allow("sts:AssumeRole", &role_arn(account, name))]))
}

#[test]
fn same_account_trust_naming_the_user_needs_no_identity_allow() {
    let ws = workspace(vec![dump(
        vec![user(A, "dave", &[])],
        vec![],
        vec![role(
            A,
            "Auditor",
            trust(json!(format!("arn:aws:iam::{A}:user/dave"))),
            &[],
        )],
        vec![],
    )]);
    assert_eq!(
        outcome(&ws, "dave", "sts:AssumeRole", &role_arn(A, "Auditor")),
        Outcome::Allow
    );
}

/// The caller's boundary must still allow sts:AssumeRole, even when the trust
/// policy names the caller ("Modifying a role trust policy", Notes).
#[test]
fn same_account_trust_naming_the_user_still_needs_the_boundary() {
    let mut dave = user(A, "dave", &[]);
    dave["PermissionsBoundary"] =
        json!({"PermissionsBoundaryArn": format!("arn:aws:iam::{A}:policy/S3Only")});
    let ws = workspace(vec![dump(
        vec![dave],
        vec![],
        vec![role(
            A,
            "Auditor",
            trust(json!(format!("arn:aws:iam::{A}:user/dave"))),
            &[],
        )],
        vec![managed(A, "S3Only", doc(json!([allow("s3:*", "*")])))],
    )]);
    let d = decide(&ws, "dave", "sts:AssumeRole", &role_arn(A, "Auditor"), &[]);
    assert_eq!(d.decision, Outcome::ImplicitDeny);
    assert_eq!(d.reasons[0].layer, Layer::Boundary);
}

#[test]
fn same_account_trust_naming_the_account_needs_an_identity_allow() {
    let ws = workspace(vec![dump(
        vec![
            user(A, "carol", &[assume_allow(A, "Breakglass")]),
            user(A, "bob", &[]),
        ],
        vec![],
        vec![role(
            A,
            "Breakglass",
            trust(json!(format!("arn:aws:iam::{A}:root"))),
            &[],
        )],
        vec![],
    )]);
    assert_eq!(
        outcome(&ws, "carol", "sts:AssumeRole", &role_arn(A, "Breakglass")),
        Outcome::Allow
    );
    let d = decide(
        &ws,
        "bob",
        "sts:AssumeRole",
        &role_arn(A, "Breakglass"),
        &[],
    );
    assert_eq!(d.decision, Outcome::ImplicitDeny);
    assert_eq!(d.reasons[0].layer, Layer::Identity);
}

/// Trust policies must always allow explicitly: an admin cannot assume a
/// role whose trust policy does not name them.
#[test]
fn trust_must_allow_even_for_admins() {
    let ws = workspace(vec![dump(
        vec![user(A, "admin", &[doc(json!([allow("*", "*")]))])],
        vec![],
        vec![role(
            A,
            "Other",
            trust(json!(format!("arn:aws:iam::{A}:user/someone"))),
            &[],
        )],
        vec![],
    )]);
    let d = decide(&ws, "admin", "sts:AssumeRole", &role_arn(A, "Other"), &[]);
    assert_eq!(d.decision, Outcome::ImplicitDeny);
    assert_eq!(d.reasons[0].layer, Layer::ResourcePolicy);
}

#[test]
fn cross_account_needs_both_trust_and_identity() {
    let ws = workspace(vec![
        dump(
            vec![
                user(A, "alice", &[assume_allow(B, "Deploy")]),
                user(A, "bob", &[]),
            ],
            vec![],
            vec![],
            vec![],
        ),
        dump(
            vec![],
            vec![],
            vec![role(
                B,
                "Deploy",
                trust(json!(format!("arn:aws:iam::{A}:root"))),
                &[],
            )],
            vec![],
        ),
    ]);
    assert_eq!(
        outcome(&ws, "alice", "sts:AssumeRole", &role_arn(B, "Deploy")),
        Outcome::Allow
    );
    assert_eq!(
        outcome(&ws, "bob", "sts:AssumeRole", &role_arn(B, "Deploy")),
        Outcome::ImplicitDeny
    );
}

/// Cross-account, even a trust policy naming the user needs the user's own allow.
#[test]
fn cross_account_trust_naming_the_user_still_needs_identity() {
    let ws = workspace(vec![
        dump(vec![user(A, "bob", &[])], vec![], vec![], vec![]),
        dump(
            vec![],
            vec![],
            vec![role(
                B,
                "Deploy",
                trust(json!(format!("arn:aws:iam::{A}:user/bob"))),
                &[],
            )],
            vec![],
        ),
    ]);
    let d = decide(&ws, "bob", "sts:AssumeRole", &role_arn(B, "Deploy"), &[]);
    assert_eq!(d.decision, Outcome::ImplicitDeny);
    assert_eq!(d.reasons[0].layer, Layer::Identity);
}

#[test]
fn trust_conditions_mfa_and_external_id() {
    let trust = doc(
        json!([{"Effect": "Allow", "Principal": {"AWS": A}, "Action": "sts:AssumeRole",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}, "StringEquals": {"sts:ExternalId": "xyz"}}}]),
    );
    let ws = workspace(vec![dump(
        vec![user(A, "u", &[assume_allow(A, "R")])],
        vec![],
        vec![role(A, "R", trust, &[])],
        vec![],
    )]);
    let arn = role_arn(A, "R");
    let d = decide(&ws, "u", "sts:AssumeRole", &arn, &[]);
    assert_eq!(d.decision, Outcome::ImplicitDeny);
    let misses = &d.layer(Layer::ResourcePolicy).unwrap().near_misses;
    assert_eq!(misses.len(), 1);
    assert_eq!(misses[0].failed_conditions.len(), 2, "{misses:?}");
    let mfa_only = decide(
        &ws,
        "u",
        "sts:AssumeRole",
        &arn,
        &[("aws:MultiFactorAuthPresent", "true")],
    );
    assert_eq!(mfa_only.decision, Outcome::ImplicitDeny);
    let both = decide(
        &ws,
        "u",
        "sts:AssumeRole",
        &arn,
        &[
            ("aws:MultiFactorAuthPresent", "true"),
            ("sts:ExternalId", "xyz"),
        ],
    );
    assert_eq!(both.decision, Outcome::Allow);
}

#[test]
fn a_deny_in_the_trust_policy_wins() {
    let trust = doc(json!([
        {"Effect": "Allow", "Principal": {"AWS": A}, "Action": "sts:AssumeRole"},
        {"Effect": "Deny", "Principal": {"AWS": format!("arn:aws:iam::{A}:user/mallory")}, "Action": "sts:AssumeRole"}
    ]));
    let ws = workspace(vec![dump(
        vec![
            user(A, "mallory", &[assume_allow(A, "R")]),
            user(A, "u", &[assume_allow(A, "R")]),
        ],
        vec![],
        vec![role(A, "R", trust, &[])],
        vec![],
    )]);
    assert_eq!(
        outcome(&ws, "mallory", "sts:AssumeRole", &role_arn(A, "R")),
        Outcome::ExplicitDeny
    );
    assert_eq!(
        outcome(&ws, "u", "sts:AssumeRole", &role_arn(A, "R")),
        Outcome::Allow
    );
}

#[test]
fn service_trust_cannot_be_assumed_by_a_user() {
    let trust = doc(
        json!([{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]),
    );
    let ws = workspace(vec![dump(
        vec![user(A, "admin", &[doc(json!([allow("*", "*")]))])],
        vec![],
        vec![role(A, "InstanceRole", trust, &[])],
        vec![],
    )]);
    assert_eq!(
        outcome(&ws, "admin", "sts:AssumeRole", &role_arn(A, "InstanceRole")),
        Outcome::ImplicitDeny
    );
}

/// The root user cannot assume roles (id_roles_use_switch-role-api).
#[test]
fn the_root_user_cannot_assume_roles() {
    let ws = workspace(vec![dump(
        vec![],
        vec![],
        vec![role(A, "R", trust(json!(A)), &[])],
        vec![],
    )]);
    let d = decide(
        &ws,
        &format!("arn:aws:iam::{A}:root"),
        "sts:AssumeRole",
        &role_arn(A, "R"),
        &[],
    );
    assert_eq!(d.decision, Outcome::ImplicitDeny);
    assert!(d.reasons[0]
        .message
        .contains("root user cannot assume roles"));
}

/// A deleted principal shown by its unique id matches nobody.
#[test]
fn orphaned_principals_match_nobody() {
    let ws = workspace(vec![dump(
        vec![user(A, "frank", &[assume_allow(A, "Legacy")])],
        vec![],
        vec![role(
            A,
            "Legacy",
            trust(json!("AIDAJQABLZS4A3QDU576Q")),
            &[],
        )],
        vec![],
    )]);
    assert_eq!(
        outcome(&ws, "frank", "sts:AssumeRole", &role_arn(A, "Legacy")),
        Outcome::ImplicitDeny
    );
}

/// Role chaining: a session assuming a role is the caller; its session policy limits it.
#[test]
fn a_role_session_assuming_a_role_is_limited_by_its_session_policy() {
    let ws = workspace(vec![dump(
        vec![],
        vec![],
        vec![
            role(A, "First", trust(json!(A)), &[assume_allow(A, "Second")]),
            role(
                A,
                "Second",
                trust(json!(format!("arn:aws:iam::{A}:role/First"))),
                &[],
            ),
        ],
        vec![],
    )]);
    assert_eq!(
        outcome(&ws, "First", "sts:AssumeRole", &role_arn(A, "Second")),
        Outcome::Allow
    );
    let limited = principal(&ws, "First")
        .with_session_policies(vec![session_policy(doc(json!([allow("s3:*", "*")])))]);
    let d = decide_as(&ws, &limited, "sts:AssumeRole", &role_arn(A, "Second"), &[]);
    assert_eq!(d.decision, Outcome::ImplicitDeny);
    assert_eq!(d.reasons[0].layer, Layer::SessionPolicy);
}
