//! The cache directory: one file per workspace, named from a hash of the
//! workspace's canonical path, written whole or not at all (a temporary
//! file in the same directory, then a rename), and only the
//! [`KEEP`] most recently used kept.

use std::io::Write;
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::xxh3_64;

/// How many workspaces' caches are kept; opening a ninth removes the one
/// used longest ago. A cache is about the size of the model in memory (a
/// few hundred MB for the largest organizations), so a count bounds the
/// disk used well enough.
pub const KEEP: usize = 8;

const EXTENSION: &str = "iamscope-cache";

/// The cache file for the workspace at `workspace`, in `dir`.
pub fn file_for(dir: &Path, workspace: &Path) -> PathBuf {
    let canonical = std::fs::canonicalize(workspace).unwrap_or_else(|_| workspace.to_path_buf());
    let hash = xxh3_64(canonical.as_os_str().as_encoded_bytes());
    dir.join(format!("workspace-{hash:016x}.{EXTENSION}"))
}

/// Reads a cache file, refusing one larger than `limit` bytes before
/// reading it (a cache file is never larger than the workspace's model).
pub fn read(file: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let size = match std::fs::metadata(file) {
        Ok(m) => m.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if size > limit {
        return Err(std::io::Error::other(format!(
            "it is {size} bytes, more than a cache of this workspace can be"
        )));
    }
    match std::fs::read(file) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Marks a cache as just used, so pruning keeps it.
pub fn touch(file: &Path, now: std::time::SystemTime) {
    if let Ok(f) = std::fs::File::options().append(true).open(file) {
        // Failing only makes the cache an earlier candidate for pruning.
        let _ = f.set_modified(now);
    }
}

/// Writes `bytes` as `file`: into a temporary file beside it, then renamed,
/// so that a reader sees the old file or the new one, never half of one.
/// The directory is made readable by its owner only: it holds what the
/// workspace says of the organization.
pub fn write(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = file
        .parent()
        .ok_or_else(|| std::io::Error::other("the cache file has no directory"))?;
    create_private_dir(dir)?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&temporary).and_then(|mut f| f.write_all(bytes));
    if let Err(e) = written.and_then(|()| std::fs::rename(&temporary, file)) {
        let _ = std::fs::remove_file(&temporary);
        return Err(e);
    }
    Ok(())
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Removes all but the [`KEEP`] most recently used cache files of `dir`.
pub fn prune(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut caches: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == EXTENSION))
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .collect();
    caches.sort_by(|a, b| b.cmp(a));
    for (_, old) in caches.into_iter().skip(KEEP) {
        let _ = std::fs::remove_file(old);
    }
}
