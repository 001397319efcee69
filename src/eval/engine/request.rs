//! The request, and what one evaluation of it carries: the state every file
//! of the engine works on ([`Evaluation`]), the resource-based policy side
//! ([`ResourceSide`]) and the AWS facts the layers share (which services RCPs
//! govern, which actions a trust policy authorizes). It names nothing of its
//! parent or siblings, so each of them can use it.

use std::sync::Arc;

use crate::eval::principal::Principal;
use crate::eval::scan::Target;
use crate::model::policy_ref::NamedPolicy;
use crate::model::{ResourcePolicy, Workspace};
use crate::policy::{RequestContext, RequestKeys};

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
pub(super) const RCP_SERVICES: [&str; 5] = ["s3", "sts", "kms", "sqs", "secretsmanager"];

/// Actions authorized by the role's trust policy.
pub(super) const TRUST_ACTIONS: [&str; 5] = [
    "sts:assumerole",
    "sts:assumerolewithsaml",
    "sts:assumerolewithwebidentity",
    "sts:tagsession",
    "sts:setsourceidentity",
];

pub(super) struct Evaluation<'a> {
    pub(super) workspace: &'a Workspace,
    pub(super) principal: &'a Principal,
    pub(super) request: &'a Request,
    pub(super) context: &'a RequestKeys<'a>,
    /// The resource-based policy governing the resource, looked up once.
    pub(super) resource_policy: Option<&'a ResourcePolicy>,
    pub(super) explain: bool,
}

/// The resource-based policy of the request, and whether it must allow.
pub(super) struct ResourceSide<'a> {
    pub(super) policy: Option<&'a Arc<NamedPolicy>>,
    pub(super) kind: ResourcePolicyKind,
    /// Where there is none, why.
    pub(super) absent_note: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ResourcePolicyKind {
    Ordinary,
    /// A role's trust policy: must always allow explicitly.
    Trust,
    /// A KMS key policy: must always allow explicitly.
    KeyPolicy,
}

impl Evaluation<'_> {
    #[inline]
    pub(super) fn target(&self) -> Target<'_> {
        Target {
            action: &self.request.action,
            resource: &self.request.resource,
            context: self.context,
            requester: self.principal.requester(),
            has_boundary: self.principal.boundary.is_some(),
            explain: self.explain,
        }
    }
}
