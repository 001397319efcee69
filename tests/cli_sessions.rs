//! The `assume`, `permissions` and `who-can` commands as users and scripts see
//! them: exit statuses, the `--json` shapes, STS's rules for AssumeRole
//! (trust, duration bounds, role chaining, session names, service-only trust),
//! effective permissions against the action catalog, and the paths through
//! role assumptions.
//!
//! Expected answers come from AWS's documentation (../shared/IAM-NOTES.md,
//! sections 1 and 2) and, for AWS managed policies, from expanding the bundled
//! policy documents against the committed catalog (`data/*.tsv`) with a small
//! matcher written here, independent of the engine.
//!
//! Every run asserts that nothing panicked and that the process exited with a
//! status (not a signal). Paths are relative to the crate root, where each
//! command runs. `aws:CurrentTime` is fixed where session times are compared
//! exactly.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::SystemTime;

use serde_json::{json, Value};

mod common;
use common::{iamscope, snapshot, Run};

const WORKSHOP: &str = "sample-accounts/workshop";
/// Account 333333333333: user u; role One (trusts the account, may assume any
/// role); role Two (trusts only role One, MaxSessionDuration 43200); role
/// Three (trusts the account, MaxSessionDuration 43200).
const CHAIN: &str = "tests/fixtures/sessions-chain";
/// Account 444444444444: users admin, power, reader with AdministratorAccess,
/// PowerUserAccess, ReadOnlyAccess attached but absent from `Policies`.
const MANAGED: &str = "tests/fixtures/sessions-managed";
/// Account 555555555555: role Four trusts users v and w by ARN; neither has an
/// identity policy; w's boundary allows only s3:*.
const TRUST: &str = "tests/fixtures/sessions-trust";
/// A session policy allowing only ec2:DescribeInstances.
const DESCRIBE_ONLY: &str = "tests/fixtures/sessions-policies/describe-instances-only.json";

const NOW: &str = "aws:CurrentTime=2026-01-01T00:00:00Z";
const EC2_TERMINATOR: &str = "arn:aws:iam::111111111111:role/EC2Terminator";
const INSTANCE: &str = "arn:aws:ec2:eu-west-1:111111111111:instance/i-1";
const APP_API: &str = "arn:aws:lambda:eu-west-1:222222222222:function:app-api";
/// Every catalog action at the time of writing (`A` rows of data/aws-iam-catalog.tsv).
const CATALOG_SIZE: usize = 22091;

/// The one JSON value on stdout; nothing on stderr.
#[track_caller]
fn json_of(run: &Run, args: &[&str]) -> Value {
    let value: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "iamscope {args:?}: stdout is not one JSON value ({e}):\n{}{}",
            run.stdout, run.stderr
        )
    });
    assert!(value.is_object(), "{value}");
    assert_eq!(run.stderr, "", "iamscope {args:?} printed on stderr");
    value
}

/// `iamscope assume ... --json` at a fixed time: the object printed, after
/// checking the exit status agrees with `allowed`.
#[track_caller]
fn assume_json(args: &[&str]) -> Value {
    let mut all = vec!["assume"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--json", "--context", NOW]);
    let run = iamscope(&all);
    let value = json_of(&run, &all);
    let allowed = value["allowed"].as_bool().expect("allowed is a bool");
    assert_eq!(
        run.code,
        if allowed { 0 } else { 1 },
        "exit status for allowed={allowed}: {value}"
    );
    value
}

/// `iamscope permissions ... --json` (exit 0): the object printed.
#[track_caller]
fn permissions_json(args: &[&str]) -> Value {
    let mut all = vec!["permissions"];
    all.extend_from_slice(args);
    all.push("--json");
    let run = iamscope(&all);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let value = json_of(&run, &all);
    assert!(value["actions"].is_array(), "actions is an array");
    value
}

/// `iamscope who-can ... --json` (exit 0): the object printed.
#[track_caller]
fn who_can_json(args: &[&str]) -> Value {
    let mut all = vec!["who-can"];
    all.extend_from_slice(args);
    all.push("--json");
    let run = iamscope(&all);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    json_of(&run, &all)
}

/// The action names of a `gained`, `lost` or `actions` array.
fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("an array of actions")
        .iter()
        .map(|a| a["action"].as_str().expect("an action name"))
        .collect()
}

fn name_set(list: &Value) -> BTreeSet<String> {
    names(list).into_iter().map(str::to_string).collect()
}

/// The entry for `action` in a `gained`, `lost` or `actions` array.
#[track_caller]
fn entry<'a>(list: &'a Value, action: &str) -> &'a Value {
    list.as_array()
        .expect("an array of actions")
        .iter()
        .find(|a| a["action"] == action)
        .unwrap_or_else(|| panic!("{action} is not listed"))
}

/// The `layer` of every reason.
fn reason_layers(value: &Value) -> Vec<&str> {
    value["reasons"]
        .as_array()
        .expect("reasons is an array")
        .iter()
        .map(|r| r["layer"].as_str().expect("a layer"))
        .collect()
}

/// A refused request: exit 1, `allowed: false`, the refusal given, no session
/// and nothing gained or lost.
#[track_caller]
fn assert_refused(value: &Value, refusal: &str) {
    assert_eq!(value["allowed"], false, "{value}");
    assert_eq!(value["refusal"], refusal, "{value}");
    assert!(value.get("session").is_none(), "no session: {value}");
    assert_eq!(value["gained"], json!([]));
    assert_eq!(value["lost"], json!([]));
}

/// Seconds since the epoch of `YYYY-MM-DDTHH:MM:SSZ`.
#[track_caller]
fn epoch_seconds(iso: &str) -> i64 {
    let b = iso.as_bytes();
    assert!(
        b.len() == 20 && b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[19] == b'Z',
        "not YYYY-MM-DDTHH:MM:SSZ: {iso}"
    );
    let num = |from: usize, to: usize| -> i64 { iso[from..to].parse().expect("digits") };
    let (y, m, d) = (num(0, 4), num(5, 7), num(8, 10));
    let (hh, mm, ss) = (num(11, 13), num(14, 16), num(17, 19));
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + hh * 3600 + mm * 60 + ss
}

// ------------------------------------------------ the catalog, read here

/// Every action of the committed catalog, `service:Action`.
fn catalog() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/aws-iam-catalog.tsv");
    let text = std::fs::read_to_string(path).expect("read the catalog");
    text.lines()
        .filter_map(|line| line.strip_prefix("A\t"))
        .map(|rest| {
            let mut fields = rest.split('\t');
            let service = fields.next().expect("a service prefix");
            let action = fields.next().expect("an action name");
            format!("{service}:{action}")
        })
        .collect()
}

/// The default version of a bundled AWS managed policy.
fn bundled_policy(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/aws-managed-policies.tsv");
    let text = std::fs::read_to_string(path).expect("read the managed policies");
    let prefix = format!("arn:aws:iam::aws:policy/{name}\t");
    let line = text
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("{name} is bundled"));
    let document = line.splitn(3, '\t').nth(2).expect("a document column");
    serde_json::from_str(document).expect("the document is JSON")
}

/// IAM's action wildcard match: `*` any run, `?` one character, case-insensitive.
fn glob(pattern: &str, text: &str) -> bool {
    glob_lower(
        pattern.to_ascii_lowercase().as_bytes(),
        text.to_ascii_lowercase().as_bytes(),
    )
}

