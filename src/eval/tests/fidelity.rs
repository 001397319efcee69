//! Cases written from AWS's documentation where an earlier reading was
//! wrong: each test names the page it comes from.

use serde_json::json;

use super::fixture::*;
use crate::eval::Outcome;

/// reference_policies_elements_notprincipal: "all principals *except* the
/// user named Bob in AWS account 444455556666 are explicitly denied access"
/// — the statement lists Bob's ARN and the account's; the account's ARN does
/// not exempt the account's other users.
#[test]
fn a_not_principal_deny_listing_bob_and_the_account_denies_alice() {
    let bucket = "arn:aws:s3:::reports";
    let policy = resource_policies(json!([{
        "Arn": bucket, "AccountId": A,
        "Policy": doc(json!([
            {"Effect": "Deny",
             "NotPrincipal": {"AWS": [format!("arn:aws:iam::{A}:user/bob"), format!("arn:aws:iam::{A}:root")]},
             "Action": "s3:*", "Resource": [bucket, format!("{bucket}/*")]}
        ]))
    }]));
    let reader = doc(json!([allow("s3:GetObject", "*")]));
    let ws = workspace(vec![
        dump(
            vec![
                user(A, "alice", std::slice::from_ref(&reader)),
                user(A, "bob", &[reader]),
            ],
            vec![],
            vec![],
            vec![],
        ),
        policy,
    ]);
    let object = "arn:aws:s3:::reports/q1.csv";
    assert_eq!(
        outcome(&ws, "alice", "s3:GetObject", object),
        Outcome::ExplicitDeny
    );
    assert_eq!(outcome(&ws, "bob", "s3:GetObject", object), Outcome::Allow);
}
