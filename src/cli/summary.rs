//! `iamscope [WORKSPACE]` without a command: what the workspace holds.

use std::path::Path;

use super::workspace_arg::open;
use super::ExitCode;
use crate::text::clean;

pub fn run(path: Option<&Path>) -> ExitCode {
    let loaded = match open(path) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let ws = &loaded.workspace;
    outln!("iamscope — workspace {}", clean(&ws.name));
    for account in &ws.accounts {
        let name = ws
            .organization
            .as_ref()
            .and_then(|o| o.accounts.iter().find(|a| a.id == account.id))
            .map(|a| format!(" ({})", a.name))
            .unwrap_or_default();
        outln!("\naccount {}{}", account.id, clean(&name));
        let users: Vec<String> = account
            .users
            .iter()
            .map(|u| {
                if u.groups.is_empty() {
                    clean(&u.name).into_owned()
                } else {
                    format!("{} [{}]", clean(&u.name), clean(&u.groups.join(", ")))
                }
            })
            .collect();
        outln!("  users   {:>3}  {}", account.users.len(), users.join(", "));
        let groups: Vec<_> = account
            .groups
            .iter()
            .map(|g| clean(&g.name).into_owned())
            .collect();
        outln!(
            "  groups  {:>3}  {}",
            account.groups.len(),
            groups.join(", ")
        );
        let roles: Vec<_> = account
            .roles
            .iter()
            .map(|r| clean(&r.name).into_owned())
            .collect();
        outln!("  roles   {:>3}  {}", account.roles.len(), roles.join(", "));
    }
    if let Some(org) = &ws.organization {
        outln!(
            "\norganization: management account {}, {} SCP{}, {} RCP{}",
            org.management_account_id.as_deref().unwrap_or("unknown"),
            org.service_control_policies.len(),
            if org.service_control_policies.len() == 1 {
                ""
            } else {
                "s"
            },
            org.resource_control_policies.len(),
            if org.resource_control_policies.len() == 1 {
                ""
            } else {
                "s"
            },
        );
    }
    if !ws.resource_policies.is_empty() {
        outln!("resource policies: {}", ws.resource_policies.len());
    }
    let errors = loaded.errors().count();
    let warnings = loaded.warnings().count();
    if errors + warnings > 0 {
        outln!(
            "\n{errors} error{}, {warnings} warning{}: run `iamscope validate` for details",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
        );
    }
    outln!("\nTry:  iamscope check --principal alice --action s3:GetObject --resource arn:aws:s3:::dev-app-data/report.csv");
    outln!("      iamscope validate [WORKSPACE]");
    ExitCode::Ok
}
