//! The snapshot cache (issue 17): a workspace opened from the cache answers
//! exactly as a fresh load of the same files, and a cache that does not fit
//! the files (one changed, even with its size and modification time put
//! back; one added or removed) or that is damaged (truncated, a byte
//! flipped, another format) is detected, never used, and written again.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use iamscope::eval::effective::effective_permissions;
use iamscope::eval::{evaluate, Principal, Request};
use iamscope::policy::RequestContext;
use iamscope::who_can::who_can;
use iamscope::workspace::cache::{cache_file, open_cached, CacheOutcome, CacheSettings, Miss};
use iamscope::workspace::{load_path, LoadOptions, LoadProgress, Loaded};
use proptest::prelude::*;

const NOW: i64 = 1_767_225_600;

/// A fresh temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "iamscope-cache-test-{}-{label}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A generated organization written as files, with a cache folder beside
/// (not inside) it.
struct Fixture {
    workspace: TempDir,
    cache: TempDir,
}

impl Fixture {
    fn generated(scale: f64) -> Fixture {
        let workspace = TempDir::new("ws");
        let generated = iamscope::generate::generate(scale, 7).expect("generate");
        for file in generated.files {
            std::fs::write(workspace.0.join(&file.name), &file.bytes).expect("write");
        }
        Fixture {
            workspace,
            cache: TempDir::new("cache"),
        }
    }

    fn workshop() -> Fixture {
        let workspace = TempDir::new("workshop");
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-accounts/workshop");
        for entry in std::fs::read_dir(from).expect("workshop").flatten() {
            if entry.path().extension().is_some_and(|x| x == "json") {
                std::fs::copy(entry.path(), workspace.0.join(entry.file_name())).expect("copy");
            }
        }
        Fixture {
            workspace,
            cache: TempDir::new("cache"),
        }
    }

    fn settings(&self) -> CacheSettings {
        CacheSettings {
            dir: Some(self.cache.0.clone()),
            now: std::time::SystemTime::now(),
        }
    }

    fn open(&self) -> (Loaded, CacheOutcome) {
        open_cached(
            &self.workspace.0,
            &LoadOptions::default(),
            &LoadProgress::default(),
            &self.settings(),
        )
        .expect("opens")
    }

    fn cache_file(&self) -> PathBuf {
        cache_file(&self.cache.0, &self.workspace.0)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.workspace.0.join(name)
    }

    /// The first account file, by name.
    fn account_file(&self) -> PathBuf {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.workspace.0)
            .expect("list")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().contains("account-"))
            .collect();
        names.sort();
        names.into_iter().next().expect("an account file")
    }
}

/// Everything a user sees of a loaded workspace, as text: the model (every
/// field serde writes), the file texts, the diagnostics, and the answers
/// of `check`, `permissions` and `who-can` for several principals.
fn answers(loaded: &Loaded) -> Vec<String> {
    let ws = &loaded.workspace;
    let mut out = vec![
        format!("{:?}", postcard::to_allocvec(ws).expect("encode")),
        format!("{:?}", ws.sources),
        format!("{:?}", loaded.diagnostics),
    ];
    let mut principals = Vec::new();
    for account in &ws.accounts {
        principals.extend(
            account
                .users
                .iter()
                .take(2)
                .map(|u| Principal::user(ws, account, u)),
        );
        principals.extend(
            account
                .roles
                .iter()
                .take(2)
                .map(|r| Principal::role_session(ws, account, r, "cache-test", None)),
        );
    }
    assert!(principals.len() >= 4, "too few principals to compare");
    let context = RequestContext::new();
    for who in &principals {
        for (action, resource) in [
            ("s3:GetObject", "arn:aws:s3:::data-bucket/report.csv"),
            ("iam:PassRole", "*"),
            ("ec2:RunInstances", "*"),
        ] {
            let request = Request {
                action: action.to_string(),
                resource: resource.to_string(),
                context: context.clone(),
                now_epoch: NOW,
            };
            out.push(format!("{:?}", evaluate(ws, who, &request)));
        }
        out.push(format!(
            "{:?}",
            effective_permissions(ws, who, &context, NOW)
        ));
    }
    for action in ["iam:PassRole", "s3:GetObject"] {
        out.push(format!("{:?}", who_can(ws, action, "*", &context, NOW)));
    }
    out
}

fn fresh(fixture: &Fixture) -> Vec<String> {
    answers(&load_path(&fixture.workspace.0).expect("loads"))
}

