//! The UI as one loop of actions: footer hints that always act, tours that
//! speak about their subject whatever the user did between steps, a tour
//! that plays the same in the UI and in `validate`, `w` that follows the
//! focus, a session's diff that stays while the user browses. Each test was
//! written from a bug seen by driving the real binary, failing first.

use std::sync::Arc;

use iamscope::tui::action::{TourAction, Who};
use iamscope::tui::app::Pane;
use iamscope::tui::keymap::hints;
use iamscope::tui::overlay::Overlay;
use iamscope::tui::selection::Tab;
use iamscope::tui::theme::Theme;
use iamscope::tui::views::detail::LineKind;
use iamscope::tui::views::permissions::PermRow;
use iamscope::tui::{handle, update, Action, App, Msg};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::Terminal;

mod tui_common;
use tui_common::press;

/// 2026-01-01T09:40:00Z.
const NOW: i64 = 1_767_260_400;

fn workshop() -> Arc<iamscope::model::Workspace> {
    Arc::new(iamscope::bundled::workshop::load().workspace)
}

fn app() -> App {
    App::new(workshop(), NOW, Theme::new(false)).with_tours(iamscope::tour::workshop_tours())
}

fn buffer(app: &mut App) -> Buffer {
    update(app, Action::Resize(120, 34));
    let mut terminal = Terminal::new(TestBackend::new(120, 34)).expect("test backend");
    terminal
        .draw(|frame| iamscope::tui::ui::render(app, frame))
        .expect("draw");
    terminal.backend().buffer().clone()
}

fn screen(app: &mut App) -> String {
    update(app, Action::Resize(120, 34));
    let mut terminal = Terminal::new(TestBackend::new(120, 34)).expect("test backend");
    terminal
        .draw(|frame| iamscope::tui::ui::render(app, frame))
        .expect("draw");
    terminal.backend().to_string()
}

fn footer(app: &mut App) -> String {
    screen(app).lines().last().unwrap_or_default().to_string()
}

/// Moves in the focused pane with `j` until `done` holds.
fn down_until(app: &mut App, done: impl Fn(&App) -> bool) {
    press(app, "g");
    for _ in 0..3000 {
        if done(app) {
            return;
        }
        press(app, "j");
    }
    panic!("never reached");
}

fn user(app: &mut App, name: &str) {
    press(app, "1");
    down_until(app, |a| a.selected_name() == Some(name));
}

fn tour_index(title: &str) -> usize {
    iamscope::tour::workshop_tours()
        .iter()
        .position(|t| t.title.starts_with(title))
        .expect("a workshop tour")
}

fn done(app: &App) -> usize {
    app.tour.as_ref().map_or(0, |t| t.done)
}

fn step_error(app: &App) -> Option<String> {
    app.tour.as_ref().and_then(|t| t.error.clone())
}

/// Runs the tour up to `steps` steps done, with `n`.
fn tour_to(app: &mut App, steps: usize) {
    while done(app) < steps {
        press(app, "n");
        assert_eq!(step_error(app), None, "step {}", done(app));
    }
}

