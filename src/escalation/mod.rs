//! Privilege escalation: which users and roles can become admin, and by
//! which path (issue 14).
//!
//! A principal *escalates* when a chain of steps, each one a request the
//! engine allows, takes it from its own permissions to those of an
//! administrator. The steps are the publicly documented methods (Rhino
//! Security Labs, "AWS IAM Privilege Escalation – Methods and Mitigation";
//! BishopFox "IAM Vulnerable"; nccgroup PMapper's edge checks): assuming a
//! role, taking over a user's credentials, rewriting a policy, passing a
//! role to a service that runs code as it, or using a resource that already
//! runs as a role. [`routes`] lists them with their sources.
//!
//! Every step is asked of the real evaluator ([`crate::eval::evaluate_outcome`])
//! for its exact actions, on the exact resource ARNs and with the request
//! keys the call carries (`iam:PassedToService`, `iam:PolicyARN`), so
//! explicit denies, boundaries, SCPs, resource constraints and conditions
//! all count. A step that needs something a dump cannot show (an existing
//! function, a console password, an MFA device) is *conditional*, and says
//! what it needs.
//!
//! For everyone, the search runs backwards from the admins ([`search`]):
//! only principals holding one of the few escalation actions at all
//! ([`graph::Powers`]) are asked anything, and only about targets already
//! known to lead to admin; before the evaluator, cheap sound filters
//! ([`scope`]) drop targets no statement of the caller names. For one
//! principal it runs forwards from it, resolving only the principals met.

mod admin;
mod ask;
mod graph;
mod hops;
mod report;
mod routes;
mod scope;
mod search;
mod statements;
mod versions;

#[cfg(test)]
mod tests;

use crate::model::Workspace;
use crate::policy::RequestContext;

pub use report::{Escalates, Path, PrincipalEscalation, Report, Step, StepRequest, StepStatement};
pub use routes::{Method, METHODS};

/// Escalation for every user and role of the workspace, in the workspace's
/// order, or only for `only` (a user or role ARN).
pub fn escalation(
    workspace: &Workspace,
    context: &RequestContext,
    now: i64,
    only: Option<&str>,
) -> Report {
    let graph = graph::Graph::new(workspace, context, now, only.is_none());
    if let Some(arn) = only {
        // One principal: searched forwards from it, which asks far fewer
        // questions than the whole graph backwards.
        let Some(i) = graph.node_by_arn(arn) else {
            return Report::default();
        };
        let (admin, escalates, hops) = match search::search_one(&graph, i) {
            search::One::Admin => {
                let step = statements::already_admin(&graph, i, &());
                return Report {
                    principals: vec![answer(&graph, i, true, Escalates::Yes, vec![step])],
                };
            }
            search::One::Path { hops, conditional } => {
                let admin = hops.len() == 1 && hops[0].gives_itself_admin() && !conditional;
                let escalates = if conditional {
                    Escalates::Conditional
                } else {
                    Escalates::Yes
                };
                (admin, escalates, hops)
            }
            search::One::No => (false, Escalates::No, Vec::new()),
        };
        let steps = hops
            .iter()
            .map(|hop| statements::step(&graph, hop))
            .collect();
        return Report {
            principals: vec![answer(&graph, i, admin, escalates, steps)],
        };
    }
    let found = search::search(&graph, &search::Goal::Admin, None);
    let principals = (0..graph.nodes.len())
        .map(|i| match &found[i] {
            search::Reached::Not => answer(&graph, i, false, Escalates::No, Vec::new()),
            search::Reached::Goal(grant) => {
                let step = statements::already_admin(&graph, i, grant);
                answer(&graph, i, true, Escalates::Yes, vec![step])
            }
            search::Reached::Via { conditional, .. } => {
                let hops = search::path_of(&found, i);
                let admin = hops.len() == 1 && hops[0].gives_itself_admin() && !*conditional;
                let escalates = if *conditional {
                    Escalates::Conditional
                } else {
                    Escalates::Yes
                };
                let steps = hops
                    .iter()
                    .map(|hop| statements::step(&graph, hop))
                    .collect();
                answer(&graph, i, admin, escalates, steps)
            }
        })
        .collect();
    Report { principals }
}

/// The report's entry for node `i`.
fn answer(
    graph: &graph::Graph,
    i: usize,
    admin: bool,
    escalates: Escalates,
    steps: Vec<Step>,
) -> PrincipalEscalation {
    let node = &graph.nodes[i];
    PrincipalEscalation {
        principal: node.entity_arn.clone(),
        admin,
        escalates,
        paths: if steps.is_empty() {
            Vec::new()
        } else {
            vec![Path { steps }]
        },
        name: node.name.clone(),
        is_role: node.is_role(),
    }
}

/// The principals (by ARN) that can become one of `targets` (user or role
/// ARNs) through escalation steps, each with its shortest path; the
/// targets themselves are left out. For `who-can --escalation`.
pub fn can_become(
    workspace: &Workspace,
    context: &RequestContext,
    now: i64,
    targets: &[String],
) -> Vec<PrincipalEscalation> {
    let graph = graph::Graph::new(workspace, context, now, true);
    let goal = search::Goal::Nodes(
        targets
            .iter()
            .filter_map(|arn| graph.node_by_arn(arn))
            .collect(),
    );
    let found = search::search(&graph, &goal, None);
    let mut out = Vec::new();
    for (i, node) in graph.nodes.iter().enumerate() {
        let search::Reached::Via { conditional, .. } = &found[i] else {
            continue;
        };
        let hops = search::path_of(&found, i);
        out.push(PrincipalEscalation {
            principal: node.entity_arn.clone(),
            admin: false,
            escalates: if *conditional {
                Escalates::Conditional
            } else {
                Escalates::Yes
            },
            paths: vec![Path {
                steps: hops
                    .iter()
                    .map(|hop| statements::step(&graph, hop))
                    .collect(),
            }],
            name: node.name.clone(),
            is_role: node.is_role(),
        });
    }
    out
}
