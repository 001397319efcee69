//! Opening an iam-collect store: the folder tree cloud-copilot's iam-collect
//! writes for a whole organization (its docs/Storage.md), read directly
//! into the same model as authorization-details files.
//!
//! Accounts are read on every core, each on its own (its files listed,
//! read, parsed and turned into the model), so a store of a hundred
//! accounts opens in about the time the same data takes as GAAD files.
//! Problems follow the messy-dump rules: a file that cannot be read or is
//! not JSON, a policy that cannot be parsed, an account folder without IAM
//! data are set aside and reported naming the file; nothing is fatal.

mod iam;
mod org;
mod read;
mod resources;
mod walk;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::file_context::FileContext;
use super::{references, Diagnostic, LoadOptions, LoadProgress, Loaded, Unit};
use crate::model::{Account, Organization, ResourceFacts, ResourcePolicy, Workspace};
use crate::policy::Severity;
use read::Texts;
use walk::{AccountDir, EntityKind};

pub use walk::is_store;

/// The files of an entity folder the reader uses (others, such as
/// `instance-profiles.json`, are not read).
const ENTITY_FILES: &[&str] = &[
    "metadata.json",
    "inline-policies.json",
    "managed-policies.json",
    "groups.json",
    "tags.json",
    "trust-policy.json",
    "current-policy.json",
];

/// The files of a resource folder the reader uses.
const RESOURCE_FILES: &[&str] = &["metadata.json", "policy.json", "tags.json", "bpa.json"];

/// Reads the store at `store` (a folder holding `aws/<partition>/accounts`).
pub fn load_store(store: &Path, options: &LoadOptions, progress: &LoadProgress) -> Loaded {
    let layout = walk::layout(store);
    progress.begin(Unit::Account, layout.accounts.len(), 0);
    let mut workspace = Workspace {
        name: walk::file_name(store),
        ..Workspace::default()
    };
    let mut diagnostics = Vec::new();
    let mut texts: Texts = Vec::new();
    for read in read_accounts(&layout.accounts, options, progress) {
        diagnostics.extend(read.diagnostics);
        texts.extend(read.texts);
        workspace.resource_policies.extend(read.resource_policies);
        let facts = &mut workspace.resource_facts;
        facts.tags.extend(read.facts.tags);
        facts.owners.extend(read.facts.owners);
        facts
            .bucket_public_access
            .extend(read.facts.bucket_public_access);
        facts
            .account_public_access
            .extend(read.facts.account_public_access);
        workspace.accounts.extend(read.account);
    }
    let (organization, org_texts) =
        read_organizations(&layout.organizations, options, &mut diagnostics);
    workspace.organization = organization;
    texts.extend(org_texts);
    // References across files (attached policies, boundaries, groups) are
    // checked once everything is read, and reported on the file that holds
    // the reference.
    let mut contexts: Vec<FileContext> = texts
        .iter()
        .map(|(name, text)| FileContext::new(name.clone(), text))
        .collect();
    references::check(&mut workspace, &mut contexts);
    for cx in contexts {
        diagnostics.extend(cx.finish().into_iter().map(store_reference));
    }
    workspace.sources = texts.into_iter().collect();
    diagnostics.sort_by(|a, b| (&a.file, a.position).cmp(&(&b.file, b.position)));
    Loaded {
        workspace,
        diagnostics,
        problem_index: std::sync::OnceLock::new(),
    }
}

/// What one account folder gave.
#[derive(Default)]
struct AccountRead {
    account: Option<Account>,
    resource_policies: Vec<ResourcePolicy>,
    facts: ResourceFacts,
    texts: Texts,
    diagnostics: Vec<Diagnostic>,
}

/// Every account, on as many threads as there are cores, each thread taking
/// the next account not yet taken; in folder order.
fn read_accounts(
    accounts: &[AccountDir],
    options: &LoadOptions,
    progress: &LoadProgress,
) -> Vec<AccountRead> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(accounts.len()).max(1);
    // Fewer accounts than cores: each account's files are read in parallel instead.
    let parallel_files = accounts.len() < cores;
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, AccountRead)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(dir) = accounts.get(i) else { break };
                        let read = read_account(dir, options, parallel_files);
                        let bytes = read.texts.iter().map(|(_, t)| t.len() as u64).sum();
                        progress.advance(bytes, usize::from(read.account.is_some()));
                        mine.push((i, read));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            // A panic in a reader thread is a bug; carry it to the caller.
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, read)| read).collect()
}

