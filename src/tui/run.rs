//! The event loop on a real terminal. A thread reads terminal events and
//! sends them on a channel; the main loop blocks on it when idle, ticks the
//! clock, and redraws only when something on screen changed.
//! The error screen (a workspace that cannot be opened) runs on the same
//! terminal machinery, with a loop of its own that only waits for keys.
//!
//! The terminal always comes back:
//! - on quit and on error: `run` restores it on every return path;
//! - on panic: the hook `ratatui::init` installs restores it, and the one
//!   added here also turns mouse capture off and shows the cursor;
//! - on SIGTERM, SIGHUP, SIGINT and SIGQUIT (in raw mode Ctrl-C and Ctrl-\
//!   are keys, so these come from `kill` or a closed terminal): a thread puts
//!   the signal on the loop's channel, the loop ends, `run` restores the
//!   terminal and the process then dies of that same signal, as it would have
//!   without a handler (a shell shows status 128 + signal: 143 for SIGTERM,
//!   129 for SIGHUP). A second signal while the first is pending ends the
//!   process at once from the signal thread, after restoring what it can;
//! - on Ctrl-Z (a key in raw mode, not a signal): the loop restores the
//!   terminal, stops the process with SIGTSTP and, once continued in the
//!   foreground (`fg`), takes the terminal again and redraws everything.

use crate::workspace::caveats::ProblemReport;
use std::io::Write;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyCode, KeyEvent, KeyEventKind,
    KeyModifiers,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::layout::Rect;
use ratatui::DefaultTerminal;

use super::action::{Action, Effect, Msg, TourAction};
use super::app::App;
use super::demo_state::{self, DemoState};
use super::error_screen::{self, ErrorScreen};
use super::loading::{self, Leave, Loading};
use super::pending::{Compute, Job};
use super::settings::{self, Settings};
use super::theme::{Palette, Theme};
use super::ui;
use super::update::{handle, update};
use crate::model::Workspace;
use crate::workspace::LoadProgress;
use std::path::PathBuf;

/// What the event loop receives: the reader thread's messages and the
/// signal thread's signals (kept out of `Msg`, which `update` handles).
enum Input {
    Msg(Msg),
    /// The loading thread has put the workspace (or why not) on its channel.
    Loaded,
    /// A termination signal (SIGTERM, SIGHUP, SIGINT, SIGQUIT).
    Signal(i32),
    /// The terminal can no longer be read.
    Closed,
}

/// Why the event loop ended.
enum Exit {
    Quit,
    Signal(i32),
}

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
    /// The colours (`--theme`, else the remembered theme, else the default;
    /// `--present` alone: high-contrast).
    pub palette: Palette,
    /// Start in presenter mode (`--present`).
    pub present: bool,
    /// Lines for the event log before anything else (a config file that
    /// cannot be read).
    pub warnings: Vec<String>,
    /// Where the settings are remembered (`None`: nowhere to write them).
    pub settings_path: Option<PathBuf>,
    /// The workspace's folder or file, never written to.
    pub workspace_path: Option<PathBuf>,
    /// `--restore FILE`: the file's name and what it holds (or why it
    /// cannot be read).
    pub restore: Option<(String, Result<DemoState, String>)>,
}

/// Where the loop may write, and what it must never write into.
struct Places {
    settings: Option<PathBuf>,
    workspace: Option<PathBuf>,
}

/// The app as the UI opens it, through the same actions a user sends:
/// the tour asked for, the notice, presenter mode, the mouse.
pub fn start(
    workspace: Arc<Workspace>,
    problems: Arc<ProblemReport>,
    now: i64,
    options: &Options,
) -> App {
    let mut tours = options.tours.clone();
    let start = options.start_tour.clone().map(|tour| {
        tours.iter().position(|t| *t == tour).unwrap_or_else(|| {
            tours.push(tour);
            tours.len() - 1
        })
    });
    let theme = Theme::from_env().with_palette(options.palette);
    let mut app = App::new(workspace, now, theme)
        .with_problems(problems)
        .with_tours(tours);
    for warning in &options.warnings {
        update(&mut app, Action::Warn(warning.clone()));
    }
    if let Some(index) = start {
        update(&mut app, Action::Tour(TourAction::Start(index)));
    } else if options.choose_tour && !app.tours.is_empty() {
        update(&mut app, Action::Tour(TourAction::Choose));
    }
    if let Some((title, text)) = options.notice.clone() {
        update(&mut app, Action::Notice { title, text });
    }
    if let Some((file, state)) = &options.restore {
        restore(&mut app, file, state);
    }
    if options.present {
        update(&mut app, Action::TogglePresenter);
    }
    if options.mouse {
        // The terminal side of it is `on_terminal`'s.
        update(&mut app, Action::ToggleMouse);
    }
    app
}

