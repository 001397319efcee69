//! The problems that touch an answer, and problems grouped where they
//! repeat: what `check`, `permissions`, `who-can` and `assume` print under
//! an answer, and what `validate` prints without `--verbose`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::subjects::{subjects, Subject};
use super::{Diagnostic, Loaded};
use crate::model::Footprint;
use crate::policy::problem::PathSegment;
use crate::policy::{JsonPath, Severity};

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
    group_by_repeat(diagnostics, |d| d)
        .into_iter()
        .map(|(first, count)| Grouped { first, count })
        .collect()
}

/// Items carrying a diagnostic, grouped as [`group_repeats`] groups them:
/// the first of each group and how many it has.
fn group_by_repeat<'a, T: Copy>(
    items: impl IntoIterator<Item = T>,
    diagnostic: impl Fn(T) -> &'a Diagnostic,
) -> Vec<(T, usize)> {
    let mut groups: Vec<(T, usize)> = Vec::new();
    let mut by_key: BTreeMap<(Severity, &str), usize> = BTreeMap::new();
    for item in items {
        let d = diagnostic(item);
        let key = (d.severity, d.repeat_key().unwrap_or(&d.message));
        match by_key.get(&key) {
            Some(&i) => groups[i].1 += 1,
            None => {
                by_key.insert(key, groups.len());
                groups.push((item, 1));
            }
        }
    }
    groups
}

/// The diagnostics of a workspace by every place they are at or under:
/// what touches an element is one lookup of its place, whatever the number
/// of problems (a messy organization has thousands, and who-can asks for
/// the problems of thousands of principals at once).
#[derive(Debug, Clone, Default)]
pub struct ProblemIndex {
    /// File → JSON path → the diagnostics at or under that path.
    under: HashMap<String, HashMap<JsonPath, Vec<usize>>>,
    /// Files that could not be read at all: whatever they held is missing
    /// from every answer.
    unreadable: Vec<usize>,
    /// Problems of an organization file's tree (not of one of its policies).
    org_tree: HashMap<String, Vec<usize>>,
    /// How many diagnostics it was built for.
    built_for: usize,
}

impl ProblemIndex {
    fn new(diagnostics: &[Diagnostic]) -> Self {
        let mut index = ProblemIndex {
            built_for: diagnostics.len(),
            ..ProblemIndex::default()
        };
        for (i, d) in diagnostics.iter().enumerate() {
            let Some(at) = d.at() else {
                if d.severity == Severity::Error {
                    index.unreadable.push(i);
                }
                continue;
            };
            let by_path = index.under.entry(d.file.clone()).or_default();
            let segments = at.segments();
            for n in 0..=segments.len() {
                by_path
                    .entry(JsonPath(segments[..n].to_vec()))
                    .or_default()
                    .push(i);
            }
            if !is_org_policy(segments) {
                index.org_tree.entry(d.file.clone()).or_default().push(i);
            }
        }
        index
    }

    /// Positions of the diagnostics touching what `footprint` names, in order.
    fn touching(&self, footprint: &Footprint) -> Vec<usize> {
        let mut found: BTreeSet<usize> = self.unreadable.iter().copied().collect();
        for place in &footprint.places {
            if let Some(list) = self
                .under
                .get(&*place.file)
                .and_then(|by_path| by_path.get(&place.path))
            {
                found.extend(list);
            }
        }
        if let Some(file) = footprint.organization.as_deref() {
            found.extend(self.org_tree.get(file).into_iter().flatten());
        }
        found.into_iter().collect()
    }
}

impl ProblemIndex {
    /// The caveats of `footprint` among `diagnostics` (the ones indexed).
    fn caveats(&self, diagnostics: &[Diagnostic], footprint: &Footprint) -> Vec<Caveat> {
        let touching = self.touching(footprint);
        group_repeats(touching.iter().filter_map(|&i| diagnostics.get(i)))
            .iter()
            .map(Caveat::new)
            .collect()
    }

