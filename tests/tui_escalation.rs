//! Escalation in the UI (issue 14, point 4): the detail pane of a user or
//! role says whether it can become admin, and Enter on that line opens the
//! path, its steps as rows with the statements that allow each; `w` on a
//! step opens the why of its request, and Esc comes back to the path.

use std::sync::Arc;

use iamscope::tui::app::Pane;
use iamscope::tui::overlay::Overlay;
use iamscope::tui::theme::Theme;
use iamscope::tui::views::detail::LineKind;
use iamscope::tui::{handle, update, Action, App, Msg};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;

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
    let Some(Overlay::EscalationPath(path)) = &app.overlay else {
        panic!("no path view");
    };
    let step = &path.steps()[0];
    assert_eq!(step.via, ["iam:PassRole", "cloudformation:CreateStack"]);
    assert!(!step.statements.is_empty(), "{step:?}");
    let text = screen(&mut app, 120, 40);
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

/// `E` lists every user and role that can become admin, riskiest first;
/// Enter on one opens its path, and Esc comes back to the list.
#[test]
fn e_lists_who_can_become_admin() {
    let mut app = app();
    key(&mut app, KeyCode::Char('E'));
    let Some(Overlay::Escalations(view)) = &app.overlay else {
        panic!("no list");
    };
    assert!(!view.rows.iter().any(|p| p.name == "nothing-user"));
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Who can become admin"), "{text}");
    assert!(
        text.contains("user  cfn-user  1 step: iam:PassRole+cloudformation:CreateStack"),
        "{text}"
    );
    let admin = text.find("admin-equivalent").expect("admins listed");
    let cfn = text.find("cfn-user").expect("cfn-user listed");
    assert!(admin < cfn, "admins come first");

    // Enter on cfn-user: its path; Esc: the list again, cfn-user still selected.
    for _ in 0..200 {
        let Some(Overlay::Escalations(view)) = &app.overlay else {
            panic!("the list closed");
        };
        if view.list.selected().map(|i| view.rows[i].name.as_str()) == Some("cfn-user") {
            break;
        }
        key(&mut app, KeyCode::Char('j'));
    }
    key(&mut app, KeyCode::Enter);
    let Some(Overlay::EscalationPath(path)) = &app.overlay else {
        panic!("Enter did not open the path");
    };
    assert_eq!(path.found.name, "cfn-user");
    key(&mut app, KeyCode::Esc);
    let Some(Overlay::Escalations(view)) = &app.overlay else {
        panic!("Esc did not come back to the list");
    };
    assert_eq!(
        view.list.selected().map(|i| view.rows[i].name.as_str()),
        Some("cfn-user")
    );
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
}

// The workshop's escalation scene: erin may pass the role OpsAutomation
// (which may rewrite its own policy) to a new Lambda function; frank holds
// the same grants under a permissions boundary that closes the door.

fn workshop() -> App {
    let loaded = iamscope::bundled::workshop::load();
    App::new(Arc::new(loaded.workspace), NOW, Theme::new(false))
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    terminal(app, width, height).backend().to_string()
}

fn terminal(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    update(app, Action::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| iamscope::tui::ui::render(app, frame))
        .expect("draw");
    terminal
}

/// Selects `name`, moves to its Escalation line and presses Enter.
fn open_path(app: &mut App, name: &str) {
    select(app, name);
    let (row, _) = escalation_line(app).expect("an Escalation line");
    key(app, KeyCode::Tab);
    for _ in 0..row {
        key(app, KeyCode::Char('j'));
    }
    key(app, KeyCode::Enter);
    assert!(
        matches!(app.overlay, Some(Overlay::EscalationPath(_))),
        "Enter on {name}'s Escalation line opened no path"
    );
}

