//! The problems that touch an answer, and problems grouped where they
//! repeat: what `check`, `permissions`, `who-can` and `assume` print under
//! an answer, and what `validate` prints without `--verbose`.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::{Diagnostic, Loaded};
use crate::model::Footprint;
use crate::policy::problem::PathSegment;
use crate::policy::Severity;

/// A problem of the workspace that may make an answer wrong, as `--json`
/// prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Caveat {
    pub severity: &'static str,
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl Caveat {
    fn new(group: &Grouped) -> Self {
        let d = group.first;
        Caveat {
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            file: d.file.clone(),
            line: d.position.map(|p| p.line),
            column: d.position.map(|p| p.column),
            message: group.message(),
        }
    }
}

impl std::fmt::Display for Caveat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}: {}", self.severity, self.message)
    }
}

/// Problems that repeat (every action of one unknown service) as one: the
/// first, and how many there are.
#[derive(Debug, Clone)]
pub struct Grouped<'a> {
    pub first: &'a Diagnostic,
    pub count: usize,
}

impl Grouped<'_> {
    /// The first problem's message, with the count when there are several.
    pub fn message(&self) -> String {
        if self.count == 1 {
            self.first.message.clone()
        } else {
            format!(
                "{} ({} places like this; the first is shown)",
                self.first.message, self.count
            )
        }
    }

    /// The first problem as a line, with the count when there are several.
    pub fn line(&self) -> String {
        if self.count == 1 {
            return self.first.to_string();
        }
        let mut first = self.first.clone();
        first.message = self.message();
        first.to_string()
    }
}

/// Groups problems with the same repeat key (else the same message and
/// severity), in the order of their first occurrence.
pub fn group_repeats<'a>(
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
) -> Vec<Grouped<'a>> {
    let mut groups: Vec<Grouped<'a>> = Vec::new();
    let mut by_key: BTreeMap<(Severity, &str), usize> = BTreeMap::new();
    for d in diagnostics {
        let key = (d.severity, d.repeat_key().unwrap_or(&d.message));
        match by_key.get(&key) {
            Some(&i) => groups[i].count += 1,
            None => {
                by_key.insert(key, groups.len());
                groups.push(Grouped { first: d, count: 1 });
            }
        }
    }
    groups
}

impl Loaded {
    /// The problems that touch an answer resting on `footprint`: those found
    /// at or under one of its places, those of the organization's tree when
    /// SCPs or RCPs took part, and every file that could not be read at
    /// all (whatever it held is missing from every answer). Grouped where
    /// they repeat. Nothing is computed on a workspace without problems.
    pub fn caveats(&self, footprint: &Footprint) -> Vec<Caveat> {
        if self.diagnostics.is_empty() {
            return Vec::new();
        }
        let places: HashSet<(&str, &[PathSegment])> = footprint
            .places
            .iter()
            .map(|p| (&*p.file, p.path.segments()))
            .collect();
        let touches = |d: &Diagnostic| match d.at() {
            None => d.severity == Severity::Error,
            Some(at) => {
                let segments = at.segments();
                (0..=segments.len()).any(|n| places.contains(&(d.file.as_str(), &segments[..n])))
                    || footprint
                        .organization
                        .as_deref()
                        .is_some_and(|file| file == d.file && !is_org_policy(segments))
            }
        };
        group_repeats(self.diagnostics.iter().filter(|d| touches(d)))
            .iter()
            .map(Caveat::new)
            .collect()
    }
}

/// True for a place inside one of the organization file's SCPs or RCPs
/// (those touch an answer only when their policy takes part).
fn is_org_policy(segments: &[PathSegment]) -> bool {
    matches!(
        segments.get(1),
        Some(PathSegment::Key(key)) if key == "ServiceControlPolicies" || key == "ResourceControlPolicies"
    )
}
