//! The screen shown instead of the UI when the workspace cannot be opened
//! at all, on ratatui's TestBackend: the text at three sizes and a tiny one,
//! hostile file names, scrolling, the keys that quit, NO_COLOR.

use iamscope::tui::error_screen::{self, ErrorScreen};
use iamscope::tui::theme::Theme;
use iamscope::tui::{Effect, Msg};
use iamscope::workspace::{LoadError, Source};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;

fn error_screen(reason: String, path: &str, problems: Vec<String>) -> ErrorScreen {
    ErrorScreen::new(path.to_string(), reason, problems, Theme::new(false))
}

fn error_terminal(screen: &mut ErrorScreen, width: u16, height: u16) -> Terminal<TestBackend> {
    error_screen::update(screen, Msg::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| iamscope::tui::ui::error_screen::render(screen, frame))
        .expect("draw");
    terminal
}

fn error_text(screen: &mut ErrorScreen, width: u16, height: u16) -> String {
    error_terminal(screen, width, height).backend().to_string()
}

fn error_key(screen: &mut ErrorScreen, code: KeyCode, modifiers: KeyModifiers) -> Option<Effect> {
    error_screen::update(screen, Msg::Key(KeyEvent::new(code, modifiers)))
}

/// The message the loader gives for an empty folder, on the screen at the
/// three sizes: wrapped, with the hints, the footer from the keymap.
#[test]
fn the_error_screen_for_an_empty_folder() {
    let reason = LoadError::NoJsonFiles {
        path: "accounts/empty".into(),
        hint: String::new(),
    }
    .to_string();
    let mut screen = error_screen(reason, "accounts/empty", Vec::new());
    let text = error_text(&mut screen, 120, 34);
    for expected in [
        "iamscope cannot open this workspace",
        "accounts/empty: the folder holds no .json file",
        "iamscope validate accounts/empty",
        "opens the bundled workshop sample",
        "README.md, section \"Workspaces\"",
        "q/Esc/Enter quit",
    ] {
        assert!(text.contains(expected), "{expected:?} missing:\n{text}");
    }
    insta::assert_snapshot!("error_screen_120x34", text);
    insta::assert_snapshot!("error_screen_80x24", error_text(&mut screen, 80, 24));
    let small = error_text(&mut screen, 40, 10);
    assert!(small.contains("lines 1–"), "says there is more:\n{small}");
    insta::assert_snapshot!("error_screen_40x10", small);
    insta::assert_snapshot!("error_screen_too_small", error_text(&mut screen, 24, 6));
}

/// A file name with ESC, OSC, BEL and a right-to-left override: shown as
/// visible escapes everywhere it appears (path, message, the validate hint).
#[test]
fn the_error_screen_escapes_a_hostile_file_name() {
    let name = "evil\u{1b}[2J\u{1b}]0;pwned\u{7}\u{202e}nosj.json";
    let reason = LoadError::TooLarge {
        path: name.into(),
        size: 3 * 1024 * 1024,
        limit: 1024 * 1024,
    }
    .to_string();
    let problems = vec![format!("{name}:1:1: error: not a workspace file")];
    let mut screen = error_screen(reason, name, problems);
    for (width, height) in [(120, 34), (80, 24), (40, 10)] {
        let text = error_text(&mut screen, width, height);
        assert!(
            !text.contains(['\u{1b}', '\u{7}', '\u{202e}']),
            "a raw control or bidi character at {width}×{height}:\n{text}"
        );
    }
    let text = error_text(&mut screen, 120, 34);
    assert!(
        text.contains(r"evil\u{1b}[2J\u{1b}]0;pwned\u{7}\u{202e}nosj.json: the file is 3.0 MiB"),
        "{text}"
    );
    assert!(
        text.contains(r"iamscope validate 'evil\u{1b}[2J\u{1b}]0;pwned\u{7}\u{202e}nosj.json'"),
        "{text}"
    );
    insta::assert_snapshot!(
        "error_screen_hostile_80x24",
        error_text(&mut screen, 80, 24)
    );
}

