//! `e` exports what is on screen (the why view, a comparison, else the
//! permissions pane) as Markdown or CSV to a file the user names, and `y`
//! copies the why view or the comparison as Markdown: driven by keys, the
//! text checked in the effect the event loop is asked to carry out.

use std::sync::Arc;

use iamscope::tui::overlay::Overlay;
use iamscope::tui::theme::Theme;
use iamscope::tui::views::permissions::PermRow;
use iamscope::tui::{update, Action, App, Effect};
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use ratatui::Terminal;

mod tui_common;
use tui_common::{press, screen};

/// 2026-01-01T09:40:00Z.
const NOW: i64 = 1_767_260_400;

fn app_with(theme: Theme) -> App {
    let workspace = Arc::new(iamscope::bundled::workshop::load().workspace);
    App::new(workspace, NOW, theme)
}

/// Without colour (NO_COLOR).
fn app() -> App {
    app_with(Theme::new(false))
}

fn buffer(app: &mut App, width: u16, height: u16) -> ratatui::buffer::Buffer {
    update(app, Action::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| iamscope::tui::ui::render(app, frame))
        .expect("draw");
    terminal.backend().buffer().clone()
}

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

/// Types `name` in the open export form and presses Enter: the file the
/// loop is asked to write and its text.
fn export_to(app: &mut App, name: &str) -> (String, String, String) {
    let effects = press(app, &format!("{name}\n"));
    let [Effect::Export { path, text, what }] = effects.as_slice() else {
        panic!("no export asked: {effects:?}")
    };
    (path.clone(), text.clone(), what.clone())
}

/// The why of the first allowed action of the first user.
fn why_open() -> App {
    let mut a = app();
    press(&mut a, "\n\n");
    down_until(&mut a, |a| {
        matches!(
            a.panes.perm_rows.get(a.panes.perm_selected),
            Some(PermRow::Action { .. })
        )
    });
    press(&mut a, "w");
    assert!(matches!(a.overlay, Some(Overlay::Why(_))));
    a
}

/// alice marked, bob compared with her.
fn comparison_open() -> App {
    let mut a = app();
    user(&mut a, "alice");
    press(&mut a, "v");
    user(&mut a, "bob");
    press(&mut a, "V");
    assert!(matches!(a.overlay, Some(Overlay::Comparison { .. })));
    a
}

/// The rows of a Markdown table after its header and rule.
fn md_rows(text: &str) -> Vec<&str> {
    let table: Vec<&str> = text.lines().filter(|l| l.starts_with("| ")).collect();
    table.into_iter().skip(2).collect()
}

#[test]
fn e_exports_the_permissions_pane_as_markdown_or_csv() {
    let mut a = app();
    user(&mut a, "carol");
    let actions = a.session.stack.permissions().actions.clone();
    assert!(!actions.is_empty());
    press(&mut a, "e");
    assert!(matches!(a.overlay, Some(Overlay::Export(_))));
    let (path, md, what) = export_to(&mut a, "~/carol.md");
    assert_eq!(path, "~/carol.md");
    assert_eq!(what, "the permissions of carol");
    assert!(a.overlay.is_none(), "the main screen comes back");
    assert!(
        md.starts_with("# Permissions of carol\n\narn:aws:iam::111111111111:user/carol: "),
        "{md}"
    );
    assert!(
        md.contains(
            "\n| service | access level | action | resources |\n| --- | --- | --- | --- |\n"
        ),
        "{md}"
    );
    // Every allowed action once, folded services too, and no diff column.
    let rows = md_rows(&md);
    assert_eq!(rows.len(), actions.len(), "{md}");
    for action in &actions {
        let resources = action.resources().join(", ");
        let row = format!(
            "| {} | {} | {} | {} |",
            action.service, action.access, action.action, resources
        );
        assert!(rows.contains(&row.as_str()), "{row} missing:\n{md}");
    }
    press(&mut a, "e");
    let (_, csv, _) = export_to(&mut a, "/tmp/carol.CSV");
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines[0], "service,access level,action,resources");
    // The header, one record an action, and the empty rest after the last CRLF.
    assert_eq!(lines.len(), actions.len() + 2, "{csv}");
    assert_eq!(lines.last(), Some(&""));
}

#[test]
fn a_session_adds_the_diff_column_with_its_gains() {
    let mut a = app();
    user(&mut a, "carol");
    press(&mut a, "s\n");
    assert!(a.in_session(), "carol assumed a role");
    press(&mut a, "e");
    let (_, md, _) = export_to(&mut a, "~/session.md");
    assert!(
        md.contains("| service | access level | action | resources | +/- |"),
        "{md}"
    );
    let rows = md_rows(&md);
    assert!(rows.iter().any(|r| r.ends_with("| + |")), "{md}");
    press(&mut a, "e");
    let (_, csv, _) = export_to(&mut a, "~/session.csv");
    assert!(csv.starts_with("service,access level,action,resources,+/-\r\n"));
    assert!(csv.contains(",+\r\n"), "{csv}");
}

