//! Helpers the CLI test files share: running the binary, and a snapshot of a
//! folder's files to show a command changed nothing.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary from the crate root.
#[track_caller]
pub fn iamscope(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        // The snapshot cache of test runs stays in the build folder, not the
        // user's cache directory.
        .env(
            "IAMSCOPE_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/iamscope-cache"),
        )
        .output()
        .expect("the binary runs");
    let run = Run {
        code: output
            .status
            .code()
            .expect("exited with a status, not a signal"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "iamscope {args:?} panicked:\n{}",
        run.stderr
    );
    run
}

/// Every file under `dir` (recursively) with its bytes and modification time.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("read file");
                let modified = std::fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .expect("mtime");
                out.insert(path, (bytes, modified));
            }
        }
    }
    out
}
