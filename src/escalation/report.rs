//! The answer as reports print it: per principal, whether it escalates and
//! by which steps, each with the statements that allow it.

use serde::Serialize;

/// Whether a principal can become admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Escalates {
    /// A path exists using only what the dump shows.
    Yes,
    /// Every path needs something the dump cannot show (each step says what).
    Conditional,
    No,
}

impl Escalates {
    pub fn as_str(self) -> &'static str {
        match self {
            Escalates::Yes => "yes",
            Escalates::Conditional => "conditional",
            Escalates::No => "no",
        }
    }
}

/// A statement that allows one request of a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepStatement {
    pub action: String,
    pub resource: String,
    pub policy: String,
    /// `Sid "X"` or `statement #N`.
    pub statement: String,
    pub file: String,
}

/// A request a step makes, exactly as the evaluator was asked it: the
/// context holds the call's own keys (`iam:PassedToService` for
/// iam:PassRole, IAM User Guide, id_roles_use_passrole) over the caller's,
/// so a "why" of the step asks the same question and gets the same answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRequest {
    pub action: String,
    pub resource: String,
    pub context: crate::policy::RequestContext,
}

/// One step of a path: `from` becomes `to` (a principal's ARN, or `admin`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub from: String,
    pub to: String,
    /// The actions the step uses, in the order they are called.
    pub via: Vec<String>,
    /// What the step needs that the dump cannot show; empty when nothing.
    pub needs: String,
    /// The method's name and its public source.
    pub method: &'static str,
    /// What the step relies on that is worth knowing but not in doubt.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// The statements that allow each request of the step.
    pub statements: Vec<StepStatement>,
    /// The requests the step makes, in the order they are called (the
    /// first one decides whether the door is open: the role passed, the
    /// policy written, the role assumed). Not printed: the statements say it.
    #[serde(skip)]
    pub requests: Vec<StepRequest>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Path {
    pub steps: Vec<Step>,
}

/// The answer for one principal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrincipalEscalation {
    /// The user's or the role's ARN.
    pub principal: String,
    /// Already admin-equivalent: it may do everything, or give itself that
    /// in one step.
    pub admin: bool,
    pub escalates: Escalates,
    /// The shortest path found (empty for `no`).
    pub paths: Vec<Path>,
    #[serde(skip)]
    pub name: String,
    #[serde(skip)]
    pub is_role: bool,
}

impl PrincipalEscalation {
    /// How risky the answer is, for listing the riskiest first: admins, then
    /// short unconditional paths, then conditional ones, then the rest.
    pub fn risk_order(&self) -> (bool, Escalates, usize) {
        let length = self.paths.first().map_or(usize::MAX, |p| p.steps.len());
        (!self.admin, self.escalates, length)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub principals: Vec<PrincipalEscalation>,
}
