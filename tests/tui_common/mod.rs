//! What the UI's test binaries share: keys typed as a user types them, and
//! the screen as a terminal of a given size shows it.

use iamscope::tui::{handle, update, Action, App, Effect, Msg};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;

/// Each character of `keys` as a key press (`\n` Enter, `\u{1b}` Esc,
/// `\t` Tab, `\u{8}` Backspace), through the same input mapping as the
/// terminal; the effects the loop would perform.
pub fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\u{1b}' => KeyCode::Esc,
            '\t' => KeyCode::Tab,
            '\u{8}' => KeyCode::Backspace,
            c => KeyCode::Char(c),
        };
        effects.extend(handle(
            app,
            Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        ));
    }
    effects
}

/// The screen at `width`×`height`, as text.
#[allow(dead_code)] // not every test binary draws text
pub fn screen(app: &mut App, width: u16, height: u16) -> String {
    update(app, Action::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| iamscope::tui::ui::render(app, frame))
        .expect("draw");
    terminal.backend().to_string()
}
