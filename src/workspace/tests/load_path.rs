//! `load_path`: folders, single files, size limits, nesting depth and special
//! files.

use super::files_and_accounts::{DEV, PROD};
use super::*;

/// A fresh folder under the system temp dir, removed on drop.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!(
            "iamscope-workspace-test-{}-{label}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    fn write(&self, name: &str, text: &str) -> std::path::PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("write fixture");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn load_path_on_a_missing_path_says_so() {
    let dir = TempDir::new("missing");
    let missing = dir.0.join("nowhere");
    match load_path(&missing) {
        Err(e @ LoadError::NotFound(_)) => assert_eq!(
            e.to_string(),
            format!("{}: no such file or folder", missing.display())
        ),
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[test]
fn load_path_on_a_folder_without_json_files_says_so() {
    let dir = TempDir::new("empty");
    dir.write("notes.txt", "not json");
    std::fs::create_dir(dir.0.join("sub.json")).expect("a folder named like a file");
    match load_path(&dir.0) {
        Err(e @ LoadError::NoJsonFiles { .. }) => assert_eq!(
            e.to_string(),
            format!(
                "{}: the folder holds no .json file; it holds notes.txt; a workspace is the output of \
                 `aws iam get-account-authorization-details`, one .json file per account",
                dir.0.display()
            )
        ),
        other => panic!("expected NoJsonFiles, got {other:?}"),
    }
}

#[test]
fn load_path_reads_a_folders_json_files_in_name_order_and_skips_subfolders() {
    let dir = TempDir::new("folder");
    let prod = dir.write("b-prod.json", PROD);
    let dev = dir.write("a-dev.JSON", DEV);
    dir.write("README.md", "# not read");
    let sub = dir.0.join("tours");
    std::fs::create_dir(&sub).expect("subfolder");
    // Would be an error if it were read.
    std::fs::write(sub.join("broken.json"), "{").expect("write");
    let loaded = load_path(&dir.0).expect("loads");
    assert_count(&loaded, 0);
    let files: Vec<_> = loaded
        .workspace
        .accounts
        .iter()
        .map(|a| a.file.clone())
        .collect();
    assert_eq!(
        files,
        [dev.display().to_string(), prod.display().to_string()]
    );
    assert_eq!(
        loaded.workspace.name,
        format!("iamscope-workspace-test-{}-folder", std::process::id())
    );
}

#[test]
fn load_path_reads_a_single_file_and_names_the_workspace_after_it() {
    let dir = TempDir::new("single");
    let file = dir.write("dev.json", DEV);
    let loaded = load_path(&file).expect("loads");
    assert_count(&loaded, 0);
    assert_eq!(loaded.workspace.name, "dev");
    assert_eq!(
        loaded.workspace.accounts[0].file,
        file.display().to_string()
    );
}

#[test]
fn files_over_the_size_limit_are_refused_before_reading() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-accounts/workshop");
    let options = super::LoadOptions {
        max_file_bytes: 100,
    };
    // In a folder, each file over the limit is skipped with an error.
    let loaded = super::load_path_with(&path, &options).expect("the folder is read");
    assert!(loaded.workspace.accounts.is_empty());
    let errors: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
    assert_eq!(errors.len(), 4, "{errors:#?}");
    for text in &errors {
        assert!(text.contains("over the limit of 100 bytes"), "{text}");
        assert!(text.contains("IAMSCOPE_MAX_FILE_MB"), "{text}");
        assert!(text.ends_with("; the file is skipped"), "{text}");
    }
    // A file named on its own cannot be skipped: it is refused.
    let error = super::load_path_with(&path.join("dev-111111111111.json"), &options).unwrap_err();
    let text = error.to_string();
    assert!(text.contains("over the limit of 100 bytes"), "{text}");
    assert!(super::load_path_with(&path, &super::LoadOptions::default()).is_ok());
}

#[test]
fn deeply_nested_documents_are_an_error_not_a_crash() {
    let depth = 400;
    let nested = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let text = format!(
        r#"{{"Policies": [{{"PolicyName": "p", "Arn": "arn:aws:iam::111111111111:policy/p", "DefaultVersionId": "v1",
            "PolicyVersionList": [{{"VersionId": "v1", "IsDefaultVersion": true, "Document": {nested}}}]}}]}}"#
    );
    let loaded = super::load_sources(
        "deep",
        vec![super::Source {
            name: "deep.json".into(),
            bytes: text.into_bytes(),
        }],
    );
    let errors: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("deep.json:"), "{}", errors[0]);
    assert!(errors[0].contains("recursion limit"), "{}", errors[0]);
}

