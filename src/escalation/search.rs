//! The search: backwards from the goal (the admins, or the principals that
//! can do something), one level of steps at a time, so that each principal
//! gets a shortest path. Unconditional steps are searched first, over the
//! whole graph; conditional ones only for principals still unreached.
//!
//! Each level asks only the principals not yet reached, and only about the
//! targets reached at the level before: those are few, and a principal
//! holding none of the methods' actions (most of them) is asked only about
//! roles whose trust policy names it.

use std::collections::HashMap;

use super::admin::{full_grant, is_admin};
use super::graph::Graph;
use super::hops::{hop_to, self_grant, Hop, Target};
use crate::parallel;

/// How many steps a path may hold.
pub(super) const MAX_STEPS: usize = 8;

pub(super) enum Goal {
    /// Admin-equivalent principals.
    Admin,
    /// These nodes.
    Nodes(Vec<usize>),
}

#[derive(Debug, Clone)]
pub(super) enum Reached {
    Not,
    /// The node is (already) the goal.
    Goal(()),
    /// The node reaches the goal by this step, then the target's path.
    Via {
        hop: Box<Hop>,
        conditional: bool,
    },
}

/// The reach of every node. With `only`, the search still runs over the
/// whole graph (a path may pass through anyone), but stops as soon as that
/// principal is reached.
pub(super) fn search(graph: &Graph, goal: &Goal, only: Option<&str>) -> Vec<Reached> {
    let n = graph.nodes.len();
    let mut reached: Vec<Reached> = vec![Reached::Not; n];
    let only = only.and_then(|arn| graph.node_by_arn(arn));
    match goal {
        Goal::Admin => {
            let admin = parallel::map(&graph.nodes, |node| {
                full_grant(&node.principal).is_some() && is_admin(&graph.asker, &node.principal)
            });
            for (i, yes) in admin.into_iter().enumerate() {
                if yes {
                    reached[i] = Reached::Goal(());
                }
            }
        }
        Goal::Nodes(nodes) => {
            for &i in nodes {
                reached[i] = Reached::Goal(());
            }
        }
    }
    for conditional_ok in [false, true] {
        if only.is_some_and(|i| !matches!(reached[i], Reached::Not)) {
            break;
        }
        // The unconditional pass starts from the goal; the conditional pass
        // from everything reached so far.
        let mut frontier: Vec<usize> = (0..n)
            .filter(|&i| !matches!(reached[i], Reached::Not))
            .collect();
        // Granting itself admin is one step, like a step to an admin.
        let mut granted = Vec::new();
        if matches!(goal, Goal::Admin) {
            let unreached: Vec<usize> = (0..n)
                .filter(|&i| matches!(reached[i], Reached::Not) && graph.nodes[i].powers.any())
                .collect();
            let grants = parallel::map(&unreached, |&i| self_grant(graph, i, conditional_ok));
            for (i, hop) in unreached.into_iter().zip(grants) {
                if let Some(hop) = hop {
                    let conditional = hop.conditional();
                    reached[i] = Reached::Via {
                        hop: Box::new(hop),
                        conditional,
                    };
                    granted.push(i);
                }
            }
        }
        for level in 0..MAX_STEPS {
            if frontier.is_empty() && granted.is_empty() {
                break;
            }
            if only.is_some_and(|i| !matches!(reached[i], Reached::Not)) {
                break;
            }
            let index = FrontierIndex::new(graph, &frontier);
            let unreached: Vec<usize> = (0..n)
                .filter(|&i| matches!(reached[i], Reached::Not))
                .collect();
            let found = parallel::map(&unreached, |&i| {
                index
                    .candidates(graph, i)
                    .into_iter()
                    .find_map(|t| hop_to(graph, i, t, conditional_ok))
            });
            let mut next = Vec::new();
            for (i, hop) in unreached.into_iter().zip(found) {
                let Some(hop) = hop else { continue };
                let Target::Node(t) = hop.to else { continue };
                let conditional = hop.conditional()
                    || matches!(
                        &reached[t],
                        Reached::Via {
                            conditional: true,
                            ..
                        }
                    );
                reached[i] = Reached::Via {
                    hop: Box::new(hop),
                    conditional,
                };
                next.push(i);
            }
            if level == 0 {
                next.append(&mut granted);
            }
            frontier = next;
        }
    }
    reached
}

/// The steps from node `i` to the goal.
pub(super) fn path_of(reached: &[Reached], i: usize) -> Vec<Hop> {
    let mut path = Vec::new();
    let mut at = i;
    while let Reached::Via { hop, .. } = &reached[at] {
        path.push((**hop).clone());
        match hop.to {
            Target::Node(t) if path.len() <= reached.len() => at = t,
            _ => break,
        }
    }
    path
}

/// One level's targets, indexed by what can lead to them: roles by what
/// their trust policies name, users and roles by account.
struct FrontierIndex {
    everyone: Vec<usize>,
    by_node: HashMap<usize, Vec<usize>>,
    by_trusted_account: HashMap<usize, Vec<usize>>,
    users_by_account: HashMap<usize, Vec<usize>>,
    roles_by_account: HashMap<usize, Vec<usize>>,
}

impl FrontierIndex {
    fn new(graph: &Graph, frontier: &[usize]) -> Self {
        let mut index = FrontierIndex {
            everyone: Vec::new(),
            by_node: HashMap::new(),
            by_trusted_account: HashMap::new(),
            users_by_account: HashMap::new(),
            roles_by_account: HashMap::new(),
        };
        for &t in frontier {
            let node = &graph.nodes[t];
            if !node.is_role() {
                index
                    .users_by_account
                    .entry(node.account)
                    .or_default()
                    .push(t);
                continue;
            }
            index
                .roles_by_account
                .entry(node.account)
                .or_default()
                .push(t);
            let names = &graph.trust[t];
            if names.everyone {
                index.everyone.push(t);
            }
            for &a in &names.accounts {
                index.by_trusted_account.entry(a).or_default().push(t);
            }
            for &p in &names.nodes {
                index.by_node.entry(p).or_default().push(t);
            }
        }
        index
    }

    /// The targets node `i` may have a step to, ascending.
    fn candidates(&self, graph: &Graph, i: usize) -> Vec<usize> {
        let node = &graph.nodes[i];
        let powers = node.powers;
        let mut out: Vec<usize> = self.everyone.clone();
        out.extend(self.by_node.get(&i).into_iter().flatten());
        if powers.has("sts:AssumeRole") {
            out.extend(
                self.by_trusted_account
                    .get(&node.account)
                    .into_iter()
                    .flatten(),
            );
        }
        let users = [
            "iam:CreateAccessKey",
            "iam:CreateLoginProfile",
            "iam:UpdateLoginProfile",
        ];
        if users.iter().any(|a| powers.has(a)) {
            out.extend(
                self.users_by_account
                    .get(&node.account)
                    .into_iter()
                    .flatten(),
            );
        }
        let on_roles = powers.has("iam:UpdateAssumeRolePolicy")
            || super::routes::ROUTES
                .iter()
                .any(|r| r.actions.iter().all(|(a, _)| powers.has(a)));
        if on_roles {
            out.extend(
                self.roles_by_account
                    .get(&node.account)
                    .into_iter()
                    .flatten(),
            );
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}
