//! `iamscope permissions`: the effective permissions of a principal.

use std::fmt::Write as _;

use super::args::PermissionsArgs;
use super::caveats::{self, WithCaveats};
use super::check::{fail, prepare};
use super::ExitCode;
use crate::catalog::Catalog;
use crate::eval::effective::{effective_permissions, EffectiveAction, EffectivePermissions};
use crate::eval::footprint::principal_footprint;
use crate::eval::Principal;
use crate::text::clean;

pub fn run(args: &PermissionsArgs, wall_clock: i64) -> ExitCode {
    let (loaded, context, now) = match prepare(args.workspace.as_deref(), &args.context, wall_clock)
    {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let ws = &loaded.workspace;
    if let Some(service) = &args.service {
        if Catalog::get().service(service).is_none() {
            return fail(format!(
                "no service has the prefix \"{service}\" in the action catalog"
            ));
        }
    }
    // Every principal is looked up first: a typo in the third fails before
    // any answer is printed.
    let mut principals = Vec::with_capacity(args.principal.len());
    for query in &args.principal {
        match Principal::lookup(ws, query) {
            Ok(p) => principals.push(p),
            Err(e) => return fail(e.to_string()),
        }
    }
    let mut answers = Vec::with_capacity(principals.len());
    for principal in &principals {
        let mut permissions = effective_permissions(ws, principal, &context, now);
        if let Some(service) = &args.service {
            let service = service.to_ascii_lowercase();
            permissions.actions.retain(|a| a.service == service);
        }
        // Nothing to look up on a workspace without problems.
        let caveats = if loaded.diagnostics.is_empty() {
            Vec::new()
        } else {
            loaded.caveats(&principal_footprint(ws, principal))
        };
        answers.push((permissions, caveats));
    }
    if args.json {
        let wrapped: Vec<WithCaveats<EffectivePermissions>> = answers
            .iter()
            .map(|(permissions, caveats)| WithCaveats {
                answer: permissions,
                caveats,
            })
            .collect();
        // One principal: its object, as always; several: an array of them.
        let text = match wrapped.as_slice() {
            [one] => serde_json::to_string_pretty(one),
            many => serde_json::to_string_pretty(many),
        };
        match text {
            Ok(text) => outln!("{text}"),
            Err(e) => return fail(e.to_string()),
        }
    } else {
        for (i, (principal, (permissions, caveats))) in principals.iter().zip(&answers).enumerate()
        {
            if i > 0 {
                outln!();
            }
            out!(
                "{}{}",
                render(principal, permissions),
                caveats::render(caveats)
            );
        }
    }
    ExitCode::Ok
}

/// The permissions grouped by service and access level.
pub fn render(principal: &Principal, permissions: &EffectivePermissions) -> String {
    let catalog = Catalog::get();
    let mut out = String::new();
    let conditional = permissions.actions.iter().filter(|a| a.conditional).count();
    let _ = writeln!(
        out,
        "{} ({}) — {} action{} allowed{}",
        clean(&principal.display_name),
        clean(&principal.arn),
        permissions.actions.len(),
        if permissions.actions.len() == 1 {
            ""
        } else {
            "s"
        },
        if conditional > 0 {
            format!(", {conditional} of them only under conditions the context does not decide")
        } else {
            String::new()
        }
    );
    for note in &permissions.notes {
        let _ = writeln!(out, "  note: {}", clean(note));
    }
    let mut by_service: std::collections::BTreeMap<&str, Vec<&EffectiveAction>> =
        Default::default();
    for action in &permissions.actions {
        by_service
            .entry(action.service.as_str())
            .or_default()
            .push(action);
    }
    for (service, mut actions) in by_service {
        let name = catalog.service(service).map_or("", |s| s.name);
        let _ = writeln!(out, "\n{service}  {name}  ({})", actions.len());
        actions.sort_by_key(|a| (a.access, a.action.to_ascii_lowercase()));
        for action in actions {
            let _ = writeln!(out, "  {}", action_line(action));
        }
    }
    out
}

/// `Write  ec2:TerminateInstances  arn:...  if ...  [denied on ...]`.
pub fn action_line(action: &EffectiveAction) -> String {
    let catalog = Catalog::get();
    let own = catalog.service_of(action.id).name;
    let service = catalog.action(action.id).service_name;
    // An action of another service sharing the prefix says whose it is.
    let whose = if service == own {
        String::new()
    } else {
        format!("({service}) ")
    };
    let mut line = format!(
        "{:<22} {:<40} {whose}{}",
        action.access.as_str(),
        action.action,
        clean(&action.resources().join(", "))
    );
    if action.conditional {
        line.push_str(&format!(
            "  only if {}",
            clean(&action.conditions.join(" and "))
        ));
    } else {
        let conditions: Vec<String> = action
            .grants
            .iter()
            .flat_map(|g| g.conditions.iter().cloned())
            .collect();
        if !conditions.is_empty() {
            line.push_str(&format!("  if {}", clean(&conditions.join(" and "))));
        }
    }
    for r in &action.restrictions {
        line.push_str(&format!("  [{}]", clean(&r.describe())));
    }
    line
}
