//! Reading a store's files, on every core: a store is thousands of small
//! files, and reading and parsing each is independent.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use super::super::file_context::FileContext;
use super::super::{locate, Diagnostic, LoadOptions};
use crate::policy::Severity;

/// One file read: its text, and its JSON when it parses.
struct Read {
    name: Arc<str>,
    text: Arc<str>,
    value: Option<Value>,
}

/// What reading one path gave.
enum Outcome {
    /// The file does not exist: most files of a folder are optional.
    Missing,
    Read(Read, Option<Diagnostic>),
    Failed(Diagnostic),
}

/// The texts of the files read, by name, in the order they were asked for.
pub type Texts = Vec<(Arc<str>, Arc<str>)>;

/// Reads, in parallel, the files named `names` that each folder of `dirs`
/// holds (one listing per folder: most of the names are absent from most
/// folders); the texts (for the workspace's sources) and, per path, its
/// JSON, with every problem as a diagnostic.
pub fn read_files(
    dirs: Vec<(PathBuf, &'static [&'static str])>,
    options: &LoadOptions,
    parallel: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Texts, Vec<(PathBuf, Option<Value>)>) {
    let read_dir = |(dir, names): &(PathBuf, &'static [&'static str])| {
        let mut present: Vec<(PathBuf, bool)> = match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .flatten()
                .filter(|e| {
                    let name = e.file_name();
                    names.iter().any(|n| name.as_os_str() == *n)
                })
                .map(|e| {
                    // The listing tells the kind without a call per file;
                    // a link is followed to what it names.
                    let regular = match e.file_type() {
                        Ok(t) if t.is_file() => true,
                        Ok(t) if t.is_symlink() => {
                            std::fs::metadata(e.path()).is_ok_and(|m| m.is_file())
                        }
                        _ => false,
                    };
                    (e.path(), regular)
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        present.sort();
        present
            .into_iter()
            .map(|(path, regular)| {
                // A FIFO or a device would block or never end: never opened.
                let outcome = if regular {
                    read_one(&path, options)
                } else {
                    Outcome::Failed(Diagnostic {
                        severity: Severity::Error,
                        file: path.display().to_string(),
                        position: None,
                        path: None,
                        message: "not a regular file; it is skipped without being opened"
                            .to_string(),
                        anchor: None,
                    })
                };
                (path, outcome)
            })
            .collect::<Vec<_>>()
    };
    let outcomes = if parallel {
        crate::parallel::map(&dirs, read_dir)
    } else {
        dirs.iter().map(read_dir).collect()
    };
    let mut texts = Vec::new();
    let mut values = Vec::new();
    for (path, outcome) in outcomes.into_iter().flatten() {
        match outcome {
            Outcome::Missing => {}
            Outcome::Failed(d) => diagnostics.push(d),
            Outcome::Read(read, problem) => {
                diagnostics.extend(problem);
                texts.push((read.name, read.text));
                values.push((path, read.value));
            }
        }
    }
    (texts, values)
}

fn read_one(path: &Path, options: &LoadOptions) -> Outcome {
    let name: Arc<str> = Arc::from(path.display().to_string());
    let failed = |message: String| {
        Outcome::Failed(Diagnostic {
            severity: Severity::Error,
            file: name.to_string(),
            position: None,
            path: None,
            message,
            anchor: None,
        })
    };
    // One open, one fstat and the reads: a store is tens of thousands of
    // small files, and a path lookup per call is most of the cost.
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Outcome::Missing,
        Err(e) => return failed(format!("cannot be read: {e}; what it holds is set aside")),
    };
    let metadata = match file.metadata() {
        Ok(m) => m,
        Err(e) => return failed(format!("cannot be read: {e}; what it holds is set aside")),
    };
    if !metadata.is_file() {
        return failed("not a regular file; it is set aside".to_string());
    }
    if metadata.len() > options.max_file_bytes {
        return failed(format!(
            "the file is {} bytes, over the limit of {} (set IAMSCOPE_MAX_FILE_MB to raise it); it is set aside",
            metadata.len(),
            options.max_file_bytes
        ));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize + 1);
    if let Err(e) = std::io::Read::read_to_end(&mut file, &mut bytes) {
        return failed(format!("cannot be read: {e}; what it holds is set aside"));
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) => return failed("the file is not UTF-8 text; it is set aside".to_string()),
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    let (value, problem) = match serde_json::from_str::<Value>(&text) {
        Ok(v) => (Some(v), None),
        Err(e) => (
            None,
            Some(Diagnostic {
                severity: Severity::Error,
                file: name.to_string(),
                position: locate::json_error_position(&text, &e),
                path: None,
                message: format!(
                    "invalid JSON: {}; what the file holds is set aside",
                    locate::json_error_message(&e)
                ),
                anchor: None,
            }),
        ),
    };
    Outcome::Read(
        Read {
            name,
            text: Arc::from(text),
            value,
        },
        problem,
    )
}

/// The store's parsed files with a problem context each, by path.
pub struct StoreFiles<'t> {
    index: HashMap<PathBuf, usize>,
    values: Vec<Option<Value>>,
    pub contexts: Vec<FileContext<'t>>,
}

impl<'t> StoreFiles<'t> {
    pub fn new(texts: &'t Texts, values: Vec<(PathBuf, Option<Value>)>) -> Self {
        let mut index = HashMap::with_capacity(values.len());
        let mut parsed = Vec::with_capacity(values.len());
        for (i, (path, value)) in values.into_iter().enumerate() {
            index.insert(path, i);
            parsed.push(value);
        }
        let contexts = texts
            .iter()
            .map(|(name, text)| FileContext::new(name.clone(), text))
            .collect();
        StoreFiles {
            index,
            values: parsed,
            contexts,
        }
    }

    /// Takes the JSON of `path` (each file is read into the model once) with
    /// its context; `None` when the file is missing or not JSON.
    pub fn take(&mut self, path: &Path) -> Option<(Value, &mut FileContext<'t>)> {
        let &i = self.index.get(path)?;
        let value = self.values.get_mut(i)?.take()?;
        Some((value, &mut self.contexts[i]))
    }

    /// The context of a file that was read (to report on it), even when its
    /// JSON was taken already.
    pub fn context(&mut self, path: &Path) -> Option<&mut FileContext<'t>> {
        let &i = self.index.get(path)?;
        self.contexts.get_mut(i)
    }

    /// True when the file exists in the store (read, parsed or not).
    pub fn exists(&self, path: &Path) -> bool {
        self.index.contains_key(path)
    }
}
