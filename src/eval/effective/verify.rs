//! The listed permissions, checked against the evaluator itself.
//!
//! The list is computed a whole action set at a time, from the principal's
//! side; a few things decide per resource and are weighed here by asking the
//! engine the very question `check` asks, so that a listed action is one
//! `check` allows (and `why` explains) under the same context:
//! - a resource-based policy that governs the listed resource (an S3 bucket
//!   policy denying `aws:SecureTransport` false), or resource control policies
//!   of the resource's account (IAM User Guide, "Policy evaluation logic");
//! - a resource in another account, which needs that account's resource
//!   policy to allow too (IAM User Guide, "Cross-account policy evaluation
//!   logic");
//! - an explicit deny, boundary, session policy or SCP that limits the action
//!   to some resources or conditions;
//! - a refusal by the service whatever the policies say ([`super::super::refusal`]).
//!
//! A grant whose conditions the context cannot decide stays listed as
//! conditional: the engine reads an absent key as absent, the list as unknown.

use super::grant::{Restriction, StatementRef};
use crate::eval::decision::{Layer, NearMiss};
use crate::eval::engine::{evaluate, evaluate_outcome, Request};
use crate::eval::principal::Principal;
use crate::eval::refusal::refusal;
use crate::eval::Outcome;
use crate::model::{ArnParts, Workspace};
use crate::policy::RequestContext;

/// What the engine says of one listed resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// `check` allows it (or would once undecided conditions hold).
    Keep,
    /// `check` denies it under this context whatever the undecided keys are
    /// taken to be: explicitly, by a gate that does not allow it, by a
    /// resource policy that does not admit another account, or the service
    /// refuses it.
    Drop,
}

pub(super) struct Verifier<'a> {
    pub workspace: &'a Workspace,
    pub principal: &'a Principal,
    pub context: &'a RequestContext,
    /// `context` with the principal's own keys: what the list can decide.
    pub known: &'a RequestContext,
    pub now_epoch: i64,
    /// Verdicts by the statements that decide them (see [`Verifier::memo_key`]).
    pub memo: std::cell::RefCell<std::collections::HashMap<(u64, String, bool), Verdict>>,
}

/// Services whose resources resource control policies govern (AWS
/// Organizations User Guide, orgs_manage_policies_rcps: "RCPs apply to
/// resources of the following services").
const RCP_SERVICES: [&str; 5] = ["s3", "sts", "kms", "sqs", "secretsmanager"];