/// The states a user meets, each reached by keys or actions.
fn scenarios() -> Vec<(&'static str, App)> {
    let mut out = Vec::new();
    let a = app();
    out.push(("main screen", a.clone()));
    let mut a = app();
    // The permissions pane, its first service open.
    press(&mut a, "\n\n");
    down_until(&mut a, |a| {
        matches!(
            a.panes.perm_rows.get(a.panes.perm_selected),
            Some(PermRow::Action { .. })
        )
    });
    out.push(("an action selected", a.clone()));
    press(&mut a, "/");
    out.push(("filtering the permissions", a));
    let mut a = app();
    // `d`: a denied action selected (prod-admin may not leave the organization).
    press(&mut a, "3");
    down_until(&mut a, |a| a.selected_name() == Some("prod-admin"));
    press(&mut a, "\t\td");
    down_until(&mut a, |a| {
        matches!(
            a.panes.perm_rows.get(a.panes.perm_selected),
            Some(PermRow::Service { prefix, .. }) if prefix == "organizations"
        )
    });
    press(&mut a, "\n");
    down_until(&mut a, |a| {
        matches!(
            a.panes.perm_rows.get(a.panes.perm_selected),
            Some(PermRow::Denied(_))
        )
    });
    out.push(("a denied action selected", a));
    let mut a = app();
    user(&mut a, "bob");
    press(&mut a, "W");
    out.push(("the what-if menu", a.clone()));
    press(&mut a, "G\n");
    out.push(("a what-if in force", a));
    let mut a = app();
    user(&mut a, "alice");
    press(&mut a, "v");
    user(&mut a, "bob");
    out.push(("a principal marked to compare", a.clone()));
    press(&mut a, "V");
    out.push(("a comparison", a.clone()));
    press(&mut a, "e");
    out.push(("the export form over a comparison", a));
    let mut a = app();
    user(&mut a, "carol");
    press(&mut a, "e");
    out.push(("the export form over the permissions", a.clone()));
    press(&mut a, "~/perms.csv");
    out.push(("the export form with a name", a));
    let mut a = app();
    user(&mut a, "carol");
    press(&mut a, "\t");
    down_until(&mut a, |a| {
        a.panes
            .detail
            .get(usize::from(a.panes.detail_scroll))
            .is_some_and(|l| l.policy().is_some())
    });
    out.push(("a policy line", a.clone()));
    down_until(&mut a, |a| {
        matches!(
            a.panes
                .detail
                .get(usize::from(a.panes.detail_scroll))
                .map(|l| &l.kind),
            Some(LineKind::CanAssume { .. })
        )
    });
    out.push(("a role line", a));
    let mut a = app();
    user(&mut a, "carol");
    press(&mut a, "s\n");
    out.push(("in a session", a));
    let mut a = app();
    press(&mut a, "/a");
    out.push(("filtering the users", a));
    let mut a = app();
    user(&mut a, "carol");
    press(&mut a, "s");
    out.push(("the picker", a.clone()));
    press(&mut a, "/");
    out.push(("filtering the picker", a));
    let mut a = app();
    press(&mut a, "t");
    out.push(("the tour chooser", a));
    let mut a = app();
    press(&mut a, "\n\n");
    down_until(&mut a, |a| {
        matches!(
            a.panes.perm_rows.get(a.panes.perm_selected),
            Some(PermRow::Action { .. })
        )
    });
    press(&mut a, "w");
    out.push(("why", a.clone()));
    let mut export = a.clone();
    press(&mut export, "e");
    out.push(("the export form over a why", export));
    press(&mut a, "\u{1b}\n");
    out.push(("a policy", a));
    let mut a = app();
    press(&mut a, "?");
    out.push(("help", a));
    let mut a = app();
    update(
        &mut a,
        Action::Notice {
            title: "short".into(),
            text: "one line".into(),
        },
    );
    out.push(("a short notice", a));
    let mut a = app();
    update(
        &mut a,
        Action::Notice {
            title: "long".into(),
            text: (1..=60)
                .map(|n| format!("line {n}"))
                .collect::<Vec<_>>()
                .join("\n"),
        },
    );
    out.push(("a long notice", a));
    let mut a = app();
    press(&mut a, "c");
    out.push(("the context form", a));
    let mut a = app();
    update(
        &mut a,
        Action::Tour(TourAction::Start(tour_index("Critical"))),
    );
    out.push(("a tour's first step", a.clone()));
    tour_to(&mut a, 4);
    out.push(("a tour step with a why", a.clone()));
    press(&mut a, "\u{1b}");
    out.push(("a tour step", a.clone()));
    tour_to(&mut a, 13);
    out.push(("a tour's last step", a));
    let mut a = app();
    update(
        &mut a,
        Action::OpenEscalationPath("arn:aws:iam::111111111111:user/erin".into()),
    );
    out.push(("an escalation path", a.clone()));
    press(&mut a, "w");
    out.push(("the why of an escalation step", a));
    let mut a = app();
    update(
        &mut a,
        Action::OpenEscalationPath("arn:aws:iam::111111111111:user/frank".into()),
    );
    out.push(("a path that does not exist", a));
    let mut a = app();
    press(&mut a, "E");
    out.push(("who can become admin", a));
    let mut a = playground_app();
    press(&mut a, "E");
    out.push(("who can become admin, many", a));
    let mut a = playground_app();
    update(
        &mut a,
        Action::OpenEscalationPath("arn:aws:iam::111122223333:user/chain-user".into()),
    );
    out.push(("an escalation path of two steps", a.clone()));
    press(&mut a, "j");
    out.push(("its second step", a));
    let mut a = app();
    user(&mut a, "carol");
    press(&mut a, "s\nP");
    out.push(("presenter mode, in a session", a));
    let mut a = app();
    press(&mut a, ":");
    out.push(("the palette", a.clone()));
    press(&mut a, "ec2term");
    out.push(("the palette, a few letters typed", a.clone()));
    press(&mut a, "zzzz");
    out.push(("the palette, nothing matching", a));
    let mut a = app();
    press(&mut a, "?/mfa");
    out.push(("searching the help", a.clone()));
    press(&mut a, "\n");
    out.push(("the help searched", a));
    let mut a = app();
    press(&mut a, "S");
    out.push(("the save form", a.clone()));
    press(&mut a, "demo.json");
    out.push(("the save form, a name typed", a));
    // As the terminal runs it: a move whose answers the worker still computes.
    let mut a = app().with_compute(iamscope::tui::pending::Compute::Worker);
    press(&mut a, "j");
    assert!(a.permissions_pending());
    out.push(("waiting for the worker's answers", a));
    let mut a = messy_app();
    out.push(("a workspace with problems", a.clone()));
    press(&mut a, "!");
    out.push(("the problems list", a));
    out
}

