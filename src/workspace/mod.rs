//! Reading a workspace: one JSON file or a folder of them. The only module
//! that touches the file system, and it only ever reads.
//!
//! Each file's kind is told by its top-level keys: an account (the output of
//! `aws iam get-account-authorization-details`), resource policies
//! (`ResourcePolicies`) or an organization (`Organization`).

mod account_file;
pub mod diagnostic;
mod document_text;
mod file_context;
mod files;
pub mod locate;
mod org_file;
pub mod recipe;
mod references;
mod resource_file;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use diagnostic::Diagnostic;
use file_context::FileContext;
use files::AnyFile;
use locate::Position;

use crate::model::Workspace;
use crate::policy::Severity;

/// One input file: its name as shown to the user, and its bytes.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A loaded workspace and every problem found on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub workspace: Workspace,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }

    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }
}

/// A workspace that cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: no such file or folder", .0.display())]
    NotFound(PathBuf),
    #[error("{}: cannot be read: {source}", .path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: the folder holds no .json file", .0.display())]
    NoJsonFiles(PathBuf),
    #[error(
        "{}: the file is {}, over the limit of {} (set IAMSCOPE_MAX_FILE_MB to raise it)",
        .path.display(), human_size(*.size), human_size(*.limit)
    )]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
}

/// `26 KiB`, `1.5 MiB`, `512 MiB`.
fn human_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    match bytes {
        b if b < KIB => format!("{b} bytes"),
        b if b < MIB => format!("{} KiB", b / KIB),
        b => format!("{:.1} MiB", b as f64 / MIB as f64),
    }
}

/// Limits on what is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadOptions {
    /// Largest file read, in bytes: a file past it is refused before it is
    /// read, so a wrong path (a disk image, a log) cannot exhaust memory.
    pub max_file_bytes: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_bytes: 512 * 1024 * 1024,
        }
    }
}

/// Reads a file, or every `*.json` file of a folder (not its subfolders, where
/// tours and other material live), in name order.
pub fn load_path(path: &Path) -> Result<Loaded, LoadError> {
    load_path_with(path, &LoadOptions::default())
}

/// [`load_path`] with explicit limits.
pub fn load_path_with(path: &Path, options: &LoadOptions) -> Result<Loaded, LoadError> {
    let metadata = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotFound(path.to_path_buf()),
        _ => LoadError::Unreadable {
            path: path.to_path_buf(),
            source: e,
        },
    })?;
    let files: Vec<PathBuf> = if metadata.is_dir() {
        let entries = std::fs::read_dir(path).map_err(|e| LoadError::Unreadable {
            path: path.to_path_buf(),
            source: e,
        })?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.is_file()
                    && p.extension()
                        .is_some_and(|x| x.eq_ignore_ascii_case("json"))
            })
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(LoadError::NoJsonFiles(path.to_path_buf()));
        }
        files
    } else {
        vec![path.to_path_buf()]
    };
    let mut sources = Vec::with_capacity(files.len());
    for file in files {
        let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        if size > options.max_file_bytes {
            return Err(LoadError::TooLarge {
                path: file,
                size,
                limit: options.max_file_bytes,
            });
        }
        let bytes = std::fs::read(&file).map_err(|e| LoadError::Unreadable {
            path: file.clone(),
            source: e,
        })?;
        sources.push(Source {
            name: file.display().to_string(),
            bytes,
        });
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().trim_end_matches(".json").to_string())
        .unwrap_or_else(|| path.display().to_string());
    Ok(load_sources(&name, sources))
}

