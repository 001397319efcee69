//! Nothing is written anywhere but the snapshot cache, and nothing touches
//! the network: every headless command runs under strace, which must show no
//! file opened for writing, created, renamed or removed outside the cache
//! directory (none at all with `--no-cache`), and no socket. Skips (and says
//! so) where strace is missing or not permitted.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_iamscope");

/// The system calls a command made that write, remove or connect, but for
/// those in the cache directory `cache`.
fn forbidden_calls(args: &[&str], cache: &Path) -> Option<Vec<String>> {
    let trace = std::env::temp_dir().join(format!(
        "iamscope-strace-{}-{}.txt",
        std::process::id(),
        args.join("-").len()
    ));
    let status = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=openat,open,creat,rename,renameat,renameat2,unlink,unlinkat,mkdir,mkdirat,socket,connect", "-o"])
        .arg(&trace)
        .arg(BIN)
        .args(args)
        .env("IAMSCOPE_CACHE_DIR", cache)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    let text = std::fs::read_to_string(&trace).ok();
    let _ = std::fs::remove_file(&trace);
    let text = text?;
    if !status.status.success() && text.trim().is_empty() {
        // ptrace refused (a container without the capability): nothing to judge.
        return None;
    }
    Some(
        text.lines()
            .filter(|line| !line.contains(&*cache.to_string_lossy()))
            .filter(|line| {
                let opens_for_writing = (line.contains("open")
                    && (line.contains("O_WRONLY")
                        || line.contains("O_RDWR")
                        || line.contains("O_CREAT")))
                    && !line.contains("/dev/null")
                    && !line.contains("/dev/tty");
                let changes_files = ["creat(", "rename", "unlink", "mkdir"]
                    .iter()
                    .any(|c| line.contains(c));
                let network = line.contains("socket(") || line.contains("connect(");
                opens_for_writing || changes_files || network
            })
            .map(str::to_string)
            .collect(),
    )
}

#[test]
fn headless_commands_write_nothing_and_open_no_socket() {
    if Command::new("strace").arg("-V").output().is_err() {
        eprintln!("note: strace is not installed; skipping");
        return;
    }
    let workshop = "sample-accounts/workshop";
    assert!(Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(workshop)
        .is_dir());
    let runs: [&[&str]; 7] = [
        &["validate", workshop],
        &[
            "check",
            workshop,
            "-p",
            "alice",
            "-a",
            "s3:GetObject",
            "-r",
            "arn:aws:s3:::dev-app-data/x",
            "--json",
        ],
        &[
            "assume",
            workshop,
            "-p",
            "carol",
            "--role",
            "EC2Terminator",
            "--json",
        ],
        &["permissions", workshop, "-p", "bob", "--json"],
        &[
            "who-can",
            workshop,
            "-a",
            "ec2:TerminateInstances",
            "--json",
        ],
        &["--summary", workshop],
        &["validate"],
    ];
    let cache = std::env::temp_dir().join(format!("iamscope-no-writes-{}", std::process::id()));
    for args in runs {
        // Twice: the first writes the cache, the second reads it.
        for _ in 0..2 {
            let Some(calls) = forbidden_calls(args, &cache) else {
                eprintln!("note: strace could not trace here; skipping");
                let _ = std::fs::remove_dir_all(&cache);
                return;
            };
            assert!(calls.is_empty(), "iamscope {args:?} made: {calls:#?}");
        }
        // Without the cache, nothing at all: not even in the cache directory.
        let elsewhere = std::env::temp_dir().join("iamscope-no-writes-unused");
        let mut no_cache = args.to_vec();
        no_cache.push("--no-cache");
        let calls = forbidden_calls(&no_cache, &elsewhere).unwrap_or_default();
        assert!(calls.is_empty(), "iamscope {no_cache:?} made: {calls:#?}");
        assert!(!elsewhere.exists());
    }
    let _ = std::fs::remove_dir_all(&cache);
}
