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

use std::sync::{Arc, OnceLock};

use super::decision::{
    Decision, Layer, LayerStatus, LayerVerdict, Outcome, PolicyName, Reason, StatementMatch,
};
use super::principal::{Boundary, Principal, PrincipalKind};
use super::scan::{scan, ScanResult, Target};
use crate::model::organization::OrgPolicyKind;
use crate::model::policy_ref::{NamedPolicy, PolicyOrigin, PolicySource};
use crate::model::{ArnParts, ResourcePolicy, Workspace};
use crate::policy::principal::NamedAs;
use crate::policy::{Effect, JsonPath, Policy, PolicyKind, RequestContext, RequestKeys};

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
    run(workspace, principal, request, true)
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

/// True when `principal`'s own side refuses the trust action `action`
/// (`sts:AssumeRole`...) on every role, whatever the role's trust policy: an
/// explicit deny covering every resource in its identity policies, boundary,
/// session policies or SCPs, or a boundary, session policy or SCP level with
/// no statement that could allow the action (a trust policy never spares
/// those). The root user assumes no role.
///
/// Sound for pruning searches: when it returns true, [`evaluate_outcome`] of
/// `action` on any role ARN, with the same context and time, is a deny. When
/// false, nothing is claimed.
pub fn refuses_every_role(
    workspace: &Workspace,
    principal: &Principal,
    action: &str,
    context: &RequestContext,
    now_epoch: i64,
) -> bool {
    if !TRUST_ACTIONS.iter().any(|t| t.eq_ignore_ascii_case(action)) {
        return false;
    }
    if principal.kind == PrincipalKind::Root {
        return true;
    }
    let derived = principal.derived_keys();
    let keys = RequestKeys::new(context, &derived, now_epoch);
    let denies_all = |policy: &NamedPolicy| {
        policy.policy.statements_for(action).any(|s| {
            s.effect == Effect::Deny
                && s.principal.is_none()
                && s.applies_to_action(action)
                && s.covers_every_resource()
                && s.condition.evaluate(&keys)
        })
    };
    let may_allow = |policy: &NamedPolicy| {
        policy.policy.statements_for(action).any(|s| {
            s.effect == Effect::Allow
                && s.applies_to_action(action)
                && s.covers_some_resource()
                && s.condition.evaluate(&keys)
        })
    };
    let boundary: &[Arc<NamedPolicy>] = match &principal.boundary {
        Some(Boundary::Policy(policy)) => std::slice::from_ref(policy),
        _ => &[],
    };
    let session_policies = principal
        .session
        .as_ref()
        .and_then(|s| s.session_policies.as_deref());
    let own_side = principal
        .identity_policies
        .iter()
        .chain(boundary)
        .chain(session_policies.unwrap_or_default());
    if own_side.clone().any(|p| denies_all(p)) {
        return true;
    }
    let boundary_refuses = match &principal.boundary {
        None => false,
        Some(Boundary::Unresolved(_)) => true,
        Some(Boundary::Policy(policy)) => !may_allow(policy),
    };
    let session_refuses =
        session_policies.is_some_and(|policies| !policies.iter().any(|p| may_allow(p)));
    boundary_refuses
        || session_refuses
        || scps_refuse_everywhere(workspace, principal, &denies_all, &may_allow)
}

/// Whether the trust policy of `role_arn` may admit `principal` for the trust
/// action `action`: one of its Allow statements names the principal and its
/// conditions hold. A necessary condition of [`evaluate_outcome`] allowing
/// `action` on the role, at a fraction of its cost (no other layer is read),
/// so searches test it first. A role not in the workspace admits no one.
pub fn trust_may_admit(
    workspace: &Workspace,
    principal: &Principal,
    action: &str,
    role_arn: &str,
    context: &RequestContext,
    now_epoch: i64,
) -> bool {
    let Some(trust) = workspace
        .role_by_arn(role_arn)
        .and_then(|(_, role)| role.trust_policy.as_ref())
    else {
        return false;
    };
    let derived = principal.derived_keys();
    let keys = RequestKeys::new(context, &derived, now_epoch);
    let target = Target {
        action,
        resource: role_arn,
        context: &keys,
        requester: principal.requester(),
        has_boundary: principal.boundary.is_some(),
        explain: false,
    };
    let mut result = ScanResult::default();
    scan(trust, Layer::ResourcePolicy, None, &target, &mut result);
    result.summary.named.is_some()
}

