//! What-if: the workspace as it would be after one change a trainer makes
//! on purpose (detach a policy, disable a statement, drop a boundary,
//! disable an SCP), as a modified copy. The files are never touched; the UI
//! holds the copy in place of the loaded workspace and keeps the previous
//! one to undo.
//!
//! Each change is what the corresponding IAM or Organizations call would
//! leave: `DetachUserPolicy`/`DeleteUserPolicy` and their group and role
//! twins, `DeleteUserPermissionsBoundary`/`DeleteRolePermissionsBoundary`,
//! Organizations `DetachPolicy` from every target, and for a statement the
//! policy as a new default version without it.

use std::sync::Arc;

use crate::model::policy_ref::NamedPolicy;
use crate::model::{Account, Workspace};
use crate::policy::Policy;

#[cfg(test)]
mod tests;

/// One change to the workspace. Users, groups and roles are named by ARN,
/// policies by name (an inline policy's name, or a managed policy's name or
/// ARN), as a tour writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Detaches a managed policy from, or deletes an inline policy of, the
    /// user, group or role `entity` (where the policy is attached: a
    /// group's policy is detached from the group, for all its members).
    DetachPolicy { entity: String, policy: String },
    /// Removes statement `index` (0-based, as the file lists them) from a
    /// policy `entity` holds. A managed policy changes for every principal
    /// it is attached to, as a new default version would.
    DisableStatement {
        entity: String,
        policy: String,
        index: usize,
    },
    /// Removes the permissions boundary of the user or role `entity`.
    DropBoundary { entity: String },
    /// Detaches the SCP `name` from every root, OU and account.
    DisableScp { name: String },
}

/// Why a change cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WhatIfError {
    #[error("no user, group or role {0} in the workspace")]
    NoEntity(String),
    #[error("{entity} has no policy named \"{policy}\" of its own")]
    NoPolicy { entity: String, policy: String },
    #[error("{policy} has no statement #{number}", number = .index + 1)]
    NoStatement { policy: String, index: usize },
    #[error("{0} has no permissions boundary")]
    NoBoundary(String),
    #[error("the workspace has no organization")]
    NoOrganization,
    #[error("the organization has no SCP named \"{0}\"")]
    NoScp(String),
    /// Organizations API Reference, DetachPolicy: "Every root, OU, and
    /// account must have at least one SCP attached"
    /// (https://docs.aws.amazon.com/organizations/latest/APIReference/API_DetachPolicy.html).
    #[error("{scp} is the only SCP on {target}: AWS requires at least one SCP on every root, OU and account, so it cannot be detached (attach another first)")]
    LastScp { scp: String, target: String },
}

impl Change {
    /// The change in words, for the banner and the event log.
    pub fn describe(&self) -> String {
        match self {
            Change::DetachPolicy { entity, policy } => {
                format!("detach {policy} from {}", short(entity))
            }
            Change::DisableStatement {
                entity,
                policy,
                index,
            } => format!(
                "disable statement #{} of {policy} (held by {})",
                index + 1,
                short(entity)
            ),
            Change::DropBoundary { entity } => {
                format!("drop the permissions boundary of {}", short(entity))
            }
            Change::DisableScp { name } => format!("disable the SCP {name}"),
        }
    }
}

/// `user/alice` from `arn:aws:iam::111111111111:user/alice`.
fn short(arn: &str) -> &str {
    arn.splitn(6, ':').nth(5).unwrap_or(arn)
}

/// The workspace after `change`: a copy, `workspace` untouched.
pub fn apply(workspace: &Workspace, change: &Change) -> Result<Workspace, WhatIfError> {
    let mut copy = workspace.clone();
    match change {
        Change::DetachPolicy { entity, policy } => {
            let holder = holder_mut(&mut copy, entity)?;
            let inline_before = holder.inline.len();
            holder.inline.retain(|p| p.origin.name != *policy);
            let attached_before = holder.attached.len();
            holder.attached.retain(|arn| !names_managed(arn, policy));
            if holder.inline.len() == inline_before && holder.attached.len() == attached_before {
                return Err(WhatIfError::NoPolicy {
                    entity: entity.clone(),
                    policy: policy.clone(),
                });
            }
        }
        Change::DisableStatement {
            entity,
            policy,
            index,
        } => disable_statement(&mut copy, entity, policy, *index)?,
        Change::DropBoundary { entity } => {
            let holder = holder_mut(&mut copy, entity)?;
            match holder.boundary {
                Some(boundary) if boundary.is_some() => *boundary = None,
                _ => return Err(WhatIfError::NoBoundary(entity.clone())),
            }
        }
        Change::DisableScp { name } => disable_scp(&mut copy, name)?,
    }
    Ok(copy)
}

