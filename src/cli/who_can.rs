//! `iamscope who-can`: every principal that can perform an action, directly
//! or through role assumptions.

use super::args::WhoCanArgs;
use super::check::{fail, prepare};
use super::ExitCode;
use crate::sts::paths::who_can;
use crate::text::clean;

pub fn run(args: &WhoCanArgs, wall_clock: i64) -> ExitCode {
    let (loaded, context, now) = match prepare(args.workspace.as_deref(), &args.context, wall_clock)
    {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    if args.action.split_once(':').is_none() {
        return fail(format!(
            "\"{}\" is not an action: write service:Action, e.g. s3:GetObject",
            args.action
        ));
    }
    if let Some(note) = crate::catalog::Catalog::get().unknown_action_note(&args.action) {
        return fail(note);
    }
    let result = who_can(
        &loaded.workspace,
        &args.action,
        &args.resource,
        &context,
        now,
    );
    if args.json {
        match serde_json::to_string_pretty(&result) {
            Ok(text) => outln!("{text}"),
            Err(e) => return fail(e.to_string()),
        }
        return ExitCode::Ok;
    }
    outln!(
        "Who can {} on {}?",
        clean(&args.action),
        clean(&args.resource)
    );
    outln!("\nDirectly ({}):", result.direct.len());
    for r in &result.direct {
        outln!("  {:<5} {}", kind(r.kind), clean(&r.label()));
    }
    outln!(
        "\nThrough role assumptions ({}):",
        result.through_roles.len()
    );
    for r in &result.through_roles {
        outln!("  {:<5} {}", kind(r.kind), clean(&r.label()));
    }
    if result.direct.is_empty() && result.through_roles.is_empty() {
        outln!("\nNobody in the workspace can.");
    }
    if args.context.is_empty() {
        outln!(
            "\nNo --context given: conditions on other keys (resource tags, MFA, source IP...) do not hold; \
             add e.g. --context aws:ResourceTag/critical=true to ask about a tagged resource."
        );
    }
    ExitCode::Ok
}

fn kind(kind: crate::eval::PrincipalKind) -> &'static str {
    match kind {
        crate::eval::PrincipalKind::User => "user",
        crate::eval::PrincipalKind::RoleSession => "role",
        crate::eval::PrincipalKind::Root => "root",
    }
}