fn assert_rebuilt(outcome: &CacheOutcome, expected: impl Fn(&Miss) -> bool) {
    match outcome {
        CacheOutcome::Rebuilt { why, saved } => {
            assert!(expected(why), "unexpected reason: {why:?}");
            assert_eq!(saved, &Ok(()), "the cache is written again");
        }
        other => panic!("expected a rebuild, got {other:?}"),
    }
}

#[test]
fn a_cached_open_answers_exactly_as_a_fresh_load() {
    let fixture = Fixture::generated(0.05);
    let (first, outcome) = fixture.open();
    assert_rebuilt(&outcome, |m| *m == Miss::Absent);
    assert!(fixture.cache_file().is_file());
    assert!(
        !fixture.cache_file().starts_with(&fixture.workspace.0),
        "the cache is never beside the workspace"
    );
    let (cached, outcome) = fixture.open();
    assert_eq!(outcome, CacheOutcome::Hit);
    let expected = fresh(&fixture);
    assert_eq!(answers(&first), expected);
    assert_eq!(answers(&cached), expected);
}

#[test]
fn places_that_share_a_compiled_document_still_share_it_when_cached() {
    let fixture = Fixture::generated(0.05);
    let (fresh, _) = fixture.open();
    let (cached, outcome) = fixture.open();
    assert_eq!(outcome, CacheOutcome::Hit);
    // Every pair of documents one Arc in the fresh load is one in the cached.
    let documents = |loaded: &Loaded| -> Vec<Arc<iamscope::policy::Policy>> {
        let mut out = Vec::new();
        for account in &loaded.workspace.accounts {
            for policy in account.policies.values() {
                out.extend(policy.versions.iter().map(|v| v.document.policy.clone()));
            }
            for role in &account.roles {
                out.extend(role.inline_policies.iter().map(|p| p.policy.clone()));
                out.extend(role.trust_policy.iter().map(|p| p.policy.clone()));
            }
            for user in &account.users {
                out.extend(user.inline_policies.iter().map(|p| p.policy.clone()));
            }
        }
        out
    };
    let (before, after) = (documents(&fresh), documents(&cached));
    assert_eq!(before.len(), after.len());
    let first_of = |all: &[Arc<iamscope::policy::Policy>]| -> Vec<usize> {
        all.iter()
            .map(|p| all.iter().position(|q| Arc::ptr_eq(p, q)).unwrap_or(0))
            .collect()
    };
    assert_eq!(first_of(&before), first_of(&after));
}

#[test]
fn a_changed_file_with_its_size_and_time_put_back_is_caught_by_its_hash() {
    let fixture = Fixture::generated(0.05);
    fixture.open();
    let file = fixture.account_file();
    let modified = std::fs::metadata(&file)
        .and_then(|m| m.modified())
        .expect("mtime");
    let mut text = std::fs::read_to_string(&file).expect("read");
    // Rename a user, keeping the length: "UserName": "x..." → "q...".
    let at = text.find("\"UserName\": \"").expect("a user") + "\"UserName\": \"".len();
    let old = text[at..].chars().next().expect("a name");
    let new = if old == 'q' { "z" } else { "q" };
    text.replace_range(at..at + old.len_utf8(), new);
    std::fs::write(&file, &text).expect("write");
    std::fs::File::options()
        .append(true)
        .open(&file)
        .and_then(|f| f.set_modified(modified))
        .expect("put the time back");
    let (loaded, outcome) = fixture.open();
    assert_rebuilt(
        &outcome,
        |m| matches!(m, Miss::Changed(what) if what.contains("changed")),
    );
    assert_eq!(answers(&loaded), fresh(&fixture));
    let (cached, outcome) = fixture.open();
    assert_eq!(outcome, CacheOutcome::Hit);
    assert_eq!(answers(&cached), fresh(&fixture));
}

