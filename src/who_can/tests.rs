//! who-can on what the context leaves open: a resource whose owner is
//! unknown, a principal that can only with MFA (issue 13, point 8).

use serde_json::json;

use crate::eval::tests::fixture::*;

const OBJECT: &str = "arn:aws:s3:::shared-data/report.csv";

/// An admin in each of two accounts; no bucket policy for `shared-data`.
fn two_admins() -> crate::model::Workspace {
    workspace(vec![
        dump(
            vec![user(A, "dev-admin", &[doc(json!([allow("s3:*", "*")]))])],
            vec![],
            vec![],
            vec![],
        ),
        dump(
            vec![user(B, "prod-admin", &[doc(json!([allow("s3:*", "*")]))])],
            vec![],
            vec![],
            vec![],
        ),
    ])
}

#[test]
fn who_can_on_an_unknown_owner_lists_those_who_depend_on_it() {
    let ws = two_admins();
    let answer = super::who_can(&ws, "s3:DeleteObject", OBJECT, &context(&[]), NOW);
    assert!(
        answer.direct.is_empty(),
        "no one can whoever owns it: {answer:?}"
    );
    let unknown = answer.owner_unknown.expect("owner unknown");
    let mut depends: Vec<(&str, &str)> = unknown
        .if_owner
        .iter()
        .map(|o| (o.reach.name.as_str(), o.if_owned_by.as_str()))
        .collect();
    depends.sort();
    assert_eq!(depends, vec![("dev-admin", A), ("prod-admin", B)]);

    let settled = super::who_can(
        &ws,
        "s3:DeleteObject",
        OBJECT,
        &context(&[("aws:ResourceAccount", A)]),
        NOW,
    );
    assert!(settled.owner_unknown.is_none());
    let names: Vec<&str> = settled.direct.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, vec!["dev-admin"]);
}

/// "You can use the aws:MultiFactorAuthPresent condition key ... to allow
/// access only when the user was authenticated with MFA" (IAM User Guide,
/// id_credentials_mfa_configure-api-require): a role whose trust requires MFA
/// is reached by a user only with MFA. who-can lists that user as
/// conditional, with the key, instead of leaving it out.
#[test]
fn who_can_lists_a_principal_that_needs_mfa_as_conditional() {
    let trust_with_mfa = doc(json!([{
        "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{A}:root")},
        "Action": "sts:AssumeRole",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    }]));
    let ws = workspace(vec![dump(
        vec![user(
            A,
            "dave",
            &[doc(json!([allow("sts:AssumeRole", "*")]))],
        )],
        vec![],
        vec![role(
            A,
            "Auditor",
            trust_with_mfa,
            &[doc(json!([allow("cloudtrail:LookupEvents", "*")]))],
        )],
        vec![],
    )]);
    let answer = super::who_can(&ws, "cloudtrail:LookupEvents", "*", &context(&[]), NOW);
    assert!(answer.through_roles.is_empty());
    let dave = answer
        .conditional
        .iter()
        .find(|c| c.reach.name == "dave")
        .expect("dave is listed as conditional");
    assert_eq!(dave.reach.path, vec!["Auditor"]);
    assert_eq!(
        dave.needs.iter().collect::<Vec<_>>(),
        vec![(
            &"aws:MultiFactorAuthPresent".to_string(),
            &"true".to_string()
        )]
    );
    // With MFA given, dave can outright; with MFA refused, not at all.
    let with_mfa = super::who_can(
        &ws,
        "cloudtrail:LookupEvents",
        "*",
        &context(&[("aws:MultiFactorAuthPresent", "true")]),
        NOW,
    );
    assert!(with_mfa.through_roles.iter().any(|r| r.name == "dave"));
    assert!(with_mfa.conditional.is_empty());
    let without = super::who_can(
        &ws,
        "cloudtrail:LookupEvents",
        "*",
        &context(&[("aws:MultiFactorAuthPresent", "false")]),
        NOW,
    );
    assert!(without.conditional.is_empty() && without.through_roles.is_empty());
}
