//! Fingerprints the code and data that decide what a load produces, for the
//! snapshot cache (src/workspace/cache): a cache written by a build whose
//! loader, model or embedded data differ is not read, even when the crate
//! version is the same (as it is between two builds during development).
//! Not a security measure: FNV-1a, over the files in a fixed order.

use std::path::{Path, PathBuf};

/// What a loaded workspace depends on: every source of the crate but the
/// command line and the terminal UI, and the embedded data.
const ROOTS: &[&str] = &["src", "data", "sample-accounts/workshop"];
const LEFT_OUT: &[&str] = &["src/cli", "src/tui"];

fn main() {
    let mut files = Vec::new();
    for root in ROOTS {
        println!("cargo:rerun-if-changed={root}");
        collect(Path::new(root), &mut files);
    }
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in &files {
        let name = file.to_string_lossy();
        let bytes = std::fs::read(file).unwrap_or_default();
        for byte in name.as_bytes().iter().chain([0u8].iter()).chain(&bytes) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=IAMSCOPE_LOADER_FINGERPRINT={hash:016x}");
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    if LEFT_OUT.iter().any(|l| dir == Path::new(l)) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}