/// A FIFO would block the reader forever: it is skipped with a warning and
/// never opened (the test would hang if it were).
#[cfg(unix)]
#[test]
fn a_fifo_in_a_folder_is_skipped_unopened_and_the_rest_loads() {
    let dir = TempDir::new("fifo");
    dir.write(
        "a.json",
        r#"{"UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::123456789012:user/u"}]}"#,
    );
    let fifo = dir.0.join("pipe.json");
    let c_path = std::ffi::CString::new(fifo.display().to_string()).expect("no NUL in the path");
    // SAFETY: a valid NUL-terminated path; mkfifo only creates the node.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let loaded = load_path(&dir.0).expect("the folder loads");
    assert_eq!(loaded.workspace.accounts.len(), 1);
    let warnings: Vec<String> = loaded.warnings().map(|d| d.to_string()).collect();
    assert_eq!(
        warnings,
        [format!(
            "{}: warning: a FIFO (named pipe), not a regular file; it is skipped without being opened",
            fifo.display()
        )]
    );
    // Named on its own, it is refused, still unopened.
    let error = load_path(&fifo).unwrap_err().to_string();
    assert!(
        error.ends_with("a FIFO (named pipe), not a regular file; it is not opened"),
        "{error}"
    );
}

#[test]
fn a_folder_without_json_says_what_it_seems_to_be() {
    let hint = |setup: &dyn Fn(&TempDir)| -> String {
        let dir = TempDir::new("hint");
        setup(&dir);
        let error = load_path(&dir.0).unwrap_err().to_string();
        error
            .split_once("the folder holds no .json file")
            .map(|(_, rest)| rest.to_string())
            .unwrap_or(error)
    };
    assert_eq!(hint(&|_| {}), "; it is empty");
    let nested = hint(&|d| {
        std::fs::create_dir(d.0.join("prod")).expect("mkdir");
        d.write("prod/account.json", "{}");
    });
    assert_eq!(
        nested,
        "; its sub-folders prod do (sub-folders are not read): open one of them"
    );
    let tours = hint(&|d| {
        std::fs::create_dir(d.0.join("tours")).expect("mkdir");
        d.write("tours/t.json", "{}");
    });
    assert!(
        tours.starts_with("; it holds tours (tours/) but no account data"),
        "{tours}"
    );
    // Inside the layout of cloud-copilot's iam-collect (docs/Storage.md):
    // the store itself opens (workspace/collect), its aws/ folder does not.
    let inside = hint(&|d| {
        std::fs::create_dir_all(d.0.join("aws/accounts/123456789012")).expect("mkdir");
    });
    assert!(
        inside.starts_with("; it is part of an iam-collect store"),
        "{inside}"
    );
}

#[test]
fn progress_counts_every_file_its_bytes_and_its_accounts() {
    use crate::workspace::{load_path_reporting, LoadOptions, LoadProgress, Unit};
    let progress = LoadProgress::default();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-accounts/workshop");
    let loaded = load_path_reporting(&path, &LoadOptions::default(), &progress).unwrap();
    let reading = progress.read();
    let json_files = std::fs::read_dir(&path)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "json"))
        })
        .count() as u64;
    assert_eq!(reading.unit, Unit::File);
    assert_eq!((reading.done, reading.total), (json_files, json_files));
    assert_eq!(reading.bytes_done, reading.bytes_total);
    assert!(reading.bytes_total > 0);
    assert_eq!(reading.accounts, loaded.workspace.accounts.len() as u64);
}

#[test]
fn progress_counts_a_stores_account_folders() {
    use crate::workspace::{load_path_reporting, LoadOptions, LoadProgress, Unit};
    let progress = LoadProgress::default();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/iam-collect/org-store");
    let loaded = load_path_reporting(&path, &LoadOptions::default(), &progress).unwrap();
    let reading = progress.read();
    assert_eq!(reading.unit, Unit::Account);
    assert_eq!(reading.done, reading.total);
    assert_eq!(reading.accounts, loaded.workspace.accounts.len() as u64);
    assert!(reading.accounts >= 2, "{reading:?}");
}
