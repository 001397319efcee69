//! Loader tests: file kinds, dump shapes, and every validation problem with its place.
//!
//! Inputs are small JSON texts written as raw strings that start with `{` on
//! line 1, so the lines and columns asserted here can be counted in the
//! source. Each test also pins the number of diagnostics, so a stray problem
//! (or a missing one) fails it.

mod collect_store;
mod dump_shapes;
mod files_and_accounts;
mod load_path;
mod policy_references;
mod validate;

use super::*;
use crate::model::policy_ref::PolicySource;
use crate::policy::principal::{AwsPrincipal, PrincipalSpec};
use crate::policy::statement::ActionSpec;

/// Loads the given `(name, text)` files in that order.
fn load(files: &[(&str, &str)]) -> Loaded {
    load_sources(
        "test",
        files
            .iter()
            .map(|(name, text)| Source {
                name: name.to_string(),
                bytes: text.as_bytes().to_vec(),
            })
            .collect(),
    )
}

/// The diagnostics as `validate` prints them, for assertion messages.
fn rendered(loaded: &Loaded) -> Vec<String> {
    loaded.diagnostics.iter().map(|d| d.to_string()).collect()
}

#[track_caller]
fn assert_count(loaded: &Loaded, expected: usize) {
    assert_eq!(
        loaded.diagnostics.len(),
        expected,
        "diagnostics: {:#?}",
        rendered(loaded)
    );
}

/// Asserts that exactly one diagnostic has this severity, file and
/// line:column, and that its message contains `fragment`.
#[track_caller]
fn expect<'a>(
    loaded: &'a Loaded,
    severity: Severity,
    file: &str,
    line: usize,
    column: usize,
    fragment: &str,
) -> &'a Diagnostic {
    let position = Some(Position { line, column });
    let found: Vec<&Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == severity && d.file == file && d.position == position)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {severity} at {file}:{line}:{column}; diagnostics: {:#?}",
        rendered(loaded)
    );
    assert!(
        found[0].message.contains(fragment),
        "message {:?} lacks {fragment:?}",
        found[0].message
    );
    found[0]
}

/// Every `Action` pattern of a policy, in statement order.
fn actions(policy: &NamedPolicy) -> Vec<String> {
    policy
        .policy
        .statements
        .iter()
        .flat_map(|s| match &s.actions {
            ActionSpec::Action(list) | ActionSpec::NotAction(list) => {
                list.iter().map(|a| a.raw().to_string()).collect::<Vec<_>>()
            }
        })
        .collect()
}

use crate::model::NamedPolicy;