/// Runs the UI until the user quits.
pub fn run(
    workspace: Arc<Workspace>,
    problems: Arc<ProblemReport>,
    now: i64,
    options: Options,
) -> std::io::Result<()> {
    let mut app = start(workspace, problems, now, &options).with_compute(Compute::Worker);
    let places = Places {
        settings: options.settings_path,
        workspace: options.workspace_path,
    };
    on_terminal(options.mouse, |terminal, rx, tx| {
        let size = terminal.size()?;
        update(&mut app, Action::Resize(size.width, size.height));
        let jobs = spawn_worker(tx.clone());
        event_loop(terminal, &mut app, rx, &jobs, &places)
    })
}

/// What follows the load, as the caller decides from what was loaded.
pub enum Opening {
    /// The UI on the workspace.
    Ui(Box<UiStart>),
    /// Why the workspace cannot be opened.
    ErrorScreen(ErrorScreen),
    /// Nothing more on the terminal: the caller says why once it is back.
    Nothing,
}

/// What the UI starts from (the arguments of [`run`]).
pub struct UiStart {
    pub workspace: Arc<Workspace>,
    pub problems: Arc<ProblemReport>,
    pub now: i64,
    pub options: Options,
}

/// How long the loading screen waits between two readings of the progress.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Takes the terminal at once and shows the loading screen while `load`
/// runs on a thread of its own; then what `open` makes of its result (the
/// UI, the error screen, or nothing), on the same terminal. `q` during the
/// load returns as a quit does; Ctrl-C ends the process as SIGINT would
/// (status 130), as on the command line. The loading thread is left to the
/// process's end: a load cannot be cut short, and the user should not wait
/// for it.
pub fn run_loading<T: Send + 'static>(
    label: String,
    theme: Theme,
    mouse: bool,
    load: impl FnOnce(&LoadProgress) -> T + Send + 'static,
    open: impl FnOnce(T) -> Opening,
) -> std::io::Result<()> {
    on_terminal(mouse, |terminal, rx, tx| {
        let progress = Arc::new(LoadProgress::default());
        let (done, loaded) = mpsc::channel();
        {
            let progress = progress.clone();
            let wake = tx.clone();
            std::thread::spawn(move || {
                let _ = done.send(load(&progress));
                let _ = wake.send(Input::Loaded);
            });
        }
        let mut screen = Loading::new(label, theme);
        let size = terminal.size()?;
        loading::update(&mut screen, Msg::Resize(size.width, size.height));
        let result = loop {
            if let Ok(result) = loaded.try_recv() {
                break result;
            }
            loading::progress(&mut screen, progress.read());
            terminal.draw(|frame| ui::loading::render(&screen, frame))?;
            let msg = match rx.recv_timeout(PROGRESS_EVERY) {
                Ok(Input::Msg(msg)) => msg,
                Ok(Input::Loaded) | Err(mpsc::RecvTimeoutError::Timeout) => continue,
                Ok(Input::Signal(signal)) => return Ok(Exit::Signal(signal)),
                Ok(Input::Closed) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Ok(Exit::Quit)
                }
            };
            if let Msg::Key(key) = &msg {
                if is_suspend(key) {
                    match suspend(terminal, mouse, rx)? {
                        Resumed::Ended(exit) => return Ok(exit),
                        Resumed::Size(w, h) => {
                            loading::update(&mut screen, Msg::Resize(w, h));
                        }
                    }
                    continue;
                }
            }
            match loading::update(&mut screen, msg) {
                Some(Leave::Quit) => return Ok(Exit::Quit),
                Some(Leave::Interrupt) => return Ok(Exit::Signal(signals::INTERRUPT)),
                None => {}
            }
        };
        match open(result) {
            Opening::Ui(start) => {
                let UiStart {
                    workspace,
                    problems,
                    now,
                    options,
                } = *start;
                let mut app =
                    self::start(workspace, problems, now, &options).with_compute(Compute::Worker);
                let places = Places {
                    settings: options.settings_path,
                    workspace: options.workspace_path,
                };
                let size = terminal.size()?;
                update(&mut app, Action::Resize(size.width, size.height));
                let jobs = spawn_worker(tx.clone());
                event_loop(terminal, &mut app, rx, &jobs, &places)
            }
            Opening::ErrorScreen(screen) => error_screen_loop(terminal, rx, screen),
            Opening::Nothing => Ok(Exit::Quit),
        }
    })
}

