//! Each distinct policy document read once per load.
//!
//! The same document text is printed in many places: every AWS managed
//! policy in use appears, with all its versions, in each account's
//! authorization dump, and customer policies are often copied from account to
//! account. At the scale of an organization most documents are repeats, so
//! the loader reads and compiles each distinct text once (per policy kind,
//! which decides how it is read) and every place shares the one compiled
//! [`Policy`]; each place still reports the document's problems at its own
//! path.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::value::RawValue;
use serde_json::Value;

use super::document_text::decode_document;
use crate::policy::{Policy, PolicyKind, Problem};

/// A document as a file holds it: raw text borrowed from the file (the
/// dumps), or a value already parsed (stores whose documents sit in files of
/// their own).
#[derive(Clone, Copy)]
pub enum DocumentInput<'v> {
    Raw(&'v RawValue),
    Parsed(&'v Value),
}

impl DocumentInput<'_> {
    /// A URL-encoded string rather than an object (see `document_text`).
    pub fn is_encoded(&self) -> bool {
        match self {
            DocumentInput::Raw(raw) => raw.get().trim_start().starts_with('"'),
            DocumentInput::Parsed(value) => value.is_string(),
        }
    }
}

/// What reading one document gives, the same wherever the text appears.
#[derive(Debug)]
pub struct ReadDocument {
    pub policy: Arc<Policy>,
    /// Problems at paths inside the document.
    pub problems: Vec<Problem>,
    /// Why the document could not be read at all (an encoded string that is
    /// not JSON once decoded); then it grants nothing.
    pub unreadable: Option<String>,
}

/// Reads one document of `kind`.
pub fn read_document(document: DocumentInput<'_>, kind: PolicyKind) -> ReadDocument {
    match document {
        DocumentInput::Parsed(value) => read_value(value, kind),
        DocumentInput::Raw(raw) => match serde_json::from_str::<Value>(raw.get()) {
            Ok(value) => read_value(&value, kind),
            // The file was read as JSON as a whole, so its parts are JSON too;
            // kept as a message rather than a panic all the same.
            Err(e) => unreadable(kind, format!("the policy document cannot be read: {e}")),
        },
    }
}

fn read_value(value: &Value, kind: PolicyKind) -> ReadDocument {
    match decode_document(value) {
        Ok(document) => {
            let mut problems = Vec::new();
            let policy = Policy::parse(&document, kind, &mut problems);
            ReadDocument {
                policy: Arc::new(policy),
                problems,
                unreadable: None,
            }
        }
        Err(message) => unreadable(kind, message),
    }
}

/// The reading without the policy's statements, its problems kept: a
/// non-default version of a managed policy is read for its problems and
/// shown by name and place, but AWS never evaluates it (IAM User Guide,
/// access_policies_managed-versioning), and such versions are about a third
/// of all statements in a dump, so they are not kept in memory.
pub fn outlined(read: ReadDocument) -> ReadDocument {
    ReadDocument {
        policy: Arc::new(Policy::new(
            read.policy.version,
            read.policy.id.clone(),
            Vec::new(),
        )),
        ..read
    }
}

fn unreadable(kind: PolicyKind, message: String) -> ReadDocument {
    ReadDocument {
        policy: Arc::new(Policy::parse(&Value::Null, kind, &mut Vec::new())),
        problems: Vec::new(),
        unreadable: Some(message),
    }
}

/// The documents read so far in one load, by kind and exact text. The texts
/// are borrowed from the files' (alive for the whole load), so remembering a
/// document costs no copy of it. Shared by the threads that read files; a
/// text read by two threads at once is read twice and the first result kept,
/// which costs time, never answers.
#[derive(Default)]
pub struct PolicyInterner<'t> {
    read: Mutex<ReadByText<'t>>,
}

/// Readings by the kind they were read as, whether only the outline is kept,
/// and the text.
type ReadByText<'t> = HashMap<(PolicyKind, bool, &'t str), Arc<ReadDocument>>;

impl<'t> PolicyInterner<'t> {
    /// The document read from `raw`, read now if this load has not seen it;
    /// with `outline`, without its statements (see [`outline`]).
    pub fn read(&self, raw: &'t RawValue, kind: PolicyKind, outline: bool) -> Arc<ReadDocument> {
        let key = (kind, outline, raw.get());
        if let Some(found) = self.lock().get(&key) {
            return found.clone();
        }
        let read = read_document(DocumentInput::Raw(raw), kind);
        let read = Arc::new(if outline { outlined(read) } else { read });
        self.lock().entry(key).or_insert(read).clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ReadByText<'t>> {
        // A reader that panicked left the map whole: entries are inserted
        // complete, so a poisoned lock is still safe to use.
        self.read
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_string()).expect("test JSON")
    }

    #[test]
    fn the_same_text_of_the_same_kind_is_read_once_and_shared() {
        let interner = PolicyInterner::default();
        let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#;
        let (a, b) = (raw(text), raw(text));
        let first = interner.read(&a, PolicyKind::Identity, false);
        let second = interner.read(&b, PolicyKind::Identity, false);
        assert!(Arc::ptr_eq(&first.policy, &second.policy));
    }

    #[test]
    fn the_same_text_read_as_another_kind_is_read_again() {
        // A trust policy and an identity policy are read by different rules
        // (Principal is required in one, refused in the other).
        let interner = PolicyInterner::default();
        let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"*"}}}"#;
        let document = raw(text);
        let identity = interner.read(&document, PolicyKind::Identity, false);
        let trust = interner.read(&document, PolicyKind::Trust, false);
        assert!(!Arc::ptr_eq(&identity.policy, &trust.policy));
        assert_ne!(identity.problems, trust.problems);
    }

    #[test]
    fn a_shared_read_gives_what_a_read_of_its_own_gives() {
        let interner = PolicyInterner::default();
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObjekt","Resource":"*"}]}"#;
        let document = raw(text);
        interner.read(&document, PolicyKind::Identity, false);
        let shared = interner.read(&document, PolicyKind::Identity, false);
        let own = read_document(DocumentInput::Raw(&document), PolicyKind::Identity);
        assert_eq!(*shared.policy, *own.policy);
        assert_eq!(shared.problems, own.problems);
        assert!(!own.problems.is_empty(), "the misspelt action is a problem");
    }

    #[test]
    fn a_version_not_in_force_keeps_its_problems_and_no_statements() {
        let interner = PolicyInterner::default();
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObjekt","Resource":"*"}]}"#;
        let document = raw(text);
        let in_force = interner.read(&document, PolicyKind::Identity, false);
        let history = interner.read(&document, PolicyKind::Identity, true);
        assert_eq!(in_force.policy.statements.len(), 1);
        assert!(history.policy.statements.is_empty());
        assert_eq!(history.problems, in_force.problems);
    }

    #[test]
    fn an_encoded_document_that_is_not_json_is_unreadable_wherever_it_is() {
        let interner = PolicyInterner::default();
        let document = raw(r#""%7Bnot json""#);
        let read = interner.read(&document, PolicyKind::Identity, false);
        assert!(read.unreadable.is_some());
        assert!(read.policy.statements.is_empty());
    }
}
