//! SCPs and RCPs: gates at every level of the organization tree (AWS
//! Organizations, "SCP evaluation" and "RCP evaluation").

use serde_json::json;

use super::fixture::*;
use crate::eval::{Layer, LayerStatus, Outcome};

fn scp(name: &str, targets: &[&str], statements: serde_json::Value) -> serde_json::Value {
    json!({"Name": name, "Targets": targets, "Policy": doc(statements)})
}

fn admin_ws(org: serde_json::Value) -> crate::model::Workspace {
    workspace(vec![
        dump(
            vec![user(A, "admin", &[doc(json!([allow("*", "*")]))])],
            vec![],
            vec![],
            vec![],
        ),
        dump(
            vec![user(B, "owner", &[doc(json!([allow("*", "*")]))])],
            vec![],
            vec![{
                let mut r = role(
                    B,
                    "AWSServiceRoleForSupport",
                    trust(json!(B)),
                    &[doc(json!([allow("*", "*")]))],
                );
                r["Path"] = json!("/aws-service-role/");
                r
            }],
            vec![],
        ),
        dump(
            vec![user(
                "999999999999",
                "mgmt",
                &[doc(json!([allow("*", "*")]))],
            )],
            vec![],
            vec![],
            vec![],
        ),
        org,
    ])
}

/// Levels without a listed SCP carry FullAWSAccess, so an organization file
/// need only list what matters.
#[test]
fn levels_without_policies_carry_full_access() {
    let ws = admin_ws(organization(json!([]), json!([])));
    let d = decide(&ws, "admin", "ec2:RunInstances", "*", &[]);
    assert_eq!(d.decision, Outcome::Allow);
    let scp_layer = d.layer(Layer::Scp).unwrap();
    assert_eq!(scp_layer.status, LayerStatus::Allows);
    assert!(
        scp_layer
            .note
            .contains("root r-root → OU Workloads → account 111111111111"),
        "{}",
        scp_layer.note
    );
}

/// Every level needs an allow: an allow-list at the OU limits the account even
/// though the root and the account carry FullAWSAccess.
#[test]
fn an_allow_list_at_one_level_limits_everything_below() {
    let org = organization(
        json!([scp("S3Only", &["ou-work"], json!([allow("s3:*", "*")]))]),
        json!([]),
    );
    let ws = admin_ws(org);
    assert_eq!(
        outcome(&ws, "admin", "s3:GetObject", "arn:aws:s3:::b/k"),
        Outcome::Allow
    );
    let d = decide(&ws, "admin", "ec2:RunInstances", "*", &[]);
    assert_eq!(d.decision, Outcome::ImplicitDeny);
    assert_eq!(d.reasons[0].layer, Layer::Scp);
    assert!(
        d.reasons[0].message.contains("OU Workloads"),
        "{}",
        d.reasons[0].message
    );
    assert!(d
        .aws_message
        .contains("because no service control policy allows"));
}

/// A deny-only SCP at a level, with nothing else listed there, leaves that level without an allow.
#[test]
fn a_deny_only_scp_alone_at_a_level_blocks_everything() {
    let org = organization(
        json!([scp(
            "DenyLeave",
            &[A],
            json!([deny("organizations:LeaveOrganization", "*")])
        )]),
        json!([]),
    );
    let ws = admin_ws(org);
    assert_eq!(
        outcome(&ws, "admin", "ec2:RunInstances", "*"),
        Outcome::ImplicitDeny
    );
}

#[test]
fn a_deny_at_any_level_denies_explicitly() {
    let org = organization(
        json!([
            scp("Full", &[A], json!([allow("*", "*")])),
            scp("DenyIam", &[A], json!([deny("iam:CreateUser", "*")]))
        ]),
        json!([]),
    );
    let ws = admin_ws(org);
    let d = decide(&ws, "admin", "iam:CreateUser", "*", &[]);
    assert_eq!(d.decision, Outcome::ExplicitDeny);
    let m = d.reasons[0].statement.as_ref().unwrap();
    assert_eq!(m.layer, Layer::Scp);
    assert_eq!(m.level.as_deref(), Some("account 111111111111"));
    assert!(d
        .aws_message
        .ends_with("with an explicit deny in a service control policy"));
    assert_eq!(outcome(&ws, "admin", "iam:ListUsers", "*"), Outcome::Allow);
}

