//! Issue 16 in the UI: the permissions pane's denied actions (`d`), what-if
//! changes on an in-memory copy of the workspace (`W`, undone with `u`), and
//! comparing two principals (`v` marks, `V` compares). Every test drives the
//! UI with keys or actions, as a user or a tour would.

use std::sync::Arc;

use iamscope::eval::Outcome;
use iamscope::tui::app::Pane;
use iamscope::tui::overlay::Overlay;
use iamscope::tui::theme::Theme;
use iamscope::tui::views::permissions::PermRow;
use iamscope::tui::{handle, update, Action, App, Effect, Msg};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;

/// 2026-01-01T09:40:00Z.
const NOW: i64 = 1_767_260_400;

fn app() -> App {
    app_in(Theme { color: false })
}

fn app_in(theme: Theme) -> App {
    let workspace = Arc::new(iamscope::bundled::workshop::load().workspace);
    App::new(workspace, NOW, theme).with_tours(iamscope::tour::workshop_tours())
}

fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\u{1b}' => KeyCode::Esc,
            '\t' => KeyCode::Tab,
            c => KeyCode::Char(c),
        };
        effects.extend(handle(
            app,
            Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        ));
    }
    effects
}

fn draw(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    update(app, Action::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| iamscope::tui::ui::render(app, frame))
        .expect("draw");
    terminal
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    draw(app, width, height).backend().to_string()
}

fn buffer(app: &mut App, width: u16, height: u16) -> Buffer {
    draw(app, width, height).backend().buffer().clone()
}

/// Moves in the focused pane with `j` until `done` holds.
fn down_until(app: &mut App, done: impl Fn(&App) -> bool) {
    press(app, "g");
    for _ in 0..5000 {
        if done(app) {
            return;
        }
        press(app, "j");
    }
    panic!("never reached");
}

fn select(app: &mut App, tab: char, name: &str) {
    press(app, &tab.to_string());
    down_until(app, |a| a.selected_name() == Some(name));
}

fn selected_row(app: &App) -> Option<&PermRow> {
    app.panes.perm_rows.get(app.panes.perm_selected)
}

/// Opens the service `prefix` in the permissions pane.
fn open_service(app: &mut App, prefix: &str) {
    down_until(
        app,
        |a| matches!(selected_row(a), Some(PermRow::Service { prefix: p, .. }) if p == prefix),
    );
    if matches!(
        selected_row(app),
        Some(PermRow::Service {
            expanded: false,
            ..
        })
    ) {
        press(app, "\n");
    }
}

fn denied_row<'a>(
    app: &'a App,
    action: &str,
) -> Option<&'a iamscope::tui::views::permissions::DeniedAction> {
    app.panes.perm_rows.iter().find_map(|r| match r {
        PermRow::Denied(d) if d.action == action => Some(d),
        _ => None,
    })
}

/// prod-admin holds AdministratorAccess, yet the organization's SCPs deny
/// leaving the organization (at the OU) and creating users (at the prod
/// account): with `d`, both rows say so, from the engine's decision.
fn prod_admin_denials() -> App {
    prod_admin_denials_in(Theme { color: false })
}

fn prod_admin_denials_in(theme: Theme) -> App {
    let mut a = app_in(theme);
    select(&mut a, '3', "prod-admin");
    press(&mut a, "\t\t");
    press(&mut a, "d");
    open_service(&mut a, "organizations");
    a
}

#[test]
fn d_lists_denied_actions_with_the_deciding_layer() {
    let mut a = prod_admin_denials();
    let leave = denied_row(&a, "organizations:LeaveOrganization").expect("a denied row");
    assert_eq!(leave.outcome, Outcome::ExplicitDeny);
    assert_eq!(
        leave.by,
        "explicit deny in DenyLeaveOrganization at OU Workloads"
    );
    open_service(&mut a, "iam");
    let create = denied_row(&a, "iam:CreateUser").expect("a denied row");
    assert_eq!(
        create.by,
        "explicit deny in ProdDenyLongTermCredentials at account 222222222222"
    );
    // Allowed actions are not listed as denied.
    assert!(denied_row(&a, "iam:ListUsers").is_none());
    // `d` again: only allowed actions.
    press(&mut a, "d");
    assert!(!a
        .panes
        .perm_rows
        .iter()
        .any(|r| matches!(r, PermRow::Denied(_))));
}

