//! The enterprise organization generator (`iamscope::generate`) at a small
//! scale: what it builds loads without a single diagnostic, the same seed
//! gives the same bytes, the in-memory and the file-by-file outputs agree,
//! and who-can agrees with brute force on it.

use iamscope::generate::{self, GeneratedFile};
use iamscope::workspace::{load_sources, Loaded, Source};

/// Loads generated files as a workspace, under their own names.
fn load(files: &[GeneratedFile]) -> Loaded {
    load_sources(
        "generated",
        files
            .iter()
            .map(|f| Source {
                name: f.name.clone(),
                bytes: f.bytes.clone(),
            })
            .collect(),
    )
}

#[test]
fn a_small_generated_workspace_loads_cleanly_and_is_reproducible() {
    let first = generate::generate(0.01, 42).expect("the generator runs");
    let summary = &first.summary;
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
    let names: Vec<&String> = first.files.iter().map(|f| &f.name).collect();
    assert_eq!(names, summary.files.iter().collect::<Vec<_>>());
    assert_eq!(
        summary.bytes,
        first
            .files
            .iter()
            .map(|f| f.bytes.len() as u64)
            .sum::<u64>()
    );
    assert!(summary.policy_versions >= summary.policies);

    let loaded = load(&first.files);
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

    // The same seed gives the same bytes; another seed other ones.
    let again = generate::generate(0.01, 42).expect("the generator runs");
    assert_eq!(again.summary, first.summary);
    assert!(
        again.files == first.files,
        "two runs with seed 42 built different files"
    );
    let other = generate::generate(0.01, 7).expect("the generator runs");
    assert_ne!(other.files, first.files);
}

/// The example writes what [`generate::files`] yields one at a time; the
/// loader's recipe uses [`generate::generate`], which writes the accounts on
/// every core. Both must be the same bytes, with the same summary.
#[test]
fn one_file_at_a_time_gives_the_same_bytes_as_all_at_once() {
    let all = generate::generate(0.05, 3).expect("the generator runs");
    let mut files = generate::files(0.05, 3).expect("the generator runs");
    let one_by_one: Vec<GeneratedFile> = files.by_ref().collect();
    assert!(one_by_one == all.files, "the two ways differ");
    assert_eq!(files.summary(), &all.summary);
    assert_eq!(all.summary.accounts, 3);
}

#[test]
fn a_bad_scale_is_an_error_not_a_panic() {
    for scale in [
        0.0,
        -1.0,
        f64::NAN,
        f64::INFINITY,
        generate::MAX_SCALE * 1.5,
    ] {
        let error = generate::generate(scale, 42)
            .map(|g| g.summary)
            .expect_err("refused");
        assert!(
            matches!(error, generate::GenerateError::Scale(_)),
            "{error}"
        );
        assert!(generate::files(scale, 42).is_err());
    }
    // A scale so small that accounts have no users still builds a workspace.
    let tiny = generate::generate(1e-9, 42).expect("the generator runs");
    assert_eq!(tiny.summary.users, 0);
    assert!(!load(&tiny.files).has_errors());
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
    for hop in 1..=iamscope::who_can::MAX_HOPS {
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
    let generated = generate::generate(0.02, 7).expect("the generator runs");
    let ws = load(&generated.files).workspace;
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
        let fast = iamscope::who_can::who_can(&ws, action, resource, &context, now);
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

/// What the example writes (each file of [`generate::files`] to disk) and
/// what a recipe loads in memory are the same bytes, read back by the loader.
#[test]
fn written_files_and_a_recipe_load_the_same_bytes() {
    let base = std::env::temp_dir().join(format!(
        "iamscope-generator-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    let written = base.join("written");
    let recipe = base.join("recipe");
    std::fs::create_dir_all(&written).expect("create a temporary folder");
    std::fs::create_dir_all(&recipe).expect("create a temporary folder");
    let mut names = Vec::new();
    for file in generate::files(0.02, 11).expect("the generator runs") {
        std::fs::write(written.join(&file.name), &file.bytes).expect("write");
        names.push(file.name);
    }
    std::fs::write(
        recipe.join("org.json"),
        r#"{"GeneratedOrganization": {"Scale": 0.02, "Seed": 11}}"#,
    )
    .expect("write");
    let from_disk = iamscope::workspace::load_path(&written).expect("loads");
    let from_recipe = iamscope::workspace::load_path(&recipe).expect("loads");
    let _ = std::fs::remove_dir_all(&base);
    assert!(from_disk.diagnostics.is_empty() && from_recipe.diagnostics.is_empty());
    assert_eq!(names.len(), 5);
    for name in &names {
        let disk_name = written.join(name).display().to_string();
        let recipe_name = iamscope::workspace::recipe::generated_name(
            &recipe.join("org.json").display().to_string(),
            name,
        );
        let disk = &from_disk.workspace.sources[disk_name.as_str()];
        let memory = &from_recipe.workspace.sources[recipe_name.as_str()];
        assert!(disk == memory, "{name} differs");
    }
}

/// The organization written as an iam-collect store (`--format
/// iam-collect`) opens cleanly and holds the same accounts, principals,
/// policies and organization as the authorization-details files, and who-can
/// names the same principals on both.
#[test]
fn the_organization_as_an_iam_collect_store_loads_the_same() {
    let base =
        std::env::temp_dir().join(format!("iamscope-generator-store-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let generated = generate::generate(0.02, 7).expect("the generator runs");
    for file in &generated.files {
        for part in generate::iam_collect::store_files(file).expect("generated JSON") {
            let path = base.join(&part.path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
            std::fs::write(&path, &part.bytes).expect("write");
        }
    }
    let store = iamscope::workspace::load_path(&base).expect("the store opens");
    let _ = std::fs::remove_dir_all(&base);
    let gaad = load(&generated.files);
    assert!(store.diagnostics.is_empty(), "{:#?}", store.diagnostics);
    let counts = |l: &Loaded| {
        let ws = &l.workspace;
        let mut ids: Vec<(String, usize, usize, usize, usize)> = ws
            .accounts
            .iter()
            .map(|a| {
                (
                    a.id.clone(),
                    a.users.len(),
                    a.groups.len(),
                    a.roles.len(),
                    a.policies.len(),
                )
            })
            .collect();
        ids.sort();
        let org = ws.organization.as_ref().expect("organization");
        (
            ids,
            ws.resource_policies.len(),
            org.accounts.len(),
            org.organizational_units.len(),
            org.service_control_policies.len(),
            org.resource_control_policies.len(),
        )
    };
    assert_eq!(counts(&store), counts(&gaad));
    let who = |l: &Loaded| {
        let found = iamscope::who_can::who_can(
            &l.workspace,
            "iam:PassRole",
            "*",
            &iamscope::policy::RequestContext::new(),
            1_767_225_600,
        );
        let mut names: Vec<String> = found
            .direct
            .into_iter()
            .chain(found.through_roles)
            .map(|w| w.principal)
            .collect();
        names.sort();
        names
    };
    assert_eq!(who(&store), who(&gaad));
}
