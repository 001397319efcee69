//! The IAM policy language: documents, statements, patterns, conditions and
//! variables. Pure data and matching; no file system, no clock, no terminal.

pub mod action;
pub mod condition;
pub mod context;
pub mod date;
pub mod document;
pub mod glob;
pub mod principal;
pub mod problem;
pub mod statement;
pub mod values;
pub mod variables;

pub use context::{ContextKeys, RequestContext, RequestKeys};
pub use document::{Policy, PolicyKind, Version};
pub use problem::{JsonPath, Problem, Severity};
pub use statement::{Effect, Statement};
