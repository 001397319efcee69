//! Opening the workspace a command names, or the bundled workshop.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use super::ExitCode;
use crate::text::clean;
use crate::workspace::cache::{open_cached, CacheOutcome, CacheSettings};
use crate::workspace::{LoadOptions, LoadProgress, Loaded};

/// Whether workspaces open through the snapshot cache: off until the
/// command line turns it on (`cli::run`, unless `--no-cache`), so that code
/// calling these functions in-process (tests) never writes a cache.
static CACHE_ON: AtomicBool = AtomicBool::new(false);

/// What the cache did in the last open, for `validate --verbose`.
static LAST_OUTCOME: Mutex<Option<(CacheOutcome, Option<PathBuf>)>> = Mutex::new(None);

/// Turns opening through the snapshot cache on or off for this process.
pub fn use_cache(on: bool) {
    CACHE_ON.store(on, Ordering::Relaxed);
}

/// What the cache did when the last workspace was opened, and its file.
pub fn last_cache_outcome() -> Option<(CacheOutcome, Option<PathBuf>)> {
    LAST_OUTCOME.lock().ok().and_then(|o| o.clone())
}

/// The cache directory: `$IAMSCOPE_CACHE_DIR`, else the platform's cache
/// directory (`$XDG_CACHE_HOME/iamscope`, else `~/.cache/iamscope`; on
/// macOS `~/Library/Caches/iamscope`). `None` when none can be told.
pub fn cache_dir() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = var("IAMSCOPE_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    let home = var("HOME").map(PathBuf::from);
    if cfg!(target_os = "macos") {
        return home.map(|h| h.join("Library/Caches/iamscope"));
    }
    // The XDG base directory specification ignores a relative path.
    if let Some(xdg) = var("XDG_CACHE_HOME").map(PathBuf::from) {
        if xdg.is_absolute() {
            return Some(xdg.join("iamscope"));
        }
    }
    home.map(|h| h.join(".cache/iamscope"))
}

fn cache_settings() -> CacheSettings {
    if !CACHE_ON.load(Ordering::Relaxed) {
        return CacheSettings::disabled();
    }
    CacheSettings {
        dir: cache_dir(),
        now: std::time::SystemTime::now(),
    }
}

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
            open_through_cache(path, progress)
        }),
    }
}

/// Opens `path` through the snapshot cache when it is on, advancing
/// `progress`, and remembers what the cache did for `validate --verbose`.
fn open_through_cache(path: &Path, progress: &LoadProgress) -> Result<Loaded, String> {
    let settings = cache_settings();
    let (loaded, outcome) =
        open_cached(path, &load_options(), progress, &settings).map_err(|e| e.to_string())?;
    let file = settings
        .dir
        .as_deref()
        .map(|dir| crate::workspace::cache::cache_file(dir, path));
    if let Ok(mut last) = LAST_OUTCOME.lock() {
        *last = Some((outcome, file));
    }
    Ok(loaded)
}

/// Loads `path` (or the bundled workshop) counting on `progress`: what
/// the UI's loading thread calls, the UI showing the progress itself.
pub fn load_reporting(path: Option<&Path>, progress: &LoadProgress) -> Result<Loaded, String> {
    match path {
        None => Ok(crate::bundled::workshop::load()),
        Some(path) => open_through_cache(path, progress),
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
