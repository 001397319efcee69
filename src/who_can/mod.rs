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
//!
//! The search is split by job: `index` reads what trust policies name and
//! indexes a hop's frontier by it, `scope` works out which roles each
//! principal's identity policies may let it assume, `hop` extends the paths
//! by one role assumption, and `prune` holds the filter that spares the
//! direct question. The small lookups `hop` calls per principal and role
//! are `#[inline]`: in other files they are compiled apart from it, and the
//! search should cost what it did as one file.

mod assumptions;
mod hop;
mod index;
mod prune;
mod scope;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::eval::{Principal, PrincipalKind};
use crate::model::workspace::PrincipalRef;
use crate::model::Workspace;
use crate::parallel;
use crate::policy::RequestContext;

use hop::{Ask, HopWorker};
use index::{trust_names, FrontierIndex};
use prune::identity_may_allow;

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
    /// The account of the identity that makes the request: the last role's,
    /// or the principal's own.
    #[serde(skip)]
    pub acting_account: String,
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
    /// Those who can only when the request carries keys the context does
    /// not give (signed in with MFA, over HTTPS), with those keys.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditional: Vec<ConditionalReach>,
    /// When the resource's owner cannot be told: why, and who can only if
    /// the resource is in their own account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_unknown: Option<OwnerUnknown>,
}

/// A principal that can, once the request carries `needs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionalReach {
    #[serde(flatten)]
    pub reach: Reach,
    /// Context keys and the values that let it: `aws:MultiFactorAuthPresent`
    /// → `true`.
    pub needs: BTreeMap<String, String>,
}

/// The answer for a resource whose owner the workspace does not know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnerUnknown {
    pub note: String,
    /// Those who can only if the resource belongs to their (acting) account:
    /// within one account an identity policy alone may allow, across
    /// accounts the resource's policy must allow too.
    pub if_owner: Vec<OwnerDependent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnerDependent {
    #[serde(flatten)]
    pub reach: Reach,
    /// The account the resource would have to belong to.
    pub if_owned_by: String,
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

/// Every user and role that can perform `action` on `resource`: those who
/// can under `context`; those who could if the request carried keys the
/// context leaves out ([`assumptions`]); and, when the resource's owner
/// cannot be told, those who can only if it is in their own account.
pub fn who_can(
    workspace: &Workspace,
    action: &str,
    resource: &str,
    context: &RequestContext,
    now: i64,
) -> WhoCan {
    let owner_unknown = workspace.resource_account(resource, "").is_none()
        && !context.contains(crate::eval::RESOURCE_ACCOUNT_KEY);
    // Not knowing the owner, the sure answer is the one that holds whoever
    // owns it: the resource taken to be in no principal's account.
    let mut sure_context = context.clone();
    if owner_unknown {
        sure_context.push(
            crate::eval::RESOURCE_ACCOUNT_KEY,
            crate::eval::UNKNOWN_OWNER,
        );
    }
    let nodes = nodes_of(workspace);
    let mut result = search(workspace, &nodes, action, resource, &sure_context, now);
    let mut known: std::collections::BTreeSet<String> = result
        .direct
        .iter()
        .chain(&result.through_roles)
        .map(|r| r.principal.clone())
        .collect();
    if owner_unknown {
        let if_own = search(workspace, &nodes, action, resource, context, now);
        let if_owner: Vec<OwnerDependent> = if_own
            .direct
            .into_iter()
            .chain(if_own.through_roles)
            .filter(|r| !known.contains(&r.principal))
            .map(|reach| OwnerDependent {
                if_owned_by: reach.acting_account.clone(),
                reach,
            })
            .collect();
        known.extend(if_owner.iter().map(|o| o.reach.principal.clone()));
        result.owner_unknown = Some(OwnerUnknown {
            note: format!(
                "the owner of {resource} is unknown: its ARN names no account, and no resource policy \
                 or declared AccountId in the workspace names one (give --resource-account, or add \
                 {{\"Arn\", \"AccountId\"}} to the resource-policies file)"
            ),
            if_owner,
        });
    }
    result.conditional =
        assumptions::conditional_reaches(workspace, &sure_context, &known, |ctx| {
            search(workspace, &nodes, action, resource, ctx, now)
        });
    parallel::drop_all(nodes);
    result
}

/// [`who_can`] under exactly `context`.
fn search(
    workspace: &Workspace,
    nodes: &[Node],
    action: &str,
    resource: &str,
    context: &RequestContext,
    now: i64,
) -> WhoCan {
    let ask = Ask {
        workspace,
        context,
        now,
        nodes,
    };
    let has_resource_policy = workspace.resource_policy_for(resource).is_some()
        || workspace.role_by_arn(resource).is_some();
    // path_from[i]: the roles node i assumes to reach the action (empty: directly).
    let mut path_from: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let direct = parallel::map(nodes, |node| {
        let p = &node.principal;
        let worth_asking =
            p.kind == PrincipalKind::Root || has_resource_policy || identity_may_allow(p, action);
        worth_asking && ask.allowed(p, action, resource)
    });
    // ends_at[i]: the node whose identity makes the request at the end of i's path.
    let mut ends_at: BTreeMap<usize, usize> = BTreeMap::new();
    for (i, _) in direct.iter().enumerate().filter(|(_, yes)| **yes) {
        path_from.insert(i, Vec::new());
        ends_at.insert(i, i);
    }
    let names = trust_names(nodes, workspace);
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
        .map(|start| HopWorker::new(start..(start + share).min(nodes.len()), nodes))
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
            let end = ends_at.get(&target).copied().unwrap_or(target);
            ends_at.insert(i, end);
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
            acting_account: nodes[ends_at.get(&i).copied().unwrap_or(i)]
                .principal
                .account
                .clone(),
        };
        if reach.path.is_empty() {
            result.direct.push(reach);
        } else {
            result.through_roles.push(reach);
        }
    }
    drop(workers);
    result
}

/// Every user and role of the workspace as a node of the search (a role as
/// a session of it), built once for all the searches of one question.
fn nodes_of(workspace: &Workspace) -> Vec<Node> {
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
    parallel::map(&refs, |(account, principal)| Node {
        principal: Principal::from_ref(workspace, *principal, None),
        role: match principal {
            PrincipalRef::Role { role, .. } => Some((role.arn.clone(), role.name.clone())),
            _ => None,
        },
        account: *account,
    })
}
