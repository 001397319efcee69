//! Per-file bookkeeping while loading: the problems found and where they are.

use std::sync::Arc;

use super::diagnostic::{Anchor, Diagnostic};
use serde_json::value::RawValue;
use serde_json::Value;

use super::intern::{outlined, read_document, DocumentInput, PolicyInterner, ReadDocument};
use super::locate::{Locator, Position};
use crate::model::policy_ref::{NamedPolicy, Place, PolicyOrigin, PolicySource};
use crate::policy::{JsonPath, PolicyKind, Severity};

/// Positions are looked up for this many problems per file; past it, messages
/// keep their JSON path only, so a hopeless file cannot make loading quadratic.
const MAX_LOCATED: usize = 500;

struct Pending {
    severity: Severity,
    /// Where in the file the problem is (for line:column).
    path: JsonPath,
    /// The path shown to the user, when it differs (inside an encoded document).
    shown_path: String,
    message: String,
    repeat_key: Option<String>,
    /// The place in the text, when it is known better than `path` tells.
    position: Option<Position>,
}

/// One file being read.
pub struct FileContext<'a> {
    pub name: Arc<str>,
    text: &'a str,
    pending: Vec<Pending>,
    /// The documents this load has read, when the file is read as part of
    /// one: a document seen before is not read again.
    interner: Option<&'a PolicyInterner<'a>>,
}

/// What a policy document is, for its origin.
pub struct PolicyLabel {
    pub name: String,
    pub arn: Option<String>,
    pub source: PolicySource,
}

impl<'a> FileContext<'a> {
    pub fn new(name: Arc<str>, text: &'a str) -> Self {
        FileContext {
            name,
            text,
            pending: Vec::new(),
            interner: None,
        }
    }

    /// A file read as part of a load that shares its documents' readings.
    pub fn sharing(name: Arc<str>, text: &'a str, interner: &'a PolicyInterner<'a>) -> Self {
        FileContext {
            interner: Some(interner),
            ..FileContext::new(name, text)
        }
    }

    pub fn report(&mut self, severity: Severity, path: &JsonPath, message: impl Into<String>) {
        self.pending.push(Pending {
            severity,
            path: path.clone(),
            shown_path: path.to_string(),
            message: message.into(),
            repeat_key: None,
            position: None,
        });
    }

    /// An error about the element at `path`, shown at `position` inside it.
    pub fn error_at(&mut self, path: &JsonPath, position: Position, message: impl Into<String>) {
        self.pending.push(Pending {
            severity: Severity::Error,
            path: path.clone(),
            shown_path: path.to_string(),
            message: message.into(),
            repeat_key: None,
            position: Some(position),
        });
    }

    /// The text of the file.
    pub fn text(&self) -> &'a str {
        self.text
    }

    pub fn error(&mut self, path: &JsonPath, message: impl Into<String>) {
        self.report(Severity::Error, path, message);
    }

    pub fn warning(&mut self, path: &JsonPath, message: impl Into<String>) {
        self.report(Severity::Warning, path, message);
    }

    /// Reads the document at `path`, a part of this file's text, and reports
    /// its problems at their place in the file; a text this load has read
    /// before is not read again. With `history` set (a non-default policy
    /// version, not in force), its problems are only warnings and only its
    /// outline is kept (see [`super::intern::outlined`]).
    pub fn parse_document(
        &mut self,
        raw: &'a RawValue,
        path: &JsonPath,
        kind: PolicyKind,
        label: PolicyLabel,
        history: bool,
    ) -> Arc<NamedPolicy> {
        let read = match self.interner {
            Some(interner) => interner.read(raw, kind, history),
            None => {
                let read = read_document(DocumentInput::Raw(raw), kind);
                Arc::new(if history { outlined(read) } else { read })
            }
        };
        let encoded = DocumentInput::Raw(raw).is_encoded();
        self.place_document(&read, encoded, path, kind, label, history)
    }

    /// [`Self::parse_document`] for a document already parsed into a value.
    pub fn parse_policy(
        &mut self,
        value: &Value,
        path: &JsonPath,
        kind: PolicyKind,
        label: PolicyLabel,
        history: bool,
    ) -> Arc<NamedPolicy> {
        let read = read_document(DocumentInput::Parsed(value), kind);
        self.place_document(&read, value.is_string(), path, kind, label, history)
    }

    /// The document `read` at `path`: its problems reported there, and the
    /// policy with its origin.
    fn place_document(
        &mut self,
        read: &ReadDocument,
        encoded: bool,
        path: &JsonPath,
        kind: PolicyKind,
        label: PolicyLabel,
        history: bool,
    ) -> Arc<NamedPolicy> {
        if let Some(message) = &read.unreadable {
            self.error(path, message.clone());
        }
        for problem in read.problems.iter().cloned() {
            let severity = if history {
                Severity::Warning
            } else {
                problem.severity
            };
            let message = if history {
                format!(
                    "{} (in a non-default version, not in force)",
                    problem.message
                )
            } else {
                problem.message
            };
            let (located, shown) = if encoded {
                (
                    path.clone(),
                    format!("{path} → (encoded document) {}", problem.path),
                )
            } else {
                let full = path.join(&problem.path);
                let shown = full.to_string();
                (full, shown)
            };
            self.pending.push(Pending {
                severity,
                path: located,
                shown_path: shown,
                message,
                repeat_key: problem.repeat_key,
                position: None,
            });
        }
        NamedPolicy::new(
            PolicyOrigin {
                file: self.name.clone(),
                path: path.clone(),
                name: label.name,
                arn: label.arn,
                source: label.source,
            },
            kind,
            read.policy.clone(),
        )
    }

    /// The place of the element at `path` in this file.
    pub fn place(&self, path: &JsonPath) -> Place {
        Place {
            file: self.name.clone(),
            path: path.clone(),
        }
    }

    /// Checks that a date field reads as ISO 8601.
    pub fn check_date(&mut self, date: Option<&str>, path: &JsonPath) {
        if let Some(d) = date {
            if crate::policy::date::parse_datetime(d).is_none() {
                self.warning(path, format!("\"{d}\" is not an ISO 8601 date"));
            }
        }
    }

    /// The problems with their line and column.
    pub fn finish(self) -> Vec<Diagnostic> {
        let name = self.name;
        let mut locator = Locator::new(self.text);
        self.pending
            .into_iter()
            .enumerate()
            .map(|(i, p)| Diagnostic {
                severity: p.severity,
                file: name.to_string(),
                position: p
                    .position
                    .or_else(|| (i < MAX_LOCATED).then(|| locator.locate(&p.path))),
                path: (!p.path.segments().is_empty()).then_some(p.shown_path),
                message: p.message,
                anchor: Some(Box::new(Anchor {
                    at: p.path,
                    repeat_key: p.repeat_key,
                })),
            })
            .collect()
    }

    /// A diagnostic for the whole file at a known position.
    pub fn whole_file(
        &self,
        severity: Severity,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            file: self.name.to_string(),
            position,
            path: None,
            message: message.into(),
            anchor: None,
        }
    }
}