#[test]
fn a_file_grown_added_or_removed_is_caught() {
    let fixture = Fixture::generated(0.05);
    fixture.open();
    // Grown: a trailing newline changes the size.
    let file = fixture.account_file();
    let mut bytes = std::fs::read(&file).expect("read");
    bytes.push(b'\n');
    std::fs::write(&file, &bytes).expect("write");
    let (_, outcome) = fixture.open();
    assert_rebuilt(&outcome, |m| matches!(m, Miss::Changed(_)));
    assert_eq!(fixture.open().1, CacheOutcome::Hit);
    // Added: a resource-policies file with one more bucket policy.
    let added = fixture.file("zz-more.json");
    std::fs::write(
        &added,
        r#"{"ResourcePolicies": [{"Arn": "arn:aws:s3:::added-bucket", "AccountId": "100000000001",
            "Policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::added-bucket/*"}]}}]}"#,
    )
    .expect("write");
    let (loaded, outcome) = fixture.open();
    assert_rebuilt(
        &outcome,
        |m| matches!(m, Miss::Changed(what) if what.contains("is new")),
    );
    assert_eq!(answers(&loaded), fresh(&fixture));
    // Removed.
    std::fs::remove_file(&added).expect("remove");
    let (loaded, outcome) = fixture.open();
    assert_rebuilt(
        &outcome,
        |m| matches!(m, Miss::Changed(what) if what.contains("is gone")),
    );
    assert_eq!(answers(&loaded), fresh(&fixture));
    let (cached, outcome) = fixture.open();
    assert_eq!(outcome, CacheOutcome::Hit);
    assert_eq!(answers(&cached), fresh(&fixture));
}

/// Damages the cache file with `damage`, then checks the next open sees
/// it, rebuilds, answers right, and the open after that is a hit again.
fn damaged(fixture: &Fixture, damage: impl Fn(&mut Vec<u8>), expected: impl Fn(&Miss) -> bool) {
    let mut bytes = std::fs::read(fixture.cache_file()).expect("a cache");
    damage(&mut bytes);
    std::fs::write(fixture.cache_file(), &bytes).expect("write");
    let (loaded, outcome) = fixture.open();
    assert_rebuilt(&outcome, expected);
    assert_eq!(answers(&loaded), fresh(fixture));
    assert_eq!(fixture.open().1, CacheOutcome::Hit);
}

#[test]
fn a_truncated_corrupted_or_foreign_cache_is_detected_and_rebuilt() {
    let fixture = Fixture::generated(0.05);
    fixture.open();
    damaged(
        &fixture,
        |b| b.truncate(b.len() / 2),
        |m| *m == Miss::Truncated,
    );
    damaged(&fixture, |b| b.truncate(10), |m| *m == Miss::Truncated);
    damaged(
        &fixture,
        |b| {
            let middle = b.len() / 2;
            b[middle] ^= 0x40;
        },
        |m| matches!(m, Miss::Corrupted(_)),
    );
    damaged(
        &fixture,
        |b| b.extend_from_slice(b"trailing"),
        |m| matches!(m, Miss::Corrupted(_)),
    );
    // Another format: the version after the 16-byte magic.
    damaged(
        &fixture,
        |b| b[16] = b[16].wrapping_add(1),
        |m| matches!(m, Miss::OtherFormat(_)),
    );
    damaged(
        &fixture,
        |b| *b = b"{\"not\": \"a cache\"}".to_vec(),
        |m| *m == Miss::NotACache,
    );
    damaged(&fixture, Vec::clear, |m| *m == Miss::Truncated);
}

#[test]
fn a_cache_folder_that_cannot_be_written_still_loads() {
    let fixture = Fixture::workshop();
    // A folder under a regular file can never be made.
    let blocker = fixture.cache.0.join("a-file");
    std::fs::write(&blocker, "x").expect("write");
    let settings = CacheSettings {
        dir: Some(blocker.join("cache")),
        now: std::time::SystemTime::now(),
    };
    let (loaded, outcome) = open_cached(
        &fixture.workspace.0,
        &LoadOptions::default(),
        &LoadProgress::default(),
        &settings,
    )
    .expect("opens");
    match outcome {
        CacheOutcome::Rebuilt { why, saved } => {
            // No cache there to read, and none can be written.
            assert!(matches!(why, Miss::Absent | Miss::Unreadable(_)), "{why:?}");
            assert!(saved.is_err());
        }
        other => panic!("expected a rebuild, got {other:?}"),
    }
    assert_eq!(answers(&loaded), fresh(&fixture));
}

#[test]
fn without_the_cache_nothing_is_written() {
    let fixture = Fixture::workshop();
    let (loaded, outcome) = open_cached(
        &fixture.workspace.0,
        &LoadOptions::default(),
        &LoadProgress::default(),
        &CacheSettings::disabled(),
    )
    .expect("opens");
    assert_eq!(outcome, CacheOutcome::Disabled);
    assert_eq!(answers(&loaded), fresh(&fixture));
    assert_eq!(
        std::fs::read_dir(&fixture.cache.0).expect("list").count(),
        0
    );
}