/// `glob` on lowercased ASCII (action names are ASCII).
fn glob_lower(p: &[u8], t: &[u8]) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

fn strings(value: &Value) -> Vec<&str> {
    match value {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().expect("a string"))
            .collect(),
        _ => panic!("not a string or an array of strings: {value}"),
    }
}

/// The catalog actions that an Allow-only, `Resource: *` policy grants:
/// each statement's `Action` patterns, or every action its `NotAction` misses.
fn granted_by(document: &Value, catalog: &BTreeSet<String>) -> BTreeSet<String> {
    // Lowercased once, by service prefix: ReadOnlyAccess has ~3000 patterns.
    let mut by_service: BTreeMap<String, Vec<(String, &String)>> = BTreeMap::new();
    for action in catalog {
        let lower = action.to_ascii_lowercase();
        let service = lower.split(':').next().expect("a prefix").to_string();
        by_service.entry(service).or_default().push((lower, action));
    }
    let matching = |pattern: &str| -> BTreeSet<&String> {
        let pattern = pattern.to_ascii_lowercase();
        let service = pattern.split(':').next().expect("a prefix");
        let candidates: Vec<&(String, &String)> = if service.contains(['*', '?']) {
            by_service.values().flatten().collect()
        } else {
            by_service.get(service).into_iter().flatten().collect()
        };
        candidates
            .into_iter()
            .filter(|(lower, _)| glob_lower(pattern.as_bytes(), lower.as_bytes()))
            .map(|(_, action)| *action)
            .collect()
    };
    let mut out = BTreeSet::new();
    for statement in document["Statement"].as_array().expect("statements") {
        assert_eq!(statement["Effect"], "Allow", "an Allow-only policy");
        assert_eq!(statement["Resource"], "*", "Resource *");
        let (patterns, negated) = match statement.get("Action") {
            Some(action) => (strings(action), false),
            None => (strings(&statement["NotAction"]), true),
        };
        let named: BTreeSet<&String> = patterns.iter().flat_map(|p| matching(p)).collect();
        out.extend(
            catalog
                .iter()
                .filter(|a| named.contains(a) != negated)
                .cloned(),
        );
    }
    out
}

#[test]
fn the_test_matcher_follows_iam_wildcards() {
    assert!(glob("s3:Get*", "s3:GetObject"));
    assert!(glob("S3:get*", "s3:GetObject"));
    assert!(glob("iam:*Policy*", "iam:AttachRolePolicy"));
    assert!(glob("*", "ec2:RunInstances"));
    assert!(glob("ec2:Run?nstances", "ec2:RunInstances"));
    assert!(!glob("s3:Get*", "s3:PutObject"));
    assert!(!glob("s3:GetObject", "s3:GetObjectAcl"));
    assert_eq!(epoch_seconds("1970-01-01T00:00:00Z"), 0);
    assert_eq!(epoch_seconds("2026-01-01T00:00:00Z"), 1_767_225_600);
    assert_eq!(catalog().len(), CATALOG_SIZE);
}

// ---------------------------------------------------------------- assume

#[test]
fn carol_assumes_ec2terminator_and_gains_terminate_instances() {
    let value = assume_json(&["-p", "carol", "--role", "EC2Terminator"]);
    assert_eq!(value["allowed"], true);
    assert_eq!(value["decision"], "Allow");
    assert!(value.get("refusal").is_none(), "{value}");
    // Account-root trust needs carol's own allow (Operators' inline policy).
    assert_eq!(reason_layers(&value), ["Scp", "ResourcePolicy", "Identity"]);
    assert_eq!(
        value["reasons"][1]["statement"]["sid"],
        "AllowAccountPrincipals"
    );
    assert_eq!(
        value["reasons"][2]["statement"]["sid"],
        "AssumeEC2TerminatorRole"
    );
    assert_eq!(
        value["session"],
        json!({
            "arn": "arn:aws:sts::111111111111:assumed-role/EC2Terminator/iamscope",
            "role_arn": EC2_TERMINATOR,
            "caller": "arn:aws:iam::111111111111:user/carol",
            "started_at": "2026-01-01T00:00:00Z",
            "expires_at": "2026-01-01T01:00:00Z",
            "duration_seconds": 3600,
            "chained": false,
        })
    );

    assert_eq!(names(&value["gained"]), ["ec2:TerminateInstances"]);
    let gained = entry(&value["gained"], "ec2:TerminateInstances");
    assert_eq!(gained["service"], "ec2");
    assert_eq!(gained["access"], "Write");
    let grant = &gained["grants"][0];
    assert_eq!(grant["source"]["policy"], "TerminateCriticalInstances");
    assert_eq!(
        grant["resources"],
        json!(["arn:aws:ec2:*:111111111111:instance/*"])
    );
    assert_eq!(
        grant["conditions"],
        json!(["aws:ResourceTag/critical StringEquals true"])
    );

    // The session replaces carol's permissions: her Operators grants go.
    let lost = name_set(&value["lost"]);
    for action in [
        "ec2:StartInstances",
        "ec2:StopInstances",
        "ec2:RebootInstances",
        "ssm:StartSession",
        "cloudwatch:PutMetricData",
        "iam:ChangePassword",
        "sts:AssumeRole",
    ] {
        assert!(lost.contains(action), "{action} is lost");
    }
    assert!(lost.len() > 300, "lost is large: {}", lost.len());
    // Both carol and the role may describe instances: neither gained nor lost.
    assert!(!lost.contains("ec2:DescribeInstances"));
    assert_eq!(
        entry(&value["lost"], "ec2:StartInstances")["grants"][0]["source"]["policy"],
        "OperatorsDaily"
    );
}

#[test]
fn a_session_lasts_3600_seconds_by_default_on_the_real_clock() {
    let args = ["assume", "-p", "carol", "--role", "EC2Terminator", "--json"];
    let run = iamscope(&args);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let value = json_of(&run, &args);
    let session = &value["session"];
    let started = epoch_seconds(session["started_at"].as_str().expect("started_at"));
    let expires = epoch_seconds(session["expires_at"].as_str().expect("expires_at"));
    assert_eq!(expires - started, 3600);
    assert_eq!(session["duration_seconds"], 3600);
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64;
    assert!(
        (started - now).abs() < 300,
        "the session starts now: {started} vs {now}"
    );
}

