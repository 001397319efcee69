//! Opening the terminal UI on a workspace, perhaps straight into a tour.

use std::path::Path;
use std::sync::Arc;

use super::workspace_arg::open;
use super::ExitCode;
use crate::tour::Tour;
use crate::tui::run::{run as run_tui, Options};

/// `tour`: `None` opens the main screen; `Some("")` the tour chooser (or the
/// only tour); `Some(name)` the tour whose title or file contains `name`.
pub fn run(path: Option<&Path>, mouse: bool, tour: Option<String>, now: i64) -> ExitCode {
    let loaded = match open(path) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let (tours, tour_problems) = match path {
        None => (crate::tour::workshop_tours(), Vec::new()),
        Some(p) if p.is_dir() => crate::tour::load_dir(p),
        Some(_) => (Vec::new(), Vec::new()),
    };
    let mut errors: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
    errors.extend(tour_problems.iter().map(|d| d.to_string()));
    let warnings = loaded.warnings().count();
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
    let notice = (!errors.is_empty()).then(|| {
        let mut text = format!(
            "The workspace has {} error{}; what could not be read is left out, so answers may be wrong. \
             `iamscope validate` lists every problem.\n\n",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        );
        for e in errors.iter().take(8) {
            text.push_str(e);
            text.push('\n');
        }
        ("Problems in the workspace".to_string(), text)
    });
    let options = Options {
        mouse,
        notice,
        tours,
        start_tour,
        choose_tour: tour.is_some_and(|t| t.is_empty()),
    };
    match run_tui(
        Arc::new(loaded.workspace),
        (errors.len(), warnings),
        now,
        options,
    ) {
        Ok(()) => ExitCode::Ok,
        Err(e) => {
            eprintln!("iamscope: the terminal failed: {e}");
            ExitCode::BadInput
        }
    }
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