/// Files that are not workspace files: every problem listed with its file,
/// line and column; the text scrolls with j/k, PgUp/PgDn, g/G, no further
/// than its end; q, Esc, Enter and Ctrl-C quit, other keys do not.
#[test]
fn the_error_screen_lists_the_problems_and_scrolls() {
    let mut sources = vec![Source {
        name: "list.json".to_string(),
        bytes: b"[1, 2]".to_vec(),
    }];
    sources.extend((1..=11).map(|n| Source {
        name: format!("package{n:02}.json"),
        bytes: br#"{"name": "my-app", "version": "1.0.0"}"#.to_vec(),
    }));
    let loaded = iamscope::workspace::load_sources("unrelated", sources);
    assert!(loaded.workspace.accounts.is_empty());
    let problems: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
    assert_eq!(problems.len(), 12);
    let mut screen = error_screen(
        "unrelated: no account could be read (12 errors)".to_string(),
        "unrelated",
        problems,
    );
    let text = error_text(&mut screen, 80, 24);
    assert!(text.contains("Problems (12)"), "{text}");
    assert!(
        text.contains("• list.json:1:1: error: not a workspace file: it holds an array"),
        "{text}"
    );
    assert!(text.contains("lines 1–21 of"), "{text}");

    error_key(&mut screen, KeyCode::Char('j'), KeyModifiers::NONE);
    error_key(&mut screen, KeyCode::Down, KeyModifiers::NONE);
    assert_eq!(screen.scroll, 2);
    error_key(&mut screen, KeyCode::Char('k'), KeyModifiers::NONE);
    assert_eq!(screen.scroll, 1);
    error_key(&mut screen, KeyCode::PageDown, KeyModifiers::NONE);
    assert_eq!(screen.scroll, 22, "a page is the 21 rows of text");
    error_key(&mut screen, KeyCode::Char('G'), KeyModifiers::SHIFT);
    let bottom = screen.scroll;
    let text = error_text(&mut screen, 80, 24);
    assert!(
        text.contains("package11.json:1:1"),
        "the last problem:\n{text}"
    );
    assert!(
        !text.contains("What to do"),
        "scrolled past the top:\n{text}"
    );
    error_key(&mut screen, KeyCode::Down, KeyModifiers::NONE);
    assert_eq!(screen.scroll, bottom, "no scrolling past the end");
    // Larger, the whole text fits: the scroll comes back within it.
    error_text(&mut screen, 120, 60);
    assert_eq!(screen.scroll, 0);
    error_key(&mut screen, KeyCode::Char('G'), KeyModifiers::SHIFT);
    error_key(&mut screen, KeyCode::PageUp, KeyModifiers::NONE);
    assert_eq!(screen.scroll, 0);

    for (code, modifiers) in [
        (KeyCode::Char('s'), KeyModifiers::NONE),
        (KeyCode::Char('x'), KeyModifiers::NONE),
        (KeyCode::Tab, KeyModifiers::NONE),
    ] {
        assert_eq!(error_key(&mut screen, code, modifiers), None);
        assert!(!screen.quit);
    }
    for (code, modifiers) in [
        (KeyCode::Char('q'), KeyModifiers::NONE),
        (KeyCode::Esc, KeyModifiers::NONE),
        (KeyCode::Enter, KeyModifiers::NONE),
        (KeyCode::Char('c'), KeyModifiers::CONTROL),
    ] {
        let mut screen = error_screen("gone".to_string(), "gone", Vec::new());
        assert_eq!(error_key(&mut screen, code, modifiers), Some(Effect::Quit));
        assert!(screen.quit);
    }
}

/// Without colour (NO_COLOR) nothing is coloured, and the title still
/// stands out by weight; with colour, the title is red.
#[test]
fn the_error_screen_honours_no_color() {
    let reason = LoadError::NotFound("nowhere".into()).to_string();
    for color in [false, true] {
        let mut screen = ErrorScreen::new(
            "nowhere".into(),
            reason.clone(),
            Vec::new(),
            Theme::new(color),
        );
        let terminal = error_terminal(&mut screen, 80, 24);
        let buffer = terminal.backend().buffer();
        let coloured = buffer
            .content()
            .iter()
            .any(|cell| cell.fg != Color::Reset || cell.bg != Color::Reset);
        assert_eq!(coloured, color, "color: {color}");
        // The title starts after the corner and a space.
        let title = &buffer[(2, 0)];
        assert_eq!(title.symbol(), "i");
        assert!(title.modifier.contains(Modifier::BOLD));
        assert_eq!(title.fg == Color::Red, color);
    }
}
