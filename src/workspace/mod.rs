//! Reading a workspace: one JSON file or a folder of them. The only module
//! that touches the file system, and it only ever reads.
//!
//! Each file's kind is told by its top-level keys: an account (the output of
//! `aws iam get-account-authorization-details`), resource policies
//! (`ResourcePolicies`) or an organization (`Organization`).

mod account_file;
pub mod cache;
pub mod caveats;
pub mod collect;
pub mod diagnostic;
mod document_text;
mod file_context;
mod files;
mod intern;
pub mod locate;
mod org_file;
mod parallel;
pub mod progress;
pub mod recipe;
mod references;
mod resource_file;
pub mod subjects;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use diagnostic::Diagnostic;
use file_context::FileContext;
use files::AnyFile;
use locate::Position;
pub use progress::{LoadProgress, ProgressReading, Unit};

use crate::model::{Account, Workspace};
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
    /// The diagnostics by the places they are under, built at first use
    /// (see [`caveats::ProblemIndex`]).
    pub(crate) problem_index: std::sync::OnceLock<caveats::ProblemIndex>,
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
    #[error("{}: the folder holds no .json file{hint}", .path.display())]
    NoJsonFiles { path: PathBuf, hint: String },
    #[error("{}: {kind}, not a regular file; it is not opened", .path.display())]
    NotRegular { path: PathBuf, kind: &'static str },
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

impl LoadError {
    /// The message without the leading path, for a diagnostic that names it.
    fn reason(&self) -> String {
        match self {
            LoadError::Unreadable { source, .. } => format!("cannot be read: {source}"),
            LoadError::TooLarge { size, limit, .. } => format!(
                "the file is {}, over the limit of {} (set IAMSCOPE_MAX_FILE_MB to raise it)",
                human_size(*size),
                human_size(*limit)
            ),
            other => other.to_string(),
        }
    }
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

/// [`load_path`] with explicit limits. A folder's files that cannot be read
/// (too large, unreadable, not regular files) are reported and the rest
/// loads; a single file that cannot be read is a [`LoadError`].
pub fn load_path_with(path: &Path, options: &LoadOptions) -> Result<Loaded, LoadError> {
    load_path_reporting(path, options, &LoadProgress::default())
}

/// [`load_path_with`], advancing `progress` as files are read, for a caller
/// that shows how far a long load has come.
pub fn load_path_reporting(
    path: &Path,
    options: &LoadOptions,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    match gather(path, options)? {
        Gathered::Store => Ok(collect::load_store(path, options, progress)),
        Gathered::Files(files) => Ok(load_files(files, progress)),
    }
}

/// What a path holds, read: an iam-collect store (read by [`collect`] in
/// its own way), or the files of a folder or the one file.
pub(crate) enum Gathered {
    Store,
    Files(FilesRead),
}

/// What a path holds, listed but not read yet.
pub(crate) enum Listing {
    Store,
    Files(FilesListed),
}

/// The files of a workspace, listed with their sizes and times.
pub(crate) struct FilesListed {
    pub name: String,
    pub files: Vec<Listed>,
    /// Whether the workspace is one file (which must be read) rather than
    /// a folder (whose unreadable files are skipped).
    single: bool,
    pub skipped: Vec<Diagnostic>,
}

/// The files of a workspace, read, before they are parsed.
pub(crate) struct FilesRead {
    /// The workspace's short name (the folder or file name).
    pub name: String,
    pub files: Vec<FileRead>,
    /// The files that could not be read, and why (they are skipped).
    pub skipped: Vec<Diagnostic>,
}

/// One file read, with what tells this version of it from another.
pub(crate) struct FileRead {
    pub source: Source,
    pub size: u64,
    /// Its modification time, in nanoseconds since 1970, when the system tells.
    pub modified_ns: Option<u128>,
}

/// Lists and reads what `path` holds; an iam-collect store is only told.
pub(crate) fn gather(path: &Path, options: &LoadOptions) -> Result<Gathered, LoadError> {
    match list(path)? {
        Listing::Store => Ok(Gathered::Store),
        Listing::Files(listed) => read_files(listed, options).map(Gathered::Files),
    }
}

/// Lists what `path` holds, without reading the files.
pub(crate) fn list(path: &Path) -> Result<Listing, LoadError> {
    let metadata = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotFound(path.to_path_buf()),
        _ => LoadError::Unreadable {
            path: path.to_path_buf(),
            source: e,
        },
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().trim_end_matches(".json").to_string())
        .unwrap_or_else(|| path.display().to_string());
    // An iam-collect store is a tree of small files, not a folder of dumps.
    if metadata.is_dir() && collect::is_store(path) {
        return Ok(Listing::Store);
    }
    if !metadata.is_dir() {
        if let Some(kind) = special_file_kind(&metadata) {
            return Err(LoadError::NotRegular {
                path: path.to_path_buf(),
                kind,
            });
        }
        return Ok(Listing::Files(FilesListed {
            name,
            files: vec![Listed::of(path.to_path_buf(), &metadata)],
            single: true,
            skipped: Vec::new(),
        }));
    }
    let (files, skipped) = folder_files(path)?;
    Ok(Listing::Files(FilesListed {
        name,
        files,
        single: false,
        skipped,
    }))
}

/// Reads the files listed, on every core, largest first. A folder's files
/// that cannot be read are reported and skipped; a single file that cannot
/// be read is a [`LoadError`].
pub(crate) fn read_files(
    listed: FilesListed,
    options: &LoadOptions,
) -> Result<FilesRead, LoadError> {
    let read = parallel::map_heaviest_first(
        &listed.files,
        |file| file.size,
        |file| read_listed(file, options),
    );
    let mut files = Vec::with_capacity(listed.files.len());
    let mut skipped = listed.skipped;
    for (file, read) in listed.files.iter().zip(read) {
        match read {
            Ok(read) => files.push(read),
            Err(e) if listed.single => return Err(e),
            Err(e) => skipped.push(Diagnostic {
                severity: Severity::Error,
                file: file.path.display().to_string(),
                position: None,
                path: None,
                message: format!("{}; the file is skipped", e.reason()),
                anchor: None,
            }),
        }
    }
    Ok(FilesRead {
        name: listed.name,
        files,
        skipped,
    })
}

/// Parses files read into a workspace.
pub(crate) fn load_files(read: FilesRead, progress: &LoadProgress) -> Loaded {
    let sources = read.files.into_iter().map(|f| f.source).collect();
    load_sources_after(&read.name, sources, read.skipped, progress)
}

/// A file to read: its path, size and modification time as listed.
pub(crate) struct Listed {
    pub path: PathBuf,
    pub size: u64,
    pub modified_ns: Option<u128>,
}

impl Listed {
    fn of(path: PathBuf, metadata: &std::fs::Metadata) -> Self {
        let modified_ns = metadata
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_nanos());
        Listed {
            path,
            size: metadata.len(),
            modified_ns,
        }
    }
}

