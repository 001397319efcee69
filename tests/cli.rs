//! The `iamscope` binary as users and scripts see it: exit statuses, the
//! `file:line:column` lines of `validate`, the `--json` shapes, and the
//! workshop's lessons answered end to end.
//!
//! Every run asserts that nothing panicked and that the process exited with a
//! status (not a signal). Paths are relative to the crate root, where each
//! command runs, so messages can be compared exactly.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::{iamscope, snapshot};

const WORKSHOP: &str = "sample-accounts/workshop";
const DEV_FILE: &str = "sample-accounts/workshop/dev-111111111111.json";
const PROD_FILE: &str = "sample-accounts/workshop/prod-222222222222.json";
const ORG_FILE: &str = "sample-accounts/workshop/organization.json";
const RESOURCES_FILE: &str = "sample-accounts/workshop/resource-policies.json";
const BROKEN: &str = "tests/fixtures/broken";
const AMBIGUOUS: &str = "tests/fixtures/ambiguous";

/// `iamscope check WORKSHOP ... --json`: the exit status and the one object printed.
#[track_caller]
fn check_json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", WORKSHOP, "--json"];
    all.extend_from_slice(args);
    let run = iamscope(&all);
    // One JSON value and nothing else: from_str fails on trailing output.
    let value: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON value ({e}):\n{}", run.stdout));
    assert!(value.is_object(), "{value}");
    assert_eq!(run.stderr, "", "a decision prints nothing on stderr");
    let decision = value["decision"].as_str().expect("a decision");
    // A refusal by the service fails the request whatever the policies say.
    let refused = value.get("refused").is_some();
    let expected_code = if decision == "Allow" && !refused {
        0
    } else {
        1
    };
    assert_eq!(run.code, expected_code, "exit status for {decision}");
    (run.code, value)
}

fn decision(value: &Value) -> &str {
    value["decision"].as_str().unwrap_or_default()
}

/// The reasons of a decision as `(layer, file, policy, sid)`, missing parts empty.
fn reasons(value: &Value) -> Vec<(String, String, String, String)> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    value["reasons"]
        .as_array()
        .expect("reasons is an array")
        .iter()
        .map(|r| {
            let s = &r["statement"];
            (
                text(&r["layer"]),
                text(&s["file"]),
                text(&s["policy"]),
                text(&s["sid"]),
            )
        })
        .collect()
}

fn reason(layer: &str, file: &str, policy: &str, sid: &str) -> (String, String, String, String) {
    (
        layer.to_string(),
        file.to_string(),
        policy.to_string(),
        sid.to_string(),
    )
}

// ------------------------------------------------------------ validate

#[test]
fn validate_on_the_workshop_exits_0_with_0_errors() {
    let run = iamscope(&["validate", WORKSHOP]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stderr, "");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "sample-accounts/workshop/dev-111111111111.json:367:36: warning: AIDAJQABLZS4A3QDU576Q is the unique id of a deleted user or role (an orphaned principal): it matches nobody, even if the name is recreated (at RoleDetailList[2].AssumeRolePolicyDocument.Statement[0].Principal.AWS)",
            "workshop: 2 accounts, 13 principals, 1 resource policy, an organization, 5 tours; 0 errors, 1 warning",
        ]
    );
}

#[test]
fn validate_without_a_workspace_checks_the_bundled_workshop() {
    let run = iamscope(&["validate"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.ends_with(
        "workshop: 2 accounts, 13 principals, 1 resource policy, an organization, 5 tours; 0 errors, 1 warning\n"
    ));
}

#[test]
fn validate_on_a_broken_workspace_exits_2_with_file_line_column() {
    let run = iamscope(&["validate", BROKEN]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "tests/fixtures/broken/account.json:13:26: error: Effect must be \"Allow\" or \"Deny\", not \"Permit\"; the statement is set aside (at UserDetailList[0].UserPolicyList[0].PolicyDocument.Statement[1].Effect)",
            "tests/fixtures/broken/truncated.json:4:3: error: invalid JSON: expected `,` or `}`",
            "broken: 1 account, 1 principal, 0 resource policies; 2 errors, 0 warnings",
        ]
    );
}