/// SCPs never apply to the management account, nor to service-linked roles.
#[test]
fn management_account_and_service_linked_roles_are_exempt() {
    let org = organization(
        json!([scp("DenyAll", &["r-root"], json!([deny("*", "*")]))]),
        json!([]),
    );
    let ws = admin_ws(org);
    assert_eq!(
        outcome(&ws, "admin", "s3:GetObject", "*"),
        Outcome::ExplicitDeny
    );
    assert_eq!(outcome(&ws, "mgmt", "s3:GetObject", "*"), Outcome::Allow);
    assert_eq!(
        outcome(&ws, "AWSServiceRoleForSupport", "s3:GetObject", "*"),
        Outcome::Allow
    );
}

/// An account the organization does not list is under no SCP.
#[test]
fn accounts_outside_the_organization_are_not_governed() {
    let ws = workspace(vec![
        dump(
            vec![user(
                "333333333333",
                "solo",
                &[doc(json!([allow("*", "*")]))],
            )],
            vec![],
            vec![],
            vec![],
        ),
        organization(
            json!([scp("DenyAll", &["r-root"], json!([deny("*", "*")]))]),
            json!([]),
        ),
    ]);
    let d = decide(&ws, "solo", "s3:GetObject", "*", &[]);
    assert_eq!(d.decision, Outcome::Allow);
    assert_eq!(
        d.layer(Layer::Scp).unwrap().status,
        LayerStatus::NotApplicable
    );
}

/// The root user of a member account is still bound by SCPs.
#[test]
fn scps_bind_the_member_account_root_user() {
    let org = organization(
        json!([scp(
            "DenyEc2",
            &["ou-work"],
            json!([allow("*", "*"), deny("ec2:*", "*")])
        )]),
        json!([]),
    );
    let ws = admin_ws(org);
    let root = format!("arn:aws:iam::{A}:root");
    assert_eq!(
        outcome(&ws, &root, "ec2:RunInstances", "*"),
        Outcome::ExplicitDeny
    );
    assert_eq!(outcome(&ws, &root, "s3:GetObject", "*"), Outcome::Allow);
}

/// RCPs govern the resource's account, for the services they cover: here an
/// RCP on account B stops account A's principals from reading B's bucket.
#[test]
fn rcps_deny_on_the_resource_side() {
    let bucket = "arn:aws:s3:::b-data";
    let rcp = json!([{"Name": "NoForeigners", "Targets": [B], "Policy": doc(json!([
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:PrincipalAccount": B}}}
    ]))}]);
    let ws = workspace(vec![
        dump(
            vec![user(
                A,
                "alice",
                &[doc(json!([allow("s3:*", "*"), allow("sqs:*", "*")]))],
            )],
            vec![],
            vec![],
            vec![],
        ),
        dump(
            vec![user(B, "bob", &[doc(json!([allow("s3:*", "*")]))])],
            vec![],
            vec![],
            vec![],
        ),
        resource_policies(json!([{"Arn": bucket, "AccountId": B, "Policy": doc(json!([
            {"Effect": "Allow", "Principal": {"AWS": A}, "Action": "s3:GetObject", "Resource": format!("{bucket}/*")}
        ]))}])),
        organization(json!([]), rcp),
    ]);
    let d = decide(&ws, "alice", "s3:GetObject", &format!("{bucket}/k"), &[]);
    assert_eq!(d.decision, Outcome::ExplicitDeny);
    assert_eq!(d.reasons[0].layer, Layer::Rcp);
    assert_eq!(
        outcome(&ws, "bob", "s3:GetObject", &format!("{bucket}/k")),
        Outcome::Allow
    );
    // RCPs do not govern EC2.
    let ec2 = decide(&ws, "alice", "ec2:DescribeInstances", "*", &[]);
    assert_eq!(
        ec2.layer(Layer::Rcp).unwrap().status,
        LayerStatus::NotApplicable
    );
}
