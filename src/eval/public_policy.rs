//! S3 Block Public Access as it changes a decision: with
//! `RestrictPublicBuckets` on the bucket or its account, a bucket policy
//! that S3 deems public grants nothing to other accounts (S3 User Guide,
//! access-control-block-public-access: "public and cross-account access
//! within any public bucket policy, including non-public delegation to
//! specific accounts, is blocked"; only AWS service principals and
//! authorized users of the bucket owner's account keep their access).

use crate::model::{ArnParts, ResourcePolicy, Workspace};
use crate::policy::condition::ConditionBlock;
use crate::policy::principal::{AwsPrincipal, PrincipalSpec};
use crate::policy::{Effect, Policy};

/// Keys whose fixed values make a grant to everyone non-public (S3 User
/// Guide, access-control-block-public-access, "The meaning of 'public'").
/// `aws:PrincipalOrgID` is not among those this list is sure of: a policy
/// open to an organization is taken to be public, the stricter reading.
const PINNING_KEYS: [&str; 9] = [
    "aws:SourceIp",
    "aws:SourceArn",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceOwner",
    "aws:SourceAccount",
    "aws:userid",
    "s3:DataAccessPointArn",
    "s3:DataAccessPointAccount",
];

/// True when S3 ignores `policy`'s grants to a principal of another
/// account: the policy governs an S3 bucket, is public, and Block Public
/// Access restricts public buckets there.
pub fn restricted_for_other_accounts(workspace: &Workspace, policy: &ResourcePolicy) -> bool {
    let Ok(arn) = ArnParts::parse(&policy.arn) else {
        return false;
    };
    if arn.service != "s3" {
        return false;
    }
    let owner = policy.account.as_deref().unwrap_or_default();
    workspace
        .resource_facts
        .restricts_public_policy(&policy.arn, owner)
        && is_public(&policy.document.policy)
}

/// A policy is public when an `Allow` statement grants to everyone (`*`, or
/// through `NotPrincipal`) without a condition pinning one of
/// [`PINNING_KEYS`] to fixed values.
pub fn is_public(policy: &Policy) -> bool {
    policy.statements.iter().any(|s| {
        s.effect == Effect::Allow && grants_everyone(&s.principal) && !pinned(&s.condition)
    })
}

fn grants_everyone(principal: &Option<PrincipalSpec>) -> bool {
    match principal {
        Some(PrincipalSpec::Principal(set)) => {
            set.everyone || set.aws.contains(&AwsPrincipal::Everyone)
        }
        Some(PrincipalSpec::NotPrincipal(_)) => true,
        None => false,
    }
}

/// A positive, single-valued comparison of a pinning key with values
/// without wildcards or variables.
fn pinned(condition: &ConditionBlock) -> bool {
    condition.clauses.iter().any(|c| {
        PINNING_KEYS.iter().any(|k| k.eq_ignore_ascii_case(&c.key))
            && !c.operator.is_negated()
            && !c.operator.if_exists
            && c.operator.qualifier.is_none()
            && c.operator.kind != crate::policy::condition::OperatorKind::Null
            && !c.values.is_empty()
            && c.values
                .iter()
                .all(|v| !v.has_variables() && !v.raw().contains('*') && !v.raw().contains('?'))
    })
}

#[cfg(test)]
mod tests {
    use super::is_public;
    use crate::policy::{Policy, PolicyKind};

    fn policy(statement: &str) -> Policy {
        let value: serde_json::Value = serde_json::from_str(&format!(
            r#"{{"Version": "2012-10-17", "Statement": [{statement}]}}"#
        ))
        .expect("test JSON");
        Policy::parse(&value, PolicyKind::Resource, &mut Vec::new())
    }

    #[test]
    fn a_grant_to_everyone_is_public_unless_a_fixed_source_pins_it() {
        let open = r#"{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#;
        assert!(is_public(&policy(open)));
        let pinned = r#"{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
                         "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}"#;
        assert!(!is_public(&policy(pinned)));
        let wildcard = r#"{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
                           "Condition": {"StringLike": {"aws:SourceVpce": "vpce-*"}}}"#;
        assert!(is_public(&policy(wildcard)));
        let account = r#"{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#;
        assert!(!is_public(&policy(account)));
        let deny = r#"{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}"#;
        assert!(!is_public(&policy(deny)));
    }
}
