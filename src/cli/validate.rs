//! `iamscope validate`: every problem, with file, line and column.

use serde::Serialize;

use super::args::ValidateArgs;
use super::workspace_arg::open;
use super::ExitCode;
use crate::policy::Severity;
use crate::text::clean;
use crate::workspace::caveats::group_repeats;

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    path: Option<&'a str>,
    message: &'a str,
}

pub fn run(args: &ValidateArgs, now: i64) -> ExitCode {
    let loaded = match open(args.workspace.as_deref()) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    // Tours beside the accounts are part of the workspace: read them and play
    // them headless through the UI's own update, so a lesson that no longer
    // holds is caught here, exactly as it would play in front of the room.
    let (tours, tour_problems) = match args.workspace.as_deref() {
        None => (crate::tour::workshop_tours(), Vec::new()),
        Some(p) if p.is_dir() => crate::tour::load_dir(p),
        Some(_) => (Vec::new(), Vec::new()),
    };
    loaded.diagnostics.extend(tour_problems);
    // Tours play on whatever loaded: a lesson that no longer holds on the
    // workspace as the UI opens it is worth knowing even beside its errors.
    if !loaded.workspace.accounts.is_empty() && !tours.is_empty() {
        let workspace = std::sync::Arc::new(loaded.workspace.clone());
        for tour in &tours {
            loaded
                .diagnostics
                .extend(crate::tui::headless::check(workspace.clone(), tour, now));
        }
    }
    let errors = loaded.errors().count();
    let warnings = loaded.warnings().count();
    if args.json {
        let list: Vec<JsonDiagnostic> = loaded
            .diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                severity: match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                file: &d.file,
                line: d.position.map(|p| p.line),
                column: d.position.map(|p| p.column),
                path: d.path.as_deref(),
                message: &d.message,
            })
            .collect();
        match serde_json::to_string_pretty(&list) {
            Ok(json) => outln!("{json}"),
            Err(e) => eprintln!("iamscope: cannot write JSON: {e}"),
        }
    } else {
        let mut grouped = false;
        if args.verbose {
            for d in &loaded.diagnostics {
                outln!("{}", clean(&d.to_string()));
            }
        } else {
            for group in group_repeats(&loaded.diagnostics) {
                grouped |= group.count > 1;
                outln!("{}", clean(&group.line()));
            }
        }
        let ws = &loaded.workspace;
        let principals: usize = ws
            .accounts
            .iter()
            .map(|a| a.users.len() + a.roles.len())
            .sum();
        outln!(
            "{}: {} account{}, {} principal{}, {} resource polic{}{}{}; {} error{}, {} warning{}{}",
            clean(&ws.name),
            ws.accounts.len(),
            plural(ws.accounts.len()),
            principals,
            plural(principals),
            ws.resource_policies.len(),
            if ws.resource_policies.len() == 1 {
                "y"
            } else {
                "ies"
            },
            if ws.organization.is_some() {
                ", an organization"
            } else {
                ""
            },
            tours_text(tours.len()),
            errors,
            plural(errors),
            warnings,
            plural(warnings),
            if grouped {
                " (repeats shown once; --verbose lists each)"
            } else {
                ""
            },
        );
    }
    if args.verbose {
        if let Some((outcome, file)) = super::workspace_arg::last_cache_outcome() {
            // On stderr: the problems on stdout stay what scripts parse.
            let file = file.map_or(String::new(), |f| format!(" ({})", f.display()));
            eprintln!("iamscope: snapshot cache: {outcome}{}", clean(&file));
        }
    }
    if errors > 0 {
        ExitCode::BadInput
    } else {
        ExitCode::Ok
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn tours_text(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => ", 1 tour".to_string(),
        n => format!(", {n} tours"),
    }
}