/// Shows why the workspace cannot be opened until the user leaves the
/// screen, with the same guarantees as the UI (signals, Ctrl-Z, panics).
pub fn run_error_screen(screen: ErrorScreen) -> std::io::Result<()> {
    on_terminal(false, |terminal, rx, _| {
        error_screen_loop(terminal, rx, screen)
    })
}

/// The error screen's loop, on a terminal already taken.
fn error_screen_loop(
    terminal: &mut DefaultTerminal,
    rx: &mpsc::Receiver<Input>,
    mut screen: ErrorScreen,
) -> std::io::Result<Exit> {
    {
        let size = terminal.size()?;
        error_screen::update(&mut screen, Msg::Resize(size.width, size.height));
        loop {
            terminal.draw(|frame| ui::error_screen::render(&screen, frame))?;
            // Nothing here changes by itself: wait for the next input.
            let Ok(first) = rx.recv() else {
                return Ok(Exit::Quit);
            };
            let pending: Vec<Input> = std::iter::once(first).chain(rx.try_iter()).collect();
            for input in pending {
                let msg = match input {
                    Input::Msg(msg) => msg,
                    Input::Loaded => continue,
                    Input::Signal(signal) => return Ok(Exit::Signal(signal)),
                    Input::Closed => return Ok(Exit::Quit),
                };
                if let Msg::Key(key) = &msg {
                    if is_suspend(key) {
                        match suspend(terminal, false, rx)? {
                            Resumed::Ended(exit) => return Ok(exit),
                            Resumed::Size(w, h) => {
                                error_screen::update(&mut screen, Msg::Resize(w, h));
                            }
                        }
                        continue;
                    }
                }
                if error_screen::update(&mut screen, msg) == Some(Effect::Quit) {
                    return Ok(Exit::Quit);
                }
            }
        }
    }
}

/// Takes the terminal, runs `body` on it with the channel of terminal
/// events and signals, and gives the terminal back on every way out (see the
/// module's documentation). A signal that ended `body` ends the process.
fn on_terminal(
    mouse: bool,
    body: impl FnOnce(
        &mut DefaultTerminal,
        &mpsc::Receiver<Input>,
        &mpsc::Sender<Input>,
    ) -> std::io::Result<Exit>,
) -> std::io::Result<()> {
    let (tx, rx) = mpsc::channel();
    // Before the terminal changes: no signal may find it raw and unguarded.
    let signals = signals::forward(tx.clone());
    let mut terminal = ratatui::init();
    restore_more_on_panic();
    let result = (|| {
        if mouse {
            execute!(std::io::stdout(), EnableMouseCapture)?;
        }
        spawn_reader(tx.clone());
        body(&mut terminal, &rx, &tx)
    })();
    leave_terminal();
    signals::stop(signals);
    match result {
        Ok(Exit::Quit) => Ok(()),
        Ok(Exit::Signal(signal)) => signals::die_of(signal),
        Err(e) => Err(e),
    }
}

/// Reads terminal events on a thread of its own, so that the loop can wait
/// on terminal events, signals and the clock at once.
fn spawn_reader(tx: mpsc::Sender<Input>) {
    std::thread::spawn(move || loop {
        let input = match event::read() {
            Ok(Event::Key(key)) => Input::Msg(Msg::Key(key)),
            Ok(Event::Mouse(mouse)) => Input::Msg(Msg::Mouse(mouse)),
            Ok(Event::Resize(w, h)) => Input::Msg(Msg::Resize(w, h)),
            Ok(_) => continue,
            Err(_) => {
                let _ = tx.send(Input::Closed);
                break;
            }
        };
        if tx.send(input).is_err() {
            break;
        }
    });
}

