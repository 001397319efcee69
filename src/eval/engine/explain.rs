//! Building the explanation: the decision with its reasons, the sentence AWS
//! would print, and the notes and policy names each layer reports. The
//! outcome-only path (`explain == false`) skips all of it.

use std::sync::Arc;

use super::request::Evaluation;
use crate::eval::decision::{
    Decision, Layer, LayerStatus, LayerVerdict, Outcome, PolicyName, Reason, StatementMatch,
};
use crate::model::policy_ref::NamedPolicy;
use crate::policy::Effect;

impl Evaluation<'_> {
    #[inline]
    pub(super) fn decision(
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
            refused: None,
            owner_unknown: None,
        }
    }

    /// The access-denied sentence AWS would print.
    #[inline]
    pub(super) fn aws_message(&self, outcome: Outcome, reasons: &[Reason]) -> String {
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

    /// The policies a layer consulted, for the explanation only.
    #[inline]
    pub(super) fn consulted(&self, policies: &[Arc<NamedPolicy>]) -> Vec<PolicyName> {
        if self.explain {
            policies.iter().map(|p| PolicyName::of(p)).collect()
        } else {
            Vec::new()
        }
    }

    /// A note for the explanation, written only when one is wanted: the
    /// outcome-only path (who-can's thousands of questions) allocates none.
    #[inline]
    pub(super) fn note(&self, write: impl FnOnce() -> String) -> String {
        if self.explain {
            write()
        } else {
            String::new()
        }
    }
}

/// The statements that granted, layer by layer.
#[inline]
pub(super) fn allow_reasons(layers: &[LayerVerdict]) -> Vec<Reason> {
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

#[inline]
pub(super) fn level_suffix(m: &StatementMatch) -> String {
    m.level
        .as_ref()
        .map(|l| format!(" at {l}"))
        .unwrap_or_default()
}

#[inline]
pub(super) fn reason(layer: Layer, message: String) -> Reason {
    Reason {
        layer,
        message,
        statement: None,
        policies: Vec::new(),
    }
}
