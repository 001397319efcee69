//! AWS's policy evaluation logic.
//!
//! Sources: IAM User Guide, "Policy evaluation logic" (the deny/allow flow,
//! with RCPs), "Cross-account policy evaluation logic", "Permissions
//! boundaries" (effective permissions), and Organizations, "SCP evaluation".
//!
//! 1. An explicit `Deny` in any applicable policy decides.
//! 2. RCPs (resource's account) and SCPs (principal's account) are gates: every
//!    level of the organization tree needs an applicable `Allow`.
//! 3. Same account: a resource policy naming the user, the session or `*`
//!    grants on its own; naming the role it is limited by boundary and session
//!    policy; naming the account it needs an identity allow. Trust policies and
//!    KMS key policies must always allow explicitly.
//! 4. Cross account: the resource policy and the principal's own chain
//!    (identity, boundary, session) must both allow.

// The engine was one file, so the optimizer could inline any of its
// functions into `run`; the functions each file offers the others are
// `#[inline]` to keep it so.
mod combine;
mod explain;
mod layers;
mod request;
mod shortcuts;

use super::decision::{Decision, Layer, Outcome};
use super::principal::Principal;
use super::refusal::refusal;
use super::resource_keys::{Layered, ResourceKeys};
use crate::model::Workspace;
use crate::policy::RequestKeys;
use request::Evaluation;

pub use layers::RESOURCE_ACCOUNT_KEY;
pub use request::Request;
pub use shortcuts::{refuses_every_role, trust_may_admit};

/// Evaluates `request` made by `principal`, with the full explanation.
pub fn evaluate(workspace: &Workspace, principal: &Principal, request: &Request) -> Decision {
    let mut decision = run(workspace, principal, request, true);
    decision.refused = refusal(principal, &request.action, &request.resource);
    decision.owner_unknown = owner_assumption(workspace, principal, request);
    decision
}

/// For a resource whose owner is unknown (an S3 ARN names no account, and
/// nothing in the workspace or the request names one), the answer were the
/// resource in another account than the caller's: within one account an
/// identity policy may suffice, across accounts the resource's policy must
/// allow too (IAM User Guide, reference_policies_evaluation-logic-cross-account).
fn owner_assumption(
    workspace: &Workspace,
    principal: &Principal,
    request: &Request,
) -> Option<super::decision::OwnerAssumption> {
    if workspace.resource_account(&request.resource, "").is_some()
        || request.context.contains(RESOURCE_ACCOUNT_KEY)
    {
        return None;
    }
    let mut elsewhere = request.clone();
    elsewhere.context.push(RESOURCE_ACCOUNT_KEY, UNKNOWN_OWNER);
    Some(super::decision::OwnerAssumption {
        assumed_owner: principal.account.clone(),
        if_another_account: run(workspace, principal, &elsewhere, false).decision,
    })
}

/// The `aws:ResourceAccount` that stands for "an account that is not the
/// caller's" when asking how an owner-unknown resource would be decided:
/// no account is named so.
pub const UNKNOWN_OWNER: &str = "(another account)";

/// The outcome alone: the same logic without building the explanation, for
/// callers that ask many questions (who-can, pickers).
pub fn evaluate_outcome(
    workspace: &Workspace,
    principal: &Principal,
    request: &Request,
) -> Outcome {
    run(workspace, principal, request, false).decision
}

fn run(workspace: &Workspace, principal: &Principal, request: &Request, explain: bool) -> Decision {
    let resource_policy = workspace.resource_policy_for(&request.resource);
    // The caller's keys, then the principal's, then the resource's (its
    // account, organization and tags), read only when a policy asks.
    let derived = principal.derived_keys();
    let of_resource = ResourceKeys::new(
        workspace,
        &request.resource,
        &principal.account,
        resource_policy,
    );
    let implied = Layered(&derived, &of_resource);
    let keys = RequestKeys::new(&request.context, &implied, request.now_epoch);
    Evaluation {
        workspace,
        principal,
        request,
        context: &keys,
        resource_policy,
        explain,
    }
    .run()
}

impl Evaluation<'_> {
    fn run(&self) -> Decision {
        let action = self.request.action.as_str();
        if action.eq_ignore_ascii_case("sts:GetCallerIdentity") {
            return self.caller_identity();
        }
        let (resource_account, owner_note) = self.resource_account();
        let same_account = resource_account == self.principal.account;
        let resource_side = self.resource_side(action);
        let mut layers = Vec::with_capacity(6);
        for layer in [
            Layer::Scp,
            Layer::Rcp,
            Layer::ResourcePolicy,
            Layer::Identity,
            Layer::Boundary,
            Layer::SessionPolicy,
        ] {
            let verdict = match layer {
                Layer::Scp => self.scp_layer(),
                Layer::Rcp => self.rcp_layer(resource_account),
                Layer::ResourcePolicy => {
                    self.resource_layer(&resource_side, same_account, &owner_note)
                }
                Layer::Identity => self.identity_layer(),
                Layer::Boundary => self.boundary_layer(),
                Layer::SessionPolicy => self.session_layer(),
            };
            // An explicit deny decides whatever the other layers say.
            if !self.explain && verdict.summary.deny {
                return self.decision(Outcome::ExplicitDeny, Vec::new(), Vec::new());
            }
            layers.push(verdict);
        }
        let (outcome, reasons) =
            self.decide(&layers, &resource_side, same_account, &self.request.action);
        self.decision(outcome, reasons, layers)
    }
}
