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
//! The search runs backwards from the admins ([`search`]): only principals
//! holding one of the few escalation actions at all ([`graph::Powers`]) are
//! asked anything, and only about targets already known to lead to admin.

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

pub use report::{Escalates, Path, PrincipalEscalation, Report, Step, StepStatement};
pub use routes::{Method, METHODS};

/// Escalation for every user and role of the workspace, in the workspace's
/// order, or only for `only` (a user or role ARN).
pub fn escalation(
    workspace: &Workspace,
    context: &RequestContext,
    now: i64,
    only: Option<&str>,
) -> Report {
    let graph = graph::Graph::new(workspace, context, now);
    let found = search::search(&graph, &search::Goal::Admin, only);
    let principals = graph
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, node)| only.is_none_or(|arn| node.entity_arn == arn))
        .map(|(i, node)| {
            let (escalates, admin, path) = match &found[i] {
                search::Reached::Not => (Escalates::No, false, None),
                search::Reached::Via { conditional, .. } => {
                    let path = search::path_of(&found, i);
                    let admin = path.len() == 1 && path[0].to_admin() && !*conditional;
                    let escalates = if *conditional {
                        Escalates::Conditional
                    } else {
                        Escalates::Yes
                    };
                    (escalates, admin, Some(path))
                }
                search::Reached::Goal(_) => (Escalates::Yes, true, Some(Vec::new())),
            };
            let paths = match (path, &found[i]) {
                (_, search::Reached::Goal(grant)) => vec![Path {
                    steps: vec![statements::already_admin(&graph, i, grant)],
                }],
                (Some(hops), _) => vec![Path {
                    steps: hops
                        .iter()
                        .map(|hop| statements::step(&graph, hop))
                        .collect(),
                }],
                (None, _) => Vec::new(),
            };
            PrincipalEscalation {
                principal: node.entity_arn.clone(),
                admin,
                escalates,
                paths,
                name: node.name.clone(),
                is_role: node.is_role(),
            }
        })
        .collect();
    Report { principals }
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
    let graph = graph::Graph::new(workspace, context, now);
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