/// The UI on tests/fixtures/escalation/playground: paths of several steps.
fn playground_app() -> App {
    let loaded = iamscope::workspace::load_path(std::path::Path::new(
        "tests/fixtures/escalation/playground",
    ))
    .expect("the playground loads");
    App::new(Arc::new(loaded.workspace), NOW, Theme::new(false))
}

/// The UI on tests/fixtures/messy, with the problems found loading it.
fn messy_app() -> App {
    let loaded = iamscope::workspace::load_path(std::path::Path::new("tests/fixtures/messy"))
        .expect("the messy fixture loads");
    let problems = Arc::new(iamscope::workspace::caveats::ProblemReport::new(
        &loaded,
        Vec::new(),
    ));
    App::new(Arc::new(loaded.workspace), NOW, Theme::new(false)).with_problems(problems)
}

/// Every hint in the footer names a key that does something in that state:
/// pressing it changes the screen or asks the loop for an effect.
#[test]
fn every_hint_shown_acts() {
    for (name, mut app) in scenarios() {
        let before = buffer(&mut app);
        let shown = hints(&app);
        assert!(!shown.is_empty(), "{name}: no hint");
        for binding in shown {
            let mut pressed = app.clone();
            let [key, ..] = binding.keys else {
                panic!("{name}: {} has no key", binding.label)
            };
            let effects = handle(&mut pressed, Msg::Key(KeyEvent::new(key.0, key.1)));
            let after = buffer(&mut pressed);
            assert!(
                !effects.is_empty() || after != before,
                "{name}: the hint \"{} {}\" does nothing",
                binding.label,
                binding.help
            );
        }
    }
}

/// The chooser of tours offered the picker's keys (`/ filter the roles`,
/// `Enter start the session`, `d session duration`), none of which works there.
#[test]
fn the_tour_chooser_offers_its_own_keys() {
    let mut app = app();
    press(&mut app, "t");
    assert!(matches!(app.overlay, Some(Overlay::Tours(_))));
    let text = screen(&mut app);
    let footer = text.lines().last().unwrap_or_default();
    assert!(footer.contains("Enter start the tour"), "{footer}");
    for wrong in ["filter the roles", "start the session", "session duration"] {
        assert!(!text.contains(wrong), "{wrong:?} offered:\n{text}");
    }
    press(&mut app, "j\n");
    assert!(app.tour.is_some(), "Enter starts the selected tour");
}

/// A step speaks about the principal the tour selected last, even when the
/// user moved the selection before pressing `n`.
#[test]
fn a_tour_step_re_establishes_its_subject() {
    let mut app = app();
    update(
        &mut app,
        Action::Tour(TourAction::Start(tour_index("Critical"))),
    );
    // Step 3: carol selected, the context set.
    tour_to(&mut app, 3);
    user(&mut app, "dave");
    press(&mut app, "n");
    let Some(Overlay::Why(why)) = &app.overlay else {
        panic!("step 4 explains a decision")
    };
    assert!(
        why.decision.principal.ends_with("user/carol"),
        "{}",
        why.decision.principal
    );
    // Step 9 selects carol; the user moves to bob; step 10 switches carol.
    tour_to(&mut app, 9);
    user(&mut app, "bob");
    press(&mut app, "n");
    assert_eq!(step_error(&app), None);
    assert_eq!(app.session.stack.chain_label(), "carol → EC2Terminator");
}

/// The user ended the tour's session with `x` between steps: the next step
/// still runs as the tour meant it (the tour replays up to where it was).
#[test]
fn a_tour_step_re_establishes_the_acting_identity() {
    let mut app = app();
    update(
        &mut app,
        Action::Tour(TourAction::Start(tour_index("Critical"))),
    );
    tour_to(&mut app, 10);
    press(&mut app, "x");
    assert_eq!(app.session.stack.chain_label(), "carol");
    press(&mut app, "n");
    assert_eq!(step_error(&app), None);
    let Some(Overlay::Why(why)) = &app.overlay else {
        panic!("step 11 explains a decision")
    };
    assert!(
        why.decision.decision.is_allowed(),
        "{:?}",
        why.decision.decision
    );
}

/// `t` during a session dropped the session and the event log in silence.
#[test]
fn starting_a_tour_ends_the_session_in_the_log_and_keeps_the_log() {
    let mut app = app();
    user(&mut app, "carol");
    press(&mut app, "s\n");
    assert!(app.in_session());
    press(&mut app, "t");
    let auditor = tour_index("Temporary");
    down_until(
        &mut app,
        |a| matches!(&a.overlay, Some(Overlay::Tours(list)) if list.selected() == Some(auditor)),
    );
    press(&mut app, "\n");
    assert!(app.tour.is_some());
    let log: Vec<&str> = app.timeline.log.iter().map(|e| e.text.as_str()).collect();
    assert!(
        log.iter()
            .any(|l| l.starts_with("carol assumed EC2Terminator")),
        "{log:?}"
    );
    assert!(
        log.iter()
            .any(|l| l.contains("ended the session; acting as carol")),
        "{log:?}"
    );
    assert!(
        log.iter().any(|l| l.starts_with("tour \"Temporary")),
        "{log:?}"
    );
    // Going back replays from the start without repeating the log.
    press(&mut app, "nn");
    let before = app.timeline.log.len();
    update(&mut app, Action::Tour(TourAction::Back));
    assert!(app.timeline.log.len() <= before);
}

