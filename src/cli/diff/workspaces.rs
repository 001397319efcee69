//! `iamscope diff OLD_WORKSPACE NEW_WORKSPACE`: what changed in an account
//! between two dumps — principals added and removed, and for each principal
//! in both, the actions it gained and lost.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use super::super::caveats::{self, WithCaveats};
use super::super::check::fail;
use super::super::workspace_arg::open_answerable;
use super::super::ExitCode;
use super::count;
use crate::eval::effective::{diff, effective_permissions};
use crate::eval::footprint::principal_footprint;
use crate::eval::Principal;
use crate::model::workspace::PrincipalRef;
use crate::model::{Footprint, Workspace};
use crate::policy::RequestContext;
use crate::text::clean;
use crate::workspace::caveats::Caveat;
use crate::workspace::Loaded;

/// How many actions per side and principal the text lists; `--json` has
/// every one (attaching AdministratorAccess gains the whole catalog).
const LISTED: usize = 20;

/// The answer as `--json` prints it; every list sorted.
#[derive(Debug, Serialize)]
pub struct WorkspaceDiff {
    pub old: String,
    pub new: String,
    /// User and role ARNs only the new dump has.
    pub added: Vec<String>,
    /// User and role ARNs only the old dump has.
    pub removed: Vec<String>,
    /// Principals in both whose effective permissions differ.
    pub changed: Vec<PrincipalChange>,
}

/// One principal's change, by action name. An action allowed in both dumps
/// but on other resources counts as gained (or lost) too, as at a session
/// start.
#[derive(Debug, Serialize)]
pub struct PrincipalChange {
    /// The user or role ARN (a role is compared as a session of it).
    pub principal: String,
    pub gained: Vec<String>,
    pub lost: Vec<String>,
}

pub fn run(old: &Path, new: &Path, json: bool, wall_clock: i64) -> ExitCode {
    let before = match open_answerable(Some(old)) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let after = match open_answerable(Some(new)) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let (answer, caveats) = compare(old, new, before, after, wall_clock);
    if json {
        let wrapped = WithCaveats {
            answer: &answer,
            caveats: &caveats,
        };
        match serde_json::to_string_pretty(&wrapped) {
            Ok(text) => outln!("{text}"),
            Err(e) => return fail(e.to_string()),
        }
    } else {
        out!("{}{}", render(&answer), caveats::render(&caveats));
    }
    ExitCode::Ok
}

/// The comparison, and the problems of either dump that touch a principal
/// listed in it.
fn compare(
    old: &Path,
    new: &Path,
    before: &Loaded,
    after: &Loaded,
    wall_clock: i64,
) -> (WorkspaceDiff, Vec<Caveat>) {
    let old_principals = principals(&before.workspace);
    let new_principals = principals(&after.workspace);
    let added: Vec<String> = new_principals
        .keys()
        .filter(|arn| !old_principals.contains_key(*arn))
        .map(|arn| arn.to_string())
        .collect();
    let removed: Vec<String> = old_principals
        .keys()
        .filter(|arn| !new_principals.contains_key(*arn))
        .map(|arn| arn.to_string())
        .collect();
    let both: Vec<(&str, PrincipalRef, PrincipalRef)> = old_principals
        .iter()
        .filter_map(|(arn, then)| new_principals.get(arn).map(|now| (*arn, *then, *now)))
        .collect();
    // An empty context: what each principal may do by its policies alone,
    // the same in both dumps. Each principal is independent of the others.
    let context = RequestContext::new();
    let changed: Vec<PrincipalChange> = crate::parallel::map(&both, |(arn, then, now)| {
        let then = Principal::from_ref(&before.workspace, *then, None);
        let now = Principal::from_ref(&after.workspace, *now, None);
        let changes = diff(
            &effective_permissions(&before.workspace, &then, &context, wall_clock),
            &effective_permissions(&after.workspace, &now, &context, wall_clock),
        );
        PrincipalChange {
            principal: arn.to_string(),
            gained: names(changes.gained.iter().map(|a| a.action.as_str())),
            lost: names(changes.lost.iter().map(|a| a.action.as_str())),
        }
    })
    .into_iter()
    .filter(|c| !c.gained.is_empty() || !c.lost.is_empty())
    .collect();
    let changed_arns: BTreeSet<&str> = changed.iter().map(|c| c.principal.as_str()).collect();
    let old_listed: BTreeSet<&str> = removed.iter().map(String::as_str).collect();
    let new_listed: BTreeSet<&str> = added.iter().map(String::as_str).collect();
    let old_caveats = caveats_of(before, &old_principals, |arn| {
        old_listed.contains(arn) || changed_arns.contains(arn)
    });
    let new_caveats = caveats_of(after, &new_principals, |arn| {
        new_listed.contains(arn) || changed_arns.contains(arn)
    });
    let answer = WorkspaceDiff {
        old: old.display().to_string(),
        new: new.display().to_string(),
        added,
        removed,
        changed,
    };
    (answer, [old_caveats, new_caveats].concat())
}