/// Builds a workspace from files already in memory.
pub fn load_sources(name: &str, sources: Vec<Source>) -> Loaded {
    let mut workspace = Workspace {
        name: name.to_string(),
        ..Workspace::default()
    };
    let mut diagnostics = Vec::new();
    // A recipe stands for the files it generates (recipe.rs).
    let sources = recipe::expand(sources, &mut diagnostics);
    // Each text is moved into its Arc once, before reading: converting after
    // would copy every file while the whole model is in memory.
    let mut texts: Vec<(Arc<str>, Arc<str>)> = Vec::new();
    for source in sources {
        match decode_text(source.bytes) {
            Ok(text) => texts.push((Arc::from(source.name.as_str()), Arc::from(text))),
            Err((position, message)) => diagnostics.push(Diagnostic {
                severity: Severity::Error,
                file: source.name,
                position: Some(position),
                path: None,
                message,
            }),
        }
    }
    let mut account_contexts = Vec::new();
    let mut other_contexts = Vec::new();
    for (mut cx, parsed) in read_all(&texts) {
        match parsed.and_then(|p| merge(&mut cx, p, &mut workspace)) {
            Ok(FileKind::Account) => account_contexts.push(cx),
            Ok(FileKind::Other) => other_contexts.push(cx),
            Err(diagnostic) => {
                diagnostics.extend(cx.finish());
                diagnostics.push(diagnostic);
            }
        }
    }
    references::check(&mut workspace, &mut account_contexts, &mut other_contexts);
    for cx in account_contexts.into_iter().chain(other_contexts) {
        diagnostics.extend(cx.finish());
    }
    // Kept so that a policy can be shown as the file writes it.
    workspace.sources = texts.into_iter().collect();
    diagnostics.sort_by(|a, b| (&a.file, a.position).cmp(&(&b.file, b.position)));
    Loaded {
        workspace,
        diagnostics,
    }
}

/// Reads every file, on as many threads as there are cores (a large
/// organization is ten 10 MB account files), in the files' order.
fn read_all(texts: &[(Arc<str>, Arc<str>)]) -> Vec<(FileContext<'_>, Result<Parsed, Diagnostic>)> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(texts.len())
        .max(1);
    fn read_one(file: &(Arc<str>, Arc<str>)) -> (FileContext<'_>, Result<Parsed, Diagnostic>) {
        let mut cx = FileContext::new(file.0.clone(), &file.1);
        let parsed = read_file(&mut cx, &file.1);
        (cx, parsed)
    }
    if threads == 1 {
        return texts.iter().map(read_one).collect();
    }
    let mut slots: Vec<Option<(FileContext<'_>, Result<Parsed, Diagnostic>)>> = Vec::new();
    slots.resize_with(texts.len(), || None);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    texts
                        .iter()
                        .enumerate()
                        .skip(t)
                        .step_by(threads)
                        .map(|(i, file)| (i, read_one(file)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for worker in workers {
            // A panic in a reader thread is a bug; carry it to the caller.
            let done = worker
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            for (i, result) in done {
                slots[i] = Some(result);
            }
        }
    });
    slots.into_iter().flatten().collect()
}

/// A file's text. A UTF-8 byte-order mark (Windows editors write one) is
/// dropped, as serde_json would otherwise refuse the file at 1:1 with a bare
/// "expected value"; editors do not show the mark, so columns stay right.
/// UTF-16 (what `>` writes in Windows PowerShell 5) gets a message saying so,
/// and other invalid bytes are placed at their line and column.
fn decode_text(bytes: Vec<u8>) -> Result<String, (Position, String)> {
    const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err((
            Position { line: 1, column: 1 },
            "the file is UTF-16 text (as `>` writes it in Windows PowerShell 5); \
             save it as UTF-8, e.g. `Get-Content in.json | Set-Content -Encoding utf8 out.json`"
                .to_string(),
        ));
    }
    let bytes = match bytes.strip_prefix(UTF8_BOM) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]);
        (
            locate::position_of(&prefix, valid),
            format!("the file is not UTF-8 text (invalid byte at offset {valid})"),
        )
    })
}

/// What a workspace file is, for messages about files that are none of it.
const EXPECTED_KINDS: &str = "expected the output of `aws iam get-account-authorization-details` \
     (UserDetailList, GroupDetailList, RoleDetailList, Policies), a {\"ResourcePolicies\": [...]} file \
     or an {\"Organization\": {...}} file";

enum FileKind {
    Account,
    Other,
}

/// Reads one file into the workspace; `Err` when the file as a whole is unusable.
/// What one file holds, read on its own (files are read in parallel).
enum Parsed {
    Organization(crate::model::Organization),
    ResourcePolicies(Vec<crate::model::ResourcePolicy>),
    Account(crate::model::Account),
    /// An account file whose account id cannot be told.
    Nothing,
}