#[test]
fn validate_json_is_an_array_with_lines_and_columns() {
    let run = iamscope(&["validate", BROKEN, "--json"]);
    assert_eq!(run.code, 2);
    let value: Value = serde_json::from_str(&run.stdout).expect("one JSON value");
    let expected = serde_json::json!([
        {
            "severity": "error",
            "file": "tests/fixtures/broken/account.json",
            "line": 13,
            "column": 26,
            "path": "UserDetailList[0].UserPolicyList[0].PolicyDocument.Statement[1].Effect",
            "message": "Effect must be \"Allow\" or \"Deny\", not \"Permit\"; the statement is set aside"
        },
        {
            "severity": "error",
            "file": "tests/fixtures/broken/truncated.json",
            "line": 4,
            "column": 3,
            "path": null,
            "message": "invalid JSON: expected `,` or `}`"
        }
    ]);
    assert_eq!(value, expected);
}

#[test]
fn validate_json_on_a_clean_workspace_lists_the_warnings_and_exits_0() {
    let run = iamscope(&["validate", WORKSHOP, "--json"]);
    assert_eq!(run.code, 0);
    let value: Value = serde_json::from_str(&run.stdout).expect("one JSON value");
    let list = value.as_array().expect("an array");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["severity"], "warning");
    assert_eq!(list[0]["file"], DEV_FILE);
    assert_eq!(list[0]["line"], 367);
    assert_eq!(list[0]["column"], 36);
}

// --------------------------------------------------- check: exit codes

#[test]
fn check_exits_0_on_allow_1_on_deny_2_on_bad_input() {
    let allow = iamscope(&[
        "check",
        WORKSHOP,
        "--principal",
        "alice",
        "--action",
        "lambda:GetFunction",
        "--resource",
        "arn:aws:lambda:eu-west-1:111111111111:function:dev-api",
    ]);
    assert_eq!(allow.code, 0, "{}{}", allow.stdout, allow.stderr);
    assert!(allow.stdout.starts_with("ALLOWED\n"), "{}", allow.stdout);
    let deny = iamscope(&[
        "check",
        WORKSHOP,
        "--principal",
        "carol",
        "--action",
        "ec2:TerminateInstances",
        "--resource",
        "arn:aws:ec2:eu-west-1:111111111111:instance/i-0abc",
    ]);
    assert_eq!(deny.code, 1, "{}{}", deny.stdout, deny.stderr);
    assert!(
        deny.stdout
            .starts_with("DENIED (implicit deny: nothing allows it)\n"),
        "{}",
        deny.stdout
    );
    let bad = iamscope(&["check", WORKSHOP, "--principal", "alice"]);
    assert_eq!(bad.code, 2, "a missing --action is a usage error");
    assert_eq!(bad.stdout, "");
    assert!(bad.stderr.contains("--action"), "{}", bad.stderr);
}

#[test]
fn check_text_names_the_deciding_statement_and_its_file() {
    let run = iamscope(&[
        "check",
        WORKSHOP,
        "-p",
        "alice",
        "-a",
        "s3:DeleteObject",
        "-r",
        "arn:aws:s3:::dev-shared-data/x",
    ]);
    assert_eq!(run.code, 1);
    let head: Vec<&str> = run.stdout.lines().take(8).collect();
    assert_eq!(
        head,
        [
            "DENIED (explicit deny)",
            "  arn:aws:iam::111111111111:user/alice → s3:DeleteObject on arn:aws:s3:::dev-shared-data/x",
            "",
            "Why:",
            "  ✗ Identity policies: explicit deny in DenySharedDataDelete (Sid \"DenyDeleteSharedData\")",
            "      file      sample-accounts/workshop/dev-111111111111.json",
            "      matched   action s3:DeleteObject · resource arn:aws:s3:::dev-shared-data/*",
            "",
        ]
    );
}

#[test]
fn check_without_a_workspace_uses_the_bundled_workshop() {
    let run = iamscope(&[
        "check",
        "-p",
        "alice",
        "-a",
        "s3:DeleteObject",
        "-r",
        "arn:aws:s3:::dev-shared-data/x",
        "--json",
    ]);
    assert_eq!(run.code, 1);
    let value: Value = serde_json::from_str(&run.stdout).expect("one JSON value");
    assert_eq!(decision(&value), "ExplicitDeny");
    assert_eq!(value["reasons"][0]["statement"]["file"], DEV_FILE);
}

// ---------------------------------------------- check: the workshop lessons