#[test]
fn only_the_most_recently_used_caches_are_kept() {
    let cache = TempDir::new("shared-cache");
    let workspaces: Vec<Fixture> = (0..iamscope::workspace::cache::KEEP + 2)
        .map(|_| Fixture::workshop())
        .collect();
    let settings = CacheSettings {
        dir: Some(cache.0.clone()),
        now: std::time::SystemTime::now(),
    };
    for (i, fixture) in workspaces.iter().enumerate() {
        // Distinct times, older first, so the order of use is unambiguous.
        let settings = CacheSettings {
            now: std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000 + i as u64),
            ..settings.clone()
        };
        open_cached(
            &fixture.workspace.0,
            &LoadOptions::default(),
            &LoadProgress::default(),
            &settings,
        )
        .expect("opens");
        // The written file's time is now; set it to the use's.
        let file = cache_file(&cache.0, &fixture.workspace.0);
        std::fs::File::options()
            .append(true)
            .open(&file)
            .and_then(|f| f.set_modified(settings.now))
            .expect("set time");
    }
    let kept = std::fs::read_dir(&cache.0).expect("list").count();
    assert_eq!(kept, iamscope::workspace::cache::KEEP);
    assert!(
        !cache_file(&cache.0, &workspaces[0].workspace.0).exists(),
        "the least recently used is the one removed"
    );
    assert!(cache_file(&cache.0, &workspaces[KEEP_LAST].workspace.0).exists());
}

const KEEP_LAST: usize = iamscope::workspace::cache::KEEP + 1;

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Random damage to a valid cache: never a panic, never a hit.
    #[test]
    fn a_damaged_cache_is_never_used(
        cut in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 0..4),
        truncate in any::<bool>(),
        noise in prop::collection::vec(any::<u8>(), 0..256),
        replace in any::<bool>(),
    ) {
        let fixture = shared_workshop();
        let valid = valid_cache(fixture);
        let mut bytes = valid.clone();
        if replace {
            bytes = noise;
        } else {
            for (at, flip) in &flips {
                let i = at.index(bytes.len());
                bytes[i] ^= flip;
            }
            if truncate || flips.is_empty() {
                bytes.truncate(cut.index(bytes.len()));
            }
        }
        prop_assume!(bytes != valid);
        std::fs::write(fixture.cache_file(), &bytes).expect("write");
        let (loaded, outcome) = fixture.open();
        prop_assert!(outcome != CacheOutcome::Hit, "damaged bytes were used");
        prop_assert_eq!(loaded.workspace.accounts.len(), 2);
    }
}

/// One workshop copy for all proptest cases.
fn shared_workshop() -> &'static Fixture {
    static FIXTURE: std::sync::OnceLock<Fixture> = std::sync::OnceLock::new();
    FIXTURE.get_or_init(Fixture::workshop)
}

/// The bytes of a valid cache of the shared workshop.
fn valid_cache(fixture: &Fixture) -> Vec<u8> {
    static VALID: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    VALID
        .get_or_init(|| {
            fixture.open();
            std::fs::read(fixture.cache_file()).expect("a cache")
        })
        .clone()
}

/// Runs the binary with the cache in `cache`; (stdout, stderr).
fn run_cli(cache: &Path, args: &[&str]) -> (String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args(args)
        .env("IAMSCOPE_CACHE_DIR", cache)
        .output()
        .expect("runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_opens_through_the_cache_and_says_so_with_verbose() {
    let fixture = Fixture::workshop();
    let ws = fixture.workspace.0.to_string_lossy().into_owned();
    let cache = &fixture.cache.0;
    let check = ["check", &ws, "-p", "alice", "-a", "s3:GetObject", "--json"];
    let (fresh, _) = run_cli(cache, &check);
    let (_, first) = run_cli(cache, &["validate", &ws, "--verbose"]);
    assert!(
        first.contains("snapshot cache: opened from the cache"),
        "{first}"
    );
    let (cached, _) = run_cli(cache, &check);
    assert_eq!(cached, fresh);
    let (_, off) = run_cli(cache, &["validate", &ws, "--verbose", "--no-cache"]);
    assert!(off.contains("snapshot cache: the cache is off"), "{off}");
    std::fs::write(fixture.file("organization.json.bak.json"), "{}").expect("write");
    let (_, changed) = run_cli(cache, &["validate", &ws, "-v"]);
    assert!(
        changed.contains("loaded afresh") && changed.contains("is new"),
        "{changed}"
    );
    // Without --verbose, nothing is said of the cache.
    let (_, quiet) = run_cli(cache, &["validate", &ws]);
    assert!(!quiet.contains("snapshot cache"), "{quiet}");
}
