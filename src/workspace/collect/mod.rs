//! Opening an iam-collect store: the folder tree cloud-copilot's iam-collect
//! writes for a whole organization (its docs/Storage.md), read directly
//! into the same model as authorization-details files.
//!
//! Problems follow the messy-dump rules: a file that cannot be read or is
//! not JSON, a policy that cannot be parsed, an account folder without IAM
//! data are set aside and reported naming the file; nothing is fatal.

mod iam;
mod org;
mod read;
mod resources;
mod walk;

use std::path::{Path, PathBuf};

use super::{references, Diagnostic, LoadOptions, Loaded};
use crate::model::{Account, Workspace};
use crate::policy::Severity;
use walk::EntityKind;

pub use walk::is_store;

/// The files of an entity folder the reader uses (others, such as
/// `instance-profiles.json`, are not read).
const ENTITY_FILES: [&str; 7] = [
    "metadata.json",
    "inline-policies.json",
    "managed-policies.json",
    "groups.json",
    "tags.json",
    "trust-policy.json",
    "current-policy.json",
];

/// The files of a resource folder the reader uses.
const RESOURCE_FILES: [&str; 4] = ["metadata.json", "policy.json", "tags.json", "bpa.json"];

/// Reads the store at `store` (a folder holding `aws/<partition>/accounts`).
pub fn load_store(store: &Path, options: &LoadOptions) -> Loaded {
    let layout = walk::layout(store);
    let mut diagnostics = Vec::new();
    let paths = wanted_files(&layout);
    let (texts, values) = read::read_files(paths, options, &mut diagnostics);
    let mut files = read::StoreFiles::new(&texts, values);
    let mut workspace = Workspace {
        name: walk::file_name(store),
        ..Workspace::default()
    };
    for dir in &layout.accounts {
        if !crate::model::arn::is_account_id(&dir.id) {
            diagnostics.push(warning(
                &dir.dir,
                format!(
                    "\"{}\" is not a 12-digit account id; the folder is skipped",
                    dir.id
                ),
            ));
            continue;
        }
        let mut account = Account {
            id: dir.id.clone(),
            file: dir.dir.display().to_string(),
            ..Account::default()
        };
        for (kind, entity) in &dir.entities {
            iam::add_entity(&mut files, &mut account, *kind, entity, &mut diagnostics);
        }
        for resource in &dir.resources {
            resources::add_resource(
                &mut files,
                &dir.id,
                resource,
                &mut workspace.resource_policies,
                &mut workspace.resource_facts,
            );
        }
        let bpa = dir.dir.join("s3-bpa.json");
        if let Some((value, cx)) = files.take(&bpa) {
            if let Some(block) = resources::public_access_block(cx, &value) {
                workspace
                    .resource_facts
                    .account_public_access
                    .insert(dir.id.clone(), block);
            }
        }
        let has_iam = dir
            .entities
            .iter()
            .any(|(kind, _)| *kind != EntityKind::AwsPolicy);
        if !has_iam {
            diagnostics.push(warning(
                &dir.dir,
                format!(
                    "account {} has no IAM data (no iam/ users, groups, roles or policies): its principals are unknown; its resources still load",
                    dir.id
                ),
            ));
            continue;
        }
        workspace.accounts.push(account);
    }
    workspace.organization = org::build(&mut files, &layout.organizations);
    let mut contexts = files.contexts;
    references::check(&mut workspace, &mut contexts);
    for cx in contexts {
        diagnostics.extend(cx.finish());
    }
    workspace.sources = texts.into_iter().collect();
    diagnostics.sort_by(|a, b| (&a.file, a.position).cmp(&(&b.file, b.position)));
    Loaded {
        workspace,
        diagnostics,
        problem_index: std::sync::OnceLock::new(),
    }
}

/// Every file the reader may use, in folder order.
fn wanted_files(layout: &walk::Layout) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for account in &layout.accounts {
        paths.push(account.dir.join("s3-bpa.json"));
        for (_, dir) in &account.entities {
            paths.extend(ENTITY_FILES.iter().map(|f| dir.join(f)));
        }
        for dir in &account.resources {
            paths.extend(RESOURCE_FILES.iter().map(|f| dir.join(f)));
        }
    }
    for dir in &layout.organizations {
        for file in ["metadata.json", "accounts.json", "ous.json"] {
            paths.push(dir.join(file));
        }
        for ou in walk::subfolders(&dir.join("ous")) {
            paths.push(ou.join("metadata.json"));
        }
        for kind in ["scps", "rcps"] {
            for policy in walk::subfolders(&dir.join(kind)) {
                paths.push(policy.join("metadata.json"));
                paths.push(policy.join("policy.json"));
            }
        }
    }
    paths
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
