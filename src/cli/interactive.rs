//! Opening the terminal UI on a workspace, perhaps straight into a tour.

use std::path::Path;
use std::sync::Arc;

use super::args::UiArgs;
use super::workspace_arg::{load, load_reporting};
use super::ExitCode;
use crate::text::clean;
use crate::tour::Tour;
use crate::tui::error_screen::ErrorScreen;
use crate::tui::run::{run as run_tui, run_error_screen, run_loading, Opening, Options, UiStart};
use crate::tui::theme::{Palette, Theme};
use crate::workspace::caveats::ProblemReport;
use crate::workspace::Loaded;

/// Why the UI does not open after the load.
enum Refusal {
    /// The workspace cannot be opened: the error screen, then stderr.
    CannotOpen {
        reason: String,
        problems: Vec<String>,
    },
    /// The arguments ask for what the workspace does not have (a tour).
    BadArguments(String),
}

/// `tour`: `None` opens the main screen; `Some("")` the tour chooser (or the
/// only tour); `Some(name)` the tour whose title or file contains `name`.
///
/// On a terminal the UI's frame comes first, with the load's progress in
/// its header, and the load runs on a thread (`run_loading`); elsewhere the
/// workspace is loaded first, as by the other commands.
pub fn run(
    path: Option<&Path>,
    mouse: bool,
    tour: Option<String>,
    ui: &UiArgs,
    now: i64,
) -> ExitCode {
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        let opened = load(path).map_err(|reason| Refusal::CannotOpen {
            reason,
            problems: Vec::new(),
        });
        return match opened.and_then(|loaded| prepare(path, loaded, mouse, tour, ui, now)) {
            Ok(start) => run_ui(*start),
            Err(refusal) => refused(path, refusal, false),
        };
    }
    // The folder's own name, as the UI's header names the workspace.
    let label = path.map_or_else(
        || "workshop".to_string(),
        |p| {
            p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        },
    );
    let owned = path.map(Path::to_path_buf);
    let mut refusal = None;
    let shown = run_loading(
        label,
        Theme::from_env(),
        mouse,
        move |progress| {
            let loaded = load_reporting(owned.as_deref(), progress);
            test_hook_slow_load();
            loaded
        },
        |loaded| {
            let prepared = loaded
                .map_err(|reason| Refusal::CannotOpen {
                    reason,
                    problems: Vec::new(),
                })
                .and_then(|loaded| prepare(path, loaded, mouse, tour, ui, now));
            match prepared {
                Ok(start) => Opening::Ui(start),
                Err(why) => {
                    let opening = match &why {
                        Refusal::CannotOpen { reason, problems } => {
                            Opening::ErrorScreen(error_screen(path, reason, problems))
                        }
                        Refusal::BadArguments(_) => Opening::Nothing,
                    };
                    refusal = Some(why);
                    opening
                }
            }
        },
    );
    if let Err(e) = shown {
        eprintln!("iamscope: the terminal failed: {e}");
        return ExitCode::BadInput;
    }
    match refusal {
        None => ExitCode::Ok,
        // The error screen was shown: now the same on stderr.
        Some(why) => refused(path, why, true),
    }
}

