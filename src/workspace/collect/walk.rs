//! Finding what an iam-collect store holds: its accounts' IAM entities and
//! resources, and its organizations, by folder (cloud-copilot/iam-collect,
//! docs/Storage.md: `aws/<partition>/accounts/<account-id>/<service>/…` and
//! `aws/<partition>/organizations/<organization-id>/…`). Nothing is read
//! here but folder listings.

use std::path::{Path, PathBuf};

/// The kinds of IAM folder an account holds (`iam/<kind>/<name>/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntityKind {
    User,
    Group,
    Role,
    /// A customer managed policy (`iam/policy/<name>/`).
    Policy,
    /// An AWS managed policy the account uses (`iam/aws/policy/<name>/`).
    AwsPolicy,
}

/// One account folder: its IAM entity folders and resource folders.
#[derive(Debug, Default)]
pub struct AccountDir {
    /// The folder name: the account id (checked by the caller).
    pub id: String,
    pub dir: PathBuf,
    pub entities: Vec<(EntityKind, PathBuf)>,
    /// Folders outside `iam/` holding a `metadata.json`.
    pub resources: Vec<PathBuf>,
}

/// Everything the store's folders hold, in name order.
#[derive(Debug, Default)]
pub struct Layout {
    pub accounts: Vec<AccountDir>,
    pub organizations: Vec<PathBuf>,
}

/// `aws/<partition>/accounts` exists: the layout iam-collect writes.
pub fn is_store(path: &Path) -> bool {
    subfolders(&path.join("aws"))
        .iter()
        .any(|partition| partition.join("accounts").is_dir())
}

/// The store's accounts and organizations, over every partition.
pub fn layout(store: &Path) -> Layout {
    let mut layout = Layout::default();
    for partition in subfolders(&store.join("aws")) {
        for dir in subfolders(&partition.join("accounts")) {
            layout.accounts.push(account(dir));
        }
        layout
            .organizations
            .extend(subfolders(&partition.join("organizations")));
    }
    layout
}

fn account(dir: PathBuf) -> AccountDir {
    let id = file_name(&dir);
    let iam = dir.join("iam");
    let mut entities = Vec::new();
    for (folder, kind) in [
        (iam.join("user"), EntityKind::User),
        (iam.join("group"), EntityKind::Group),
        (iam.join("role"), EntityKind::Role),
        (iam.join("policy"), EntityKind::Policy),
        (iam.join("aws").join("policy"), EntityKind::AwsPolicy),
    ] {
        entities.extend(subfolders(&folder).into_iter().map(|d| (kind, d)));
    }
    let mut resources = Vec::new();
    for service in subfolders(&dir) {
        // `iam/` is read above; `ram/` holds share records, not policies of
        // the account's own resources.
        let name = file_name(&service);
        if name != "iam" && name != "ram" {
            resource_folders(&service, 0, &mut resources);
        }
    }
    AccountDir {
        id,
        dir,
        entities,
        resources,
    }
}

/// Deepest layout: `<service>/<region>/<type>/<id>/`, and an `aws` level
/// for AWS-owned resources; past it a folder is not a resource of the layout.
const MAX_DEPTH: usize = 6;

/// Every folder under `folder` holding a `metadata.json`.
fn resource_folders(folder: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > MAX_DEPTH {
        return;
    }
    if folder.join("metadata.json").is_file() {
        out.push(folder.to_path_buf());
    }
    for sub in subfolders(folder) {
        resource_folders(&sub, depth + 1, out);
    }
}

/// A folder's subfolders in name order; none when it cannot be listed.
pub fn subfolders(folder: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs
}

pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
