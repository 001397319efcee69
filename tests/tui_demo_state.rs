//! Saving the demo state (`S`) and re-opening it (`--restore FILE`): what
//! is saved is what the restored UI shows, re-established through actions;
//! a file from another workspace is a notice over a UI that works.

use std::sync::Arc;

use iamscope::tui::action::TourAction;
use iamscope::tui::demo_state::{capture, from_json, DemoState};
use iamscope::tui::overlay::Overlay;
use iamscope::tui::run::{start, Options};
use iamscope::tui::selection::Tab;
use iamscope::tui::theme::Theme;
use iamscope::tui::{update, Action, App, Effect};
use iamscope::workspace::caveats::ProblemReport;

mod tui_common;
use tui_common::{press, screen};

/// 2026-01-01T09:40:00Z.
const NOW: i64 = 1_767_260_400;

fn app() -> App {
    let workspace = Arc::new(iamscope::bundled::workshop::load().workspace);
    App::new(workspace, NOW, Theme::new(false)).with_tours(iamscope::tour::workshop_tours())
}

/// `S`, a file name, Enter: the state the loop is asked to write.
fn save(app: &mut App, path: &str) -> DemoState {
    press(app, "S");
    let effects = press(app, &format!("{path}\n"));
    let [Effect::SaveDemo { path: asked, text }] = effects.as_slice() else {
        panic!("no save asked: {effects:?}")
    };
    assert_eq!(asked, path);
    from_json(text).expect("a demo state")
}

/// A UI opened with `--restore` on `state`, the later start of a workshop.
fn restored(state: DemoState) -> App {
    let loaded = iamscope::bundled::workshop::load();
    let problems = Arc::new(ProblemReport::new(&loaded, Vec::new()));
    let options = Options {
        tours: iamscope::tour::workshop_tours(),
        restore: Some(("demo.json".to_string(), Ok(state))),
        ..Options::default()
    };
    // A day later.
    start(Arc::new(loaded.workspace), problems, NOW + 86_400, &options)
}

#[test]
fn a_session_with_its_context_and_clock_comes_back_as_saved() {
    let mut a = app();
    update(
        &mut a,
        Action::Select {
            tab: Tab::Users,
            name: "carol".into(),
        },
    );
    let mut context = iamscope::policy::RequestContext::new();
    context.push("aws:MultiFactorAuthPresent", "true");
    update(&mut a, Action::SetContext(context));
    press(&mut a, "s\n>>++p");
    let state = save(&mut a, "/tmp/demo.json");
    assert_eq!(state.sessions.len(), 1);
    assert_eq!((state.clock.speed, state.clock.paused), (60, true));
    let mut b = restored(state.clone());
    assert_eq!(capture(&b), state);
    let header = |app: &mut App| {
        screen(app, 120, 40)
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(header(&mut b), header(&mut a));
    assert!(header(&mut b).contains("50:00 left"), "{}", header(&mut b));
    let log = screen(&mut b, 120, 40);
    assert!(log.contains("demo state restored from demo.json"), "{log}");
    insta::assert_snapshot!("restored_session_80x24", screen(&mut b, 80, 24));
}

#[test]
fn a_tour_comes_back_at_its_step() {
    let mut a = app();
    let critical = iamscope::tour::workshop_tours()
        .iter()
        .position(|t| t.title.starts_with("Critical"))
        .expect("the critical tour");
    update(&mut a, Action::Tour(TourAction::Start(critical)));
    press(&mut a, "nnn\u{1b}");
    let state = save(&mut a, "demo.json");
    assert_eq!(state.tour.as_ref().map(|t| t.step), Some(4));
    let b = restored(state.clone());
    assert_eq!(b.tour.as_ref().map(|t| t.done), Some(4));
    assert_eq!(capture(&b), state);
}

#[test]
fn a_file_of_another_workspace_is_a_notice_and_the_ui_works() {
    let mut a = app();
    let mut state = save(&mut a, "demo.json");
    state.workspace = "startup".into();
    state.accounts = vec!["333333333333".into()];
    let mut b = restored(state);
    let text = screen(&mut b, 80, 24);
    assert!(text.contains("The demo state was not restored"), "{text}");
    insta::assert_snapshot!("restore_mismatch_80x24", text);
    press(&mut b, "\u{1b}j");
    assert_eq!(b.selected_name(), Some("bob"));
}

#[test]
fn the_save_form_asks_for_a_name() {
    let mut a = app();
    press(&mut a, "S");
    insta::assert_snapshot!("save_form_80x24", screen(&mut a, 80, 24));
    insta::assert_snapshot!("save_form_120x40", screen(&mut a, 120, 40));
    // Letters are text: q does not quit.
    let effects = press(&mut a, "\n");
    assert!(effects.is_empty());
    assert!(screen(&mut a, 80, 24).contains("type a file name"));
    press(&mut a, "q\u{1b}");
    assert!(a.overlay.is_none() && !a.quit);
    assert!(!matches!(a.overlay, Some(Overlay::SaveDemo(_))));
}
