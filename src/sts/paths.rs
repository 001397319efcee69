//! Who can perform an action: directly, or by assuming one or more roles
//! (alice → DevOps → ProdAdmin).
//!
//! Evaluating every principal against every role would be quadratic (13,000
//! principals × 3,000 roles in a large organization), so two cheap filters
//! come first, both sound (they never drop a principal that could):
//! - a principal can only be allowed an action when one of its identity
//!   statements names the action, or a resource policy exists, or it is root;
//! - a principal can only assume a role whose trust policy names it (its ARN,
//!   its role, its account, or everyone), found through an index of the
//!   roles by what their trust policies name.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use crate::eval::{
    evaluate_outcome, refuses_every_role, trust_may_admit, Principal, PrincipalKind, Request,
};
use crate::model::workspace::PrincipalRef;
use crate::model::{NamedPolicy, Workspace};
use crate::parallel;
use crate::policy::principal::{AwsPrincipal, PrincipalSpec};
use crate::policy::statement::ResourceSpec;
use crate::policy::variables::Template;
use crate::policy::{Effect, RequestContext, RequestKeys, Statement};

/// A map keyed by positions and ids this module hands out itself (never by
/// text from the workspace), hashed by a multiply-rotate of each word rather
/// than SipHash: who-can makes millions of such lookups.
type IndexMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<IndexHasher>>;

#[derive(Default)]
struct IndexHasher(u64);

impl std::hash::Hasher for IndexHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, word: usize) {
        self.write_u64(word as u64);
    }
}

/// One principal that can reach the action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reach {
    /// The user or role ARN it starts from.
    pub principal: String,
    pub kind: PrincipalKind,
    pub name: String,
    /// The roles assumed on the way, in order; empty for direct access.
    pub path: Vec<String>,
}

