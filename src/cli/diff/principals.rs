//! `iamscope diff --principal A --with B`: two principals of one workspace
//! under the same request context.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::super::args::DiffArgs;
use super::super::caveats::{self, WithCaveats};
use super::super::check::{fail, prepare};
use super::super::permissions::action_line;
use super::super::ExitCode;
use crate::catalog::Catalog;
use crate::eval::effective::{diff, effective_permissions, EffectiveAction, EffectivePermissions};
use crate::eval::footprint::principal_footprint;
use crate::eval::Principal;
use crate::text::clean;

/// The answer as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct PrincipalDiff {
    /// A's ARN (a role's is the ARN of the session compared).
    pub principal: String,
    /// B's ARN.
    pub with: String,
    /// What B may do that A may not: whole actions, or an action on
    /// resources A lacks (the grants shown are B's).
    pub gained: Vec<EffectiveAction>,
    /// What A may do that B may not.
    pub lost: Vec<EffectiveAction>,
}

pub fn run(args: &DiffArgs, a: &str, b: &str, wall_clock: i64) -> ExitCode {
    let (loaded, context, now) = match prepare(
        args.workspaces.first().map(|p| p.as_path()),
        &args.context,
        wall_clock,
    ) {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let ws = &loaded.workspace;
    let from = match Principal::lookup(ws, a) {
        Ok(p) => p,
        Err(e) => return fail(format!("--principal: {e}")),
    };
    let to = match Principal::lookup(ws, b) {
        Ok(p) => p,
        Err(e) => return fail(format!("--with: {e}")),
    };
    if let Some(service) = &args.service {
        if Catalog::get().service(service).is_none() {
            return fail(format!(
                "no service has the prefix \"{service}\" in the action catalog"
            ));
        }
    }
    // One context for both: the comparison is of policies, not of requests.
    let before = effective_permissions(ws, &from, &context, now);
    let after = effective_permissions(ws, &to, &context, now);
    let mut changes = diff(&before, &after);
    if let Some(service) = &args.service {
        let service = service.to_ascii_lowercase();
        changes.gained.retain(|a| a.service == service);
        changes.lost.retain(|a| a.service == service);
    }
    let answer = PrincipalDiff {
        principal: from.arn.clone(),
        with: to.arn.clone(),
        gained: changes.gained,
        lost: changes.lost,
    };
    // The answer rests on both principals' policies.
    let caveats = if loaded.diagnostics.is_empty() {
        Vec::new()
    } else {
        let mut footprint = principal_footprint(ws, &from);
        let theirs = principal_footprint(ws, &to);
        footprint.places.extend(theirs.places);
        footprint.organization = footprint.organization.or(theirs.organization);
        loaded.caveats(&footprint)
    };
    if args.json {
        let wrapped = WithCaveats {
            answer: &answer,
            caveats: &caveats,
        };
        match serde_json::to_string_pretty(&wrapped) {
            Ok(text) => outln!("{text}"),
            Err(e) => return fail(e.to_string()),
        }
    } else {
        out!(
            "{}{}",
            render(&from, &to, &answer, &[&before, &after]),
            caveats::render(&caveats)
        );
    }
    ExitCode::Ok
}

/// A header naming both with the counts, the notes of either computation,
/// then by service B's gains (`+`) and losses (`-`), each line as
/// `permissions` prints it.
pub fn render(
    from: &Principal,
    to: &Principal,
    answer: &PrincipalDiff,
    computed: &[&EffectivePermissions],
) -> String {
    let catalog = Catalog::get();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}) → {} ({}): +{} -{}",
        clean(&from.display_name),
        clean(&from.arn),
        clean(&to.display_name),
        clean(&to.arn),
        answer.gained.len(),
        answer.lost.len(),
    );
    let _ = writeln!(
        out,
        "  (+ what {} may do that {} may not, - the reverse)",
        clean(&to.display_name),
        clean(&from.display_name)
    );
    let mut notes: Vec<&str> = computed
        .iter()
        .flat_map(|p| p.notes.iter().map(String::as_str))
        .collect();
    notes.sort_unstable();
    notes.dedup();
    for note in notes {
        let _ = writeln!(out, "  note: {}", clean(note));
    }
    if answer.gained.is_empty() && answer.lost.is_empty() {
        let _ = writeln!(out, "\nNo difference.");
        return out;
    }
    type Sides<'a> = (Vec<&'a EffectiveAction>, Vec<&'a EffectiveAction>);
    let mut by_service: BTreeMap<&str, Sides> = BTreeMap::new();
    for action in &answer.gained {
        by_service
            .entry(action.service.as_str())
            .or_default()
            .0
            .push(action);
    }
    for action in &answer.lost {
        by_service
            .entry(action.service.as_str())
            .or_default()
            .1
            .push(action);
    }
    for (service, (mut gained, mut lost)) in by_service {
        let name = catalog.service(service).map_or("", |s| s.name);
        let _ = writeln!(
            out,
            "\n{service}  {name}  (+{} -{})",
            gained.len(),
            lost.len()
        );
        gained.sort_by_key(|a| (a.access, a.action.to_ascii_lowercase()));
        lost.sort_by_key(|a| (a.access, a.action.to_ascii_lowercase()));
        for action in gained {
            let _ = writeln!(out, "  + {}", action_line(action));
        }
        for action in lost {
            let _ = writeln!(out, "  - {}", action_line(action));
        }
    }
    out
}
