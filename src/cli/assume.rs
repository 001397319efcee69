//! `iamscope assume`: can the principal assume the role, and what changes.

use std::fmt::Write as _;

use serde::Serialize;

use super::args::AssumeArgs;
use super::caveats::{self, WithCaveats};
use super::check::{fail, prepare, read_session_policy, render};
use super::permissions::action_line;
use super::ExitCode;
use crate::eval::effective::{effective_permissions, EffectiveAction};
use crate::eval::footprint::{footprint, principal_footprint};
use crate::eval::{Decision, Principal};
use crate::model::Workspace;
use crate::policy::date::format_iso;
use crate::sts::{assume_role, AssumeRequest};
use crate::text::clean;
use crate::workspace::caveats::Caveat;
use crate::workspace::Loaded;

/// How many gained or lost actions the text output lists.
const LISTED: usize = 40;

#[derive(Serialize)]
struct JsonSession<'a> {
    arn: &'a str,
    role_arn: &'a str,
    caller: &'a str,
    started_at: String,
    expires_at: String,
    duration_seconds: u32,
    chained: bool,
    /// Session tags, by key.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    tags: std::collections::BTreeMap<String, String>,
}

#[derive(Serialize)]
struct JsonAssume<'a> {
    allowed: bool,
    decision: crate::eval::Outcome,
    reasons: &'a [crate::eval::decision::Reason],
    #[serde(skip_serializing_if = "Option::is_none")]
    refusal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    session: Option<JsonSession<'a>>,
    gained: &'a [EffectiveAction],
    lost: &'a [EffectiveAction],
    layers: &'a [crate::eval::decision::LayerVerdict],
}

pub fn run(args: &AssumeArgs, wall_clock: i64) -> ExitCode {
    // A session tag is its aws:RequestTag/ key: the form the trust policy's
    // conditions test and the one the UI's context form sets.
    let mut pairs = args.context.clone();
    for tag in &args.tags {
        match tag.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() => {
                pairs.push(format!("aws:RequestTag/{}={value}", key.trim()))
            }
            _ => return fail(format!("--tag \"{tag}\" is not KEY=VALUE")),
        }
    }
    match prepare(args.workspace.as_deref(), &pairs, wall_clock)
        .and_then(|(loaded, context, now)| run_on(loaded, args, context, now))
    {
        Ok(code) | Err(code) => code,
    }
}

fn resolve_role(ws: &Workspace, query: &str) -> Result<String, ExitCode> {
    match ws.find_principal(query) {
        Ok(crate::model::workspace::PrincipalRef::Role { role, .. }) => Ok(role.arn.clone()),
        Ok(other) => Err(fail(format!("{} is not a role", other.arn()))),
        Err(e) => Err(fail(e.to_string())),
    }
}

fn run_on(
    loaded: &Loaded,
    args: &AssumeArgs,
    context: crate::policy::RequestContext,
    now: i64,
) -> Result<ExitCode, ExitCode> {
    let ws = &loaded.workspace;
    let caller = Principal::lookup(ws, &args.principal).map_err(|e| fail(e.to_string()))?;
    let role_arn = resolve_role(ws, &args.role)?;
    let session_policies = match &args.session_policy {
        Some(path) => vec![read_session_policy(path)?],
        None => Vec::new(),
    };
    let caveats = assume_caveats(loaded, &caller, &role_arn);
    let request = AssumeRequest {
        role_arn,
        duration: args.duration,
        session_name: args.session_name.clone(),
        session_policies,
        context: context.clone(),
        now_epoch: now,
    };
    let outcome = assume_role(ws, &caller, &request).map_err(|e| fail(e.to_string()))?;
    let before = effective_permissions(ws, &caller, &context, now);
    let change = outcome
        .session
        .as_ref()
        .map(|s| {
            crate::eval::effective::diff(
                &before,
                &effective_permissions(ws, &s.principal, &context, now),
            )
        })
        .unwrap_or_default();
    if args.json {
        let json = JsonAssume {
            allowed: outcome.allowed(),
            decision: outcome.decision.decision,
            reasons: &outcome.decision.reasons,
            refusal: outcome.refusal.as_ref().map(|r| r.to_string()),
            session: outcome.session.as_ref().map(|s| JsonSession {
                arn: s.arn(),
                role_arn: &s.role_arn,
                caller: &s.caller_arn,
                started_at: format_iso(s.started_at),
                expires_at: format_iso(s.expires_at),
                duration_seconds: s.duration,
                chained: s.chained,
                tags: s.tags.iter().cloned().collect(),
            }),
            gained: &change.gained,
            lost: &change.lost,
            layers: &outcome.decision.layers,
        };
        let answer = WithCaveats {
            answer: &json,
            caveats: &caveats,
        };
        let text = serde_json::to_string_pretty(&answer).map_err(|e| fail(e.to_string()))?;
        outln!("{text}");
    } else {
        out!(
            "{}{}",
            text_report(&caller, &outcome, &change),
            caveats::render(&caveats)
        );
    }
    Ok(if outcome.allowed() {
        ExitCode::Ok
    } else {
        ExitCode::Denied
    })
}