    /// How many errors and warnings of `diagnostics` touch `footprint`,
    /// repeats counted once (as its caveats list them).
    fn counts(&self, diagnostics: &[Diagnostic], footprint: &Footprint) -> ProblemCounts {
        let touching = self.touching(footprint);
        let mut counts = ProblemCounts::default();
        for group in group_repeats(touching.iter().filter_map(|&i| diagnostics.get(i))) {
            match group.first.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
            }
        }
        counts
    }
}

impl Loaded {
    /// The index of the problems, for the diagnostics as they are now.
    fn problem_index(&self) -> std::borrow::Cow<'_, ProblemIndex> {
        let index = self
            .problem_index
            .get_or_init(|| ProblemIndex::new(&self.diagnostics));
        if index.built_for == self.diagnostics.len() {
            std::borrow::Cow::Borrowed(index)
        } else {
            std::borrow::Cow::Owned(ProblemIndex::new(&self.diagnostics))
        }
    }

    /// The problems that touch an answer resting on `footprint`: those found
    /// at or under one of its places, those of the organization's tree when
    /// SCPs or RCPs took part, and every file that could not be read at
    /// all (whatever it held is missing from every answer). Grouped where
    /// they repeat. Nothing is computed on a workspace without problems.
    pub fn caveats(&self, footprint: &Footprint) -> Vec<Caveat> {
        if self.diagnostics.is_empty() {
            return Vec::new();
        }
        self.problem_index().caveats(&self.diagnostics, footprint)
    }

    /// How many errors and warnings touch what `footprint` names (markers
    /// in the UI's lists), counting repeats once each.
    pub fn problem_counts(&self, footprint: &Footprint) -> ProblemCounts {
        if self.diagnostics.is_empty() {
            return ProblemCounts::default();
        }
        self.problem_index().counts(&self.diagnostics, footprint)
    }
}

/// The problems of a loaded workspace, kept apart from it: what a UI holds
/// to list them, go to what each sits in, mark what they touch and give an
/// answer its caveats.
#[derive(Debug, Clone, Default)]
pub struct ProblemReport {
    diagnostics: Vec<Diagnostic>,
    subjects: Vec<Subject>,
    index: ProblemIndex,
}

/// One line of a list of problems: a problem (the first of those that
/// repeat), how many there are, and the element it sits in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemEntry<'a> {
    pub diagnostic: &'a Diagnostic,
    pub count: usize,
    pub subject: &'a Subject,
}

impl ProblemReport {
    /// The problems of `loaded`, and `more` found beside it (tours).
    pub fn new(loaded: &Loaded, more: Vec<Diagnostic>) -> Self {
        let mut diagnostics = loaded.diagnostics.clone();
        diagnostics.extend(more);
        let subjects = subjects(&loaded.workspace, &diagnostics);
        let index = ProblemIndex::new(&diagnostics);
        ProblemReport {
            diagnostics,
            subjects,
            index,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.diagnostics.is_empty()
    }

    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// The problems, repeats shown once, errors first, then in file order.
    pub fn entries(&self) -> Vec<ProblemEntry<'_>> {
        let pairs = self.diagnostics.iter().zip(&self.subjects);
        let mut entries: Vec<ProblemEntry> = group_by_repeat(pairs, |(d, _)| d)
            .into_iter()
            .map(|((diagnostic, subject), count)| ProblemEntry {
                diagnostic,
                count,
                subject,
            })
            .collect();
        entries.sort_by_key(|e| e.diagnostic.severity);
        entries
    }

    /// See [`Loaded::caveats`].
    pub fn caveats(&self, footprint: &Footprint) -> Vec<Caveat> {
        if self.diagnostics.is_empty() {
            return Vec::new();
        }
        self.index.caveats(&self.diagnostics, footprint)
    }

    /// See [`Loaded::problem_counts`].
    pub fn counts(&self, footprint: &Footprint) -> ProblemCounts {
        if self.diagnostics.is_empty() {
            return ProblemCounts::default();
        }
        self.index.counts(&self.diagnostics, footprint)
    }
}

/// Errors and warnings that touch something.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProblemCounts {
    pub errors: usize,
    pub warnings: usize,
}

impl ProblemCounts {
    pub fn is_empty(&self) -> bool {
        self.errors == 0 && self.warnings == 0
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
