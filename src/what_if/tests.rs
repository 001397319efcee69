//! What-if changes on the workshop sample, each checked by asking the
//! engine before and after, as the IAM User Guide's evaluation logic says
//! the change must read ("Policy evaluation logic"; "Permissions boundaries
//! for IAM entities"; Organizations, "SCP evaluation").

use super::*;
use crate::eval::{evaluate, Outcome, Principal, Request};
use crate::policy::RequestContext;

const DEV: &str = "arn:aws:iam::111111111111";
const NOW: i64 = 1_767_260_400;

fn workshop() -> Workspace {
    crate::bundled::workshop::load().workspace
}

fn user(workspace: &Workspace, name: &str) -> Principal {
    let account = &workspace.accounts[0];
    let found = account.user(name).expect("a workshop user");
    Principal::user(workspace, account, found)
}

fn role(workspace: &Workspace, name: &str) -> Principal {
    let (account, found) = workspace
        .accounts
        .iter()
        .find_map(|a| a.role(name).map(|r| (a, r)))
        .expect("a workshop role");
    Principal::role_session(workspace, account, found, "t", None)
}

fn ask(workspace: &Workspace, who: &Principal, action: &str, resource: &str) -> Outcome {
    evaluate(
        workspace,
        who,
        &Request {
            action: action.to_string(),
            resource: resource.to_string(),
            context: RequestContext::new(),
            now_epoch: NOW,
        },
    )
    .decision
}

const SHARED: &str = "arn:aws:s3:::dev-shared-data/report.csv";

/// An explicit deny closes a door an allow opened: detaching the policy
/// that holds it (from the group, where it is attached) opens it again, for
/// every member; the loaded workspace is left as it was.
#[test]
fn detaching_a_deny_policy_from_a_group_opens_the_door_for_its_members() {
    let before = workshop();
    let alice = user(&before, "alice");
    assert_eq!(
        ask(&before, &alice, "s3:DeleteObject", SHARED),
        Outcome::ExplicitDeny
    );
    let change = Change::DetachPolicy {
        entity: format!("{DEV}:group/Developers"),
        policy: "DenySharedDataDelete".to_string(),
    };
    let after = apply(&before, &change).expect("the group holds it");
    assert_eq!(
        ask(&after, &user(&after, "alice"), "s3:DeleteObject", SHARED),
        Outcome::Allow
    );
    // bob is a member too; his boundary allows s3:*.
    assert_eq!(
        ask(&after, &user(&after, "bob"), "s3:DeleteObject", SHARED),
        Outcome::Allow
    );
    assert_eq!(
        ask(&before, &user(&before, "alice"), "s3:DeleteObject", SHARED),
        Outcome::ExplicitDeny,
        "the loaded workspace is untouched"
    );
    assert_eq!(
        change.describe(),
        "detach DenySharedDataDelete from group/Developers"
    );
}

/// A policy the user does not hold itself (it comes through a group) is not
/// detached from the user: IAM detaches a policy where it is attached.
#[test]
fn a_policy_is_detached_only_where_it_is_attached() {
    let error = apply(
        &workshop(),
        &Change::DetachPolicy {
            entity: format!("{DEV}:user/alice"),
            policy: "DevelopersDaily".to_string(),
        },
    )
    .expect_err("alice holds it through Developers");
    assert!(matches!(error, WhatIfError::NoPolicy { .. }), "{error}");
    let error = apply(
        &workshop(),
        &Change::DetachPolicy {
            entity: format!("{DEV}:user/nobody"),
            policy: "X".to_string(),
        },
    )
    .expect_err("no such user");
    assert_eq!(error, WhatIfError::NoEntity(format!("{DEV}:user/nobody")));
}

/// Inline policies are deleted by name: dave's only policy lets him assume
/// Auditor; without it, his identity policies allow nothing.
#[test]
fn deleting_an_inline_policy() {
    let before = workshop();
    let auditor = format!("{DEV}:role/Auditor");
    let after = apply(
        &before,
        &Change::DetachPolicy {
            entity: format!("{DEV}:user/dave"),
            policy: "AssumeAuditor".to_string(),
        },
    )
    .expect("dave holds it inline");
    let dave = user(&after, "dave");
    assert!(dave.identity_policies.is_empty());
    assert_eq!(
        ask(&after, &dave, "sts:AssumeRole", &auditor),
        Outcome::ImplicitDeny
    );
}

