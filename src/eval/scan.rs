//! Matching one policy against a request: which statements apply, and which
//! would have applied but for their conditions.

use super::decision::{Layer, NearMiss, StatementMatch, Summary};
use crate::model::policy_ref::NamedPolicy;
use crate::policy::principal::{PrincipalSpec, Requester};
use crate::policy::{Effect, RequestKeys, Statement};

/// The request as matching sees it.
pub struct Target<'a> {
    pub action: &'a str,
    pub resource: &'a str,
    pub context: &'a RequestKeys<'a>,
    /// Who asks; used by statements with a `Principal` element.
    pub requester: Requester<'a>,
    /// The requester has a permissions boundary (see [`deny_not_principal_trap`]).
    pub has_boundary: bool,
    /// Build the explanation (matches, near misses); off when only the
    /// outcome is wanted (who-can asks thousands of questions).
    pub explain: bool,
}

/// What scanning found: always the summary, and the explanation when asked.
#[derive(Default)]
pub struct ScanResult {
    pub summary: Summary,
    pub matches: Vec<StatementMatch>,
    pub near_misses: Vec<NearMiss>,
}

impl ScanResult {
    pub fn has(&self, effect: Effect) -> bool {
        match effect {
            Effect::Allow => self.summary.allow,
            Effect::Deny => self.summary.deny,
        }
    }

    pub fn extend(&mut self, other: ScanResult) {
        self.summary.merge(other.summary);
        self.matches.extend(other.matches);
        self.near_misses.extend(other.near_misses);
    }
}

/// Scans the statements of `policy` that may apply to the request, adding
/// what it finds to `result` (which may hold earlier policies of the same
/// layer or level).
pub fn scan(
    policy: &NamedPolicy,
    layer: Layer,
    level: Option<&str>,
    target: &Target,
    result: &mut ScanResult,
) {
    for statement in policy.policy.statements_for(target.action) {
        // Without an explanation to write, once the layer is known to allow,
        // only a Deny (or how a resource policy names the caller) can still
        // change the answer.
        if !target.explain
            && result.summary.allow
            && statement.effect == Effect::Allow
            && statement.principal.is_none()
        {
            continue;
        }
        let named = match &statement.principal {
            None => None,
            Some(spec) => match spec.names(&target.requester) {
                Some(named) => Some(named),
                None if deny_not_principal_trap(statement, spec, target) => {
                    Some(crate::policy::principal::NamedAs::Everyone)
                }
                None => continue,
            },
        };
        // Cheap tests first; the strings of a match are built only for matches.
        if !statement.applies_to_action(target.action)
            || !statement.applies_to_resource(target.resource, target.context)
        {
            continue;
        }
        if !target.explain {
            if statement.condition.evaluate(target.context) {
                result.summary.add(statement.effect, named);
            }
            continue;
        }
        let action = statement.action_match(target.action).unwrap_or_default();
        let resource = statement
            .resource_match(target.resource, target.context)
            .unwrap_or_default();
        let outcomes = if statement.condition.is_empty() {
            Vec::new()
        } else {
            statement.condition.evaluate_each(target.context)
        };
        let failed: Vec<String> = outcomes
            .iter()
            .filter(|(_, held)| !held)
            .map(|(clause, _)| clause.describe())
            .collect();
        let failed_keys: Vec<String> = outcomes
            .iter()
            .filter(|(_, held)| !held)
            .map(|(clause, _)| clause.key.clone())
            .collect();
        if failed.is_empty() {
            result.summary.add(statement.effect, named);
            result.matches.push(StatementMatch {
                layer,
                level: level.map(str::to_string),
                file: policy.origin.file.to_string(),
                policy: policy.origin.name.clone(),
                policy_arn: policy.origin.arn.clone(),
                statement_index: statement.index,
                sid: statement.sid.clone(),
                effect: statement.effect,
                action,
                resource,
                conditions: outcomes
                    .iter()
                    .map(|(clause, _)| clause.describe())
                    .collect(),
                principal: named,
                implied: policy.origin.source == crate::model::policy_ref::PolicySource::Implied,
            });
        } else {
            result.near_misses.push(NearMiss {
                layer,
                file: policy.origin.file.to_string(),
                policy: policy.origin.name.clone(),
                statement_index: statement.index,
                sid: statement.sid.clone(),
                effect: statement.effect,
                failed_conditions: failed,
                failed_keys,
            });
        }
    }
}

/// A resource policy `Deny` with `NotPrincipal` "always denies any principal
/// that has a permissions boundary", whatever `NotPrincipal` lists (IAM User
/// Guide, "Permissions boundaries for IAM entities", Important note).
fn deny_not_principal_trap(statement: &Statement, spec: &PrincipalSpec, target: &Target) -> bool {
    statement.effect == Effect::Deny
        && matches!(spec, PrincipalSpec::NotPrincipal(_))
        && target.has_boundary
}