#[test]
fn lesson_explicit_deny_beats_the_groups_allow() {
    let (_, value) = check_json(&[
        "-p",
        "alice",
        "-a",
        "s3:DeleteObject",
        "-r",
        "arn:aws:s3:::dev-shared-data/x",
    ]);
    assert_eq!(decision(&value), "ExplicitDeny");
    assert_eq!(value["principal"], "arn:aws:iam::111111111111:user/alice");
    assert_eq!(value["action"], "s3:DeleteObject");
    assert_eq!(value["resource"], "arn:aws:s3:::dev-shared-data/x");
    assert_eq!(
        reasons(&value),
        [reason(
            "Identity",
            DEV_FILE,
            "DenySharedDataDelete",
            "DenyDeleteSharedData"
        )]
    );
    let statement = &value["reasons"][0]["statement"];
    assert_eq!(statement["effect"], "Deny");
    assert_eq!(statement["statement_index"], 0);
    assert_eq!(
        statement["policy_arn"],
        "arn:aws:iam::111111111111:policy/DenySharedDataDelete"
    );
}

#[test]
fn lesson_the_auditor_role_needs_mfa() {
    let role = "arn:aws:iam::111111111111:role/Auditor";
    let (_, without) = check_json(&["-p", "dave", "-a", "sts:AssumeRole", "-r", role]);
    assert_eq!(decision(&without), "ImplicitDeny");
    // The trust policy is the layer without an allow.
    assert_eq!(reasons(&without), [reason("ResourcePolicy", "", "", "")]);
    let message = without["reasons"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("trust policy of Auditor"), "{message}");

    let (_, with) = check_json(&[
        "-p",
        "dave",
        "-a",
        "sts:AssumeRole",
        "-r",
        role,
        "--context",
        "aws:MultiFactorAuthPresent=true",
    ]);
    assert_eq!(decision(&with), "Allow");
    let found = reasons(&with);
    assert!(
        found.contains(&reason(
            "ResourcePolicy",
            DEV_FILE,
            "trust policy of Auditor",
            "AllowDaveWithMFA"
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&reason(
            "Identity",
            DEV_FILE,
            "AssumeAuditor",
            "AssumeAuditorRole"
        )),
        "{found:?}"
    );
}

#[test]
fn lesson_a_boundary_caps_bob_but_not_alice() {
    let function = "arn:aws:lambda:eu-west-1:111111111111:function:dev-api";
    let (_, bob) = check_json(&["-p", "bob", "-a", "lambda:GetFunction", "-r", function]);
    assert_eq!(decision(&bob), "ImplicitDeny");
    assert_eq!(reasons(&bob), [reason("Boundary", "", "", "")]);
    let message = bob["reasons"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("DeveloperBoundary"), "{message}");
    let (_, alice) = check_json(&["-p", "alice", "-a", "lambda:GetFunction", "-r", function]);
    assert_eq!(decision(&alice), "Allow");
    assert!(reasons(&alice)
        .iter()
        .any(|r| r.0 == "Identity" && r.1 == DEV_FILE));
}

#[test]
fn lesson_carol_cannot_terminate_instances() {
    let (_, value) = check_json(&[
        "-p",
        "carol",
        "-a",
        "ec2:TerminateInstances",
        "-r",
        "arn:aws:ec2:eu-west-1:111111111111:instance/i-0abc",
    ]);
    assert_eq!(decision(&value), "ImplicitDeny");
    assert_eq!(reasons(&value), [reason("Identity", "", "", "")]);
}

#[test]
fn lesson_the_break_glass_role_terminates_only_critical_instances() {
    let instance = "arn:aws:ec2:eu-west-1:111111111111:instance/i-0abc";
    let args = [
        "-p",
        "EC2Terminator",
        "-a",
        "ec2:TerminateInstances",
        "-r",
        instance,
    ];
    let (_, tagged) = check_json(&[&args[..], &["-c", "aws:ResourceTag/critical=true"]].concat());
    assert_eq!(decision(&tagged), "Allow");
    assert_eq!(
        tagged["principal"],
        "arn:aws:sts::111111111111:assumed-role/EC2Terminator/iamscope"
    );
    assert!(reasons(&tagged)
        .iter()
        .any(|r| r.0 == "Identity" && r.1 == DEV_FILE));
    let (_, untagged) = check_json(&args);
    assert_eq!(decision(&untagged), "ImplicitDeny");
    assert_eq!(reasons(&untagged), [reason("Identity", "", "", "")]);
}

#[test]
fn lesson_cross_account_needs_both_sides() {
    let role = "arn:aws:iam::222222222222:role/ProdDeploy";
    let (_, alice) = check_json(&["-p", "alice", "-a", "sts:AssumeRole", "-r", role]);
    assert_eq!(decision(&alice), "Allow");
    let found = reasons(&alice);
    assert!(
        found.contains(&reason(
            "ResourcePolicy",
            PROD_FILE,
            "trust policy of ProdDeploy",
            "AllowDevAccount"
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&reason(
            "Identity",
            DEV_FILE,
            "AssumeProdDeploy",
            "AssumeProdDeployRole"
        )),
        "{found:?}"
    );
    // The trust names dev's account, but carol's own policies do not allow it.
    let (_, carol) = check_json(&["-p", "carol", "-a", "sts:AssumeRole", "-r", role]);
    assert_eq!(decision(&carol), "ImplicitDeny");
    assert_eq!(reasons(&carol), [reason("Identity", "", "", "")]);
}

#[test]
fn lesson_the_bucket_policy_denies_insecure_transport() {
    let object = "arn:aws:s3:::prod-app-artifacts/app.zip";
    let args = ["-p", "ProdDeploy", "-a", "s3:PutObject", "-r", object];
    let (_, secure) = check_json(&[&args[..], &["-c", "aws:SecureTransport=true"]].concat());
    assert_eq!(decision(&secure), "Allow");
    let (_, insecure) =
        check_json(&[&args[..], &["--context", "aws:SecureTransport=false"]].concat());
    assert_eq!(decision(&insecure), "ExplicitDeny");
    assert_eq!(
        reasons(&insecure),
        [reason(
            "ResourcePolicy",
            RESOURCES_FILE,
            "resource policy of arn:aws:s3:::prod-app-artifacts",
            "DenyInsecureTransport"
        )]
    );
}

#[test]
fn lesson_an_scp_denies_even_the_prod_admin() {
    let (_, value) = check_json(&["-p", "prod-admin", "-a", "iam:CreateUser"]);
    assert_eq!(decision(&value), "ExplicitDeny");
    assert_eq!(value["resource"], "*", "the resource defaults to *");
    assert_eq!(
        reasons(&value),
        [reason(
            "Scp",
            ORG_FILE,
            "ProdDenyLongTermCredentials",
            "DenyIAMUsersAndAccessKeys"
        )]
    );
    assert_eq!(
        value["reasons"][0]["statement"]["level"],
        "account 222222222222"
    );
}

// ------------------------------------------------- check: the principal

#[test]
fn an_unknown_principal_is_bad_input_with_suggestions() {
    let run = iamscope(&[
        "check",
        WORKSHOP,
        "-p",
        "alise",
        "-a",
        "s3:GetObject",
        "--json",
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "", "no JSON for bad input");
    assert_eq!(
        run.stderr,
        "iamscope: no user or role named \"alise\" in the workspace; did you mean: alice?\n"
    );
}

#[test]
fn an_ambiguous_name_is_bad_input_listing_both_arns() {
    let run = iamscope(&["check", AMBIGUOUS, "-p", "alice", "-a", "s3:GetObject"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "iamscope: \"alice\" is ambiguous: it names arn:aws:iam::111111111111:user/alice, \
         arn:aws:iam::222222222222:user/alice; give the ARN instead\n"
    );
    // The ARN settles it.
    let run = iamscope(&[
        "check",
        AMBIGUOUS,
        "-p",
        "arn:aws:iam::111111111111:user/alice",
        "-a",
        "s3:GetObject",
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let run = iamscope(&[
        "check",
        AMBIGUOUS,
        "-p",
        "arn:aws:iam::222222222222:user/alice",
        "-a",
        "s3:GetObject",
    ]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
}

#[test]
fn an_assumed_role_arn_is_a_session_of_that_role() {
    let (_, value) = check_json(&[
        "-p",
        "arn:aws:sts::222222222222:assumed-role/ProdDeploy/ci-run-42",
        "-a",
        "s3:PutObject",
        "-r",
        "arn:aws:s3:::prod-app-artifacts/app.zip",
        "-c",
        "aws:SecureTransport=true",
    ]);
    assert_eq!(decision(&value), "Allow");
    assert_eq!(
        value["principal"],
        "arn:aws:sts::222222222222:assumed-role/ProdDeploy/ci-run-42"
    );
}

// ------------------------------------------------- check: other input

#[test]
fn a_context_without_equals_is_bad_input() {
    let run = iamscope(&[
        "check",
        WORKSHOP,
        "-p",
        "dave",
        "-a",
        "sts:AssumeRole",
        "--context",
        "aws:MultiFactorAuthPresent",
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "iamscope: --context \"aws:MultiFactorAuthPresent\" is not KEY=VALUE\n"
    );
    let run = iamscope(&[
        "check",
        WORKSHOP,
        "-p",
        "dave",
        "-a",
        "sts:AssumeRole",
        "-c",
        "=true",
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "iamscope: --context \"=true\" has an empty key\n"
    );
}

#[test]
fn a_malformed_action_or_resource_is_bad_input() {
    for (action, expected) in [
        ("s3GetObject", "\"s3GetObject\" is not an action"),
        ("s3:", "\"s3:\" is not an action"),
        (":GetObject", "\":GetObject\" is not an action"),
    ] {
        let run = iamscope(&["check", WORKSHOP, "-p", "alice", "-a", action]);
        assert_eq!(run.code, 2, "{action}");
        assert!(run.stderr.contains(expected), "{}", run.stderr);
    }
    // Regression: a resource that is no ARN used to be evaluated and read as
    // a plain implicit deny.
    let run = iamscope(&[
        "check",
        WORKSHOP,
        "-p",
        "alice",
        "-a",
        "s3:GetObject",
        "-r",
        "dev-app-data/report.csv",
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "iamscope: --resource \"dev-app-data/report.csv\" is not an ARN: an ARN starts with \"arn:\"\n"
    );
}

#[test]
fn a_bad_request_time_is_bad_input() {
    let run = iamscope(&[
        "check",
        WORKSHOP,
        "-p",
        "alice",
        "-a",
        "s3:GetObject",
        "-c",
        "aws:CurrentTime=yesterday",
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "iamscope: aws:CurrentTime \"yesterday\" is not an ISO 8601 date\n"
    );
}

// ----------------------------------------------- check: session policies

const INSTANCE: &str = "arn:aws:ec2:eu-west-1:111111111111:instance/i-0abc";

#[test]
fn a_session_policy_limits_a_role_session() {
    let base = [
        "-p",
        "EC2Terminator",
        "-a",
        "ec2:TerminateInstances",
        "-r",
        INSTANCE,
        "-c",
        "aws:ResourceTag/critical=true",
    ];
    let (_, free) = check_json(&base);
    assert_eq!(decision(&free), "Allow");
    let (_, limited) = check_json(
        &[
            &base[..],
            &["--session-policy", "tests/fixtures/sessions/read-only.json"],
        ]
        .concat(),
    );
    assert_eq!(decision(&limited), "ImplicitDeny");
    assert_eq!(reasons(&limited), [reason("SessionPolicy", "", "", "")]);
    // What both the role and the session policy allow stays allowed.
    let (_, describe) = check_json(&[
        "-p",
        "EC2Terminator",
        "-a",
        "ec2:DescribeInstances",
        "--session-policy",
        "tests/fixtures/sessions/read-only.json",
    ]);
    assert_eq!(decision(&describe), "Allow");
    assert!(
        reasons(&describe).contains(&reason(
            "SessionPolicy",
            "tests/fixtures/sessions/read-only.json",
            "session policy tests/fixtures/sessions/read-only.json",
            "OnlyRead"
        )),
        "{:?}",
        reasons(&describe)
    );
}

#[test]
fn a_session_policy_with_an_error_is_bad_input_at_its_place() {
    let run = iamscope(&[
        "check",
        WORKSHOP,
        "-p",
        "EC2Terminator",
        "-a",
        "ec2:TerminateInstances",
        "--session-policy",
        "tests/fixtures/sessions/bad-effect.json",
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "tests/fixtures/sessions/bad-effect.json:5:16: error: Effect must be \"Allow\" or \"Deny\", not \"Alow\"; the statement is set aside (at Statement[1].Effect)\n\
         iamscope: tests/fixtures/sessions/bad-effect.json: the session policy has errors\n"
    );
}

#[test]
fn a_session_policy_that_is_not_json_is_bad_input_at_a_real_column() {
    // Regression: this printed "truncated.json:4:0: invalid JSON: EOF while
    // parsing a list at line 4 column 0", column 0 and the place twice.
    let run = iamscope(&[
        "check",
        WORKSHOP,
        "-p",
        "EC2Terminator",
        "-a",
        "ec2:TerminateInstances",
        "--session-policy",
        "tests/fixtures/sessions/truncated.json",
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "iamscope: tests/fixtures/sessions/truncated.json:4:1: invalid JSON: EOF while parsing a list\n"
    );
}

#[test]
fn a_missing_session_policy_file_is_bad_input() {
    let run = iamscope(&[
        "check",
        WORKSHOP,
        "-p",
        "EC2Terminator",
        "-a",
        "ec2:TerminateInstances",
        "--session-policy",
        "tests/fixtures/sessions/no-such-file.json",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("iamscope: tests/fixtures/sessions/no-such-file.json: cannot be read: "),
        "{}",
        run.stderr
    );
}

#[test]
fn a_session_policy_for_a_user_is_bad_input() {
    let run = iamscope(&[
        "check",
        WORKSHOP,
        "-p",
        "alice",
        "-a",
        "s3:GetObject",
        "--session-policy",
        "tests/fixtures/sessions/read-only.json",
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "iamscope: --session-policy applies to role sessions; give a role or an assumed-role ARN as --principal\n"
    );
}

// --------------------------------------------------- check: workspaces

#[test]
fn check_answers_on_a_broken_workspace_and_names_the_problems_it_rests_on() {
    // The statement with "Permit" is set aside; the rest of alice's policy
    // answers, and the answer carries that problem and the file that could
    // not be read as caveats.
    let run = iamscope(&[
        "check",
        BROKEN,
        "-p",
        "alice",
        "-a",
        "s3:GetObject",
        "-r",
        "arn:aws:s3:::reports/q1.csv",
        "--json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let value: Value = serde_json::from_str(&run.stdout).expect("one JSON value");
    assert_eq!(value["decision"], "Allow");
    let caveats: Vec<String> = value["caveats"]
        .as_array()
        .expect("caveats is a list")
        .iter()
        .map(|c| {
            format!(
                "{}:{}:{}: {}: {}",
                c["file"].as_str().unwrap_or_default(),
                c["line"],
                c["column"],
                c["severity"].as_str().unwrap_or_default(),
                c["message"].as_str().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        caveats,
        [
            "tests/fixtures/broken/account.json:13:26: error: Effect must be \"Allow\" or \"Deny\", not \"Permit\"; the statement is set aside",
            "tests/fixtures/broken/truncated.json:4:3: error: invalid JSON: expected `,` or `}`",
        ]
    );
    // The set-aside statement grants nothing: denied, status 1, and the
    // text output prints the caveats under the answer.
    let run = iamscope(&[
        "check",
        BROKEN,
        "-p",
        "alice",
        "-a",
        "s3:DeleteObject",
        "-r",
        "arn:aws:s3:::reports/q1.csv",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("DENIED (implicit deny"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "\nCaveats: 2 problems in the data this answer rests on (`iamscope validate` explains each):\n  tests/fixtures/broken/account.json:13:26: error: Effect must be"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_workspace_where_nothing_loads_is_bad_input_for_questions() {
    let run = iamscope(&[
        "check",
        "tests/fixtures/broken/truncated.json",
        "-p",
        "alice",
        "-a",
        "s3:GetObject",
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "tests/fixtures/broken/truncated.json:4:3: error: invalid JSON: expected `,` or `}`",
            "iamscope: nothing to answer from: no account could be loaded (1 error); `iamscope validate` lists every problem",
        ]
    );
}

#[test]
fn a_nonexistent_workspace_is_bad_input_for_every_command() {
    let missing = "tests/fixtures/no-such-workspace";
    let expected = format!("iamscope: {missing}: no such file or folder\n");
    for args in [
        vec!["check", missing, "-p", "alice", "-a", "s3:GetObject"],
        vec!["validate", missing],
        vec!["validate", missing, "--json"],
        vec![missing],
    ] {
        let run = iamscope(&args);
        assert_eq!(run.code, 2, "{args:?}");
        assert_eq!(run.stdout, "", "{args:?}");
        assert_eq!(run.stderr, expected, "{args:?}");
    }
}

/// A fresh folder under Cargo's temp dir for integration tests.
fn temp_dir(label: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{label}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

#[test]
fn a_folder_without_json_files_is_bad_input() {
    let dir = temp_dir("empty");
    std::fs::write(dir.join("notes.txt"), "nothing").expect("write");
    let path = dir.display().to_string();
    let run = iamscope(&["validate", &path]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!(
            "iamscope: {path}: the folder holds no .json file; it holds notes.txt; a workspace is the output of \
             `aws iam get-account-authorization-details`, one .json file per account\n"
        )
    );
}

#[test]
fn no_subcommand_prints_a_summary_of_the_workshop() {
    let run = iamscope(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("iamscope — workspace workshop\n"));
    assert!(run.stdout.contains(
        "\naccount 111111111111 (dev)\n  users     6  alice [Developers], bob [Developers], carol [Operators], dave, erin, frank\n"
    ));
    assert!(run
        .stdout
        .contains("  roles     3  ProdDeploy, prod-admin, lambda-app-exec\n"));
    assert!(run
        .stdout
        .contains("organization: management account 999999999999, 3 SCPs, 0 RCPs\n"));
    assert!(run
        .stdout
        .contains("\n0 errors, 1 warning: run `iamscope validate` for details\n"));
}

// ------------------------------------------------ the tool never writes

#[test]
fn validate_and_check_leave_the_workspace_files_unchanged() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let folders = [root.join(WORKSHOP), root.join("tests/fixtures")];
    let before: Vec<_> = folders.iter().map(|f| snapshot(f)).collect();
    assert!(before[0].len() >= 4, "the workshop files are there");
    for args in [
        vec!["validate", WORKSHOP],
        vec!["validate", WORKSHOP, "--json"],
        vec!["validate", BROKEN],
        vec![WORKSHOP],
        vec![
            "check",
            WORKSHOP,
            "-p",
            "EC2Terminator",
            "-a",
            "ec2:DescribeInstances",
            "--session-policy",
            "tests/fixtures/sessions/read-only.json",
            "--json",
        ],
        vec!["check", WORKSHOP, "-p", "alice", "-a", "s3:GetObject"],
        vec!["check", BROKEN, "-p", "alice", "-a", "s3:GetObject"],
        vec!["check", AMBIGUOUS, "-p", "alice", "-a", "s3:GetObject"],
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

/// A workspace with the problems real dumps have (tests/fixtures/messy/README.md).
const MESSY: &str = "tests/fixtures/messy";

#[test]
fn validate_on_a_messy_workspace_shows_a_repeat_once_and_verbose_shows_each() {
    let run = iamscope(&["validate", MESSY]);
    assert_eq!(run.code, 2, "errors make validate fail: {}", run.stdout);
    let unknown: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("\"retrogames\""))
        .collect();
    assert_eq!(unknown.len(), 1, "{}", run.stdout);
    assert!(
        unknown[0].contains("(7 places like this; the first is shown)"),
        "{}",
        unknown[0]
    );
    assert!(run.stdout.ends_with(
        "messy: 2 accounts, 4 principals, 1 resource policy, an organization; 3 errors, 10 warnings \
         (repeats shown once; --verbose lists each)\n"
    ));
    let verbose = iamscope(&["validate", MESSY, "--verbose"]);
    assert_eq!(verbose.code, 2);
    let each = verbose
        .stdout
        .lines()
        .filter(|l| l.contains("\"retrogames\""))
        .count();
    assert_eq!(each, 7, "{}", verbose.stdout);
    // --json keeps listing every problem.
    let json = iamscope(&["validate", MESSY, "--json"]);
    let list: Value = serde_json::from_str(&json.stdout).expect("a JSON array");
    assert_eq!(list.as_array().map(Vec::len), Some(13));
}

#[test]
fn every_question_answers_on_a_messy_workspace_with_its_caveats() {
    for principal in [
        "ana",
        "ben",
        "zoe",
        "arn:aws:iam::444455556666:role/Reporter",
    ] {
        let run = iamscope(&["permissions", MESSY, "-p", principal, "--json"]);
        assert_eq!(run.code, 0, "{principal}: {}", run.stderr);
        let value: Value = serde_json::from_str(&run.stdout).expect("one JSON value");
        assert!(value["actions"].is_array(), "{principal}");
        assert!(value["caveats"].is_array(), "{principal}");
    }
    // ana's own policy has an action that cannot be one: the caveat says so.
    let run = iamscope(&["permissions", MESSY, "-p", "ana", "--json"]);
    let value: Value = serde_json::from_str(&run.stdout).expect("one JSON value");
    let messages: Vec<&str> = value["caveats"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("\"s3:GetObject,PutObject\" has characters")),
        "{messages:#?}"
    );
    // zoe is in another account's group, read from the same file: AdministratorAccess.
    let run = iamscope(&["who-can", MESSY, "-a", "iam:PassRole", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value: Value = serde_json::from_str(&run.stdout).expect("one JSON value");
    let direct: Vec<&str> = value["direct"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["principal"].as_str())
        .collect();
    assert_eq!(direct, ["arn:aws:iam::777788889999:user/zoe"]);
    assert!(value["caveats"].is_array());
    // ben reaches the Reporter role through its bare-string trust principal.
    let run = iamscope(&["assume", MESSY, "-p", "ben", "--role", "Reporter", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value: Value = serde_json::from_str(&run.stdout).expect("one JSON value");
    let caveats = value["caveats"].to_string();
    assert!(caveats.contains("is read as {"), "{caveats}");
}

/// A request names one action: a typo or a pattern is refused with the
/// closest names instead of a confident "denied" (issue: engine fidelity 7).
#[test]
fn check_refuses_a_misspelled_or_wildcard_action_unless_told() {
    let run = iamscope(&["check", "-p", "alice", "-a", "s3:GetObjekt"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .starts_with("iamscope: \"s3:GetObjekt\" is not an action of Amazon S3 in the catalog"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean s3:GetObject"),
        "{}",
        run.stderr
    );
    let run = iamscope(&["check", "-p", "alice", "-a", "s3:Get*"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is a pattern matching"),
        "{}",
        run.stderr
    );
    // --unknown-action lets an action newer than the catalog through, with a warning.
    let run = iamscope(&[
        "check",
        "-p",
        "alice",
        "-a",
        "s3:GetObjekt",
        "--unknown-action",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.starts_with("DENIED"), "{}", run.stdout);
    assert!(
        run.stderr.starts_with("iamscope: warning: "),
        "{}",
        run.stderr
    );
    // It does not make a pattern a request.
    let run = iamscope(&["check", "-p", "alice", "-a", "s3:Get*", "--unknown-action"]);
    assert_eq!(run.code, 2);
}

/// A refusal by the service is reported beside the policy decision, and the
/// request fails: `"refused": {"by", "reason"}` and exit status 1.
#[test]
fn check_reports_a_refusal_by_the_service_beside_the_decision() {
    let (code, value) = check_json(&[
        "-p",
        "arn:aws:iam::222222222222:role/prod-admin",
        "-a",
        "iam:CreatePolicyVersion",
        "-r",
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
    ]);
    assert_eq!(code, 1, "{value}");
    assert_eq!(value["refused"]["by"], "IAM", "{value}");
    assert!(value["refused"]["reason"]
        .as_str()
        .is_some_and(|r| r.contains("AWS managed policies")));
    // Text: the refusal first, then what the policies say.
    let run = iamscope(&[
        "check",
        "-p",
        "arn:aws:iam::222222222222:role/prod-admin",
        "-a",
        "iam:CreatePolicyVersion",
        "-r",
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.starts_with("REFUSED by IAM: "), "{}", run.stdout);
    // Nothing refused: no key.
    let (_, value) = check_json(&["-p", "alice", "-a", "s3:GetObject"]);
    assert!(value.get("refused").is_none(), "{value}");
}

/// `check --batch`: one load, one JSON answer per question line, in order;
/// a line that cannot be asked gets `{"line", "error"}` and exit 2, the
/// others are still answered, and each answer agrees with `check --json`.
#[test]
fn check_batch_answers_every_line_in_order() {
    let run = iamscope(&["check", "--batch", "tests/fixtures/batch/questions.jsonl"]);
    assert_eq!(
        run.code, 2,
        "two lines cannot be asked: {}{}",
        run.stdout, run.stderr
    );
    let answers: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let lines: Vec<u64> = answers.iter().filter_map(|a| a["line"].as_u64()).collect();
    assert_eq!(
        lines,
        vec![1, 2, 4, 5, 6, 7],
        "blank lines skipped, order kept"
    );
    assert_eq!(answers[0]["allowed"], true);
    assert_eq!(answers[1]["decision"], "ImplicitDeny");
    assert_eq!(
        answers[2]["decision"], "Allow",
        "the context object is read"
    );
    assert!(answers[3]["error"]
        .as_str()
        .unwrap_or_default()
        .contains("nobody"));
    assert!(answers[4]["error"]
        .as_str()
        .unwrap_or_default()
        .contains("did you mean s3:GetObject"));
    assert_eq!(
        answers[5]["decision"], "ExplicitDeny",
        "the SCP denies iam:CreateUser"
    );
    // The same question asked alone gives the same decision.
    let (_, alone) = check_json(&[
        "-p",
        "prod-admin",
        "-a",
        "iam:CreateUser",
        "-r",
        "arn:aws:iam::222222222222:user/x",
    ]);
    assert_eq!(alone["decision"], answers[5]["decision"]);
    assert_eq!(alone["reasons"], answers[5]["reasons"]);

    let missing = iamscope(&["check", "--batch", "tests/fixtures/batch/absent.jsonl"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("absent.jsonl"),
        "{}",
        missing.stderr
    );
}
