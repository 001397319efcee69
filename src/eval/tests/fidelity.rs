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

/// An administrator (Allow * on *) of account A, a service-linked role, an
/// IAM Identity Center role, and bob of account B.
fn refusal_workspace() -> crate::model::Workspace {
    let admin = doc(json!([allow("*", "*")]));
    let protected = |path: &str, name: &str| {
        json!({
            "Path": path, "RoleName": name, "RoleId": format!("AROA{}", name.to_uppercase()),
            "Arn": format!("arn:aws:iam::{A}:role{path}{name}"),
            "AssumeRolePolicyDocument": trust(json!(A)),
            "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": []
        })
    };
    let key = format!("arn:aws:kms:eu-west-1:{A}:key/1111-2222");
    let key_policy = resource_policies(json!([{
        "Arn": key, "AccountId": A,
        "Policy": doc(json!([
            {"Effect": "Allow", "Principal": {"AWS": [A, B]}, "Action": "kms:*", "Resource": "*"}
        ]))
    }]));
    workspace(vec![
        dump(
            vec![user(A, "alice", std::slice::from_ref(&admin))],
            vec![],
            vec![
                protected(
                    "/aws-service-role/elasticloadbalancing.amazonaws.com/",
                    "AWSServiceRoleForElasticLoadBalancing",
                ),
                protected(
                    "/aws-reserved/sso.amazonaws.com/eu-west-1/",
                    "AWSReservedSSO_Admin_0123456789abcdef",
                ),
                role(A, "Worker", trust(json!(A)), std::slice::from_ref(&admin)),
            ],
            vec![],
        ),
        dump(vec![user(B, "bob", &[admin])], vec![], vec![], vec![]),
        key_policy,
    ])
}

fn refused_by(
    ws: &crate::model::Workspace,
    who: &str,
    action: &str,
    resource: &str,
) -> Option<&'static str> {
    let decision = decide(ws, who, action, resource, &[]);
    decision.refused.map(|r| r.by)
}

/// access_policies_managed-vs-inline: "You cannot change the permissions
/// defined in AWS managed policies"; reading them needs no resource policy.
#[test]
fn aws_managed_policies_are_read_by_the_callers_policies_and_never_changed() {
    let ws = refusal_workspace();
    let policy = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    for read in [
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "iam:ListPolicyVersions",
        "iam:ListEntitiesForPolicy",
    ] {
        let d = decide(&ws, "alice", read, policy, &[]);
        assert_eq!(d.decision, Outcome::Allow, "{read}");
        assert!(d.refused.is_none(), "{read}");
    }
    for change in [
        "iam:CreatePolicyVersion",
        "iam:DeletePolicy",
        "iam:SetDefaultPolicyVersion",
        "iam:TagPolicy",
    ] {
        let d = decide(&ws, "alice", change, policy, &[]);
        assert_eq!(d.decision, Outcome::Allow, "the policies allow {change}");
        assert_eq!(d.refused.as_ref().map(|r| r.by), Some("IAM"), "{change}");
        assert!(!d.succeeds());
    }
    // A customer managed policy of alice's account is hers to change.
    let own = format!("arn:aws:iam::{A}:policy/Mine");
    assert_eq!(
        refused_by(&ws, "alice", "iam:CreatePolicyVersion", &own),
        None
    );
}

/// id_roles_update-service-linked-role; AWSReservedSSO roles are managed by
/// IAM Identity Center.
#[test]
fn protected_roles_are_refused_to_change_except_a_service_linked_roles_description() {
    let ws = refusal_workspace();
    let linked = format!("arn:aws:iam::{A}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing");
    let sso = format!("arn:aws:iam::{A}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef");
    for change in [
        "iam:DeleteRole",
        "iam:UpdateAssumeRolePolicy",
        "iam:PutRolePolicy",
        "iam:AttachRolePolicy",
        "iam:DeleteRolePermissionsBoundary",
        "iam:TagRole",
    ] {
        assert_eq!(
            refused_by(&ws, "alice", change, &linked),
            Some("IAM"),
            "{change}"
        );
        assert_eq!(
            refused_by(&ws, "alice", change, &sso),
            Some("IAM"),
            "{change}"
        );
    }
    assert_eq!(
        refused_by(&ws, "alice", "iam:UpdateRoleDescription", &linked),
        None
    );
    assert_eq!(refused_by(&ws, "alice", "iam:GetRole", &linked), None);
    let ordinary = format!("arn:aws:iam::{A}:role/Worker");
    assert_eq!(
        refused_by(&ws, "alice", "iam:PutRolePolicy", &ordinary),
        None
    );
}

/// alias-create: "You cannot manage aliases for AWS managed keys".
#[test]
fn aliases_of_aws_managed_keys_are_refused_to_manage() {
    let ws = refusal_workspace();
    let managed = format!("arn:aws:kms:eu-west-1:{A}:alias/aws/s3");
    let own = format!("arn:aws:kms:eu-west-1:{A}:alias/app");
    for change in ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"] {
        assert_eq!(
            refused_by(&ws, "alice", change, &managed),
            Some("KMS"),
            "{change}"
        );
        assert_eq!(refused_by(&ws, "alice", change, &own), None, "{change}");
    }
}

/// key-policy-modifying-external-accounts: a key policy can give another
/// account the cryptographic operations and a few more, not administration.
#[test]
fn another_account_may_use_a_kms_key_but_not_administer_it() {
    let ws = refusal_workspace();
    let key = format!("arn:aws:kms:eu-west-1:{A}:key/1111-2222");
    for usage in [
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:GenerateDataKey",
        "kms:DescribeKey",
        "kms:CreateGrant",
        "kms:ReEncryptFrom",
    ] {
        let d = decide(&ws, "bob", usage, &key, &[]);
        assert!(d.succeeds(), "{usage}: {:?} {:?}", d.decision, d.refused);
    }
    for admin in [
        "kms:ScheduleKeyDeletion",
        "kms:PutKeyPolicy",
        "kms:DisableKey",
    ] {
        let d = decide(&ws, "bob", admin, &key, &[]);
        assert_eq!(
            d.decision,
            Outcome::Allow,
            "the key policy names bob's account for {admin}"
        );
        assert_eq!(d.refused.as_ref().map(|r| r.by), Some("KMS"), "{admin}");
        // The key's own account administers it.
        assert!(decide(&ws, "alice", admin, &key, &[]).succeeds(), "{admin}");
    }
}

/// API_GetSessionToken, API_GetFederationToken: long-term credentials only.
#[test]
fn a_role_session_cannot_get_a_session_or_federation_token() {
    let ws = refusal_workspace();
    let session = format!("arn:aws:iam::{A}:role/Worker");
    for call in ["sts:GetSessionToken", "sts:GetFederationToken"] {
        assert_eq!(refused_by(&ws, &session, call, "*"), Some("STS"), "{call}");
        assert_eq!(refused_by(&ws, "alice", call, "*"), None, "{call}");
    }
    // The session's effective permissions do not list them either.
    let worker = principal(&ws, &session);
    let permissions =
        crate::eval::effective::effective_permissions(&ws, &worker, &context(&[]), NOW);
    let names: Vec<&str> = permissions
        .actions
        .iter()
        .map(|a| a.action.as_str())
        .collect();
    assert!(!names.contains(&"sts:GetSessionToken"));
    assert!(names.contains(&"sts:AssumeRole"));
    let alice = principal(&ws, "alice");
    let own = crate::eval::effective::effective_permissions(&ws, &alice, &context(&[]), NOW);
    assert!(own
        .actions
        .iter()
        .any(|a| a.action == "sts:GetSessionToken"));
}
