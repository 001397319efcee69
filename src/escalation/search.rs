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
use super::routes;
use super::scope::{resource_scope, Scope};
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
                full_grant(node.principal()).is_some() && is_admin(&graph.asker, node.principal())
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
    // Granting itself admin is one step, like a step to an admin; asked
    // once, the first unconditional way kept, else the first conditional.
    let mut deferred: Vec<Option<Hop>> = vec![None; n];
    let mut granted = Vec::new();
    if matches!(goal, Goal::Admin) {
        let unreached: Vec<usize> = (0..n)
            .filter(|&i| matches!(reached[i], Reached::Not) && graph.nodes[i].powers().any())
            .collect();
        let grants = parallel::map(&unreached, |&i| self_grant(graph, i));
        for (i, hop) in unreached.into_iter().zip(grants) {
            match hop {
                Some(hop) if !hop.conditional() => {
                    reached[i] = Reached::Via {
                        hop: Box::new(hop),
                        conditional: false,
                    };
                    granted.push(i);
                }
                other => deferred[i] = other,
            }
        }
    }
    // Unconditional steps first: a conditional step found on the way is
    // kept (the first, so the shortest) for the second pass.
    let mut frontier: Vec<usize> = (0..n)
        .filter(|&i| matches!(reached[i], Reached::Goal(_)))
        .collect();
    expand(
        graph,
        &mut reached,
        &mut deferred,
        frontier,
        granted,
        false,
        only,
    );
    if only.is_some_and(|i| !matches!(reached[i], Reached::Not)) {
        return reached;
    }
    // Then the principals with a conditional step into what was reached.
    frontier = Vec::new();
    for i in 0..n {
        if let (Reached::Not, Some(hop)) = (&reached[i], deferred[i].take()) {
            reached[i] = Reached::Via {
                hop: Box::new(hop),
                conditional: true,
            };
            frontier.push(i);
        }
    }
    expand(
        graph,
        &mut reached,
        &mut deferred,
        frontier,
        Vec::new(),
        true,
        only,
    );
    reached
}

/// Extends the reach level by level from `frontier` (and, one level later,
/// `later`): the unreached principals with a step into the last level.
/// Without `conditional`, only unconditional steps reach; the first
/// conditional one met is kept in `deferred`.
#[allow(clippy::too_many_arguments)]
fn expand(
    graph: &Graph,
    reached: &mut [Reached],
    deferred: &mut [Option<Hop>],
    mut frontier: Vec<usize>,
    mut later: Vec<usize>,
    conditional: bool,
    only: Option<usize>,
) {
    let n = graph.nodes.len();
    for level in 0..MAX_STEPS {
        if frontier.is_empty() && later.is_empty() {
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
            let mut want_conditional = conditional || deferred[i].is_none();
            let mut kept = None;
            for t in index.candidates(graph, i) {
                if let Some(hop) = hop_to(graph, i, t, want_conditional) {
                    if !hop.conditional() {
                        return Some(hop);
                    }
                    if kept.is_none() {
                        kept = Some(hop);
                        want_conditional = false;
                    }
                }
            }
            kept
        });
        let mut next = Vec::new();
        for (i, hop) in unreached.into_iter().zip(found) {
            let Some(hop) = hop else { continue };
            let Target::Node(t) = hop.to else { continue };
            if hop.conditional() && !conditional {
                if deferred[i].is_none() {
                    deferred[i] = Some(hop);
                }
                continue;
            }
            let through_conditional = matches!(
                &reached[t],
                Reached::Via {
                    conditional: true,
                    ..
                }
            );
            reached[i] = Reached::Via {
                conditional: hop.conditional() || through_conditional || conditional,
                hop: Box::new(hop),
            };
            next.push(i);
        }
        if level == 0 {
            next.append(&mut later);
        }
        frontier = next;
    }
}

/// The answer for one principal, searched forwards from it: the steps it
/// can take, breadth first, until a principal that is admin or can grant
/// itself admin. Unconditional steps first, then any.
pub(super) enum One {
    Admin,
    Path { hops: Vec<Hop>, conditional: bool },
    No,
}