/// The SCP part of [`refuses_every_role`]: a level that denies on every
/// resource, or that has no statement that could allow.
fn scps_refuse_everywhere(
    workspace: &Workspace,
    principal: &Principal,
    denies_all: &dyn Fn(&NamedPolicy) -> bool,
    may_allow: &dyn Fn(&NamedPolicy) -> bool,
) -> bool {
    let Some(org) = &workspace.organization else {
        return false;
    };
    let account = principal.account.as_str();
    if principal.service_linked
        || !org.contains_account(account)
        || org.is_management_account(account)
    {
        return false;
    }
    let Some(levels) = org.account_levels(account, OrgPolicyKind::ServiceControl) else {
        return false;
    };
    levels.iter().any(|level| {
        let implied = level
            .policies
            .is_empty()
            .then(|| implied_policy(OrgPolicyKind::ServiceControl));
        let policies = || {
            implied
                .into_iter()
                .chain(level.policies.iter().map(|p| p.document.as_ref()))
        };
        policies().any(denies_all) || !policies().any(may_allow)
    })
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

    /// `sts:GetCallerIdentity` needs no permission and works even under an
    /// explicit deny (STS API reference, GetCallerIdentity).
    fn caller_identity(&self) -> Decision {
        let reasons = vec![Reason {
            layer: Layer::Identity,
            message: "sts:GetCallerIdentity needs no permission: AWS always allows it, even under an explicit deny"
                .to_string(),
            statement: None,
            policies: Vec::new(),
        }];
        self.decision(Outcome::Allow, reasons, Vec::new())
    }

    fn decision(
        &self,
        outcome: Outcome,
        reasons: Vec<Reason>,
        layers: Vec<LayerVerdict>,
    ) -> Decision {
        let aws_message = match outcome {
            Outcome::Allow => String::new(),
            _ if !self.explain => String::new(),
            _ => self.aws_message(outcome, &reasons),
        };
        Decision {
            decision: outcome,
            principal: self.principal.arn.clone(),
            action: self.request.action.clone(),
            resource: self.request.resource.clone(),
            reasons,
            layers,
            aws_message,
        }
    }

    /// The access-denied sentence AWS would print.
    fn aws_message(&self, outcome: Outcome, reasons: &[Reason]) -> String {
        let head = format!(
            "User: {} is not authorized to perform: {} on resource: {}",
            self.principal.arn, self.request.action, self.request.resource
        );
        let Some(first) = reasons.first() else {
            return head;
        };
        match outcome {
            Outcome::ExplicitDeny => {
                let phrase = first.layer.aws_phrase();
                let article = if phrase.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                };
                format!("{head} with an explicit deny in {article} {phrase}")
            }
            _ => format!(
                "{head} because no {} allows the {} action",
                first.layer.aws_phrase(),
                self.request.action
            ),
        }
    }

    /// The resource's owner. An ARN without an account that no resource policy
    /// claims is taken to be in the caller's account, and the trace says so.
    fn resource_account(&self) -> (&str, String) {
        match self.workspace.resource_account_with(
            &self.request.resource,
            &self.principal.account,
            self.resource_policy,
        ) {
            Some(account) => (account, String::new()),
            None => (
                &self.principal.account,
                self.note(|| {
                    format!(
                        "the owner of {} cannot be told (its ARN has no account and no resource policy names it); \
                         taken to be the caller's account",
                        self.request.resource
                    )
                }),
            ),
        }
    }

    /// The policies a layer consulted, for the explanation only.
    fn consulted(&self, policies: &[Arc<NamedPolicy>]) -> Vec<PolicyName> {
        if self.explain {
            policies.iter().map(|p| PolicyName::of(p)).collect()
        } else {
            Vec::new()
        }
    }

    /// A note for the explanation, written only when one is wanted: the
    /// outcome-only path (who-can's thousands of questions) allocates none.
    fn note(&self, write: impl FnOnce() -> String) -> String {
        if self.explain {
            write()
        } else {
            String::new()
        }
    }

    fn resource_side(&self, action: &str) -> ResourceSide<'_> {
        let resource = &self.request.resource;
        if TRUST_ACTIONS.iter().any(|t| t.eq_ignore_ascii_case(action)) {
            if let Ok(arn) = ArnParts::parse(resource) {
                if arn.service == "iam" && arn.resource.starts_with("role/") {
                    let (policy, absent_note) = match self.workspace.role_by_arn(resource) {
                        Some((_, role)) => (
                            role.trust_policy.as_ref(),
                            self.note(|| format!("role {} has no trust policy", role.name)),
                        ),
                        None => (
                            None,
                            self.note(|| format!("role {resource} is not in the workspace, so its trust policy is unknown")),
                        ),
                    };
                    return ResourceSide {
                        policy,
                        kind: ResourcePolicyKind::Trust,
                        absent_note,
                    };
                }
            }
        }
        let policy = self.resource_policy.map(|rp| &rp.document);
        let is_key = ArnParts::parse(resource)
            .is_ok_and(|arn| arn.service == "kms" && arn.resource.starts_with("key/"));
        ResourceSide {
            policy,
            kind: if is_key {
                ResourcePolicyKind::KeyPolicy
            } else {
                ResourcePolicyKind::Ordinary
            },
            absent_note: self.note(|| {
                if is_key {
                    format!("no key policy for {resource} in the workspace")
                } else {
                    "no resource-based policy in the workspace applies to this resource".to_string()
                }
            }),
        }
    }

    fn scp_layer(&self) -> LayerVerdict {
        let exemption = self.org_exemption(&self.principal.account, "SCPs");
        self.org_layer(Layer::Scp, &self.principal.account, exemption)
    }

    fn rcp_layer(&self, resource_account: &str) -> LayerVerdict {
        let service = self.request.action.split(':').next().unwrap_or_default();
        let exemption = if !RCP_SERVICES.iter().any(|s| s.eq_ignore_ascii_case(service)) {
            Some(self.note(|| {
                format!(
                    "RCPs do not govern {} resources",
                    service.to_ascii_lowercase()
                )
            }))
        } else {
            self.org_exemption(resource_account, "RCPs")
        };
        self.org_layer(Layer::Rcp, resource_account, exemption)
    }

    /// Why the organization's policies do not apply, if they do not.
    fn org_exemption(&self, account: &str, what: &str) -> Option<String> {
        let Some(org) = &self.workspace.organization else {
            return Some(self.note(|| "no organization in the workspace".to_string()));
        };
        if !org.contains_account(account) {
            return Some(self.note(|| format!("account {account} is not in the organization")));
        }
        if org.is_management_account(account) {
            return Some(self.note(|| format!("{what} do not apply to the management account")));
        }
        if self.principal.service_linked {
            return Some(self.note(|| format!("{what} do not apply to service-linked roles")));
        }
        None
    }

    /// Every level (root, OUs, account) must allow; see the comment on implied policies.
    fn org_layer(&self, layer: Layer, account: &str, exemption: Option<String>) -> LayerVerdict {
        if let Some(note) = exemption {
            return not_applicable(layer, note);
        }
        let org = match &self.workspace.organization {
            Some(org) => org,
            None => return not_applicable(layer, self.note(|| "no organization".to_string())),
        };
        let kind = match layer {
            Layer::Scp => OrgPolicyKind::ServiceControl,
            _ => OrgPolicyKind::ResourceControl,
        };
        let Some(levels) = org.account_levels(account, kind) else {
            return not_applicable(
                layer,
                self.note(|| format!("account {account} is not in the organization")),
            );
        };
        let target = self.target();
        let mut result = ScanResult::default();
        let mut missing = Vec::new();
        for level in levels {
            let mut level_result = ScanResult::default();
            // A level with no SCP listed carries FullAWSAccess (AWS never leaves a
            // level empty); RCPFullAWSAccess is on every level and cannot be detached.
            if level.policies.is_empty() || layer == Layer::Rcp {
                scan(
                    implied_policy(kind),
                    layer,
                    Some(&level.label),
                    &target,
                    &mut level_result,
                );
            }
            for policy in &level.policies {
                scan(
                    &policy.document,
                    layer,
                    Some(&level.label),
                    &target,
                    &mut level_result,
                );
            }
            if !level_result.has(Effect::Allow) {
                missing.push(level.label.as_str());
            }
            result.extend(level_result);
        }
        let status = if result.has(Effect::Deny) {
            LayerStatus::Denies
        } else if missing.is_empty() {
            LayerStatus::Allows
        } else {
            LayerStatus::NoAllow
        };
        let note = self.note(|| match status {
            LayerStatus::NoAllow => format!(
                "no {} allows the action at: {}",
                layer.aws_phrase(),
                missing.join(", ")
            ),
            LayerStatus::Denies => format!("a {} denies the action", layer.aws_phrase()),
            _ => format!(
                "every level allows ({})",
                levels
                    .iter()
                    .map(|l| l.label.as_str())
                    .collect::<Vec<_>>()
                    .join(" → ")
            ),
        });
        verdict(layer, status, note, result)
    }

    fn resource_layer(
        &self,
        side: &ResourceSide,
        same_account: bool,
        owner_note: &str,
    ) -> LayerVerdict {
        let Some(policy) = side.policy else {
            let note = self.note(|| match owner_note {
                "" => side.absent_note.clone(),
                _ => format!("{}; {owner_note}", side.absent_note),
            });
            let status = if side.kind != ResourcePolicyKind::Ordinary || !same_account {
                LayerStatus::NoAllow
            } else {
                LayerStatus::NotApplicable
            };
            return LayerVerdict {
                layer: Layer::ResourcePolicy,
                status,
                note,
                matches: Vec::new(),
                near_misses: Vec::new(),
                policies: Vec::new(),
                summary: Default::default(),
            };
        };
        let mut result = ScanResult::default();
        scan(
            policy,
            Layer::ResourcePolicy,
            None,
            &self.target(),
            &mut result,
        );
        let consulted = self.consulted(std::slice::from_ref(policy));
        let status = status_of(&result);
        let note = self.note(|| match (status, result.summary.named) {
            (LayerStatus::Denies, _) => format!("{} denies", policy.origin.name),
            (LayerStatus::Allows, Some(named)) => {
                format!("{} allows; it {}", policy.origin.name, named.describe())
            }
            _ => format!(
                "{} has no statement that allows this principal",
                policy.origin.name
            ),
        });
        verdict(Layer::ResourcePolicy, status, note, result).with_policies(consulted)
    }

    fn identity_layer(&self) -> LayerVerdict {
        if self.principal.kind == PrincipalKind::Root {
            return LayerVerdict {
                layer: Layer::Identity,
                status: LayerStatus::Allows,
                note: self
                    .note(|| "the root user has every permission in its own account".to_string()),
                matches: Vec::new(),
                near_misses: Vec::new(),
                policies: Vec::new(),
                summary: Default::default(),
            };
        }
        let target = self.target();
        let mut result = ScanResult::default();
        for policy in &self.principal.identity_policies {
            scan(policy, Layer::Identity, None, &target, &mut result);
        }
        let status = status_of(&result);
        let note = self.note(|| {
            let mut note = match status {
                LayerStatus::Allows => "an identity-based policy allows the action".to_string(),
                LayerStatus::Denies => "an identity-based policy denies the action".to_string(),
                _ => match self.principal.identity_policies.len() {
                    0 => "the principal has no identity-based policy".to_string(),
                    1 => "its one identity-based policy does not allow the action".to_string(),
                    n => format!("none of its {n} identity-based policies allows the action"),
                },
            };
            if !self.principal.unresolved_policies.is_empty() {
                note.push_str(&format!(
                    "; attached but unresolved (granting nothing): {}",
                    self.principal.unresolved_policies.join(", ")
                ));
            }
            note
        });
        let consulted = self.consulted(&self.principal.identity_policies);
        verdict(Layer::Identity, status, note, result).with_policies(consulted)
    }

    fn boundary_layer(&self) -> LayerVerdict {
        match &self.principal.boundary {
            None => not_applicable(Layer::Boundary, self.note(|| "no permissions boundary".to_string())),
            Some(Boundary::Unresolved(arn)) => LayerVerdict {
                layer: Layer::Boundary,
                status: LayerStatus::NoAllow,
                note: self.note(|| format!("the boundary {arn} is defined nowhere: a boundary that cannot be read allows nothing")),
                matches: Vec::new(),
                near_misses: Vec::new(),
                policies: Vec::new(),
                summary: Default::default(),
            },
            Some(Boundary::Policy(policy)) => {
                let mut result = ScanResult::default();
                scan(policy, Layer::Boundary, None, &self.target(), &mut result);
                let status = status_of(&result);
                let note = self.note(|| match status {
                    LayerStatus::Allows => format!("the boundary {} allows the action", policy.origin.name),
                    LayerStatus::Denies => format!("the boundary {} denies the action", policy.origin.name),
                    _ => format!("the boundary {} does not allow the action", policy.origin.name),
                });
                verdict(Layer::Boundary, status, note, result).with_policies(self.consulted(std::slice::from_ref(policy)))
            }
        }
    }

    fn session_layer(&self) -> LayerVerdict {
        let Some(session) = &self.principal.session else {
            return not_applicable(
                Layer::SessionPolicy,
                self.note(|| "not a session".to_string()),
            );
        };
        let Some(policies) = &session.session_policies else {
            return not_applicable(
                Layer::SessionPolicy,
                self.note(|| {
                    "no session policy: the session has the role's permissions".to_string()
                }),
            );
        };
        let target = self.target();
        let mut result = ScanResult::default();
        for policy in policies {
            scan(policy, Layer::SessionPolicy, None, &target, &mut result);
        }
        let status = status_of(&result);
        let note = self.note(|| {
            match status {
                LayerStatus::Allows => "the session policy allows the action",
                LayerStatus::Denies => "the session policy denies the action",
                _ => "the session policy does not allow the action",
            }
            .to_string()
        });
        let consulted = self.consulted(policies);
        verdict(Layer::SessionPolicy, status, note, result).with_policies(consulted)
    }

    /// Combines the layers as AWS's flow chart does.
    fn decide(
        &self,
        layers: &[LayerVerdict],
        side: &ResourceSide,
        same_account: bool,
        action: &str,
    ) -> (Outcome, Vec<Reason>) {
        let get = |layer: Layer| layers.iter().find(|l| l.layer == layer);
        if !self.explain && layers.iter().any(|l| l.summary.deny) {
            return (Outcome::ExplicitDeny, Vec::new());
        }
        let denies: Vec<Reason> = layers
            .iter()
            .flat_map(|l| l.matches.iter())
            .filter(|m| m.effect == Effect::Deny)
            .map(|m| Reason {
                layer: m.layer,
                message: format!(
                    "explicit deny in {} ({}){}",
                    m.policy,
                    m.statement().label(),
                    level_suffix(m)
                ),
                statement: Some(m.clone()),
                policies: Vec::new(),
            })
            .collect();
        if !denies.is_empty() {
            return (Outcome::ExplicitDeny, denies);
        }
        for gate in [Layer::Rcp, Layer::Scp] {
            if let Some(l) = get(gate).filter(|l| l.status == LayerStatus::NoAllow) {
                return (Outcome::ImplicitDeny, vec![reason(gate, l.note.clone())]);
            }
        }
        if self.principal.kind == PrincipalKind::Root && side.kind == ResourcePolicyKind::Trust {
            return (
                Outcome::ImplicitDeny,
                vec![reason(
                    Layer::Identity,
                    "the root user cannot assume roles".to_string(),
                )],
            );
        }
        let allows = |layer: Layer| get(layer).is_some_and(|l| l.status == LayerStatus::Allows);
        let passes = |layer: Layer| {
            get(layer).is_some_and(|l| {
                matches!(l.status, LayerStatus::Allows | LayerStatus::NotApplicable)
            })
        };
        let resource_layer = get(Layer::ResourcePolicy);
        let named = resource_layer.and_then(|l| l.summary.named);

        let mut missing = Vec::new();
        let need = |layer: Layer, ok: bool, missing: &mut Vec<Reason>| {
            if !ok && !self.explain {
                missing.push(reason(layer, String::new()));
            } else if !ok {
                let note = get(layer).map(|l| l.note.clone()).unwrap_or_default();
                let mut message = format!(
                    "no {} allows the {action} action: {note}",
                    layer.aws_phrase()
                );
                // The usual answer to "but the policy says Allow": a condition that did not hold.
                for miss in get(layer)
                    .map(|l| l.near_misses.as_slice())
                    .unwrap_or_default()
                {
                    if miss.effect == Effect::Allow {
                        let label = miss.statement().label();
                        message.push_str(&format!(
                            "; {} ({label}) would allow it if {}",
                            miss.policy,
                            miss.failed_conditions.join(" and ")
                        ));
                    }
                }
                let mut r = reason(layer, message);
                r.policies = get(layer).map(|l| l.policies.clone()).unwrap_or_default();
                missing.push(r);
            }
        };
        let must_allow = side.kind != ResourcePolicyKind::Ordinary;
        if must_allow || !same_account {
            need(Layer::ResourcePolicy, named.is_some(), &mut missing);
        }
        let chain_needs_identity = match (same_account, named) {
            // A grant to the user, the session or everyone stands on its own;
            // a trust policy naming the caller still needs the caller's boundary
            // to allow sts:AssumeRole (IAM User Guide, "Modifying a role trust policy").
            (true, Some(NamedAs::Itself | NamedAs::Everyone)) => {
                if side.kind == ResourcePolicyKind::Trust {
                    need(Layer::Boundary, passes(Layer::Boundary), &mut missing);
                    need(
                        Layer::SessionPolicy,
                        passes(Layer::SessionPolicy),
                        &mut missing,
                    );
                }
                false
            }
            // A grant to the role is still limited by boundary and session policy.
            (true, Some(NamedAs::Role)) => {
                need(Layer::Boundary, passes(Layer::Boundary), &mut missing);
                need(
                    Layer::SessionPolicy,
                    passes(Layer::SessionPolicy),
                    &mut missing,
                );
                false
            }
            _ => true,
        };
        if chain_needs_identity {
            need(Layer::Identity, allows(Layer::Identity), &mut missing);
            need(Layer::Boundary, passes(Layer::Boundary), &mut missing);
            need(
                Layer::SessionPolicy,
                passes(Layer::SessionPolicy),
                &mut missing,
            );
        }
        if !missing.is_empty() {
            return (Outcome::ImplicitDeny, missing);
        }
        if !self.explain {
            return (Outcome::Allow, Vec::new());
        }
        (Outcome::Allow, allow_reasons(layers))
    }
}