/// Test-only: `IAMSCOPE_TEST_SLOW_LOAD_MS` holds the UI's load back that
/// long once read, so that an end-to-end test sees the loading screen on a
/// workspace small enough to keep the test fast. Never set in use.
fn test_hook_slow_load() {
    if let Some(ms) = std::env::var("IAMSCOPE_TEST_SLOW_LOAD_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Runs the UI when the workspace was loaded before the terminal was taken.
fn run_ui(start: UiStart) -> ExitCode {
    match run_tui(start.workspace, start.problems, start.now, start.options) {
        Ok(()) => ExitCode::Ok,
        Err(e) => {
            eprintln!("iamscope: the terminal failed: {e}");
            ExitCode::BadInput
        }
    }
}

/// What the UI opens on, from the workspace loaded and the arguments.
fn prepare(
    path: Option<&Path>,
    loaded: Loaded,
    mouse: bool,
    tour: Option<String>,
    ui: &UiArgs,
    now: i64,
) -> Result<Box<UiStart>, Refusal> {
    // Nothing could be read as an account: the main screen would be empty,
    // and the problems are the whole story.
    if loaded.workspace.accounts.is_empty() && loaded.has_errors() {
        let problems: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
        let reason = format!(
            "{}: no account could be read ({} error{}: `iamscope validate` lists them)",
            path.map_or_else(|| "the workspace".into(), Path::to_string_lossy),
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
        return Err(Refusal::CannotOpen { reason, problems });
    }
    let (tours, tour_problems) = match path {
        None => (crate::tour::workshop_tours(), Vec::new()),
        Some(p) if p.is_dir() => crate::tour::load_dir(p),
        Some(_) => (Vec::new(), Vec::new()),
    };
    let mut errors: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
    errors.extend(tour_problems.iter().map(|d| d.to_string()));
    let start_tour = match &tour {
        None => None,
        Some(name) => pick(&tours, name).map_err(Refusal::BadArguments)?,
    };
    let notice = (!errors.is_empty()).then(|| crate::tui::notice::problems_notice(&errors));
    let settings_path = crate::tui::settings::path();
    let (palette, warnings) = palette(ui, settings_path.as_deref());
    let options = Options {
        mouse,
        notice,
        tours,
        start_tour,
        choose_tour: tour.is_some_and(|t| t.is_empty()),
        palette,
        present: ui.present,
        warnings,
        settings_path,
        workspace_path: path.map(Path::to_path_buf),
        restore: ui.restore.as_deref().map(|file| {
            let state = std::fs::read_to_string(file)
                .map_err(|e| e.to_string())
                .and_then(|text| crate::tui::demo_state::from_json(&text));
            (file.display().to_string(), state)
        }),
    };
    let problems = Arc::new(ProblemReport::new(&loaded, tour_problems));
    Ok(Box::new(UiStart {
        workspace: Arc::new(loaded.workspace),
        problems,
        now,
        options,
    }))
}

/// The theme: `--theme`, else the one remembered, else high-contrast with
/// `--present`, else the default; with the warning a bad config file gives.
fn palette(ui: &UiArgs, settings: Option<&Path>) -> (Palette, Vec<String>) {
    let flag = ui.theme.as_deref().and_then(Palette::parse);
    let (remembered, warnings) = match settings.map(crate::tui::settings::load) {
        None | Some(Ok(crate::tui::settings::Settings { theme: None })) => (None, Vec::new()),
        Some(Ok(s)) => (s.theme, Vec::new()),
        Some(Err(e)) => (None, vec![format!("config file: {e}")]),
    };
    let fallback = if ui.present {
        Palette::HighContrast
    } else {
        Palette::Default
    };
    (flag.or(remembered).unwrap_or(fallback), warnings)
}

/// How many problems are printed when the workspace cannot be opened (the
/// error screen lists more, `iamscope validate` all).
const PROBLEMS_ON_STDERR: usize = 20;

/// The error screen for a workspace that cannot be opened.
fn error_screen(path: Option<&Path>, reason: &str, problems: &[String]) -> ErrorScreen {
    let shown = path.map_or_else(String::new, |p| p.display().to_string());
    ErrorScreen::new(
        shown,
        reason.to_string(),
        problems.to_vec(),
        Theme::from_env(),
    )
}

/// The UI does not open: why, on stderr (it stays in the scrollback), and
/// the bad-input status. A workspace that cannot be opened at all gets the
/// error screen first when on a terminal (`screen_shown`: already shown).
fn refused(path: Option<&Path>, why: Refusal, screen_shown: bool) -> ExitCode {
    let (reason, problems) = match why {
        Refusal::BadArguments(message) => {
            eprintln!("iamscope: {message}");
            return ExitCode::BadInput;
        }
        Refusal::CannotOpen { reason, problems } => (reason, problems),
    };
    if !screen_shown && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        if let Err(e) = run_error_screen(error_screen(path, &reason, &problems)) {
            eprintln!("iamscope: the terminal failed: {e}");
        }
    }
    for problem in problems.iter().take(PROBLEMS_ON_STDERR) {
        eprintln!("{}", clean(problem));
    }
    if problems.len() > PROBLEMS_ON_STDERR {
        eprintln!("… and {} more", problems.len() - PROBLEMS_ON_STDERR);
    }
    eprintln!("iamscope: {}", clean(&reason));
    ExitCode::BadInput
}

/// The tour a name designates; `Ok(None)` to let the user choose.
fn pick(tours: &[Tour], name: &str) -> Result<Option<Tour>, String> {
    if tours.is_empty() {
        return Err(
            "this workspace has no tour: add WORKSPACE/tours/*.json (see README, For trainers)"
                .to_string(),
        );
    }
    if name.is_empty() {
        return Ok((tours.len() == 1).then(|| tours[0].clone()));
    }
    let wanted = name.to_lowercase();
    let found: Vec<&Tour> = tours
        .iter()
        .filter(|t| {
            t.title.to_lowercase().contains(&wanted) || t.file.to_lowercase().contains(&wanted)
        })
        .collect();
    match found.as_slice() {
        [one] => Ok(Some((*one).clone())),
        [] => Err(format!(
            "no tour matches \"{name}\"; the tours are: {}",
            tours
                .iter()
                .map(|t| t.title.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        many => Err(format!(
            "\"{name}\" matches several tours: {}",
            many.iter()
                .map(|t| t.title.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}