pub(super) fn search_one(graph: &Graph, start: usize) -> One {
    let admin = |i: usize| {
        let p = graph.nodes[i].principal();
        full_grant(p).is_some() && is_admin(&graph.asker, p)
    };
    if admin(start) {
        return One::Admin;
    }
    let everyone: Vec<usize> = (0..graph.nodes.len()).collect();
    let index = FrontierIndex::new(graph, &everyone);
    for want_conditional in [false, true] {
        let mut parent: HashMap<usize, Hop> = HashMap::new();
        let mut seen = std::collections::HashSet::from([start]);
        let mut frontier = vec![start];
        let path_to = |parent: &HashMap<usize, Hop>, mut at: usize| {
            let mut hops = Vec::new();
            while let Some(hop) = parent.get(&at) {
                hops.push(hop.clone());
                at = hop.from;
            }
            hops.reverse();
            hops
        };
        for _ in 0..=MAX_STEPS {
            // An admin met at this depth is a path of this length; a
            // self-grant from here is one step longer: admins first.
            for &i in &frontier {
                if i != start && admin(i) {
                    let hops = path_to(&parent, i);
                    let conditional = hops.iter().any(Hop::conditional);
                    return One::Path { hops, conditional };
                }
            }
            let mut next = Vec::new();
            for &i in &frontier {
                if graph.nodes[i].powers().any() {
                    if let Some(hop) = self_grant(graph, i) {
                        if want_conditional || !hop.conditional() {
                            let mut hops = path_to(&parent, i);
                            hops.push(hop);
                            let conditional = hops.iter().any(Hop::conditional);
                            return One::Path { hops, conditional };
                        }
                    }
                }
                for t in index.candidates(graph, i) {
                    if seen.contains(&t) {
                        continue;
                    }
                    if let Some(hop) = hop_to(graph, i, t, want_conditional) {
                        if hop.conditional() && !want_conditional {
                            continue;
                        }
                        seen.insert(t);
                        parent.insert(t, hop);
                        next.push(t);
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            frontier = next;
        }
    }
    One::No
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
        // Searched by position (`binary_search`): each list ascending.
        for list in index
            .by_trusted_account
            .values_mut()
            .chain(index.users_by_account.values_mut())
            .chain(index.roles_by_account.values_mut())
        {
            list.sort_unstable();
        }
        index
    }

    /// The targets node `i` may have a step to, ascending: roles whose
    /// trust names it; and, by the resources its statements name, roles it
    /// may assume through its account, users whose credentials it may
    /// take, roles whose trust it may rewrite or that it may pass to (or
    /// reach through) a service that trusts them.
    fn candidates(&self, graph: &Graph, i: usize) -> Vec<usize> {
        let node = &graph.nodes[i];
        let powers = node.powers();
        let p = node.principal();
        let asker = &graph.asker;
        let contexts = [asker.base_context(p, false), asker.base_context(p, true)];
        let mut out: Vec<usize> = self.everyone.clone();
        out.extend(self.by_node.get(&i).into_iter().flatten());
        let of_account = |map: &HashMap<usize, Vec<usize>>| -> Vec<usize> {
            map.get(&node.account).cloned().unwrap_or_default()
        };
        // Targets within `scope`, among `within`.
        let scoped = |scope: Scope, within: &[usize], out: &mut Vec<usize>| match scope {
            Scope::Broad => out.extend_from_slice(within),
            Scope::Patterns(globs) => out.extend(within.iter().copied().filter(|&t| {
                let arn = graph.nodes[t].entity_arn.as_str();
                globs.iter().any(|g| g.matches(arn))
            })),
            Scope::Exact(arns) => out.extend(
                arns.iter()
                    .filter_map(|arn| graph.node_by_arn(arn))
                    .filter(|t| within.binary_search(t).is_ok()),
            ),
        };
        if powers.has("sts:AssumeRole") {
            let trusting = self
                .by_trusted_account
                .get(&node.account)
                .map_or(&[][..], Vec::as_slice);
            if !trusting.is_empty() {
                scoped(
                    resource_scope(p, "sts:AssumeRole", &contexts, asker.now),
                    trusting,
                    &mut out,
                );
            }
        }
        let users = of_account(&self.users_by_account);
        if !users.is_empty() {
            for action in [
                "iam:CreateAccessKey",
                "iam:CreateLoginProfile",
                "iam:UpdateLoginProfile",
            ] {
                if powers.has(action) {
                    scoped(
                        resource_scope(p, action, &contexts, asker.now),
                        &users,
                        &mut out,
                    );
                }
            }
        }
        let roles = of_account(&self.roles_by_account);
        if !roles.is_empty() {
            if powers.has("iam:UpdateAssumeRolePolicy") {
                scoped(
                    resource_scope(p, "iam:UpdateAssumeRolePolicy", &contexts, asker.now),
                    &roles,
                    &mut out,
                );
            }
            // The services node `i` may use, with a role passed or not.
            let (mut passing, mut existing) = (0u16, 0u16);
            for route in &routes::ROUTES {
                if route.actions.iter().all(|(a, _)| powers.has(a)) {
                    let bit = routes::service_bit(route.service);
                    if !route.passes_role {
                        existing |= bit;
                    } else if powers.has("iam:PassRole") {
                        passing |= bit;
                    }
                }
            }
            if passing != 0 {
                let fit: Vec<usize> = roles
                    .iter()
                    .copied()
                    .filter(|&t| graph.nodes[t].services & passing != 0)
                    .collect();
                if !fit.is_empty() {
                    scoped(
                        resource_scope(p, "iam:PassRole", &contexts, asker.now),
                        &fit,
                        &mut out,
                    );
                }
            }
            if existing != 0 {
                out.extend(
                    roles
                        .iter()
                        .copied()
                        .filter(|&t| graph.nodes[t].services & existing != 0),
                );
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}