fn read_listed(listed: &Listed, options: &LoadOptions) -> Result<FileRead, LoadError> {
    let source = read_source(&listed.path, listed.size, options)?;
    Ok(FileRead {
        // The bytes read, should the file have changed since it was listed.
        size: source.bytes.len() as u64,
        modified_ns: listed.modified_ns,
        source,
    })
}

/// A folder's files to read, and the problems of the others.
type FolderFiles = (Vec<Listed>, Vec<Diagnostic>);

/// The `*.json` files of a folder (not its subfolders, where tours and other
/// material live) with their sizes, in name order, and a warning for each
/// that is not a regular file: a FIFO or a device would block or never end,
/// so it is never opened.
fn folder_files(folder: &Path) -> Result<FolderFiles, LoadError> {
    let entries = std::fs::read_dir(folder).map_err(|e| LoadError::Unreadable {
        path: folder.to_path_buf(),
        source: e,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("json"))
        })
        .collect();
    paths.sort();
    let mut files = Vec::with_capacity(paths.len());
    let mut diagnostics = Vec::new();
    for path in paths {
        // `metadata` follows symbolic links: a link to a file is read.
        let Ok(metadata) = std::fs::metadata(&path) else {
            continue;
        };
        if metadata.is_dir() {
            continue;
        }
        match special_file_kind(&metadata) {
            None => files.push(Listed::of(path, &metadata)),
            Some(kind) => diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                file: path.display().to_string(),
                position: None,
                path: None,
                message: format!("{kind}, not a regular file; it is skipped without being opened"),
                anchor: None,
            }),
        }
    }
    if files.is_empty() && diagnostics.is_empty() {
        return Err(LoadError::NoJsonFiles {
            path: folder.to_path_buf(),
            hint: folder_hint(folder),
        });
    }
    Ok((files, diagnostics))
}