impl Reach {
    /// `alice → DevOps → ProdAdmin`.
    pub fn label(&self) -> String {
        std::iter::once(self.name.as_str())
            .chain(self.path.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" → ")
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct WhoCan {
    pub action: String,
    pub resource: String,
    pub direct: Vec<Reach>,
    pub through_roles: Vec<Reach>,
}

/// How many role assumptions a path may hold.
pub const MAX_HOPS: usize = 4;

struct Node {
    principal: Principal,
    /// The role's ARN and name when the node is a role session.
    role: Option<(String, String)>,
    /// Its account's position in the workspace.
    account: usize,
}

/// What a role's trust policy names in its Allow statements (conditions
/// aside): everyone, accounts, or principal ARNs.
#[derive(Default)]
struct TrustNames {
    everyone: bool,
    /// Positions of the accounts named, in the workspace.
    accounts: Vec<usize>,
    /// Nodes named by ARN (a user, a role, or a role's session).
    nodes: Vec<usize>,
}

/// The trust names of every role node, read once, as positions: accounts and
/// principals outside the workspace cannot be searched from, and the hops
/// then look them up by number.
fn trust_names(nodes: &[Node], workspace: &Workspace) -> Vec<Option<TrustNames>> {
    let accounts: HashMap<&str, usize> = workspace
        .accounts
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let mut by_arn: HashMap<&str, usize> = HashMap::with_capacity(nodes.len() * 2);
    for (i, node) in nodes.iter().enumerate() {
        by_arn.entry(node.principal.arn.as_str()).or_insert(i);
        if let Some((role_arn, _)) = &node.role {
            by_arn.entry(role_arn.as_str()).or_insert(i);
        }
    }
    nodes
        .iter()
        .map(|node| {
            let (arn, _) = node.role.as_ref()?;
            let (_, role) = workspace.role_by_arn(arn)?;
            let trust = role.trust_policy.as_ref()?;
            let mut names = TrustNames::default();
            for statement in trust
                .policy
                .statements
                .iter()
                .filter(|s| s.effect == Effect::Allow)
            {
                match &statement.principal {
                    Some(PrincipalSpec::Principal(set)) => {
                        names.everyone |= set.everyone;
                        for p in &set.aws {
                            match p {
                                AwsPrincipal::Everyone => names.everyone = true,
                                AwsPrincipal::Account(a) => {
                                    names.accounts.extend(accounts.get(a.as_str()))
                                }
                                AwsPrincipal::User(a)
                                | AwsPrincipal::Role(a)
                                | AwsPrincipal::AssumedRole(a) => {
                                    names.nodes.extend(by_arn.get(a.as_str()))
                                }
                                _ => {}
                            }
                        }
                    }
                    // NotPrincipal in a trust policy is invalid; be generous.
                    Some(PrincipalSpec::NotPrincipal(_)) => names.everyone = true,
                    None => {}
                }
            }
            names.accounts.sort();
            names.accounts.dedup();
            names.nodes.sort();
            names.nodes.dedup();
            Some(names)
        })
        .collect()
}

/// The roles of one hop's frontier by what their trust policies name, so
/// that each principal meets only the frontier roles that may admit it.
#[derive(Default)]
struct FrontierIndex {
    everyone: Vec<usize>,
    /// Account position → frontier roles trusting that account.
    by_account: IndexMap<usize, Vec<usize>>,
    /// Node → frontier roles whose trust names that principal.
    by_node: IndexMap<usize, Vec<usize>>,
}

impl FrontierIndex {
    fn new(frontier: &[usize], names: &[Option<TrustNames>]) -> Self {
        let mut index = FrontierIndex::default();
        for &i in frontier {
            let Some(Some(trust)) = names.get(i) else {
                continue;
            };
            if trust.everyone {
                index.everyone.push(i);
                continue;
            }
            for &account in &trust.accounts {
                index.by_account.entry(account).or_default().push(i);
            }
            for &node in &trust.nodes {
                index.by_node.entry(node).or_default().push(i);
            }
        }
        index
    }

    /// Frontier roles whose trust policy names node `i` itself (its ARN,
    /// its role's, its session's) or everyone.
    fn naming(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.everyone
            .iter()
            .chain(self.by_node.get(&i).into_iter().flatten())
            .copied()
    }

    /// Frontier roles whose trust policy names the account at `account`.
    fn trusting(&self, account: usize) -> &[usize] {
        self.by_account.get(&account).map_or(&[], Vec::as_slice)
    }
}

/// True when some identity Allow statement of `principal` names `action`:
/// without one, only a resource policy could allow.
fn identity_may_allow(principal: &Principal, action: &str) -> bool {
    principal.identity_policies.iter().any(|policy| {
        policy
            .policy
            .statements_for(action)
            .any(|s| s.effect == Effect::Allow && s.applies_to_action(action))
    })
}

/// The roles a principal's identity policies may allow it to assume: `any`
/// when a statement applies to every resource (or to all but some), else the
/// resource patterns of its sts:AssumeRole statements. Statements whose
/// conditions fail in the request's context are left out: they allow nothing,
/// whatever the role. Computed once per principal; checking a role is then a
/// few pattern matches.
#[derive(Clone, PartialEq, Eq, Hash)]
struct AssumeScope {
    any: bool,
    /// Ids in a [`PatternMemo`], sorted, each once: principals holding the
    /// same policies have equal scopes, and share the answers.
    patterns: Vec<usize>,
}

impl AssumeScope {
    fn may_allow(&self, target: usize, role_arn: &str, memo: &mut PatternMemo) -> bool {
        self.any
            || self
                .patterns
                .iter()
                .any(|&id| memo.matches(id, target, role_arn))
    }
}

/// Each principal's sts:AssumeRole scope, computed once across the hops, as
/// an id: principals holding the same policies share one, and the roles it
/// allows are worked out once per account.
struct Scopes {
    of: Vec<Option<usize>>,
    table: Vec<AssumeScope>,
    ids: IndexMap<AssumeScope, usize>,
}

impl Scopes {
    fn new(nodes: usize) -> Self {
        Scopes {
            of: vec![None; nodes],
            table: Vec::new(),
            ids: IndexMap::default(),
        }
    }

    /// The scope id of node `i`, whose principal is `p`.
    fn id<'a>(
        &mut self,
        i: usize,
        p: &'a Principal,
        context: &RequestContext,
        now: i64,
        memo: &mut PatternMemo<'a>,
    ) -> usize {
        if let Some(id) = self.of[i] {
            return id;
        }
        let scope = assume_scope(p, context, now, memo);
        let table = &mut self.table;
        let id = *self.ids.entry(scope.clone()).or_insert_with(|| {
            table.push(scope);
            table.len() - 1
        });
        self.of[i] = Some(id);
        id
    }
}

/// The resource patterns of sts:AssumeRole statements, each tested once per
/// role. Policies are shared by many principals (a group's members, a
/// managed policy's users), so a few hundred patterns stand for hundreds of
/// thousands of (principal, role) pairs.
struct PatternMemo<'a> {
    /// By the pattern's text (and whether it holds variables, which a
    /// 2008-10-17 policy reads as text): policies written from one template
    /// repeat it.
    ids: HashMap<(&'a str, bool), usize>,
    patterns: Vec<&'a Template>,
    /// Per pattern, per node: 0 not yet tested, 1 no, 2 yes; allocated
    /// at the pattern's first test.
    answers: Vec<Vec<u8>>,
    /// Each node's position among the role nodes (patterns are only ever
    /// tested against roles), so that the answers stay small.
    role_ordinal: Vec<usize>,
    roles: usize,
    empty: RequestContext,
    /// What each policy contributes to the scopes of its holders, read once
    /// (a managed policy is held by thousands of principals).
    by_policy: IndexMap<usize, Arc<PolicyPart<'a>>>,
}

/// The sts:AssumeRole Allow statements of one policy: those without a
/// condition folded into `any` and `patterns`, the others kept to be tested
/// against each holder's keys.
struct PolicyPart<'a> {
    unconditional: AssumeScope,
    conditional: Vec<&'a Statement>,
}

