//! The IAM policy language: documents, statements, patterns, conditions and
//! variables. Pure data and matching; no file system, no clock, no terminal.

pub mod condition;
pub mod context;
pub mod date;
pub mod document;
pub mod principal;
pub mod problem;
pub mod statement;
pub mod values;
pub mod variables;

/// Action and wildcard patterns live in the leaf module [`crate::pattern`],
/// shared with the action catalog; re-exported here under their old paths.
pub use crate::pattern::{action, glob};

pub use context::{ContextKeys, RequestContext, RequestKeys};
pub use document::{Policy, PolicyKind, TrustName, Version};
pub use problem::{JsonPath, Problem, Severity};
pub use statement::{Effect, Statement};
