//! Guided tours in the UI: a step of the engine's plan as the actions a
//! user would send. Nothing here changes state; `update` sends the actions.

use super::action::{Action, ClockAction, PolicyPick, Who};
use super::app::Tab;
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
    }
}

/// What a step expects of its answer, if anything.
pub fn expectation(step: &StepPlan) -> Option<crate::tour::Expectation> {
    match &step.cue {
        Cue::StartSession { expect, .. } | Cue::Explain { expect, .. } => *expect,
        _ => None,
    }
}
