//! The only place state changes: an action in, the state updated, effects
//! out for the event loop to carry out (copy to the clipboard, switch mouse
//! capture, quit). Keys, mouse, tours and tests all arrive here as actions.
//! This module routes them (global actions, then the overlay, then the main
//! screen) and plays tours; `screen` and `ask` carry them out.

mod ask;
mod compare;
mod escalation;
mod export;
mod problems;
mod screen;
mod what_if;

use crate::eval::Outcome;
use crate::tui::action::{Action, ClockAction, Effect, Msg, TourAction};
use crate::tui::app::{App, Dirty, Mark, TourState};
use crate::tui::filter_list::FilterList;
use crate::tui::input;
use crate::tui::overlay::{self, Overlay, Transition};
use crate::tui::ui::message::message_max_scroll;
use ask::{copy, open_picker};
use screen::{main_screen, on_tick};

/// Raw input in: the actions it stands for, applied in order.
pub fn handle(app: &mut App, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    for action in input::actions(app, &msg) {
        effects.extend(update(app, action));
    }
    effects
}

/// Applies one action.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let mut effects = Vec::new();
    apply(app, action, &mut effects);
    effects
}

fn apply(app: &mut App, action: Action, fx: &mut Vec<Effect>) {
    if !waits_well(app, &action) {
        app.settle();
    }
    // What applies whatever is on screen.
    match action {
        Action::Computed(computed) => {
            app.apply_computed(*computed);
            return;
        }
        Action::Tour(t) => {
            // A tour's steps read their answers at once: computed inline.
            let compute = std::mem::take(&mut app.compute);
            tour_action(app, t, fx);
            app.compute = compute;
            return;
        }
        Action::Quit => {
            app.quit = true;
            fx.push(Effect::Quit);
            return;
        }
        Action::Resize(w, h) => {
            app.size = (w, h);
            return;
        }
        Action::Clock(ClockAction::Tick(ms)) => {
            on_tick(app, ms);
            return;
        }
        Action::Notice { title, text } => {
            app.overlay = Some(Overlay::Message {
                title,
                text,
                scroll: 0,
            });
            return;
        }
        Action::Help => {
            app.overlay = Some(Overlay::Help(0));
            return;
        }
        Action::ToggleMouse => {
            app.mouse = !app.mouse;
            app.flash(if app.mouse {
                "mouse on: click to select, wheel to scroll (m turns it off for text selection)"
            } else {
                "mouse off: the terminal's own text selection works again"
            });
            fx.push(Effect::SetMouse(app.mouse));
            return;
        }
        Action::Copy(what) => {
            fx.extend(copy(app, what));
            return;
        }
        Action::TogglePresenter => {
            app.presenter = !app.presenter;
            app.flash(if app.presenter {
                "presenter mode: Tab zooms the next pane (P leaves it)"
            } else {
                "presenter mode off"
            });
            return;
        }
        Action::CycleTheme => {
            let palette = app.theme.palette.next();
            app.theme = app.theme.with_palette(palette);
            app.flash(format!("theme: {} (T changes it)", palette.name()));
            fx.push(Effect::SaveSettings(crate::tui::settings::Settings {
                theme: Some(palette),
            }));
            return;
        }
        Action::Warn(text) => {
            app.log(format!("warning: {text}"));
            return;
        }
        Action::Note(text) => {
            app.log(text);
            return;
        }
        Action::OpenExport => {
            export::open(app);
            return;
        }
        Action::Export { path } => {
            fx.extend(export::write(app, &path));
            return;
        }
        Action::SaveDemo { path } => {
            let text = crate::tui::demo_state::to_json(&crate::tui::demo_state::capture(app));
            fx.push(Effect::SaveDemo { path, text });
            return;
        }
        _ => {}
    }
    // The path scrolls within the room overlays have (less during a tour).
    let path_area = matches!(app.overlay, Some(Overlay::EscalationPath(_))).then(|| {
        let screen = ratatui::layout::Rect::new(0, 0, app.size.0, app.size.1);
        crate::tui::ui::overlay_area(app, screen)
    });
    if let Some(open) = app.overlay.as_mut() {
        let max = match open {
            Overlay::Message { text, .. } | Overlay::Comparison { text, .. } => {
                message_max_scroll(text, app.size)
            }
            Overlay::EscalationPath(view) => path_area.map_or(0, |area| {
                crate::tui::ui::escalation::path_max_scroll(view, area)
            }),
            _ => 5_000,
        };
        match overlay::handle(open, &action, max) {
            Transition::Stay => return,
            Transition::Say(text) => {
                app.flash(text);
                return;
            }
            Transition::Close => {
                app.overlay = None;
                return;
            }
            Transition::CloseThen(next) => {
                app.overlay = None;
                apply(app, next, fx);
                return;
            }
            Transition::Then(next) => {
                apply(app, next, fx);
                return;
            }
            Transition::Replace(next) => {
                app.overlay = Some(*next);
                return;
            }
            Transition::Pass => {
                // Keys that only mean something on the main screen do not
                // reach it through an overlay; what a tour or a test asks
                // for does.
                if matches!(
                    action,
                    Action::Move(_)
                        | Action::Open
                        | Action::Back
                        | Action::Filter(_)
                        | Action::Form(_)
                        | Action::CycleDuration
                        | Action::Why
                        | Action::Click { .. }
                        | Action::Scroll { .. }
                ) {
                    return;
                }
            }
        }
    }
    main_screen(app, action);
}

