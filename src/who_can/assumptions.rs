//! Who could, if the request carried what the context leaves out.
//!
//! Some conditions turn on how the caller makes the request, not on who it
//! is: whether it signed in with MFA (`aws:MultiFactorAuthPresent`, IAM User
//! Guide, reference_policies_condition-keys and id_credentials_mfa_configure-api-require),
//! whether it uses HTTPS (`aws:SecureTransport`). A principal that can only
//! so is neither able nor unable: it is listed with what it needs (dave
//! reaches the Auditor role "with aws:MultiFactorAuthPresent=true").

use std::collections::{BTreeMap, BTreeSet};

use super::{ConditionalReach, WhoCan};
use crate::model::Workspace;
use crate::policy::RequestContext;

/// Keys a caller brings by how it calls, with the value that opens doors.
const CALLER_KEYS: [(&str, &str); 2] = [
    ("aws:MultiFactorAuthPresent", "true"),
    ("aws:SecureTransport", "true"),
];

/// The principals not in `known` that can once the request carries caller
/// keys the context does not give, each with the fewest keys that let it.
/// `search` answers who-can under a context.
pub(super) fn conditional_reaches(
    workspace: &Workspace,
    context: &RequestContext,
    known: &BTreeSet<String>,
    search: impl Fn(&RequestContext) -> WhoCan,
) -> Vec<ConditionalReach> {
    let open: Vec<(&str, &str)> = CALLER_KEYS
        .iter()
        .copied()
        .filter(|(key, _)| !context.contains(key) && mentioned(workspace, key))
        .collect();
    if open.is_empty() {
        return Vec::new();
    }
    let with = |keys: &[(&str, &str)]| {
        let mut ctx = context.clone();
        for (key, value) in keys {
            ctx.push(key, *value);
        }
        let answer = search(&ctx);
        answer
            .direct
            .into_iter()
            .chain(answer.through_roles)
            .filter(|r| !known.contains(&r.principal))
            .collect::<Vec<_>>()
    };
    let all = with(&open);
    if all.is_empty() {
        return Vec::new();
    }
    // The fewest keys: one key alone where one suffices, else all of them.
    let singles: Vec<(&(&str, &str), Vec<String>)> = if open.len() > 1 {
        open.iter()
            .map(|k| {
                (
                    k,
                    with(std::slice::from_ref(k))
                        .into_iter()
                        .map(|r| r.principal)
                        .collect(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    all.into_iter()
        .map(|reach| {
            let needs: BTreeMap<String, String> = match singles
                .iter()
                .find(|(_, reached)| reached.contains(&reach.principal))
            {
                Some(((key, value), _)) => BTreeMap::from([(key.to_string(), value.to_string())]),
                None => open
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            };
            ConditionalReach { reach, needs }
        })
        .collect()
}

/// Whether any policy of the workspace can test `key`: a policy names the
/// keys its conditions test, so one never mentioned cannot change an answer.
/// The files' text is searched for the key's name as AWS writes it and in
/// lower case (a policy writing it in another case is not followed: its
/// principals are then left out of the conditional list, never misreported);
/// the bundled AWS managed policies in use, clause by clause.
fn mentioned(workspace: &Workspace, key: &str) -> bool {
    let name = key.split_once(':').map_or(key, |(_, name)| name);
    let lower = name.to_ascii_lowercase();
    workspace
        .sources
        .values()
        .any(|text| text.contains(name) || text.contains(lower.as_str()))
        || workspace.bundled_policies.values().any(|policy| {
            policy.versions.iter().any(|v| {
                v.document.policy.statements.iter().any(|s| {
                    s.condition
                        .clauses
                        .iter()
                        .any(|c| c.key.eq_ignore_ascii_case(key))
                })
            })
        })
}
