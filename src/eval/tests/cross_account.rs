//! Requests across accounts need an allow on both sides (IAM User Guide,
//! "Cross-account policy evaluation logic").

use serde_json::json;

use super::fixture::*;
use crate::eval::{Layer, Outcome};

const QUEUE: &str = "arn:aws:sqs:eu-west-1:222222222222:orders";

fn ws(identity: bool, resource_principal: Option<serde_json::Value>) -> crate::model::Workspace {
    let policies = if identity {
        vec![doc(json!([allow("sqs:SendMessage", QUEUE)]))]
    } else {
        vec![]
    };
    let mut files = vec![
        dump(vec![user(A, "alice", &policies)], vec![], vec![], vec![]),
        dump(vec![user(B, "owner", &[])], vec![], vec![], vec![]),
    ];
    if let Some(principal) = resource_principal {
        files.push(resource_policies(json!([{"Arn": QUEUE, "Policy": doc(json!([
            {"Effect": "Allow", "Principal": principal, "Action": "sqs:SendMessage", "Resource": QUEUE}
        ]))}])));
    }
    workspace(files)
}

#[test]
fn identity_allow_alone_is_not_enough() {
    let d = decide(&ws(true, None), "alice", "sqs:SendMessage", QUEUE, &[]);
    assert_eq!(d.decision, Outcome::ImplicitDeny);
    assert_eq!(d.reasons[0].layer, Layer::ResourcePolicy);
    assert!(d
        .aws_message
        .contains("because no resource-based policy allows"));
}

#[test]
fn resource_allow_alone_is_not_enough_even_naming_the_user() {
    let named = json!({"AWS": format!("arn:aws:iam::{A}:user/alice")});
    let d = decide(
        &ws(false, Some(named)),
        "alice",
        "sqs:SendMessage",
        QUEUE,
        &[],
    );
    assert_eq!(d.decision, Outcome::ImplicitDeny);
    assert_eq!(d.reasons[0].layer, Layer::Identity);
}

#[test]
fn both_sides_allowing_is_allowed_whatever_the_resource_policy_names() {
    for principal in [
        json!({"AWS": format!("arn:aws:iam::{A}:user/alice")}),
        json!({"AWS": A}),
        json!("*"),
    ] {
        let d = decide(
            &ws(true, Some(principal.clone())),
            "alice",
            "sqs:SendMessage",
            QUEUE,
            &[],
        );
        assert_eq!(d.decision, Outcome::Allow, "{principal}");
    }
}

#[test]
fn naming_another_account_does_not_admit() {
    let d = decide(
        &ws(true, Some(json!({"AWS": "333333333333"}))),
        "alice",
        "sqs:SendMessage",
        QUEUE,
        &[],
    );
    assert_eq!(d.decision, Outcome::ImplicitDeny);
}

/// An S3 ARN carries no account: the resource policy's AccountId tells the owner.
#[test]
fn s3_bucket_owner_comes_from_the_resource_policy_file() {
    let bucket = "arn:aws:s3:::prod-artifacts";
    let ws = workspace(vec![
        dump(
            vec![user(
                A,
                "alice",
                &[doc(json!([allow("s3:GetObject", "*")]))],
            )],
            vec![],
            vec![],
            vec![],
        ),
        dump(vec![user(B, "owner", &[])], vec![], vec![], vec![]),
        resource_policies(json!([{"Arn": bucket, "AccountId": B, "Policy": doc(json!([
            {"Effect": "Allow", "Principal": {"AWS": B}, "Action": "s3:GetObject", "Resource": format!("{bucket}/*")}
        ]))}])),
    ]);
    // The policy admits only account B's principals: alice (account A) is denied on the resource side.
    let d = decide(&ws, "alice", "s3:GetObject", &format!("{bucket}/x"), &[]);
    assert_eq!(d.decision, Outcome::ImplicitDeny);
    assert_eq!(d.reasons[0].layer, Layer::ResourcePolicy);
}
