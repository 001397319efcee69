//! Opening the terminal UI on a workspace, perhaps straight into a tour.

use std::path::Path;
use std::sync::Arc;

use super::args::UiArgs;
use super::workspace_arg::load;
use super::ExitCode;
use crate::text::clean;
use crate::tour::Tour;
use crate::tui::error_screen::ErrorScreen;
use crate::tui::run::{run as run_tui, run_error_screen, Options};
use crate::tui::theme::{Palette, Theme};
use crate::workspace::caveats::ProblemReport;

/// `tour`: `None` opens the main screen; `Some("")` the tour chooser (or the
/// only tour); `Some(name)` the tour whose title or file contains `name`.
pub fn run(
    path: Option<&Path>,
    mouse: bool,
    tour: Option<String>,
    ui: &UiArgs,
    now: i64,
) -> ExitCode {
    let loaded = match load(path) {
        Ok(loaded) => loaded,
        Err(reason) => return cannot_open(path, reason, Vec::new()),
    };
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
        return cannot_open(path, reason, problems);
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
        Some(name) => match pick(&tours, name) {
            Ok(found) => found,
            Err(message) => {
                eprintln!("iamscope: {message}");
                return ExitCode::BadInput;
            }
        },
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
    match run_tui(Arc::new(loaded.workspace), problems, now, options) {
        Ok(()) => ExitCode::Ok,
        Err(e) => {
            eprintln!("iamscope: the terminal failed: {e}");
            ExitCode::BadInput
        }
    }
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

/// The workspace cannot be opened at all: the error screen when on a
/// terminal, then the same on stderr (it stays in the scrollback), and the
/// bad-input status.
fn cannot_open(path: Option<&Path>, reason: String, problems: Vec<String>) -> ExitCode {
    if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        let shown = path.map_or_else(String::new, |p| p.display().to_string());
        let screen = ErrorScreen::new(shown, reason.clone(), problems.clone(), Theme::from_env());
        if let Err(e) = run_error_screen(screen) {
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
