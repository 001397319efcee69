//! Opening the workspace a command names, or the bundled workshop.

use std::path::Path;

use super::ExitCode;
use crate::text::clean;
use crate::workspace::{load_path_reporting, LoadOptions, LoadProgress, Loaded};

/// Loads `path`, or the bundled workshop sample when there is none.
/// On failure, prints why and returns the exit code.
///
/// The workspace is kept until the process exits: a headless command answers
/// once and exits, and freeing a large organization piece by piece cost 9 %
/// of a `check` at scale 1 (0.3 s, single-threaded) for memory the exit
/// returns at once.
pub fn open(path: Option<&Path>) -> Result<&'static mut Loaded, ExitCode> {
    match load(path) {
        Ok(loaded) => Ok(Box::leak(Box::new(loaded))),
        Err(message) => {
            eprintln!("iamscope: {}", clean(&message));
            Err(ExitCode::BadInput)
        }
    }
}

/// Like [`open`], but leaves telling why it failed to the caller: the
/// message (raw, to be cleaned for the terminal) names the file.
pub fn load(path: Option<&Path>) -> Result<Loaded, String> {
    match path {
        None => Ok(crate::bundled::workshop::load()),
        Some(path) => super::progress::on_stderr(&path.display().to_string(), |progress| {
            load_path_reporting(path, &load_options(), progress)
        })
        .map_err(|e| e.to_string()),
    }
}

/// Loads `path` (or the bundled workshop) counting on `progress`: what
/// the UI's loading thread calls, the UI showing the progress itself.
pub fn load_reporting(path: Option<&Path>, progress: &LoadProgress) -> Result<Loaded, String> {
    match path {
        None => Ok(crate::bundled::workshop::load()),
        Some(path) => {
            load_path_reporting(path, &load_options(), progress).map_err(|e| e.to_string())
        }
    }
}

/// Like [`open`], for commands that answer questions: they answer on any
/// workspace that loaded an account, each answer carrying the problems that
/// touch it as caveats. Refused only when no account loaded at all.
pub fn open_answerable(path: Option<&Path>) -> Result<&'static mut Loaded, ExitCode> {
    let loaded = open(path)?;
    if loaded.workspace.accounts.is_empty() {
        for d in loaded.errors().take(20) {
            eprintln!("{}", clean(&d.to_string()));
        }
        let errors = loaded.errors().count();
        let why = if errors == 0 {
            "it holds no account (no authorization-details file)".to_string()
        } else {
            format!(
                "no account could be loaded ({errors} error{})",
                if errors == 1 { "" } else { "s" }
            )
        };
        eprintln!(
            "iamscope: nothing to answer from: {why}; `iamscope validate` lists every problem"
        );
        return Err(ExitCode::BadInput);
    }
    Ok(loaded)
}

/// Limits from the environment: `IAMSCOPE_MAX_FILE_MB` caps the size of one file.
fn load_options() -> LoadOptions {
    let mut options = LoadOptions::default();
    if let Some(mb) = std::env::var("IAMSCOPE_MAX_FILE_MB")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        options.max_file_bytes = mb.saturating_mul(1024 * 1024);
    }
    options
}