/// Whether `action` may run while the slow answers are still computed:
/// moving in the lists and typing their filter (what a user does fast, one
/// key after another), switching tabs and panes, what only touches the
/// screen's frame. Everything else reads the permissions or the detail
/// pane, so it first computes what they wait for (`App::settle`).
fn waits_well(app: &App, action: &Action) -> bool {
    use crate::tui::action::FilterEdit;
    use crate::tui::app::{FilterTarget, Pane};
    let on_main_list = app.overlay.is_none() && app.browser.focus == Pane::List;
    match action {
        Action::Quit
        | Action::Resize(..)
        | Action::Clock(ClockAction::Tick(_))
        | Action::Computed(_)
        | Action::Help
        | Action::ShowTab(_)
        | Action::Focus(_)
        | Action::FocusNext
        | Action::FocusPrev
        | Action::Select { .. }
        | Action::Note(_)
        | Action::Warn(_)
        | Action::TogglePresenter
        | Action::ToggleMouse
        | Action::CycleTheme => true,
        Action::Move(_) => {
            app.overlay.is_none() && matches!(app.browser.focus, Pane::List | Pane::Detail)
        }
        Action::Click { pane, .. } | Action::Scroll { pane, .. } => {
            app.overlay.is_none() && *pane == Pane::List
        }
        Action::Filter(FilterEdit::Open) => on_main_list,
        Action::Filter(_) => {
            app.overlay.is_none() && app.browser.filtering == Some(FilterTarget::List)
        }
        _ => false,
    }
}

// Tours: the engine's plan, sent step by step as actions.

fn tour_action(app: &mut App, action: TourAction, fx: &mut Vec<Effect>) {
    match action {
        TourAction::Choose => match app.tours.len() {
            0 => app.flash(
                "this workspace has no tour: add WORKSPACE/tours/*.json (see README, For trainers)",
            ),
            1 => start_tour(app, 0, fx),
            _ => {
                let titles = app.tours.iter().map(|t| t.title.clone()).collect();
                app.overlay = Some(Overlay::Tours(FilterList::new(titles)));
            }
        },
        TourAction::Start(index) => start_tour(app, index, fx),
        TourAction::Next => {
            let Some(state) = &app.tour else { return };
            if state.is_last() {
                app.flash("last step: Esc leaves the tour");
                return;
            }
            let step = state.done;
            run_step(app, step, true, fx);
        }
        TourAction::Back => {
            let Some(state) = &app.tour else { return };
            if state.done <= 1 {
                app.flash("first step");
                return;
            }
            let to = state.done - 1;
            replay(app, to, fx);
        }
        TourAction::Leave => {
            if let Some(state) = app.tour.take() {
                app.log(format!("left the tour \"{}\"", state.tour.title));
            }
        }
    }
}

/// Starts the workspace's tour `index` on a fresh screen. Sessions in force
/// end first, in the log, and the log stays: nothing is dropped silently.
fn start_tour(app: &mut App, index: usize, fx: &mut Vec<Effect>) {
    let Some(tour) = app.tours.get(index).cloned() else {
        return;
    };
    let plan = match crate::tour::plan(&tour, &app.workspace) {
        Ok(plan) => plan,
        Err(e) => {
            app.last_error = Some(e.message.clone());
            app.overlay = Some(Overlay::Message {
                title: format!("The tour \"{}\" cannot be played", tour.title),
                text: format!(
                    "Step {}: {}\n\n`iamscope validate` checks every tour of the workspace.",
                    e.step, e.message
                ),
                scroll: 0,
            });
            return;
        }
    };
    while app.in_session() {
        apply(app, Action::EndSession, fx);
    }
    app.tour = None;
    app.log(format!("tour \"{}\" started", tour.title));
    let started_at = app.now();
    let log_at_start = app.timeline.log.clone();
    reset(app, started_at, log_at_start.clone());
    app.tour = Some(TourState {
        tour,
        plan,
        done: 0,
        started_at,
        log_at_start,
        step_log_from: 0,
        left: None,
        error: None,
        answers: Vec::new(),
    });
    run_step(app, 0, false, fx);
}

