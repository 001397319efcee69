//! One grant of an action, and what narrows it, with where each comes from.

use serde::Serialize;

use crate::eval::decision::Layer;
use crate::policy::Effect;

/// Where a grant or restriction comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementRef {
    pub layer: Layer,
    pub file: String,
    pub policy: String,
    pub statement: String,
    pub statement_index: usize,
}

/// An Allow statement that grants an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    pub source: StatementRef,
    /// Resource patterns, variables substituted where the context knows them;
    /// with `not_resource`, the resources it excludes.
    pub resources: Vec<String>,
    pub not_resource: bool,
    /// Conditions the context cannot decide, in words.
    pub conditions: Vec<String>,
}

/// Something that narrows a granted action without removing it: a Deny on
/// some resources or under a condition, or a boundary, session policy or SCP
/// that allows it only on some resources or under a condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Restriction {
    pub effect: Effect,
    pub source: StatementRef,
    pub resources: Vec<String>,
    pub not_resource: bool,
    pub conditions: Vec<String>,
}

impl Restriction {
    /// `denied on arn:… if aws:SecureTransport Bool false by <policy>`, for
    /// lists that show a limit in one line.
    pub fn describe(&self) -> String {
        let what = match self.effect {
            Effect::Deny => "denied",
            Effect::Allow => "only",
        };
        let scope = if self.not_resource {
            format!("all but {}", self.resources.join(", "))
        } else {
            self.resources.join(", ")
        };
        let mut text = format!("{what} on {scope}");
        if !self.conditions.is_empty() {
            text.push_str(&format!(" if {}", self.conditions.join(" and ")));
        }
        format!("{text} by {}", self.source.policy)
    }
}
