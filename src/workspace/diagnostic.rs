//! Problems found in workspace files, each naming the file and the place.

use std::fmt;

use super::locate::Position;
use crate::policy::Severity;

/// A problem in one file, at a line and column where it can be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: String,
    pub position: Option<Position>,
    /// The JSON path of the offending value, e.g. `RoleDetailList[2].AssumeRolePolicyDocument.Statement[0].Effect`.
    pub path: Option<String>,
    pub message: String,
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