/// A boundary that does not allow what the groups allow is named as the
/// deciding layer.
#[test]
fn a_denial_by_the_boundary_names_the_boundary() {
    let mut a = app();
    select(&mut a, '1', "bob");
    press(&mut a, "\t\td");
    for service in ["ec2", "s3", "lambda", "logs", "cloudwatch", "iam"] {
        open_service(&mut a, service);
    }
    let by_boundary: Vec<&str> = a
        .panes
        .perm_rows
        .iter()
        .filter_map(|r| match r {
            PermRow::Denied(d) if d.by == "boundary DeveloperBoundary" => Some(d.action.as_str()),
            _ => None,
        })
        .collect();
    assert!(!by_boundary.is_empty(), "no denial by the boundary");
    // And the why view agrees: the boundary has no allow.
    let first = by_boundary[0].to_string();
    down_until(
        &mut a,
        |a| matches!(selected_row(a), Some(PermRow::Denied(d)) if d.action == first),
    );
    press(&mut a, "w");
    let Some(Overlay::Why(why)) = &a.overlay else {
        panic!("w opens the why view")
    };
    assert_eq!(why.decision.action, first);
    assert_eq!(
        why.decision.reasons.first().map(|r| r.layer),
        Some(iamscope::eval::Layer::Boundary)
    );
}

/// `w` on a denied row opens the why view of that very denial.
#[test]
fn w_on_a_denied_row_explains_that_denial() {
    let mut a = prod_admin_denials();
    down_until(
        &mut a,
        |a| matches!(selected_row(a), Some(PermRow::Denied(d)) if d.action == "organizations:LeaveOrganization"),
    );
    assert!(iamscope::tui::keymap::why_possible(&a));
    press(&mut a, "w");
    let Some(Overlay::Why(why)) = &a.overlay else {
        panic!("w opens the why view")
    };
    assert_eq!(why.decision.action, "organizations:LeaveOrganization");
    assert_eq!(why.decision.resource, "*");
    assert_eq!(why.decision.decision, Outcome::ExplicitDeny);
}

/// Nothing is evaluated until a service is opened, and then only that
/// service: the enterprise sample has thousands of principals and the
/// catalog thousands of actions.
#[test]
fn denials_are_evaluated_only_for_open_services() {
    let mut a = app();
    select(&mut a, '3', "prod-admin");
    press(&mut a, "\t\td");
    assert!(a.panes.denied.is_empty(), "{:?}", a.panes.denied.keys());
    open_service(&mut a, "organizations");
    assert_eq!(
        a.panes.denied.keys().collect::<Vec<_>>(),
        vec!["organizations"]
    );
    open_service(&mut a, "iam");
    assert_eq!(
        denied_row(&a, "iam:CreateUser").map(|d| d.by.as_str()),
        Some("explicit deny in ProdDenyLongTermCredentials at account 222222222222")
    );
    // Another principal, in dev: the answers go with the acting identity.
    press(&mut a, "\u{1b}");
    select(&mut a, '3', "Auditor");
    assert!(a.panes.denied.keys().all(|k| a.panes.expanded.contains(k)));
    assert_eq!(
        denied_row(&a, "iam:CreateUser").map(|d| d.by.as_str()),
        Some("no allow")
    );
}

#[test]
fn denied_rows_snapshots() {
    let mut a = prod_admin_denials();
    down_until(
        &mut a,
        |a| matches!(selected_row(a), Some(PermRow::Denied(d)) if d.action == "organizations:LeaveOrganization"),
    );
    insta::assert_snapshot!("denied_120x40", screen(&mut a, 120, 40));
    insta::assert_snapshot!("denied_80x24", screen(&mut a, 80, 24));
}

/// Under NO_COLOR nothing is coloured and every denied row still says so
/// with its `✗`; with colour, denied rows are greyed.
#[test]
fn denied_rows_honour_no_color() {
    use ratatui::style::Color;
    for color in [false, true] {
        let mut a = prod_admin_denials_in(Theme { color });
        down_until(
            &mut a,
            |a| matches!(selected_row(a), Some(PermRow::Denied(d)) if d.action == "organizations:LeaveOrganization"),
        );
        let buffer = buffer(&mut a, 120, 40);
        let coloured = buffer
            .content()
            .iter()
            .any(|cell| cell.fg != Color::Reset || cell.bg != Color::Reset);
        assert_eq!(coloured, color, "color: {color}");
        let area = buffer.area;
        let rows: Vec<u16> = (0..area.height)
            .filter(|&y| {
                (0..area.width)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect::<String>()
                    .contains("✗ Write   LeaveOrganization")
            })
            .collect();
        assert_eq!(rows.len(), 1, "color: {color}");
        let y = rows[0];
        let x = (0..area.width)
            .find(|&x| buffer[(x, y)].symbol() == "✗" && buffer[(x + 2, y)].symbol() == "W")
            .expect("the mark");
        assert_eq!(buffer[(x, y)].fg == Color::DarkGray, color);
    }
}
