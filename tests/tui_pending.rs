//! The slow answers off the keypress path (`iamscope::tui::pending`): in
//! the terminal a list move leaves the escalation search and the effective
//! permissions to a worker thread. These tests play the worker's part by
//! hand: take the job the loop would send, run it, deliver the answer when
//! the test says, and compare with the same keys computed inline.

use std::sync::Arc;

use iamscope::tui::pending::Compute;
use iamscope::tui::theme::Theme;
use iamscope::tui::{update, Action, App};

mod tui_common;
use tui_common::{press, screen};

/// 2026-01-01T09:40:00Z.
const NOW: i64 = 1_767_260_400;

fn workshop() -> Arc<iamscope::model::Workspace> {
    Arc::new(iamscope::bundled::workshop::load().workspace)
}

/// The UI as the terminal runs it.
fn worker_app() -> App {
    App::new(workshop(), NOW, Theme::new(false)).with_compute(Compute::Worker)
}

/// The UI as tests and tours run it: every answer at once.
fn inline_app() -> App {
    App::new(workshop(), NOW, Theme::new(false))
}

/// The worker's answer to the job the loop would send now.
fn answer(app: &mut App) -> Action {
    let job = app.take_job().expect("a job for the worker");
    Action::Computed(Box::new(job.run()))
}

/// Delivers the answer to what the screen waits for, if anything.
fn finish(app: &mut App) {
    if let Some(job) = app.take_job() {
        update(app, Action::Computed(Box::new(job.run())));
    }
}

/// The same keys computed inline, drawn at 120×34.
fn inline_screen(keys: &str) -> String {
    let mut app = inline_app();
    press(&mut app, keys);
    screen(&mut app, 120, 34)
}

#[test]
fn a_move_shows_computing_until_the_answer_arrives() {
    let mut app = worker_app();
    press(&mut app, "j");
    let waiting = screen(&mut app, 120, 34);
    assert!(waiting.contains("Escalation  computing…"), "{waiting}");
    assert!(waiting.contains("Permissions computing…"), "{waiting}");
    // The header already names the principal selected.
    let selected = app.selected_name().expect("a user selected").to_string();
    assert!(
        waiting
            .lines()
            .next()
            .is_some_and(|l| l.contains(&selected)),
        "{waiting}"
    );
    let answer = answer(&mut app);
    assert!(app.take_job().is_none(), "a job is handed over once");
    update(&mut app, answer);
    assert!(app.pending.is_none());
    assert_eq!(screen(&mut app, 120, 34), inline_screen("j"));
}

#[test]
fn a_late_answer_for_a_principal_no_longer_selected_is_dropped() {
    let mut app = worker_app();
    press(&mut app, "j");
    let first = answer(&mut app);
    press(&mut app, "j");
    let second = answer(&mut app);
    let Action::Computed(late) = &first else {
        unreachable!()
    };
    assert!(
        late.stack.is_some(),
        "the first move changed the acting identity"
    );
    update(&mut app, first);
    let text = screen(&mut app, 120, 34);
    assert!(text.contains("Escalation  computing…"), "{text}");
    assert!(text.contains("Permissions computing…"), "{text}");
    update(&mut app, second);
    assert_eq!(screen(&mut app, 120, 34), inline_screen("jj"));
}

#[test]
fn moving_fast_shows_the_answer_for_the_principal_now_selected() {
    let mut app = worker_app();
    // Keys faster than the worker: only the last job is asked for.
    press(&mut app, "jjjk");
    let answer = answer(&mut app);
    update(&mut app, answer);
    assert_eq!(screen(&mut app, 120, 34), inline_screen("jjjk"));
}

/// Down and back up before the answer: the pane is the first user's again
/// (the stack never stopped being it), not the answer for the one passed.
#[test]
fn moving_away_and_back_before_the_answer_shows_the_first_principal() {
    let mut app = worker_app();
    press(&mut app, "j");
    let passed = answer(&mut app);
    press(&mut app, "k");
    assert!(!app.permissions_pending());
    update(&mut app, passed);
    finish(&mut app);
    assert_eq!(screen(&mut app, 120, 34), inline_screen("jk"));
    // The same with the answer for the user passed never taken.
    let mut app = worker_app();
    press(&mut app, "jk");
    finish(&mut app);
    assert_eq!(screen(&mut app, 120, 34), inline_screen("jk"));
}

#[test]
fn a_session_started_before_the_answer_keeps_the_permissions_right() {
    let mut app = worker_app();
    // Down to carol, then straight into a session: the picker computes what
    // it needs first, so the diff is carol's, not the user's before.
    press(&mut app, "jj");
    assert!(app.permissions_pending());
    press(&mut app, "s");
    assert!(app.pending.is_none(), "the picker computed what it reads");
    press(&mut app, "\n");
    // The session's permissions are there at once; the detail pane's
    // escalation line (the selection's) is the worker's again.
    assert!(!app.permissions_pending());
    finish(&mut app);
    let mut inline = inline_app();
    press(&mut inline, "jjs\n");
    assert_eq!(screen(&mut app, 120, 34), screen(&mut inline, 120, 34));
    // Moving in a session leaves the acting identity alone; ending it
    // gives carol's permissions back.
    press(&mut app, "j");
    assert!(!app.permissions_pending());
    press(&mut app, "x");
    finish(&mut app);
    press(&mut inline, "jx");
    let text = screen(&mut app, 120, 34);
    assert!(!text.contains("computing…"), "{text}");
    assert_eq!(text, screen(&mut inline, 120, 34));
}

#[test]
fn an_answer_after_the_screen_moved_on_in_a_session_is_dropped() {
    let mut app = worker_app();
    press(&mut app, "j");
    let before_session = answer(&mut app);
    press(&mut app, "s\n");
    // Settled for the picker: the worker's answer comes too late.
    update(&mut app, before_session);
    assert!(app.pending.is_some(), "the session's own job still waits");
    finish(&mut app);
    let mut inline = inline_app();
    press(&mut inline, "js\n");
    assert_eq!(screen(&mut app, 120, 34), screen(&mut inline, 120, 34));
}
