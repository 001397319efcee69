//! `iamscope check`: one decision, and why.

use std::fmt::Write as _;

use super::args::CheckArgs;
use super::caveats::{self, WithCaveats};
use super::workspace_arg::open_answerable;
use super::ExitCode;
use crate::catalog::Catalog;
use crate::eval::decision::{LayerStatus, LayerVerdict, StatementMatch};
use crate::eval::footprint::footprint;
use crate::eval::{evaluate, Decision, Outcome, Principal, PrincipalKind, Request};
use crate::model::policy_ref::{NamedPolicy, PolicyOrigin, PolicySource};
use crate::model::Arn;
use crate::policy::date::parse_datetime;
use crate::policy::{JsonPath, Policy, PolicyKind, RequestContext, Severity};
use crate::text::clean;
use crate::workspace::caveats::Caveat;
use crate::workspace::locate::{json_error_message, json_error_position, locate};

pub fn run(args: &CheckArgs, wall_clock: i64) -> ExitCode {
    if let Some(path) = &args.batch {
        return super::batch::run(args, path, wall_clock);
    }
    match decide(args, wall_clock) {
        Ok((decision, caveats)) => {
            if args.json {
                let answer = WithCaveats {
                    answer: &decision,
                    caveats: &caveats,
                };
                match serde_json::to_string_pretty(&answer) {
                    Ok(json) => outln!("{json}"),
                    Err(e) => {
                        eprintln!("iamscope: cannot write JSON: {e}");
                        return ExitCode::BadInput;
                    }
                }
            } else {
                out!("{}{}", render(&decision), caveats::render(&caveats));
            }
            if decision.succeeds() {
                ExitCode::Ok
            } else {
                ExitCode::Denied
            }
        }
        Err(code) => code,
    }
}

pub(super) fn fail(message: impl AsRef<str>) -> ExitCode {
    eprintln!("iamscope: {}", clean(message.as_ref()));
    ExitCode::BadInput
}

fn decide(args: &CheckArgs, wall_clock: i64) -> Result<(Decision, Vec<Caveat>), ExitCode> {
    let (loaded, mut context, now) = prepare(args.workspace.as_deref(), &args.context, wall_clock)?;
    with_resource_account(&mut context, args.resource_account.as_deref()).map_err(fail)?;
    let workspace = &loaded.workspace;
    let mut principal = Principal::lookup(workspace, args.principal.as_deref().unwrap_or_default())
        .map_err(|e| fail(e.to_string()))?;
    let action = args.action.as_deref().unwrap_or_default();
    if let Some(path) = &args.session_policy {
        if principal.kind != PrincipalKind::RoleSession {
            return Err(fail(
                "--session-policy applies to role sessions; give a role or an assumed-role ARN as --principal",
            ));
        }
        let policy = read_session_policy(path)?;
        principal = principal.with_session_policies(vec![policy]);
    }
    // A request names one action: a typo or a pattern would otherwise get a
    // confident "denied" (no statement names an action that does not exist).
    if let Some(problem) = Catalog::get().request_action_problem(action) {
        let syntax_ok = action
            .split_once(':')
            .is_some_and(|(s, n)| !s.is_empty() && !n.is_empty() && !action.contains(['*', '?']));
        if !(args.unknown_action && syntax_ok) {
            let hint = if syntax_ok {
                " (--unknown-action asks about it anyway, for an action newer than the catalog)"
            } else {
                ""
            };
            return Err(fail(format!("{problem}{hint}")));
        }
        eprintln!(
            "iamscope: warning: {} (asked anyway: --unknown-action)",
            clean(&problem)
        );
    }
    // A request names a real resource: a typo here would otherwise match no
    // statement and read as a plain implicit deny.
    if args.resource != "*" {
        if let Err(e) = args.resource.parse::<Arn>() {
            return Err(fail(format!(
                "--resource \"{}\" is not an ARN: {e}",
                args.resource
            )));
        }
    }
    let request = Request {
        action: action.to_string(),
        resource: args.resource.clone(),
        context,
        now_epoch: now,
    };
    let decision = evaluate(workspace, &principal, &request);
    // Nothing to look up on a workspace without problems.
    let caveats = if loaded.diagnostics.is_empty() {
        Vec::new()
    } else {
        loaded.caveats(&footprint(workspace, &principal, Some(&request.resource)))
    };
    Ok((decision, caveats))
}

