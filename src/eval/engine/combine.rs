//! Combining the layers' verdicts into the outcome, as AWS's flow chart does.
//!
//! Sources: IAM User Guide, "Policy evaluation logic" (the deny/allow flow,
//! with RCPs), "Cross-account policy evaluation logic", "Permissions
//! boundaries" (effective permissions), and Organizations, "SCP evaluation".

use super::explain::{allow_reasons, level_suffix, reason};
use super::request::{Evaluation, ResourcePolicyKind, ResourceSide};
use crate::eval::decision::{Decision, Layer, LayerStatus, LayerVerdict, Outcome, Reason};
use crate::eval::principal::PrincipalKind;
use crate::policy::principal::NamedAs;
use crate::policy::Effect;

impl Evaluation<'_> {
    /// `sts:GetCallerIdentity` needs no permission and works even under an
    /// explicit deny (STS API reference, GetCallerIdentity).
    #[inline]
    pub(super) fn caller_identity(&self) -> Decision {
        let reasons = vec![Reason {
            layer: Layer::Identity,
            message: "sts:GetCallerIdentity needs no permission: AWS always allows it, even under an explicit deny"
                .to_string(),
            statement: None,
            policies: Vec::new(),
        }];
        self.decision(Outcome::Allow, reasons, Vec::new())
    }

    /// Combines the layers as AWS's flow chart does.
    #[inline]
    pub(super) fn decide(
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
