//! Which roles a principal's identity policies may let it assume, computed
//! once per principal and shared by principals holding the same policies.

use crate::eval::resource_keys::reads_resource_keys;
use std::collections::HashMap;
use std::sync::Arc;

use super::{IndexMap, Node};
use crate::eval::Principal;
use crate::model::NamedPolicy;
use crate::policy::statement::ResourceSpec;
use crate::policy::variables::Template;
use crate::policy::{Effect, RequestContext, RequestKeys, Statement};

/// The roles a principal's identity policies may allow it to assume: `any`
/// when a statement applies to every resource (or to all but some), else the
/// resource patterns of its sts:AssumeRole statements. Statements whose
/// conditions fail in the request's context are left out: they allow nothing,
/// whatever the role. Computed once per principal; checking a role is then a
/// few pattern matches.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) struct AssumeScope {
    pub(super) any: bool,
    /// Ids in a [`PatternMemo`], sorted, each once: principals holding the
    /// same policies have equal scopes, and share the answers.
    pub(super) patterns: Vec<usize>,
}

impl AssumeScope {
    #[inline]
    pub(super) fn may_allow(&self, target: usize, role_arn: &str, memo: &mut PatternMemo) -> bool {
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
pub(super) struct Scopes {
    pub(super) of: Vec<Option<usize>>,
    pub(super) table: Vec<AssumeScope>,
    pub(super) ids: IndexMap<AssumeScope, usize>,
}

impl Scopes {
    pub(super) fn new(nodes: usize) -> Self {
        Scopes {
            of: vec![None; nodes],
            table: Vec::new(),
            ids: IndexMap::default(),
        }
    }

    /// The scope id of node `i`, whose principal is `p`.
    #[inline]
    pub(super) fn id<'a>(
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
pub(super) struct PatternMemo<'a> {
    /// By the pattern's text (and whether it holds variables, which a
    /// 2008-10-17 policy reads as text): policies written from one template
    /// repeat it.
    pub(super) ids: HashMap<(&'a str, bool), usize>,
    pub(super) patterns: Vec<&'a Template>,
    /// Per pattern, per node: 0 not yet tested, 1 no, 2 yes; allocated
    /// at the pattern's first test.
    pub(super) answers: Vec<Vec<u8>>,
    /// Each node's position among the role nodes (patterns are only ever
    /// tested against roles), so that the answers stay small.
    pub(super) role_ordinal: Vec<usize>,
    pub(super) roles: usize,
    pub(super) empty: RequestContext,
    /// What each policy contributes to the scopes of its holders, read once
    /// (a managed policy is held by thousands of principals).
    pub(super) by_policy: IndexMap<usize, Arc<PolicyPart<'a>>>,
}

/// The sts:AssumeRole Allow statements of one policy: those without a
/// condition folded into `any` and `patterns`, the others kept to be tested
/// against each holder's keys.
pub(super) struct PolicyPart<'a> {
    pub(super) unconditional: AssumeScope,
    pub(super) conditional: Vec<&'a Statement>,
}

impl<'a> PatternMemo<'a> {
    pub(super) fn new(nodes: &[Node]) -> Self {
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

    pub(super) fn policy_part(&mut self, policy: &'a Arc<NamedPolicy>) -> Arc<PolicyPart<'a>> {
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
    pub(super) fn widen(&mut self, scope: &mut AssumeScope, statement: &'a Statement) {
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

    pub(super) fn id(&mut self, pattern: &'a Template) -> usize {
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
    #[inline]
    pub(super) fn matches(&mut self, id: usize, target: usize, role_arn: &str) -> bool {
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

pub(super) fn assume_scope<'a>(
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
            // A condition on the role's keys (aws:ResourceAccount…) may hold
            // for some roles: the scope keeps the statement, and each hop's
            // full evaluation decides.
            if reads_resource_keys(&s.condition) || s.condition.evaluate(keys()) {
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
