//! The snapshot cache: a loaded workspace written to the user's cache
//! directory, so that opening the same files again skips parsing them.
//!
//! Every file is still read (its text is shown beside answers and
//! diagnostics, and is not stored in the cache), and hashed: the cache is
//! used only when each file's path, size, modification time and XXH3-128
//! content hash, the build of iamscope and the load's limits are those it
//! was written for. Anything else (no cache yet, another build, a file
//! changed, added or gone, a damaged cache file) loads the files afresh and
//! writes the cache again; the [`CacheOutcome`] says which.
//!
//! The cache never lives beside the workspace, which is never written. A
//! cache directory that cannot be written only costs the next open its
//! speed. iam-collect stores are not cached: their reader lists and parses
//! a tree of small files in one pass, so there is no list of files read to
//! key a cache on without walking the tree twice.

mod format;
mod key;
mod store;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

pub use format::{decode_body, FORMAT_VERSION};
pub use store::KEEP;

use super::{gather, list, load_files, read_files, source_texts, FilesRead, Gathered};
use super::{Listing, LoadProgress};
use super::{LoadError, LoadOptions};
use super::{Loaded, Unit};
use key::Key;

/// Where the cache lives, and the time to record a cache as used at.
#[derive(Debug, Clone)]
pub struct CacheSettings {
    /// The cache directory; `None` when caching is off (`--no-cache`).
    pub dir: Option<PathBuf>,
    pub now: std::time::SystemTime,
}

impl CacheSettings {
    pub fn disabled() -> Self {
        CacheSettings {
            dir: None,
            now: std::time::UNIX_EPOCH,
        }
    }
}

/// What became of the cache in one open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheOutcome {
    /// The workspace came from the cache.
    Hit,
    /// The files were loaded afresh, for this reason; `saved` says whether
    /// the cache was written for the next open, or why not.
    Rebuilt {
        why: Miss,
        saved: Result<(), String>,
    },
    /// Caching is off.
    Disabled,
    /// This kind of workspace is not cached.
    NotCached(&'static str),
}

/// Why a cache could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Miss {
    /// There is no cache of this workspace yet.
    Absent,
    Unreadable(String),
    /// The file is not a cache file.
    NotACache,
    /// Written in another layout (the number it has).
    OtherFormat(u32),
    /// Written by another build of iamscope (its version and fingerprint).
    OtherBuild(String),
    Truncated,
    Corrupted(String),
    /// The workspace is not what the cache was written for.
    Changed(String),
}

impl std::fmt::Display for Miss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Miss::Absent => write!(f, "there was no cache of this workspace"),
            Miss::Unreadable(e) => write!(f, "the cache could not be read: {e}"),
            Miss::NotACache => write!(f, "the cache file is not one"),
            Miss::OtherFormat(v) => write!(f, "the cache is of another format ({v})"),
            Miss::OtherBuild(b) => write!(f, "the cache was written by another build ({b})"),
            Miss::Truncated => write!(f, "the cache file is truncated"),
            Miss::Corrupted(why) => write!(f, "the cache file is damaged: {why}"),
            Miss::Changed(what) => write!(f, "{what}"),
        }
    }
}

impl std::fmt::Display for CacheOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CacheOutcome::Hit => write!(f, "opened from the cache"),
            CacheOutcome::Rebuilt { why, saved: Ok(()) } => {
                write!(f, "loaded afresh ({why}); the cache is written")
            }
            CacheOutcome::Rebuilt { why, saved: Err(e) } => write!(
                f,
                "loaded afresh ({why}); the cache could not be written: {e}"
            ),
            CacheOutcome::Disabled => write!(f, "the cache is off"),
            CacheOutcome::NotCached(why) => write!(f, "not cached: {why}"),
        }
    }
}