impl Verifier<'_> {
    /// Whether the engine must be asked about `action` on `resource`: only
    /// where something decides per resource. `restricted` says a deny, gate
    /// or condition narrows the action.
    pub fn needs_engine(&self, action: &str, resource: &str, restricted: bool) -> bool {
        restricted
            || self.workspace.resource_policy_for(resource).is_some()
            || self.in_other_account(resource)
            || self.rcps_apply(action)
            || refusal(self.principal, action, resource).is_some()
    }

    /// The engine's answer for `action` on `resource` (taken literally, as
    /// `check -r` takes it), read for the list. `conditional` says the grant
    /// or a limit on it depends on keys the context does not give.
    /// With the verdict, the resource-side denies that would apply if keys
    /// the context does not give held (a bucket policy's deny of plain HTTP
    /// while `aws:SecureTransport` is not set): limits to show with the grant.
    pub fn verdict(
        &self,
        action: &str,
        resource: &str,
        conditional: bool,
    ) -> (Verdict, Vec<Restriction>) {
        if refusal(self.principal, action, resource).is_some() {
            return (Verdict::Drop, Vec::new());
        }
        let request = Request {
            action: action.to_string(),
            resource: resource.to_string(),
            context: self.context.clone(),
            now_epoch: self.now_epoch,
        };
        // The explanation (ten times the cost of the outcome) is built only
        // where a resource policy can hold such a deny; RCPs are weighed by
        // the outcome alone.
        let resource_side = self.workspace.resource_policy_for(resource).is_some();
        let (outcome, limits) = if resource_side {
            let decision = evaluate(self.workspace, self.principal, &request);
            let limits = decision
                .layers
                .iter()
                .filter(|l| matches!(l.layer, Layer::ResourcePolicy | Layer::Rcp))
                .flat_map(|l| l.near_misses.iter())
                .filter(|miss| self.undecided(miss))
                .map(|miss| limit(miss, resource))
                .collect();
            (decision.decision, limits)
        } else {
            (
                evaluate_outcome(self.workspace, self.principal, &request),
                Vec::new(),
            )
        };
        let verdict = match outcome {
            Outcome::Allow => Verdict::Keep,
            Outcome::ExplicitDeny => Verdict::Drop,
            Outcome::ImplicitDeny if conditional => Verdict::Keep,
            Outcome::ImplicitDeny => Verdict::Drop,
        };
        (verdict, limits)
    }

    /// [`Verifier::verdict`], shared between actions the same statements
    /// decide. `signature` names the statements that match the action (its
    /// grants and limits, each by file, policy and index, with the service):
    /// where no resource policy, RCP, other account, refusal or trust policy
    /// takes part, the evaluation of `action` on `resource` reads only those
    /// statements, so actions with one signature get one answer.
    pub fn shared_verdict(
        &self,
        signature: u64,
        action: &str,
        resource: &str,
        conditional: bool,
    ) -> (Verdict, Vec<Restriction>) {
        let shareable = self.workspace.resource_policy_for(resource).is_none()
            && !self.in_other_account(resource)
            && !self.rcps_apply(action)
            && refusal(self.principal, action, resource).is_none()
            && !action.to_ascii_lowercase().starts_with("sts:");
        if !shareable {
            return self.verdict(action, resource, conditional);
        }
        let key = (signature, resource.to_string(), conditional);
        if let Some(&verdict) = self.memo.borrow().get(&key) {
            return (verdict, Vec::new());
        }
        let (verdict, limits) = self.verdict(action, resource, conditional);
        self.memo.borrow_mut().insert(key, verdict);
        (verdict, limits)
    }

    /// A deny that missed only on keys the context does not give.
    fn undecided(&self, miss: &NearMiss) -> bool {
        miss.effect == crate::policy::Effect::Deny
            && !miss.failed_keys.is_empty()
            && miss.failed_keys.iter().all(|k| !self.known.contains(k))
    }

    /// The resource patterns the resource policy governing `resource`
    /// names (in `Resource` and `NotResource`): the narrower places to try
    /// when it denies the whole of a granted pattern but not all of them.
    pub fn resource_side_patterns(&self, resource: &str) -> Vec<String> {
        use crate::policy::statement::ResourceSpec;
        let Some(rp) = self.workspace.resource_policy_for(resource) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for statement in &rp.document.policy.statements {
            if let Some(ResourceSpec::Resource(t) | ResourceSpec::NotResource(t)) =
                &statement.resources
            {
                out.extend(t.iter().map(|t| t.raw().to_string()));
            }
        }
        out
    }

    fn in_other_account(&self, resource: &str) -> bool {
        ArnParts::parse(resource).is_ok_and(|arn| {
            !arn.account.is_empty()
                && arn.account != "aws"
                && !arn.account.contains(['*', '?', '$'])
                && arn.account != self.principal.account
        })
    }

    fn rcps_apply(&self, action: &str) -> bool {
        let Some(org) = &self.workspace.organization else {
            return false;
        };
        !org.resource_control_policies.is_empty()
            && action.split_once(':').is_some_and(|(service, _)| {
                RCP_SERVICES.iter().any(|s| s.eq_ignore_ascii_case(service))
            })
    }
}

fn limit(miss: &NearMiss, resource: &str) -> Restriction {
    Restriction {
        effect: miss.effect,
        source: StatementRef {
            layer: miss.layer,
            file: miss.file.clone(),
            policy: miss.policy.clone(),
            statement: miss.statement().label(),
            statement_index: miss.statement_index,
        },
        resources: vec![resource.to_string()],
        not_resource: false,
        conditions: miss.failed_conditions.clone(),
    }
}