/// What every query command starts from: the workspace (refused only when
/// no account loaded), the request context from `--context`, and the
/// request time.
pub(super) fn prepare(
    workspace: Option<&std::path::Path>,
    pairs: &[String],
    wall_clock: i64,
) -> Result<(&'static crate::workspace::Loaded, RequestContext, i64), ExitCode> {
    let loaded = open_answerable(workspace)?;
    let context = parse_context(pairs).map_err(fail)?;
    let now = request_time(&context, wall_clock).map_err(fail)?;
    Ok((loaded, context, now))
}

/// Adds `--resource-account` to the context as `aws:ResourceAccount`, the
/// key the engine reads a resource's owner from when the workspace cannot
/// tell it.
pub(super) fn with_resource_account(
    context: &mut RequestContext,
    account: Option<&str>,
) -> Result<(), String> {
    let Some(account) = account else {
        return Ok(());
    };
    if !crate::model::arn::is_account_id(account) {
        return Err(format!(
            "--resource-account \"{account}\" is not a 12-digit account id"
        ));
    }
    context.set(crate::eval::RESOURCE_ACCOUNT_KEY, [account]);
    Ok(())
}

/// Reads `KEY=VALUE` pairs; a key given several times gets several values.
pub fn parse_context(pairs: &[String]) -> Result<RequestContext, String> {
    let mut context = RequestContext::new();
    for pair in pairs {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(format!("--context \"{pair}\" is not KEY=VALUE"));
        };
        if key.trim().is_empty() {
            return Err(format!("--context \"{pair}\" has an empty key"));
        }
        context.push(key.trim(), value);
    }
    Ok(context)
}

/// The request time: `aws:CurrentTime` or `aws:EpochTime` when given, else now.
pub(super) fn request_time(context: &RequestContext, wall_clock: i64) -> Result<i64, String> {
    if let Some(values) = context.get("aws:CurrentTime") {
        let value = values.first().map(String::as_str).unwrap_or_default();
        return parse_datetime(value)
            .ok_or_else(|| format!("aws:CurrentTime \"{value}\" is not an ISO 8601 date"));
    }
    if let Some(values) = context.get("aws:EpochTime") {
        let value = values.first().map(String::as_str).unwrap_or_default();
        return value
            .parse::<i64>()
            .map_err(|_| format!("aws:EpochTime \"{value}\" is not a number of seconds"));
    }
    Ok(wall_clock)
}

pub(super) fn read_session_policy(
    path: &std::path::Path,
) -> Result<std::sync::Arc<NamedPolicy>, ExitCode> {
    let name = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|e| fail(format!("{name}: cannot be read: {e}")))?;
    let (policy, problems) = Policy::from_json_text(&text, PolicyKind::Session).map_err(|e| {
        // Placed like workspace diagnostics: serde's own position counts
        // bytes, may be column 0, and is repeated at the end of its message.
        let at = json_error_position(&text, &e)
            .map(|p| format!(":{}:{}", p.line, p.column))
            .unwrap_or_default();
        fail(format!(
            "{name}{at}: invalid JSON: {}",
            json_error_message(&e)
        ))
    })?;
    let mut has_errors = false;
    for problem in &problems {
        let at = locate(&text, &problem.path);
        eprintln!(
            "{}:{}:{}: {}: {} (at {})",
            clean(&name),
            at.line,
            at.column,
            problem.severity,
            clean(&problem.message),
            problem.path
        );
        has_errors |= problem.severity == Severity::Error;
    }
    if has_errors {
        return Err(fail(format!("{name}: the session policy has errors")));
    }
    Ok(NamedPolicy::new(
        PolicyOrigin {
            file: name.as_str().into(),
            path: JsonPath::root(),
            name: format!("session policy {name}"),
            arn: None,
            source: PolicySource::SessionFile,
        },
        PolicyKind::Session,
        policy,
    ))
}

