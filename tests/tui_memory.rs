//! The UI left running: its memory stays flat. In a test binary of its own,
//! so that the resident size it measures is this test's alone (other tests
//! running beside it on other threads made it flaky).

use std::sync::Arc;

use iamscope::tui::app::Tab;
use iamscope::tui::theme::Theme;
use iamscope::tui::{handle, update, Action, App, Msg};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// 2026-01-01T09:40:00Z.
const NOW: i64 = 1_767_260_400;

fn app() -> App {
    App::new(
        Arc::new(iamscope::bundled::workshop::load().workspace),
        NOW,
        Theme::new(false),
    )
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            c => KeyCode::Char(c),
        };
        handle(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }
}

fn tick(app: &mut App, ms: i64) {
    handle(app, Msg::Tick(ms));
}

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

/// Left running at 600x through many sessions, the UI keeps its memory flat:
/// the event log and the session events are bounded, and the resident size
/// does not grow with the number of sessions.
#[test]
fn a_long_run_keeps_memory_flat() {
    fn resident_kib() -> Option<u64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }
    let mut app = app();
    select_user(&mut app, "carol");
    press(&mut app, "+++");
    let cycle = |app: &mut App| {
        press(app, "s\n");
        assert_eq!(app.session.stack.chain_label(), "carol → EC2Terminator");
        // One hour at 600x is six real seconds.
        tick(app, 6_500);
        assert_eq!(app.session.stack.chain_label(), "carol");
    };
    for _ in 0..300 {
        cycle(&mut app);
    }
    let warm = resident_kib();
    for _ in 0..1_500 {
        cycle(&mut app);
    }
    assert!(app.timeline.log.len() <= iamscope::tui::app::LOG_KEPT);
    assert!(app.session.stack.events().len() <= iamscope::sts::session::EVENTS_KEPT);
    if let (Some(warm), Some(end)) = (warm, resident_kib()) {
        assert!(
            end < warm + 8 * 1024,
            "resident memory grew from {warm} KiB to {end} KiB over 1,500 sessions"
        );
    }
}