#[test]
fn w_on_a_step_explains_its_request_and_esc_comes_back_to_the_path() {
    let mut app = workshop();
    select(&mut app, "erin");
    let (_, text) = escalation_line(&app).expect("an Escalation line");
    assert_eq!(text, "can become admin in 2 steps (Enter: the path)");
    open_path(&mut app, "erin");
    key(&mut app, KeyCode::Char('w'));
    let Some(Overlay::Why(why)) = &app.overlay else {
        panic!("w opened no why view");
    };
    let d = &why.decision;
    assert_eq!(d.action, "iam:PassRole");
    assert_eq!(d.resource, "arn:aws:iam::111111111111:role/OpsAutomation");
    assert_eq!(d.principal, "arn:aws:iam::111111111111:user/erin");
    assert!(d.decision.is_allowed(), "{d:?}");
    // The why names the statement that opens the door.
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("PassTheCleanupRole"), "{text}");
    key(&mut app, KeyCode::Esc);
    let Some(Overlay::EscalationPath(path)) = &app.overlay else {
        panic!("Esc did not come back to the path");
    };
    assert_eq!(path.found.name, "erin");
    // Enter on a step does the same as w.
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Why(_))));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none(), "the second Esc closes the path");
}

/// A path of two steps: j selects the second, and its why is asked by the
/// step's own principal (the role reached), not by the selection.
#[test]
fn each_step_is_explained_as_its_own_principal() {
    let mut app = self::app();
    let report = iamscope::escalation::escalation(
        &app.workspace,
        &iamscope::policy::RequestContext::new(),
        NOW,
        None,
    );
    let (name, steps) = report
        .principals
        .iter()
        .find_map(|p| {
            let steps = &p.paths.first()?.steps;
            (!p.is_role && steps.len() >= 2 && !steps[1].requests.is_empty())
                .then(|| (p.name.clone(), steps.clone()))
        })
        .expect("a user with a path of two steps in the playground");
    open_path(&mut app, &name);
    key(&mut app, KeyCode::Char('j'));
    let Some(Overlay::EscalationPath(path)) = &app.overlay else {
        panic!("j closed the path");
    };
    assert_eq!(path.selected, 1);
    key(&mut app, KeyCode::Char('w'));
    let Some(Overlay::Why(why)) = &app.overlay else {
        panic!("w opened no why view");
    };
    assert_eq!(why.decision.action, steps[1].requests[0].action);
    assert_eq!(why.decision.resource, steps[1].requests[0].resource);
    assert!(
        why.decision
            .principal
            .contains(steps[1].from.rsplit('/').next().expect("a name in the ARN")),
        "{} is not {}",
        why.decision.principal,
        steps[1].from
    );
    assert!(why.decision.decision.is_allowed());
    key(&mut app, KeyCode::Esc);
    let Some(Overlay::EscalationPath(path)) = &app.overlay else {
        panic!("Esc did not come back to the path");
    };
    assert_eq!(path.selected, 1, "the step stays selected");
}

#[test]
fn the_fixed_principal_cannot_and_its_passrole_is_denied_by_the_boundary() {
    let mut app = workshop();
    select(&mut app, "frank");
    let (_, text) = escalation_line(&app).expect("an Escalation line");
    assert_eq!(text, "cannot become admin");
    update(
        &mut app,
        Action::OpenEscalationPath("arn:aws:iam::111111111111:user/frank".into()),
    );
    let Some(Overlay::EscalationPath(path)) = &app.overlay else {
        panic!("no path view");
    };
    assert!(path.steps().is_empty());
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("cannot become admin"), "{text}");
    assert!(text.contains("No path to admin"), "{text}");
    // No step: w offers nothing and says so.
    key(&mut app, KeyCode::Char('w'));
    assert!(matches!(app.overlay, Some(Overlay::EscalationPath(_))));
}