/// The decision for people.
pub fn render(decision: &Decision) -> String {
    let mut out = String::new();
    if let Some(refused) = &decision.refused {
        let _ = writeln!(
            out,
            "REFUSED by {}: {}\n  ({}; the decision below is what the policies say)\n",
            refused.by,
            clean(&refused.reason),
            refused.page
        );
    }
    let verdict = match decision.decision {
        Outcome::Allow => "ALLOWED",
        Outcome::ExplicitDeny => "DENIED (explicit deny)",
        Outcome::ImplicitDeny => "DENIED (implicit deny: nothing allows it)",
    };
    let _ = writeln!(
        out,
        "{verdict}\n  {} → {} on {}\n",
        clean(&decision.principal),
        clean(&decision.action),
        clean(&decision.resource)
    );
    if let Some(owner) = &decision.owner_unknown {
        let elsewhere = match owner.if_another_account {
            Outcome::Allow => "ALLOWED",
            Outcome::ExplicitDeny => "DENIED (explicit deny)",
            Outcome::ImplicitDeny => "DENIED (implicit deny)",
        };
        let _ = writeln!(
            out,
            "Owner unknown: the resource's ARN names no account and the workspace does not say whose it is;\n  \
             this answer takes it to be the caller's account ({}). In another account: {elsewhere}.\n  \
             Give --resource-account ID, or declare {{\"Arn\", \"AccountId\"}} in the resource-policies file.\n",
            clean(&owner.assumed_owner)
        );
    }
    let _ = writeln!(out, "Why:");
    for reason in &decision.reasons {
        let mark = if decision.decision.is_allowed() {
            "✓"
        } else {
            "✗"
        };
        let _ = writeln!(
            out,
            "  {mark} {}: {}",
            reason.layer.title(),
            clean(&reason.message)
        );
        if let Some(m) = &reason.statement {
            write_match(&mut out, m);
        }
    }
    if !decision.aws_message.is_empty() {
        let _ = writeln!(out, "\nAWS would say: {}", clean(&decision.aws_message));
    }
    if !decision.layers.is_empty() {
        let _ = writeln!(out, "\nLayer by layer:");
        for layer in &decision.layers {
            write_layer(&mut out, layer);
        }
    }
    out
}

fn write_match(out: &mut String, m: &StatementMatch) {
    let _ = writeln!(out, "      file      {}", clean(&m.file));
    let mut matched = format!(
        "action {} · resource {}",
        clean(&m.action),
        clean(&m.resource)
    );
    if !m.conditions.is_empty() {
        matched.push_str(&format!(" · if {}", clean(&m.conditions.join(" and "))));
    }
    let _ = writeln!(out, "      matched   {matched}");
}

fn write_layer(out: &mut String, layer: &LayerVerdict) {
    let status = match layer.status {
        LayerStatus::Allows => "allows",
        LayerStatus::Denies => "DENIES",
        LayerStatus::NoAllow => "no allow",
        LayerStatus::NotApplicable => "—",
    };
    let _ = writeln!(
        out,
        "  {:<21} {:<9} {}",
        layer.layer.title(),
        status,
        clean(&layer.note)
    );
    for miss in &layer.near_misses {
        let label = miss.statement().label();
        let _ = writeln!(
            out,
            "  {:<31} {} in {} ({label}) would apply, but its condition failed: {}",
            "",
            miss.effect.as_str(),
            clean(&miss.policy),
            clean(&miss.failed_conditions.join(" and "))
        );
    }
}