/// What a folder without JSON seems to be, to say in the error.
fn folder_hint(folder: &Path) -> String {
    // Inside an iam-collect store (its `aws/` or a partition folder): the
    // store opens from the folder above `aws/` (collect::is_store).
    if folder.join("accounts").is_dir() || holds_partition_accounts(folder) {
        return "; it is part of an iam-collect store: open the folder that holds aws/<partition>/accounts"
            .to_string();
    }
    let mut subfolders_with_json = Vec::new();
    let mut has_tours = false;
    let mut others = Vec::new();
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if path.is_dir() {
            if name == "tours" {
                has_tours = true;
            } else if holds_json(&path) {
                subfolders_with_json.push(name);
            }
        } else {
            others.push(name);
        }
    }
    subfolders_with_json.sort();
    others.sort();
    if !subfolders_with_json.is_empty() {
        return format!(
            "; its sub-folders {} do (sub-folders are not read): open one of them",
            subfolders_with_json.join(", ")
        );
    }
    if has_tours {
        return "; it holds tours (tours/) but no account data for them: add the accounts' \
                authorization-details files beside tours/"
            .to_string();
    }
    if others.is_empty() {
        return "; it is empty".to_string();
    }
    format!(
        "; it holds {}; a workspace is the output of `aws iam get-account-authorization-details`, one .json file per account",
        others.join(", ")
    )
}

/// `aws/<partition>/accounts`: the layout cloud-copilot's iam-collect writes
/// (its docs/Storage.md).
fn holds_partition_accounts(aws: &Path) -> bool {
    std::fs::read_dir(aws)
        .into_iter()
        .flatten()
        .flatten()
        .any(|partition| partition.path().join("accounts").is_dir())
}

fn holds_json(folder: &Path) -> bool {
    std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("json"))
        })
}

/// `Some("a FIFO")` for what is not a regular file (and not a folder).
fn special_file_kind(metadata: &std::fs::Metadata) -> Option<&'static str> {
    let kind = metadata.file_type();
    if kind.is_file() || kind.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_block_device() || kind.is_char_device() {
            return Some("a device");
        }
    }
    Some("a special file")
}

/// Reads one regular file, refusing it before reading when it is too large.
fn read_source(file: &Path, size: u64, options: &LoadOptions) -> Result<Source, LoadError> {
    if size > options.max_file_bytes {
        return Err(LoadError::TooLarge {
            path: file.to_path_buf(),
            size,
            limit: options.max_file_bytes,
        });
    }
    let bytes = std::fs::read(file).map_err(|e| LoadError::Unreadable {
        path: file.to_path_buf(),
        source: e,
    })?;
    Ok(Source {
        name: file.display().to_string(),
        bytes,
    })
}

/// Builds a workspace from files already in memory.
pub fn load_sources(name: &str, sources: Vec<Source>) -> Loaded {
    load_sources_after(name, sources, Vec::new(), &LoadProgress::default())
}

/// [`load_sources`], after `diagnostics` found while gathering the files.
fn load_sources_after(
    name: &str,
    sources: Vec<Source>,
    mut diagnostics: Vec<Diagnostic>,
    progress: &LoadProgress,
) -> Loaded {
    let mut workspace = Workspace {
        name: name.to_string(),
        ..Workspace::default()
    };
    let texts = decode_sources(sources, &mut diagnostics);
    let bytes = texts.iter().map(|(_, text)| text.len() as u64).sum();
    progress.begin(Unit::File, texts.len(), bytes);
    let mut contexts = Vec::new();
    let mut dumps = BTreeMap::new();
    let interner = intern::PolicyInterner::default();
    for (mut cx, parsed) in read_all(&texts, &interner, progress) {
        match parsed.and_then(|p| merge(&mut cx, p, &mut workspace, &mut dumps)) {
            Ok(()) => contexts.push(cx),
            Err(diagnostic) => {
                diagnostics.extend(cx.finish());
                diagnostics.push(diagnostic);
            }
        }
    }
    references::check(&mut workspace, &mut contexts);
    for cx in contexts {
        diagnostics.extend(cx.finish());
    }
    // Kept so that a policy can be shown as the file writes it.
    workspace.sources = texts.into_iter().collect();
    diagnostics.sort_by(|a, b| (&a.file, a.position).cmp(&(&b.file, b.position)));
    Loaded {
        workspace,
        diagnostics,
        problem_index: std::sync::OnceLock::new(),
    }
}

