//! Asking the evaluator about one request of a step, with the keys that
//! request carries, and finding resources a caller could name.

use std::sync::Arc;

use crate::eval::{evaluate_outcome, Principal, PrincipalKind, Request};
use crate::model::policy_ref::{NamedPolicy, PolicyOrigin, PolicySource};
use crate::model::Workspace;
use crate::policy::date::format_iso;
use crate::policy::statement::ResourceSpec;
use crate::policy::{Effect, JsonPath, Policy, PolicyKind, RequestContext, RequestKeys};

/// What the evaluator says about a request of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    Allowed,
    /// Allowed only from an MFA-authenticated session (a condition on
    /// `aws:MultiFactorAuthPresent`, `aws:MultiFactorAuthAge` or
    /// `aws:TokenIssueTime` that a user's long-term key cannot meet): the
    /// dump does not show MFA devices.
    WithMfa,
    Denied,
}

/// What a step needs when a request of it holds only with MFA.
pub(super) const MFA_NEEDS: &str =
    "an MFA-authenticated session (a condition asks for one): the dump does not show MFA devices";

/// The evaluator with the request context every step shares.
pub(super) struct Asker<'a> {
    pub(super) workspace: &'a Workspace,
    pub(super) context: &'a RequestContext,
    pub(super) now: i64,
    /// A policy granting everything, added to a principal to ask what it
    /// would be with a policy of its choosing.
    pub(super) allow_all: Arc<NamedPolicy>,
    /// The caller's context with `aws:TokenIssueTime` (temporary credentials).
    session_context: RequestContext,
    /// The same, from an MFA-authenticated session.
    mfa_context: RequestContext,
}

impl<'a> Asker<'a> {
    pub(super) fn new(workspace: &'a Workspace, context: &'a RequestContext, now: i64) -> Self {
        let mut session_context = context.clone();
        if !session_context.contains("aws:TokenIssueTime") {
            session_context.set("aws:TokenIssueTime", [format_iso(now)]);
        }
        let mut mfa_context = session_context.clone();
        for (key, value) in [
            ("aws:MultiFactorAuthPresent", "true"),
            ("aws:MultiFactorAuthAge", "0"),
        ] {
            if !mfa_context.contains(key) {
                mfa_context.set(key, [value]);
            }
        }
        Asker {
            workspace,
            context,
            now,
            session_context,
            mfa_context,
            allow_all: NamedPolicy::new(
                PolicyOrigin {
                    file: "(escalation)".into(),
                    path: JsonPath::root(),
                    name: "a policy of the caller's writing, granting everything".into(),
                    arn: None,
                    source: PolicySource::Inline,
                },
                PolicyKind::Identity,
                Policy::allow_all(PolicyKind::Identity),
            ),
        }
    }

    /// The request context of `principal`'s requests: the caller's keys,
    /// then `aws:TokenIssueTime` for a role session (AWS sets it on every
    /// request made with temporary credentials; IAM User Guide,
    /// reference_policies_condition-keys), then the step's own keys.
    pub(super) fn context_for(
        &self,
        principal: &Principal,
        keys: &[(&str, &str)],
        mfa: bool,
    ) -> RequestContext {
        let mut context = self.base_context(principal, mfa).clone();
        for (key, value) in keys {
            context.set(key, [*value]);
        }
        context
    }

    /// The caller's keys as a request of `principal` carries them, without
    /// the step's own keys.
    pub(super) fn base_context(&self, principal: &Principal, mfa: bool) -> &RequestContext {
        if mfa {
            // A session from sts:GetSessionToken with an MFA code (IAM User
            // Guide, id_credentials_mfa_configure-api-require): the only way
            // a user's requests to IAM carry these keys.
            &self.mfa_context
        } else if principal.kind == PrincipalKind::RoleSession {
            &self.session_context
        } else {
            self.context
        }
    }

    /// The request as a step makes it.
    pub(super) fn request(
        &self,
        principal: &Principal,
        action: &str,
        resource: &str,
        keys: &[(&str, &str)],
        mfa: bool,
    ) -> Request {
        Request {
            action: action.to_string(),
            resource: resource.to_string(),
            context: self.context_for(principal, keys, mfa),
            now_epoch: self.now,
        }
    }

    /// Whether the request succeeds with the caller's context alone: the
    /// policies allow it and the service does not refuse it
    /// (`crate::eval::refusal`: an AWS managed policy cannot be changed, a
    /// service-linked role cannot be modified...).
    pub(super) fn allowed(
        &self,
        principal: &Principal,
        action: &str,
        resource: &str,
        keys: &[(&str, &str)],
    ) -> bool {
        self.allowed_with(principal, action, resource, keys, false)
    }

    pub(super) fn allowed_with(
        &self,
        principal: &Principal,
        action: &str,
        resource: &str,
        keys: &[(&str, &str)],
        mfa: bool,
    ) -> bool {
        if crate::eval::refusal::refusal(principal, action, resource).is_some() {
            return false;
        }
        let request = self.request(principal, action, resource, keys, mfa);
        if denied_everywhere(principal, action, &request.context, self.now) {
            return false;
        }
        evaluate_outcome(self.workspace, principal, &request).is_allowed()
    }

    /// Whether some identity Allow naming `action` has a condition: only
    /// then can an MFA session change the answer.
    pub(super) fn has_conditioned_allow(&self, principal: &Principal, action: &str) -> bool {
        principal.identity_policies.iter().any(|policy| {
            policy.policy.statements_for(action).any(|s| {
                s.effect == Effect::Allow
                    && !s.condition.clauses.is_empty()
                    && s.applies_to_action(action)
            })
        })
    }

