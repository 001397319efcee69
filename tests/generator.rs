//! The enterprise workspace generator (`examples/generate.rs`) at a small
//! scale: what it writes loads without a single diagnostic, and the same seed
//! writes the same bytes.

#[path = "../examples/generate.rs"]
mod generate;

use std::path::{Path, PathBuf};

/// A fresh folder under the system's temporary folder, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!(
            "iamscope-generator-{}-{tag}-{nanos}",
            std::process::id()
        ));
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn read_all(dir: &Path, files: &[String]) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .map(|name| (name.clone(), std::fs::read(dir.join(name)).unwrap()))
        .collect()
}

#[test]
fn a_small_generated_workspace_loads_cleanly_and_is_reproducible() {
    let first = TempDir::new("a");
    let summary = generate::generate(&first.0, 0.01, 42).expect("the generator runs");
    assert_eq!(
        (
            summary.accounts,
            summary.users,
            summary.groups,
            summary.roles,
            summary.policies,
            summary.resource_policies,
        ),
        (3, 100, 20, 30, 50, 3)
    );
    assert_eq!(summary.files.len(), 5, "{:?}", summary.files);
    assert!(summary.policy_versions >= summary.policies);

    let loaded = iamscope::workspace::load_path(&first.0).expect("the workspace is readable");
    let diagnostics: Vec<String> = loaded.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        diagnostics.is_empty(),
        "the generated workspace has problems:\n{}",
        diagnostics.join("\n")
    );
    let ws = &loaded.workspace;
    assert_eq!(ws.accounts.len(), 3);
    assert!(ws.organization.is_some());
    assert_eq!(ws.resource_policies.len(), 3);
    let principals: usize = ws
        .accounts
        .iter()
        .map(|a| a.users.len() + a.roles.len())
        .sum();
    assert_eq!(principals, 130);

    // The same seed writes the same bytes; another seed writes other ones.
    let second = TempDir::new("b");
    let again = generate::generate(&second.0, 0.01, 42).expect("the generator runs");
    assert_eq!(again, summary);
    assert!(
        read_all(&first.0, &summary.files) == read_all(&second.0, &again.files),
        "two runs with seed 42 wrote different files"
    );
    let third = TempDir::new("c");
    let other = generate::generate(&third.0, 0.01, 7).expect("the generator runs");
    assert_ne!(
        read_all(&first.0, &summary.files),
        read_all(&third.0, &other.files)
    );
}
