//! For a room: presenter mode (`P`, `--present`), the themes (`T`,
//! `--theme`) and where the chosen theme is remembered. Driven by keys and
//! actions; snapshots at 80×24 and 120×40 without colour (as under
//! NO_COLOR), and the buffer's colours checked under each theme.

use std::sync::Arc;

use iamscope::policy::RequestContext;
use iamscope::tui::app::Pane;
use iamscope::tui::run::{start, Options};
use iamscope::tui::settings::Settings;
use iamscope::tui::theme::{Palette, Theme};
use iamscope::tui::{handle, update, Action, App, Effect, Msg};
use iamscope::workspace::caveats::ProblemReport;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyModifiers;
use ratatui::style::Color;
use ratatui::Terminal;

mod tui_common;
use tui_common::{press, screen};

/// 2026-01-01T09:40:00Z.
const NOW: i64 = 1_767_260_400;

fn workshop() -> Arc<iamscope::model::Workspace> {
    Arc::new(iamscope::bundled::workshop::load().workspace)
}

fn app_with(theme: Theme) -> App {
    App::new(workshop(), NOW, theme).with_tours(iamscope::tour::workshop_tours())
}

fn app() -> App {
    app_with(Theme::new(false))
}

fn buffer(app: &mut App, width: u16, height: u16) -> Buffer {
    update(app, Action::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| iamscope::tui::ui::render(app, frame))
        .expect("draw");
    terminal.backend().buffer().clone()
}

fn select_user(app: &mut App, name: &str) {
    update(
        app,
        Action::Select {
            tab: iamscope::tui::selection::Tab::Users,
            name: name.to_string(),
        },
    );
}

fn mfa_and_ip() -> RequestContext {
    let mut context = RequestContext::new();
    context.push("aws:MultiFactorAuthPresent", "true");
    context.push("aws:SourceIp", "203.0.113.7");
    context
}

/// carol in her EC2Terminator session, MFA on, in presenter mode with the
/// permissions pane zoomed: what the room sees after the switch of role.
fn carol_presenting(theme: Theme) -> App {
    let mut app = app_with(theme);
    select_user(&mut app, "carol");
    update(&mut app, Action::SetContext(mfa_and_ip()));
    press(&mut app, "s\n");
    press(&mut app, "P");
    app
}

#[test]
fn presenter_mode_at_80x24_and_120x40() {
    let mut app = carol_presenting(Theme::new(false));
    assert_eq!(app.browser.focus, Pane::Permissions);
    insta::assert_snapshot!("presenter_session_80x24", screen(&mut app, 80, 24));
    insta::assert_snapshot!("presenter_session_120x40", screen(&mut app, 120, 40));
}

#[test]
fn the_header_keeps_the_countdown_and_shows_the_context_when_it_has_room() {
    let mut app = carol_presenting(Theme::new(false));
    let wide = screen(&mut app, 120, 40);
    let header = wide.lines().next().unwrap_or_default();
    assert!(header.contains("MFA on · IP 203.0.113.7"), "{header}");
    assert!(header.contains("1:00:00 left"), "{header}");
    let narrow = screen(&mut app, 80, 24);
    let header = narrow.lines().next().unwrap_or_default();
    for part in ["carol → EC2Terminator", "1:00:00 left", "×1"] {
        assert!(header.contains(part), "{part} missing at 80: {header}");
    }
    // Without presenter mode the header is as it was.
    press(&mut app, "P");
    let header = screen(&mut app, 120, 40);
    assert!(!header.lines().next().unwrap_or_default().contains("MFA on"));
}

#[test]
fn tab_moves_the_zoom_and_p_leaves_presenter_mode() {
    let mut app = app();
    let normal = screen(&mut app, 80, 24);
    assert!(normal.contains("┌ Users") && normal.contains("┌ Permissions"));
    press(&mut app, "P");
    let zoomed = screen(&mut app, 80, 24);
    assert!(zoomed.contains("┌ Users"), "{zoomed}");
    assert!(!zoomed.contains("┌ Permissions"), "{zoomed}");
    assert!(zoomed.contains("presenter (P)"), "{zoomed}");
    press(&mut app, "\t");
    let detail = screen(&mut app, 80, 24);
    assert!(!detail.contains("┌ Users") && !detail.contains("┌ Permissions"));
    assert!(detail.contains("Groups      Developers"), "{detail}");
    press(&mut app, "\t\t");
    let events = screen(&mut app, 80, 24);
    assert!(events.contains("┌ Events"), "{events}");
    assert!(!events.contains("┌ User"), "{events}");
    // The event log has the main row's room: more lines than at rest.
    let rows = |s: &str| {
        s.lines()
            .skip_while(|l| !l.contains("┌ Events"))
            .skip(1)
            .take_while(|l| !l.starts_with("\"└"))
            .count()
    };
    assert_eq!((rows(&normal), rows(&events)), (2, 19), "{events}");
    press(&mut app, "P");
    let back = screen(&mut app, 80, 24);
    assert!(
        back.contains("┌ Users") && back.contains("┌ Permissions"),
        "{back}"
    );
    assert!(!back.contains("presenter (P)"), "{back}");
}

