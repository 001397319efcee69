//! The terminal UI on ratatui's TestBackend: snapshots of each screen at fixed
//! sizes and a fixed clock, and a switch-role session driven through start,
//! clock advance, expiry and end. Every test drives the UI as a user, a tour
//! or the event loop would: with keys, or with actions; none writes the
//! app's fields. The error screen has its own file, `tui_error_screen.rs`.

use iamscope::workspace::caveats::ProblemReport;
use std::sync::Arc;

use iamscope::tui::action::{TourAction, Who};
use iamscope::tui::app::Pane;
use iamscope::tui::overlay::Overlay;
use iamscope::tui::selection::Tab;
use iamscope::tui::theme::Theme;
use iamscope::tui::views::permissions::{Change, PermRow};
use iamscope::tui::{handle, update, Action, App, Effect, Msg};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Modifier;
use ratatui::Terminal;

/// 2026-01-01T09:40:00Z.
const NOW: i64 = 1_767_260_400;

fn app() -> App {
    let loaded = iamscope::bundled::workshop::load();
    let problems = Arc::new(ProblemReport::new(&loaded, Vec::new()));
    App::new(Arc::new(loaded.workspace), NOW, Theme::new(false)).with_problems(problems)
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
        effects.extend(key(app, code, KeyModifiers::NONE));
    }
    effects
}

fn key(app: &mut App, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    handle(app, Msg::Key(KeyEvent::new(code, modifiers)))
}

fn tick(app: &mut App, ms: i64) {
    handle(app, Msg::Tick(ms));
}

fn terminal(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    update(app, Action::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| iamscope::tui::ui::render(app, frame))
        .expect("draw");
    terminal
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    terminal(app, width, height).backend().to_string()
}

/// Selects the user `name`, as a tour does.
fn select_user(app: &mut App, name: &str) {
    update(
        app,
        Action::Select {
            tab: Tab::Users,
            name: name.to_string(),
        },
    );
    assert_eq!(app.selected_name(), Some(name));
}

fn select_role(app: &mut App, name: &str) {
    update(
        app,
        Action::Select {
            tab: Tab::Roles,
            name: name.to_string(),
        },
    );
    assert_eq!(app.selected_name(), Some(name));
}

/// Presses `j` in the focused pane until `done` holds (at most 200 times).
fn down_until(app: &mut App, done: impl Fn(&App) -> bool) {
    press(app, "g");
    for _ in 0..200 {
        if done(app) {
            return;
        }
        press(app, "j");
    }
    panic!("never reached");
}

#[test]
fn browsing_users() {
    let mut app = app();
    insta::assert_snapshot!("users_120x34", screen(&mut app, 120, 34));
    insta::assert_snapshot!("users_80x24", screen(&mut app, 80, 24));
}

#[test]
fn a_role_with_its_trust_policy_in_words() {
    let mut app = app();
    select_role(&mut app, "Auditor");
    insta::assert_snapshot!("role_auditor", screen(&mut app, 120, 34));
}

#[test]
fn a_group_and_its_members() {
    let mut app = app();
    press(&mut app, "2");
    insta::assert_snapshot!("group_developers", screen(&mut app, 120, 34));
}

#[test]
fn the_switch_role_picker_marks_what_is_assumable() {
    let mut app = app();
    select_user(&mut app, "carol");
    press(&mut app, "s");
    assert!(matches!(app.overlay, Some(Overlay::Picker(_))));
    insta::assert_snapshot!("picker_carol", screen(&mut app, 120, 34));
}

#[test]
fn why_explains_a_denial_layer_by_layer() {
    let mut app = app();
    select_user(&mut app, "bob");
    update(
        &mut app,
        Action::Explain {
            action: "lambda:GetFunction".into(),
            resource: "arn:aws:lambda:eu-west-1:111111111111:function:x".into(),
            who: Who::Acting,
        },
    );
    insta::assert_snapshot!("why_bob_lambda", screen(&mut app, 120, 34));
}

#[test]
fn the_policy_viewer_marks_the_granting_statement() {
    let mut app = app();
    select_user(&mut app, "carol");
    press(&mut app, "s\n");
    // After the animation, the session's two actions remain; open the grant of TerminateInstances.
    tick(&mut app, 10_000);
    assert_eq!(
        app.browser.focus,
        Pane::Permissions,
        "a new session shows its permissions"
    );
    down_until(
        &mut app,
        |app| matches!(app.panes.perm_rows.get(app.panes.perm_selected), Some(PermRow::Action { action, .. }) if action.action == "ec2:TerminateInstances"),
    );
    press(&mut app, "\n");
    let Some(Overlay::Policy(view)) = &app.overlay else {
        panic!("no policy view");
    };
    assert!(view
        .lines
        .iter()
        .any(|(line, marked)| *marked && line.contains("ec2:TerminateInstances")));
    insta::assert_snapshot!("policy_terminate", screen(&mut app, 120, 34));
}

