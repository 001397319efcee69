//! Playing a tour without a terminal, for `iamscope validate`: the same
//! plan, the same actions and the same `update` as in front of the room, on
//! an app that is never drawn. What validates is what plays.

use std::sync::Arc;

use super::action::{Action, TourAction};
use super::app::App;
use super::theme::Theme;
use super::update::update;
use crate::model::Workspace;
use crate::tour::{StepOutcome, Tour, TourError};
use crate::workspace::Diagnostic;

/// Plays every step of `tour` from the clock time `now`; the first step
/// that cannot be carried out, or whose expectation fails, is the error.
pub fn play(
    workspace: Arc<Workspace>,
    tour: &Tour,
    now: i64,
) -> Result<Vec<StepOutcome>, TourError> {
    // The plan's own errors (names, durations, clock steps), with their step.
    crate::tour::plan(tour, &workspace)?;
    let mut app = App::new(workspace, now, Theme::new(false)).with_tours(vec![tour.clone()]);
    update(&mut app, Action::Tour(TourAction::Start(0)));
    let mut outcomes = Vec::new();
    loop {
        let Some(state) = &app.tour else {
            return Err(TourError {
                file: tour.file.clone(),
                step: 1,
                message: app
                    .last_error
                    .clone()
                    .unwrap_or_else(|| "the tour did not start".to_string()),
            });
        };
        let step = state.done;
        if let Some(message) = &state.error {
            return Err(TourError {
                file: tour.file.clone(),
                step,
                message: message.clone(),
            });
        }
        outcomes.push(StepOutcome {
            step,
            text: state.current_text().to_string(),
            result: state
                .answers
                .last()
                .cloned()
                .flatten()
                .map(|a| a.detail)
                .unwrap_or_default(),
        });
        if state.is_last() {
            return Ok(outcomes);
        }
        update(&mut app, Action::Tour(TourAction::Next));
    }
}

/// Plays a tour and reports a failing step at its place in the file.
pub fn check(workspace: Arc<Workspace>, tour: &Tour, now: i64) -> Option<Diagnostic> {
    play(workspace, tour, now).err().map(|e| e.diagnostic(tour))
}