/// Computes the slow answers (`super::pending`) on a thread of its own and
/// sends each back to the loop as a message; returns where to send jobs.
fn spawn_worker(tx: mpsc::Sender<Input>) -> mpsc::Sender<Job> {
    let (jobs, waiting) = mpsc::channel::<Job>();
    std::thread::spawn(move || {
        while let Ok(mut job) = waiting.recv() {
            // Only the newest job answers the screen as it is: skip the rest.
            while let Ok(newer) = waiting.try_recv() {
                job = newer;
            }
            let computed = Box::new(job.run());
            if tx.send(Input::Msg(Msg::Computed(computed))).is_err() {
                break;
            }
        }
    });
    jobs
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    rx: &mpsc::Receiver<Input>,
    jobs: &mpsc::Sender<Job>,
    places: &Places,
) -> std::io::Result<Exit> {
    let mut last_tick = Instant::now();
    let mut dirty = true;
    let mut shown_second = app.now();
    loop {
        if let Some(job) = app.take_job() {
            if let Err(mpsc::SendError(job)) = jobs.send(job) {
                // No worker (it cannot end while we hold its channel, but
                // a screen that waits forever would be worse): compute here.
                update(app, Action::Computed(Box::new(job.run())));
            }
        }
        if dirty {
            terminal.draw(|frame| ui::render(app, frame))?;
            dirty = false;
        }
        let timeout = if app.is_animating() || (app.in_session() && app.session.clock.speed() > 1) {
            Duration::from_millis(100)
        } else {
            Duration::from_millis(250)
        };
        let first = match rx.recv_timeout(timeout) {
            Ok(input) => Some(input),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(Exit::Quit),
        };
        let elapsed = last_tick.elapsed().as_millis() as i64;
        last_tick = Instant::now();
        let animating = app.is_animating();
        handle(app, Msg::Tick(elapsed));
        if animating || app.is_animating() || app.now() != shown_second {
            shown_second = app.now();
            dirty = true;
        }
        let pending: Vec<Input> = first.into_iter().chain(rx.try_iter()).collect();
        for input in pending {
            let msg = match input {
                Input::Msg(msg) => msg,
                Input::Loaded => continue,
                Input::Signal(signal) => return Ok(Exit::Signal(signal)),
                Input::Closed => return Ok(Exit::Quit),
            };
            dirty = true;
            if let Msg::Key(key) = &msg {
                if is_suspend(key) {
                    match suspend(terminal, app.mouse, rx)? {
                        Resumed::Ended(exit) => return Ok(exit),
                        Resumed::Size(w, h) => {
                            update(app, Action::Resize(w, h));
                        }
                    }
                    // The time spent stopped does not run the simulated clock.
                    last_tick = Instant::now();
                    continue;
                }
            }
            for effect in handle(app, msg) {
                match effect {
                    Effect::Quit => return Ok(Exit::Quit),
                    Effect::Copy(text) => copy(&text)?,
                    Effect::SetMouse(true) => execute!(std::io::stdout(), EnableMouseCapture)?,
                    Effect::SetMouse(false) => execute!(std::io::stdout(), DisableMouseCapture)?,
                    Effect::SaveSettings(settings) => save_settings(app, places, &settings),
                    Effect::SaveDemo { path, text } => {
                        let saved = write_outside_workspace(places, &path, &text).map(|p| {
                            format!(
                                "demo state saved to {} (iamscope --restore FILE re-opens it)",
                                p.display()
                            )
                        });
                        report_written(app, saved);
                    }
                    Effect::Export { path, text, what } => {
                        let written = write_outside_workspace(places, &path, &text)
                            .map(|p| format!("exported {what} to {}", p.display()));
                        report_written(app, written);
                    }
                }
            }
        }
        if app.quit {
            return Ok(Exit::Quit);
        }
    }
}

/// Re-establishes a saved demo through its actions; a file that cannot be
/// read or does not fit the workspace is a notice, over a UI that works.
fn restore(app: &mut App, file: &str, state: &Result<DemoState, String>) {
    let planned = state
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|s| demo_state::plan(s, app));
    match planned {
        Ok(actions) => {
            for action in actions {
                update(app, action);
            }
            update(
                app,
                Action::Note(format!("demo state restored from {file}")),
            );
        }
        Err(why) => {
            update(
                app,
                Action::Notice {
                    title: "The demo state was not restored".to_string(),
                    text: format!("{file}: {why}.\n\nThe workspace opens as usual."),
                },
            );
        }
    }
}