/// Opens the workspace at `path` as [`super::load_path_reporting`] does,
/// through the cache in `settings.dir`: the same [`Loaded`], either way.
pub fn open_cached(
    path: &Path,
    options: &LoadOptions,
    progress: &LoadProgress,
    settings: &CacheSettings,
) -> Result<(Loaded, CacheOutcome), LoadError> {
    let Some(dir) = &settings.dir else {
        return super::load_path_reporting(path, options, progress)
            .map(|l| (l, CacheOutcome::Disabled));
    };
    let listed = match list(path)? {
        Listing::Store => {
            let loaded = super::collect::load_store(path, options, progress);
            return Ok((loaded, CacheOutcome::NotCached("an iam-collect store")));
        }
        Listing::Files(listed) => listed,
    };
    let file = store::file_for(dir, path);
    // The cache is decoded while the files are read and hashed, when the
    // files' names, sizes and times are those it was written for; the
    // hashes then decide whether it is used.
    let provisional = Key::listed(&listed, options);
    let limit = cache_size_limit(listed.files.iter().map(|f| f.size).sum());
    // The decoder sends the cache's key once it decided to decode the state.
    let (key_sender, key_receiver) = std::sync::mpsc::channel::<Key>();
    let (file_ref, provisional_ref) = (&file, &provisional);
    let (read, cached) = std::thread::scope(|scope| {
        let decoder = scope.spawn(move || cached(file_ref, limit, provisional_ref, key_sender));
        let read = read_files(listed, options).map(|read| {
            let key = Key::of(&read, options);
            // The cache is for exactly these files: their texts are made
            // now, while it decodes, so that the files' bytes are freed
            // before the decoded model is whole (as in a fresh load).
            match key_receiver.recv() {
                Ok(cached_key) if cached_key.mismatch(&key).is_none() => {
                    (key, Read::Texts(texts_of(read)))
                }
                _ => (key, Read::Files(read)),
            }
        });
        // A panic in the decoder is a bug; carry it to the caller.
        let cached = decoder
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (read, cached)
    });
    let (key, read) = read?;
    let (why, read) = match (read, cached) {
        (Read::Texts(texts), Ok((_, Some(body)))) => {
            store::touch(&file, settings.now);
            return Ok((hit(texts, body, progress), CacheOutcome::Hit));
        }
        (Read::Files(read), Ok((cached_key, _))) => match cached_key.mismatch(&key) {
            Some(why) => (why, read),
            // Equal keys, yet the listing differed: a file changed size
            // while it was read.
            None => (
                Miss::Changed("a file changed while it was read".into()),
                read,
            ),
        },
        (Read::Files(read), Err(why)) => (why, read),
        // The key matched but the state did not decode (or was not
        // decoded): the files' bytes are gone into texts; read them again.
        (Read::Texts(_), cached) => {
            let why = cached
                .err()
                .unwrap_or(Miss::Corrupted("its state was not decoded".into()));
            match gather(path, options)? {
                Gathered::Files(read) => (why, read),
                Gathered::Store => {
                    let loaded = super::collect::load_store(path, options, progress);
                    return Ok((loaded, CacheOutcome::NotCached("an iam-collect store")));
                }
            }
        }
    };
    let loaded = load_files(read, progress);
    let saved = save(&file, &key, &loaded);
    store::prune(dir);
    Ok((loaded, CacheOutcome::Rebuilt { why, saved }))
}

/// The files of a load: as read, or already turned into texts.
enum Read {
    Files(FilesRead),
    Texts(BTreeMap<Arc<str>, Arc<str>>),
}

fn texts_of(read: FilesRead) -> BTreeMap<Arc<str>, Arc<str>> {
    source_texts(read.files.into_iter().map(|f| f.source).collect())
}

/// The workspace of a cache hit: the cached state with the files' texts.
fn hit(texts: BTreeMap<Arc<str>, Arc<str>>, body: format::Body, progress: &LoadProgress) -> Loaded {
    progress.begin(Unit::File, texts.len(), 0);
    progress.advance(0, body.workspace.accounts.len());
    let mut workspace = body.workspace;
    workspace.sources = texts;
    Loaded {
        workspace,
        diagnostics: body.diagnostics,
        problem_index: OnceLock::new(),
    }
}

/// The largest cache file read for a workspace of `workspace_bytes`: a model
/// is a few times the size of its JSON at most (documents are compiled
/// once, shared where repeated), so a larger file is not read.
fn cache_size_limit(workspace_bytes: u64) -> u64 {
    workspace_bytes.saturating_mul(8).saturating_add(64 << 20)
}

/// The key of the cache file, with its state decoded when the key matches
/// `provisional` but for the hashes (the key is then sent on `decoding`
/// first); or why there is none to use.
fn cached(
    file: &Path,
    limit: u64,
    provisional: &Key,
    decoding: std::sync::mpsc::Sender<Key>,
) -> Result<(Key, Option<format::Body>), Miss> {
    let bytes = match store::read(file, limit) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Err(Miss::Absent),
        Err(e) => return Err(Miss::Unreadable(e.to_string())),
    };
    format::decode_if(&bytes, |key| {
        let wanted = key.same_but_hashes(provisional);
        if wanted {
            // The reader may have given up waiting; then nothing is lost.
            let _ = decoding.send(key.clone());
        }
        wanted
    })
}

fn save(file: &Path, key: &Key, loaded: &Loaded) -> Result<(), String> {
    let bytes = format::encode(key, &loaded.workspace, &loaded.diagnostics)
        .map_err(|e| format!("encoding: {e}"))?;
    store::write(file, &bytes).map_err(|e| e.to_string())
}

/// The cache file `open_cached` uses for the workspace at `path` in `dir`,
/// for tests and for telling the user where it is.
pub fn cache_file(dir: &Path, path: &Path) -> PathBuf {
    store::file_for(dir, path)
}

#[cfg(test)]
mod tests;
