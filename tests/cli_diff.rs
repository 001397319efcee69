//! `iamscope diff`: two principals of the workshop compared under one
//! context, and two dumps of one account compared principal by principal.
//!
//! Expected differences come from the other commands (`permissions` of each
//! side) and from the fixtures under `tests/fixtures/diff/`, written so that
//! the new dump adds user `fresh`, removes user `gone`, attaches the managed
//! policy ReadQueues (sqs:GetQueueUrl, sqs:ListQueues) to user `grow`, and
//! drops sqs:SendMessage from role Worker's inline policy; user `keep` is
//! the same in both.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{json, Value};

mod common;
use common::{iamscope, snapshot, Run};

const WORKSHOP: &str = "sample-accounts/workshop";
const OLD: &str = "tests/fixtures/diff/old";
const NEW: &str = "tests/fixtures/diff/new";
const ALICE: &str = "arn:aws:iam::111111111111:user/alice";
const BOB: &str = "arn:aws:iam::111111111111:user/bob";
const CAROL: &str = "arn:aws:iam::111111111111:user/carol";
const EC2_TERMINATOR_SESSION: &str =
    "arn:aws:sts::111111111111:assumed-role/EC2Terminator/iamscope";

/// The one JSON object on stdout of a run that exited 0 with nothing on stderr.
#[track_caller]
fn json_of(args: &[&str]) -> Value {
    let run = iamscope(args);
    assert_eq!(run.code, 0, "iamscope {args:?}: {}", run.stderr);
    assert_eq!(run.stderr, "", "iamscope {args:?} printed on stderr");
    let value: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("iamscope {args:?}: not JSON ({e}):\n{}", run.stdout));
    assert!(value.is_object(), "{value}");
    value
}

/// The `action` names of a JSON list of effective actions, in order.
fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|a| {
            a["action"]
                .as_str()
                .expect("action is a string")
                .to_string()
        })
        .collect()
}

/// The action names `permissions` lists for a principal.
fn permitted(args: &[&str]) -> BTreeSet<String> {
    let mut all = vec!["permissions", "--json"];
    all.extend_from_slice(args);
    names(&json_of(&all)["actions"]).into_iter().collect()
}

/// Exit 2, a message on stderr and nothing on stdout.
#[track_caller]
fn assert_bad_input(run: &Run, args: &[&str], says: &str) {
    assert_eq!(
        run.code, 2,
        "iamscope {args:?}: {}{}",
        run.stdout, run.stderr
    );
    assert_eq!(run.stdout, "", "iamscope {args:?}");
    assert!(
        run.stderr.contains(says),
        "iamscope {args:?}: stderr should say {says:?}:\n{}",
        run.stderr
    );
}

/// Bob's boundary leaves him no Lambda action (see cli_sessions.rs), and he
/// may change only his own password: what he may do that alice may not is
/// iam:ChangePassword on his own user; what she loses is every Lambda
/// action she has, and the same action on her own user.
#[test]
fn alice_and_bob_differ_by_lambda_and_whose_password() {
    let diff = json_of(&["diff", WORKSHOP, "-p", "alice", "--with", "bob", "--json"]);
    assert_eq!(diff["principal"], ALICE);
    assert_eq!(diff["with"], BOB);
    assert_eq!(diff["caveats"], json!([]));
    assert_eq!(names(&diff["gained"]), ["iam:ChangePassword"]);
    let bobs = &diff["gained"][0]["grants"][0]["resources"];
    assert!(bobs.to_string().contains("user/bob"), "{bobs}");

    let lost: BTreeSet<String> = names(&diff["lost"]).into_iter().collect();
    let mut expected = permitted(&["-p", "alice", "--service", "lambda"]);
    assert!(!expected.is_empty(), "alice has Lambda actions");
    expected.insert("iam:ChangePassword".to_string());
    assert_eq!(lost, expected);
    assert_eq!(names(&diff["lost"]).len(), lost.len(), "each action once");
    let alices = diff["lost"]
        .as_array()
        .and_then(|l| l.iter().find(|a| a["action"] == "iam:ChangePassword"))
        .map(|a| a["grants"].to_string())
        .unwrap_or_default();
    assert!(alices.contains("user/alice"), "{alices}");
}

