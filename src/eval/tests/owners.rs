//! Who owns a resource whose ARN names no account, and who can act on it
//! only under keys the context leaves out (issue 13, point 8).
//!
//! "To allow cross-account access, you must specify an account ID or entity
//! in the other account as the principal in a resource-based policy" and the
//! caller's identity policy must allow too (IAM User Guide,
//! reference_policies_evaluation-logic-cross-account); within one account an
//! identity policy alone may allow. Which applies depends on the owner, which
//! an S3 ARN does not name (S3 User Guide, "Amazon S3 resources": bucket ARNs
//! carry no account).

use serde_json::json;

use super::fixture::*;
use crate::eval::Outcome;

const BUCKET: &str = "arn:aws:s3:::shared-data";
const OBJECT: &str = "arn:aws:s3:::shared-data/report.csv";

/// An admin in each of two accounts; no bucket policy for `shared-data`.
fn two_admins(extra: Vec<serde_json::Value>) -> crate::model::Workspace {
    let mut files = vec![
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
    ];
    files.extend(extra);
    workspace(files)
}

#[test]
fn an_unknown_owner_is_said_and_the_other_account_answer_given() {
    let ws = two_admins(vec![]);
    let d = decide(&ws, "prod-admin", "s3:DeleteObject", OBJECT, &[]);
    assert_eq!(
        d.decision,
        Outcome::Allow,
        "taken to be the caller's account"
    );
    let owner = d.owner_unknown.expect("the owner is unknown");
    assert_eq!(owner.assumed_owner, B);
    assert_eq!(owner.if_another_account, Outcome::ImplicitDeny);
}

#[test]
fn a_declared_owner_settles_it() {
    let declared = resource_policies(json!([{"Arn": BUCKET, "AccountId": A}]));
    let ws = two_admins(vec![declared]);
    assert_eq!(
        ws.declared_owner(OBJECT),
        Some(A),
        "a bucket's owner owns its objects"
    );
    let prod = decide(&ws, "prod-admin", "s3:DeleteObject", OBJECT, &[]);
    assert_eq!(
        prod.decision,
        Outcome::ImplicitDeny,
        "another account, no bucket policy"
    );
    assert!(prod.owner_unknown.is_none());
    let dev = decide(&ws, "dev-admin", "s3:DeleteObject", OBJECT, &[]);
    assert_eq!(
        dev.decision,
        Outcome::Allow,
        "its own account: the identity policy suffices"
    );
}

#[test]
fn aws_resource_account_in_the_request_settles_it() {
    let ws = two_admins(vec![]);
    let d = decide(
        &ws,
        "prod-admin",
        "s3:DeleteObject",
        OBJECT,
        &[("aws:ResourceAccount", A)],
    );
    assert_eq!(d.decision, Outcome::ImplicitDeny);
    assert!(d.owner_unknown.is_none());
    let d = decide(
        &ws,
        "prod-admin",
        "s3:DeleteObject",
        OBJECT,
        &[("aws:ResourceAccount", B)],
    );
    assert_eq!(d.decision, Outcome::Allow);
}

#[test]
fn an_entry_with_neither_policy_nor_owner_is_an_error_and_the_rest_loads() {
    let loaded = crate::workspace::load_sources(
        "test",
        vec![crate::workspace::Source {
            name: "resources.json".into(),
            bytes: serde_json::to_vec_pretty(&json!({"ResourcePolicies": [
                {"Arn": BUCKET},
                {"Arn": "arn:aws:s3:::other", "AccountId": A}
            ]}))
            .expect("serializes"),
        }],
    );
    assert_eq!(
        loaded.workspace.declared_owner("arn:aws:s3:::other/x"),
        Some(A)
    );
    let errors: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("resources.json"), "{}", errors[0]);
    assert!(
        errors[0].contains("neither \"Policy\" nor \"AccountId\""),
        "{}",
        errors[0]
    );
}
