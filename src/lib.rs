//! iamscope: explore AWS IAM permissions from account dumps, offline.
//!
//! The engine (`workspace`, `model`, `policy`, `eval`) is pure Rust with no
//! terminal in it; `cli` is a thin layer over it.

pub mod arn;
pub mod bundled;
pub mod catalog;
pub mod cli;
pub mod escalation;
pub mod eval;
pub mod generate;
pub mod model;
pub mod parallel;
pub mod pattern;
pub mod policy;
pub mod sts;
pub mod text;
pub mod tour;
pub mod tui;
pub mod what_if;
pub mod who_can;
pub mod workspace;