#[test]
fn help_context_form_and_small_terminal() {
    let mut app = app();
    press(&mut app, "?");
    insta::assert_snapshot!("help", screen(&mut app, 120, 34));
    press(&mut app, "\u{1b}c");
    insta::assert_snapshot!("context_form", screen(&mut app, 120, 34));
    press(&mut app, "\u{1b}");
    insta::assert_snapshot!("too_small", screen(&mut app, 40, 10));
}

#[test]
fn filtering_highlights_and_esc_clears() {
    let mut app = app();
    press(&mut app, "/ca");
    assert_eq!(app.current_list().list.visible().len(), 1, "carol only");
    insta::assert_snapshot!("filter_users", screen(&mut app, 120, 34));
    press(&mut app, "\u{1b}");
    assert_eq!(app.current_list().list.visible().len(), 6);
}

/// The lesson of the workshop on screen: carol holds ec2:TerminateInstances
/// only while an EC2Terminator session lasts, and loses her own permissions
/// meanwhile; expiry and `x` give them back.
#[test]
fn a_switch_role_session_from_start_to_expiry_and_end() {
    let mut app = app();
    select_user(&mut app, "carol");
    assert!(app
        .session
        .stack
        .permissions()
        .find("ec2:TerminateInstances")
        .is_none());

    // Start: the picker pre-selects the first assumable role, EC2Terminator.
    press(&mut app, "s\n");
    assert_eq!(app.session.stack.chain_label(), "carol → EC2Terminator");
    let gained: Vec<&str> = rows_with(&app, Change::Gained);
    assert_eq!(gained, vec!["ec2:TerminateInstances"]);
    assert!(rows_with(&app, Change::Lost).contains(&"ec2:DescribeAccountAttributes"));
    let text = screen(&mut app, 120, 34);
    assert!(text.contains("+ Write  ?TerminateInstances"), "{text}");
    assert!(text.contains("+1"), "{text}");
    assert!(
        text.contains("carol assumed EC2Terminator  +1 -356"),
        "{text}"
    );
    assert!(text.contains("(session) 1:00:00 left"), "{text}");
    insta::assert_snapshot!("session_started", text);
    // Meaning is not carried by colour alone: gains are bold, losses struck through.
    let term = terminal(&mut app, 120, 34);
    let buffer = term.backend().buffer();
    let find = |needle: &str| {
        (0..buffer.area.height).find_map(|y| {
            let line: String = (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect();
            line.find(needle)
                .map(|x| (line[..x].chars().count() as u16, y))
        })
    };
    let (x, y) = find("TerminateInstances").expect("gained row");
    assert!(buffer[(x, y)].modifier.contains(Modifier::BOLD));
    let (x, y) = find("DescribeAccountAttributes").expect("lost row");
    assert!(buffer[(x, y)].modifier.contains(Modifier::CROSSED_OUT));

    // The animation settles: only the session's actions remain.
    tick(&mut app, 5_000);
    assert!(app.panes.animation.is_none());
    assert!(rows_with(&app, Change::Lost).is_empty());
    insta::assert_snapshot!("session_settled", screen(&mut app, 120, 34));

    // Speed the clock to 600x: one real second is ten minutes.
    press(&mut app, "+++");
    assert_eq!(app.session.clock.speed(), 600);
    tick(&mut app, 3_000);
    assert!(
        screen(&mut app, 120, 34).contains(" 29:"),
        "30 minutes later"
    );
    tick(&mut app, 3_000);
    // Expired: back to carol, TerminateInstances lost, her own regained.
    assert_eq!(app.session.stack.chain_label(), "carol");
    assert_eq!(
        rows_with(&app, Change::Lost),
        vec!["ec2:TerminateInstances"]
    );
    assert!(rows_with(&app, Change::Gained).contains(&"ec2:StartInstances"));
    let text = screen(&mut app, 120, 34);
    assert!(
        text.contains("EC2Terminator expired; acting as carol"),
        "{text}"
    );
    insta::assert_snapshot!("session_expired", text);

    // Start again, end by hand with x.
    press(&mut app, "-");
    press(&mut app, "s\n");
    assert_eq!(app.session.stack.chain_label(), "carol → EC2Terminator");
    press(&mut app, "x");
    assert_eq!(app.session.stack.chain_label(), "carol");
    assert_eq!(
        rows_with(&app, Change::Lost),
        vec!["ec2:TerminateInstances"]
    );
    assert!(screen(&mut app, 120, 34).contains("ended the session; acting as carol"));
}

#[test]
fn dave_needs_mfa_for_the_auditor_role() {
    let mut app = app();
    select_user(&mut app, "dave");
    press(&mut app, "s");
    let Some(Overlay::Picker(picker)) = &app.overlay else {
        panic!()
    };
    let auditor = picker.roles.iter().find(|r| r.name == "Auditor").unwrap();
    assert!(!auditor.assumable);
    assert!(
        auditor.reason.contains("aws:MultiFactorAuthPresent"),
        "{}",
        auditor.reason
    );
    press(&mut app, "\u{1b}");
    // Context form: MFA yes (Space on the first field), apply.
    press(&mut app, "c \n");
    assert_eq!(
        app.session.context.single("aws:MultiFactorAuthPresent"),
        Some("true")
    );
    press(&mut app, "s");
    let Some(Overlay::Picker(picker)) = &app.overlay else {
        panic!()
    };
    assert!(
        picker
            .roles
            .iter()
            .find(|r| r.name == "Auditor")
            .unwrap()
            .assumable
    );
}

#[test]
fn workspace_text_cannot_inject_escape_sequences() {
    let dump = serde_json::json!({
        "UserDetailList": [{"UserName": "evil\u{1b}[31mred\u{7}", "UserId": "AIDAEVIL", "Arn": "arn:aws:iam::111111111111:user/evil",
            "Tags": [{"Key": "note\u{1b}]52;c;AAAA\u{7}", "Value": "\u{202e}reversed"}]}],
        "GroupDetailList": [], "RoleDetailList": [], "Policies": []
    });
    let loaded = iamscope::workspace::load_sources(
        "evil",
        vec![iamscope::workspace::Source {
            name: "evil.json".into(),
            bytes: serde_json::to_vec(&dump).unwrap(),
        }],
    );
    let mut app = App::new(Arc::new(loaded.workspace), NOW, Theme::new(false));
    let text = screen(&mut app, 120, 34);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'));
    assert!(text.contains("evil\\u{1b}[31mred"), "{text}");
}

fn rows_with(app: &App, wanted: Change) -> Vec<&str> {
    app.panes
        .perm_rows
        .iter()
        .filter_map(|r| match r {
            PermRow::Action { action, change, .. } if *change == wanted => {
                Some(action.action.as_str())
            }
            _ => None,
        })
        .collect()
}

/// Every workshop tour runs end to end in the UI: each step carried out
/// without error and drawn; going back replays to the same screen.
#[test]
fn the_workshop_tours_run_in_the_ui() {
    for (index, tour) in iamscope::tour::workshop_tours().into_iter().enumerate() {
        let mut app = app().with_tours(iamscope::tour::workshop_tours());
        update(&mut app, Action::Tour(TourAction::Start(index)));
        let mut screens = Vec::new();
        for step in 1..=tour.steps.len() {
            let state = app.tour.as_ref().expect("tour running");
            assert_eq!(state.done, step);
            assert!(
                state.error.is_none(),
                "{}: step {step}: {:?}",
                tour.title,
                state.error
            );
            let text = screen(&mut app, 120, 34);
            assert!(
                text.contains(&format!("step {step}/{}", tour.steps.len())),
                "{text}"
            );
            screens.push(text);
            press(&mut app, "n");
        }
        // Back from the last step replays the tour to the step before it.
        key_left(&mut app);
        let state = app.tour.as_ref().expect("still in the tour");
        assert_eq!(state.done, tour.steps.len() - 1);
        press(&mut app, "\u{1b}\u{1b}\u{1b}");
        assert!(
            app.tour.is_none(),
            "Esc leaves the tour once overlays are closed"
        );
    }
}

#[test]
fn a_tour_step_on_screen() {
    let tours = iamscope::tour::workshop_tours();
    let index = tours
        .iter()
        .position(|t| t.title.starts_with("Critical"))
        .expect("the critical-task tour");
    let mut app = app().with_tours(tours);
    update(&mut app, Action::Tour(TourAction::Start(index)));
    for _ in 0..9 {
        press(&mut app, "n");
    }
    assert_eq!(app.session.stack.chain_label(), "carol → EC2Terminator");
    insta::assert_snapshot!("tour_critical_step_10", screen(&mut app, 120, 34));
}

fn key_left(app: &mut App) {
    key(app, KeyCode::Left, KeyModifiers::NONE);
}

/// Mouse: off by default (the terminal keeps its own selection); `m` turns
/// it on; a click focuses a pane and selects the row under it; the wheel scrolls.
#[test]
fn mouse_clicks_select_and_the_wheel_scrolls() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = app();
    update(&mut app, Action::Resize(120, 34));
    let click = |column: u16, row: u16| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    // Row 3 of the screen is the first user (header, tabs, border).
    handle(&mut app, click(5, 5));
    assert_eq!(
        app.current_list().list.selected(),
        Some(0),
        "mouse off: clicks are ignored"
    );
    assert_eq!(press(&mut app, "m"), vec![Effect::SetMouse(true)]);
    handle(&mut app, click(5, 5));
    assert_eq!(
        app.current_list()
            .list
            .label(app.current_list().list.selected().unwrap()),
        "carol"
    );
    assert_eq!(app.session.stack.base().display_name, "carol");
    // A click in the permissions pane focuses it; the wheel moves its selection.
    handle(&mut app, click(100, 4));
    assert_eq!(app.browser.focus, Pane::Permissions);
    let before = app.panes.perm_selected;
    handle(
        &mut app,
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::ScrollDown,
            column: 100,
            row: 10,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert_eq!(app.panes.perm_selected, before + 3);
}

/// `y` copies the selected ARN, `Y` the policy JSON, through an effect the
/// event loop writes as OSC 52.
#[test]
fn y_and_shift_y_copy_the_arn_and_the_policy() {
    let mut app = app();
    select_user(&mut app, "bob");
    let effect = press(&mut app, "y");
    assert_eq!(
        effect,
        vec![Effect::Copy("arn:aws:iam::111111111111:user/bob".into())]
    );
    // In the detail pane, on a policy line.
    press(&mut app, "\t");
    assert_eq!(app.browser.focus, Pane::Detail);
    down_until(&mut app, |app| {
        app.panes
            .detail
            .get(usize::from(app.panes.detail_scroll))
            .is_some_and(|l| l.policy().is_some())
    });
    let effect = key(&mut app, KeyCode::Char('Y'), KeyModifiers::SHIFT);
    let [Effect::Copy(json)] = effect.as_slice() else {
        panic!("no copy: {effect:?}")
    };
    let value: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
    assert_eq!(value["Version"], "2012-10-17");
}

/// The notice over the first screen when the workspace loaded with errors:
/// one problem a line, wrapped, how many more there are past the first
/// eight, and it scrolls.
#[test]
fn the_problems_notice_wraps_scrolls_and_counts_the_rest() {
    let errors: Vec<String> = (1..=12)
        .map(|n| {
            format!(
                "accounts/dev.json:{n}:5: error: Effect must be \"Allow\" or \"Deny\" \
                 (at UserDetailList[{n}].UserPolicyList[0].PolicyDocument.Statement[0].Effect)"
            )
        })
        .collect();
    let (title, text) = iamscope::tui::notice::problems_notice(&errors);
    let mut app = app();
    update(&mut app, Action::Notice { title, text });
    let screen_text = screen(&mut app, 80, 24);
    assert!(!screen_text.contains(r"\u{a}"), "{screen_text}");
    assert!(
        screen_text.contains("The workspace has 12 errors"),
        "{screen_text}"
    );
    assert!(
        screen_text.contains("• accounts/dev.json:1:5: error"),
        "{screen_text}"
    );
    insta::assert_snapshot!("problems_notice_80x24", screen_text);
    press(&mut app, "G");
    let bottom = screen(&mut app, 80, 24);
    assert!(
        bottom.contains("… and 4 more: `iamscope validate` lists them all"),
        "{bottom}"
    );
    assert!(bottom.contains("accounts/dev.json:8:5"), "{bottom}");
    assert!(!bottom.contains("accounts/dev.json:9:5"), "{bottom}");
    press(&mut app, "g");
    assert_eq!(screen(&mut app, 80, 24), screen_text);
    press(&mut app, "\u{1b}");
    assert!(app.overlay.is_none(), "Esc closes the notice");
}

/// The permissions pane and `w` agree (issue 13, point 6): carol's
/// EC2Terminator session lists TerminateInstances as conditional (`?if`,
/// with the whole condition under the list when selected, even at 80×24),
/// and `w` on it says the list's condition is what the denial turns on.
#[test]
fn a_conditional_grant_is_marked_and_why_reads_it_the_same_way() {
    let mut app = app();
    select_user(&mut app, "carol");
    press(&mut app, "s\n");
    tick(&mut app, 10_000);
    down_until(
        &mut app,
        |app| matches!(app.panes.perm_rows.get(app.panes.perm_selected), Some(PermRow::Action { action, .. }) if action.action == "ec2:TerminateInstances"),
    );
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("+ Write  ?TerminateInstances"), "{text}");
    for part in [
        "? allowed only if",
        "aws:ResourceTag/critical",
        "StringEquals true",
    ] {
        assert!(
            text.contains(part),
            "the selected action's condition is shown whole under the list: {text}"
        );
    }
    press(&mut app, "w");
    let Some(Overlay::Why(view)) = &app.overlay else {
        panic!("no why view");
    };
    assert_eq!(
        view.listed_conditions,
        vec!["aws:ResourceTag/critical StringEquals true"]
    );
    let text = screen(&mut app, 120, 34);
    assert!(
        text.contains("Listed as conditional: allowed only if"),
        "{text}"
    );
    insta::assert_snapshot!("why_conditional", text);
}

