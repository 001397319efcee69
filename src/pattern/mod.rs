//! The wildcard patterns of the policy language (`*`, `?`), action patterns,
//! and case-folded lookups.
//!
//! A leaf module: it imports nothing of the crate, so both the policy
//! language and the action catalog (which expands action patterns, and which
//! the policy reader asks about unknown actions) can use it without
//! importing each other. `policy` re-exports `action` and `glob` under their
//! old paths.

pub mod action;
pub mod folded;
pub mod glob;
pub mod memo;
