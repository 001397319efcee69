//! What a cache file was written for: the build, the limits, and every file
//! the load read, each by path, size, modification time and a hash of its
//! bytes. A cache is used only for exactly the same key.

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_128;

use super::super::{Diagnostic, FilesListed, FilesRead, LoadOptions};
use super::Miss;
use crate::workspace::parallel;

/// The key of one load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Key {
    /// The crate version and the fingerprint of the loader's code and data
    /// (build.rs): another build may read the same files differently.
    pub build: String,
    pub max_file_bytes: u64,
    /// The workspace's name and the files, by the names the load gives them
    /// (the path as given): diagnostics and places carry those names.
    pub name: String,
    pub files: Vec<FileKey>,
    /// The files listed but not read, with why (too large, unreadable, a FIFO).
    pub skipped: Vec<Diagnostic>,
}

/// One file read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileKey {
    pub name: String,
    pub size: u64,
    pub modified_ns: Option<u128>,
    /// XXH3-128 of the bytes.
    pub hash: u128,
}

/// The build this binary is: what a cache written by another is told by.
pub fn this_build() -> String {
    format!(
        "{} {}",
        env!("CARGO_PKG_VERSION"),
        env!("IAMSCOPE_LOADER_FINGERPRINT")
    )
}

impl Key {
    /// The key of `read`, hashing the files' bytes on every core.
    pub fn of(read: &FilesRead, options: &LoadOptions) -> Key {
        let hashes =
            parallel::map_heaviest_first(&read.files, |f| f.size, |f| xxh3_128(&f.source.bytes));
        let files = read
            .files
            .iter()
            .zip(hashes)
            .map(|(f, hash)| FileKey {
                name: f.source.name.clone(),
                size: f.size,
                modified_ns: f.modified_ns,
                hash,
            })
            .collect();
        Key {
            build: this_build(),
            max_file_bytes: options.max_file_bytes,
            name: read.name.clone(),
            files,
            skipped: read.skipped.clone(),
        }
    }

    /// The key of `listed` as far as it is known before the files are read:
    /// the hashes are 0.
    pub fn listed(listed: &FilesListed, options: &LoadOptions) -> Key {
        Key {
            build: this_build(),
            max_file_bytes: options.max_file_bytes,
            name: listed.name.clone(),
            files: listed
                .files
                .iter()
                .map(|f| FileKey {
                    name: f.path.display().to_string(),
                    size: f.size,
                    modified_ns: f.modified_ns,
                    hash: 0,
                })
                .collect(),
            skipped: listed.skipped.clone(),
        }
    }

    /// Whether `self` is `listed` (from [`Key::listed`]) but for the hashes:
    /// when it is, the cache will very likely be used, and is worth
    /// decoding while the files are read.
    pub fn same_but_hashes(&self, listed: &Key) -> bool {
        let same_file = |a: &FileKey, b: &FileKey| {
            (&a.name, a.size, a.modified_ns) == (&b.name, b.size, b.modified_ns)
        };
        (&self.build, self.max_file_bytes, &self.name, &self.skipped)
            == (
                &listed.build,
                listed.max_file_bytes,
                &listed.name,
                &listed.skipped,
            )
            && self.files.len() == listed.files.len()
            && self
                .files
                .iter()
                .zip(&listed.files)
                .all(|(a, b)| same_file(a, b))
    }

    /// Why a cache written for `self` does not fit a load of key `now`;
    /// `None` when the keys are the same.
    pub fn mismatch(&self, now: &Key) -> Option<Miss> {
        if self.build != now.build {
            return Some(Miss::OtherBuild(self.build.clone()));
        }
        self.difference(now).map(Miss::Changed)
    }

    /// What differs, in words, between two keys of the same build.
    fn difference(&self, now: &Key) -> Option<String> {
        if self.max_file_bytes != now.max_file_bytes {
            return Some("the limit on the size of a file changed".to_string());
        }
        if self.name != now.name {
            return Some("the workspace was opened under another name".to_string());
        }
        for (was, is) in self.files.iter().zip(&now.files) {
            if was.name != is.name {
                let (first, added) = if was.name < is.name {
                    (&was.name, "is gone")
                } else {
                    (&is.name, "is new")
                };
                return Some(format!("{first} {added}"));
            }
            if was != is {
                return Some(format!("{} changed", is.name));
            }
        }
        match self.files.len().cmp(&now.files.len()) {
            std::cmp::Ordering::Less => {
                Some(format!("{} is new", now.files[self.files.len()].name))
            }
            std::cmp::Ordering::Greater => {
                Some(format!("{} is gone", self.files[now.files.len()].name))
            }
            std::cmp::Ordering::Equal if self.skipped != now.skipped => {
                Some("the files that cannot be read changed".to_string())
            }
            std::cmp::Ordering::Equal => None,
        }
    }
}