/// The event log was hidden during tours: a session expiring in a tour step
/// was never seen.
#[test]
fn the_event_log_shows_under_the_tour() {
    let mut app = app();
    update(
        &mut app,
        Action::Tour(TourAction::Start(tour_index("Temporary"))),
    );
    tour_to(&mut app, 13);
    let text = screen(&mut app);
    assert!(text.contains("Events"), "{text}");
    assert!(text.contains("Auditor expired; acting as dave"), "{text}");
    assert!(text.contains("step 13/14"), "{text}");
}

/// Moving through the users during a session replaced the session's `+N -M`
/// with a plain list, which never came back.
#[test]
fn the_session_diff_stays_while_the_selection_moves() {
    let mut app = app();
    user(&mut app, "carol");
    press(&mut app, "s\n");
    press(&mut app, "1jjkk");
    handle(&mut app, Msg::Tick(10_000));
    let text = screen(&mut app);
    assert!(text.contains("Permissions +1 -356"), "{text}");
    assert!(text.contains("+ Write  ?TerminateInstances"), "{text}");
    user(&mut app, "carol");
    let text = screen(&mut app);
    assert!(text.contains("Permissions +1 -356"), "{text}");
    // Once the session ends, the diff is the end's, for the animation.
    press(&mut app, "x");
    assert!(screen(&mut app).contains("Permissions +356 -1"));
    handle(&mut app, Msg::Tick(10_000));
    let text = screen(&mut app);
    assert!(!text.contains("Permissions +"), "{text}");
}

/// `w` explained the permissions pane's row whatever had the focus; on the
/// detail pane's "✗ Role" line it now explains sts:AssumeRole on that role.
#[test]
fn w_explains_what_the_focus_is_on() {
    let mut app = app();
    user(&mut app, "bob");
    press(&mut app, "\t");
    assert_eq!(app.browser.focus, Pane::Detail);
    down_until(&mut app, |a| {
        matches!(a.panes.detail.get(usize::from(a.panes.detail_scroll)).map(|l| &l.kind),
            Some(LineKind::CanAssume { role_arn }) if role_arn.ends_with("role/EC2Terminator"))
    });
    press(&mut app, "w");
    let Some(Overlay::Why(why)) = &app.overlay else {
        panic!("w opens why")
    };
    assert_eq!(why.decision.action, "sts:AssumeRole");
    assert!(why.decision.resource.ends_with("role/EC2Terminator"));
    assert!(why.decision.principal.ends_with("user/bob"));
    assert!(!why.decision.decision.is_allowed());
    // In the permissions pane, the selected action.
    press(&mut app, "\u{1b}\t\n");
    assert_eq!(app.browser.focus, Pane::Permissions);
    down_until(&mut app, |a| {
        matches!(
            a.panes.perm_rows.get(a.panes.perm_selected),
            Some(PermRow::Action { .. })
        )
    });
    let Some(PermRow::Action { action, .. }) =
        app.panes.perm_rows.get(app.panes.perm_selected).cloned()
    else {
        panic!("an action row")
    };
    press(&mut app, "w");
    let Some(Overlay::Why(why)) = &app.overlay else {
        panic!("w opens why")
    };
    assert_eq!(why.decision.action, action.action);
    // On the list, w says where to go instead of explaining something else.
    press(&mut app, "\u{1b}1w");
    assert!(app.overlay.is_none());
    assert!(footer(&mut app).contains("permissions pane"));
}

/// What `validate` plays is what the room sees: each workshop tour played
/// by keys (with the user wandering between steps) gives, step by step, the
/// answers of the headless play `validate` runs.
#[test]
fn a_tour_gives_the_same_answers_in_the_ui_and_in_validate() {
    for (index, tour) in iamscope::tour::workshop_tours().iter().enumerate() {
        let headless =
            iamscope::tui::headless::play(workshop(), tour, NOW).unwrap_or_else(|e| panic!("{e}"));
        let mut app = app();
        update(&mut app, Action::Tour(TourAction::Start(index)));
        let mut answers = Vec::new();
        loop {
            let state = app.tour.as_ref().expect("in the tour");
            assert_eq!(state.error, None, "{}: step {}", tour.title, state.done);
            answers.push(
                state
                    .answers
                    .last()
                    .cloned()
                    .flatten()
                    .map(|a| a.detail)
                    .unwrap_or_default(),
            );
            if state.is_last() {
                break;
            }
            // The user wanders: another tab, another row, perhaps `x`.
            press(&mut app, "3Gx");
            press(&mut app, "n");
        }
        let expected: Vec<String> = headless.into_iter().map(|o| o.result).collect();
        assert_eq!(answers, expected, "{}", tour.title);
    }
}