/// The problems that touch the answer: the caller's, the role's (its trust
/// policy and what the session would hold), and the SCPs and RCPs on both
/// sides.
fn assume_caveats(loaded: &Loaded, caller: &Principal, role_arn: &str) -> Vec<Caveat> {
    if loaded.diagnostics.is_empty() {
        return Vec::new();
    }
    let ws = &loaded.workspace;
    let mut footprint = footprint(ws, caller, Some(role_arn));
    if let Some((account, role)) = ws.role_by_arn(role_arn) {
        let session = Principal::role_session(ws, account, role, "caveats", None);
        footprint.extend(principal_footprint(ws, &session));
    }
    loaded.caveats(&footprint)
}

fn text_report(
    caller: &Principal,
    outcome: &crate::sts::AssumeOutcome,
    change: &crate::eval::effective::PermissionDiff,
) -> String {
    let mut out = String::new();
    if let Some(refusal) = &outcome.refusal {
        let _ = writeln!(out, "REFUSED by STS: {}", clean(&refusal.to_string()));
        if outcome.decision.decision.is_allowed() {
            let _ = writeln!(
                out,
                "  (the trust policy and the caller's policies would allow it; STS refuses the request itself)"
            );
            return out;
        }
        let _ = writeln!(out);
    }
    if !outcome.decision.decision.is_allowed()
        && outcome
            .decision
            .action
            .eq_ignore_ascii_case("sts:TagSession")
    {
        let _ = writeln!(
            out,
            "The role could be assumed, but not with session tags: passing them needs sts:TagSession,\n  \
             allowed by the role's trust policy and the caller (IAM User Guide, id_session-tags).\n"
        );
    }
    out.push_str(&render_assume_decision(&outcome.decision));
    if let Some(session) = &outcome.session {
        let _ = writeln!(out, "\nSession");
        let _ = writeln!(out, "  identity  {}", clean(session.arn()));
        if !session.tags.is_empty() {
            let tags: Vec<String> = session
                .tags
                .iter()
                .map(|(k, v)| format!("{}={}", clean(k), clean(v)))
                .collect();
            let _ = writeln!(
                out,
                "  tags      {} (session tags: aws:PrincipalTag/* of the session)",
                tags.join(", ")
            );
        }
        if let Some(policies) = session
            .principal
            .session
            .as_ref()
            .and_then(|s| s.session_policies.as_ref())
        {
            let names: Vec<String> = policies
                .iter()
                .map(|p| clean(&p.origin.name).into_owned())
                .collect();
            let _ = writeln!(
                out,
                "  limited   by {} (the session gets at most what it allows)",
                names.join(", ")
            );
        }
        let _ = writeln!(
            out,
            "  expires   {} (after {} s{})",
            format_iso(session.expires_at),
            session.duration,
            if session.chained {
                ", role chaining: at most one hour"
            } else {
                ""
            }
        );
        let _ = writeln!(
            out,
            "\nWhile the session lasts: +{} gained, -{} lost (a session replaces {}'s own permissions)",
            change.gained.len(),
            change.lost.len(),
            clean(&caller.display_name)
        );
        list(&mut out, "+", &change.gained);
        if change.lost.len() > LISTED {
            summarize_by_service(&mut out, "-", &change.lost);
        } else {
            list(&mut out, "-", &change.lost);
        }
    }
    out
}

fn render_assume_decision(decision: &Decision) -> String {
    render(decision)
}

fn list(out: &mut String, sign: &str, actions: &[EffectiveAction]) {
    for action in actions.iter().take(LISTED) {
        let _ = writeln!(out, "  {sign} {}", action_line(action));
    }
    if actions.len() > LISTED {
        let _ = writeln!(
            out,
            "    … and {} more (--json lists every one)",
            actions.len() - LISTED
        );
    }
}

/// `- cloudwatch 120 · ec2 41 · s3 12`: a long list of losses, by service.
fn summarize_by_service(out: &mut String, sign: &str, actions: &[EffectiveAction]) {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for action in actions {
        *counts.entry(action.service.as_str()).or_default() += 1;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(service, n)| format!("{service} {n}"))
        .collect();
    let _ = writeln!(
        out,
        "  {sign} {} (--json lists every one)",
        parts.join(" · ")
    );
}