/// Every user and role of a workspace by ARN (sorted, so every list built
/// from it is). The root user is left out: every account has one, and its
/// permissions are the whole catalog in both dumps.
fn principals(workspace: &Workspace) -> BTreeMap<&str, PrincipalRef<'_>> {
    let mut out = BTreeMap::new();
    for account in &workspace.accounts {
        for user in &account.users {
            out.insert(user.arn.as_str(), PrincipalRef::User { account, user });
        }
        for role in &account.roles {
            out.insert(role.arn.as_str(), PrincipalRef::Role { account, role });
        }
    }
    out
}

/// Action names, sorted and once each.
fn names<'a>(actions: impl Iterator<Item = &'a str>) -> Vec<String> {
    let set: BTreeSet<&str> = actions.collect();
    set.into_iter().map(str::to_string).collect()
}

/// The problems of one dump under the principals the answer lists from it.
fn caveats_of(
    loaded: &Loaded,
    principals: &BTreeMap<&str, PrincipalRef>,
    listed: impl Fn(&str) -> bool,
) -> Vec<Caveat> {
    // Nothing to look up on a workspace without problems.
    if loaded.diagnostics.is_empty() {
        return Vec::new();
    }
    let mut footprint = Footprint::default();
    for principal in principals
        .iter()
        .filter(|(arn, _)| listed(arn))
        .map(|(_, principal)| principal)
    {
        let principal = Principal::from_ref(&loaded.workspace, *principal, None);
        let theirs = principal_footprint(&loaded.workspace, &principal);
        footprint.places.extend(theirs.places);
        footprint.organization = footprint.organization.or(theirs.organization);
    }
    loaded.caveats(&footprint)
}

/// A header with the counts, then the added, removed and changed principals.
fn render(answer: &WorkspaceDiff) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} → {}: {} added, {} removed, {} changed",
        clean(&answer.old),
        clean(&answer.new),
        count(answer.added.len(), "principal"),
        answer.removed.len(),
        answer.changed.len(),
    );
    let _ = writeln!(
        out,
        "  effective permissions under an empty context; + gained, - lost"
    );
    if answer.added.is_empty() && answer.removed.is_empty() && answer.changed.is_empty() {
        let _ = writeln!(out, "\nNo difference.");
        return out;
    }
    if !answer.added.is_empty() {
        let _ = writeln!(out, "\nAdded ({}):", answer.added.len());
        for arn in &answer.added {
            let _ = writeln!(out, "  + {}", clean(arn));
        }
    }
    if !answer.removed.is_empty() {
        let _ = writeln!(out, "\nRemoved ({}):", answer.removed.len());
        for arn in &answer.removed {
            let _ = writeln!(out, "  - {}", clean(arn));
        }
    }
    if !answer.changed.is_empty() {
        let _ = writeln!(out, "\nChanged ({}):", answer.changed.len());
        for change in &answer.changed {
            let _ = writeln!(
                out,
                "  {}  +{} -{}",
                clean(&change.principal),
                change.gained.len(),
                change.lost.len()
            );
            for (sign, actions) in [('+', &change.gained), ('-', &change.lost)] {
                for action in actions.iter().take(LISTED) {
                    let _ = writeln!(out, "    {sign} {}", clean(action));
                }
                if actions.len() > LISTED {
                    let _ = writeln!(
                        out,
                        "    {sign} … and {} more (--json lists every one)",
                        actions.len() - LISTED
                    );
                }
            }
        }
    }
    out
}
