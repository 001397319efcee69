//! Escalation in the UI (issue 14, point 4): the detail pane of a user or
//! role says whether it can become admin, and Enter on that line opens the
//! path, step by step, with the statements that allow each step.

use std::sync::Arc;

use iamscope::tui::app::Pane;
use iamscope::tui::overlay::Overlay;
use iamscope::tui::theme::Theme;
use iamscope::tui::views::detail::LineKind;
use iamscope::tui::{handle, App, Msg};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const NOW: i64 = 1_767_260_400;

fn app() -> App {
    let loaded = iamscope::workspace::load_path(std::path::Path::new(
        "tests/fixtures/escalation/playground",
    ))
    .expect("the playground opens");
    App::new(Arc::new(loaded.workspace), NOW, Theme::new(false))
}

fn key(app: &mut App, code: KeyCode) {
    handle(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn select(app: &mut App, name: &str) {
    key(app, KeyCode::Char('1'));
    key(app, KeyCode::Char('g'));
    for _ in 0..200 {
        if app.selected_name() == Some(name) {
            return;
        }
        key(app, KeyCode::Char('j'));
    }
    panic!("{name} not in the list");
}

fn escalation_line(app: &App) -> Option<(usize, String)> {
    app.panes
        .detail
        .iter()
        .position(|l| l.label == "Escalation")
        .map(|i| (i, app.panes.detail[i].text.clone()))
}

#[test]
fn the_detail_pane_says_who_can_become_admin_and_enter_opens_the_path() {
    let mut app = app();
    select(&mut app, "cfn-user");
    let (row, text) = escalation_line(&app).expect("an Escalation line");
    assert_eq!(text, "can become admin in 1 step (Enter: the path)");
    // Move the focus to that line, then Enter.
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.browser.focus, Pane::Detail);
    for _ in 0..row {
        key(&mut app, KeyCode::Char('j'));
    }
    assert!(matches!(
        app.panes.detail[usize::from(app.panes.detail_scroll)].kind,
        LineKind::Escalation(_)
    ));
    key(&mut app, KeyCode::Enter);
    let Some(Overlay::Message { title, text, .. }) = &app.overlay else {
        panic!("no path view");
    };
    assert_eq!(title, "Escalation path");
    assert!(
        text.contains("calls iam:PassRole, then cloudformation:CreateStack"),
        "{text}"
    );
    assert!(text.contains("allowed by"), "{text}");

    // One that cannot: said so, and nothing to open.
    let mut app = self::app();
    select(&mut app, "nothing-user");
    let (_, text) = escalation_line(&app).expect("an Escalation line");
    assert_eq!(text, "cannot become admin");
}

/// `E` lists every user and role that can become admin, riskiest first.
#[test]
fn e_lists_who_can_become_admin() {
    let mut app = app();
    key(&mut app, KeyCode::Char('E'));
    let Some(Overlay::Message { title, text, .. }) = &app.overlay else {
        panic!("no list");
    };
    assert_eq!(title, "Who can become admin");
    assert!(
        text.contains("user  cfn-user  1 step: iam:PassRole+cloudformation:CreateStack"),
        "{text}"
    );
    assert!(!text.contains("nothing-user"), "{text}");
    let admin = text.find("admin-equivalent\n").expect("admins listed");
    let cfn = text.find("cfn-user").expect("cfn-user listed");
    assert!(admin < cfn, "admins come first");
}
