//! Which resources a principal's Allow statements for an action can name:
//! the cheap, sound filter before asking the evaluator. Without an identity
//! Allow naming the resource, an IAM or service create call is denied (IAM
//! resources and the resources a step creates have no resource policy), so
//! a target outside the scope needs no evaluation.

use super::ask::StepKeys;
use crate::eval::Principal;
use crate::pattern::glob::{CaseRule, Glob};
use crate::policy::statement::ResourceSpec;
use crate::policy::{Effect, RequestContext, RequestKeys};

/// The resources an action's Allow statements may name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Scope {
    /// Variables other than `aws:username`, `NotResource`, `*`: any
    /// resource may match.
    Broad,
    /// These ARNs only.
    Exact(Vec<String>),
    /// ARNs matching one of these patterns (resources are case-sensitive:
    /// IAM User Guide, reference_policies_elements_resource).
    Patterns(Vec<Glob>),
}

/// The scope of `action` for `principal` (statements' conditions aside, so
/// a superset of what the evaluator allows).
pub(super) fn resource_scope(
    principal: &Principal,
    action: &str,
    contexts: &[&RequestContext],
    now: i64,
) -> Scope {
    let username = principal.user.as_ref().map(|u| u.name.as_str());
    let derived = principal.derived_keys();
    let keys: Vec<RequestKeys> = contexts
        .iter()
        .map(|c| RequestKeys::new(c, &derived, now))
        .collect();
    let mut exact = Vec::new();
    let mut patterns = Vec::new();
    for policy in &principal.identity_policies {
        for statement in policy.policy.statements_for(action) {
            if statement.effect != Effect::Allow || !statement.applies_to_action(action) {
                continue;
            }
            // A statement whose conditions, all on global `aws:` keys, hold
            // in none of the caller's contexts cannot allow (the step's
            // request carries the same `aws:` keys); one with a condition
            // on a service key (`iam:PassedToService`...) is kept, the
            // evaluation decides it.
            let on_step_keys = statement
                .condition
                .clauses
                .iter()
                .any(|c| !c.key.to_ascii_lowercase().starts_with("aws:"));
            if !on_step_keys && !keys.iter().any(|k| statement.condition.evaluate(k)) {
                continue;
            }
            let Some(ResourceSpec::Resource(templates)) = &statement.resources else {
                return Scope::Broad;
            };
            for template in templates {
                let mut raw = template.raw().to_string();
                // Substituted only under 2012-10-17 (IAM User Guide,
                // reference_policies_variables); a literal `${…}` is then
                // kept, which still names one resource.
                if let (Some(name), true) =
                    (username, policy.policy.version.substitutes_variables())
                {
                    raw = raw.replace("${aws:username}", name);
                }
                if raw.contains("${") || raw == "*" {
                    return Scope::Broad;
                }
                if raw.contains(['*', '?']) {
                    patterns.push(Glob::new(&raw, CaseRule::Sensitive));
                } else {
                    exact.push(raw);
                }
            }
        }
    }
    exact.sort();
    exact.dedup();
    if patterns.is_empty() {
        return Scope::Exact(exact);
    }
    patterns.extend(
        exact
            .iter()
            .map(|arn| Glob::literal(arn, CaseRule::Sensitive)),
    );
    Scope::Patterns(patterns)
}

/// Whether some identity Allow statement of `principal` naming `action`
/// matches `resource`, its conditions holding with the keys of one of
/// `contexts` (each over the step's `keys`): without one, the identity
/// policies cannot allow the request, and (no resource policy applying)
/// nothing can.
pub(super) fn may_allow(
    principal: &Principal,
    action: &str,
    resource: &str,
    contexts: &[&RequestContext],
    keys: &[(&str, &str)],
    now: i64,
) -> bool {
    // The caller's keys win over the step's in this view; a step key the
    // caller also gave is decided by the evaluation itself.
    if keys
        .iter()
        .any(|(k, _)| contexts.iter().any(|c| c.contains(k)))
    {
        return true;
    }
    let step: Vec<(&str, [String; 1])> = keys.iter().map(|(k, v)| (*k, [v.to_string()])).collect();
    let layered = StepKeys {
        step: &step,
        derived: principal.derived_keys(),
    };
    contexts.iter().any(|context| {
        let keys = RequestKeys::new(context, &layered, now);
        principal.identity_policies.iter().any(|policy| {
            policy.policy.statements_for(action).any(|s| {
                s.effect == Effect::Allow
                    && s.applies_to_action(action)
                    && s.applies_to_resource(resource, &keys)
                    && s.condition.evaluate(&keys)
            })
        })
    })
}