/// Writes `text` to a file the user named (`~/` is the home folder), never
/// inside the workspace: the path written, or why not.
fn write_outside_workspace(places: &Places, path: &str, text: &str) -> Result<PathBuf, String> {
    let path = match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    };
    if places
        .workspace
        .as_deref()
        .is_some_and(|w| settings::inside(&path, w))
    {
        return Err(format!(
            "{} is inside the workspace, which iamscope never writes to",
            path.display()
        ));
    }
    match std::fs::write(&path, text) {
        Ok(()) => Ok(path),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// Says in the event log what became of a file written (the demo state,
/// an export).
fn report_written(app: &mut App, written: Result<String, String>) {
    let action = match written {
        Ok(note) => Action::Note(note),
        Err(why) => Action::Warn(format!("not saved: {why}")),
    };
    update(app, action);
}

/// Writes the settings where they belong; a failure is a warning in the
/// event log, never the end of the UI.
fn save_settings(app: &mut App, places: &Places, settings: &Settings) {
    let result = match &places.settings {
        None => Err(
            "no config directory (set XDG_CONFIG_HOME or HOME): the theme is not remembered"
                .to_string(),
        ),
        Some(path) => settings::save(path, settings, places.workspace.as_deref()),
    };
    if let Err(e) = result {
        update(app, Action::Warn(format!("cannot remember the theme: {e}")));
    }
}

/// Ctrl-Z: in raw mode the terminal sends it as a key instead of stopping us.
fn is_suspend(key: &KeyEvent) -> bool {
    key.kind == KeyEventKind::Press
        && key.modifiers.contains(KeyModifiers::CONTROL)
        && matches!(key.code, KeyCode::Char('z' | 'Z'))
}

/// How a suspension ended.
enum Resumed {
    /// In the foreground again, with the terminal taken back at this size.
    Size(u16, u16),
    /// The process must end instead.
    Ended(Exit),
}

/// Gives the terminal back to the shell, stops, and takes the terminal again
/// (with mouse capture if `mouse`) once continued in the foreground.
fn suspend(
    terminal: &mut DefaultTerminal,
    mouse: bool,
    rx: &mpsc::Receiver<Input>,
) -> std::io::Result<Resumed> {
    leave_terminal();
    signals::stop_self();
    // Continued: by `fg`, by `bg`, or at once when no shell does job control
    // (the kernel discards SIGTSTP in an orphaned process group).
    if let Some(exit) = signals::wait_for_foreground(rx) {
        return Ok(Resumed::Ended(exit));
    }
    enter_terminal(mouse)?;
    // Not `terminal.clear()`: it asks the terminal for the cursor position,
    // which the reader thread (blocked in `event::read`) would swallow, so it
    // fails after two seconds. A resize clears the screen and forgets what
    // was drawn without asking, so the next draw repaints everything, at the
    // size the terminal has now (it may have changed while we were stopped).
    let size = terminal.size()?;
    terminal.resize(Rect::new(0, 0, size.width, size.height))?;
    Ok(Resumed::Size(size.width, size.height))
}

/// Raw mode, alternate screen and mouse capture if it was on: what
/// `ratatui::init` sets up, without installing its panic hook again.
fn enter_terminal(mouse: bool) -> std::io::Result<()> {
    enable_raw_mode()?;
    execute!(std::io::stdout(), EnterAlternateScreen)?;
    if mouse {
        execute!(std::io::stdout(), EnableMouseCapture)?;
    }
    Ok(())
}

/// Mouse capture off, raw mode off, main screen, cursor shown. Errors are
/// ignored: this runs on the way out, perhaps with the terminal gone.
fn leave_terminal() {
    let mut out = std::io::stdout();
    let _ = execute!(out, DisableMouseCapture);
    let _ = disable_raw_mode();
    let _ = execute!(out, LeaveAlternateScreen, Show);
}

/// `ratatui::init`'s panic hook leaves raw mode and the alternate screen;
/// this one, around it, also turns mouse capture off and shows the cursor.
fn restore_more_on_panic() {
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        ratatui_hook(info);
        let _ = execute!(std::io::stdout(), Show);
    }));
}

/// Copies through OSC 52, which terminals (and tmux with set-clipboard)
/// pass to the system clipboard, even over SSH.
fn copy(text: &str) -> std::io::Result<()> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout();
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    out.flush()
}

/// Signals, on Unix: termination signals reach the loop through its
/// channel; Ctrl-Z stops the process with SIGTSTP.
#[cfg(unix)]
mod signals {
    use std::io::Write as _;
    use std::os::fd::AsRawFd;
    use std::sync::mpsc;
    use std::time::Duration;

    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
    use signal_hook::iterator::{Handle, Signals};

    use super::{leave_terminal, Exit, Input};

    /// What Ctrl-C sends on the command line.
    pub(super) const INTERRUPT: i32 = SIGINT;

