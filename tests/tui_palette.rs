//! The command palette (`:`) and the help's search (`/` in `?`): driven by
//! keys, with snapshots at 80×24 and 120×40 without colour (NO_COLOR).

use std::sync::Arc;

use iamscope::tui::overlay::Overlay;
use iamscope::tui::selection::Tab;
use iamscope::tui::theme::Theme;
use iamscope::tui::{update, Action, App};

mod tui_common;
use tui_common::{press, screen};

/// 2026-01-01T09:40:00Z.
const NOW: i64 = 1_767_260_400;

fn app() -> App {
    let workspace = Arc::new(iamscope::bundled::workshop::load().workspace);
    App::new(workspace, NOW, Theme::new(false)).with_tours(iamscope::tour::workshop_tours())
}

/// The first match's kind and label.
fn first(app: &App) -> Option<(String, String)> {
    match &app.overlay {
        Some(Overlay::Palette(p)) => p
            .selected_entry()
            .map(|e| (e.kind.word().to_string(), e.label.clone())),
        _ => None,
    }
}

#[test]
fn the_palette_at_80x24_and_120x40() {
    let mut a = app();
    press(&mut a, ":ec2term");
    insta::assert_snapshot!("palette_ec2term_80x24", screen(&mut a, 80, 24));
    insta::assert_snapshot!("palette_ec2term_120x40", screen(&mut a, 120, 40));
}

#[test]
fn enter_selects_a_user_or_a_role_letters_being_text() {
    let mut a = app();
    // `q` and `s` are text here, not quit and switch role.
    let effects = press(&mut a, ":qs");
    assert!(effects.is_empty() && !a.quit);
    press(&mut a, "\u{8}\u{8}carol\n");
    assert_eq!(
        (a.browser.tab, a.selected_name()),
        (Tab::Users, Some("carol"))
    );
    assert!(a.overlay.is_none());
    press(&mut a, ":ec2term");
    assert_eq!(first(&a), Some(("role".into(), "EC2Terminator".into())));
    press(&mut a, "\n");
    assert_eq!(
        (a.browser.tab, a.selected_name()),
        (Tab::Roles, Some("EC2Terminator"))
    );
}

#[test]
fn an_action_opens_its_why_for_the_acting_identity() {
    let mut a = app();
    press(&mut a, ":s3:GetObject");
    assert_eq!(first(&a), Some(("action".into(), "s3:GetObject".into())));
    press(&mut a, "\n");
    let Some(Overlay::Why(why)) = &a.overlay else {
        panic!("no why view: {:?}", a.overlay.is_some())
    };
    assert_eq!(why.decision.action, "s3:GetObject");
    assert_eq!(why.decision.resource, "*");
    assert!(why.decision.principal.ends_with("user/alice"));
}

#[test]
fn a_policy_and_a_resource_open_in_the_viewer() {
    let mut a = app();
    press(&mut a, ":DevelopersDaily");
    assert_eq!(first(&a), Some(("policy".into(), "DevelopersDaily".into())));
    press(&mut a, "\n");
    let Some(Overlay::Policy(view)) = &a.overlay else {
        panic!("no policy view")
    };
    assert!(view.title.starts_with("DevelopersDaily"), "{}", view.title);
    press(&mut a, "\u{1b}:prod-app-artifacts");
    assert_eq!(
        first(&a),
        Some(("resource".into(), "arn:aws:s3:::prod-app-artifacts".into()))
    );
    press(&mut a, "\n");
    let Some(Overlay::Policy(view)) = &a.overlay else {
        panic!("no resource policy view")
    };
    assert!(view.json.contains("ProdDeploy"), "{}", view.json);
    // A resource the workspace only knows the owner of: who owns it, and
    // how to ask about it.
    press(&mut a, "\u{1b}:dev-shared-data\n");
    let Some(Overlay::Message { title, text, .. }) = &a.overlay else {
        panic!("no message")
    };
    assert_eq!(title, "arn:aws:s3:::dev-shared-data");
    assert!(text.starts_with("Owned by dev 111111111111."), "{text}");
}

#[test]
fn nothing_matching_says_so_and_esc_closes() {
    let mut a = app();
    press(&mut a, ":zzzzqqqq");
    let text = screen(&mut a, 80, 24);
    assert!(text.contains("Go to: 0 matches"), "{text}");
    assert!(text.contains("nothing matches"), "{text}");
    press(&mut a, "\n");
    assert!(matches!(a.overlay, Some(Overlay::Palette(_))));
    press(&mut a, "\u{1b}");
    assert!(a.overlay.is_none());
}

#[test]
fn during_a_tour_the_tours_keys_are_text_in_the_palette() {
    let mut a = app();
    update(
        &mut a,
        Action::Tour(iamscope::tui::action::TourAction::Choose),
    );
    press(&mut a, "\n");
    let step = a.tour.as_ref().map(|t| t.done);
    press(&mut a, ":n");
    assert_eq!(a.tour.as_ref().map(|t| t.done), step);
    let Some(Overlay::Palette(p)) = &a.overlay else {
        panic!("no palette")
    };
    assert_eq!(p.query, "n");
}

#[test]
fn the_help_is_searched_with_slash_keys_and_marks_alike() {
    let mut a = app();
    press(&mut a, "?/mfa");
    insta::assert_snapshot!("help_search_mfa_80x24", screen(&mut a, 80, 24));
    insta::assert_snapshot!("help_search_mfa_120x40", screen(&mut a, 120, 40));
    let text = screen(&mut a, 120, 40);
    assert!(text.contains("F2"), "{text}");
    assert!(!text.contains("switch role"), "{text}");
    // A mark of the legend: its meaning.
    press(&mut a, "\u{8}\u{8}\u{8}⏱");
    let text = screen(&mut a, 120, 40);
    assert!(text.contains("What the marks mean"), "{text}");
    assert!(text.contains("the simulated clock"), "{text}");
    assert!(!text.contains("Main screen"), "{text}");
    // Enter keeps the search (j scrolls, letters are keys again); Esc then
    // closes; Esc while typing goes back to the whole help.
    press(&mut a, "\n");
    assert!(matches!(a.overlay, Some(Overlay::HelpSearch(ref s)) if !s.typing));
    press(&mut a, "/\u{1b}");
    assert!(matches!(a.overlay, Some(Overlay::Help(0))));
    press(&mut a, "/zzzz");
    assert!(screen(&mut a, 80, 24).contains("no key or mark mentions it"));
    press(&mut a, "\n\u{1b}");
    assert!(a.overlay.is_none());
}
