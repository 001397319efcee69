//! `iamscope escalation` end to end, on the playground fixture
//! (`tests/fixtures/escalation/playground`: one principal per escalation
//! method and per trap).

mod common;

use serde_json::Value;

use common::iamscope;

const PLAYGROUND: &str = "tests/fixtures/escalation/playground";

fn json(args: &[&str]) -> Value {
    let run = iamscope(args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    serde_json::from_str(&run.stdout).expect("stdout is JSON")
}

fn principal<'v>(report: &'v Value, name: &str) -> &'v Value {
    report["principals"]
        .as_array()
        .expect("principals is a list")
        .iter()
        .find(|p| {
            p["principal"]
                .as_str()
                .is_some_and(|a| a.ends_with(&format!("/{name}")))
        })
        .unwrap_or_else(|| panic!("{name} is not listed"))
}

#[test]
fn json_has_the_shape_the_issue_gives() {
    let report = json(&["escalation", PLAYGROUND, "--json"]);
    assert!(report["caveats"].as_array().is_some_and(|c| c.is_empty()));
    let lambda = principal(&report, "lambda-user");
    assert_eq!(lambda["admin"], false);
    assert_eq!(lambda["escalates"], "yes");
    let step = &lambda["paths"][0]["steps"][0];
    assert_eq!(step["from"], "arn:aws:iam::111122223333:user/lambda-user");
    assert_eq!(step["to"], "arn:aws:iam::111122223333:role/admin-role");
    assert_eq!(
        step["via"],
        serde_json::json!([
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:InvokeFunction"
        ])
    );
    assert_eq!(step["needs"], "");
    let statements = step["statements"].as_array().expect("statements");
    // PassRole from the first statement of "pass", the Lambda calls from its second.
    let named: Vec<(&str, &str, &str)> = statements
        .iter()
        .map(|s| {
            (
                s["action"].as_str().unwrap_or_default(),
                s["policy"].as_str().unwrap_or_default(),
                s["statement"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        named,
        [
            ("iam:PassRole", "pass", "statement #1"),
            ("lambda:CreateFunction", "pass", "statement #2"),
            ("lambda:InvokeFunction", "pass", "statement #2"),
        ]
    );
    // Every principal is listed, with one of the three answers.
    for p in report["principals"].as_array().expect("list") {
        let answer = p["escalates"].as_str().expect("escalates");
        assert!(["yes", "conditional", "no"].contains(&answer), "{p}");
        assert!(p["admin"].is_boolean());
    }
}

#[test]
fn conditional_paths_say_what_they_need() {
    let report = json(&["escalation", PLAYGROUND, "--json"]);
    let p = principal(&report, "update-function-user");
    assert_eq!(p["escalates"], "conditional");
    let needs = p["paths"][0]["steps"][0]["needs"].as_str().expect("needs");
    assert!(needs.contains("Lambda function"), "{needs}");
    let no = principal(&report, "deny-elsewhere-user");
    assert_eq!(no["escalates"], "no");
    assert_eq!(no["paths"], serde_json::json!([]));
}

#[test]
fn admins_come_first_in_the_json_and_the_text() {
    let report = json(&["escalation", PLAYGROUND, "--json"]);
    let order: Vec<(bool, &str)> = report["principals"]
        .as_array()
        .expect("list")
        .iter()
        .map(|p| {
            (
                p["admin"] == true,
                p["escalates"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    let rank = |(admin, e): &(bool, &str)| match (admin, *e) {
        (true, _) => 0,
        (false, "yes") => 1,
        (false, "conditional") => 2,
        _ => 3,
    };
    assert!(
        order.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])),
        "{order:?}"
    );

    let run = iamscope(&["escalation", PLAYGROUND]);
    assert_eq!(run.code, 0);
    let first_admin = run.stdout.find("\nADMIN ").expect("an admin line");
    let first_yes = run.stdout.find("\nYES ").expect("a yes line");
    let first_cond = run.stdout.find("\nCOND ").expect("a conditional line");
    assert!(
        first_admin < first_yes && first_yes < first_cond,
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("needs: "), "{}", run.stdout);
}

#[test]
fn one_principal_by_name() {
    let report = json(&[
        "escalation",
        PLAYGROUND,
        "--principal",
        "chain-user",
        "--json",
    ]);
    let list = report["principals"].as_array().expect("list");
    assert_eq!(list.len(), 1);
    let steps = list[0]["paths"][0]["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0]["to"], "arn:aws:iam::111122223333:role/middle-role");
    assert_eq!(steps[1]["to"], "arn:aws:iam::111122223333:role/admin-role");

    let run = iamscope(&["escalation", PLAYGROUND, "-p", "nothing-user"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("NO    user nothing-user"),
        "{}",
        run.stdout
    );
}

#[test]
fn context_keys_reach_every_step() {
    let without = json(&["escalation", PLAYGROUND, "-p", "mfa-user", "--json"]);
    assert_eq!(without["principals"][0]["escalates"], "conditional");
    let with = json(&[
        "escalation",
        PLAYGROUND,
        "-p",
        "mfa-user",
        "--context",
        "aws:MultiFactorAuthPresent=true",
        "--json",
    ]);
    assert_eq!(with["principals"][0]["escalates"], "yes");
    assert_eq!(with["principals"][0]["admin"], true);
}

#[test]
fn bad_input_exits_2() {
    let unknown = iamscope(&["escalation", PLAYGROUND, "-p", "nobody-at-all"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("nobody-at-all"),
        "{}",
        unknown.stderr
    );
    let root = iamscope(&["escalation", PLAYGROUND, "-p", "111122223333"]);
    assert_eq!(root.code, 2);
    let context = iamscope(&["escalation", PLAYGROUND, "--context", "novalue"]);
    assert_eq!(context.code, 2);
}

#[test]
fn the_bundled_workshop_answers_too() {
    let run = iamscope(&["escalation"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("Privilege escalation: "),
        "{}",
        run.stdout
    );
}

#[test]
fn who_can_with_escalation_names_those_who_can_become_one_who_can() {
    let args = [
        "who-can",
        PLAYGROUND,
        "--action",
        "s3:DeleteBucket",
        "--resource",
        "arn:aws:s3:::critical",
        // An S3 ARN names no account: the bucket is the playground account's.
        "--resource-account",
        "111122223333",
    ];
    // Without the flag: no escalation key, and lambda-user is not named.
    let plain = iamscope(&[&args[..], &["--json"]].concat());
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    let plain: Value = serde_json::from_str(&plain.stdout).expect("JSON");
    assert!(plain.get("through_escalation").is_none());
    assert!(!plain.to_string().contains("lambda-user"));

    let with = iamscope(&[&args[..], &["--escalation", "--json"]].concat());
    assert_eq!(with.code, 0, "{}", with.stderr);
    let with: Value = serde_json::from_str(&with.stdout).expect("JSON");
    let found = with["through_escalation"].as_array().expect("a list");
    let lambda = found
        .iter()
        .find(|p| p["principal"] == "arn:aws:iam::111122223333:user/lambda-user")
        .expect("lambda-user can become admin-role, which can");
    assert_eq!(lambda["escalates"], "yes");
    assert_eq!(
        lambda["paths"][0]["steps"][0]["to"],
        "arn:aws:iam::111122223333:role/admin-role"
    );
    // A principal that can already do it is not repeated there.
    assert!(!found
        .iter()
        .any(|p| p["principal"] == "arn:aws:iam::111122223333:user/admin-user"));
    // Nor one blocked by a deny.
    assert!(!found
        .iter()
        .any(|p| p["principal"] == "arn:aws:iam::111122223333:user/deny-elsewhere-user"));

    let text = iamscope(&[&args[..], &["--escalation"]].concat());
    assert!(
        text.stdout.contains("Through privilege escalation ("),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains(
            "lambda-user: iam:PassRole+lambda:CreateFunction+lambda:InvokeFunction → admin-role"
        ),
        "{}",
        text.stdout
    );
}

// The workshop's escalation scene (sample-accounts/workshop, dev account):
// erin may pass the role OpsAutomation, which may rewrite its own policy, to
// a Lambda function of her own (IAM User Guide, id_roles_use_passrole);
// frank holds the same policy
// under a permissions boundary that does not allow that iam:PassRole
// (IAM User Guide, access_policies_boundaries: the effective permissions
// are what both the identity policies and the boundary allow).

const WORKSHOP: &str = "sample-accounts/workshop";
const ERIN: &str = "arn:aws:iam::111111111111:user/erin";
const FRANK: &str = "arn:aws:iam::111111111111:user/frank";
const OPS_AUTOMATION: &str = "arn:aws:iam::111111111111:role/OpsAutomation";

#[test]
fn the_workshop_developer_escalates_through_the_lambda_edge() {
    let report = json(&["escalation", WORKSHOP, "--json"]);
    let erin = principal(&report, "erin");
    assert_eq!(erin["admin"], false);
    assert_eq!(erin["escalates"], "yes");
    let steps = erin["paths"][0]["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0]["from"], ERIN);
    assert_eq!(steps[0]["to"], OPS_AUTOMATION);
    assert_eq!(steps[0]["method"], "passrole-lambda-invoke");
    assert_eq!(
        steps[0]["via"],
        serde_json::json!([
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:InvokeFunction"
        ])
    );
    let pass = steps[0]["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .find(|s| s["action"] == "iam:PassRole")
        .expect("the PassRole statement");
    assert_eq!(pass["resource"], OPS_AUTOMATION);
    assert_eq!(pass["policy"], "LambdaDeployers");
    assert_eq!(pass["statement"], "Sid \"PassTheCleanupRole\"");
    // Then the function, running as the role, writes the role a policy
    // granting everything: the role may put policies on itself.
    assert_eq!(steps[1]["from"], OPS_AUTOMATION);
    assert_eq!(steps[1]["to"], "admin");
    assert_eq!(steps[1]["method"], "iam-put-policy");
    assert_eq!(steps[1]["via"], serde_json::json!(["iam:PutRolePolicy"]));
    assert_eq!(principal(&report, "OpsAutomation")["admin"], true);

    let run = iamscope(&["escalation", WORKSHOP, "--principal", ERIN]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "YES   user erin  arn:aws:iam::111111111111:user/erin\n      1. user/erin → role/OpsAutomation via iam:PassRole, lambda:CreateFunction, lambda:InvokeFunction  [passrole-lambda-invoke]\n"
        ),
        "{}",
        run.stdout
    );
}

/// The fix: frank, with erin's very policy, cannot; the reason is the
/// boundary, as `check` tells when asked the step's own PassRole (with the
/// `iam:PassedToService` the Lambda call carries).
#[test]
fn the_boundary_closes_the_same_door_for_frank() {
    let report = json(&["escalation", WORKSHOP, "--json"]);
    let frank = principal(&report, "frank");
    assert_eq!(frank["admin"], false);
    assert_eq!(frank["escalates"], "no");
    assert_eq!(frank["paths"], serde_json::json!([]));

    let run = iamscope(&["escalation", WORKSHOP, "--principal", FRANK]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "NO    user frank  arn:aws:iam::111111111111:user/frank\n      no path to admin with the methods iamscope knows\n"
        ),
        "{}",
        run.stdout
    );

    let why = |who: &str| {
        iamscope(&[
            "check",
            WORKSHOP,
            "--principal",
            who,
            "--action",
            "iam:PassRole",
            "--resource",
            OPS_AUTOMATION,
            "--context",
            "iam:PassedToService=lambda.amazonaws.com",
            "--json",
        ])
    };
    let frank = why(FRANK);
    assert_eq!(frank.code, 1, "{}", frank.stdout);
    let answer: Value = serde_json::from_str(&frank.stdout).expect("JSON");
    assert_eq!(answer["decision"], "ImplicitDeny", "{answer}");
    let reasons = answer["reasons"].as_array().expect("reasons");
    assert_eq!(reasons.len(), 1, "{answer}");
    assert_eq!(reasons[0]["layer"], "Boundary");
    assert_eq!(
        reasons[0]["policies"][0]["policy"],
        "LambdaDeployerBoundary"
    );
    let identity = answer["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .find(|l| l["layer"] == "Identity")
        .expect("the identity layer");
    assert_eq!(identity["status"], "Allows", "{answer}");
    // The same request is allowed for erin: only the boundary differs.
    assert_eq!(why(ERIN).code, 0);
}