/// Back to the screen the UI opens on, with the clock at `at` and `log`.
fn reset(app: &mut App, at: i64, log: Vec<crate::tui::app::LogEntry>) {
    // The workspace as loaded: what-if changes are the tour's to make.
    let loaded = app
        .what_if
        .first()
        .map_or_else(|| app.workspace.clone(), |step| step.before.clone());
    let mut fresh = App::new(loaded, at, app.theme);
    // The problems and the marks they put on the lists do not change.
    fresh.problems = app.problems.clone();
    for (new, old) in fresh.browser.lists.iter_mut().zip(&mut app.browser.lists) {
        new.marks = std::mem::take(&mut old.marks);
    }
    fresh.size = app.size;
    fresh.mouse = app.mouse;
    fresh.presenter = app.presenter;
    fresh.tours = std::mem::take(&mut app.tours);
    fresh.tour = app.tour.take();
    fresh.timeline.log = log;
    fresh.refresh(Dirty::DETAIL);
    *app = fresh;
}

/// Replays the tour from its start up to `steps` steps done: deterministic,
/// whatever the user did meanwhile.
fn replay(app: &mut App, steps: usize, fx: &mut Vec<Effect>) {
    let Some(state) = app.tour.take() else { return };
    let (at, log) = (state.started_at, state.log_at_start.clone());
    app.tour = Some(TourState {
        done: 0,
        error: None,
        left: None,
        answers: Vec::new(),
        ..state
    });
    reset(app, at, log);
    for step in 0..steps {
        run_step(app, step, false, fx);
    }
}

/// What a step left on screen, to tell later whether the user changed it.
fn mark(app: &App) -> Mark {
    Mark {
        chain: app.session.stack.chain_label(),
        context: app.session.context.clone(),
        what_if: app.what_if.iter().map(|s| s.change.clone()).collect(),
    }
}

/// Carries out step `index`: re-establishes its subject (the selection, and
/// with it the acting identity) and, if the user changed sessions or context
/// since the last step, replays the tour up to it; then sends the step's
/// actions and checks its expectation.
fn run_step(app: &mut App, index: usize, check_left: bool, fx: &mut Vec<Effect>) {
    let Some(step) = app.tour.as_ref().and_then(|s| s.plan.get(index)).cloned() else {
        return;
    };
    app.overlay = None;
    app.timeline.status = None;
    app.browser.filtering = None;
    if let Some(subject) = &step.subject {
        let selected = app.browser.tab == super::tour::tab_of(subject.kind)
            && app.selected_name() == Some(crate::text::clean(&subject.name).as_ref());
        if !selected {
            apply(app, super::tour::select(subject), fx);
        }
    }
    let left = app.tour.as_ref().and_then(|s| s.left.clone());
    if check_left && left.is_some_and(|l| l != mark(app)) {
        replay(app, index, fx);
        app.overlay = None;
        app.timeline.status = None;
    }
    app.last_answer = None;
    app.last_error = None;
    let log_from = app.timeline.log.len();
    for action in super::tour::actions(&step) {
        apply(app, action, fx);
    }
    let answer = app.last_answer.take();
    let mut error = app
        .last_error
        .take()
        .or_else(|| super::tour::escalation_problem(&step, app));
    if let (Some(expect), Some(a)) = (super::tour::expectation(&step), &answer) {
        if error.is_none() && !expect.holds(a.outcome) {
            error = Some(format!(
                "expected {} to be {expect:?}, but it is {:?} ({})",
                a.question, a.outcome, a.detail
            ));
        }
    }
    // A refused switch shows the picker, the role marked ✗ with the reason.
    if let (crate::tour::Cue::StartSession { role, .. }, Some(a)) = (&step.cue, &answer) {
        if a.outcome != Outcome::Allow {
            open_picker(app);
            if let Some(Overlay::Picker(picker)) = &mut app.overlay {
                if let Some(i) = picker.roles.iter().position(|r| r.arn == role.arn) {
                    picker.list.select_item(i);
                }
            }
        }
    }
    let left = mark(app);
    if let Some(state) = app.tour.as_mut() {
        state.done = index + 1;
        state.error = error;
        state.step_log_from = log_from;
        state.left = Some(left);
        state.answers.truncate(index);
        state.answers.push(answer);
    }
}
