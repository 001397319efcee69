//! The answer to "may this principal do this?": an outcome, the statements
//! that decided it, and what each layer of the evaluation said.

use serde::Serialize;

use crate::policy::principal::NamedAs;
use crate::policy::statement::StatementRef;
use crate::policy::Effect;

/// The three outcomes AWS distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Outcome {
    Allow,
    /// A `Deny` statement matched somewhere: nothing can override it.
    ExplicitDeny,
    /// Nothing denied, but a required allow was missing (the default).
    ImplicitDeny,
}

impl Outcome {
    pub fn is_allowed(self) -> bool {
        self == Outcome::Allow
    }
}

/// The policy types of AWS's evaluation logic, in the order the tool shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Layer {
    /// Service control policies of the principal's account.
    Scp,
    /// Resource control policies of the resource's account.
    Rcp,
    /// The resource-based policy (a bucket policy, a role's trust policy...).
    ResourcePolicy,
    /// The principal's identity-based policies.
    Identity,
    /// The principal's permissions boundary.
    Boundary,
    /// The session policies passed when the session started.
    SessionPolicy,
}

impl Layer {
    pub fn title(self) -> &'static str {
        match self {
            Layer::Scp => "SCPs",
            Layer::Rcp => "RCPs",
            Layer::ResourcePolicy => "Resource policy",
            Layer::Identity => "Identity policies",
            Layer::Boundary => "Permissions boundary",
            Layer::SessionPolicy => "Session policy",
        }
    }

    /// The phrase AWS's access-denied messages use for this policy type
    /// (IAM User Guide, "Troubleshoot access denied error messages").
    pub fn aws_phrase(self) -> &'static str {
        match self {
            Layer::Scp => "service control policy",
            Layer::Rcp => "resource control policy",
            Layer::ResourcePolicy => "resource-based policy",
            Layer::Identity => "identity-based policy",
            Layer::Boundary => "permissions boundary",
            Layer::SessionPolicy => "session policy",
        }
    }
}

/// A statement that applied to the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementMatch {
    pub layer: Layer,
    /// For SCPs and RCPs, the organization level (root, OU, account).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    pub file: String,
    pub policy: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_arn: Option<String>,
    /// 0-based index in the policy's statement list.
    pub statement_index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    pub effect: Effect,
    /// The Action entry that matched.
    pub action: String,
    /// The Resource entry that matched.
    pub resource: String,
    /// The conditions that held, in words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// For resource-based policies: how the principal was named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<NamedAs>,
    /// The statement belongs to a policy AWS attaches by default
    /// (`FullAWSAccess`), which explanations need not dwell on.
    #[serde(skip)]
    pub implied: bool,
}

impl StatementMatch {
    /// Which statement matched, for naming it.
    pub fn statement(&self) -> StatementRef<'_> {
        StatementRef {
            index: self.statement_index,
            sid: self.sid.as_deref(),
        }
    }

    /// `Sid "X"` or `statement #3`: see [`StatementRef::label`]. Kept as a
    /// shorthand for the TUI's explanation overlay.
    pub fn statement_label(&self) -> String {
        self.statement().label()
    }
}

/// A statement that would have applied but for its conditions: the usual
/// answer to "why is this denied when the policy says Allow?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NearMiss {
    pub layer: Layer,
    pub file: String,
    pub policy: String,
    pub statement_index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    pub effect: Effect,
    /// The conditions that did not hold, in words.
    pub failed_conditions: Vec<String>,
    /// The condition keys of those conditions, to tell a key the context
    /// does not give from one it gives another value.
    #[serde(skip)]
    pub failed_keys: Vec<String>,
}

impl NearMiss {
    /// Which statement nearly applied, for naming it.
    pub fn statement(&self) -> StatementRef<'_> {
        StatementRef {
            index: self.statement_index,
            sid: self.sid.as_deref(),
        }
    }
}

/// A policy a layer consulted, named for explanations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyName {
    pub file: String,
    pub policy: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_arn: Option<String>,
}

impl PolicyName {
    pub fn of(policy: &crate::model::NamedPolicy) -> Self {
        PolicyName {
            file: policy.origin.file.to_string(),
            policy: policy.origin.name.clone(),
            policy_arn: policy.origin.arn.clone(),
        }
    }
}

/// How a decision read a resource whose owner the workspace cannot tell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnerAssumption {
    /// The account it was taken to be in: the caller's.
    pub assumed_owner: String,
    /// The outcome if the resource is in any other account.
    pub if_another_account: Outcome,
}

/// What one layer said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LayerStatus {
    /// The layer has an applicable Allow (at every level, for SCPs and RCPs).
    Allows,
    /// The layer has an applicable Deny.
    Denies,
    /// The layer has no applicable Allow.
    NoAllow,
    /// The layer does not take part (no boundary, not a session, outside an organization...).
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayerVerdict {
    pub layer: Layer,
    pub status: LayerStatus,
    /// A sentence for people: why the layer says what it says.
    pub note: String,
    pub matches: Vec<StatementMatch>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub near_misses: Vec<NearMiss>,
    /// The policies the layer weighed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<PolicyName>,
    /// Allow / deny / how a resource policy named the principal, kept even
    /// when no explanation is built.
    #[serde(skip)]
    pub summary: Summary,
}

/// Whether any statement allowed or denied, and how the strongest allowing
/// resource-policy statement named the principal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub allow: bool,
    pub deny: bool,
    pub named: Option<NamedAs>,
}

impl Summary {
    #[inline]
    pub(super) fn add(&mut self, effect: Effect, named: Option<NamedAs>) {
        match effect {
            Effect::Allow => {
                self.allow = true;
                if let Some(n) = named {
                    self.named = Some(self.named.map_or(n, |best| best.min(n)));
                }
            }
            Effect::Deny => self.deny = true,
        }
    }

    #[inline]
    pub(super) fn merge(&mut self, other: Summary) {
        self.allow |= other.allow;
        self.deny |= other.deny;
        if let Some(n) = other.named {
            self.named = Some(self.named.map_or(n, |best| best.min(n)));
        }
    }
}

/// Why the outcome is what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub layer: Layer,
    pub message: String,
    /// The deciding statement (an explicit deny, or an allow).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<StatementMatch>,
    /// For an implicit deny: the policies of the layer, none of which allowed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<PolicyName>,
}

/// The decision with its reasons and the full trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub decision: Outcome,
    pub principal: String,
    pub action: String,
    pub resource: String,
    pub reasons: Vec<Reason>,
    /// Every layer, in evaluation order.
    pub layers: Vec<LayerVerdict>,
    /// The sentence AWS would print on a denial; empty on Allow.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub aws_message: String,
    /// The service refuses the request whatever the policies say (an AWS
    /// managed policy changed, a protected role, another account's KMS key
    /// administered…): the decision above is still what the policies say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<super::refusal::Refusal>,
    /// The resource's owner could not be told, and the answer took it to be
    /// the caller's account: the answer were it another's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_unknown: Option<OwnerAssumption>,
}

impl LayerVerdict {
    /// The same verdict, naming the policies the layer weighed.
    pub fn with_policies(mut self, policies: Vec<PolicyName>) -> Self {
        self.policies = policies;
        self
    }
}

impl Decision {
    /// Whether the request would succeed: the policies allow it and the
    /// service does not refuse it. A refusal never turns a denial into an
    /// allow.
    pub fn succeeds(&self) -> bool {
        self.decision.is_allowed() && self.refused.is_none()
    }

    pub fn layer(&self, layer: Layer) -> Option<&LayerVerdict> {
        self.layers.iter().find(|l| l.layer == layer)
    }
}
