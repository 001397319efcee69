//! One hop of the search: the principals not yet reached that can assume a
//! role of the frontier, each worker over its own share of the principals.

use super::index::FrontierIndex;
use super::scope::{PatternMemo, Scopes};
use super::{IndexMap, Node};
use crate::eval::{evaluate_outcome, refuses_every_role, trust_may_admit, Principal, Request};
use crate::model::Workspace;
use crate::policy::RequestContext;

/// The role ARN of a role node; empty for a user.
pub(super) fn role_arn_of(nodes: &[Node], i: usize) -> &str {
    nodes[i].role.as_ref().map_or("", |(arn, _)| arn.as_str())
}

/// What every hop asks, and of whom.
pub(super) struct Ask<'a> {
    pub(super) workspace: &'a Workspace,
    pub(super) context: &'a RequestContext,
    pub(super) now: i64,
    pub(super) nodes: &'a [Node],
}

impl Ask<'_> {
    /// Whether `who` may perform `action` on `resource`: the full
    /// evaluation, and no refusal by the service (a refused request is no
    /// way in, whatever the policies say).
    pub(super) fn allowed(&self, who: &Principal, action: &str, resource: &str) -> bool {
        if crate::eval::refusal::refusal(who, action, resource).is_some() {
            return false;
        }
        let request = Request {
            action: action.to_string(),
            resource: resource.to_string(),
            context: self.context.clone(),
            now_epoch: self.now,
        };
        evaluate_outcome(self.workspace, who, &request).is_allowed()
    }
}

/// The hops' work for a contiguous share of the principals, with the caches
/// that outlive a hop: each principal's scope and whether it refuses every
/// role.
pub(super) struct HopWorker<'a> {
    pub(super) share: std::ops::Range<usize>,
    pub(super) scopes: Scopes,
    pub(super) memo: PatternMemo<'a>,
    pub(super) refuses: Vec<Option<bool>>,
    pub(super) candidates: Vec<usize>,
}

impl<'a> HopWorker<'a> {
    pub(super) fn new(share: std::ops::Range<usize>, nodes: &[Node]) -> Self {
        HopWorker {
            share,
            scopes: Scopes::new(nodes.len()),
            memo: PatternMemo::new(nodes),
            refuses: vec![None; nodes.len()],
            candidates: Vec::new(),
        }
    }

    /// The principals of this share not yet reached that can assume a role
    /// of the frontier, each with the first such role.
    pub(super) fn hop(
        &mut self,
        ask: &Ask<'a>,
        index: &FrontierIndex,
        reached: &[bool],
    ) -> Vec<(usize, usize)> {
        let nodes = ask.nodes;
        let (context, now) = (ask.context, ask.now);
        // The frontier roles of an account that a scope may allow: the same
        // for every principal of that account holding the same policies.
        let mut within_scope: IndexMap<(usize, usize), Vec<usize>> = IndexMap::default();
        // The same, pattern by pattern: scopes share most of their patterns.
        let mut pattern_hits: IndexMap<(usize, usize), Vec<usize>> = IndexMap::default();
        let mut found = Vec::new();
        for i in self.share.clone() {
            if reached[i] {
                continue;
            }
            let node = &nodes[i];
            let p = &node.principal;
            let trusting = index.trusting(node.account);
            let (scopes, memo, candidates) =
                (&mut self.scopes, &mut self.memo, &mut self.candidates);
            candidates.clear();
            // Trust naming the caller itself spares the identity allow in the
            // same account; anything else needs one: skip roles no identity
            // statement of the caller could allow.
            for target in index.naming(i) {
                let spared = nodes[target].account == node.account;
                if spared || {
                    let id = scopes.id(i, p, context, now, memo);
                    scopes.table[id].may_allow(target, role_arn_of(nodes, target), memo)
                } {
                    candidates.push(target);
                }
            }
            if !trusting.is_empty() {
                let id = scopes.id(i, p, context, now, memo);
                let scope = &scopes.table[id];
                if scope.any {
                    candidates.extend_from_slice(trusting);
                } else if !scope.patterns.is_empty() {
                    let passing = within_scope.entry((id, node.account)).or_insert_with(|| {
                        let mut passing = Vec::new();
                        for &pattern in &scope.patterns {
                            let hits =
                                pattern_hits
                                    .entry((pattern, node.account))
                                    .or_insert_with(|| {
                                        trusting
                                            .iter()
                                            .copied()
                                            .filter(|&t| {
                                                memo.matches(pattern, t, role_arn_of(nodes, t))
                                            })
                                            .collect::<Vec<usize>>()
                                    });
                            passing.extend_from_slice(hits);
                        }
                        passing.sort_unstable();
                        passing.dedup();
                        passing
                    });
                    candidates.extend_from_slice(passing);
                }
            }
            for &target in candidates.iter() {
                if target == i {
                    continue;
                }
                let role_arn = role_arn_of(nodes, target);
                if role_arn.is_empty()
                    || !trust_may_admit(ask.workspace, p, "sts:AssumeRole", role_arn, context, now)
                {
                    continue;
                }
                if *self.refuses[i].get_or_insert_with(|| {
                    refuses_every_role(ask.workspace, p, "sts:AssumeRole", context, now)
                }) {
                    break;
                }
                if ask.allowed(p, "sts:AssumeRole", role_arn) {
                    found.push((i, target));
                    break;
                }
            }
        }
        found
    }
}
