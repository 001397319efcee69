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

use serde::Serialize;

use crate::eval::{evaluate_outcome, Principal, PrincipalKind, Request};
use crate::model::Workspace;
use crate::policy::principal::{AwsPrincipal, PrincipalSpec};
use crate::policy::statement::ResourceSpec;
use crate::policy::{Effect, RequestContext};

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
}

/// Roles by what their trust policies name.
#[derive(Default)]
struct TrustIndex {
    everyone: Vec<usize>,
    by_account: HashMap<String, Vec<usize>>,
    by_arn: HashMap<String, Vec<usize>>,
}

impl TrustIndex {
    /// Role nodes whose trust policy may name `principal`.
    fn candidates<'a>(&'a self, principal: &'a Principal) -> impl Iterator<Item = usize> + 'a {
        let role_arn = principal.session.as_ref().map(|s| s.role_arn.as_str());
        self.everyone
            .iter()
            .chain(
                self.by_account
                    .get(&principal.account)
                    .into_iter()
                    .flatten(),
            )
            .chain(self.by_arn.get(&principal.arn).into_iter().flatten())
            .chain(
                role_arn
                    .and_then(|arn| self.by_arn.get(arn))
                    .into_iter()
                    .flatten(),
            )
            .copied()
    }
}

fn index_trust(nodes: &[Node], workspace: &Workspace) -> TrustIndex {
    let mut index = TrustIndex::default();
    for (i, node) in nodes.iter().enumerate() {
        let Some((arn, _)) = &node.role else { continue };
        let Some((_, role)) = workspace.role_by_arn(arn) else {
            continue;
        };
        let Some(trust) = &role.trust_policy else {
            continue;
        };
        let mut everyone = false;
        let mut accounts = Vec::new();
        let mut arns = Vec::new();
        for statement in trust
            .policy
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow)
        {
            match &statement.principal {
                Some(PrincipalSpec::Principal(set)) => {
                    everyone |= set.everyone;
                    for p in &set.aws {
                        match p {
                            AwsPrincipal::Everyone => everyone = true,
                            AwsPrincipal::Account(a) => accounts.push(a.clone()),
                            AwsPrincipal::User(a)
                            | AwsPrincipal::Role(a)
                            | AwsPrincipal::AssumedRole(a) => arns.push(a.clone()),
                            _ => {}
                        }
                    }
                }
                // NotPrincipal in a trust policy is invalid; be generous.
                Some(PrincipalSpec::NotPrincipal(_)) => everyone = true,
                None => {}
            }
        }
        if everyone {
            index.everyone.push(i);
            continue;
        }
        accounts.sort();
        accounts.dedup();
        arns.sort();
        arns.dedup();
        for a in accounts {
            index.by_account.entry(a).or_default().push(i);
        }
        for a in arns {
            index.by_arn.entry(a).or_default().push(i);
        }
    }
    index
}

/// True when some identity Allow statement of `principal` names `action`:
/// without one, only a resource policy could allow.
fn identity_may_allow(principal: &Principal, action: &str) -> bool {
    principal.identity_policies.iter().any(|policy| {
        policy
            .policy
            .statements
            .iter()
            .any(|s| s.effect == Effect::Allow && s.applies_to_action(action))
    })
}

/// The roles a principal's identity policies may allow it to assume: `any`
/// when a statement applies to every resource (or to all but some), else the
/// resource patterns of its sts:AssumeRole statements. Computed once per
/// principal; checking a role is then a few pattern matches.
struct AssumeScope<'a> {
    any: bool,
    patterns: Vec<&'a crate::policy::variables::Template>,
}

impl AssumeScope<'_> {
    fn may_allow(&self, role_arn: &str, empty: &RequestContext) -> bool {
        self.any
            || self
                .patterns
                .iter()
                .any(|t| t.has_variables() || t.matches(role_arn, empty))
    }
}

