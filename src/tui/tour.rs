//! Guided tours in the UI: each step's action is carried out through the same
//! functions the keys use, so a tour shows exactly what a user would see.
//! Going back replays the tour from its start, which keeps every step
//! deterministic.

use super::app::{App, Overlay, Pane, Tab};
use super::update::{apply_context, explain, on_tick_for_tour, open_picker, start_session};
use super::views::policy;
use crate::policy::RequestContext;
use crate::tour::{StepAction, Tour};

/// The tour being shown.
#[derive(Debug, Clone)]
pub struct TourState {
    pub tour: Tour,
    /// Steps carried out so far; the text shown is that of step `done - 1`.
    pub done: usize,
    /// The clock when the tour started, for replays.
    pub started_at: i64,
    /// A step that could not be carried out.
    pub error: Option<String>,
}

impl TourState {
    pub fn current_text(&self) -> &str {
        self.done
            .checked_sub(1)
            .and_then(|i| self.tour.steps.get(i))
            .map_or("", |s| s.text.as_str())
    }

    pub fn is_last(&self) -> bool {
        self.done >= self.tour.steps.len()
    }
}

/// Starts `tour` from a fresh screen and carries out its first step.
pub fn start(app: &mut App, tour: Tour) {
    let started_at = app.now();
    reset(app, started_at);
    app.tour = Some(TourState {
        tour,
        done: 0,
        started_at,
        error: None,
    });
    next(app);
}

/// Carries out the next step.
pub fn next(app: &mut App) {
    let Some(state) = app.tour.as_ref() else {
        return;
    };
    let Some(step) = state.tour.steps.get(state.done).cloned() else {
        app.flash("last step: Esc leaves the tour");
        return;
    };
    app.overlay = None;
    app.status = None;
    let error = apply(app, &step.action).err();
    if let Some(state) = app.tour.as_mut() {
        state.done += 1;
        state.error = error;
    }
}

/// Goes back one step by replaying the tour from its start.
pub fn back(app: &mut App) {
    let Some(state) = app.tour.clone() else {
        return;
    };
    if state.done <= 1 {
        app.flash("first step");
        return;
    }
    reset(app, state.started_at);
    app.tour = Some(TourState {
        done: 0,
        error: None,
        ..state.clone()
    });
    for _ in 0..state.done - 1 {
        next(app);
    }
}

/// Leaves the tour; the screen stays as the tour left it.
pub fn leave(app: &mut App) {
    if let Some(state) = app.tour.take() {
        app.log(format!("left the tour \"{}\"", state.tour.title));
    }
}

/// Back to the state the UI opens in, with the clock at `at`.
fn reset(app: &mut App, at: i64) {
    let mut fresh = App::new(app.workspace.clone(), app.problems, at, app.theme);
    fresh.size = app.size;
    fresh.mouse = app.mouse;
    fresh.tours = std::mem::take(&mut app.tours);
    *app = fresh;
}

/// Carries out one action; `Err` says why it could not be.
fn apply(app: &mut App, action: &StepAction) -> Result<(), String> {
    match action {
        StepAction::Say => Ok(()),
        StepAction::SelectUser { name } => select(app, Tab::Users, name),
        StepAction::SelectGroup { name } => select(app, Tab::Groups, name),
        StepAction::SelectRole { name } => select(app, Tab::Roles, name),
        StepAction::OpenPolicy { policy: wanted } => {
            let found = if wanted == "trust" {
                app.detail
                    .iter()
                    .find(|l| l.label == "Trust")
                    .and_then(|l| l.policy.clone())
            } else {
                app.detail
                    .iter()
                    .filter_map(|l| l.policy.clone())
                    .find(|p| {
                        p.origin.name == *wanted
                            || p.origin
                                .arn
                                .as_deref()
                                .is_some_and(|a| a.ends_with(&format!("/{wanted}")))
                    })
            };
            let policy =
                found.ok_or_else(|| format!("the selection has no policy named \"{wanted}\""))?;
            app.overlay = Some(Overlay::Policy(policy::view(&app.workspace, &policy, None)));
            Ok(())
        }
        StepAction::SwitchRole { role, duration, .. } => {
            let arn = role_arn(app, role)?;
            let before = app.stack.sessions().len();
            start_session(app, &arn, duration.unwrap_or(3600));
            if app.stack.sessions().len() == before {
                // Denied: show the picker, where the role is marked ✗ with the reason.
                open_picker(app);
                if let Some(Overlay::Picker(picker)) = &mut app.overlay {
                    if let Some(i) = picker.roles.iter().position(|r| r.arn == arn) {
                        picker.list.select_item(i);
                    }
                }
            }
            Ok(())
        }
        StepAction::EndSession => match app.stack.end(app.now()).cloned() {
            Some(event) => {
                app.on_session_event(&event);
                Ok(())
            }
            None => Err("there is no session to end".to_string()),
        },
        StepAction::AdvanceClock {
            seconds,
            until_expiry,
        } => {
            let skip = if *until_expiry {
                app.stack
                    .current_session()
                    .map(|s| s.remaining(app.now()))
                    .ok_or("until_expiry needs a session")?
            } else {
                seconds.unwrap_or(0).max(0)
            };
            app.clock.skip(skip);
            on_tick_for_tour(app);
            Ok(())
        }
        StepAction::SetContext { context } => {
            let mut ctx = RequestContext::new();
            for (key, value) in context {
                ctx.set(key, [value.clone()]);
            }
            apply_context(app, ctx);
            Ok(())
        }
        StepAction::Why {
            action, resource, ..
        } => {
            explain(app, action, resource);
            Ok(())
        }
    }
}

fn select(app: &mut App, tab: Tab, name: &str) -> Result<(), String> {
    app.tab = tab;
    app.focus = Pane::List;
    let list = app.current_list_mut();
    list.list.set_filter("");
    let index = (0..list.list.len())
        .find(|&i| list.list.label(i) == name)
        .ok_or_else(|| {
            format!(
                "no {} named \"{name}\"",
                tab.title().to_lowercase().trim_end_matches('s')
            )
        })?;
    list.list.select_item(index);
    app.selection_changed();
    Ok(())
}

fn role_arn(app: &App, name: &str) -> Result<String, String> {
    app.workspace
        .accounts
        .iter()
        .flat_map(|a| a.roles.iter())
        .find(|r| r.name == name)
        .map(|r| r.arn.clone())
        .ok_or_else(|| format!("no role named \"{name}\""))
}