/// STS refuses a duration above the role's maximum: the UI used to clamp it
/// and play on while `validate` refused it. Both now refuse, at the step.
#[test]
fn a_tour_validate_refuses_is_not_played_either() {
    let tour = iamscope::tour::parse(
        "long.json",
        r#"{"title": "Too long", "steps": [
            {"do": "select-user", "name": "carol", "text": "a"},
            {"do": "switch-role", "role": "EC2Terminator", "duration": 7200, "text": "b"}
        ]}"#,
    )
    .expect("parses");
    let error = iamscope::tui::headless::play(workshop(), &tour, NOW).expect_err("refused");
    assert_eq!(error.step, 2);
    assert!(error.message.contains("7200"), "{}", error.message);
    let mut app = App::new(workshop(), NOW, Theme::new(false)).with_tours(vec![tour]);
    press(&mut app, "t");
    assert!(app.tour.is_none());
    let text = screen(&mut app);
    assert!(text.contains("cannot be played"), "{text}");
    assert!(text.contains("Step 2"), "{text}");
}

/// The other ways the two players disagreed: a bad advance-clock step (the
/// UI skipped 0 seconds, `validate` refused it) and a name two accounts
/// share (the UI took the first, `validate` refused it). Both refuse now,
/// at the same step, with the same words.
#[test]
fn tours_the_plan_refuses_are_refused_by_both_players() {
    let mut twin = iamscope::bundled::workshop::load().workspace;
    let mut carol = twin.accounts[0].users[2].clone();
    assert_eq!(carol.name, "carol");
    carol.arn = format!("arn:aws:iam::{}:user/carol", twin.accounts[1].id);
    twin.accounts[1].users.push(carol);
    let twin = Arc::new(twin);
    for (workspace, steps, step, words) in [
        (
            workshop(),
            r#"{"do": "say", "text": "a"}, {"do": "advance-clock", "text": "b"}"#,
            2,
            "advance-clock takes",
        ),
        (
            workshop(),
            r#"{"do": "advance-clock", "seconds": -60, "text": "a"}"#,
            1,
            "advance-clock takes",
        ),
        (
            twin,
            r#"{"do": "select-user", "name": "carol", "text": "a"}"#,
            1,
            "2 users are named \"carol\"",
        ),
    ] {
        let tour = iamscope::tour::parse(
            "bad.json",
            &format!(r#"{{"title": "Bad", "steps": [{steps}]}}"#),
        )
        .expect("parses");
        let error =
            iamscope::tui::headless::play(workspace.clone(), &tour, NOW).expect_err("refused");
        assert_eq!(error.step, step, "{steps}");
        assert!(error.message.contains(words), "{}", error.message);
        let mut app = App::new(workspace, NOW, Theme::new(false)).with_tours(vec![tour]);
        press(&mut app, "t");
        assert!(app.tour.is_none(), "{steps}");
        let Some(Overlay::Message { text, .. }) = &app.overlay else {
            panic!("no notice for {steps}")
        };
        assert!(text.contains(&error.message), "{text}");
    }
}

/// A tour's explain step with a wrong expectation fails in the UI as in
/// `validate`, with the same words.
#[test]
fn a_failed_expectation_reads_the_same_in_the_ui_and_in_validate() {
    let tour = iamscope::tour::parse(
        "wrong.json",
        r#"{"title": "Wrong", "steps": [
            {"do": "select-user", "name": "bob", "text": "a"},
            {"do": "switch-role", "role": "EC2Terminator", "expect": "allowed", "text": "b"}
        ]}"#,
    )
    .expect("parses");
    let error = iamscope::tui::headless::play(workshop(), &tour, NOW).expect_err("fails");
    assert_eq!(error.step, 2);
    let mut app = App::new(workshop(), NOW, Theme::new(false)).with_tours(vec![tour]);
    press(&mut app, "tn");
    assert_eq!(step_error(&app), Some(error.message.clone()));
    assert!(error
        .message
        .contains("expected switching to EC2Terminator to be Allowed"));
}

/// Selecting by name reaches the row a user would; an unknown name says so.
#[test]
fn select_by_name_and_explain_as_the_selection() {
    let mut app = app();
    update(
        &mut app,
        Action::Select {
            tab: Tab::Users,
            name: "dave".into(),
        },
    );
    assert_eq!(app.selected_name(), Some("dave"));
    assert_eq!(app.session.stack.chain_label(), "dave");
    update(
        &mut app,
        Action::Select {
            tab: Tab::Roles,
            name: "Nobody".into(),
        },
    );
    assert_eq!(app.last_error.as_deref(), Some("no role named \"Nobody\""));
    update(
        &mut app,
        Action::Explain {
            action: "sts:AssumeRole".into(),
            resource: "arn:aws:iam::111111111111:role/Auditor".into(),
            who: Who::Acting,
        },
    );
    assert!(matches!(app.overlay, Some(Overlay::Why(_))));
}

