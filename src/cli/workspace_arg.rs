//! Opening the workspace a command names, or the bundled workshop.

use std::path::Path;

use super::ExitCode;
use crate::text::clean;
use crate::workspace::{load_path_with, LoadOptions, Loaded};

/// Loads `path`, or the bundled workshop sample when there is none.
/// On failure, prints why and returns the exit code.
pub fn open(path: Option<&Path>) -> Result<Loaded, ExitCode> {
    load(path).map_err(|message| {
        eprintln!("iamscope: {}", clean(&message));
        ExitCode::BadInput
    })
}

/// Like [`open`], but leaves telling why it failed to the caller: the
/// message (raw, to be cleaned for the terminal) names the file.
pub fn load(path: Option<&Path>) -> Result<Loaded, String> {
    match path {
        None => Ok(crate::bundled::workshop::load()),
        Some(path) => load_path_with(path, &load_options()).map_err(|e| e.to_string()),
    }
}

/// Like [`open`], but refuses a workspace with errors: an answer computed over
/// statements that could not be read could be wrong (a dropped Deny would
/// turn into an Allow).
pub fn open_clean(path: Option<&Path>) -> Result<Loaded, ExitCode> {
    let loaded = open(path)?;
    if loaded.has_errors() {
        for d in loaded.errors().take(20) {
            eprintln!("{}", clean(&d.to_string()));
        }
        let count = loaded.errors().count();
        eprintln!(
            "iamscope: the workspace has {count} error{}; fix {} first (`iamscope validate` lists every problem)",
            if count == 1 { "" } else { "s" },
            if count == 1 { "it" } else { "them" }
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