/// The statements that granted, layer by layer.
fn allow_reasons(layers: &[LayerVerdict]) -> Vec<Reason> {
    let mut reasons = Vec::new();
    for l in layers {
        if l.status != LayerStatus::Allows {
            continue;
        }
        // Gates passed by AWS's default full-access policies go without saying.
        if l.matches.iter().all(|m| m.implied) && matches!(l.layer, Layer::Scp | Layer::Rcp) {
            continue;
        }
        match l
            .matches
            .iter()
            .find(|m| m.effect == Effect::Allow && !m.implied)
        {
            Some(m) => reasons.push(Reason {
                layer: l.layer,
                message: format!(
                    "allowed by {} ({}){}",
                    m.policy,
                    m.statement().label(),
                    level_suffix(m)
                ),
                statement: Some(m.clone()),
                policies: Vec::new(),
            }),
            None => reasons.push(reason(l.layer, l.note.clone())),
        }
    }
    reasons
}

fn level_suffix(m: &StatementMatch) -> String {
    m.level
        .as_ref()
        .map(|l| format!(" at {l}"))
        .unwrap_or_default()
}

fn reason(layer: Layer, message: String) -> Reason {
    Reason {
        layer,
        message,
        statement: None,
        policies: Vec::new(),
    }
}

fn status_of(result: &ScanResult) -> LayerStatus {
    if result.has(Effect::Deny) {
        LayerStatus::Denies
    } else if result.has(Effect::Allow) {
        LayerStatus::Allows
    } else {
        LayerStatus::NoAllow
    }
}

