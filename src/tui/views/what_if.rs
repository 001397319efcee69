//! The what-if menu's choices for a selection: detach each of its policies
//! (a group's from the group), disable each of their statements, drop its
//! boundary, and for the organization disable each SCP.

use crate::model::{Account, Workspace};
use crate::tui::overlay::WhatIfChoice;
use crate::tui::selection::{EntityRef, Tab};
use crate::what_if::Change;

/// Every change the menu offers for the entity `entity` of `tab`.
pub fn choices(workspace: &Workspace, tab: Tab, entity: Option<EntityRef>) -> Vec<WhatIfChoice> {
    let mut out = Vec::new();
    if let Some((account, entity)) =
        entity.and_then(|e| workspace.accounts.get(e.account).map(|a| (a, e)))
    {
        let holders = holders(account, tab, entity.index);
        for (arn, label) in &holders {
            policy_choices(workspace, account, arn, label, &mut out);
        }
        let boundary = match tab {
            Tab::Users => account
                .users
                .get(entity.index)
                .and_then(|u| u.boundary.as_ref()),
            Tab::Roles => account
                .roles
                .get(entity.index)
                .and_then(|r| r.boundary.as_ref()),
            Tab::Groups => None,
        };
        if let (Some(boundary), Some((arn, _))) = (boundary, holders.first()) {
            out.push(WhatIfChoice {
                label: format!(
                    "drop the boundary {}",
                    boundary.rsplit('/').next().unwrap_or(boundary)
                ),
                change: Change::DropBoundary {
                    entity: arn.clone(),
                },
            });
        }
    }
    if let Some(org) = &workspace.organization {
        for scp in &org.service_control_policies {
            out.push(WhatIfChoice {
                label: format!(
                    "disable the SCP {} (on {})",
                    scp.name,
                    scp.targets.join(", ")
                ),
                change: Change::DisableScp {
                    name: scp.name.clone(),
                },
            });
        }
    }
    out
}

/// The entity itself and, for a user, its groups: each holds policies of
/// its own. `(ARN, how the menu names it)`.
fn holders(account: &Account, tab: Tab, index: usize) -> Vec<(String, String)> {
    match tab {
        Tab::Users => account.users.get(index).map_or_else(Vec::new, |u| {
            std::iter::once((u.arn.clone(), String::new()))
                .chain(
                    u.groups
                        .iter()
                        .filter_map(|g| account.group(g))
                        .map(|g| (g.arn.clone(), format!(" (group {})", g.name))),
                )
                .collect()
        }),
        Tab::Groups => account
            .groups
            .get(index)
            .map(|g| vec![(g.arn.clone(), String::new())])
            .unwrap_or_default(),
        Tab::Roles => account
            .roles
            .get(index)
            .map(|r| vec![(r.arn.clone(), String::new())])
            .unwrap_or_default(),
    }
}

/// Detach each policy `holder` holds, and disable each statement of it.
fn policy_choices(
    workspace: &Workspace,
    account: &Account,
    holder: &str,
    via: &str,
    out: &mut Vec<WhatIfChoice>,
) {
    let (inline, attached) = if let Some(u) = account.users.iter().find(|u| u.arn == holder) {
        (&u.inline_policies, &u.attached)
    } else if let Some(g) = account.groups.iter().find(|g| g.arn == holder) {
        (&g.inline_policies, &g.attached)
    } else if let Some(r) = account.roles.iter().find(|r| r.arn == holder) {
        (&r.inline_policies, &r.attached)
    } else {
        return;
    };
    let documents = inline
        .iter()
        .map(|p| (p.origin.name.clone(), Some(p.clone())))
        .chain(attached.iter().map(|arn| {
            let name = arn.rsplit('/').next().unwrap_or(arn).to_string();
            let document = workspace
                .managed_policy(&account.id, arn)
                .and_then(|m| m.default_document())
                .cloned();
            (name, document)
        }));
    for (name, document) in documents {
        out.push(WhatIfChoice {
            label: format!("detach {name}{via}"),
            change: Change::DetachPolicy {
                entity: holder.to_string(),
                policy: name.clone(),
            },
        });
        let Some(document) = document else { continue };
        for statement in &document.policy.statements {
            out.push(WhatIfChoice {
                label: format!(
                    "  disable {} of {name}{via}: {} {}",
                    statement.reference().label(),
                    effect_word(statement.effect),
                    statement_actions(statement)
                ),
                change: Change::DisableStatement {
                    entity: holder.to_string(),
                    policy: name.clone(),
                    index: statement.index,
                },
            });
        }
    }
}

fn effect_word(effect: crate::policy::Effect) -> &'static str {
    match effect {
        crate::policy::Effect::Allow => "Allow",
        crate::policy::Effect::Deny => "Deny",
    }
}

/// The statement's actions in a few words (`s3:Get*, s3:List*`).
fn statement_actions(statement: &crate::policy::Statement) -> String {
    use crate::policy::statement::ActionSpec;
    let (prefix, patterns) = match &statement.actions {
        ActionSpec::Action(p) => ("", p),
        ActionSpec::NotAction(p) => ("all but ", p),
    };
    let names: Vec<&str> = patterns.iter().map(|p| p.raw()).collect();
    format!("{prefix}{}", names.join(", "))
}