impl<'a> PatternMemo<'a> {
    fn new(nodes: &[Node]) -> Self {
        let mut roles = 0;
        let role_ordinal = nodes
            .iter()
            .map(|node| {
                let ordinal = roles;
                roles += usize::from(node.role.is_some());
                ordinal
            })
            .collect();
        PatternMemo {
            ids: HashMap::new(),
            patterns: Vec::new(),
            answers: Vec::new(),
            role_ordinal,
            roles,
            empty: RequestContext::new(),
            by_policy: IndexMap::default(),
        }
    }

    fn policy_part(&mut self, policy: &'a Arc<NamedPolicy>) -> Arc<PolicyPart<'a>> {
        // By address: the policy outlives the search, so the address is its identity.
        let key = Arc::as_ptr(policy) as usize;
        if let Some(part) = self.by_policy.get(&key) {
            return part.clone();
        }
        let mut part = PolicyPart {
            unconditional: AssumeScope {
                any: false,
                patterns: Vec::new(),
            },
            conditional: Vec::new(),
        };
        for s in policy.policy.statements_for("sts:AssumeRole") {
            if s.effect != Effect::Allow || !s.applies_to_action("sts:AssumeRole") {
                continue;
            }
            if s.condition.is_empty() {
                self.widen(&mut part.unconditional, s);
            } else {
                part.conditional.push(s);
            }
        }
        let part = Arc::new(part);
        self.by_policy.insert(key, part.clone());
        part
    }

    /// Adds to `scope` the roles an allowing sts:AssumeRole statement covers:
    /// its resource patterns, or any role (`*` aside, NotResource or none).
    fn widen(&mut self, scope: &mut AssumeScope, statement: &'a Statement) {
        match &statement.resources {
            Some(ResourceSpec::Resource(templates)) => {
                for t in templates {
                    let id = self.id(t);
                    scope.patterns.push(id);
                }
            }
            _ => scope.any = true,
        }
    }

    fn id(&mut self, pattern: &'a Template) -> usize {
        *self
            .ids
            .entry((pattern.raw(), pattern.has_variables()))
            .or_insert_with(|| {
                self.patterns.push(pattern);
                self.answers.push(Vec::new());
                self.patterns.len() - 1
            })
    }

    /// Whether pattern `id` may match the role of node `target`. A pattern
    /// with variables may match any role (its values depend on the caller).
    fn matches(&mut self, id: usize, target: usize, role_arn: &str) -> bool {
        let answers = &mut self.answers[id];
        if answers.is_empty() {
            answers.resize(self.roles, 0);
        }
        let slot = &mut answers[self.role_ordinal[target]];
        if *slot == 0 {
            let pattern = self.patterns[id];
            let yes = pattern.has_variables() || pattern.matches(role_arn, &self.empty);
            *slot = if yes { 2 } else { 1 };
        }
        *slot == 2
    }
}

fn assume_scope<'a>(
    principal: &'a Principal,
    context: &RequestContext,
    now: i64,
    memo: &mut PatternMemo<'a>,
) -> AssumeScope {
    let mut scope = AssumeScope {
        any: false,
        patterns: Vec::new(),
    };
    // The principal's keys are only read for conditions: most statements have none.
    let keys = std::cell::OnceCell::new();
    let derived = principal.derived_keys();
    let keys = || keys.get_or_init(|| RequestKeys::new(context, &derived, now));
    for policy in &principal.identity_policies {
        let part = memo.policy_part(policy);
        scope.any |= part.unconditional.any;
        scope
            .patterns
            .extend_from_slice(&part.unconditional.patterns);
        for s in &part.conditional {
            if s.condition.evaluate(keys()) {
                memo.widen(&mut scope, s);
            }
        }
        if scope.any {
            break;
        }
    }
    scope.patterns.sort_unstable();
    scope.patterns.dedup();
    if scope.any {
        scope.patterns.clear();
    }
    scope
}

/// The role ARN of a role node; empty for a user.
fn role_arn_of(nodes: &[Node], i: usize) -> &str {
    nodes[i].role.as_ref().map_or("", |(arn, _)| arn.as_str())
}

/// What every hop asks, and of whom.
struct Ask<'a> {
    workspace: &'a Workspace,
    context: &'a RequestContext,
    now: i64,
    nodes: &'a [Node],
}