fn read_file(cx: &mut FileContext, text: &str) -> Result<Parsed, Diagnostic> {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('{') {
        // serde would read a top-level array as the struct's fields in order
        // and complain about its first element; say what the file holds.
        serde_json::from_str::<serde::de::IgnoredAny>(text)
            .map_err(|e| json_error(cx, text, &e))?;
        let holds = match trimmed.as_bytes().first() {
            Some(b'[') => "an array",
            Some(b'"') => "a string",
            _ => "a number, boolean or null",
        };
        return Err(cx.whole_file(
            Severity::Error,
            Some(locate::position_of(text, text.len() - trimmed.len())),
            format!("not a workspace file: it holds {holds}, not a JSON object; {EXPECTED_KINDS}"),
        ));
    }
    let file: AnyFile = serde_json::from_str(text).map_err(|e| json_error(cx, text, &e))?;
    let is_account = file.users.is_some()
        || file.groups.is_some()
        || file.roles.is_some()
        || file.policies.is_some();
    let kinds = [
        is_account,
        file.resource_policies.is_some(),
        file.organization.is_some(),
    ];
    match kinds.iter().filter(|k| **k).count() {
        0 => {
            return Err(cx.whole_file(
                Severity::Error,
                Some(Position { line: 1, column: 1 }),
                format!("not a workspace file: {EXPECTED_KINDS}"),
            ))
        }
        1 => {}
        _ => return Err(cx.whole_file(
            Severity::Error,
            Some(Position { line: 1, column: 1 }),
            "the file mixes account, resource-policy and organization keys; keep one kind per file",
        )),
    }
    if let Some(org) = file.organization {
        return Ok(Parsed::Organization(org_file::build_organization(cx, org)));
    }
    if let Some(entries) = file.resource_policies {
        return Ok(Parsed::ResourcePolicies(
            resource_file::build_resource_policies(cx, entries),
        ));
    }
    let lists = account_file::AccountLists {
        users: file.users.unwrap_or_default(),
        groups: file.groups.unwrap_or_default(),
        roles: file.roles.unwrap_or_default(),
        policies: file.policies.unwrap_or_default(),
    };
    Ok(match account_file::build_account(cx, lists) {
        Some(account) => {
            account_file::check_duplicate_names(cx, &account);
            Parsed::Account(account)
        }
        None => Parsed::Nothing,
    })
}

/// Adds what a file holds to the workspace, refusing a second organization
/// or a second file for the same account.
fn merge(
    cx: &mut FileContext,
    parsed: Parsed,
    workspace: &mut Workspace,
) -> Result<FileKind, Diagnostic> {
    match parsed {
        Parsed::Organization(org) => {
            if let Some(previous) = &workspace.organization {
                return Err(cx.whole_file(
                    Severity::Error,
                    Some(Position { line: 1, column: 1 }),
                    format!(
                        "a second organization file; the organization is already read from {}",
                        previous.file
                    ),
                ));
            }
            workspace.organization = Some(org);
            Ok(FileKind::Other)
        }
        Parsed::ResourcePolicies(policies) => {
            workspace.resource_policies.extend(policies);
            Ok(FileKind::Other)
        }
        // No account was added, so this file's context must not join the
        // account contexts: `references::check` pairs them with
        // `workspace.accounts` by index, and one too many would report the
        // next account's problems in this file.
        Parsed::Nothing => Ok(FileKind::Other),
        Parsed::Account(account) => {
            if let Some(previous) = workspace.account(&account.id) {
                return Err(cx.whole_file(
                    Severity::Error,
                    Some(Position { line: 1, column: 1 }),
                    format!(
                        "account {} is already read from {}; one file per account",
                        account.id, previous.file
                    ),
                ));
            }
            workspace.accounts.push(account);
            Ok(FileKind::Account)
        }
    }
}

/// A JSON syntax or shape error, at the place serde found it.
fn json_error(cx: &FileContext, text: &str, e: &serde_json::Error) -> Diagnostic {
    let prefix = if e.is_syntax() || e.is_eof() {
        "invalid JSON"
    } else {
        "unexpected content"
    };
    let mut message = locate::json_error_message(e);
    if message.contains("recursion limit exceeded") {
        message = "the JSON is nested more than 128 levels deep (recursion limit exceeded); no AWS document is".to_string();
    }
    cx.whole_file(
        Severity::Error,
        locate::json_error_position(text, e),
        format!("{prefix}: {message}"),
    )
}

#[cfg(test)]
mod tests;
