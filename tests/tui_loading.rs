//! The first screen while the workspace loads (`iamscope::tui::loading`):
//! the frame at once, the load's progress in the header, `q` and Ctrl-C
//! from the keymap table, every other key ignored.

use iamscope::tui::keymap::{mode_hints, Mode};
use iamscope::tui::loading::{self, Leave, Loading};
use iamscope::tui::theme::Theme;
use iamscope::tui::Msg;
use iamscope::workspace::{ProgressReading, Unit};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;

/// Half-way through the scale-1 organization: 7 of 12 files read.
fn half_way() -> Loading {
    let mut screen = Loading::new("scale-1".to_string(), Theme::new(false));
    loading::progress(
        &mut screen,
        ProgressReading {
            unit: Unit::File,
            total: 12,
            done: 7,
            bytes_done: 61_000_000,
            bytes_total: 102_500_000,
            accounts: 6,
        },
    );
    screen
}

fn text(screen: &mut Loading, width: u16, height: u16) -> String {
    loading::update(screen, Msg::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| iamscope::tui::ui::loading::render(screen, frame))
        .expect("draw");
    terminal.backend().to_string()
}

fn key(screen: &mut Loading, code: KeyCode, modifiers: KeyModifiers) -> Option<Leave> {
    loading::update(screen, Msg::Key(KeyEvent::new(code, modifiers)))
}

#[test]
fn the_loading_screen_at_three_sizes() {
    let mut screen = half_way();
    let large = text(&mut screen, 120, 34);
    assert!(
        large.contains("iamscope ─ scale-1 ─ loading: 7/12 files, 61/103 MB, 6 accounts"),
        "{large}"
    );
    insta::assert_snapshot!("loading_120x34", large);
    insta::assert_snapshot!("loading_80x24", text(&mut screen, 80, 24));
    insta::assert_snapshot!("loading_40x10", text(&mut screen, 40, 10));
}

#[test]
fn before_the_files_are_counted_the_header_says_so() {
    let mut screen = Loading::new("big-org".to_string(), Theme::new(false));
    let shown = text(&mut screen, 80, 24);
    assert!(
        shown.contains("iamscope ─ big-org ─ loading: reading the files"),
        "{shown}"
    );
}

/// A hostile folder name cannot write escape sequences to the terminal.
#[test]
fn the_label_is_cleaned() {
    let mut screen = Loading::new("evil\x1b]0;title\x07".to_string(), Theme::new(false));
    let shown = text(&mut screen, 80, 24);
    assert!(
        !shown.contains('\x1b') && !shown.contains('\x07'),
        "{shown:?}"
    );
}

#[test]
fn q_quits_and_ctrl_c_interrupts() {
    let mut screen = half_way();
    assert_eq!(
        key(&mut screen, KeyCode::Char('q'), KeyModifiers::NONE),
        Some(Leave::Quit)
    );
    assert_eq!(
        key(&mut screen, KeyCode::Char('c'), KeyModifiers::CONTROL),
        Some(Leave::Interrupt)
    );
}

/// Nothing is there yet for other keys to act on: they change nothing.
#[test]
fn other_keys_are_ignored() {
    let mut screen = half_way();
    let before = text(&mut screen, 80, 24);
    for code in [
        KeyCode::Char('j'),
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Char('s'),
        KeyCode::Char('/'),
        KeyCode::Tab,
    ] {
        assert_eq!(key(&mut screen, code, KeyModifiers::NONE), None, "{code:?}");
    }
    assert_eq!(text(&mut screen, 80, 24), before);
}

/// The footer's hints come from the keymap table, and each one acts.
#[test]
fn every_hint_shown_on_the_loading_screen_acts() {
    let mut screen = half_way();
    let shown = text(&mut screen, 80, 24);
    let hints = mode_hints(Mode::Loading);
    assert!(!hints.is_empty());
    for binding in iamscope::tui::keymap::BINDINGS
        .iter()
        .filter(|b| b.hint && b.modes.contains(&Mode::Loading))
    {
        assert!(shown.contains(binding.label), "{} not shown", binding.label);
        let [k, ..] = binding.keys else {
            panic!("{} has no key", binding.label)
        };
        assert!(
            loading::update(&mut half_way(), Msg::Key(KeyEvent::new(k.0, k.1))).is_some(),
            "the hint {} does nothing",
            binding.label
        );
    }
}
