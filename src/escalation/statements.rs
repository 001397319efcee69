//! Steps in the report's words, each request with the statements that
//! allow it (the evaluator's explanation, asked once per step shown).

use super::admin::full_grant;
use super::graph::Graph;
use super::hops::{rewritten_trust_workspace, Hop, Target};
use super::report::{Step, StepRequest, StepStatement};
use super::routes;
use crate::eval::{evaluate, Layer, LayerStatus};
use crate::policy::statement::StatementRef;

/// A report step from a search step.
pub(super) fn step(graph: &Graph, hop: &Hop) -> Step {
    let from = &graph.nodes[hop.from];
    let mut via: Vec<String> = Vec::new();
    let mut statements = Vec::new();
    let mut requests = Vec::new();
    for call in &hop.calls {
        if !via.iter().any(|a| a == call.action) {
            via.push(call.action.to_string());
        }
        let keys = call.keys();
        let request = graph.asker.request(
            from.principal(),
            call.action,
            &call.resource,
            &keys,
            call.mfa,
        );
        requests.push(StepRequest {
            action: request.action.clone(),
            resource: request.resource.clone(),
            context: request.context.clone(),
        });
        let decision = if call.rewritten_trust {
            let Target::Node(t) = hop.to else { continue };
            match rewritten_trust_workspace(graph.workspace, &graph.nodes[t], &from.entity_arn) {
                Some(ws) => evaluate(&ws, from.principal(), &request),
                None => continue,
            }
        } else {
            evaluate(graph.workspace, from.principal(), &request)
        };
        for layer in &decision.layers {
            let grants = matches!(layer.layer, Layer::Identity | Layer::ResourcePolicy)
                && layer.status == LayerStatus::Allows;
            if !grants {
                continue;
            }
            for m in layer
                .matches
                .iter()
                .filter(|m| m.effect == crate::policy::Effect::Allow)
            {
                statements.push(StepStatement {
                    action: call.action.to_string(),
                    resource: call.resource.clone(),
                    policy: m.policy.clone(),
                    statement: m.statement_label(),
                    file: m.file.clone(),
                });
            }
        }
    }
    Step {
        from: from.entity_arn.clone(),
        to: match hop.to {
            Target::Admin => "admin".to_string(),
            Target::Node(t) => graph.nodes[t].entity_arn.clone(),
        },
        via,
        needs: hop.needs.join("; "),
        method: hop.method.id,
        note: hop.note.clone(),
        statements,
        requests,
    }
}

/// The step of a principal that is admin already: its grant of everything.
/// Its request is the first admin probe ([`super::admin::PROBES`]), as the
/// admin check asked it: a "why" of it shows the grant at work.
pub(super) fn already_admin(graph: &Graph, i: usize, _: &()) -> Step {
    let node = &graph.nodes[i];
    let probe = super::admin::PROBES[0];
    let request = graph
        .asker
        .request(node.principal(), probe, "*", &[], false);
    let statements = full_grant(node.principal())
        .map(|(policy, index)| {
            let sid = policy
                .policy
                .statements
                .iter()
                .find(|s| s.index == index)
                .and_then(|s| s.sid.as_deref());
            vec![StepStatement {
                action: "*".into(),
                resource: "*".into(),
                policy: policy.origin.name.clone(),
                statement: StatementRef { index, sid }.label(),
                file: policy.origin.file.to_string(),
            }]
        })
        .unwrap_or_default();
    Step {
        from: node.entity_arn.clone(),
        to: "admin".into(),
        via: Vec::new(),
        needs: String::new(),
        method: routes::FULL_ACCESS.id,
        note: routes::FULL_ACCESS.title.to_string(),
        statements,
        requests: vec![StepRequest {
            action: request.action,
            resource: request.resource,
            context: request.context,
        }],
    }
}