/// Within a boundary, only what both the identity policies and the boundary
/// allow is allowed: DevelopersDaily allows lambda:*, bob's boundary does
/// not, so bob may not; without the boundary he may.
#[test]
fn dropping_a_boundary_opens_what_it_closed() {
    let function = "arn:aws:lambda:eu-west-1:111111111111:function:app";
    let before = workshop();
    assert_eq!(
        ask(
            &before,
            &user(&before, "bob"),
            "lambda:InvokeFunction",
            function
        ),
        Outcome::ImplicitDeny
    );
    let change = Change::DropBoundary {
        entity: format!("{DEV}:user/bob"),
    };
    let after = apply(&before, &change).expect("bob has a boundary");
    let bob = user(&after, "bob");
    assert!(bob.boundary.is_none());
    assert_eq!(
        ask(&after, &bob, "lambda:InvokeFunction", function),
        Outcome::Allow
    );
    // Dropping it twice: the copy has none any more.
    assert_eq!(
        apply(&after, &change).expect_err("no boundary left"),
        WhatIfError::NoBoundary(format!("{DEV}:user/bob"))
    );
}

/// A statement disabled in a customer managed policy changes it for every
/// principal it is attached to; the other statements keep their numbers.
#[test]
fn disabling_a_statement_of_a_managed_policy() {
    let before = workshop();
    let bucket = "arn:aws:s3:::dev-app";
    assert_eq!(
        ask(&before, &user(&before, "alice"), "s3:CreateBucket", bucket),
        Outcome::Allow
    );
    let after = apply(
        &before,
        &Change::DisableStatement {
            entity: format!("{DEV}:group/Developers"),
            policy: "DevelopersDaily".to_string(),
            index: 1,
        },
    )
    .expect("statement #2 is S3ManageDevBuckets");
    let alice = user(&after, "alice");
    assert_eq!(
        ask(&after, &alice, "s3:CreateBucket", bucket),
        Outcome::ImplicitDeny
    );
    // Statement #1 still allows, and is still named #1's Sid.
    let decision = evaluate(
        &after,
        &alice,
        &Request {
            action: "s3:ListBucket".to_string(),
            resource: bucket.to_string(),
            context: RequestContext::new(),
            now_epoch: NOW,
        },
    );
    assert_eq!(decision.decision, Outcome::Allow);
    let allowing = decision
        .reasons
        .iter()
        .filter(|r| r.layer == crate::eval::Layer::Identity)
        .find_map(|r| r.statement.as_ref())
        .expect("the allowing statement");
    assert_eq!(allowing.statement_index, 0);
    assert_eq!(allowing.sid.as_deref(), Some("S3ListDevBuckets"));
    // No statement #41.
    assert!(matches!(
        apply(
            &before,
            &Change::DisableStatement {
                entity: format!("{DEV}:group/Developers"),
                policy: "DevelopersDaily".to_string(),
                index: 40,
            },
        ),
        Err(WhatIfError::NoStatement { index: 40, .. })
    ));
}

/// An SCP's explicit deny binds even an administrator; disabling the SCP
/// lifts it (Organizations, "SCP evaluation").
#[test]
fn disabling_an_scp_lifts_its_deny() {
    let before = workshop();
    let admin = role(&before, "prod-admin");
    assert_eq!(
        ask(&before, &admin, "organizations:LeaveOrganization", "*"),
        Outcome::ExplicitDeny
    );
    // The levels are cached at first use: the copy must not reuse them.
    let after = apply(
        &before,
        &Change::DisableScp {
            name: "DenyLeaveOrganization".to_string(),
        },
    )
    .expect("the SCP exists");
    assert_eq!(
        ask(
            &after,
            &role(&after, "prod-admin"),
            "organizations:LeaveOrganization",
            "*"
        ),
        Outcome::Allow
    );
}

/// SCPs grant nothing: with FullAWSAccess gone from the OU, only its deny
/// is left there, and nothing is allowed below it. Removing the last SCP of
/// a target is refused, as AWS refuses it.
#[test]
fn disabling_full_aws_access_closes_every_door_and_the_last_scp_stays() {
    let before = workshop();
    let after = apply(
        &before,
        &Change::DisableScp {
            name: "FullAWSAccess".to_string(),
        },
    )
    .expect("the OU and prod keep another SCP each");
    assert_eq!(
        ask(
            &after,
            &role(&after, "prod-admin"),
            "s3:ListAllMyBuckets",
            "*"
        ),
        Outcome::ImplicitDeny
    );
    let error = apply(
        &after,
        &Change::DisableScp {
            name: "DenyLeaveOrganization".to_string(),
        },
    )
    .expect_err("the OU's last SCP");
    assert!(matches!(error, WhatIfError::LastScp { .. }), "{error}");
    assert_eq!(
        apply(
            &before,
            &Change::DisableScp {
                name: "Nope".to_string()
            }
        )
        .expect_err("no such SCP"),
        WhatIfError::NoScp("Nope".to_string())
    );
}
