//! What trust policies name, read once as positions, and each hop's frontier
//! indexed by it, so that a principal meets only the roles that may admit it.

use std::collections::HashMap;

use super::{IndexMap, Node};
use crate::model::Workspace;
use crate::policy::TrustName;

/// What a role's trust policy names in its Allow statements (conditions
/// aside): everyone, accounts, or principal ARNs.
#[derive(Default)]
pub(super) struct TrustNames {
    pub(super) everyone: bool,
    /// Positions of the accounts named, in the workspace.
    pub(super) accounts: Vec<usize>,
    /// Nodes named by ARN (a user, a role, or a role's session).
    pub(super) nodes: Vec<usize>,
}

/// The trust names of every role node, read once, as positions: accounts and
/// principals outside the workspace cannot be searched from, and the hops
/// then look them up by number.
pub(super) fn trust_names(nodes: &[Node], workspace: &Workspace) -> Vec<Option<TrustNames>> {
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
            trust.policy.visit_trust_names(|name| match name {
                TrustName::Everyone => names.everyone = true,
                TrustName::Account(a) => names.accounts.extend(accounts.get(a)),
                TrustName::Principal(a) => names.nodes.extend(by_arn.get(a)),
            });
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
pub(super) struct FrontierIndex {
    pub(super) everyone: Vec<usize>,
    /// Account position → frontier roles trusting that account.
    pub(super) by_account: IndexMap<usize, Vec<usize>>,
    /// Node → frontier roles whose trust names that principal.
    pub(super) by_node: IndexMap<usize, Vec<usize>>,
}

impl FrontierIndex {
    pub(super) fn new(frontier: &[usize], names: &[Option<TrustNames>]) -> Self {
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
    #[inline]
    pub(super) fn naming(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.everyone
            .iter()
            .chain(self.by_node.get(&i).into_iter().flatten())
            .copied()
    }

    /// Frontier roles whose trust policy names the account at `account`.
    #[inline]
    pub(super) fn trusting(&self, account: usize) -> &[usize] {
        self.by_account.get(&account).map_or(&[], Vec::as_slice)
    }
}