fn verdict(layer: Layer, status: LayerStatus, note: String, result: ScanResult) -> LayerVerdict {
    LayerVerdict {
        layer,
        status,
        note,
        matches: result.matches,
        near_misses: result.near_misses,
        policies: Vec::new(),
        summary: result.summary,
    }
}

fn not_applicable(layer: Layer, note: String) -> LayerVerdict {
    LayerVerdict {
        layer,
        status: LayerStatus::NotApplicable,
        note,
        matches: Vec::new(),
        near_misses: Vec::new(),
        policies: Vec::new(),
        summary: Default::default(),
    }
}

/// AWS's default `FullAWSAccess` / `RCPFullAWSAccess`, which a level without
/// any listed policy carries; built once.
fn implied_policy(kind: OrgPolicyKind) -> &'static NamedPolicy {
    static SCP: OnceLock<NamedPolicy> = OnceLock::new();
    static RCP: OnceLock<NamedPolicy> = OnceLock::new();
    let (cell, name, policy_kind) = match kind {
        OrgPolicyKind::ServiceControl => (&SCP, "FullAWSAccess", PolicyKind::Scp),
        OrgPolicyKind::ResourceControl => (&RCP, "RCPFullAWSAccess", PolicyKind::Rcp),
    };
    cell.get_or_init(|| NamedPolicy {
        origin: PolicyOrigin {
            file: Arc::from("(attached by AWS by default)"),
            path: JsonPath::root(),
            name: format!("{name} (implied: AWS attaches it by default)"),
            arn: None,
            source: PolicySource::Implied,
        },
        kind: policy_kind,
        policy: Policy::allow_all(policy_kind),
    })
}