    /// Whether the request succeeds, and if only with MFA.
    pub(super) fn ask(
        &self,
        principal: &Principal,
        action: &str,
        resource: &str,
        keys: &[(&str, &str)],
    ) -> Verdict {
        if self.allowed_with(principal, action, resource, keys, false) {
            return Verdict::Allowed;
        }
        if self.has_conditioned_allow(principal, action)
            && self.allowed_with(principal, action, resource, keys, true)
        {
            return Verdict::WithMfa;
        }
        Verdict::Denied
    }
}

/// True when the boundary cannot allow `action`, or an identity or boundary
/// Deny statement refuses it on every resource with the request's keys (a "deny everything without
/// MFA" policy): the evaluation would end there (IAM User Guide,
/// reference_policies_evaluation-logic: an explicit deny decides), so it is
/// spared.
fn denied_everywhere(
    principal: &Principal,
    action: &str,
    context: &RequestContext,
    now: i64,
) -> bool {
    let derived = principal.derived_keys();
    let keys = RequestKeys::new(context, &derived, now);
    // A boundary with no Allow that could apply allows nothing of it
    // (IAM User Guide, access_policies_boundaries); an unresolved one
    // allows nothing at all.
    let boundary = match &principal.boundary {
        Some(crate::eval::Boundary::Policy(policy)) => {
            let may_allow = policy.policy.statements_for(action).any(|s| {
                s.effect == Effect::Allow && s.applies_to_action(action) && s.covers_some_resource()
            });
            if !may_allow {
                return true;
            }
            Some(policy)
        }
        Some(crate::eval::Boundary::Unresolved(_)) => return true,
        None => None,
    };
    principal
        .identity_policies
        .iter()
        .chain(boundary)
        .any(|policy| {
            policy.policy.statements_for(action).any(|s| {
                s.effect == Effect::Deny
                    && s.principal.is_none()
                    && s.applies_to_action(action)
                    && s.covers_every_resource()
                    && s.condition.evaluate(&keys)
            })
        })
}

/// Resources a caller could name for a resource it creates: `default`, and
/// each `Resource` pattern of its Allow statements naming `action`, with
/// its wildcards filled in (a statement limited to `function:dev-*` still
/// lets it create `dev-iamscope`). Patterns of another service or account,
/// or with policy variables, are skipped: `default` stands for them.
pub(super) fn witnesses(
    principal: &Principal,
    action: &str,
    default: &str,
    account: &str,
) -> Vec<String> {
    let mut out = vec![default.to_string()];
    let service = default.split(':').nth(2).unwrap_or_default();
    for policy in &principal.identity_policies {
        for statement in policy.policy.statements_for(action) {
            if statement.effect != Effect::Allow || !statement.applies_to_action(action) {
                continue;
            }
            let Some(ResourceSpec::Resource(templates)) = &statement.resources else {
                continue;
            };
            for template in templates {
                let filled = fill(template.raw(), service, account)
                    .filter(|arn| resource_type(arn) == resource_type(default));
                if let Some(arn) = filled {
                    if !out.contains(&arn) {
                        out.push(arn);
                    }
                }
            }
        }
    }
    out
}

/// The resource type of an ARN (`function`, `instance`, `stack`...): a
/// statement about another type of the service does not authorize the
/// step's resource (Service Authorization Reference: each action names the
/// resource types it is authorized on).
fn resource_type(arn: &str) -> &str {
    let resource = arn.splitn(6, ':').nth(5).unwrap_or_default();
    resource.split(['/', ':']).next().unwrap_or_default()
}

/// A concrete ARN matching `pattern`, in `account`, of `service`.
fn fill(pattern: &str, service: &str, account: &str) -> Option<String> {
    if pattern.contains("${") || !pattern.starts_with("arn:") {
        return None;
    }
    let mut parts = pattern.splitn(6, ':');
    let (_, partition, svc, region, acct, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    let wild = |s: &str| s.contains(['*', '?']);
    if !wild(svc) && !svc.eq_ignore_ascii_case(service) {
        return None;
    }
    if !wild(acct) && acct != account {
        return None;
    }
    let partition = if wild(partition) { "aws" } else { partition };
    let region = if wild(region) {
        super::routes::REGION
    } else {
        region
    };
    let resource = resource.replace('*', "iamscope").replace('?', "x");
    Some(format!(
        "arn:{partition}:{service}:{region}:{account}:{resource}"
    ))
}

/// The keys of a step's request read without building its context: the
/// step's own keys (`iam:PassedToService`...) over what the principal
/// implies; the caller's keys are layered over both by [`RequestKeys`].
pub(super) struct StepKeys<'a> {
    pub(super) step: &'a [(&'a str, [String; 1])],
    pub(super) derived: crate::eval::principal::DerivedKeys<'a>,
}

impl crate::policy::ContextKeys for StepKeys<'_> {
    fn get(&self, key: &str) -> Option<&[String]> {
        self.step
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_slice())
            .or_else(|| self.derived.get(key))
    }
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn a_pattern_is_filled_in_the_callers_account() {
        assert_eq!(
            fill(
                "arn:aws:lambda:*:*:function:dev-*",
                "lambda",
                "111122223333"
            )
            .as_deref(),
            Some("arn:aws:lambda:us-east-1:111122223333:function:dev-iamscope")
        );
        assert_eq!(
            fill(
                "arn:aws:lambda:*:444455556666:function:*",
                "lambda",
                "111122223333"
            ),
            None
        );
        assert_eq!(
            fill("arn:aws:s3:::bucket/*", "lambda", "111122223333"),
            None
        );
        assert_eq!(fill("*", "lambda", "111122223333"), None);
        assert_eq!(
            fill("arn:aws:lambda:*:*:function:${aws:username}", "lambda", "1"),
            None
        );
    }
}
