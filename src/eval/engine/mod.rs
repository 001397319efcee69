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
mod shortcuts;

use super::refusal::refusal;
use std::sync::Arc;

use super::decision::{Decision, Layer, Outcome};
use super::principal::Principal;
use super::scan::Target;
use crate::model::policy_ref::NamedPolicy;
use crate::model::{ResourcePolicy, Workspace};
use crate::policy::{RequestContext, RequestKeys};

pub use shortcuts::{refuses_every_role, trust_may_admit};

/// A request to evaluate.
#[derive(Debug, Clone)]
pub struct Request {
    pub action: String,
    /// A resource ARN, or `*`.
    pub resource: String,
    /// Keys given by the user; the engine adds those it derives from the principal.
    pub context: RequestContext,
    /// Seconds since the epoch: the request's time (`aws:CurrentTime`).
    pub now_epoch: i64,
}

/// Services whose resources RCPs govern (Organizations, "Resource control
/// policies": S3, STS, KMS, SQS, Secrets Manager).
const RCP_SERVICES: [&str; 5] = ["s3", "sts", "kms", "sqs", "secretsmanager"];

/// Actions authorized by the role's trust policy.
const TRUST_ACTIONS: [&str; 5] = [
    "sts:assumerole",
    "sts:assumerolewithsaml",
    "sts:assumerolewithwebidentity",
    "sts:tagsession",
    "sts:setsourceidentity",
];

/// Evaluates `request` made by `principal`, with the full explanation.
pub fn evaluate(workspace: &Workspace, principal: &Principal, request: &Request) -> Decision {
    let mut decision = run(workspace, principal, request, true);
    decision.refused = refusal(principal, &request.action, &request.resource);
    decision
}

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
    let derived = principal.derived_keys();
    let keys = RequestKeys::new(&request.context, &derived, request.now_epoch);
    Evaluation {
        workspace,
        principal,
        request,
        context: &keys,
        resource_policy: workspace.resource_policy_for(&request.resource),
        explain,
    }
    .run()
}

struct Evaluation<'a> {
    workspace: &'a Workspace,
    principal: &'a Principal,
    request: &'a Request,
    context: &'a RequestKeys<'a>,
    /// The resource-based policy governing the resource, looked up once.
    resource_policy: Option<&'a ResourcePolicy>,
    explain: bool,
}

/// The resource-based policy of the request, and whether it must allow.
struct ResourceSide<'a> {
    policy: Option<&'a Arc<NamedPolicy>>,
    kind: ResourcePolicyKind,
    /// Where there is none, why.
    absent_note: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ResourcePolicyKind {
    Ordinary,
    /// A role's trust policy: must always allow explicitly.
    Trust,
    /// A KMS key policy: must always allow explicitly.
    KeyPolicy,
}

impl Evaluation<'_> {
    fn target(&self) -> Target<'_> {
        Target {
            action: &self.request.action,
            resource: &self.request.resource,
            context: self.context,
            requester: self.principal.requester(),
            has_boundary: self.principal.boundary.is_some(),
            explain: self.explain,
        }
    }

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