/// The policy lists of a user, group or role, to change in place.
struct Holder<'a> {
    inline: &'a mut Vec<Arc<NamedPolicy>>,
    attached: &'a mut Vec<String>,
    /// `None` for a group, which has no boundary.
    boundary: Option<&'a mut Option<String>>,
    account: String,
}

fn holder_mut<'a>(workspace: &'a mut Workspace, arn: &str) -> Result<Holder<'a>, WhatIfError> {
    for account in &mut workspace.accounts {
        let id = account.id.clone();
        if let Some(i) = account.users.iter().position(|u| u.arn == arn) {
            let user = &mut account.users[i];
            return Ok(Holder {
                inline: &mut user.inline_policies,
                attached: &mut user.attached,
                boundary: Some(&mut user.boundary),
                account: id,
            });
        }
        if let Some(i) = account.groups.iter().position(|g| g.arn == arn) {
            let group = &mut account.groups[i];
            return Ok(Holder {
                inline: &mut group.inline_policies,
                attached: &mut group.attached,
                boundary: None,
                account: id,
            });
        }
        if let Some(i) = account.roles.iter().position(|r| r.arn == arn) {
            let role = &mut account.roles[i];
            return Ok(Holder {
                inline: &mut role.inline_policies,
                attached: &mut role.attached,
                boundary: Some(&mut role.boundary),
                account: id,
            });
        }
    }
    Err(WhatIfError::NoEntity(arn.to_string()))
}

/// Whether the managed policy `arn` is the one `policy` names (its name,
/// the last segment of its ARN, or the ARN itself).
fn names_managed(arn: &str, policy: &str) -> bool {
    arn == policy || arn.rsplit('/').next() == Some(policy)
}

/// `policy` without statement `index`. The statements keep their own
/// positions, so the trace still names the others as the file does.
fn without_statement(named: &NamedPolicy, index: usize) -> Result<Arc<NamedPolicy>, WhatIfError> {
    let statements = &named.policy.statements;
    if !statements.iter().any(|s| s.index == index) {
        return Err(WhatIfError::NoStatement {
            policy: named.origin.name.clone(),
            index,
        });
    }
    let kept = statements
        .iter()
        .filter(|s| s.index != index)
        .cloned()
        .collect();
    Ok(Arc::new(NamedPolicy {
        origin: named.origin.clone(),
        kind: named.kind,
        policy: Arc::new(Policy::new(
            named.policy.version,
            named.policy.id.clone(),
            kept,
        )),
    }))
}

fn disable_statement(
    workspace: &mut Workspace,
    entity: &str,
    policy: &str,
    index: usize,
) -> Result<(), WhatIfError> {
    let holder = holder_mut(workspace, entity)?;
    if let Some(slot) = holder.inline.iter_mut().find(|p| p.origin.name == policy) {
        *slot = without_statement(slot, index)?;
        return Ok(());
    }
    let Some(arn) = holder
        .attached
        .iter()
        .find(|arn| names_managed(arn, policy))
        .cloned()
    else {
        return Err(WhatIfError::NoPolicy {
            entity: entity.to_string(),
            policy: policy.to_string(),
        });
    };
    let account = holder.account.clone();
    let document = workspace
        .managed_policy(&account, &arn)
        .and_then(|m| m.default_document())
        .cloned()
        .ok_or_else(|| WhatIfError::NoPolicy {
            entity: entity.to_string(),
            policy: policy.to_string(),
        })?;
    let changed = without_statement(&document, index)?;
    // Every copy the workspace may read the policy from: the account's own
    // (customer managed), each dump's (AWS managed), the bundled one.
    let copies = workspace
        .accounts
        .iter_mut()
        .filter_map(|a: &mut Account| a.policies.get_mut(&arn))
        .chain(workspace.bundled_policies.get_mut(&arn));
    for managed in copies {
        let default = managed.default_version_id.clone();
        for version in managed
            .versions
            .iter_mut()
            .filter(|v| v.is_default || v.version_id == default)
        {
            version.document = changed.clone();
        }
    }
    Ok(())
}

fn disable_scp(workspace: &mut Workspace, name: &str) -> Result<(), WhatIfError> {
    let org = workspace
        .organization
        .as_mut()
        .ok_or(WhatIfError::NoOrganization)?;
    let Some(scp) = org
        .service_control_policies
        .iter()
        .find(|p| p.name == name)
        .cloned()
    else {
        return Err(WhatIfError::NoScp(name.to_string()));
    };
    for target in &scp.targets {
        let others = org
            .service_control_policies
            .iter()
            .filter(|p| p.name != name && p.targets.contains(target))
            .count();
        if others == 0 {
            return Err(WhatIfError::LastScp {
                scp: name.to_string(),
                target: target.clone(),
            });
        }
    }
    org.service_control_policies.retain(|p| p.name != name);
    // The levels of each account were computed from the old list.
    org.level_cache = std::sync::OnceLock::new();
    Ok(())
}
