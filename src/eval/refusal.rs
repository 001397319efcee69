//! Requests the service refuses whatever the policies say. AWS evaluates the
//! policies, and then the service itself will not do some things: change an
//! AWS managed policy, change a role AWS protects, manage an alias of an AWS
//! managed KMS key, let another account administer a KMS key, give a role
//! session the tokens only long-term credentials can ask for. The decision
//! is still computed and shown; the answer says the request is refused, by
//! which service, and why, in AWS's words.

use serde::Serialize;

use super::principal::{Principal, PrincipalKind};
use crate::model::ArnParts;

/// A refusal by the service, beside the policy decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// The service that refuses: `IAM`, `KMS`, `STS`.
    pub by: &'static str,
    /// Why, in AWS's words where it has them.
    pub reason: String,
    /// The documentation page the rule comes from.
    pub page: &'static str,
}

/// IAM actions that change a managed policy. "You cannot change the
/// permissions defined in AWS managed policies" (IAM User Guide,
/// access_policies_managed-vs-inline).
const POLICY_CHANGES: &[&str] = &[
    "createpolicyversion",
    "deletepolicy",
    "deletepolicyversion",
    "setdefaultpolicyversion",
    "tagpolicy",
    "untagpolicy",
];

/// IAM actions that change a role. Service-linked roles are "protected AWS
/// resources": only the linked service changes them, except their
/// description (IAM User Guide, id_roles_update-service-linked-role; IAM API
/// reference, API_DeleteRolePermissionsBoundary); so are the roles IAM
/// Identity Center provisions under /aws-reserved/ (AWS Knowledge Center,
/// "AWSReservedSSO roles").
const ROLE_CHANGES: &[&str] = &[
    "deleterole",
    "updateassumerolepolicy",
    "putrolepolicy",
    "deleterolepolicy",
    "attachrolepolicy",
    "detachrolepolicy",
    "putrolepermissionsboundary",
    "deleterolepermissionsboundary",
    "tagrole",
    "untagrole",
    "updaterole",
];

/// KMS alias management: "You cannot create, update or delete aliases for
/// AWS managed keys" (AWS KMS Developer Guide, alias-create).
const ALIAS_CHANGES: &[&str] = &["createalias", "deletealias", "updatealias"];

/// What a key policy may give another account: the cryptographic
/// operations and a few more; every other operation is refused to it (AWS
/// KMS Developer Guide, key-policy-modifying-external-accounts; each
/// operation's "Cross-account use" in the AWS KMS API reference).
const KMS_CROSS_ACCOUNT: &[&str] = &[
    "creategrant",
    "decrypt",
    "derivesharedsecret",
    "describekey",
    "encrypt",
    "generatedatakey",
    "generatedatakeypair",
    "generatedatakeypairwithoutplaintext",
    "generatedatakeywithoutplaintext",
    "generatemac",
    "getkeyrotationstatus",
    "getpublickey",
    "listgrants",
    "reencryptfrom",
    "reencryptto",
    "retiregrant",
    "revokegrant",
    "sign",
    "verify",
    "verifymac",
];

/// Why the service refuses `action` on `resource` by `principal`, if it
/// does. Asked for every request who-can weighs: it allocates nothing
/// unless it refuses.
pub fn refusal(principal: &Principal, action: &str, resource: &str) -> Option<Refusal> {
    let (service, name) = action.split_once(':')?;
    if service.eq_ignore_ascii_case("iam") {
        iam_refusal(name, resource)
    } else if service.eq_ignore_ascii_case("kms") {
        kms_refusal(principal, name, resource)
    } else if service.eq_ignore_ascii_case("sts") {
        sts_refusal(principal, name)
    } else {
        None
    }
}

/// Whether `name` (as written in a request, any case) is one of `list`.
fn one_of(list: &[&str], name: &str) -> bool {
    list.iter().any(|n| n.eq_ignore_ascii_case(name))
}

fn iam_refusal(name: &str, resource: &str) -> Option<Refusal> {
    let arn = ArnParts::parse(resource).ok()?;
    if arn.service != "iam" {
        return None;
    }
    if arn.account == "aws" && arn.resource.starts_with("policy/") && one_of(POLICY_CHANGES, name) {
        return Some(Refusal {
            by: "IAM",
            reason: "you cannot change the permissions defined in AWS managed policies; AWS maintains them"
                .to_string(),
            page: "IAM User Guide, access_policies_managed-vs-inline",
        });
    }
    let role_path = arn.resource.strip_prefix("role/")?;
    if !one_of(ROLE_CHANGES, name) {
        return None;
    }
    if role_path.starts_with("aws-service-role/") {
        return Some(Refusal {
            by: "IAM",
            reason:
                "a service-linked role is a protected AWS resource: only its service changes it \
                     (you may edit its description)"
                    .to_string(),
            page: "IAM User Guide, id_roles_update-service-linked-role",
        });
    }
    if role_path.starts_with("aws-reserved/") {
        return Some(Refusal {
            by: "IAM",
            reason: "a role under /aws-reserved/ (IAM Identity Center's AWSReservedSSO_ roles) is managed \
                     by its service; change the permission set instead"
                .to_string(),
            page: "AWS Knowledge Center, AWSReservedSSO roles",
        });
    }
    None
}

fn kms_refusal(principal: &Principal, name: &str, resource: &str) -> Option<Refusal> {
    let arn = ArnParts::parse(resource).ok()?;
    if arn.service != "kms" {
        return None;
    }
    if arn.resource.starts_with("alias/aws/") && one_of(ALIAS_CHANGES, name) {
        return Some(Refusal {
            by: "KMS",
            reason: "you cannot manage aliases for AWS managed keys (alias/aws/…)".to_string(),
            page: "AWS KMS Developer Guide, alias-create",
        });
    }
    let on_a_key = arn.resource.starts_with("key/");
    let other_account = !arn.account.is_empty() && arn.account != principal.account;
    if on_a_key && other_account && !one_of(KMS_CROSS_ACCOUNT, name) {
        return Some(Refusal {
            by: "KMS",
            reason: format!(
                "kms:{name} cannot be used on a KMS key of another account ({}): a key policy can \
                 give other accounts only the cryptographic operations and a few more",
                arn.account
            ),
            page: "AWS KMS Developer Guide, key-policy-modifying-external-accounts",
        });
    }
    None
}

/// GetSessionToken and GetFederationToken "must be called by using the
/// long-term AWS security credentials of an IAM user" (AWS STS API
/// reference, API_GetSessionToken, API_GetFederationToken).
fn sts_refusal(principal: &Principal, name: &str) -> Option<Refusal> {
    if principal.kind != PrincipalKind::RoleSession {
        return None;
    }
    let call = ["GetSessionToken", "GetFederationToken"]
        .into_iter()
        .find(|call| call.eq_ignore_ascii_case(name))?;
    Some(Refusal {
        by: "STS",
        reason: format!(
            "sts:{call} must be called with long-term credentials; a role session has only temporary ones"
        ),
        page: "AWS STS API reference, API_GetSessionToken and API_GetFederationToken",
    })
}