impl Ask<'_> {
    /// Whether `who` may perform `action` on `resource`: the full evaluation.
    fn allowed(&self, who: &Principal, action: &str, resource: &str) -> bool {
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
struct HopWorker<'a> {
    share: std::ops::Range<usize>,
    scopes: Scopes,
    memo: PatternMemo<'a>,
    refuses: Vec<Option<bool>>,
    candidates: Vec<usize>,
}

impl<'a> HopWorker<'a> {
    fn new(share: std::ops::Range<usize>, nodes: &[Node]) -> Self {
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
    fn hop(
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

/// Every user and role that can perform `action` on `resource`.
pub fn who_can(
    workspace: &Workspace,
    action: &str,
    resource: &str,
    context: &RequestContext,
    now: i64,
) -> WhoCan {
    let mut refs = Vec::new();
    for (a, account) in workspace.accounts.iter().enumerate() {
        refs.extend(
            account
                .users
                .iter()
                .map(|user| (a, PrincipalRef::User { account, user })),
        );
        refs.extend(
            account
                .roles
                .iter()
                .map(|role| (a, PrincipalRef::Role { account, role })),
        );
    }
    let nodes = parallel::map(&refs, |(account, principal)| Node {
        principal: Principal::from_ref(workspace, *principal, None),
        role: match principal {
            PrincipalRef::Role { role, .. } => Some((role.arn.clone(), role.name.clone())),
            _ => None,
        },
        account: *account,
    });
    let ask = Ask {
        workspace,
        context,
        now,
        nodes: &nodes,
    };
    let has_resource_policy = workspace.resource_policy_for(resource).is_some()
        || workspace.role_by_arn(resource).is_some();
    // path_from[i]: the roles node i assumes to reach the action (empty: directly).
    let mut path_from: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let direct = parallel::map(&nodes, |node| {
        let p = &node.principal;
        let worth_asking =
            p.kind == PrincipalKind::Root || has_resource_policy || identity_may_allow(p, action);
        worth_asking && ask.allowed(p, action, resource)
    });
    for (i, _) in direct.iter().enumerate().filter(|(_, yes)| **yes) {
        path_from.insert(i, Vec::new());
    }
    let names = trust_names(&nodes, workspace);
    let mut frontier: Vec<usize> = path_from
        .keys()
        .copied()
        .filter(|&i| nodes[i].role.is_some())
        .collect();
    // The hops run on every core: within a hop each principal's question is
    // independent of the others', and each worker keeps its own caches for
    // its contiguous share of the principals (mostly whole accounts).
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let share = nodes.len().div_ceil(threads).max(1);
    let mut workers: Vec<HopWorker> = (0..nodes.len())
        .step_by(share)
        .map(|start| HopWorker::new(start..(start + share).min(nodes.len()), &nodes))
        .collect();
    let mut reached: Vec<bool> = (0..nodes.len())
        .map(|i| path_from.contains_key(&i))
        .collect();
    for _ in 0..MAX_HOPS {
        if frontier.is_empty() {
            break;
        }
        let index = FrontierIndex::new(&frontier, &names);
        let found: Vec<(usize, usize)> = std::thread::scope(|scope| {
            let (ask, index, reached) = (&ask, &index, &reached);
            let running: Vec<_> = workers
                .iter_mut()
                .map(|worker| scope.spawn(move || worker.hop(ask, index, reached)))
                .collect();
            running
                .into_iter()
                .flat_map(|worker| {
                    worker
                        .join()
                        .unwrap_or_else(|e| std::panic::resume_unwind(e))
                })
                .collect()
        });
        let mut next = Vec::new();
        for (i, target) in found {
            let mut path: Vec<String> = nodes[target]
                .role
                .iter()
                .map(|(_, name)| name.clone())
                .collect();
            path.extend(path_from.get(&target).cloned().unwrap_or_default());
            path_from.insert(i, path);
            reached[i] = true;
            if nodes[i].role.is_some() {
                next.push(i);
            }
        }
        frontier = next;
    }
    let mut result = WhoCan {
        action: action.to_string(),
        resource: resource.to_string(),
        ..WhoCan::default()
    };
    for (i, path) in path_from {
        let node = &nodes[i];
        let reach = Reach {
            principal: node
                .role
                .as_ref()
                .map_or_else(|| node.principal.arn.clone(), |(arn, _)| arn.clone()),
            kind: node.principal.kind,
            name: node.role.as_ref().map_or_else(
                || node.principal.display_name.clone(),
                |(_, name)| name.clone(),
            ),
            path,
        };
        if reach.path.is_empty() {
            result.direct.push(reach);
        } else {
            result.through_roles.push(reach);
        }
    }
    drop(workers);
    parallel::drop_all(nodes);
    result
}
