//! `iamscope check --batch FILE`: many questions, one load. A script that
//! asks two thousand questions pays the workspace's load once, not two
//! thousand times.
//!
//! In: JSON Lines, one `{"principal", "action", "resource", "context"}` per
//! line (`resource` defaults to `*`; `context` maps a key to a string or a
//! list of strings); blank lines are skipped. Out: one JSON object per
//! question, in order: `{"line", "principal", "action", "resource",
//! "decision", "allowed", ...}` as `check --json` gives it, or `{"line",
//! "error"}` for a line that cannot be asked. Exit 0 when every line was
//! answered, 2 when a line could not be asked (the others still are).

use std::collections::HashMap;
use std::io::{BufRead, Write as _};
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::args::CheckArgs;
use super::check::{fail, request_time, with_resource_account};
use super::workspace_arg::open_answerable;
use super::ExitCode;
use crate::catalog::Catalog;
use crate::eval::footprint::footprint;
use crate::eval::{evaluate, Decision, Principal, Request};
use crate::policy::RequestContext;
use crate::workspace::caveats::Caveat;
use crate::workspace::Loaded;

/// One answer line.
#[derive(Serialize)]
struct Answer<'a> {
    line: usize,
    /// The action is allowed and no service refuses it (`check`'s exit 0).
    allowed: bool,
    #[serde(flatten)]
    decision: &'a Decision,
    caveats: &'a [Caveat],
}

#[derive(Serialize)]
struct Failure {
    line: usize,
    error: String,
}

pub fn run(args: &CheckArgs, path: &Path, wall_clock: i64) -> ExitCode {
    let loaded = match open_answerable(args.workspace.as_deref()) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let input: Box<dyn BufRead> = if path == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        match std::fs::File::open(path) {
            Ok(file) => Box::new(std::io::BufReader::new(file)),
            Err(e) => return fail(format!("{}: {e}", path.display())),
        }
    };
    let mut principals: HashMap<String, Result<Principal, String>> = HashMap::new();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failed = false;
    for (i, line) in input.lines().enumerate() {
        let number = i + 1;
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                failed = true;
                let _ = write_line(
                    &mut out,
                    &Failure {
                        line: number,
                        error: format!("{}: {e}", path.display()),
                    },
                );
                break;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let written = match answer(loaded, &mut principals, args, &line, wall_clock) {
            Ok((decision, caveats)) => write_line(
                &mut out,
                &Answer {
                    line: number,
                    allowed: decision.succeeds(),
                    decision: &decision,
                    caveats: &caveats,
                },
            ),
            Err(error) => {
                failed = true;
                write_line(
                    &mut out,
                    &Failure {
                        line: number,
                        error,
                    },
                )
            }
        };
        // stdout closed (a pipe into `head`): stop quietly.
        if written.is_err() {
            break;
        }
    }
    let _ = out.flush();
    if failed {
        ExitCode::BadInput
    } else {
        ExitCode::Ok
    }
}

fn write_line(out: &mut impl std::io::Write, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

/// The answer to one line, or what is wrong with it.
fn answer(
    loaded: &Loaded,
    principals: &mut HashMap<String, Result<Principal, String>>,
    args: &CheckArgs,
    line: &str,
    wall_clock: i64,
) -> Result<(Decision, Vec<Caveat>), String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let field = |name: &str| value.get(name).and_then(Value::as_str);
    let who = field("principal").ok_or("\"principal\" (a string) is missing")?;
    let action = field("action").ok_or("\"action\" (a string) is missing")?;
    let resource = field("resource").unwrap_or("*");
    if let Some(problem) = Catalog::get().request_action_problem(action) {
        return Err(problem);
    }
    if resource != "*" {
        resource
            .parse::<crate::model::Arn>()
            .map_err(|e| format!("\"resource\" \"{resource}\" is not an ARN: {e}"))?;
    }
    let mut context = context_of(value.get("context"))?;
    with_resource_account(&mut context, args.resource_account.as_deref())?;
    let now = request_time(&context, wall_clock)?;
    let workspace = &loaded.workspace;
    // The same principal is usually asked about many times.
    let principal = principals
        .entry(who.to_string())
        .or_insert_with(|| Principal::lookup(workspace, who).map_err(|e| e.to_string()))
        .clone()?;
    let request = Request {
        action: action.to_string(),
        resource: resource.to_string(),
        context,
        now_epoch: now,
    };
    let decision = evaluate(workspace, &principal, &request);
    let caveats = if loaded.diagnostics.is_empty() {
        Vec::new()
    } else {
        loaded.caveats(&footprint(workspace, &principal, Some(resource)))
    };
    Ok((decision, caveats))
}

/// `{"aws:MultiFactorAuthPresent": "true", "aws:TagKeys": ["a", "b"]}`.
fn context_of(value: Option<&Value>) -> Result<RequestContext, String> {
    let mut context = RequestContext::new();
    let Some(value) = value else {
        return Ok(context);
    };
    let Some(map) = value.as_object() else {
        return Err("\"context\" must be an object of keys and values".to_string());
    };
    for (key, values) in map {
        match values {
            Value::String(v) => context.push(key, v.as_str()),
            Value::Array(list) => {
                for v in list {
                    let v = v.as_str().ok_or_else(|| {
                        format!("\"context\".\"{key}\": a list of strings is expected")
                    })?;
                    context.push(key, v);
                }
            }
            Value::Bool(b) => context.push(key, b.to_string()),
            Value::Number(n) => context.push(key, n.to_string()),
            _ => {
                return Err(format!(
                    "\"context\".\"{key}\": a string or a list of strings is expected"
                ))
            }
        }
    }
    Ok(context)
}
