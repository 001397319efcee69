//! The snapshot cache reader: any bytes as the cache file of a fixed small
//! workspace (the workshop's files, copied to a temporary folder), either
//! as they are or as damage to a valid cache of it (the first byte picks).
//! Never a panic; a cache file accepted as a hit must give exactly the
//! workspace, diagnostics and texts of a fresh load. The body decoder is
//! also fed the bytes directly, past the checksum that guards it in use:
//! it must fail cleanly, never panic or allocate without bound.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use iamscope::workspace::cache::{
    cache_file, decode_body, open_cached, CacheOutcome, CacheSettings,
};
use iamscope::workspace::{load_path, LoadOptions, LoadProgress, Loaded};
use libfuzzer_sys::fuzz_target;

struct Fixture {
    workspace: PathBuf,
    settings: CacheSettings,
    cache_file: PathBuf,
    fresh: Vec<u8>,
    valid: Vec<u8>,
}

/// The workspace, its fresh answers and a valid cache of it, made once.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("iamscope-fuzz-cache-{}", std::process::id()));
        let workspace = root.join("workspace");
        std::fs::create_dir_all(&workspace).expect("temp dir");
        let workshop =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sample-accounts/workshop");
        for entry in std::fs::read_dir(workshop).expect("workshop").flatten() {
            if entry.path().extension().is_some_and(|x| x == "json") {
                std::fs::copy(entry.path(), workspace.join(entry.file_name())).expect("copy");
            }
        }
        let settings = CacheSettings {
            dir: Some(root.join("cache")),
            now: std::time::SystemTime::now(),
        };
        let cache_file = cache_file(&root.join("cache"), &workspace);
        let fresh = summary(&load_path(&workspace).expect("loads"));
        let (_, outcome) = open(&workspace, &settings);
        assert!(matches!(outcome, CacheOutcome::Rebuilt { .. }));
        let valid = std::fs::read(&cache_file).expect("a cache is written");
        Fixture {
            workspace,
            settings,
            cache_file,
            fresh,
            valid,
        }
    })
}

fn open(workspace: &PathBuf, settings: &CacheSettings) -> (Loaded, CacheOutcome) {
    open_cached(
        workspace,
        &LoadOptions::default(),
        &LoadProgress::default(),
        settings,
    )
    .expect("the workshop opens")
}

/// Everything a loaded workspace holds, as bytes to compare.
fn summary(loaded: &Loaded) -> Vec<u8> {
    let mut out = postcard::to_allocvec(&loaded.workspace).expect("encode");
    out.extend(format!("{:?}{:?}", loaded.diagnostics, loaded.workspace.sources).bytes());
    out
}

fuzz_target!(|data: &[u8]| {
    let _ = decode_body(data);
    let fixture = fixture();
    let bytes = match data.split_first() {
        // As damage: pairs of (position, xor) over the valid cache, then a cut.
        Some((0, damage)) => {
            let mut bytes = fixture.valid.clone();
            let len = bytes.len();
            let mut pairs = damage.chunks_exact(3);
            for pair in &mut pairs {
                let at = usize::from(u16::from_le_bytes([pair[0], pair[1]]));
                if let Some(b) = bytes.get_mut(at * len / 65_536) {
                    *b ^= pair[2];
                }
            }
            if let [hi, lo] = pairs.remainder() {
                let cut = usize::from(u16::from_le_bytes([*hi, *lo]));
                bytes.truncate(cut * len / 65_536);
            }
            bytes
        }
        _ => data.to_vec(),
    };
    std::fs::write(&fixture.cache_file, &bytes).expect("write the cache file");
    let (loaded, outcome) = open(&fixture.workspace, &fixture.settings);
    if outcome == CacheOutcome::Hit {
        assert_eq!(
            summary(&loaded),
            fixture.fresh,
            "a cache hit answers as a fresh load"
        );
    }
});