fn read_account(dir: &AccountDir, options: &LoadOptions, parallel_files: bool) -> AccountRead {
    let mut out = AccountRead::default();
    if !crate::model::arn::is_account_id(&dir.id) {
        out.diagnostics.push(warning(
            &dir.dir,
            format!(
                "\"{}\" is not a 12-digit account id; the folder is skipped",
                dir.id
            ),
        ));
        return out;
    }
    let mut folders: Vec<(PathBuf, &'static [&'static str])> =
        vec![(dir.dir.clone(), &["s3-bpa.json"])];
    folders.extend(dir.entities.iter().map(|(_, d)| (d.clone(), ENTITY_FILES)));
    folders.extend(dir.resources.iter().map(|d| (d.clone(), RESOURCE_FILES)));
    let (texts, values) = read::read_files(folders, options, parallel_files, &mut out.diagnostics);
    {
        let mut files = read::StoreFiles::new(&texts, values);
        let mut account = Account {
            id: dir.id.clone(),
            file: dir.dir.display().to_string(),
            ..Account::default()
        };
        for (kind, entity) in &dir.entities {
            iam::add_entity(
                &mut files,
                &mut account,
                *kind,
                entity,
                &mut out.diagnostics,
            );
        }
        for resource in &dir.resources {
            resources::add_resource(
                &mut files,
                &dir.id,
                resource,
                &mut out.resource_policies,
                &mut out.facts,
            );
        }
        if let Some((value, cx)) = files.take(&dir.dir.join("s3-bpa.json")) {
            if let Some(block) = resources::public_access_block(cx, &value) {
                out.facts
                    .account_public_access
                    .insert(dir.id.clone(), block);
            }
        }
        // Each file's problems are placed (line and column) here, on this
        // account's thread.
        for cx in files.contexts {
            out.diagnostics.extend(cx.finish());
        }
        let has_iam = dir
            .entities
            .iter()
            .any(|(kind, _)| *kind != EntityKind::AwsPolicy);
        if has_iam {
            out.account = Some(account);
        } else {
            out.diagnostics.push(warning(
                &dir.dir,
                format!(
                    "account {} has no IAM data (no iam/ users, groups, roles or policies): its principals are unknown; its resources still load",
                    dir.id
                ),
            ));
        }
    }
    out.texts = texts;
    out
}

/// The organizations, with the texts of their files.
fn read_organizations(
    dirs: &[PathBuf],
    options: &LoadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Option<Organization>, Texts) {
    const ORGANIZATION_FILES: &[&str] = &["metadata.json", "accounts.json", "ous.json"];
    const METADATA: &[&str] = &["metadata.json"];
    const POLICY_FILES: &[&str] = &["metadata.json", "policy.json"];
    let mut folders: Vec<(PathBuf, &'static [&'static str])> = Vec::new();
    for dir in dirs {
        folders.push((dir.clone(), ORGANIZATION_FILES));
        folders.extend(
            walk::subfolders(&dir.join("ous"))
                .into_iter()
                .map(|d| (d, METADATA)),
        );
        for kind in ["scps", "rcps"] {
            folders.extend(
                walk::subfolders(&dir.join(kind))
                    .into_iter()
                    .map(|d| (d, POLICY_FILES)),
            );
        }
    }
    let (texts, values) = read::read_files(folders, options, true, diagnostics);
    let organization = {
        let mut files = read::StoreFiles::new(&texts, values);
        let organization = org::build(&mut files, dirs);
        for cx in files.contexts {
            diagnostics.extend(cx.finish());
        }
        organization
    };
    (organization, texts)
}

/// A reference problem says where the store keeps the reference: the
/// check names the elements of an authorization-details file
/// (`AttachedManagedPolicies[0].PolicyArn`), which an entity folder keeps in
/// `managed-policies.json`, `groups.json` and `metadata.json`'s
/// `permissionBoundary`. The problem stays on the entity's `metadata.json`,
/// the place answers about the entity look up.
fn store_reference(mut d: Diagnostic) -> Diagnostic {
    let Some(shown) = d.path.as_deref() else {
        return d;
    };
    let index = |rest: &str| rest.split(']').next().unwrap_or_default().to_string();
    let rewritten = if let Some(rest) = shown.strip_prefix("AttachedManagedPolicies[") {
        Some(format!("managed-policies.json[{}]", index(rest)))
    } else if let Some(rest) = shown.strip_prefix("GroupList[") {
        Some(format!("groups.json[{}]", index(rest)))
    } else if shown == "PermissionsBoundary.PermissionsBoundaryArn" {
        Some("permissionBoundary".to_string())
    } else {
        None
    };
    if rewritten.is_some() {
        d.path = rewritten;
        d.message = d
            .message
            .replace(" (not in Policies)", " (no iam/policy/ folder holds it)");
    }
    d
}

fn warning(dir: &Path, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        file: dir.display().to_string(),
        position: None,
        path: None,
        message,
        anchor: None,
    }
}