/// Carol's session of EC2Terminator gains ec2:TerminateInstances (the
/// workshop's first lesson) and loses what only carol's own policies grant;
/// the reverse comparison swaps the two lists.
#[test]
fn carol_and_her_ec2terminator_session() {
    let diff = json_of(&["diff", "-p", "carol", "--with", "EC2Terminator", "--json"]);
    assert_eq!(diff["principal"], CAROL);
    assert_eq!(diff["with"], EC2_TERMINATOR_SESSION);
    assert_eq!(names(&diff["gained"]), ["ec2:TerminateInstances"]);

    let carol = permitted(&["-p", "carol"]);
    let session = permitted(&["-p", "EC2Terminator"]);
    let lost: BTreeSet<String> = names(&diff["lost"]).into_iter().collect();
    // Both grant on "*" here, so what is lost is exactly the set difference.
    let only_carol: BTreeSet<String> = carol.difference(&session).cloned().collect();
    assert_eq!(lost, only_carol);
    assert!(!lost.is_empty());

    let back = json_of(&[
        "diff",
        "-p",
        EC2_TERMINATOR_SESSION,
        "--with",
        "carol",
        "--json",
    ]);
    assert_eq!(back["principal"], EC2_TERMINATOR_SESSION);
    assert_eq!(back["with"], CAROL);
    assert_eq!(names(&back["gained"]), names(&diff["lost"]));
    assert_eq!(names(&back["lost"]), names(&diff["gained"]));
}

/// `--service` keeps one service on both sides.
#[test]
fn one_service() {
    let diff = json_of(&[
        "diff",
        "-p",
        "carol",
        "--with",
        "EC2Terminator",
        "--service",
        "ec2",
        "--json",
    ]);
    assert_eq!(names(&diff["gained"]), ["ec2:TerminateInstances"]);
    let lost = diff["lost"].as_array().expect("a list");
    assert!(!lost.is_empty());
    assert!(lost.iter().all(|a| a["service"] == "ec2"), "{diff}");
}

/// The text: a header naming both with the counts, then by service the
/// `+`/`-` lines, each the line `permissions` prints for that action.
#[test]
fn text_names_both_and_reuses_the_permissions_lines() {
    let json = json_of(&["diff", "-p", "alice", "--with", "bob", "--json"]);
    let (gained, lost) = (names(&json["gained"]).len(), names(&json["lost"]).len());
    let run = iamscope(&["diff", "-p", "alice", "--with", "bob"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let first = run.stdout.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        format!("alice ({ALICE}) → bob ({BOB}): +{gained} -{lost}")
    );
    assert!(run.stdout.contains("\niam  "), "{}", run.stdout);
    assert!(run.stdout.contains("\nlambda  "), "{}", run.stdout);

    let bob = iamscope(&["permissions", "-p", "bob"]);
    let line = bob
        .stdout
        .lines()
        .find(|l| l.contains("iam:ChangePassword"))
        .map(str::trim)
        .expect("bob may change his password");
    assert!(
        run.stdout.contains(&format!("\n  + {line}\n")),
        "{line}\n{}",
        run.stdout
    );
    let alice = iamscope(&["permissions", "-p", "alice", "--service", "lambda"]);
    let line = alice
        .stdout
        .lines()
        .find(|l| l.contains("lambda:GetFunction "))
        .map(str::trim)
        .expect("alice may get a function");
    assert!(
        run.stdout.contains(&format!("\n  - {line}\n")),
        "{line}\n{}",
        run.stdout
    );
    let signed = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("  + ") || l.starts_with("  - "))
        .count();
    assert_eq!(signed, gained + lost);
}

