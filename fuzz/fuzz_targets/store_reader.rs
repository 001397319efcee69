//! Reading an iam-collect store whose files are damaged: one account and
//! one organization of the fixture store of `tests/fixtures/iam-collect`
//! (users, roles, policies, a boundary, buckets, keys, secrets, SCPs and
//! RCPs at every level: 52 files) are written once into a scratch folder,
//! each input replaces up to three of its files with any bytes, the store
//! is read and asked one question, and the files are put back. No panic.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use iamscope::eval::{evaluate_outcome, Principal, Request};
use iamscope::policy::RequestContext;
use iamscope::workspace::collect::load_store;
use iamscope::workspace::LoadOptions;
use libfuzzer_sys::fuzz_target;

/// The parts of the fixture store read: the whole store (seven accounts,
/// two organizations, 100 files) read at 20 inputs a second here.
const KEPT: [&str; 2] = [
    "aws/aws/accounts/222222222222",
    "aws/aws/organizations/o-aaaaaaaaaa",
];

/// The fixture store's files: (path under the scratch root, bytes).
struct Store {
    root: PathBuf,
    files: Vec<(PathBuf, Vec<u8>)>,
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        let fixture =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/iam-collect/org-store");
        let base = if Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let root = base.join(format!("iamscope-fuzz-reader-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let mut paths = Vec::new();
        collect(&fixture, &mut paths);
        let mut files = Vec::new();
        for path in paths {
            let Ok(relative) = path.strip_prefix(&fixture) else {
                continue;
            };
            if !KEPT.iter().any(|kept| relative.starts_with(kept)) {
                continue;
            }
            let bytes = std::fs::read(&path).expect("fixture store file");
            let target = root.join(relative);
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir).expect("scratch folder");
            }
            std::fs::write(&target, &bytes).expect("scratch file");
            files.push((target, bytes));
        }
        assert!(
            !files.is_empty(),
            "no fixture store at {}",
            fixture.display()
        );
        Store { root, files }
    })
}

#[derive(Arbitrary, Debug)]
struct Input {
    damaged: Vec<(u8, Vec<u8>)>,
    who: u8,
}

fuzz_target!(|input: Input| {
    let store = store();
    let damaged: Vec<usize> = input
        .damaged
        .iter()
        .take(3)
        .map(|(i, bytes)| {
            let at = *i as usize % store.files.len();
            std::fs::write(&store.files[at].0, bytes).expect("scratch file");
            at
        })
        .collect();
    let loaded = load_store(&store.root, &LoadOptions::default(), &Default::default());
    for diagnostic in &loaded.diagnostics {
        let _ = diagnostic.to_string();
    }
    for at in damaged {
        std::fs::write(&store.files[at].0, &store.files[at].1).expect("scratch file");
    }
    let workspace = &loaded.workspace;
    let accounts = &workspace.accounts;
    if accounts.is_empty() {
        return;
    }
    let account = &accounts[input.who as usize % accounts.len()];
    let name = account
        .users
        .first()
        .map(|u| u.arn.clone())
        .or_else(|| account.roles.first().map(|r| r.arn.clone()));
    let Some(name) = name else {
        return;
    };
    if let Ok(principal) = Principal::lookup(workspace, &name) {
        let request = Request {
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::bucket/key".into(),
            context: RequestContext::new(),
            now_epoch: 1_767_258_000,
        };
        let _ = evaluate_outcome(workspace, &principal, &request);
    }
});
