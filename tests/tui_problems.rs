//! The UI on a workspace with problems: the header counts them, `!` lists
//! them and goes to what each sits in, the lists and the detail pane mark
//! what they touch, and `w` shows the caveats of its answer.

use std::sync::Arc;

use iamscope::tui::app::Tab;
use iamscope::tui::overlay::Overlay;
use iamscope::tui::theme::Theme;
use iamscope::tui::{handle, update, Action, App, Msg};
use iamscope::workspace::caveats::ProblemReport;
use iamscope::workspace::subjects::Subject;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;

/// 2026-01-01T09:40:00Z.
const NOW: i64 = 1_767_260_400;

fn messy() -> App {
    let loaded = iamscope::workspace::load_path(std::path::Path::new("tests/fixtures/messy"))
        .expect("the messy fixture loads");
    let problems = Arc::new(ProblemReport::new(&loaded, Vec::new()));
    App::new(Arc::new(loaded.workspace), NOW, Theme::new(false)).with_problems(problems)
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\u{1b}' => KeyCode::Esc,
            '\t' => KeyCode::Tab,
            c => KeyCode::Char(c),
        };
        handle(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    update(app, Action::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| iamscope::tui::ui::render(app, frame))
        .expect("draw");
    let buffer = terminal.backend().buffer().clone();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The problems list's rows, in order.
fn rows(app: &App) -> Vec<(bool, Subject)> {
    match &app.overlay {
        Some(Overlay::Problems(view)) => view
            .rows
            .iter()
            .map(|r| (r.error, r.subject.clone()))
            .collect(),
        other => panic!("the problems list is not open: {other:?}"),
    }
}

#[test]
fn the_header_counts_the_problems_and_the_lists_mark_what_they_touch() {
    let mut app = messy();
    let text = screen(&mut app, 120, 40);
    assert!(
        text.contains("3 errors 10 warnings (! lists them)"),
        "{text}"
    );
    // ana's own policy has an action that cannot be one: an error mark.
    let ana = text
        .lines()
        .find(|l| l.contains("▶ ✗ ana"))
        .unwrap_or_default();
    assert!(ana.contains("▶ ✗ ana"), "{ana}");
    assert!(
        text.contains("Problems    ✗ 2 errors, ! 2 warnings"),
        "{text}"
    );
    insta::assert_snapshot!("messy_users_120x40", text);
    insta::assert_snapshot!("messy_users_80x24", screen(&mut app, 80, 24));
}

#[test]
fn bang_lists_the_problems_errors_first_and_enter_goes_to_what_one_sits_in() {
    let mut app = messy();
    press(&mut app, "!");
    let listed = rows(&app);
    assert_eq!(listed.len(), 7, "repeats once: {listed:#?}");
    let errors = listed.iter().take_while(|(error, _)| *error).count();
    assert_eq!(errors, 3, "errors first: {listed:#?}");
    assert!(listed[errors..].iter().all(|(error, _)| !error));
    insta::assert_snapshot!("problems_80x24", screen(&mut app, 80, 24));
    insta::assert_snapshot!("problems_120x40", screen(&mut app, 120, 40));
    // The first error is in ana's inline policy: Enter selects ana.
    assert_eq!(
        listed[0].1,
        Subject::User {
            account: "444455556666".into(),
            name: "ana".into()
        }
    );
    press(&mut app, "\n");
    assert!(app.overlay.is_none());
    assert_eq!(app.browser.tab, Tab::Users);
    assert_eq!(app.selected_name(), Some("ana"));
    // The second is in the managed policy ReadOnlyReports: Enter selects a
    // group it is attached to and opens the policy.
    press(&mut app, "!j\n");
    assert_eq!(app.browser.tab, Tab::Groups);
    assert_eq!(app.selected_name(), Some("readers"));
    match &app.overlay {
        Some(Overlay::Policy(view)) => {
            assert!(view.title.contains("ReadOnlyReports"), "{}", view.title)
        }
        other => panic!("the policy is open: {other:?}"),
    }
    // The bucket statement without Principal sits in a resource policy:
    // nothing to select, and the footer says so.
    press(&mut app, "\u{1b}!jj\n");
    assert!(app.overlay.is_none());
    let text = screen(&mut app, 120, 40);
    assert!(
        text.contains("this problem is in resource policy of arn:aws:s3:::ana-reports"),
        "{text}"
    );
}

#[test]
fn why_shows_the_caveats_of_its_answer() {
    let mut app = messy();
    update(
        &mut app,
        Action::Select {
            tab: Tab::Users,
            name: "ana".into(),
        },
    );
    update(
        &mut app,
        Action::Explain {
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::ana-reports/q1.csv".into(),
            who: iamscope::tui::action::Who::Selection,
        },
    );
    let Some(Overlay::Why(why)) = &app.overlay else {
        panic!("the why view is open")
    };
    let messages: Vec<&str> = why.caveats.iter().map(|c| c.message.as_str()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("\"s3:GetObject,PutObject\" has characters")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("this kind of policy needs a Principal")),
        "the bucket's policy took part: {messages:#?}"
    );
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Caveats: "), "{text}");
}

#[test]
fn a_clean_workspace_offers_no_problems_key() {
    let mut app = App::new(
        Arc::new(iamscope::bundled::workshop::load().workspace),
        NOW,
        Theme::new(false),
    );
    let text = screen(&mut app, 120, 34);
    assert!(!text.contains("! problems"), "{text}");
    press(&mut app, "!");
    assert!(app.overlay.is_none());
}
