//! Differential oracles over generated workspaces (issue 18), the same ones
//! the fuzz targets run, here through proptest so that `cargo test` checks
//! them without the fuzzer: the same data read two ways, or with a broken
//! file beside it, answers the same. (The escalation oracle is in
//! `escalation/tests/oracle.rs`: eval does not import escalation.)

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use serde_json::{json, Value};

use super::fixture::*;
use super::properties::{request, scenario, scenario_files, Req};
use crate::eval::{evaluate_outcome, Outcome, Principal, Request};
use crate::generate::iam_collect::store_files;
use crate::generate::GeneratedFile;
use crate::model::Workspace;
use crate::workspace::collect::load_store;
use crate::workspace::{load_sources, LoadOptions, Source};

/// A folder of the test's own under the system's temporary folder, removed
/// when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("iamscope-oracle-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn sources(files: &[Value]) -> Vec<Source> {
    files
        .iter()
        .enumerate()
        .map(|(i, v)| Source {
            name: format!("file{i}.json"),
            bytes: serde_json::to_vec_pretty(v).expect("fixture serializes"),
        })
        .collect()
}

/// The files written as the iam-collect store `generate` makes of them, and read back.
fn as_store(files: &[Value]) -> (Scratch, Workspace) {
    let scratch = Scratch::new();
    for source in sources(files) {
        let generated = GeneratedFile {
            name: source.name,
            bytes: source.bytes,
        };
        for f in store_files(&generated).expect("generated files are JSON") {
            let path = scratch.0.join(&f.path);
            std::fs::create_dir_all(path.parent().expect("a store file is in a folder"))
                .expect("scratch folder");
            std::fs::write(&path, &f.bytes).expect("scratch file");
        }
    }
    let loaded = load_store(&scratch.0, &LoadOptions::default(), &Default::default());
    (scratch, loaded.workspace)
}

/// The files with every resource policy's owner named: iam-collect stores
/// a resource under its owner's account folder, so a store always knows
/// what a GAAD-style list may leave out (an S3 ARN names no account).
fn owned(mut files: Vec<Value>) -> Vec<Value> {
    for file in &mut files {
        if let Some(Value::Array(entries)) = file.get_mut("ResourcePolicies") {
            for entry in entries {
                if entry.get("AccountId").is_none() {
                    entry["AccountId"] = json!(A);
                }
            }
        }
    }
    files
}

fn outcome_of(ws: &Workspace, who: &Principal, r: &Req) -> Outcome {
    evaluate_outcome(
        ws,
        who,
        &Request {
            action: r.action.to_string(),
            resource: r.resource.to_string(),
            context: context(&r.context),
            now_epoch: NOW,
        },
    )
}

/// Bytes that are not JSON: random bytes, or a dump cut short.
fn unparseable() -> impl Strategy<Value = Vec<u8>> {
    let cut_dump = (1usize..400).prop_map(|at| {
        let text = serde_json::to_vec(&dump(
            vec![user(B, "v", &[doc(json!([allow("*", "*")]))])],
            vec![],
            vec![],
            vec![],
        ))
        .expect("fixture serializes");
        text[..at.min(text.len() - 1)].to_vec()
    });
    prop_oneof![prop::collection::vec(any::<u8>(), 0..64), cut_dump]
        .prop_filter("not JSON", |b| serde_json::from_slice::<Value>(b).is_err())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// The same data as authorization-details files and as an iam-collect
    /// store gives every request the same outcome.
    #[test]
    fn a_store_and_its_gaad_files_answer_the_same(s in scenario(), r in request()) {
        let files = owned(scenario_files(&s));
        let gaad = workspace(files.clone());
        let (_scratch, store) = as_store(&files);
        let a = outcome_of(&gaad, &principal(&gaad, "u"), &r);
        let b = outcome_of(&store, &principal(&store, "u"), &r);
        prop_assert_eq!(a, b, "GAAD files say {:?}, the store {:?}", a, b);
    }

    /// A file that is not JSON beside the others is set aside and changes
    /// no answer about them (the messy-dump rule: a problem sets aside the
    /// smallest element it spoils).
    #[test]
    fn an_unparseable_file_changes_no_answer(
        s in scenario(),
        r in request(),
        broken in unparseable(),
        first in any::<bool>(),
    ) {
        let files = scenario_files(&s);
        let clean = load_sources("clean", sources(&files));
        let mut messy_sources = sources(&files);
        let name = if first { "0-broken.json" } else { "z-broken.json" };
        messy_sources.push(Source { name: name.to_string(), bytes: broken });
        let messy = load_sources("messy", messy_sources);
        prop_assert!(messy.has_errors(), "the broken file is reported");
        let a = outcome_of(&clean.workspace, &principal(&clean.workspace, "u"), &r);
        let b = outcome_of(&messy.workspace, &principal(&messy.workspace, "u"), &r);
        prop_assert_eq!(a, b, "without the broken file {:?}, with it {:?}", a, b);
    }
}

/// The actions of some whole services, as the fuzz target `permissions`
/// scopes its list.
fn services_scope(prefixes: &[&str]) -> crate::catalog::ActionSet {
    let catalog = crate::catalog::Catalog::get();
    let mut scope = crate::catalog::ActionSet::empty(catalog.len());
    for prefix in prefixes {
        let service = catalog.service(prefix).expect("a catalog service");
        for id in service.actions.clone() {
            scope.insert(id);
        }
    }
    scope
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The permissions list computed within some services is the whole
    /// list's entries of those services, unchanged (what lets the fuzz
    /// target `permissions` compute only the services its oracle asks about).
    #[test]
    fn a_list_within_some_services_is_the_whole_list_there(s in scenario(), r in request()) {
        let ws = workspace(scenario_files(&s));
        let who = principal(&ws, "u");
        let ctx = context(&r.context);
        let scope = services_scope(&["s3", "iam", "sts", "kms"]);
        let whole = crate::eval::effective::effective_permissions(&ws, &who, &ctx, NOW);
        let within = crate::eval::effective::effective_permissions_within(&ws, &who, &ctx, NOW, &scope);
        let expected: Vec<_> = whole.actions.iter().filter(|a| scope.contains(a.id)).collect();
        let got: Vec<_> = within.actions.iter().collect();
        prop_assert_eq!(got, expected);
        let mut set = whole.set.clone();
        set.intersect_with(&scope);
        prop_assert_eq!(within.set, set);
    }
}