/// The texts of `sources`, by name, as a load keeps them in
/// [`Workspace::sources`]: for a workspace whose model is read from the
/// snapshot cache, which keeps no text.
pub(crate) fn source_texts(sources: Vec<Source>) -> BTreeMap<Arc<str>, Arc<str>> {
    // The problems are in the cached diagnostics already.
    decode_sources(sources, &mut Vec::new())
        .into_iter()
        .collect()
}

/// The text of each source (recipes replaced by the files they generate),
/// and a problem for each that is not text.
fn decode_sources(
    sources: Vec<Source>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Arc<str>, Arc<str>)> {
    // A recipe stands for the files it generates (recipe.rs).
    let sources = recipe::expand(sources, diagnostics);
    // Each text is copied into its Arc once, before reading (converting after
    // would copy every file while the whole model is in memory), on every
    // core: checking and copying 100 MB is a tenth of a second.
    let decoded = parallel::map_heaviest_first(
        &sources,
        |source| source.bytes.len() as u64,
        |source| decode_text(&source.bytes),
    );
    let mut texts: Vec<(Arc<str>, Arc<str>)> = Vec::new();
    for (source, decoded) in sources.into_iter().zip(decoded) {
        match decoded {
            Ok(text) => texts.push((Arc::from(source.name.as_str()), text)),
            Err((position, message)) => diagnostics.push(Diagnostic {
                severity: Severity::Error,
                file: source.name,
                position: Some(position),
                path: None,
                message,
                anchor: None,
            }),
        }
    }
    texts
}

/// Reads every file, on as many threads as there are cores (a large
/// organization is ten 10 MB account files), largest first; in the files'
/// order.
fn read_all<'t>(
    texts: &'t [(Arc<str>, Arc<str>)],
    interner: &'t intern::PolicyInterner<'t>,
    progress: &LoadProgress,
) -> Vec<(FileContext<'t>, Result<Parsed, Diagnostic>)> {
    parallel::map_heaviest_first(
        texts,
        |(_, text)| text.len() as u64,
        |file| {
            let mut cx = FileContext::sharing(file.0.clone(), &file.1, interner);
            let parsed = read_file(&mut cx, &file.1);
            let accounts = match &parsed {
                Ok(Parsed::Accounts(accounts)) => accounts.len(),
                _ => 0,
            };
            progress.advance(file.1.len() as u64, accounts);
            (cx, parsed)
        },
    )
}

