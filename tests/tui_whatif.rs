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
use iamscope::tui::{handle, update, Action, App, Msg};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;

mod tui_common;
use tui_common::press;

/// 2026-01-01T09:40:00Z.
const NOW: i64 = 1_767_260_400;

fn app() -> App {
    app_in(Theme::new(false))
}

fn app_in(theme: Theme) -> App {
    let workspace = Arc::new(iamscope::bundled::workshop::load().workspace);
    App::new(workspace, NOW, theme).with_tours(iamscope::tour::workshop_tours())
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
    prod_admin_denials_in(Theme::new(false))
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
        let mut a = prod_admin_denials_in(Theme::new(color));
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

// What-if.

fn menu_labels(app: &App) -> Vec<String> {
    match &app.overlay {
        Some(Overlay::WhatIf(menu)) => menu.choices.iter().map(|c| c.label.clone()).collect(),
        _ => Vec::new(),
    }
}

fn menu_selected(app: &App) -> Option<String> {
    match &app.overlay {
        Some(Overlay::WhatIf(menu)) => menu
            .list
            .selected()
            .and_then(|i| menu.choices.get(i))
            .map(|c| c.label.clone()),
        _ => None,
    }
}

/// `W`, then down to the choice whose label starts with `label`, Enter.
fn what_if(app: &mut App, label: &str) {
    press(app, "W");
    assert!(
        menu_labels(app).iter().any(|l| l.starts_with(label)),
        "{label:?} not offered: {:?}",
        menu_labels(app)
    );
    down_until(app, |a| {
        menu_selected(a).is_some_and(|l| l.starts_with(label))
    });
    press(app, "\n");
}

fn last_log(app: &App) -> String {
    app.timeline
        .log
        .last()
        .map(|l| l.text.clone())
        .unwrap_or_default()
}

/// bob's boundary closes Lambda to him; dropping it on the copy opens it,
/// animated as a session start is; `u` closes it again. The loaded
/// workspace is what `u` comes back to.
#[test]
fn dropping_bobs_boundary_animates_the_gains_and_u_undoes() {
    let mut a = app();
    select(&mut a, '1', "bob");
    let before = a.session.stack.permissions().actions.len();
    let loaded = a.workspace.clone();
    what_if(&mut a, "drop the boundary DeveloperBoundary");
    assert_eq!(a.what_if.len(), 1);
    let gained = a
        .panes
        .animation
        .as_ref()
        .map(|x| x.gained.clone())
        .unwrap_or_default();
    assert!(gained.contains("lambda:InvokeFunction"), "{gained:?}");
    assert_eq!(
        a.session.stack.permissions().actions.len(),
        before + gained.len()
    );
    assert_eq!(
        last_log(&a),
        format!(
            "what-if: drop the permissions boundary of user/bob  +{} -0",
            gained.len()
        )
    );
    assert_eq!(a.browser.focus, Pane::Permissions);
    assert!(matches!(
        selected_row(&a),
        Some(PermRow::Action {
            change: iamscope::tui::views::permissions::Change::Gained,
            ..
        })
    ));
    let text = screen(&mut a, 120, 40);
    assert!(text.contains("WHAT-IF ×1"), "{text}");
    assert!(text.contains(&format!("+{} -0", gained.len())), "{text}");
    // The loaded workspace is untouched: bob still has his boundary there.
    assert!(loaded.accounts[0]
        .user("bob")
        .and_then(|u| u.boundary.as_ref())
        .is_some());
    press(&mut a, "u");
    assert!(a.what_if.is_empty());
    assert!(
        Arc::ptr_eq(&a.workspace, &loaded),
        "u restores the loaded workspace"
    );
    assert_eq!(a.session.stack.permissions().actions.len(), before);
    assert_eq!(
        last_log(&a),
        format!(
            "what-if undone: drop the permissions boundary of user/bob  +0 -{}",
            gained.len()
        )
    );
    assert!(!screen(&mut a, 120, 40).contains("WHAT-IF"));
}

/// An explicit deny closes a door: alice may not delete shared data while
/// her group holds DenySharedDataDelete. The menu offers the group's
/// policies (detached from the group), and the why view follows the copy.
#[test]
fn detaching_the_deny_opens_the_door_and_why_follows_the_copy() {
    let mut a = app();
    select(&mut a, '1', "alice");
    let question = Action::Explain {
        action: "s3:DeleteObject".into(),
        resource: "arn:aws:s3:::dev-shared-data/a.csv".into(),
        who: iamscope::tui::action::Who::Acting,
    };
    update(&mut a, question.clone());
    assert_eq!(
        a.last_answer.as_ref().map(|x| x.outcome),
        Some(Outcome::ExplicitDeny)
    );
    press(&mut a, "\u{1b}");
    what_if(&mut a, "detach DenySharedDataDelete (group Developers)");
    assert_eq!(
        last_log(&a),
        "what-if: detach DenySharedDataDelete from group/Developers  +0 -0",
        "the deny only narrowed resources: no action is gained or lost"
    );
    update(&mut a, question);
    assert_eq!(
        a.last_answer.as_ref().map(|x| x.outcome),
        Some(Outcome::Allow)
    );
    // The detail pane no longer lists it.
    assert!(!a.panes.detail.iter().any(|l| l
        .policy()
        .is_some_and(|p| p.origin.name == "DenySharedDataDelete")));
}

/// The menu lists the selection's policies with their statements, its
/// boundary, and the organization's SCPs; a change it cannot make is said
/// in the footer and nothing changes.
#[test]
fn the_menu_offers_the_selections_changes_and_refusals_are_said() {
    let mut a = app();
    select(&mut a, '3', "prod-admin");
    press(&mut a, "W");
    let labels = menu_labels(&a);
    assert!(
        labels.contains(&"detach AdministratorAccess".to_string()),
        "{labels:?}"
    );
    assert!(
        labels
            .iter()
            .any(|l| l.starts_with("  disable statement #1 of AdministratorAccess: Allow *")),
        "{labels:?}"
    );
    assert!(
        labels
            .iter()
            .any(|l| l.starts_with("disable the SCP DenyLeaveOrganization")),
        "{labels:?}"
    );
    assert!(
        !labels.iter().any(|l| l.starts_with("drop the boundary")),
        "prod-admin has none"
    );
    press(&mut a, "\u{1b}");
    what_if(&mut a, "disable the SCP FullAWSAccess");
    assert_eq!(a.what_if.len(), 1);
    assert_eq!(
        a.session.stack.permissions().actions.len(),
        0,
        "SCPs grant nothing: no allow left at the OU"
    );
    // The OU's last SCP cannot go, as AWS refuses it.
    what_if(&mut a, "disable the SCP DenyLeaveOrganization");
    assert_eq!(a.what_if.len(), 1);
    assert!(
        a.last_error
            .as_deref()
            .is_some_and(|e| e.contains("only SCP on ou-a1b2-workload1")),
        "{:?}",
        a.last_error
    );
    // In a session, what-if waits for its end.
    press(&mut a, "u");
    select(&mut a, '1', "carol");
    press(&mut a, "s\n");
    assert!(a.in_session());
    press(&mut a, "W");
    assert!(a.overlay.is_none());
    assert!(a
        .last_error
        .as_deref()
        .is_some_and(|e| e.contains("end the session first")));
}

#[test]
fn what_if_snapshots() {
    let mut a = app();
    select(&mut a, '1', "bob");
    press(&mut a, "W");
    down_until(&mut a, |a| {
        menu_selected(a).is_some_and(|l| l.starts_with("drop the boundary"))
    });
    insta::assert_snapshot!("what_if_menu_120x40", screen(&mut a, 120, 40));
    insta::assert_snapshot!("what_if_menu_80x24", screen(&mut a, 80, 24));
    press(&mut a, "\n");
    insta::assert_snapshot!("what_if_on_120x40", screen(&mut a, 120, 40));
    insta::assert_snapshot!("what_if_on_80x24", screen(&mut a, 80, 24));
}

/// Under NO_COLOR the what-if marker is reversed, gains are `+` and bold:
/// nothing rests on colour.
#[test]
fn what_if_honours_no_color() {
    use ratatui::style::{Color, Modifier};
    for color in [false, true] {
        let mut a = app_in(Theme::new(color));
        select(&mut a, '1', "bob");
        what_if(&mut a, "drop the boundary");
        let buffer = buffer(&mut a, 80, 24);
        let coloured = buffer
            .content()
            .iter()
            .any(|cell| cell.fg != Color::Reset || cell.bg != Color::Reset);
        assert_eq!(coloured, color, "color: {color}");
        let header: String = (0..80).map(|x| buffer[(x, 0)].symbol()).collect();
        let at = header.find("WHAT-IF").expect("the marker");
        let x = header[..at].chars().count() as u16;
        assert!(
            buffer[(x, 0)].modifier.contains(Modifier::REVERSED),
            "color: {color}"
        );
    }
}

// What-if in a tour.

fn what_if_tour() -> usize {
    iamscope::tour::workshop_tours()
        .iter()
        .position(|t| t.title.starts_with("What-if"))
        .expect("the what-if tour")
}

fn tour_to(app: &mut App, steps: usize) {
    while app.tour.as_ref().map_or(0, |t| t.done) < steps {
        press(app, "n");
        assert_eq!(app.tour.as_ref().and_then(|t| t.error.clone()), None);
    }
}

/// The workshop's what-if tour: the boundary and then the explicit deny
/// close a door, each step's answer the same in the UI and headless (as
/// `validate` plays it), the what-if marker on screen while a change is in
/// force.
#[test]
fn the_what_if_tour_plays_the_same_in_the_ui_and_in_validate() {
    use iamscope::tui::action::TourAction;
    let index = what_if_tour();
    let tour = &iamscope::tour::workshop_tours()[index];
    let workspace = Arc::new(iamscope::bundled::workshop::load().workspace);
    let headless =
        iamscope::tui::headless::play(workspace, tour, NOW).unwrap_or_else(|e| panic!("{e}"));
    let mut a = app();
    update(&mut a, Action::Tour(TourAction::Start(index)));
    let mut answers = vec![String::new()];
    while !a.tour.as_ref().is_some_and(|t| t.is_last()) {
        press(&mut a, "n");
        let state = a.tour.as_ref().expect("in the tour");
        assert_eq!(state.error, None, "step {}", state.done);
        answers.push(
            state
                .answers
                .last()
                .cloned()
                .flatten()
                .map(|x| x.detail)
                .unwrap_or_default(),
        );
        if state.done == 4 {
            let text = screen(&mut a, 80, 24);
            assert!(text.contains("WHAT-IF ×1"), "{text}");
            assert!(
                text.contains("what-if: drop the permissions boundary of user/bob"),
                "{text}"
            );
        }
    }
    let expected: Vec<String> = headless.into_iter().map(|o| o.result).collect();
    assert_eq!(answers, expected);
    assert_eq!(
        answers[3],
        "what-if: drop the permissions boundary of user/bob  +119 -0"
    );
    assert_eq!(answers[4], "lambda:InvokeFunction: Allow");
    assert_eq!(
        answers[8],
        "what-if: detach DenySharedDataDelete from group/Developers  +0 -0"
    );
    assert_eq!(answers[9], "s3:DeleteObject: Allow");
}

/// ← replays the tour from the workspace as loaded: a what-if change of a
/// later step is gone. `u` between steps is undone by the next step, which
/// replays up to where the tour was.
#[test]
fn a_tour_replays_from_the_loaded_workspace() {
    use iamscope::tui::action::TourAction;
    let mut a = app();
    update(&mut a, Action::Tour(TourAction::Start(what_if_tour())));
    tour_to(&mut a, 4);
    assert_eq!(a.what_if.len(), 1);
    press(&mut a, "u");
    assert!(a.what_if.is_empty());
    // Step 5 asks as the copy: the tour puts the change back first.
    press(&mut a, "n");
    assert_eq!(a.tour.as_ref().and_then(|t| t.error.clone()), None);
    assert_eq!(a.what_if.len(), 1);
    handle(
        &mut a,
        Msg::Key(KeyEvent::new(KeyCode::Left, KeyModifiers::NONE)),
    );
    handle(
        &mut a,
        Msg::Key(KeyEvent::new(KeyCode::Left, KeyModifiers::NONE)),
    );
    assert_eq!(a.tour.as_ref().map(|t| t.done), Some(3));
    assert!(a.what_if.is_empty());
    assert!(a.workspace.accounts[0]
        .user("bob")
        .and_then(|u| u.boundary.as_ref())
        .is_some());
}

// Comparing two principals.

/// The comparison overlay's title and text (a message kept as data to
/// export, since `e` exports it).
fn comparison(app: &App) -> Option<(String, String)> {
    match &app.overlay {
        Some(Overlay::Comparison { title, text, .. }) => Some((title.clone(), text.clone())),
        _ => None,
    }
}

/// alice and bob share the Developers group; bob's boundary closes Lambda
/// to him. Marked alice, selected bob: bob may not what alice may (-), by
/// service, as `iamscope diff` says it.
#[test]
fn v_marks_and_shift_v_compares_by_service() {
    let mut a = app();
    select(&mut a, '1', "alice");
    assert!(!iamscope::tui::keymap::hints(&a)
        .iter()
        .any(|b| b.label == "V"));
    press(&mut a, "v");
    // V on the marked one itself is not offered.
    assert!(!iamscope::tui::keymap::hints(&a)
        .iter()
        .any(|b| b.label == "V"));
    select(&mut a, '1', "bob");
    assert!(iamscope::tui::keymap::hints(&a)
        .iter()
        .any(|b| b.label == "V"));
    press(&mut a, "V");
    let (title, text) = comparison(&a).expect("the comparison");
    assert_eq!(title, "alice → bob");
    assert_eq!(headless_diff("alice", "bob"), (1, 120));
    assert!(
        text.starts_with(
            "+1 -120: bob may do 1 action alice may not (+), and alice 120 that bob may not (-)"
        ),
        "{text}"
    );
    // His own password instead of hers: the same action, other resources.
    assert!(
        text.contains("▾ iam  +1 -1\n+ iam:ChangePassword  arn:aws:iam::*:user/bob"),
        "{text}"
    );
    assert!(text.contains("▾ lambda  +0 -119"), "{text}");
    assert!(
        text.contains(
            "- lambda:AddLayerVersionPermission  arn:aws:lambda:*:111111111111:function:*"
        ),
        "{text}"
    );
    assert!(text.contains("- … 107 more"), "{text}");
    assert!(last_log(&a).starts_with("compared alice → bob  +1 -120"));
}

/// What `iamscope diff` computes: the effective permissions of each, diffed.
fn headless_diff(from: &str, to: &str) -> (usize, usize) {
    let ws = iamscope::bundled::workshop::load().workspace;
    let ctx = iamscope::policy::RequestContext::new();
    let permissions = |name: &str| {
        let p = iamscope::eval::Principal::lookup(&ws, name).expect("a workshop principal");
        iamscope::eval::effective::effective_permissions(&ws, &p, &ctx, NOW)
    };
    let d = iamscope::eval::effective::diff(&permissions(from), &permissions(to));
    (d.gained.len(), d.lost.len())
}

/// A user against a role session: dave, on his own, against the Auditor
/// role he may assume.
#[test]
fn a_user_against_a_role_session() {
    let mut a = app();
    select(&mut a, '1', "dave");
    press(&mut a, "v");
    select(&mut a, '3', "Auditor");
    press(&mut a, "V");
    let (title, text) = comparison(&a).expect("the comparison");
    assert_eq!(title, "dave → Auditor");
    let (gained, lost) = headless_diff("dave", "Auditor");
    assert!(
        text.starts_with(&format!("+{gained} -{lost}: Auditor may do {gained} actions dave may not (+), and dave {lost} that Auditor may not (-)")),
        "{text}"
    );
    assert!(text.contains("\n▾ s3  +"), "{text}");
    // `v` again on the marked one unmarks it.
    press(&mut a, "\u{1b}");
    select(&mut a, '1', "dave");
    press(&mut a, "v");
    assert!(a.compare_mark.is_none());
}

#[test]
fn compare_snapshots() {
    let mut a = app();
    select(&mut a, '1', "alice");
    press(&mut a, "v");
    select(&mut a, '1', "bob");
    press(&mut a, "V");
    insta::assert_snapshot!("compare_120x40", screen(&mut a, 120, 40));
    insta::assert_snapshot!("compare_80x24", screen(&mut a, 80, 24));
}