#[test]
fn assume_text_shows_the_session_and_the_gain() {
    let run = iamscope(&[
        "assume",
        "-p",
        "carol",
        "--role",
        "EC2Terminator",
        "--context",
        NOW,
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stderr, "");
    let out = &run.stdout;
    assert!(out.starts_with(
        "ALLOWED\n  arn:aws:iam::111111111111:user/carol → sts:AssumeRole on arn:aws:iam::111111111111:role/EC2Terminator\n"
    ), "{out}");
    assert!(out.contains(
        "\nSession\n  identity  arn:aws:sts::111111111111:assumed-role/EC2Terminator/iamscope\n  expires   2026-01-01T01:00:00Z (after 3600 s)\n"
    ), "{out}");
    assert!(out.contains("+1 gained"), "{out}");
    assert!(
        out.lines().any(|l| l
            == "  + Write                  ec2:TerminateInstances                   arn:aws:ec2:*:111111111111:instance/*  only if aws:ResourceTag/critical StringEquals true"),
        "{out}"
    );
    // The count of lost actions agrees with --json.
    let lost = assume_json(&["-p", "carol", "--role", "EC2Terminator"])["lost"]
        .as_array()
        .expect("lost")
        .len();
    assert!(
        out.contains(&format!(
            "\nWhile the session lasts: +1 gained, -{lost} lost (a session replaces carol's own permissions)\n"
        )),
        "{out}"
    );
}

#[test]
fn a_custom_session_name_is_the_last_part_of_the_arn() {
    let value = assume_json(&[
        "-p",
        "carol",
        "--role",
        "EC2Terminator",
        "--session-name",
        "carol@ops.break-glass_1",
    ]);
    assert_eq!(value["allowed"], true);
    assert_eq!(
        value["session"]["arn"],
        "arn:aws:sts::111111111111:assumed-role/EC2Terminator/carol@ops.break-glass_1"
    );
    // RoleSessionName is 2 to 64 characters of [\w+=,.@-].
    for name in ["ab".to_string(), "a".repeat(64), "a+=,.@-_b".to_string()] {
        let value = assume_json(&[
            "-p",
            "carol",
            "--role",
            "EC2Terminator",
            "--session-name",
            &name,
        ]);
        assert_eq!(value["allowed"], true, "{name}");
        assert_eq!(
            value["session"]["arn"],
            format!("arn:aws:sts::111111111111:assumed-role/EC2Terminator/{name}")
        );
    }
}

#[test]
fn an_invalid_session_name_is_refused() {
    for name in [
        "x".to_string(),
        "has space".to_string(),
        "a".repeat(65),
        "a/b".to_string(),
    ] {
        let refusal = format!(
            "the role session name \"{name}\" must be 2 to 64 characters of letters, digits and +=,.@_-"
        );
        let value = assume_json(&[
            "-p",
            "carol",
            "--role",
            "EC2Terminator",
            "--session-name",
            &name,
        ]);
        assert_refused(&value, &refusal);

        let run = iamscope(&[
            "assume",
            "-p",
            "carol",
            "--role",
            "EC2Terminator",
            "--session-name",
            &name,
        ]);
        assert_eq!(run.code, 1, "{}", run.stdout);
        assert!(
            run.stdout
                .starts_with(&format!("REFUSED by STS: {refusal}\n")),
            "{}",
            run.stdout
        );
        assert!(!run.stdout.contains("\nSession\n"), "{}", run.stdout);
    }
}

#[test]
fn duration_seconds_from_900_to_the_roles_maximum() {
    let at = |seconds: &str| {
        assume_json(&[
            "-p",
            "carol",
            "--role",
            "EC2Terminator",
            "--duration",
            seconds,
        ])
    };
    let short = at("900");
    assert_eq!(short["allowed"], true);
    assert_eq!(short["session"]["duration_seconds"], 900);
    assert_eq!(short["session"]["expires_at"], "2026-01-01T00:15:00Z");
    let hour = at("3600");
    assert_eq!(hour["allowed"], true);
    assert_eq!(hour["session"]["expires_at"], "2026-01-01T01:00:00Z");

    // Outside the bounds STS refuses the request; it never clamps.
    let below = at("899");
    assert_eq!(
        below["decision"], "Allow",
        "the policies allow; the duration does not"
    );
    assert_refused(
        &below,
        "the requested DurationSeconds (899) is outside 900..3600: a session lasts at least 900 s (STS refuses it; it does not shorten it)",
    );
    let above = at("3601");
    assert_refused(
        &above,
        "the requested DurationSeconds (3601) is outside 900..3600: the role's MaxSessionDuration is 3600 s (STS refuses it; it does not shorten it)",
    );

    let run = iamscope(&[
        "assume",
        "-p",
        "carol",
        "--role",
        "EC2Terminator",
        "--duration",
        "3601",
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.starts_with("REFUSED by STS: "), "{}", run.stdout);
    assert!(run.stdout.contains("DurationSeconds"), "{}", run.stdout);
    assert!(run.stdout.contains("MaxSessionDuration"), "{}", run.stdout);
}

#[test]
fn the_auditor_role_allows_four_hours() {
    let mfa = "aws:MultiFactorAuthPresent=true";
    let four_hours = assume_json(&[
        "-p",
        "dave",
        "--role",
        "Auditor",
        "--context",
        mfa,
        "--duration",
        "14400",
    ]);
    assert_eq!(four_hours["allowed"], true);
    assert_eq!(four_hours["session"]["duration_seconds"], 14400);
    assert_eq!(four_hours["session"]["expires_at"], "2026-01-01T04:00:00Z");

    let over = assume_json(&[
        "-p",
        "dave",
        "--role",
        "Auditor",
        "--context",
        mfa,
        "--duration",
        "14401",
    ]);
    assert_refused(
        &over,
        "the requested DurationSeconds (14401) is outside 900..14400: the role's MaxSessionDuration is 14400 s (STS refuses it; it does not shorten it)",
    );
}

#[test]
fn dave_needs_mfa_to_assume_the_auditor() {
    let without = assume_json(&["-p", "dave", "--role", "Auditor"]);
    assert_eq!(without["allowed"], false);
    assert_eq!(without["decision"], "ImplicitDeny");
    assert_eq!(reason_layers(&without), ["ResourcePolicy"]);
    assert!(without.get("session").is_none());

    let run = iamscope(&["assume", "-p", "dave", "--role", "Auditor"]);
    assert_eq!(run.code, 1);
    assert!(run
        .stdout
        .starts_with("DENIED (implicit deny: nothing allows it)\n"));
    assert!(
        run.stdout
            .contains("its condition failed: aws:MultiFactorAuthPresent Bool true"),
        "the text explains the failed MFA condition:\n{}",
        run.stdout
    );

    let with = assume_json(&[
        "-p",
        "dave",
        "--role",
        "Auditor",
        "--context",
        "aws:MultiFactorAuthPresent=true",
    ]);
    assert_eq!(with["allowed"], true);
    assert_eq!(with["decision"], "Allow");
    assert_eq!(
        with["session"]["arn"],
        "arn:aws:sts::111111111111:assumed-role/Auditor/iamscope"
    );
    let gained = name_set(&with["gained"]);
    assert!(gained.contains("s3:GetObject"), "ReadOnlyAccess reads S3");
    assert!(!gained.contains("s3:PutObject"));
    // dave's only permission was assuming the Auditor.
    assert_eq!(names(&with["lost"]), ["sts:AssumeRole"]);
}

#[test]
fn bob_lacks_the_identity_allow_for_ec2terminator() {
    // The trust policy names the account, so bob's own policies must allow;
    // his boundary would, his group's policies don't.
    let value = assume_json(&["-p", "bob", "--role", "EC2Terminator"]);
    assert_eq!(value["allowed"], false);
    assert_eq!(value["decision"], "ImplicitDeny");
    assert_eq!(reason_layers(&value), ["Identity"]);
    assert!(value.get("session").is_none());
    assert_eq!(value["gained"], json!([]));
}

#[test]
fn cross_account_needs_both_sides() {
    let alice = assume_json(&["-p", "alice", "--role", "ProdDeploy"]);
    assert_eq!(alice["allowed"], true);
    assert_eq!(
        alice["session"]["arn"],
        "arn:aws:sts::222222222222:assumed-role/ProdDeploy/iamscope"
    );
    assert_eq!(
        alice["session"]["role_arn"],
        "arn:aws:iam::222222222222:role/ProdDeploy"
    );
    assert_eq!(
        alice["session"]["caller"],
        "arn:aws:iam::111111111111:user/alice"
    );
    let layers = reason_layers(&alice);
    assert!(layers.contains(&"ResourcePolicy") && layers.contains(&"Identity"));

    // carol's account is trusted, but none of her policies allows it.
    let carol = assume_json(&["-p", "carol", "--role", "ProdDeploy"]);
    assert_eq!(carol["allowed"], false);
    assert_eq!(carol["decision"], "ImplicitDeny");
    assert_eq!(reason_layers(&carol), ["Identity"]);

    // bob's boundary allows sts:AssumeRole; in the session it no longer
    // applies, so he gains the lambda actions it kept from him, and the S3
    // actions on the prod bucket (he had them on dev buckets only).
    let bob = assume_json(&["-p", "bob", "--role", "ProdDeploy"]);
    assert_eq!(bob["allowed"], true);
    assert!(reason_layers(&bob).contains(&"Boundary"));
    assert_eq!(
        names(&bob["gained"]),
        [
            "cloudformation:DescribeStacks",
            "lambda:GetFunction",
            "lambda:UpdateFunctionCode",
            "lambda:UpdateFunctionConfiguration",
            "s3:GetObject",
            "s3:ListBucket",
            "s3:PutObject"
        ]
    );
    let put = bob["gained"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["action"] == "s3:PutObject")
        .unwrap();
    assert_eq!(
        put["grants"][0]["resources"][0],
        "arn:aws:s3:::prod-app-artifacts/*"
    );
}

#[test]
fn role_chaining_is_capped_at_one_hour() {
    let session = "arn:aws:sts::333333333333:assumed-role/One/s1";
    let hour = assume_json(&[CHAIN, "-p", session, "--role", "Two", "--duration", "3600"]);
    assert_eq!(hour["allowed"], true);
    assert_eq!(
        hour["session"],
        json!({
            "arn": "arn:aws:sts::333333333333:assumed-role/Two/iamscope",
            "role_arn": "arn:aws:iam::333333333333:role/Two",
            "caller": session,
            "started_at": "2026-01-01T00:00:00Z",
            "expires_at": "2026-01-01T01:00:00Z",
            "duration_seconds": 3600,
            "chained": true,
        })
    );
    assert_eq!(names(&hour["gained"]), ["s3:ListAllMyBuckets"]);
    assert_eq!(names(&hour["lost"]), ["sts:AssumeRole"]);

    // Two allows 12 hours, but not to a chained session: refused, not clamped.
    let chain_refusal = |seconds: &str| {
        format!(
            "the requested DurationSeconds ({seconds}) is outside 900..3600: role chaining (assuming a role from a role session) is limited to one hour (STS refuses it; it does not shorten it)"
        )
    };
    for seconds in ["7200", "3601"] {
        let value = assume_json(&[CHAIN, "-p", session, "--role", "Two", "--duration", seconds]);
        assert_refused(&value, &chain_refusal(seconds));
    }
    // The cap is the chaining, not Three's maximum: a user gets 2 hours.
    let from_user = assume_json(&[CHAIN, "-p", "u", "--role", "Three", "--duration", "7200"]);
    assert_eq!(from_user["allowed"], true);
    assert_eq!(from_user["session"]["chained"], false);
    assert_eq!(from_user["session"]["expires_at"], "2026-01-01T02:00:00Z");
    let chained = assume_json(&[
        CHAIN,
        "-p",
        session,
        "--role",
        "Three",
        "--duration",
        "7200",
    ]);
    assert_refused(&chained, &chain_refusal("7200"));

    let run = iamscope(&[
        "assume",
        CHAIN,
        "-p",
        session,
        "--role",
        "Two",
        "--duration",
        "7200",
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .starts_with(&format!("REFUSED by STS: {}\n", chain_refusal("7200"))),
        "{}",
        run.stdout
    );
}

#[test]
fn a_trust_policy_naming_only_role_one_refuses_the_user() {
    let value = assume_json(&[CHAIN, "-p", "u", "--role", "Two"]);
    assert_eq!(value["allowed"], false);
    assert_eq!(value["decision"], "ImplicitDeny");
    assert_eq!(reason_layers(&value), ["ResourcePolicy"]);
    assert!(value.get("session").is_none());
    // While a session of One may.
    let one = assume_json(&[CHAIN, "-p", "u", "--role", "One"]);
    assert_eq!(one["allowed"], true);
    assert_eq!(one["session"]["chained"], false);
}

#[test]
fn same_account_trust_naming_the_user_needs_no_identity_allow_but_the_boundary() {
    // v: no policy at all; the trust policy names v's ARN.
    let v = assume_json(&[TRUST, "-p", "v", "--role", "Four"]);
    assert_eq!(v["allowed"], true);
    assert_eq!(reason_layers(&v), ["ResourcePolicy"]);
    assert_eq!(names(&v["gained"]), ["sqs:ListQueues"]);
    // w: named the same way, but a boundary without sts:AssumeRole.
    let w = assume_json(&[TRUST, "-p", "w", "--role", "Four"]);
    assert_eq!(w["allowed"], false);
    assert_eq!(w["decision"], "ImplicitDeny");
    assert_eq!(reason_layers(&w), ["Boundary"]);
}

#[test]
fn the_root_user_cannot_assume_roles() {
    for root in ["arn:aws:iam::111111111111:root", "111111111111"] {
        let value = assume_json(&["-p", root, "--role", "EC2Terminator"]);
        assert_eq!(value["allowed"], false, "{root}");
        assert_eq!(value["decision"], "ImplicitDeny");
        assert_eq!(
            value["reasons"],
            json!([{"layer": "Identity", "message": "the root user cannot assume roles"}])
        );
    }
}

#[test]
fn a_service_role_is_assumable_only_by_its_service() {
    let refusal = "the trust policy of lambda-app-exec names only lambda.amazonaws.com: it is assumable by that service or identity provider, not by an IAM user or role";
    let value = assume_json(&["-p", "alice", "--role", "lambda-app-exec"]);
    assert_eq!(value["decision"], "ImplicitDeny");
    assert_refused(&value, refusal);

    let run = iamscope(&["assume", "-p", "alice", "--role", "lambda-app-exec"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .starts_with(&format!("REFUSED by STS: {refusal}\n")),
        "{}",
        run.stdout
    );
}

#[test]
fn unknown_roles_and_principals_are_bad_input() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["-p", "alice", "--role", "NoSuchRole"],
            "iamscope: no user or role named \"NoSuchRole\" in the workspace\n",
        ),
        (
            &["-p", "alice", "--role", "bob"],
            "iamscope: arn:aws:iam::111111111111:user/bob is not a role\n",
        ),
        (
            &[
                "-p",
                "alice",
                "--role",
                "arn:aws:iam::111111111111:user/bob",
            ],
            "iamscope: arn:aws:iam::111111111111:user/bob is not a role\n",
        ),
        (
            &["-p", "nobody", "--role", "EC2Terminator"],
            "iamscope: no user or role named \"nobody\" in the workspace\n",
        ),
        (
            &["-p", "alice", "--role", "Developers"],
            "iamscope: no user or role named \"Developers\" in the workspace\n",
        ),
    ];
    for (args, message) in cases {
        for json in [false, true] {
            let mut all = vec!["assume"];
            all.extend_from_slice(args);
            if json {
                all.push("--json");
            }
            let run = iamscope(&all);
            assert_eq!(run.code, 2, "{all:?}: {}{}", run.stdout, run.stderr);
            assert_eq!(run.stdout, "", "{all:?}");
            assert_eq!(run.stderr, message, "{all:?}");
        }
    }
    // A missing --role is a usage error.
    let run = iamscope(&["assume", "-p", "alice"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--role"), "{}", run.stderr);
}

#[test]
fn a_session_policy_limits_what_the_session_gains() {
    let value = assume_json(&[
        "-p",
        "carol",
        "--role",
        "EC2Terminator",
        "--session-policy",
        DESCRIBE_ONLY,
    ]);
    assert_eq!(value["allowed"], true);
    assert_eq!(
        value["session"]["arn"],
        "arn:aws:sts::111111111111:assumed-role/EC2Terminator/iamscope"
    );
    // Role ∩ session policy = ec2:DescribeInstances, which carol already had.
    assert_eq!(value["gained"], json!([]));
    let lost = name_set(&value["lost"]);
    assert!(!lost.contains("ec2:DescribeInstances"));
    assert!(lost.contains("ec2:StartInstances"));

    let run = iamscope(&[
        "assume",
        "-p",
        "carol",
        "--role",
        "EC2Terminator",
        "--session-policy",
        DESCRIBE_ONLY,
    ]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("+0 gained"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("ec2:TerminateInstances"),
        "{}",
        run.stdout
    );
}

// ----------------------------------------------------------- permissions

#[test]
fn permissions_of_alice_as_json() {
    let value = permissions_json(&["-p", "alice"]);
    assert_eq!(value["principal"], "arn:aws:iam::111111111111:user/alice");
    let get = entry(&value["actions"], "s3:GetObject");
    assert_eq!(get["service"], "s3");
    assert_eq!(get["access"], "Read");
    // DevelopersDaily's S3ObjectsInDevBuckets: s3:*Object on dev-*/*.
    assert_eq!(
        get["grants"],
        json!([{
            "source": {
                "layer": "Identity",
                "file": "sample-accounts/workshop/dev-111111111111.json",
                "policy": "DevelopersDaily",
                "statement": "Sid \"S3ObjectsInDevBuckets\"",
                "statement_index": 2
            },
            "resources": ["arn:aws:s3:::dev-*/*"],
            "not_resource": false,
            "conditions": []
        }])
    );
    assert_eq!(
        entry(&value["actions"], "s3:ListBucket")["grants"][0]["resources"],
        json!(["arn:aws:s3:::dev-*"])
    );
    // The explicit deny on the shared data shows beside the grant.
    let delete = entry(&value["actions"], "s3:DeleteObject");
    assert_eq!(delete["restrictions"][0]["effect"], "Deny");
    assert_eq!(
        delete["restrictions"][0]["resources"],
        json!([
            "arn:aws:s3:::dev-shared-data",
            "arn:aws:s3:::dev-shared-data/*"
        ])
    );
    // ${aws:username} resolved in the bundled IAMUserChangePassword.
    assert_eq!(
        entry(&value["actions"], "iam:ChangePassword")["grants"][0]["resources"],
        json!(["arn:aws:iam::*:user/alice", "arn:aws:iam::*:user/*/alice"])
    );
    let all = name_set(&value["actions"]);
    assert!(!all.contains("ec2:TerminateInstances"));
    assert!(
        !all.contains("s3:GetObjectAcl"),
        "s3:*Object ends with Object"
    );
}

#[test]
fn permissions_filtered_to_one_service() {
    let all = permissions_json(&["-p", "alice"]);
    let s3 = permissions_json(&["-p", "alice", "--service", "s3"]);
    let listed = names(&s3["actions"]);
    assert!(listed.iter().all(|a| a.starts_with("s3:")), "{listed:?}");
    assert!(s3["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .all(|a| a["service"] == "s3"));
    let expected: Vec<&str> = names(&all["actions"])
        .into_iter()
        .filter(|a| a.starts_with("s3:"))
        .collect();
    assert_eq!(
        listed.iter().collect::<BTreeSet<_>>(),
        expected.iter().collect::<BTreeSet<_>>()
    );
    assert!(listed.contains(&"s3:GetObject") && listed.contains(&"s3:ListAllMyBuckets"));

    let run = iamscope(&["permissions", "-p", "alice", "--service", "s3"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with(&format!(
        "alice (arn:aws:iam::111111111111:user/alice) — {} actions allowed\n",
        listed.len()
    )));
    assert!(run.stdout.contains("\ns3  Amazon S3  ("), "{}", run.stdout);
}

#[test]
fn bobs_boundary_leaves_him_no_lambda_actions() {
    let bob = permissions_json(&["-p", "bob", "--service", "lambda"]);
    assert_eq!(bob["actions"], json!([]));
    let alice = permissions_json(&["-p", "alice", "--service", "lambda"]);
    let lambda = names(&alice["actions"]);
    assert!(!lambda.is_empty());
    assert!(lambda.contains(&"lambda:UpdateFunctionCode"));
    assert!(lambda.contains(&"lambda:ListFunctions"));

    let run = iamscope(&["permissions", "-p", "bob", "--service", "lambda"]);
    assert_eq!(run.code, 0);
    assert!(run
        .stdout
        .starts_with("bob (arn:aws:iam::111111111111:user/bob) — 0 actions allowed\n"));
}

#[test]
fn prod_admin_has_the_catalog_minus_what_the_scps_deny() {
    // organization.json: DenyLeaveOrganization on the OU, and
    // ProdDenyLongTermCredentials on the prod account; both unconditional.
    let denied = [
        "organizations:LeaveOrganization",
        "iam:CreateUser",
        "iam:CreateAccessKey",
    ];
    // STS refuses these to any role session: they need long-term
    // credentials (AWS STS API reference, API_GetSessionToken,
    // API_GetFederationToken).
    let refused = ["sts:GetSessionToken", "sts:GetFederationToken"];
    let mut expected = catalog();
    for action in denied.iter().chain(&refused) {
        assert!(expected.remove(*action), "{action} is in the catalog");
    }
    let value = permissions_json(&["-p", "prod-admin"]);
    let got = name_set(&value["actions"]);
    assert_eq!(got.len(), CATALOG_SIZE - denied.len() - refused.len());
    assert!(
        got == expected,
        "prod-admin's actions are the catalog minus the SCP denies and what STS refuses a session"
    );
    assert!(got.contains("ec2:RunInstances"));
    assert!(got.contains("iam:ListRoles"));
    assert!(!got.contains("iam:CreateUser"));
    // A role is shown as a session of that role.
    assert_eq!(
        value["principal"],
        "arn:aws:sts::222222222222:assumed-role/prod-admin/iamscope"
    );
}

#[test]
fn permissions_bad_input_exits_2() {
    let run = iamscope(&["permissions", "-p", "alice", "--service", "nosuch"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "iamscope: no service has the prefix \"nosuch\" in the action catalog\n"
    );
    let run = iamscope(&[
        "permissions",
        "-p",
        "alice",
        "--service",
        "nosuch",
        "--json",
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    let run = iamscope(&["permissions", "-p", "nobody"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "iamscope: no user or role named \"nobody\" in the workspace\n"
    );
}

#[test]
fn administrator_access_from_the_bundle_lists_every_catalog_action() {
    let value = permissions_json(&[MANAGED, "-p", "admin"]);
    assert_eq!(value["principal"], "arn:aws:iam::444444444444:user/admin");
    let got = name_set(&value["actions"]);
    assert_eq!(got.len(), CATALOG_SIZE);
    assert!(got == catalog());
    assert_eq!(
        entry(&value["actions"], "ec2:RunInstances")["grants"][0]["source"],
        json!({
            "layer": "Identity",
            "file": "(bundled AWS managed policies)",
            "policy": "AdministratorAccess",
            "statement": "statement #1",
            "statement_index": 0
        })
    );
}

#[test]
fn power_user_access_is_the_complement_of_its_not_action_plus_what_it_adds_back() {
    let catalog = catalog();
    let expected = granted_by(&bundled_policy("PowerUserAccess"), &catalog);
    let got = name_set(&permissions_json(&[MANAGED, "-p", "power"])["actions"]);
    assert!(!got.contains("iam:CreateUser"));
    assert!(!got.contains("organizations:LeaveOrganization"));
    assert!(got.contains("iam:ListRoles"));
    assert!(got.contains("iam:CreateServiceLinkedRole"));
    assert!(got.contains("ec2:RunInstances"));
    assert!(got.contains("s3:PutObject"));
    assert_eq!(
        got.iter().filter(|a| a.starts_with("iam:")).count(),
        3,
        "iam: ListRoles, CreateServiceLinkedRole, DeleteServiceLinkedRole"
    );
    let missing: Vec<_> = expected.difference(&got).take(10).collect();
    let extra: Vec<_> = got.difference(&expected).take(10).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, extra {extra:?}"
    );
}

#[test]
fn read_only_access_is_exactly_the_actions_its_patterns_name() {
    let catalog = catalog();
    let expected = granted_by(&bundled_policy("ReadOnlyAccess"), &catalog);
    let got = name_set(&permissions_json(&[MANAGED, "-p", "reader"])["actions"]);
    assert!(got.contains("s3:GetObject"));
    assert!(got.contains("ec2:DescribeInstances"));
    assert!(got.contains("iam:ListRoles"));
    assert!(!got.contains("s3:PutObject"));
    assert!(!got.contains("ec2:RunInstances"));
    let missing: Vec<_> = expected.difference(&got).take(10).collect();
    let extra: Vec<_> = got.difference(&expected).take(10).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, extra {extra:?}"
    );
}

// --------------------------------------------------------------- who-can

/// `(principal ARN, path)` of every entry in a who-can list.
fn who(list: &Value) -> Vec<(String, Vec<String>)> {
    list.as_array()
        .expect("an array")
        .iter()
        .map(|e| {
            let path = e["path"]
                .as_array()
                .expect("a path")
                .iter()
                .map(|s| s.as_str().expect("a role name").to_string())
                .collect();
            (
                e["principal"].as_str().expect("a principal").to_string(),
                path,
            )
        })
        .collect()
}

fn hop(principal: &str, path: &[&str]) -> (String, Vec<String>) {
    (
        principal.to_string(),
        path.iter().map(|s| s.to_string()).collect(),
    )
}

#[test]
fn who_can_terminate_a_critical_instance() {
    let value = who_can_json(&[
        "--action",
        "ec2:TerminateInstances",
        "--resource",
        INSTANCE,
        "--context",
        "aws:ResourceTag/critical=true",
    ]);
    assert_eq!(value["action"], "ec2:TerminateInstances");
    assert_eq!(value["resource"], INSTANCE);
    assert_eq!(who(&value["direct"]), [hop(EC2_TERMINATOR, &[])]);
    assert_eq!(value["direct"][0]["name"], "EC2Terminator");
    let through = who(&value["through_roles"]);
    assert!(
        through.contains(&hop(
            "arn:aws:iam::111111111111:user/carol",
            &["EC2Terminator"]
        )),
        "{through:?}"
    );
    assert!(
        through.iter().all(|(p, _)| !p.ends_with(":user/bob")),
        "bob has no path: {through:?}"
    );
    assert_eq!(through.len(), 1, "{through:?}");

    let run = iamscope(&[
        "who-can",
        "-a",
        "ec2:TerminateInstances",
        "-r",
        INSTANCE,
        "-c",
        "aws:ResourceTag/critical=true",
    ]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("carol → EC2Terminator"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("bob"), "{}", run.stdout);
}

#[test]
fn who_can_terminate_an_untagged_instance() {
    // Without the tag the role's condition fails, as it would in AWS.
    let value = who_can_json(&["--action", "ec2:TerminateInstances", "--resource", INSTANCE]);
    assert_eq!(value["direct"], json!([]));
    assert_eq!(value["through_roles"], json!([]));
    let run = iamscope(&["who-can", "-a", "ec2:TerminateInstances", "-r", INSTANCE]);
    assert!(
        run.stdout.contains("Nobody in the workspace can."),
        "{}",
        run.stdout
    );
}

#[test]
fn who_can_update_the_prod_function() {
    let value = who_can_json(&["-a", "lambda:UpdateFunctionCode", "-r", APP_API]);
    assert_eq!(
        who(&value["direct"]),
        [
            hop("arn:aws:iam::222222222222:role/ProdDeploy", &[]),
            hop("arn:aws:iam::222222222222:role/prod-admin", &[]),
        ]
    );
    assert_eq!(
        who(&value["through_roles"]),
        [
            hop("arn:aws:iam::111111111111:user/alice", &["ProdDeploy"]),
            hop("arn:aws:iam::111111111111:user/bob", &["ProdDeploy"]),
        ]
    );
    let run = iamscope(&["who-can", "-a", "lambda:UpdateFunctionCode", "-r", APP_API]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("alice → ProdDeploy"), "{}", run.stdout);
    assert!(run.stdout.contains("bob → ProdDeploy"), "{}", run.stdout);
    assert!(!run.stdout.contains("carol"), "{}", run.stdout);
}

#[test]
fn who_can_follows_a_chain_of_roles() {
    let value = who_can_json(&[CHAIN, "-a", "s3:ListAllMyBuckets"]);
    assert_eq!(
        who(&value["direct"]),
        [hop("arn:aws:iam::333333333333:role/Two", &[])]
    );
    let through = who(&value["through_roles"]);
    assert!(
        through.contains(&hop("arn:aws:iam::333333333333:user/u", &["One", "Two"])),
        "{through:?}"
    );
    let run = iamscope(&["who-can", CHAIN, "-a", "s3:ListAllMyBuckets"]);
    assert!(run.stdout.contains("u → One → Two"), "{}", run.stdout);
}

#[test]
fn who_can_bad_input_exits_2() {
    let run = iamscope(&["who-can", "-a", "ec2TerminateInstances"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("is not an action"), "{}", run.stderr);
    let run = iamscope(&["who-can"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--action"), "{}", run.stderr);
}

// ------------------------------------------------ the tool never writes

#[test]
fn assume_permissions_and_who_can_leave_the_workspace_files_unchanged() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let folders = [
        root.join(WORKSHOP),
        root.join(CHAIN),
        root.join(MANAGED),
        root.join(TRUST),
        root.join("tests/fixtures/sessions-policies"),
    ];
    let before: Vec<_> = folders.iter().map(|f| snapshot(f)).collect();
    assert!(before[0].len() >= 4, "the workshop files are there");
    for args in [
        vec!["assume", WORKSHOP, "-p", "carol", "--role", "EC2Terminator"],
        vec!["assume", "-p", "carol", "--role", "EC2Terminator", "--json"],
        vec![
            "assume",
            "-p",
            "carol",
            "--role",
            "EC2Terminator",
            "--session-policy",
            DESCRIBE_ONLY,
        ],
        vec!["assume", "-p", "dave", "--role", "Auditor"],
        vec!["assume", "-p", "alice", "--role", "NoSuchRole"],
        vec![
            "assume",
            CHAIN,
            "-p",
            "arn:aws:sts::333333333333:assumed-role/One/s1",
            "--role",
            "Two",
            "--duration",
            "7200",
        ],
        vec!["permissions", WORKSHOP, "-p", "alice"],
        vec!["permissions", "-p", "bob", "--json"],
        vec!["permissions", MANAGED, "-p", "reader", "--service", "s3"],
        vec![
            "who-can",
            WORKSHOP,
            "-a",
            "lambda:UpdateFunctionCode",
            "-r",
            APP_API,
        ],
        vec!["who-can", CHAIN, "-a", "s3:ListAllMyBuckets", "--json"],
        vec!["who-can", TRUST, "-a", "sqs:ListQueues"],
    ] {
        let run = iamscope(&args);
        assert!(run.code <= 2, "{args:?}");
    }
    let after: Vec<_> = folders.iter().map(|f| snapshot(f)).collect();
    for (b, a) in before.iter().zip(&after) {
        // Same files (none added or removed), same bytes, same mtimes.
        assert_eq!(b.keys().collect::<Vec<_>>(), a.keys().collect::<Vec<_>>());
        for (path, (bytes, modified)) in b {
            assert!(a[path].0 == *bytes, "{} changed", path.display());
            assert_eq!(a[path].1, *modified, "{} was rewritten", path.display());
        }
    }
}

/// `permissions` agrees with `check` under the same context: ProdDeploy's
/// upload is listed (with the bucket policy's deny of plain HTTP as a limit)
/// until the context says the request is over plain HTTP; then it is gone,
/// and `check` calls it an explicit deny.
#[test]
fn permissions_under_a_context_drop_what_a_bucket_policy_denies() {
    let open = permissions_json(&["-p", "ProdDeploy", "--service", "s3"]);
    let put = open["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["action"] == "s3:PutObject")
        .expect("listed while aws:SecureTransport is not given");
    assert_eq!(put["conditional"], false);
    assert_eq!(put["restrictions"][0]["source"]["layer"], "ResourcePolicy");
    assert_eq!(
        put["restrictions"][0]["conditions"][0],
        "aws:SecureTransport Bool false"
    );

    let plain = permissions_json(&[
        "-p",
        "ProdDeploy",
        "--service",
        "s3",
        "-c",
        "aws:SecureTransport=false",
    ]);
    assert!(
        !names(&plain["actions"]).contains(&"s3:PutObject"),
        "{plain}"
    );
    let check = iamscope(&[
        "check",
        "-p",
        "ProdDeploy",
        "-a",
        "s3:PutObject",
        "-r",
        "arn:aws:s3:::prod-app-artifacts/*",
        "-c",
        "aws:SecureTransport=false",
    ]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(
        check.stdout.starts_with("DENIED (explicit deny)"),
        "{}",
        check.stdout
    );
}

/// A grant on a condition the context does not decide is marked so, in
/// JSON (`conditional`, `conditions`) and in text (`only if`).
#[test]
fn permissions_mark_conditional_grants() {
    let value = permissions_json(&["-p", "EC2Terminator", "--service", "ec2"]);
    let terminate = value["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["action"] == "ec2:TerminateInstances")
        .expect("listed");
    assert_eq!(terminate["conditional"], true);
    assert_eq!(
        terminate["conditions"][0],
        "aws:ResourceTag/critical StringEquals true"
    );
    let run = iamscope(&["permissions", "-p", "EC2Terminator", "--service", "ec2"]);
    assert!(
        run.stdout
            .contains("1 of them only under conditions the context does not decide"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("only if aws:ResourceTag/critical StringEquals true"),
        "{}",
        run.stdout
    );
    let decided = permissions_json(&[
        "-p",
        "EC2Terminator",
        "--service",
        "ec2",
        "-c",
        "aws:ResourceTag/critical=false",
    ]);
    assert!(!names(&decided["actions"]).contains(&"ec2:TerminateInstances"));
}

const OWNERS: &str = "tests/fixtures/owners";

/// An S3 ARN names no account: with no policy or declared owner, who-can
/// says the owner is unknown and lists who can only if it is theirs
/// (issue 13, point 8); `--resource-account` settles it.
#[test]
fn who_can_on_a_bucket_of_unknown_owner_says_so() {
    let value = who_can_json(&[
        OWNERS,
        "-a",
        "s3:DeleteObject",
        "-r",
        "arn:aws:s3:::shared-data/r.csv",
    ]);
    assert_eq!(value["direct"].as_array().map(Vec::len), Some(0), "{value}");
    let unknown = &value["owner_unknown"];
    assert!(
        unknown["note"]
            .as_str()
            .unwrap_or_default()
            .contains("is unknown"),
        "{value}"
    );
    let depends: Vec<(String, String)> = unknown["if_owner"]
        .as_array()
        .expect("if_owner")
        .iter()
        .map(|o| {
            (
                o["name"].as_str().unwrap_or_default().to_string(),
                o["if_owned_by"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        depends,
        vec![
            ("dev-admin".to_string(), "111111111111".to_string()),
            ("prod-admin".to_string(), "222222222222".to_string())
        ]
    );
    let settled = who_can_json(&[
        OWNERS,
        "-a",
        "s3:DeleteObject",
        "-r",
        "arn:aws:s3:::shared-data/r.csv",
        "--resource-account",
        "111111111111",
    ]);
    assert!(settled.get("owner_unknown").is_none(), "{settled}");
    assert_eq!(names_of(&settled["direct"]), vec!["dev-admin"]);

    let text = iamscope(&[
        "who-can",
        OWNERS,
        "-a",
        "s3:DeleteObject",
        "-r",
        "arn:aws:s3:::shared-data/r.csv",
    ]);
    assert!(
        text.stdout
            .contains("Only if the resource is in their own account (2):"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("user  prod-admin  if owned by 222222222222"),
        "{}",
        text.stdout
    );
    let bad = iamscope(&[
        "who-can",
        OWNERS,
        "-a",
        "s3:DeleteObject",
        "--resource-account",
        "12",
    ]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("not a 12-digit account id"),
        "{}",
        bad.stderr
    );
}

/// The workshop declares the owner of dev-shared-data (a resource-policies
/// entry with `Arn` and `AccountId` only): prod's admin is not listed as
/// able to delete in dev's bucket, and `check` says why.
#[test]
fn a_declared_owner_keeps_another_account_out() {
    let value = who_can_json(&[
        "-a",
        "s3:DeleteObject",
        "-r",
        "arn:aws:s3:::dev-shared-data/report.csv",
    ]);
    assert!(!value.to_string().contains("prod-admin"), "{value}");
    assert!(value.get("owner_unknown").is_none());
    let check = iamscope(&[
        "check",
        "-p",
        "prod-admin",
        "-a",
        "s3:DeleteObject",
        "-r",
        "arn:aws:s3:::dev-shared-data/report.csv",
    ]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    let unknown = iamscope(&[
        "check",
        OWNERS,
        "-p",
        "prod-admin",
        "-a",
        "s3:DeleteObject",
        "-r",
        "arn:aws:s3:::shared-data/r.csv",
    ]);
    assert_eq!(unknown.code, 0, "{}", unknown.stdout);
    assert!(
        unknown.stdout.contains("Owner unknown:"),
        "{}",
        unknown.stdout
    );
    assert!(
        unknown
            .stdout
            .contains("In another account: DENIED (implicit deny)."),
        "{}",
        unknown.stdout
    );
}

/// dave reaches the Auditor role only with MFA: listed so, not left out.
#[test]
fn who_can_lists_dave_with_mfa() {
    let value = who_can_json(&["-a", "cloudtrail:LookupEvents"]);
    let conditional = value["conditional"].as_array().expect("conditional");
    let dave = conditional
        .iter()
        .find(|c| c["name"] == "dave")
        .expect("dave is listed as conditional");
    assert_eq!(dave["path"], serde_json::json!(["Auditor"]));
    assert_eq!(dave["needs"]["aws:MultiFactorAuthPresent"], "true");
    let text = iamscope(&["who-can", "-a", "cloudtrail:LookupEvents"]);
    assert!(
        text.stdout
            .contains("user  dave → Auditor  with aws:MultiFactorAuthPresent=true"),
        "{}",
        text.stdout
    );
    let with_mfa = who_can_json(&[
        "-a",
        "cloudtrail:LookupEvents",
        "-c",
        "aws:MultiFactorAuthPresent=true",
    ]);
    assert!(with_mfa.get("conditional").is_none(), "{with_mfa}");
    assert!(names_of(&with_mfa["through_roles"]).contains(&"dave".to_string()));
}

fn names_of(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|a| {
            a.iter()
                .map(|r| r["name"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

const SESSION_TAGS: &str = "tests/fixtures/session-tags";

/// `assume --tag`: the trust policy allows sts:TagSession for team blue or
/// red; the session carries the tag as aws:PrincipalTag/team, over the
/// role's own team=red (IAM User Guide, id_session-tags).
#[test]
fn assume_with_session_tags() {
    let run = iamscope(&[
        "assume",
        SESSION_TAGS,
        "-p",
        "dev",
        "--role",
        "Builder",
        "--tag",
        "team=blue",
        "--json",
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let value: Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(value["session"]["tags"]["team"], "blue");
    let gained = value["gained"].to_string();
    assert!(gained.contains("arn:aws:s3:::team-blue/*"), "{gained}");

    let text = iamscope(&[
        "assume",
        SESSION_TAGS,
        "-p",
        "dev",
        "--role",
        "Builder",
        "--tag",
        "team=blue",
    ]);
    assert!(
        text.stdout.contains("  tags      team=blue"),
        "{}",
        text.stdout
    );

    let denied = iamscope(&[
        "assume",
        SESSION_TAGS,
        "-p",
        "dev",
        "--role",
        "Builder",
        "--tag",
        "team=green",
    ]);
    assert_eq!(denied.code, 1, "{}", denied.stdout);
    assert!(
        denied.stdout.contains("passing them needs sts:TagSession"),
        "{}",
        denied.stdout
    );
    assert!(
        denied
            .stdout
            .contains("sts:TagSession on arn:aws:iam::111111111111:role/Builder"),
        "{}",
        denied.stdout
    );

    let workshop = iamscope(&[
        "assume",
        "-p",
        "carol",
        "--role",
        "EC2Terminator",
        "--tag",
        "project=x",
    ]);
    assert_eq!(
        workshop.code, 1,
        "EC2Terminator's trust does not allow sts:TagSession"
    );
    let bad = iamscope(&[
        "assume",
        "-p",
        "carol",
        "--role",
        "EC2Terminator",
        "--tag",
        "novalue",
    ]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("is not KEY=VALUE"), "{}", bad.stderr);
}

/// `permissions -p A -p B`: one load, one answer each (an array in JSON,
/// sections in text); one principal keeps its single object.
#[test]
fn permissions_of_several_principals_in_one_run() {
    let run = iamscope(&[
        "permissions",
        "-p",
        "alice",
        "-p",
        "bob",
        "--service",
        "s3",
        "--json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value: Value = serde_json::from_str(&run.stdout).expect("json");
    let principals: Vec<&str> = value
        .as_array()
        .expect("an array for several principals")
        .iter()
        .filter_map(|p| p["principal"].as_str())
        .collect();
    assert_eq!(
        principals,
        vec![
            "arn:aws:iam::111111111111:user/alice",
            "arn:aws:iam::111111111111:user/bob"
        ]
    );
    let text = iamscope(&["permissions", "-p", "alice", "-p", "bob", "--service", "s3"]);
    assert!(
        text.stdout
            .starts_with("alice (arn:aws:iam::111111111111:user/alice)"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("\n\nbob (arn:aws:iam::111111111111:user/bob)"),
        "{}",
        text.stdout
    );
    let typo = iamscope(&["permissions", "-p", "alice", "-p", "nobody"]);
    assert_eq!(typo.code, 2);
    assert_eq!(typo.stdout, "", "nothing printed before the typo is found");
}

/// `who-can -a A -a B`: one load, one answer each (an array in JSON).
#[test]
fn who_can_several_actions_in_one_run() {
    let run = iamscope(&[
        "who-can",
        "-a",
        "cloudtrail:LookupEvents",
        "-a",
        "ec2:TerminateInstances",
        "--json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value: Value = serde_json::from_str(&run.stdout).expect("json");
    let actions: Vec<&str> = value
        .as_array()
        .expect("an array for several actions")
        .iter()
        .filter_map(|a| a["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        vec!["cloudtrail:LookupEvents", "ec2:TerminateInstances"]
    );
    let one = who_can_json(&["-a", "cloudtrail:LookupEvents"]);
    assert_eq!(
        value[0]["direct"], one["direct"],
        "the same answer as asked alone"
    );
    let text = iamscope(&[
        "who-can",
        "-a",
        "cloudtrail:LookupEvents",
        "-a",
        "ec2:TerminateInstances",
    ]);
    assert!(
        text.stdout
            .contains("Who can cloudtrail:LookupEvents on *?"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("\n\nWho can ec2:TerminateInstances on *?"),
        "{}",
        text.stdout
    );
    let typo = iamscope(&[
        "who-can",
        "-a",
        "ec2:TerminateInstances",
        "-a",
        "s3:GetObjekt",
    ]);
    assert_eq!(typo.code, 2);
    assert_eq!(typo.stdout, "");
}