/// A file's text. A UTF-8 byte-order mark (Windows editors write one) is
/// dropped, as serde_json would otherwise refuse the file at 1:1 with a bare
/// "expected value"; editors do not show the mark, so columns stay right.
/// UTF-16 (what `>` writes in Windows PowerShell 5) gets a message saying so,
/// and other invalid bytes are placed at their line and column.
fn decode_text(bytes: &[u8]) -> Result<Arc<str>, (Position, String)> {
    const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err((
            Position { line: 1, column: 1 },
            "the file is UTF-16 text (as `>` writes it in Windows PowerShell 5); \
             save it as UTF-8, e.g. `Get-Content in.json | Set-Content -Encoding utf8 out.json`"
                .to_string(),
        ));
    }
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    std::str::from_utf8(bytes).map(Arc::from).map_err(|e| {
        let valid = e.valid_up_to();
        let prefix = String::from_utf8_lossy(&bytes[..valid]);
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

/// Reads one file into the workspace; `Err` when the file as a whole is unusable.
/// What one file holds, read on its own (files are read in parallel).
enum Parsed {
    /// Boxed: an organization is far larger than the other variants.
    Organization(Box<crate::model::Organization>),
    ResourcePolicies(resource_file::ResourceFile),
    /// The accounts an authorization-details file describes, its own first;
    /// empty when its account id cannot be told.
    Accounts(Vec<crate::model::Account>),
}

fn read_file<'t>(cx: &mut FileContext<'t>, text: &'t str) -> Result<Parsed, Diagnostic> {
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
    let file: AnyFile = match serde_json::from_str(text) {
        Ok(file) => file,
        // Valid JSON with an odd entry (a user without `Arn`, a tag without
        // `Key`): read entry by entry, setting aside only the odd ones. The
        // typed pass above stays the fast path for files without problems.
        Err(e) if e.is_data() => {
            files::read_entry_by_entry(cx, text).ok_or_else(|| json_error(cx, text, &e))?
        }
        Err(e) => return Err(json_error(cx, text, &e)),
    };
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
        return Ok(Parsed::Organization(Box::new(
            org_file::build_organization(cx, org),
        )));
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
    let accounts = account_file::build_accounts(cx, lists);
    for account in &accounts {
        account_file::check_duplicate_names(cx, account);
    }
    Ok(Parsed::Accounts(accounts))
}

/// Adds what a file holds to the workspace, refusing a second organization
/// or a second dump of the same account. `dumps` records, for each account,
/// the file whose own account it is (an account may also appear in other
/// files that list a few of its entities).
fn merge(
    cx: &mut FileContext,
    parsed: Parsed,
    workspace: &mut Workspace,
    dumps: &mut BTreeMap<String, Arc<str>>,
) -> Result<(), Diagnostic> {
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
            workspace.organization = Some(*org);
        }
        Parsed::ResourcePolicies(file) => {
            workspace.resource_policies.extend(file.policies);
            workspace.resource_owners.extend(file.owners);
        }
        Parsed::Accounts(accounts) => {
            if let Some(own) = accounts.first() {
                if let Some(previous) = dumps.get(&own.id) {
                    return Err(cx.whole_file(
                        Severity::Error,
                        Some(Position { line: 1, column: 1 }),
                        format!(
                            "account {} is already read from {previous}; one file per account",
                            own.id
                        ),
                    ));
                }
                dumps.insert(own.id.clone(), cx.name.clone());
            }
            for (i, account) in accounts.into_iter().enumerate() {
                add_account(cx, workspace, account, i == 0);
            }
        }
    }
    Ok(())
}

/// Adds an account, or the entities it lists to the same account read from
/// another file. An entity listed twice keeps the listing of its account's
/// own dump, else its first listing; the other is reported where the
/// current file has it.
fn add_account(cx: &mut FileContext, workspace: &mut Workspace, mut account: Account, own: bool) {
    let Some(existing) = workspace.accounts.iter_mut().find(|a| a.id == account.id) else {
        workspace.accounts.push(account);
        return;
    };
    let verdict = if own {
        // This file is the account's own dump: it is the truth, and what
        // other files listed of the account joins it.
        std::mem::swap(existing, &mut account);
        "this dump of its account is kept"
    } else {
        "that listing is kept"
    };
    // Both listings are reported where the current file has them.
    let there = if own {
        account.file.clone()
    } else {
        existing.file.clone()
    };
    let mut repeated = |place: &crate::model::Place, arn: &str| {
        cx.warning(
            &place.path.key("Arn"),
            format!("{arn} is also listed in {there}; {verdict}"),
        );
    };
    let (base, extra) = (existing, account);
    for user in extra.users {
        match base.user_by_arn(&user.arn) {
            Some(kept) if own => repeated(&kept.place, &user.arn),
            Some(_) => repeated(&user.place, &user.arn),
            None => base.users.push(user),
        }
    }
    for group in extra.groups {
        match base.groups.iter().find(|g| g.arn == group.arn) {
            Some(kept) if own => repeated(&kept.place, &group.arn),
            Some(_) => repeated(&group.place, &group.arn),
            None => base.groups.push(group),
        }
    }
    for role in extra.roles {
        match base.roles.iter().find(|r| r.arn == role.arn) {
            Some(kept) if own => repeated(&kept.place, &role.arn),
            Some(_) => repeated(&role.place, &role.arn),
            None => base.roles.push(role),
        }
    }
    for (arn, policy) in extra.policies {
        match base.policies.get(&arn) {
            // AWS managed policies are printed by every dump that uses them.
            Some(_) if policy.is_aws_managed() => {}
            Some(kept) if own => repeated(&kept.place, &arn),
            Some(_) => repeated(&policy.place, &arn),
            None => {
                base.policies.insert(arn, policy);
            }
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
