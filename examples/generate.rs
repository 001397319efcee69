//! Writes the enterprise workspace that `iamscope::generate` builds, for
//! scales larger than the sample's recipe or for other tools to read.
//!
//! ```sh
//! cargo run --release --example generate -- --out DIR [--scale N] [--seed S] [--force] [--format gaad|iam-collect]
//! ```
//!
//! With `--format iam-collect` the same organization is written as the
//! folder tree cloud-copilot's iam-collect writes (`DIR/aws/aws/accounts/…`,
//! `DIR/aws/aws/organizations/…`; see `src/generate/iam_collect.rs`), which
//! `iamscope DIR` opens.
//!
//! Writes `account-<id>.json` (one `aws iam get-account-authorization-details`
//! dump per account), `organization.json` and `resource-policies.json`, one
//! file at a time; the same scale and seed write the same bytes (see
//! `src/generate/mod.rs` for what the organization holds). `--force` writes
//! into a folder that is not empty, first removing the files a previous run
//! wrote there, so that a smaller run leaves no accounts of a bigger one.

use std::path::{Path, PathBuf};

const USAGE: &str =
    "usage: cargo run --release --example generate -- --out DIR [--scale N] [--seed S] [--force] [--format gaad|iam-collect]";

fn fail(message: String) -> ! {
    eprintln!("generate: {message}\n{USAGE}");
    std::process::exit(2)
}

fn main() {
    let mut out: Option<PathBuf> = None;
    let mut scale = 1.0_f64;
    let mut seed = 42_u64;
    let mut force = false;
    let mut store = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| fail(format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(value("--out"))),
            "--scale" => {
                let v = value("--scale");
                scale = match v.parse::<f64>() {
                    Ok(s) if s.is_finite() && s > 0.0 && s <= iamscope::generate::MAX_SCALE => s,
                    _ => fail(format!(
                        "--scale takes a number above 0 and at most {}, not \"{v}\"",
                        iamscope::generate::MAX_SCALE
                    )),
                }
            }
            "--seed" => {
                let v = value("--seed");
                seed = v
                    .parse()
                    .unwrap_or_else(|_| fail(format!("--seed takes an integer, not \"{v}\"")));
            }
            "--force" => force = true,
            "--format" => {
                store = match value("--format").as_str() {
                    "gaad" => false,
                    "iam-collect" => true,
                    other => fail(format!(
                        "--format takes gaad or iam-collect, not \"{other}\""
                    )),
                }
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => fail(format!("unknown argument \"{other}\"")),
        }
    }
    let out = out.unwrap_or_else(|| fail("--out DIR is required".into()));
    prepare(&out, force);
    let started = std::time::Instant::now();
    let summary = match write_all(&out, scale, seed, store) {
        Ok(summary) => summary,
        Err(e) => {
            eprintln!("generate: {e}");
            std::process::exit(1)
        }
    };
    println!(
        "wrote {} files to {} in {:.2} s (scale {scale}, seed {seed})",
        summary.files.len(),
        out.display(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "  {} accounts, {} users, {} groups, {} roles, {} customer managed policies ({} versions)",
        summary.accounts,
        summary.users,
        summary.groups,
        summary.roles,
        summary.policies,
        summary.policy_versions
    );
    println!(
        "  {} resource policies, {} SCPs, {} RCPs; {} bytes ({:.1} MB)",
        summary.resource_policies,
        summary.service_control_policies,
        summary.resource_control_policies,
        summary.bytes,
        summary.bytes as f64 / 1e6
    );
}

/// Refuses a folder that is not empty unless `--force`; with it, removes the
/// files a previous run wrote (and nothing else).
fn prepare(out: &Path, force: bool) {
    let Ok(entries) = std::fs::read_dir(out) else {
        return;
    };
    let names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if !names.is_empty() && !force {
        fail(format!(
            "{} is not empty; pass --force to write into it",
            out.display()
        ));
    }
    // A store written before: its tree.
    if names.iter().any(|n| n == "aws") {
        if let Err(e) = std::fs::remove_dir_all(out.join("aws")) {
            fail(format!("cannot remove {}: {e}", out.join("aws").display()));
        }
    }
    for name in names.iter().filter(|n| is_generated_name(n)) {
        if let Err(e) = std::fs::remove_file(out.join(name)) {
            fail(format!("cannot remove {}: {e}", out.join(name).display()));
        }
    }
}

/// Generates and writes file by file (creating `out` if missing), so only
/// one account is in memory at a time.
fn write_all(
    out: &Path,
    scale: f64,
    seed: u64,
    store: bool,
) -> Result<iamscope::generate::Summary, Box<dyn std::error::Error>> {
    let mut files = iamscope::generate::files(scale, seed)?;
    std::fs::create_dir_all(out)?;
    for file in &mut files {
        if store {
            for part in iamscope::generate::iam_collect::store_files(&file)? {
                let path = out.join(&part.path);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&path, &part.bytes)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
            }
            continue;
        }
        let path = out.join(&file.name);
        std::fs::write(&path, &file.bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(files.summary().clone())
}

/// Files this generator writes, which `--force` replaces.
fn is_generated_name(name: &str) -> bool {
    name == "organization.json"
        || name == "resource-policies.json"
        || (name.starts_with("account-") && name.ends_with(".json"))
}
