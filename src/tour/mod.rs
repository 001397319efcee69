//! Guided tours: a sequence of steps, each with a short text for the room and
//! an action the tool performs (select a principal, open a policy, switch
//! role, advance the clock, end a session, explain a decision).
//!
//! Tours are data files beside the accounts (`WORKSPACE/tours/*.json`) so a
//! trainer can write their own. [`plan`] resolves a tour against the
//! workspace once (names, durations, clock steps); the UI plays the plan
//! through its actions, in front of the room and headless for `validate`,
//! so a tour whose lesson no longer holds is reported before the workshop
//! by the very code that will show it.

mod plan;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

pub use plan::{
    find, plan, Advance, Cue, Kind, Named, PolicyName, StepOutcome, StepPlan, TourError,
};

use crate::policy::{JsonPath, Severity};
use crate::workspace::locate::{json_error_position, locate};
use crate::workspace::Diagnostic;

/// A tour as its file writes it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Tour {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    pub steps: Vec<Step>,
    /// The file it came from, for messages (not in the file).
    #[serde(skip)]
    pub file: String,
    /// The file's text, to place problems at a line and column.
    #[serde(skip)]
    pub text: String,
}

/// One step: what to say, and what to do.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Step {
    pub text: String,
    #[serde(flatten)]
    pub action: StepAction,
}

/// What a step does. `do` names it; the other fields are its arguments.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "do", rename_all = "kebab-case", deny_unknown_fields)]
pub enum StepAction {
    /// Only text.
    Say,
    /// Select a user, group or role by name (a name unique in the workspace).
    SelectUser {
        name: String,
    },
    SelectGroup {
        name: String,
    },
    SelectRole {
        name: String,
    },
    /// Open a policy of the selected entity by name (`trust` for a role's trust policy).
    OpenPolicy {
        policy: String,
    },
    /// Switch role from the acting identity; `expect` checks the answer.
    SwitchRole {
        role: String,
        #[serde(default)]
        duration: Option<u32>,
        #[serde(default)]
        expect: Option<Expectation>,
    },
    /// End the current session.
    EndSession,
    /// Advance the simulated clock by `seconds`, or until the current session expires.
    AdvanceClock {
        #[serde(default)]
        seconds: Option<i64>,
        #[serde(default)]
        until_expiry: bool,
    },
    /// Set the request context (replacing it); an empty map clears it.
    SetContext {
        context: BTreeMap<String, String>,
    },
    /// Open the escalation path of the selected user or role (issue 14);
    /// `expect` checks whether it can become admin.
    OpenEscalation {
        #[serde(default)]
        expect: Option<EscalationExpectation>,
    },
    /// The why of step `step` (from 1) of the selected user's or role's
    /// escalation path: its first request, asked by the step's principal
    /// as the search asked it, over the path; `expect` checks the answer.
    WhyEscalationStep {
        step: usize,
        #[serde(default)]
        expect: Option<Expectation>,
    },
    /// A what-if change on a copy of the workspace: on the selected user,
    /// group or role, detach `policy` or disable its `statement` (1-based),
    /// or drop its boundary; or disable the organization's SCP `scp`.
    WhatIf {
        change: WhatIfKind,
        #[serde(default)]
        policy: Option<String>,
        #[serde(default)]
        statement: Option<usize>,
        #[serde(default)]
        scp: Option<String>,
    },
    /// Undo the last what-if change.
    UndoWhatIf,
    /// Explain a decision of the acting identity.
    Why {
        action: String,
        #[serde(default = "any_resource")]
        resource: String,
        #[serde(default)]
        expect: Option<Expectation>,
    },
}

/// Which what-if change a step makes.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum WhatIfKind {
    DetachPolicy,
    DisableStatement,
    DropBoundary,
    DisableScp,
}

fn any_resource() -> String {
    "*".to_string()
}

/// What a step expects.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub enum Expectation {
    #[serde(alias = "allowed", alias = "Allow")]
    Allowed,
    #[serde(alias = "denied")]
    Denied,
    ExplicitDeny,
    ImplicitDeny,
}

/// What an `open-escalation` step expects: whether the principal can
/// become admin (`yes` also holds for one that is admin already).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum EscalationExpectation {
    Yes,
    Conditional,
    No,
}

impl EscalationExpectation {
    /// As tours write it.
    pub fn as_str(self) -> &'static str {
        match self {
            EscalationExpectation::Yes => "yes",
            EscalationExpectation::Conditional => "conditional",
            EscalationExpectation::No => "no",
        }
    }

    /// Whether the escalation found is what was expected.
    pub fn holds(self, found: &crate::escalation::PrincipalEscalation) -> bool {
        use crate::escalation::Escalates;
        match self {
            EscalationExpectation::Yes => found.admin || found.escalates == Escalates::Yes,
            EscalationExpectation::Conditional => {
                !found.admin && found.escalates == Escalates::Conditional
            }
            EscalationExpectation::No => !found.admin && found.escalates == Escalates::No,
        }
    }
}

/// Reads a tour from JSON text. Errors name the place: serde's line and
/// column, or the step.
pub fn parse(name: &str, text: &str) -> Result<Tour, Diagnostic> {
    let mut tour: Tour = serde_json::from_str(text).map_err(|e| Diagnostic {
        severity: Severity::Error,
        file: name.to_string(),
        position: json_error_position(text, &e),
        path: None,
        message: format!("not a valid tour: {}", strip_position(&e.to_string())),
        anchor: None,
    })?;
    tour.file = name.to_string();
    tour.text = text.to_string();
    if tour.steps.is_empty() {
        return Err(Diagnostic {
            severity: Severity::Error,
            file: name.to_string(),
            position: Some(locate(text, &JsonPath::root().key("steps"))),
            path: Some("steps".to_string()),
            message: "a tour needs at least one step".to_string(),
            anchor: None,
        });
    }
    Ok(tour)
}

fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

/// The tours of a workspace folder (`tours/*.json`, in name order) and the
/// problems of those that do not read. A workspace that is a single file has none.
pub fn load_dir(workspace: &Path) -> (Vec<Tour>, Vec<Diagnostic>) {
    let dir = workspace.join("tours");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return (Vec::new(), Vec::new());
    };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("json"))
        })
        .collect();
    files.sort();
    let mut tours = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        let name = file.display().to_string();
        match std::fs::read_to_string(&file) {
            Ok(text) => match parse(&name, &text) {
                Ok(tour) => tours.push(tour),
                Err(d) => problems.push(d),
            },
            Err(e) => problems.push(Diagnostic {
                severity: Severity::Error,
                file: name,
                position: None,
                path: None,
                message: format!("cannot be read: {e}"),
                anchor: None,
            }),
        }
    }
    (tours, problems)
}

/// The tours bundled with the workshop sample.
pub fn workshop_tours() -> Vec<Tour> {
    crate::bundled::workshop::TOURS
        .iter()
        .filter_map(|(name, text)| parse(name, text).ok())
        .collect()
}

#[cfg(test)]
mod tests;
