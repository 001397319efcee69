//! Who can perform an action: directly, or by assuming one or more roles
//! (alice → DevOps → ProdAdmin).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::eval::{evaluate, Principal, PrincipalKind, Request};
use crate::model::Workspace;
use crate::policy::RequestContext;

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
    /// Index into `nodes` when the node is a role.
    role_arn: Option<String>,
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
                role_arn: None,
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
                role_arn: Some(role.arn.clone()),
            });
        }
    }
    let allowed = |who: &Principal, action: &str, resource: &str| {
        evaluate(
            workspace,
            who,
            &Request {
                action: action.to_string(),
                resource: resource.to_string(),
                context: context.clone(),
                now_epoch: now,
            },
        )
        .decision
        .is_allowed()
    };
    // path_from[i]: the roles node i assumes to reach the action (empty: directly).
    let mut path_from: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (i, node) in nodes.iter().enumerate() {
        if allowed(&node.principal, action, resource) {
            path_from.insert(i, Vec::new());
        }
    }
    let mut frontier: Vec<usize> = path_from
        .keys()
        .copied()
        .filter(|&i| nodes[i].role_arn.is_some())
        .collect();
    for _ in 0..MAX_HOPS {
        let mut next = Vec::new();
        for (i, node) in nodes.iter().enumerate() {
            if path_from.contains_key(&i) {
                continue;
            }
            for &target in &frontier {
                let (Some(role_arn), Some(target_path)) =
                    (&nodes[target].role_arn, path_from.get(&target))
                else {
                    continue;
                };
                if node.role_arn.as_ref() == Some(role_arn)
                    || !allowed(&node.principal, "sts:AssumeRole", role_arn)
                {
                    continue;
                }
                let mut path = vec![nodes[target]
                    .principal
                    .session
                    .as_ref()
                    .map_or_else(String::new, |s| s.role_name.clone())];
                path.extend(target_path.iter().cloned());
                path_from.insert(i, path);
                if node.role_arn.is_some() {
                    next.push(i);
                }
                break;
            }
        }
        if next.is_empty() {
            break;
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
                .role_arn
                .clone()
                .unwrap_or_else(|| node.principal.arn.clone()),
            kind: node.principal.kind,
            name: node.principal.session.as_ref().map_or_else(
                || node.principal.display_name.clone(),
                |s| s.role_name.clone(),
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
