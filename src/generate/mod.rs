//! A deterministic enterprise organization, built in memory: the workspace
//! behind `sample-accounts/enterprise/` and the benchmarks.
//!
//! [`generate`] returns `account-<id>.json` (one
//! `aws iam get-account-authorization-details` dump per account),
//! `organization.json` and `resource-policies.json` as bytes. At scale 1:
//! 10 accounts, 10,000 users, 2,000 groups, 3,000 roles, 5,000 customer
//! managed policies (1 to 3 versions each), 300 resource policies, about
//! 100 MB of JSON printed as the AWS CLI prints it (4-space indent). Counts
//! scale linearly (the number of accounts too, at least 3).
//!
//! The same scale and seed give the same bytes on every platform: the only
//! randomness is a splitmix64 stream per account (so accounts can be written
//! in parallel), nothing iterates a hash map, and action names come from the
//! catalog compiled into the binary, so every action written is one iamscope
//! knows. Part of the engine: no file system, no clock, no terminal;
//! `examples/generate.rs` writes the files, the workspace loader reads a
//! recipe (`{"GeneratedOrganization": {...}}`) by calling [`generate`].
//!
//! The files: `rng` and `json` (randomness, the writer), `catalog` (the
//! actions to draw from), `vocabulary` and `plan` (who exists), `document`
//! and `identity` (statements), `account` (the dumps), `organization` and
//! `resources` (the other two files).

mod account;
mod catalog;
mod document;
pub mod iam_collect;
mod identity;
mod json;
mod organization;
mod plan;
mod resources;
mod rng;
mod vocabulary;

use json::J;
use plan::World;

/// The largest scale [`generate`] accepts: about 10 GB of JSON. Past it the
/// counts stop meaning anything a machine can hold.
pub const MAX_SCALE: f64 = 100.0;

/// What was generated: counts, and the files' names and total size.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub accounts: usize,
    pub users: usize,
    pub groups: usize,
    pub roles: usize,
    pub policies: usize,
    pub policy_versions: usize,
    pub resource_policies: usize,
    pub service_control_policies: usize,
    pub resource_control_policies: usize,
    /// File names (not paths), in order: the accounts, then
    /// `organization.json`, then `resource-policies.json`.
    pub files: Vec<String>,
    pub bytes: u64,
}

/// One generated file: its name (`account-100000000001.json`) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Every file of a generated organization, in [`Summary::files`] order.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: Vec<GeneratedFile>,
    pub summary: Summary,
}

/// Why nothing was generated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GenerateError {
    #[error("the scale must be a number above 0 and at most {MAX_SCALE}, not {0}")]
    Scale(f64),
    #[error("the action catalog built into this binary is incomplete ({services} services with actions)")]
    Catalog { services: usize },
}

/// The whole organization in memory, accounts written on every core.
pub fn generate(scale: f64, seed: u64) -> Result<Generated, GenerateError> {
    let world = plan(scale, seed)?;
    let accounts = world.accounts.len();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(accounts)
        .max(1);
    let mut written: Vec<Option<(GeneratedFile, usize)>> = Vec::new();
    written.resize_with(accounts, || None);
    std::thread::scope(|scope| {
        let world = &world;
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    (t..accounts)
                        .step_by(threads)
                        .map(|i| (i, account::account_file(world, i)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for worker in workers {
            // A panic in a worker is a bug; carry it to the caller.
            let done = worker
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            for (i, file) in done {
                written[i] = Some(file);
            }
        }
    });
    let mut summary = Summary::default();
    let mut files = Vec::with_capacity(accounts + 2);
    for (file, versions) in written.into_iter().flatten() {
        summary.policy_versions += versions;
        files.push(file);
    }
    count_accounts(&world, &mut summary);
    files.push(organization_file(&world, &mut summary));
    files.push(resources_file(&world, &mut summary));
    for file in &files {
        summary.files.push(file.name.clone());
        summary.bytes += file.bytes.len() as u64;
    }
    Ok(Generated { files, summary })
}

/// The files one at a time, for a caller that writes each as it comes (the
/// example, at scales whose files together would not fit in memory).
/// [`Files::summary`] is complete once the iterator has ended.
pub fn files(scale: f64, seed: u64) -> Result<Files, GenerateError> {
    let world = plan(scale, seed)?;
    let mut summary = Summary::default();
    count_accounts(&world, &mut summary);
    Ok(Files {
        world,
        next: 0,
        summary,
    })
}

/// See [`files`].
pub struct Files {
    world: World<'static>,
    /// Accounts first, then the organization, then the resource policies.
    next: usize,
    summary: Summary,
}

impl Files {
    /// The counts, and the names and size of the files produced so far.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }
}

impl Iterator for Files {
    type Item = GeneratedFile;

    fn next(&mut self) -> Option<GeneratedFile> {
        let accounts = self.world.accounts.len();
        let file = match self.next {
            i if i < accounts => {
                let (file, versions) = account::account_file(&self.world, i);
                self.summary.policy_versions += versions;
                file
            }
            i if i == accounts => organization_file(&self.world, &mut self.summary),
            i if i == accounts + 1 => resources_file(&self.world, &mut self.summary),
            _ => return None,
        };
        self.next += 1;
        self.summary.files.push(file.name.clone());
        self.summary.bytes += file.bytes.len() as u64;
        Some(file)
    }
}

/// Checks the scale and names every entity.
fn plan(scale: f64, seed: u64) -> Result<World<'static>, GenerateError> {
    if !(scale.is_finite() && scale > 0.0 && scale <= MAX_SCALE) {
        return Err(GenerateError::Scale(scale));
    }
    Ok(World::plan(catalog::Catalog::get()?, scale, seed))
}

fn count_accounts(world: &World, summary: &mut Summary) {
    summary.accounts = world.accounts.len();
    for account in &world.accounts {
        summary.users += account.users.len();
        summary.groups += account.groups.len();
        summary.roles += account.roles.len();
        summary.policies += account.policies.len();
    }
}

fn organization_file(world: &World, summary: &mut Summary) -> GeneratedFile {
    let (organization, scps, rcps) = world.organization();
    summary.service_control_policies = scps;
    summary.resource_control_policies = rcps;
    file("organization.json".into(), &organization)
}

fn resources_file(world: &World, summary: &mut Summary) -> GeneratedFile {
    let resources = world.resource_policies();
    summary.resource_policies = resources.len();
    let resources = J::obj().k("ResourcePolicies", J::Arr(resources));
    file("resource-policies.json".into(), &resources.into())
}

/// A value printed as the AWS CLI prints it, with a final newline.
fn file(name: String, value: &J) -> GeneratedFile {
    let mut bytes = Vec::with_capacity(1 << 20);
    value.write(&mut bytes, 0);
    bytes.push(b'\n');
    GeneratedFile { name, bytes }
}