#[test]
fn the_path_overlay_at_80x24_and_120x40() {
    let mut app = workshop();
    open_path(&mut app, "erin");
    insta::assert_snapshot!("path_erin_80x24", screen(&mut app, 80, 24));
    insta::assert_snapshot!("path_erin_120x40", screen(&mut app, 120, 40));
    key(&mut app, KeyCode::Char('w'));
    insta::assert_snapshot!("path_erin_why_80x24", screen(&mut app, 80, 24));
}

/// Without colour (NO_COLOR) no cell is coloured, and the selected step
/// still stands out: `▶` and reversed. With colour, the verdict is coloured.
#[test]
fn the_path_overlay_honours_no_color() {
    for color in [false, true] {
        let loaded = iamscope::bundled::workshop::load();
        let mut app = App::new(Arc::new(loaded.workspace), NOW, Theme::new(color));
        open_path(&mut app, "erin");
        let terminal = terminal(&mut app, 80, 24);
        let buffer = terminal.backend().buffer();
        let coloured = buffer
            .content()
            .iter()
            .any(|cell| cell.fg != Color::Reset || cell.bg != Color::Reset);
        assert_eq!(coloured, color, "color: {color}");
        let area = buffer.area;
        let (x, row) = (0..area.height)
            .find_map(|y| {
                let cells: Vec<&str> = (0..area.width).map(|x| buffer[(x, y)].symbol()).collect();
                let text = cells.concat();
                let at = text.find("▶ 1. user/erin → role/OpsAutomation")?;
                // Every cell here is one column wide: the column is the char count.
                Some((text[..at].chars().count() as u16, y))
            })
            .expect("the selected step's row");
        assert!(buffer[(x, row)].modifier.contains(Modifier::REVERSED));
        if !color {
            insta::assert_snapshot!("path_erin_no_color", terminal.backend().to_string());
        }
    }
}

/// A step longer than the screen is never cut silently: the last row
/// counts what is left, and PgDn scrolls to it; j/k still select steps.
#[test]
fn pgdn_scrolls_a_step_longer_than_the_screen() {
    let mut app = workshop();
    open_path(&mut app, "erin");
    let before = screen(&mut app, 80, 24);
    assert!(before.contains("more lines (PgDn)"), "{before}");
    assert!(!before.contains("TuneItsOwnPermissions"), "{before}");
    key(&mut app, KeyCode::PageDown);
    let after = screen(&mut app, 80, 24);
    // The second step's statement, the last line, is in sight.
    assert!(after.contains("\"TuneItsOwnPermissions\""), "{after}");
    assert!(!after.contains("more lines"), "{after}");
    assert!(
        after.contains("can become admin"),
        "the verdict stays: {after}"
    );
    // More PgDn does not scroll past the last line.
    key(&mut app, KeyCode::PageDown);
    assert_eq!(screen(&mut app, 80, 24), after);
    // PgUp acts at once, however often PgDn was pressed at the end.
    key(&mut app, KeyCode::PageUp);
    assert_ne!(screen(&mut app, 80, 24), after);
    key(&mut app, KeyCode::PageUp);
    assert_eq!(screen(&mut app, 80, 24), before);
    // j selects the next step and shows it from its first line.
    key(&mut app, KeyCode::Char('j'));
    assert!(screen(&mut app, 80, 24).contains("▶ 2. role/OpsAutomation → admin"));
    key(&mut app, KeyCode::Char('k'));
    assert_eq!(screen(&mut app, 80, 24), before);
}

/// Help lists the path's keys under their own heading, from the keymap.
#[test]
fn help_lists_the_keys_of_the_path() {
    let mut app = workshop();
    key(&mut app, KeyCode::Char('?'));
    let text = screen(&mut app, 120, 200);
    let at = text
        .find("Escalation path")
        .expect("a heading for the path");
    let section = &text[at..];
    assert!(
        section.contains("why: the selected step's first request"),
        "{section}"
    );
    assert!(section.contains("next step"), "{section}");
    assert!(text.contains("Who can become admin (E)"), "{text}");
}
