//! The same generated workspace as authorization-details files and as an
//! iam-collect store (written by `generate::iam_collect`, read by
//! `workspace::collect`) answers every request the same.
#![no_main]

use std::path::PathBuf;

use arbitrary::Arbitrary;
use iamscope::generate::iam_collect::store_files;
use iamscope::generate::GeneratedFile;
use iamscope::workspace::collect::load_store;
use iamscope::workspace::{load_sources, LoadOptions};
use iamscope_fuzz::oracle::same_answers;
use iamscope_fuzz::scenario::{Ask, Scenario};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    scenario: Scenario,
    asks: Vec<Ask>,
}

/// A folder of this process's own, emptied before each input.
fn scratch() -> PathBuf {
    let base = if std::path::Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    base.join(format!("iamscope-fuzz-store-{}", std::process::id()))
}

fuzz_target!(|input: Input| {
    let sources = input.scenario.sources();
    let gaad = load_sources("fuzz", sources.clone());
    let root = scratch();
    let _ = std::fs::remove_dir_all(&root);
    for source in &sources {
        let file = GeneratedFile {
            name: source.name.clone(),
            bytes: source.bytes.clone(),
        };
        let Ok(files) = store_files(&file) else {
            panic!("a generated file is not JSON: {}", source.name);
        };
        for f in files {
            let path = root.join(&f.path);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).expect("scratch folder");
            }
            std::fs::write(&path, &f.bytes).expect("scratch file");
        }
    }
    let store = load_store(&root, &LoadOptions::default(), &Default::default());
    let requests: Vec<_> = input.asks.iter().take(4).map(|a| a.request()).collect();
    same_answers(
        &gaad.workspace,
        &store.workspace,
        input.scenario.who.query(),
        &requests,
        "GAAD files and the iam-collect store disagree",
    );
});