#[test]
fn e_exports_the_why_view_and_comes_back_to_it() {
    let mut a = why_open();
    let Some(Overlay::Why(view)) = &a.overlay else {
        panic!("the why view")
    };
    let decision = view.decision.clone();
    press(&mut a, "e");
    let (_, md, what) = export_to(&mut a, "~/why.md");
    assert!(what.contains(&decision.action), "{what}");
    assert!(
        matches!(a.overlay, Some(Overlay::Why(_))),
        "back to the why"
    );
    assert!(
        md.contains(&format!(
            "May {} do {} on {}?",
            decision.principal, decision.action, decision.resource
        )),
        "{md}"
    );
    assert!(md.contains("Verdict: allowed."), "{md}");
    assert!(
        md.contains("| layer | verdict | note | policy | statement | effect, action, resource |"),
        "{md}"
    );
    // One row a layer, or one a deciding statement of it.
    let rows = md_rows(&md);
    let expected: usize = decision.layers.iter().map(|l| l.matches.len().max(1)).sum();
    assert_eq!(rows.len(), expected, "{md}");
    assert!(
        rows.iter()
            .any(|r| r.starts_with("| Identity policies | allows |")),
        "{md}"
    );
    press(&mut a, "e");
    let (_, csv, _) = export_to(&mut a, "~/why.csv");
    assert!(csv.starts_with("layer,verdict,note,policy,statement,\"effect, action, resource\"\r\n"));
    assert_eq!(csv.matches("\r\n").count(), expected + 1, "{csv}");
}

#[test]
fn e_exports_the_comparison() {
    let mut a = comparison_open();
    press(&mut a, "e");
    let (_, md, what) = export_to(&mut a, "~/compare.md");
    assert_eq!(what, "the comparison alice → bob");
    assert!(matches!(a.overlay, Some(Overlay::Comparison { .. })));
    assert!(md.starts_with("# alice → bob\n"), "{md}");
    assert!(
        md.contains("| service | +/- | action | resources |"),
        "{md}"
    );
    let rows = md_rows(&md);
    assert!(!rows.is_empty(), "{md}");
    assert!(
        rows.iter()
            .all(|r| r.contains(" | + | ") || r.contains(" | - | ")),
        "{md}"
    );
    press(&mut a, "e");
    let (_, csv, _) = export_to(&mut a, "~/compare.csv");
    assert!(csv.starts_with("service,+/-,action,resources\r\n"), "{csv}");
    assert_eq!(csv.matches("\r\n").count(), rows.len() + 1, "{csv}");
}

/// `y` in the why view copied the principal's ARN before; it copies the
/// view as Markdown now, the same text `e` writes.
#[test]
fn y_copies_the_why_view_and_the_comparison_as_markdown() {
    let mut a = why_open();
    let effects = press(&mut a, "y");
    let [Effect::Copy(copied)] = effects.as_slice() else {
        panic!("nothing copied: {effects:?}")
    };
    press(&mut a, "e");
    let (_, md, _) = export_to(&mut a, "~/why.md");
    assert_eq!(copied, &md);
    let mut a = comparison_open();
    let effects = press(&mut a, "y");
    let [Effect::Copy(copied)] = effects.as_slice() else {
        panic!("nothing copied: {effects:?}")
    };
    press(&mut a, "e");
    let (_, md, _) = export_to(&mut a, "~/c.md");
    assert_eq!(copied, &md);
}

#[test]
fn the_export_form_asks_for_a_name_and_esc_goes_back() {
    let mut a = why_open();
    press(&mut a, "e");
    // Letters are text: q does not quit.
    let effects = press(&mut a, "\n");
    assert!(effects.is_empty());
    assert!(screen(&mut a, 80, 24).contains("type a file name"));
    press(&mut a, "q\u{1b}");
    assert!(!a.quit);
    assert!(
        matches!(a.overlay, Some(Overlay::Why(_))),
        "Esc: the why again"
    );
    let mut a = app();
    press(&mut a, "e\u{1b}");
    assert!(a.overlay.is_none());
}

#[test]
fn the_export_form_at_80x24_and_120x40_without_colour() {
    let mut a = app();
    user(&mut a, "carol");
    press(&mut a, "e~/carol-permissions.csv");
    insta::assert_snapshot!("export_form_80x24", screen(&mut a, 80, 24));
    insta::assert_snapshot!("export_form_120x40", screen(&mut a, 120, 40));
    let mut w = why_open();
    press(&mut w, "e");
    insta::assert_snapshot!("export_form_over_why_80x24", screen(&mut w, 80, 24));
    // NO_COLOR: no cell coloured; in colour, the same text.
    assert!(buffer(&mut a, 80, 24)
        .content()
        .iter()
        .all(|c| c.fg == Color::Reset && c.bg == Color::Reset));
    let mut coloured = app_with(Theme::new(true));
    user(&mut coloured, "carol");
    press(&mut coloured, "e~/carol-permissions.csv");
    assert_eq!(screen(&mut coloured, 80, 24), screen(&mut a, 80, 24));
    assert!(buffer(&mut coloured, 80, 24)
        .content()
        .iter()
        .any(|c| c.fg != Color::Reset));
}