    /// Starts the thread that forwards termination signals to the loop.
    /// `None` if the handlers could not be installed (the UI runs anyway).
    pub(super) fn forward(tx: mpsc::Sender<Input>) -> Option<Handle> {
        let mut signals = Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT]).ok()?;
        let handle = signals.handle();
        std::thread::spawn(move || {
            let mut forwarded = false;
            for signal in signals.forever() {
                if forwarded || tx.send(Input::Signal(signal)).is_err() {
                    // The loop has not ended on the first signal (it may be
                    // stuck writing to a terminal that is gone): end here.
                    leave_terminal();
                    die_of(signal);
                }
                forwarded = true;
            }
        });
        Some(handle)
    }

    /// Ends the forwarding thread once the terminal is restored.
    pub(super) fn stop(handle: Option<Handle>) {
        if let Some(handle) = handle {
            handle.close();
        }
    }

    /// Ends the process as `signal`'s default action would, so that the
    /// parent sees it killed by that signal (a shell: status 128 + signal).
    pub(super) fn die_of(signal: i32) -> ! {
        let _ = std::io::stdout().flush();
        let _ = signal_hook::low_level::emulate_default_handler(signal);
        std::process::exit(128 + signal)
    }

    /// Stops the process as the terminal's Ctrl-Z would have. Returns when
    /// the process is continued.
    pub(super) fn stop_self() {
        let _ = signal_hook::low_level::raise(SIGTSTP);
    }

    /// After `bg` the process runs without owning the terminal: touching it
    /// would stop the process again (SIGTTOU), and a `kill` would then find
    /// it stopped. So wait, watching for signals, until `fg` gives it back.
    pub(super) fn wait_for_foreground(rx: &mpsc::Receiver<Input>) -> Option<Exit> {
        while !in_foreground() {
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(Input::Signal(signal)) => return Some(Exit::Signal(signal)),
                Ok(Input::Closed) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Some(Exit::Quit)
                }
                Ok(Input::Msg(_) | Input::Loaded) | Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
        }
        None
    }

    /// Whether our process group owns the controlling terminal (true when
    /// that cannot be told, as without a controlling terminal).
    fn in_foreground() -> bool {
        let Ok(tty) = std::fs::File::open("/dev/tty") else {
            return true;
        };
        // SAFETY: plain system calls on a file descriptor we hold open.
        let (owner, ours) = unsafe { (libc::tcgetpgrp(tty.as_raw_fd()), libc::getpgrp()) };
        owner < 0 || owner == ours
    }
}

/// Elsewhere: no signals to forward, and Ctrl-Z does nothing.
#[cfg(not(unix))]
mod signals {
    use std::sync::mpsc;

    use super::{Exit, Input};

    pub(super) struct Handle;

    /// SIGINT's number where it has one: status 130 as on Unix.
    pub(super) const INTERRUPT: i32 = 2;

    pub(super) fn forward(_tx: mpsc::Sender<Input>) -> Option<Handle> {
        None
    }

    pub(super) fn stop(_handle: Option<Handle>) {}

    pub(super) fn die_of(signal: i32) -> ! {
        std::process::exit(128 + signal)
    }

    pub(super) fn stop_self() {}

    pub(super) fn wait_for_foreground(_rx: &mpsc::Receiver<Input>) -> Option<Exit> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder of this test's own under the system's temp dir.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("iamscope-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("workspace")).expect("a scratch folder");
        dir
    }

    #[test]
    fn a_file_named_inside_the_workspace_is_refused_and_not_written() {
        let dir = scratch("inside");
        let places = Places {
            settings: None,
            workspace: Some(dir.join("workspace")),
        };
        let inside = dir.join("workspace/sub/../export.md");
        let refused = write_outside_workspace(&places, &inside.to_string_lossy(), "x");
        let Err(why) = refused else {
            panic!("written inside the workspace")
        };
        assert!(why.contains("inside the workspace"), "{why}");
        assert!(!dir.join("workspace/export.md").exists());
        let outside = dir.join("export.csv");
        let written = write_outside_workspace(&places, &outside.to_string_lossy(), "a,b\r\n");
        assert_eq!(written, Ok(outside.clone()));
        assert_eq!(
            std::fs::read_to_string(&outside).ok().as_deref(),
            Some("a,b\r\n")
        );
        // A folder that does not exist: the reason, not a panic.
        let nowhere = dir.join("no/such/folder/x.md");
        let failed = write_outside_workspace(&places, &nowhere.to_string_lossy(), "x");
        assert!(failed.is_err_and(|e| e.contains("x.md")));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
