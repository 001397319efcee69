//! The enterprise sample opens like every other folder: its recipe
//! (`sample-accounts/enterprise/enterprise.json`) is built in memory at scale
//! 0.2, and every command answers on it, naming generated files as
//! `RECIPE → FILE (generated)`. A bad recipe is an error with its place.

use serde_json::Value;

mod common;
use common::iamscope;

const ENTERPRISE: &str = "sample-accounts/enterprise";
const ORGANIZATION: &str =
    "sample-accounts/enterprise/enterprise.json → organization.json (generated)";
const ACCOUNT_1: &str =
    "sample-accounts/enterprise/enterprise.json → account-100000000001.json (generated)";
const ORG_ACCESS_ROLE_2: &str = "arn:aws:iam::100000000002:role/OrganizationAccountAccessRole";

#[track_caller]
fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON value ({e}):\n{stdout}"))
}

#[test]
fn validate_on_the_enterprise_sample_exits_0_with_0_errors() {
    let run = iamscope(&["validate", ENTERPRISE]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout,
        "enterprise: 3 accounts, 2600 principals, 60 resource policies, an organization; 0 errors, 0 warnings\n"
    );
}

#[test]
fn check_on_the_enterprise_sample_names_the_generated_scp() {
    let run = iamscope(&[
        "check",
        ENTERPRISE,
        "--json",
        "--principal",
        ORG_ACCESS_ROLE_2,
        "--action",
        "organizations:LeaveOrganization",
        "--resource",
        "*",
    ]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let value = json(&run.stdout);
    assert_eq!(value["decision"], "ExplicitDeny");
    let statement = &value["reasons"][0]["statement"];
    assert_eq!(statement["file"], ORGANIZATION);
    assert_eq!(statement["policy"], "DenyLeaveOrganization");
}

#[test]
fn permissions_on_the_enterprise_sample_come_from_generated_policies() {
    let run = iamscope(&[
        "permissions",
        ENTERPRISE,
        "--json",
        "--principal",
        "arn:aws:iam::100000000001:user/karen.lopez",
        "--service",
        "iam",
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let value = json(&run.stdout);
    let actions = value["actions"].as_array().expect("actions");
    let pass_role = actions
        .iter()
        .find(|a| a["action"] == "iam:PassRole")
        .expect("karen.lopez may pass roles");
    assert!(
        pass_role["grants"]
            .as_array()
            .expect("grants")
            .iter()
            .any(|g| g["source"]["file"] == ACCOUNT_1),
        "{pass_role}"
    );
}

#[test]
fn who_can_on_the_enterprise_sample_finds_principals_directly_and_through_roles() {
    let run = iamscope(&[
        "who-can",
        ENTERPRISE,
        "--json",
        "--action",
        "iam:PassRole",
        "--resource",
        "*",
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let value = json(&run.stdout);
    let direct = value["direct"].as_array().expect("direct");
    let through = value["through_roles"].as_array().expect("through_roles");
    assert_eq!((direct.len(), through.len()), (62, 1165));
    assert!(direct
        .iter()
        .any(|p| p["principal"] == "arn:aws:iam::100000000001:user/karen.lopez"));
}

#[test]
fn a_bad_recipe_is_an_error_with_its_place_and_the_rest_of_the_folder_loads() {
    let run = iamscope(&["validate", "tests/fixtures/bad-recipe"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "tests/fixtures/bad-recipe/enterprise.json:3:18: error: \"Scale\" must be a number above 0 and at most 10, not 20 (at GeneratedOrganization.Scale)",
            "bad-recipe: 1 account, 1 principal, 0 resource policies; 1 error, 0 warnings",
        ],
        "{}",
        run.stderr
    );
}
