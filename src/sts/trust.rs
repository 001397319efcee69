//! A role's trust policy in words: who may assume it, and under which conditions.

use crate::model::Role;
use crate::policy::principal::{AwsPrincipal, PrincipalSpec};
use crate::policy::Effect;

/// One entry of "who may assume this role".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TrustEntry {
    pub effect: Effect,
    /// "account 111111111111 (callers need their own sts:AssumeRole allow)", "user dave", ...
    pub who: String,
    /// The conditions, in words.
    pub conditions: Vec<String>,
    pub statement: String,
}

/// Reads the trust policy of `role` into sentences.
pub fn describe_trust(role: &Role) -> Vec<TrustEntry> {
    let Some(trust) = &role.trust_policy else {
        return Vec::new();
    };
    let own_account = role.arn.split(':').nth(4).unwrap_or_default();
    let mut out = Vec::new();
    for statement in &trust.policy.statements {
        let Some(spec) = &statement.principal else {
            continue;
        };
        let (set, negated) = match spec {
            PrincipalSpec::Principal(set) => (set, false),
            PrincipalSpec::NotPrincipal(set) => (set, true),
        };
        let conditions: Vec<String> = statement
            .condition
            .clauses
            .iter()
            .map(|c| c.describe())
            .collect();
        let mut push = |who: String| {
            out.push(TrustEntry {
                effect: statement.effect,
                who: if negated {
                    format!("everyone except {who}")
                } else {
                    who
                },
                conditions: conditions.clone(),
                statement: statement.reference().label(),
            })
        };
        if set.everyone {
            push("everyone (\"*\"): any AWS principal, subject to the conditions".to_string());
        }
        for principal in &set.aws {
            push(match principal {
                AwsPrincipal::Everyone => "everyone".to_string(),
                AwsPrincipal::Account(account) if account == own_account => {
                    format!(
                        "account {account} (its own): callers need their own sts:AssumeRole allow"
                    )
                }
                AwsPrincipal::Account(account) => {
                    format!("account {account}: callers there need their own sts:AssumeRole allow")
                }
                AwsPrincipal::User(arn) => format!("user {}", short(arn)),
                AwsPrincipal::Role(arn) => format!("sessions of role {}", short(arn)),
                AwsPrincipal::AssumedRole(arn) => format!("session {}", short(arn)),
                AwsPrincipal::FederatedUser(arn) => format!("federated user {}", short(arn)),
                AwsPrincipal::OtherArn(arn) => arn.clone(),
                AwsPrincipal::Orphaned(id) => {
                    format!("{id} (orphaned: a deleted principal, matches nobody)")
                }
            });
        }
        for service in &set.services {
            push(format!("service {service}"));
        }
        for provider in &set.federated {
            push(format!("identity provider {provider}"));
        }
    }
    out
}

/// True when no IAM user or role can ever assume the role: its trust policy
/// names only services and identity providers.
pub fn service_or_federated_only(role: &Role) -> Option<String> {
    let trust = role.trust_policy.as_ref()?;
    let mut names = Vec::new();
    for statement in trust
        .policy
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
    {
        let Some(PrincipalSpec::Principal(set)) = &statement.principal else {
            return None;
        };
        if set.everyone || !set.aws.is_empty() {
            return None;
        }
        names.extend(set.services.iter().cloned());
        names.extend(set.federated.iter().cloned());
    }
    (!names.is_empty()).then(|| names.join(", "))
}

/// `arn:aws:iam::111111111111:user/dave` → `dave (111111111111)`.
fn short(arn: &str) -> String {
    match arn.parse::<crate::model::Arn>() {
        Ok(parsed) => format!("{} ({})", parsed.resource_type_and_name().1, parsed.account),
        Err(_) => arn.to_string(),
    }
}
