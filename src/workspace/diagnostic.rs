//! Problems found in workspace files, each naming the file and the place.

use std::fmt;

use super::locate::Position;
use crate::policy::Severity;

/// A problem in one file, at a line and column where it can be told.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: String,
    pub position: Option<Position>,
    /// The JSON path of the offending value, e.g. `RoleDetailList[2].AssumeRolePolicyDocument.Statement[0].Effect`.
    pub path: Option<String>,
    pub message: String,
    /// Where in the file's JSON the problem is, for problems inside a file
    /// that loaded (boxed: most diagnostics travel in `Result`s).
    pub anchor: Option<Box<Anchor>>,
}

/// A problem's place in the JSON of its file, and what it repeats as.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Anchor {
    /// The JSON path the problem is located at (inside an encoded document,
    /// the document's own path), to tell which elements it touches.
    pub at: crate::policy::JsonPath,
    /// Problems of the same kind and subject share a key; see
    /// [`crate::policy::Problem::repeat_key`].
    pub repeat_key: Option<String>,
}

impl Diagnostic {
    /// The JSON path the problem is located at, when it is inside a file.
    pub fn at(&self) -> Option<&crate::policy::JsonPath> {
        self.anchor.as_ref().map(|a| &a.at)
    }

    /// The key the problem repeats under, if it has one.
    pub fn repeat_key(&self) -> Option<&str> {
        self.anchor.as_ref().and_then(|a| a.repeat_key.as_deref())
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(p) = self.position {
            write!(f, ":{}:{}", p.line, p.column)?;
        }
        write!(f, ": {}: {}", self.severity, self.message)?;
        if let Some(path) = &self.path {
            write!(f, " (at {path})")?;
        }
        Ok(())
    }
}
