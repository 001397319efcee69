//! The UI opens an iam-collect store (tests/fixtures/iam-collect/org-store)
//! as it opens authorization-details files: the same workspace, the same
//! screens; snapshots at 80×24 with a fixed clock.

use std::path::Path;
use std::sync::Arc;

use iamscope::tui::selection::Tab;
use iamscope::tui::theme::Theme;
use iamscope::tui::{update, Action, App};
use iamscope::workspace::caveats::ProblemReport;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// 2026-01-01T09:40:00Z.
const NOW: i64 = 1_767_260_400;

fn app() -> App {
    let store = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/iam-collect/org-store");
    let loaded = iamscope::workspace::load_path(&store).expect("the store opens");
    let problems = Arc::new(ProblemReport::new(&loaded, Vec::new()));
    App::new(Arc::new(loaded.workspace), NOW, Theme::new(false)).with_problems(problems)
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    update(app, Action::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| iamscope::tui::ui::render(app, frame))
        .expect("draw");
    terminal.backend().to_string()
}

#[test]
fn the_store_opens_in_the_ui() {
    let mut app = app();
    let first = screen(&mut app, 80, 24);
    assert!(first.contains("org-store"), "{first}");
    insta::assert_snapshot!("collect_store_opens", first);
    update(
        &mut app,
        Action::Select {
            tab: Tab::Users,
            name: "dev-alice".to_string(),
        },
    );
    assert_eq!(app.selected_name(), Some("dev-alice"));
    let alice = screen(&mut app, 80, 24);
    assert!(alice.contains("dev-alice"), "{alice}");
    insta::assert_snapshot!("collect_store_dev_alice", alice);
}
