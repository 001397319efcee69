//! The event loop on a real terminal. A thread reads terminal events and
//! sends them on a channel; the main loop blocks on it when idle, ticks the
//! clock, and redraws only when something on screen changed.
//!
//! `ratatui::init` puts the terminal in raw mode on the alternate screen and
//! installs a panic hook that restores it; the terminal is also restored on
//! every return path here, errors included.

use std::io::Write;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::execute;
use ratatui::DefaultTerminal;

use super::app::{App, Overlay};
use super::theme::Theme;
use super::ui;
use super::update::{update, Effect, Msg};
use crate::model::Workspace;

/// How the UI starts.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub mouse: bool,
    /// Shown over the first screen (load problems).
    pub notice: Option<(String, String)>,
    /// The workspace's guided tours (`t`).
    pub tours: Vec<crate::tour::Tour>,
    /// A tour to start at once.
    pub start_tour: Option<crate::tour::Tour>,
    /// Open the tour chooser at once.
    pub choose_tour: bool,
}

/// Runs the UI until the user quits.
pub fn run(
    workspace: Arc<Workspace>,
    problems: (usize, usize),
    now: i64,
    options: Options,
) -> std::io::Result<()> {
    let mut app = App::new(workspace, problems, now, Theme::from_env());
    app.tours = options.tours;
    if let Some(tour) = options.start_tour {
        super::tour::start(&mut app, tour);
    } else if options.choose_tour && !app.tours.is_empty() {
        let titles = app.tours.iter().map(|t| t.title.clone()).collect();
        app.overlay = Some(Overlay::Tours(super::filter_list::FilterList::new(titles)));
    }
    if let Some((title, text)) = options.notice {
        app.overlay = Some(Overlay::Message { title, text });
    }
    let mut terminal = ratatui::init();
    let result = (|| {
        if options.mouse {
            app.mouse = true;
            execute!(std::io::stdout(), EnableMouseCapture)?;
        }
        let size = terminal.size()?;
        app.size = (size.width, size.height);
        event_loop(&mut terminal, &mut app)
    })();
    if app.mouse {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
    }
    ratatui::restore();
    result
}

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App) -> std::io::Result<()> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || loop {
        let msg = match event::read() {
            Ok(Event::Key(key)) => Msg::Key(key),
            Ok(Event::Mouse(mouse)) => Msg::Mouse(mouse),
            Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
            Ok(_) => continue,
            Err(_) => break,
        };
        if tx.send(msg).is_err() {
            break;
        }
    });
    let mut last_tick = Instant::now();
    let mut dirty = true;
    let mut shown_second = app.now();
    loop {
        if dirty {
            terminal.draw(|frame| ui::render(app, frame))?;
            dirty = false;
        }
        let timeout = if app.is_animating() || (app.in_session() && app.clock.speed() > 1) {
            Duration::from_millis(100)
        } else {
            Duration::from_millis(250)
        };
        let first = match rx.recv_timeout(timeout) {
            Ok(msg) => Some(msg),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        };
        let elapsed = last_tick.elapsed().as_millis() as i64;
        last_tick = Instant::now();
        let animating = app.is_animating();
        update(app, Msg::Tick(elapsed));
        if animating || app.is_animating() || app.now() != shown_second {
            shown_second = app.now();
            dirty = true;
        }
        for msg in first.into_iter().chain(rx.try_iter()) {
            dirty = true;
            if let Some(effect) = update(app, msg) {
                match effect {
                    Effect::Quit => return Ok(()),
                    Effect::Copy(text) => copy(&text)?,
                    Effect::SetMouse(true) => execute!(std::io::stdout(), EnableMouseCapture)?,
                    Effect::SetMouse(false) => execute!(std::io::stdout(), DisableMouseCapture)?,
                }
            }
        }
        if app.quit {
            return Ok(());
        }
    }
}

/// Copies through OSC 52, which terminals (and tmux with set-clipboard)
/// pass to the system clipboard, even over SSH.
fn copy(text: &str) -> std::io::Result<()> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout();
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    out.flush()
}