#[test]
fn a_click_lands_on_the_zoomed_pane() {
    let mut app = app();
    press(&mut app, "P");
    update(&mut app, Action::Resize(80, 24));
    update(&mut app, Action::ToggleMouse);
    // Row 5 of the screen is the fourth user in the zoomed list (header,
    // tabs, border, then alice, bob, carol, dave).
    handle(
        &mut app,
        Msg::Mouse(ratatui::crossterm::event::MouseEvent {
            kind: ratatui::crossterm::event::MouseEventKind::Down(
                ratatui::crossterm::event::MouseButton::Left,
            ),
            column: 60,
            row: 5,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert_eq!(app.selected_name(), Some("carol"));
}

#[test]
fn t_cycles_the_themes_and_asks_the_loop_to_remember_each() {
    let mut app = app_with(Theme::new(true));
    let mut seen = Vec::new();
    for _ in 0..3 {
        let effects = press(&mut app, "T");
        seen.push(app.theme.palette);
        assert_eq!(
            effects,
            vec![Effect::SaveSettings(Settings {
                theme: Some(app.theme.palette)
            })]
        );
    }
    assert_eq!(
        seen,
        vec![Palette::HighContrast, Palette::Light, Palette::Default]
    );
}

/// No cell of any screen a trainer shows uses ANSI 8 grey under the
/// projector themes (the issue: "no ANSI 8 grey for meaning").
#[test]
fn the_projector_themes_draw_nothing_grey() {
    for palette in [Palette::HighContrast, Palette::Light] {
        let mut app = carol_presenting(Theme::new(true).with_palette(palette));
        let mut screens = vec![buffer(&mut app, 80, 24), buffer(&mut app, 120, 40)];
        press(&mut app, "P");
        screens.push(buffer(&mut app, 120, 40));
        press(&mut app, "w");
        screens.push(buffer(&mut app, 120, 40));
        press(&mut app, "\u{1b}?");
        screens.push(buffer(&mut app, 120, 40));
        for buffer in screens {
            for cell in buffer.content() {
                assert!(
                    !matches!(cell.fg, Color::DarkGray | Color::Gray)
                        && !matches!(cell.bg, Color::DarkGray | Color::Gray),
                    "{palette:?}: {cell:?}"
                );
            }
        }
    }
    // The default theme does use it (the test can fail).
    let mut app = carol_presenting(Theme::new(true));
    let grey = buffer(&mut app, 120, 40)
        .content()
        .iter()
        .any(|c| c.fg == Color::DarkGray);
    assert!(grey);
}

#[test]
fn the_light_theme_at_80x24_without_colour_reads_the_same() {
    // NO_COLOR: a theme changes colours only, so the text is the same.
    let mut light = carol_presenting(Theme::new(false).with_palette(Palette::Light));
    let mut plain = carol_presenting(Theme::new(false));
    assert_eq!(screen(&mut light, 80, 24), screen(&mut plain, 80, 24));
}

fn started(options: &Options) -> App {
    let loaded = iamscope::bundled::workshop::load();
    let problems = Arc::new(ProblemReport::new(&loaded, Vec::new()));
    start(Arc::new(loaded.workspace), problems, NOW, options)
}

#[test]
fn the_ui_starts_presenting_with_its_theme_and_logs_a_bad_config_file() {
    let options = Options {
        present: true,
        palette: Palette::Light,
        warnings: vec!["config file: /x/config.json: not a settings file (expected value at line 1 column 1); using the defaults".to_string()],
        ..Options::default()
    };
    let mut app = started(&options);
    assert!(app.presenter);
    assert_eq!(app.theme.palette, Palette::Light);
    let text = screen(&mut app, 120, 40);
    assert!(
        text.contains("warning: config file: /x/config.json: not a settings file"),
        "{text}"
    );
    let plain = started(&Options::default());
    assert!(!plain.presenter);
}