/// The header is laid out by priority: at 80 and 100 columns (a projector's
/// sizes) and even at 60, who acts, the countdown and the clock speed stay;
/// the title, workspace name and clock time give way first.
#[test]
fn the_countdown_survives_a_narrow_header() {
    let mut app = app();
    select_user(&mut app, "carol");
    press(&mut app, "s\n");
    press(&mut app, "p");
    for width in [60u16, 80, 100, 120] {
        let text = screen(&mut app, width, 24);
        let header = text.lines().next().unwrap_or_default();
        for part in ["carol → EC2Terminator", "1:00:00 left", "×1", "PAUSED"] {
            assert!(header.contains(part), "{part} missing at {width}: {header}");
        }
    }
    let wide = screen(&mut app, 120, 24);
    assert!(wide
        .lines()
        .next()
        .unwrap_or_default()
        .contains(" iamscope ─ workshop ─ acting as:"));
}

/// A session that changes thousands of actions (dave's Auditor session gains
/// ReadOnlyAccess's) opens the services it touches only while the changes
/// shown stay within a few hundred; the services after them stay closed and
/// still count their gains, and Enter opens one.
#[test]
fn a_session_that_changes_thousands_of_actions_opens_only_its_first_services() {
    let mut app = app();
    select_user(&mut app, "dave");
    // Auditor's trust policy asks for MFA.
    let mut context = iamscope::policy::RequestContext::new();
    context.push("aws:MultiFactorAuthPresent", "true");
    update(&mut app, Action::SetContext(context));
    update(
        &mut app,
        Action::StartSession {
            role_arn: "arn:aws:iam::111111111111:role/Auditor".into(),
            duration: None,
        },
    );
    assert!(app.in_session(), "dave may assume Auditor");
    let rows = &app.panes.perm_rows;
    let gained_rows = rows
        .iter()
        .filter(|r| {
            matches!(
                r,
                PermRow::Action {
                    change: Change::Gained,
                    ..
                }
            )
        })
        .count();
    let closed_with_gains: Vec<&str> = rows
        .iter()
        .filter_map(|r| match r {
            PermRow::Service {
                prefix,
                gained,
                expanded: false,
                ..
            } if *gained > 0 => Some(prefix.as_str()),
            _ => None,
        })
        .collect();
    let gained_in_all: usize = rows
        .iter()
        .filter_map(|r| match r {
            PermRow::Service { gained, .. } => Some(*gained),
            _ => None,
        })
        .sum();
    assert!(gained_in_all > 1000, "the session gains {gained_in_all}");
    assert!(
        (1..=400).contains(&gained_rows),
        "{gained_rows} gained actions shown"
    );
    assert!(
        !closed_with_gains.is_empty(),
        "later services stay closed with their counts"
    );
    // The first change is selected, so `w` and Enter work on it at once.
    assert!(matches!(
        rows.get(app.panes.perm_selected),
        Some(PermRow::Action {
            change: Change::Gained,
            ..
        })
    ));
}