/// The tour panel and the event log under it fit the smallest full layout,
/// and below it the too-small message shows: no size panics.
#[test]
fn a_tour_draws_at_every_size() {
    let mut app = app();
    update(
        &mut app,
        Action::Tour(TourAction::Start(tour_index("Critical"))),
    );
    tour_to(&mut app, 4);
    for (width, height) in [(60, 16), (80, 24), (59, 15), (20, 5), (1, 1)] {
        update(&mut app, Action::Resize(width, height));
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
        terminal
            .draw(|frame| iamscope::tui::ui::render(&app, frame))
            .expect("draw");
        let text = terminal.backend().to_string();
        if (width, height) == (60, 16) {
            assert!(text.contains("step 4/13"), "{text}");
            assert!(text.contains("Events"), "{text}");
        }
    }
}

/// The session name: `validate` used to ask STS for a session named
/// `iamscope` while the UI named it after the caller, so a trust policy on
/// sts:RoleSessionName passed in one and failed in the other. Both name it
/// after the caller now.
#[test]
fn the_session_name_is_the_same_in_the_ui_and_in_validate() {
    let account = serde_json::json!({
        "UserDetailList": [{
            "UserName": "erin", "UserId": "AIDAERIN", "Path": "/",
            "Arn": "arn:aws:iam::444444444444:user/erin",
            "UserPolicyList": [{"PolicyName": "MayAssume", "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]
            }}],
            "GroupList": [], "AttachedManagedPolicies": [], "Tags": []
        }],
        "GroupDetailList": [],
        "RoleDetailList": [{
            "RoleName": "Named", "RoleId": "AROANAMED", "Path": "/",
            "Arn": "arn:aws:iam::444444444444:role/Named",
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::444444444444:root"},
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"sts:RoleSessionName": "erin"}}
                }]
            },
            "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": [],
            "InstanceProfileList": []
        }],
        "Policies": []
    });
    let loaded = iamscope::workspace::load_sources(
        "named",
        vec![iamscope::workspace::Source {
            name: "named-444444444444.json".into(),
            bytes: serde_json::to_vec(&account).expect("json"),
        }],
    );
    assert!(!loaded.has_errors());
    let workspace = Arc::new(loaded.workspace);
    let tour = iamscope::tour::parse(
        "named.json",
        r#"{"title": "Named", "steps": [
            {"do": "select-user", "name": "erin", "text": "a"},
            {"do": "switch-role", "role": "Named", "expect": "allowed", "text": "b"}
        ]}"#,
    )
    .expect("parses");
    let played = iamscope::tui::headless::play(workspace.clone(), &tour, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(played[1].result.starts_with("assumed Named"), "{played:?}");
    let mut app = App::new(workspace, NOW, Theme::new(false)).with_tours(vec![tour]);
    press(&mut app, "tn");
    assert_eq!(step_error(&app), None);
    assert_eq!(app.session.stack.chain_label(), "erin → Named");
    assert!(app
        .session
        .stack
        .acting()
        .arn
        .ends_with("assumed-role/Named/erin"));
}

/// Session tags from the context form (`aws:RequestTag/*`): the picker says
/// which it will pass, and marks a role whose trust policy does not allow
/// sts:TagSession as not assumable with them (IAM User Guide, id_session-tags).
#[test]
fn the_picker_passes_the_contexts_session_tags() {
    let mut app = app();
    user(&mut app, "carol");
    let mut context = iamscope::policy::RequestContext::new();
    context.push("aws:RequestTag/project", "apollo");
    update(&mut app, Action::SetContext(context));
    press(&mut app, "s");
    let text = screen(&mut app);
    assert!(text.contains("session tags project=apollo"), "{text}");
    let Some(Overlay::Picker(picker)) = &app.overlay else {
        panic!("no picker");
    };
    let terminator = picker
        .roles
        .iter()
        .find(|r| r.name == "EC2Terminator")
        .expect("listed");
    assert!(
        !terminator.assumable,
        "its trust policy does not allow sts:TagSession"
    );
    assert!(
        terminator.reason.contains("TagSession"),
        "{} {text}",
        terminator.reason
    );
}

/// The screen at `width`×`height`, one string per row (no quotes).
fn rows(app: &mut App, width: u16, height: u16) -> Vec<String> {
    update(app, Action::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| iamscope::tui::ui::render(app, frame))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect()
        })
        .collect()
}