/// A principal compared with itself: nothing gained or lost.
#[test]
fn a_principal_compared_with_itself() {
    let diff = json_of(&["diff", "-p", "carol", "--with", CAROL, "--json"]);
    assert_eq!(diff["gained"], json!([]));
    assert_eq!(diff["lost"], json!([]));
    let run = iamscope(&["diff", "-p", "carol", "--with", "carol"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("+0 -0"), "{}", run.stdout);
    assert!(run.stdout.contains("\nNo difference.\n"), "{}", run.stdout);
}

#[test]
fn two_dumps_as_json() {
    let diff = json_of(&["diff", OLD, NEW, "--json"]);
    assert_eq!(
        diff,
        json!({
            "old": OLD,
            "new": NEW,
            "added": ["arn:aws:iam::666666666666:user/fresh"],
            "removed": ["arn:aws:iam::666666666666:user/gone"],
            "changed": [
                {
                    "principal": "arn:aws:iam::666666666666:role/Worker",
                    "gained": [],
                    "lost": ["sqs:SendMessage"],
                },
                {
                    "principal": "arn:aws:iam::666666666666:user/grow",
                    "gained": ["sqs:GetQueueUrl", "sqs:ListQueues"],
                    "lost": [],
                },
            ],
            "caveats": [],
        })
    );
    // The other way round, everything swaps.
    let back = json_of(&["diff", NEW, OLD, "--json"]);
    assert_eq!(back["added"], diff["removed"]);
    assert_eq!(back["removed"], diff["added"]);
    assert_eq!(
        back["changed"][1],
        json!({
            "principal": "arn:aws:iam::666666666666:user/grow",
            "gained": [],
            "lost": ["sqs:GetQueueUrl", "sqs:ListQueues"],
        })
    );
}

#[test]
fn two_dumps_as_text() {
    let run = iamscope(&["diff", OLD, NEW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let expected = format!(
        "{OLD} → {NEW}: 1 principal added, 1 removed, 2 changed
  effective permissions under an empty context; + gained, - lost

Added (1):
  + arn:aws:iam::666666666666:user/fresh

Removed (1):
  - arn:aws:iam::666666666666:user/gone

Changed (2):
  arn:aws:iam::666666666666:role/Worker  +0 -1
    - sqs:SendMessage
  arn:aws:iam::666666666666:user/grow  +2 -0
    + sqs:GetQueueUrl
    + sqs:ListQueues
"
    );
    assert_eq!(run.stdout, expected);
}

#[test]
fn a_dump_compared_with_itself() {
    let diff = json_of(&["diff", WORKSHOP, WORKSHOP, "--json"]);
    assert_eq!(diff["added"], json!([]));
    assert_eq!(diff["removed"], json!([]));
    assert_eq!(diff["changed"], json!([]));
    let run = iamscope(&["diff", OLD, OLD]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.ends_with("\nNo difference.\n"), "{}", run.stdout);
}

#[test]
fn bad_input_exits_2() {
    for (args, says) in [
        (
            vec!["diff", "-p", "nobody", "--with", "bob"],
            "--principal: ",
        ),
        (vec!["diff", "-p", "alice", "--with", "nobody"], "--with: "),
        (
            vec!["diff", "-p", "alice", "--with", "bob", "-c", "no-equals"],
            "is not KEY=VALUE",
        ),
        (
            vec![
                "diff",
                "-p",
                "alice",
                "--with",
                "bob",
                "--service",
                "nosuch",
            ],
            "no service has the prefix",
        ),
        (
            vec!["diff", OLD, NEW, "-p", "alice", "--with", "bob"],
            "at most one workspace",
        ),
        (vec!["diff", OLD], "OLD_WORKSPACE NEW_WORKSPACE"),
        (vec!["diff"], "OLD_WORKSPACE NEW_WORKSPACE"),
        (vec!["diff", OLD, "tests/fixtures/diff/none"], "iamscope: "),
        (vec!["diff", "-p", "alice"], "--with"),
        (vec!["diff", OLD, NEW, "--service", "s3"], "--principal"),
    ] {
        let run = iamscope(&args);
        assert_bad_input(&run, &args, says);
    }
}

#[test]
fn diff_leaves_the_workspace_files_unchanged() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let folders = [root.join(WORKSHOP), root.join("tests/fixtures/diff")];
    let before: Vec<_> = folders.iter().map(|f| snapshot(f)).collect();
    assert_eq!(before[1].len(), 2, "the two fixture files are there");
    for args in [
        vec!["diff", WORKSHOP, "-p", "alice", "--with", "bob"],
        vec!["diff", "-p", "carol", "--with", "EC2Terminator", "--json"],
        vec!["diff", OLD, NEW],
        vec!["diff", OLD, NEW, "--json"],
        vec!["diff", NEW, WORKSHOP],
    ] {
        let run = iamscope(&args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
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
