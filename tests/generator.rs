//! The enterprise workspace generator (`examples/generate.rs`) at a small
//! scale: what it writes loads without a single diagnostic, and the same seed
//! writes the same bytes.

#[path = "../examples/generate.rs"]
mod generate;

use std::path::{Path, PathBuf};

/// A fresh folder under the system's temporary folder, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!(
            "iamscope-generator-{}-{tag}-{nanos}",
            std::process::id()
        ));
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn read_all(dir: &Path, files: &[String]) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .map(|name| (name.clone(), std::fs::read(dir.join(name)).unwrap()))
        .collect()
}

#[test]
fn a_small_generated_workspace_loads_cleanly_and_is_reproducible() {
    let first = TempDir::new("a");
    let summary = generate::generate(&first.0, 0.01, 42).expect("the generator runs");
    assert_eq!(
        (
            summary.accounts,
            summary.users,
            summary.groups,
            summary.roles,
            summary.policies,
            summary.resource_policies,
        ),
        (3, 100, 20, 30, 50, 3)
    );
    assert_eq!(summary.files.len(), 5, "{:?}", summary.files);
    assert!(summary.policy_versions >= summary.policies);

    let loaded = iamscope::workspace::load_path(&first.0).expect("the workspace is readable");
    let diagnostics: Vec<String> = loaded.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        diagnostics.is_empty(),
        "the generated workspace has problems:\n{}",
        diagnostics.join("\n")
    );
    let ws = &loaded.workspace;
    assert_eq!(ws.accounts.len(), 3);
    assert!(ws.organization.is_some());
    assert_eq!(ws.resource_policies.len(), 3);
    let principals: usize = ws
        .accounts
        .iter()
        .map(|a| a.users.len() + a.roles.len())
        .sum();
    assert_eq!(principals, 130);

    // The same seed writes the same bytes; another seed writes other ones.
    let second = TempDir::new("b");
    let again = generate::generate(&second.0, 0.01, 42).expect("the generator runs");
    assert_eq!(again, summary);
    assert!(
        read_all(&first.0, &summary.files) == read_all(&second.0, &again.files),
        "two runs with seed 42 wrote different files"
    );
    let third = TempDir::new("c");
    let other = generate::generate(&third.0, 0.01, 7).expect("the generator runs");
    assert_ne!(
        read_all(&first.0, &summary.files),
        read_all(&third.0, &other.files)
    );
}

/// Every principal that can reach `action` on `resource`, by brute force:
/// each one asked directly, then, hop by hop, whether it can assume a role
/// already reached. No index, no pruning: what who-can must agree with.
fn who_can_by_brute_force(
    ws: &iamscope::model::Workspace,
    action: &str,
    resource: &str,
    now: i64,
) -> std::collections::BTreeMap<String, usize> {
    use iamscope::eval::{evaluate_outcome, Principal, Request};
    let ask = |p: &Principal, action: &str, resource: &str| {
        evaluate_outcome(
            ws,
            p,
            &Request {
                action: action.to_string(),
                resource: resource.to_string(),
                context: iamscope::policy::RequestContext::new(),
                now_epoch: now,
            },
        )
        .is_allowed()
    };
    let mut nodes = Vec::new();
    for account in &ws.accounts {
        for user in &account.users {
            nodes.push((user.arn.clone(), None, Principal::user(ws, account, user)));
        }
        for role in &account.roles {
            let session = Principal::role_session(ws, account, role, "iamscope", None);
            nodes.push((role.arn.clone(), Some(role.arn.clone()), session));
        }
    }
    let mut hops: std::collections::BTreeMap<String, usize> = Default::default();
    let mut reached_roles = Vec::new();
    for (arn, role, p) in &nodes {
        if ask(p, action, resource) {
            hops.insert(arn.clone(), 0);
            reached_roles.extend(role.clone());
        }
    }
    for hop in 1..=iamscope::sts::paths::MAX_HOPS {
        let mut newly = Vec::new();
        for (arn, role, p) in &nodes {
            if hops.contains_key(arn) {
                continue;
            }
            if reached_roles
                .iter()
                .any(|r| r != arn && ask(p, "sts:AssumeRole", r))
            {
                hops.insert(arn.clone(), hop);
                newly.extend(role.clone());
            }
        }
        reached_roles.extend(newly);
    }
    hops
}

#[test]
fn who_can_agrees_with_brute_force_on_a_generated_organization() {
    let dir = TempDir::new("who-can");
    generate::generate(&dir.0, 0.02, 7).expect("the generator runs");
    let ws = iamscope::workspace::load_path(&dir.0)
        .expect("the workspace is readable")
        .workspace;
    let now = 1_767_260_400;
    let context = iamscope::policy::RequestContext::new();
    let mut reached_through_roles = 0;
    for (action, resource) in [
        ("iam:PassRole", "*"),
        ("s3:GetObject", "*"),
        ("ec2:TerminateInstances", "*"),
        ("kms:Decrypt", "*"),
        ("organizations:LeaveOrganization", "*"),
    ] {
        let fast = iamscope::sts::paths::who_can(&ws, action, resource, &context, now);
        let found: std::collections::BTreeMap<String, usize> = fast
            .direct
            .iter()
            .chain(&fast.through_roles)
            .map(|r| (r.principal.clone(), r.path.len()))
            .collect();
        reached_through_roles += fast.through_roles.len();
        assert_eq!(
            found,
            who_can_by_brute_force(&ws, action, resource, now),
            "{action} on {resource}"
        );
    }
    assert!(reached_through_roles > 0, "the test must cover role paths");
}