fn assume_scope(principal: &Principal) -> AssumeScope<'_> {
    let mut scope = AssumeScope {
        any: false,
        patterns: Vec::new(),
    };
    for policy in &principal.identity_policies {
        for s in policy.policy.statements.iter() {
            if s.effect != Effect::Allow || !s.applies_to_action("sts:AssumeRole") {
                continue;
            }
            match &s.resources {
                Some(ResourceSpec::Resource(templates)) => scope.patterns.extend(templates.iter()),
                _ => scope.any = true,
            }
        }
    }
    scope
}

/// Every user and role that can perform `action` on `resource`.
pub fn who_can(
    workspace: &Workspace,
    action: &str,
    resource: &str,
    context: &RequestContext,
    now: i64,
) -> WhoCan {
    let mut nodes = Vec::new();
    for account in &workspace.accounts {
        for user in &account.users {
            nodes.push(Node {
                principal: Principal::user(workspace, account, user),
                role: None,
            });
        }
        for role in &account.roles {
            nodes.push(Node {
                principal: Principal::role_session(
                    workspace,
                    account,
                    role,
                    crate::eval::principal::DEFAULT_SESSION_NAME,
                    None,
                ),
                role: Some((role.arn.clone(), role.name.clone())),
            });
        }
    }
    let allowed = |who: &Principal, action: &str, resource: &str| {
        evaluate_outcome(
            workspace,
            who,
            &Request {
                action: action.to_string(),
                resource: resource.to_string(),
                context: context.clone(),
                now_epoch: now,
            },
        )
        .is_allowed()
    };
    let has_resource_policy = workspace.resource_policy_for(resource).is_some()
        || workspace.role_by_arn(resource).is_some();
    // path_from[i]: the roles node i assumes to reach the action (empty: directly).
    let mut path_from: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (i, node) in nodes.iter().enumerate() {
        let p = &node.principal;
        let worth_asking =
            p.kind == PrincipalKind::Root || has_resource_policy || identity_may_allow(p, action);
        if worth_asking && allowed(p, action, resource) {
            path_from.insert(i, Vec::new());
        }
    }
    let trust = index_trust(&nodes, workspace);
    let mut in_frontier = vec![false; nodes.len()];
    let mut frontier_size = 0;
    for &i in path_from.keys() {
        if nodes[i].role.is_some() {
            in_frontier[i] = true;
            frontier_size += 1;
        }
    }
    // Each principal's sts:AssumeRole scope, computed once across the hops.
    let mut scopes: Vec<Option<AssumeScope>> = Vec::new();
    scopes.resize_with(nodes.len(), || None);
    let empty = RequestContext::new();
    for _ in 0..MAX_HOPS {
        if frontier_size == 0 {
            break;
        }
        let mut next = Vec::new();
        for (i, node) in nodes.iter().enumerate() {
            if path_from.contains_key(&i) {
                continue;
            }
            let p = &node.principal;
            let scope = &mut scopes[i];
            for target in trust.candidates(p) {
                if !in_frontier[target] || target == i {
                    continue;
                }
                let Some((role_arn, role_name)) = &nodes[target].role else {
                    continue;
                };
                // Naming the caller itself spares the identity allow in the same
                // account; anything else needs one: skip when none could apply.
                let same_account = role_arn.split(':').nth(4) == Some(p.account.as_str());
                let named_directly = trust
                    .by_arn
                    .get(&p.arn)
                    .is_some_and(|v| v.contains(&target))
                    || p.session.as_ref().is_some_and(|s| {
                        trust
                            .by_arn
                            .get(&s.role_arn)
                            .is_some_and(|v| v.contains(&target))
                    })
                    || trust.everyone.contains(&target);
                let spared = same_account && named_directly;
                if !spared
                    && !scope
                        .get_or_insert_with(|| assume_scope(p))
                        .may_allow(role_arn, &empty)
                {
                    continue;
                }
                if !allowed(p, "sts:AssumeRole", role_arn) {
                    continue;
                }
                let mut path = vec![role_name.clone()];
                path.extend(path_from.get(&target).cloned().unwrap_or_default());
                path_from.insert(i, path);
                if node.role.is_some() {
                    next.push(i);
                }
                break;
            }
        }
        in_frontier = vec![false; nodes.len()];
        frontier_size = next.len();
        for i in next {
            in_frontier[i] = true;
        }
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
    result
}