/// Every screen of every workshop tour at 80×24, the size a projector
/// forces: the narration is shown whole (the panel grows), the tour's keys
/// end in `…` when cut, and while a session lasts the header keeps the
/// countdown.
#[test]
fn every_tour_step_at_80x24_shows_its_whole_narration() {
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for (index, tour) in iamscope::tour::workshop_tours().iter().enumerate() {
        let mut app = app();
        update(&mut app, Action::Tour(TourAction::Start(index)));
        loop {
            let screen = rows(&mut app, 80, 24);
            let state = app.tour.as_ref().expect("in the tour");
            let narration = squash(state.current_text());
            let top = screen
                .iter()
                .position(|r| r.contains("┌ Tour:"))
                .unwrap_or_else(|| panic!("no tour panel:\n{}", screen.join("\n")));
            let bottom = top
                + 1
                + screen[top + 1..]
                    .iter()
                    .position(|r| r.starts_with('└'))
                    .expect("the panel's bottom border");
            let shown = squash(
                &screen[top + 1..bottom]
                    .iter()
                    .map(|r| r.trim_matches('│').to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            assert!(
                shown.starts_with(&narration),
                "{} step {}: narration cut\nwanted: {narration}\nshown:  {shown}",
                tour.title,
                state.done
            );
            let keys = screen[bottom].trim_start_matches('└').trim_end_matches('┘');
            let keys = keys.trim_matches('─');
            assert!(
                keys.ends_with(' ') || keys.ends_with('…') || keys.is_empty(),
                "{} step {}: the tour's keys cut silently: {}",
                tour.title,
                state.done,
                screen[bottom]
            );
            if app.in_session() {
                assert!(
                    screen[0].contains(" left"),
                    "{} step {}: no countdown: {}",
                    tour.title,
                    state.done,
                    screen[0]
                );
            }
            if app.tour.as_ref().is_some_and(|t| t.is_last()) {
                break;
            }
            let before = done(&app);
            press(&mut app, "n");
            assert!(done(&app) > before, "{}: n did not advance", tour.title);
        }
    }
}

/// `a` asks about any action, on any resource, as the acting identity: the
/// denied beats a room needs ("dave cannot terminate") are one line away,
/// with completion from the catalog; a pattern asks about many at once.
#[test]
fn the_ask_line_explains_a_denial_and_expands_a_pattern() {
    let mut app = app();
    user(&mut app, "dave");
    press(&mut app, "a");
    press(&mut app, "TerminateInst");
    let Some(Overlay::Ask(line)) = &app.overlay else {
        panic!("no ask line");
    };
    assert_eq!(
        line.candidates.first().map(String::as_str),
        Some("ec2:TerminateInstances")
    );
    let text = screen(&mut app);
    assert!(text.contains("Ask as dave"), "{text}");
    assert!(text.contains("Tab ec2:TerminateInstances"), "{text}");
    press(&mut app, "\t\n");
    let Some(Overlay::Why(view)) = &app.overlay else {
        panic!("no why view: {:?}", app.overlay);
    };
    assert_eq!(view.decision.action, "ec2:TerminateInstances");
    assert_eq!(view.decision.resource, "*");
    assert!(!view.decision.decision.is_allowed());
    update(&mut app, Action::Back);

    // A resource completes from the workspace's ARNs; a typo is refused with
    // the closest names, the line stays open.
    press(&mut app, "a");
    press(&mut app, "s3:GetObjekt\n");
    let Some(Overlay::Ask(line)) = &app.overlay else {
        panic!(
            "the line stays open: {:?}",
            app.overlay
                .as_ref()
                .map(|o| format!("{o:?}").chars().take(300).collect::<String>())
        );
    };
    assert!(
        line.error
            .as_deref()
            .unwrap_or_default()
            .contains("s3:GetObject"),
        "{:?}",
        line.error
    );
    update(&mut app, Action::Back);

    press(&mut app, "a");
    press(&mut app, "s3:Get*\n");
    let Some(Overlay::Message { text, .. }) = &app.overlay else {
        panic!("no answer list: {:?}", app.overlay);
    };
    assert!(text.starts_with("s3:Get* on *, as dave:"), "{text}");
    assert!(text.contains("✗ s3:GetObject"), "{text}");
}

/// `?` ends with a legend of every mark the screens use.
#[test]
fn help_has_a_legend_of_the_marks() {
    let mut app = app();
    press(&mut app, "?");
    let mut all = String::new();
    for _ in 0..60 {
        all.push_str(&screen(&mut app));
        update(&mut app, Action::Move(iamscope::tui::action::Move::By(3)));
    }
    assert!(all.contains("What the marks mean"), "{all}");
    for (glyph, _) in iamscope::tui::keymap::LEGEND {
        assert!(all.contains(glyph), "{glyph} missing from the legend");
    }
}

/// The escalation tour: erin's path, the why of its step (Esc comes back
/// to the path, the tour stays), then frank's empty path and his denied
/// PassRole; validate's player reads the same answers.
#[test]
fn the_escalation_tour_shows_the_path_then_the_fix() {
    let index = tour_index("Privilege escalation");
    let tour = &iamscope::tour::workshop_tours()[index];
    let results: Vec<String> = iamscope::tui::headless::play(workshop(), tour, NOW)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|o| o.result)
        .filter(|r| !r.is_empty())
        .collect();
    assert_eq!(
        results,
        [
            "escalation of erin: yes (2 steps)",
            "iam:PassRole: Allow",
            "escalation of frank: no (0 steps)",
            "iam:PassRole: ImplicitDeny",
        ]
    );
    let mut app = app();
    update(&mut app, Action::Tour(TourAction::Start(index)));
    tour_to(&mut app, 5);
    let Some(Overlay::EscalationPath(path)) = &app.overlay else {
        panic!("step 5 shows no path");
    };
    assert_eq!(path.found.name, "erin");
    tour_to(&mut app, 6);
    let Some(Overlay::Why(why)) = &app.overlay else {
        panic!("step 6 shows no why");
    };
    assert_eq!(why.decision.action, "iam:PassRole");
    assert!(why.decision.decision.is_allowed());
    press(&mut app, "\u{1b}");
    assert!(
        matches!(app.overlay, Some(Overlay::EscalationPath(_))),
        "Esc over the step's why comes back to the path"
    );
    assert_eq!(done(&app), 6, "and the tour stays at its step");
    tour_to(&mut app, 9);
    let Some(Overlay::EscalationPath(path)) = &app.overlay else {
        panic!("step 9 shows no path");
    };
    assert_eq!(path.found.name, "frank");
    assert!(path.steps().is_empty());
    assert!(screen(&mut app).contains("cannot become admin"));
}

/// At 80×24 an overlay's keys and a picker row's reason are cut with a
/// mark, never mid-word in silence (issue 16: nothing is cut silently).
/// dave's picker: Auditor's reason ("trust needs aws:MultiFactorAuthPresent
/// …") is longer than the row, and so are the picker's keys.
#[test]
fn the_picker_at_80x24_cuts_reasons_and_keys_with_a_mark() {
    let mut a = app();
    user(&mut a, "dave");
    press(&mut a, "s");
    let screen = rows(&mut a, 80, 24);
    let auditor = screen
        .iter()
        .find(|r| r.contains("Auditor "))
        .unwrap_or_else(|| panic!("{}", screen.join("\n")));
    let inside = auditor.trim_end_matches(['│', ' ']);
    assert!(
        inside.ends_with('…'),
        "the reason is cut with a mark:\n{auditor}"
    );
    let bottom = screen
        .iter()
        .find(|r| r.contains("Enter start the session"))
        .unwrap_or_else(|| panic!("{}", screen.join("\n")));
    // The overlay's bottom border, from its corner `└` to its corner `┘`.
    let keys = bottom
        .split('└')
        .nth(1)
        .and_then(|rest| rest.split('┘').next())
        .unwrap_or_default()
        .trim_end_matches(['─', ' ']);
    assert!(
        keys.ends_with("· …") || keys.ends_with("session duration"),
        "the keys end whole or with a mark:\n{bottom}"
    );
}

/// The ask line, its answer and a session's header at both projector-ish
/// sizes, without colour (issue 16: snapshots of each piece at 80×24 and
/// 120×40, NO_COLOR): dave asks ec2:TerminateInstances and is denied;
/// carol's EC2Terminator session keeps its countdown in the header.
#[test]
fn the_ask_line_its_answer_and_the_countdown_at_80x24_and_120x40() {
    for (width, height) in [(80u16, 24u16), (120, 40)] {
        let mut a = app();
        user(&mut a, "dave");
        press(&mut a, "a");
        press(&mut a, "TerminateInst");
        insta::assert_snapshot!(
            format!("ask_line_{width}x{height}"),
            rows(&mut a, width, height).join("\n")
        );
        press(&mut a, "\t\n");
        insta::assert_snapshot!(
            format!("ask_answer_{width}x{height}"),
            rows(&mut a, width, height).join("\n")
        );
        press(&mut a, "\u{1b}");
        user(&mut a, "carol");
        press(&mut a, "s\n");
        let screen = rows(&mut a, width, height);
        assert!(screen[0].contains("1:00:00 left"), "{}", screen[0]);
        insta::assert_snapshot!(
            format!("session_header_{width}x{height}"),
            screen.join("\n")
        );
        // Without colour, meaning rests on text and modifiers only.
        update(&mut a, Action::Resize(width, height));
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("backend");
        terminal
            .draw(|frame| iamscope::tui::ui::render(&a, frame))
            .expect("draw");
        let coloured = terminal.backend().buffer().content().iter().any(|cell| {
            cell.fg != ratatui::style::Color::Reset || cell.bg != ratatui::style::Color::Reset
        });
        assert!(!coloured, "a cell is coloured at {width}x{height}");
    }
}
