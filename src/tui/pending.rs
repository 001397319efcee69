//! The answers a keypress must not wait for. At scale (13,000 principals,
//! 22,000 catalog actions) a list move took 44 ms, two thirds of it in two
//! computations for the principal just selected: its effective permissions
//! (the permissions pane) and the escalation search (the detail pane's
//! Escalation line). In the terminal they run on a worker thread: the panes
//! show "computing…" until the answer arrives as a message, tagged with the
//! generation of the request it answers, and an answer for a principal no
//! longer selected is dropped. Tests, tours and `validate` compute inline
//! ([`Compute::Inline`], the default), so what they see is exact at once.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::views::detail::{self, DetailLine};
use crate::eval::Principal;
use crate::model::Workspace;
use crate::policy::RequestContext;
use crate::sts::SessionStack;

/// Where the slow answers are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compute {
    /// In `update`, before it returns: tests, tours, `validate`.
    #[default]
    Inline,
    /// On the event loop's worker thread; `update` leaves a [`Job`].
    Worker,
}

/// What is still to compute for the screen as it is now.
#[derive(Debug, Clone)]
pub struct Job {
    /// Tells this request from every other, so a late answer is dropped.
    pub generation: u64,
    pub workspace: Arc<Workspace>,
    pub context: RequestContext,
    pub now: i64,
    /// The acting identity outside a session, whose permissions are needed.
    pub acting: Option<Principal>,
    /// The principal (ARN) whose escalation line is needed.
    pub escalation: Option<String>,
}

/// A job's answer.
#[derive(Clone)]
pub struct Computed {
    pub generation: u64,
    /// The acting identity with its effective permissions.
    pub stack: Option<SessionStack>,
    /// The Escalation line of the detail pane, and whose it is.
    pub escalation: Option<(String, DetailLine)>,
}

/// Answers compare by the request they answer: the screen they change is
/// that request's.
impl PartialEq for Computed {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation
    }
}

impl std::fmt::Debug for Computed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Computed")
            .field("generation", &self.generation)
            .field("stack", &self.stack.as_ref().map(|s| s.chain_label()))
            .field("escalation", &self.escalation.as_ref().map(|(arn, _)| arn))
            .finish()
    }
}

/// The job waiting for its answer, and whether the loop has handed it to
/// the worker yet.
#[derive(Debug, Clone)]
pub struct Pending {
    pub job: Job,
    pub sent: bool,
}

/// A number no job had before, in this process (apps are rebuilt by tours,
/// so a counter in one app could meet an old answer with the same number).
pub fn next_generation() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Job {
    /// Computes the answer: what `update` would have computed inline.
    pub fn run(&self) -> Computed {
        let stack = self.acting.clone().map(|principal| {
            SessionStack::new(&self.workspace, principal, self.context.clone(), self.now)
        });
        let escalation = self.escalation.as_ref().map(|arn| {
            let line = detail::escalation(&self.workspace, &self.context, self.now, arn);
            (arn.clone(), line)
        });
        Computed {
            generation: self.generation,
            stack,
            escalation,
        }
    }
}
