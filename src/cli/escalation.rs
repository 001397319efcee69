//! `iamscope escalation`: which users and roles can become admin, and by
//! which path, the riskiest first.

use super::args::EscalationArgs;
use super::caveats::{self, WithCaveats};
use super::check::{fail, prepare};
use super::ExitCode;
use crate::escalation::{escalation, Escalates, PrincipalEscalation, Report};
use crate::eval::footprint::principal_footprint;
use crate::eval::Principal;
use crate::model::workspace::PrincipalRef;
use crate::model::Footprint;
use crate::text::clean;
use crate::workspace::caveats::Caveat;
use crate::workspace::Loaded;

pub fn run(args: &EscalationArgs, wall_clock: i64) -> ExitCode {
    let (loaded, context, now) = match prepare(args.workspace.as_deref(), &args.context, wall_clock)
    {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let ws = &loaded.workspace;
    let only = match &args.principal {
        None => None,
        Some(query) => match ws.find_principal(query) {
            Ok(PrincipalRef::Root { .. }) => {
                return fail("the root user may do everything by definition; give a user or a role")
            }
            Ok(found) => Some(found.arn()),
            Err(e) => return fail(e.to_string()),
        },
    };
    let mut report = escalation(ws, &context, now, only.as_deref());
    report.principals.sort_by(|a, b| {
        a.risk_order()
            .cmp(&b.risk_order())
            .then_with(|| a.principal.cmp(&b.principal))
    });
    let caveats = caveats_of(loaded, &report);
    if args.json {
        let answer = WithCaveats {
            answer: &report,
            caveats: &caveats,
        };
        match serde_json::to_string_pretty(&answer) {
            Ok(text) => outln!("{text}"),
            Err(e) => return fail(e.to_string()),
        }
        return ExitCode::Ok;
    }
    print_text(&report, only.is_some());
    if args.context.is_empty() {
        outln!(
            "\nNo --context given: steps whose conditions ask for other keys (source IP, tags...) do not hold; \
             a step that needs MFA is shown as conditional."
        );
    }
    out!("{}", caveats::render(&caveats));
    ExitCode::Ok
}

fn count(report: &Report, f: impl Fn(&PrincipalEscalation) -> bool) -> usize {
    report.principals.iter().filter(|p| f(p)).count()
}

fn print_text(report: &Report, one: bool) {
    let admins = count(report, |p| p.admin);
    let yes = count(report, |p| !p.admin && p.escalates == Escalates::Yes);
    let conditional = count(report, |p| p.escalates == Escalates::Conditional);
    let no = count(report, |p| p.escalates == Escalates::No);
    if !one {
        outln!(
            "Privilege escalation: {} users and roles; {admins} admin-equivalent, {yes} can become admin, \
             {conditional} conditionally, {no} cannot.",
            report.principals.len()
        );
    }
    for p in &report.principals {
        if p.escalates == Escalates::No && !one {
            continue;
        }
        let label = match (p.admin, p.escalates) {
            (true, _) => "ADMIN",
            (false, Escalates::Yes) => "YES",
            (false, Escalates::Conditional) => "COND",
            (false, Escalates::No) => "NO",
        };
        let kind = if p.is_role { "role" } else { "user" };
        outln!(
            "\n{label:<6}{kind} {}  {}",
            clean(&p.name),
            clean(&p.principal)
        );
        if p.escalates == Escalates::No {
            outln!("      no path to admin with the methods iamscope knows");
        }
        for path in &p.paths {
            for (n, step) in path.steps.iter().enumerate() {
                let to = if step.to == "admin" {
                    "admin".to_string()
                } else {
                    short(&step.to)
                };
                let via = if step.via.is_empty() {
                    String::new()
                } else {
                    format!(" via {}", step.via.join(", "))
                };
                outln!(
                    "      {}. {} → {}{}  [{}]",
                    n + 1,
                    clean(&short(&step.from)),
                    clean(&to),
                    clean(&via),
                    step.method
                );
                if !step.needs.is_empty() {
                    outln!("         needs: {}", clean(&step.needs));
                }
                if !step.note.is_empty() {
                    outln!("         note: {}", clean(&step.note));
                }
                for s in &step.statements {
                    outln!(
                        "         {} on {}: {} {} ({})",
                        clean(&s.action),
                        clean(&s.resource),
                        clean(&s.policy),
                        clean(&s.statement),
                        clean(&s.file)
                    );
                }
            }
        }
    }
    if !one && no > 0 {
        outln!("\n{no} users and roles have no path to admin (--json lists every one).");
    }
}

/// `arn:aws:iam::111111111111:role/Dev` → `role/Dev`.
fn short(arn: &str) -> String {
    arn.splitn(6, ':').nth(5).unwrap_or(arn).to_string()
}

/// The problems of the principals listed with a path, and of every
/// principal on their paths.
fn caveats_of(loaded: &Loaded, report: &Report) -> Vec<Caveat> {
    if loaded.diagnostics.is_empty() {
        return Vec::new();
    }
    let ws = &loaded.workspace;
    let mut footprint = Footprint::default();
    let mut seen = std::collections::BTreeSet::new();
    for p in &report.principals {
        let arns = std::iter::once(p.principal.as_str()).chain(
            p.paths
                .iter()
                .flat_map(|path| path.steps.iter().map(|s| s.to.as_str())),
        );
        for arn in arns {
            if arn == "admin" || !seen.insert(arn.to_string()) {
                continue;
            }
            if let Ok(principal) = Principal::lookup(ws, arn) {
                footprint.extend(principal_footprint(ws, &principal));
            }
        }
    }
    loaded.caveats(&footprint)
}
