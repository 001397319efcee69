//! Guided tours in the UI: a step of the engine's plan as the actions a
//! user would send, and what an escalation step must have left on screen.
//! Nothing here changes state; `update` sends the actions.

use super::action::{Action, ClockAction, Move, PolicyPick, Who};
use super::app::{App, Tab};
use super::overlay::Overlay;
use crate::tour::{Advance, Cue, Kind, Named, PolicyName, StepPlan};

/// The tab that lists entities of `kind`.
pub fn tab_of(kind: Kind) -> Tab {
    match kind {
        Kind::User => Tab::Users,
        Kind::Group => Tab::Groups,
        Kind::Role => Tab::Roles,
    }
}

/// Selecting `named`, as the list does.
pub fn select(named: &Named) -> Action {
    Action::Select {
        tab: tab_of(named.kind),
        name: named.name.clone(),
    }
}

/// The actions that carry out a step (its subject is re-established
/// before, by the player).
pub fn actions(step: &StepPlan) -> Vec<Action> {
    match &step.cue {
        Cue::Say => Vec::new(),
        Cue::Select(named) => vec![select(named)],
        Cue::OpenPolicy(PolicyName::Trust) => vec![Action::OpenPolicy(PolicyPick::Trust)],
        Cue::OpenPolicy(PolicyName::Named(name)) => {
            vec![Action::OpenPolicy(PolicyPick::Named(name.clone()))]
        }
        Cue::StartSession { role, duration, .. } => vec![Action::StartSession {
            role_arn: role.arn.clone(),
            duration: *duration,
        }],
        Cue::EndSession => vec![Action::EndSession],
        Cue::AdvanceClock(Advance::Seconds(s)) => vec![Action::Clock(ClockAction::Skip(*s))],
        Cue::AdvanceClock(Advance::UntilExpiry) => vec![Action::Clock(ClockAction::UntilExpiry)],
        Cue::SetContext(context) => vec![Action::SetContext(context.clone())],
        Cue::WhatIf(change) => vec![Action::WhatIf(change.clone())],
        Cue::UndoWhatIf => vec![Action::UndoWhatIf],
        Cue::Explain {
            action, resource, ..
        } => vec![Action::Explain {
            action: action.clone(),
            resource: resource.clone(),
            who: Who::Acting,
        }],
        Cue::OpenEscalation { of, .. } => vec![Action::OpenEscalationPath(of.arn.clone())],
        // What a user does: open the path, go to the step, press w.
        Cue::WhyEscalationStep { of, step, .. } => vec![
            Action::OpenEscalationPath(of.arn.clone()),
            Action::Move(Move::First),
            Action::Move(Move::By(step.saturating_sub(1) as isize)),
            Action::Why,
        ],
    }
}

/// What is wrong with the screen an escalation step left, if anything:
/// the path must be open and say what the step expects; a step's why must
/// be that of the step asked for (a path shorter than the tour thinks
/// would otherwise explain its last step).
pub fn escalation_problem(step: &StepPlan, app: &App) -> Option<String> {
    match &step.cue {
        Cue::OpenEscalation { of, expect } => {
            let Some(Overlay::EscalationPath(view)) = &app.overlay else {
                return Some(format!("the escalation path of {} did not open", of.name));
            };
            let expect = (*expect)?;
            (!expect.holds(&view.found)).then(|| {
                format!(
                    "expected {} to escalate \"{}\", but it is \"{}\"",
                    of.name,
                    expect.as_str(),
                    if view.found.admin {
                        "admin-equivalent"
                    } else {
                        view.found.escalates.as_str()
                    }
                )
            })
        }
        Cue::WhyEscalationStep { of, step, .. } => {
            let Some(Overlay::Why(why)) = &app.overlay else {
                return Some(format!(
                    "step {step} of {}'s escalation path has nothing to explain",
                    of.name
                ));
            };
            match why.back.as_deref() {
                Some(Overlay::EscalationPath(view)) if view.selected + 1 == *step => None,
                Some(Overlay::EscalationPath(view)) => Some(format!(
                    "{}'s escalation path has {} step(s): there is no step {step}",
                    of.name,
                    view.steps().len()
                )),
                _ => Some(format!("the escalation path of {} did not open", of.name)),
            }
        }
        _ => None,
    }
}

/// What a step expects of its answer, if anything.
pub fn expectation(step: &StepPlan) -> Option<crate::tour::Expectation> {
    match &step.cue {
        Cue::StartSession { expect, .. }
        | Cue::Explain { expect, .. }
        | Cue::WhyEscalationStep { expect, .. } => *expect,
        _ => None,
    }
}
