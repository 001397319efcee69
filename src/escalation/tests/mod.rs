//! Escalation on the playground fixture (`tests/fixtures/escalation/playground`):
//! one principal per method and per trap, written for these tests. Each
//! expectation follows from the method's documentation (see `routes`) and
//! the evaluation logic; none is read off the implementation.

mod oracle;

use super::{escalation, Escalates, PrincipalEscalation, Report};
use crate::model::Workspace;
use crate::policy::RequestContext;
use crate::workspace::{load_sources, Source};

const A: &str = "111122223333";
/// 2026-06-01T00:00:00Z: the request time of every test.
const NOW: i64 = 1_780_272_000;

fn playground() -> Workspace {
    let files = [
        (
            "account-111122223333.json",
            include_str!("../../../tests/fixtures/escalation/playground/account-111122223333.json"),
        ),
        (
            "account-222233334444.json",
            include_str!("../../../tests/fixtures/escalation/playground/account-222233334444.json"),
        ),
        (
            "organization.json",
            include_str!("../../../tests/fixtures/escalation/playground/organization.json"),
        ),
    ];
    let sources = files
        .iter()
        .map(|(name, text)| Source {
            name: name.to_string(),
            bytes: text.as_bytes().to_vec(),
        })
        .collect();
    let loaded = load_sources("playground", sources);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.workspace
}

fn report() -> Report {
    escalation(&playground(), &RequestContext::new(), NOW, None)
}

fn find<'r>(report: &'r Report, name: &str) -> &'r PrincipalEscalation {
    report
        .principals
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("{name} is not in the report"))
}

/// (admin, escalates, the methods of the shortest path, in order).
fn outcome(report: &Report, name: &str) -> (bool, Escalates, Vec<&'static str>) {
    let p = find(report, name);
    let methods = p
        .paths
        .first()
        .map(|path| path.steps.iter().map(|s| s.method).collect())
        .unwrap_or_default();
    (p.admin, p.escalates, methods)
}

#[track_caller]
fn expect(report: &Report, name: &str, admin: bool, escalates: Escalates, methods: &[&str]) {
    assert_eq!(
        outcome(report, name),
        (admin, escalates, methods.to_vec()),
        "{name}"
    );
}

use Escalates::{Conditional, No, Yes};

#[test]
fn a_principal_granted_everything_is_admin() {
    let r = report();
    expect(&r, "admin-user", true, Yes, &["full-access"]);
    expect(&r, "admin-role", true, Yes, &["full-access"]);
    let step = &find(&r, "admin-user").paths[0].steps[0];
    assert_eq!(step.to, "admin");
    assert_eq!(step.statements.len(), 1);
    assert_eq!(step.statements[0].policy, "everything");
}

#[test]
fn sts_assume_role_caller_and_trust_both() {
    let r = report();
    // Trust names the account: the caller's own allow is needed, and given.
    expect(&r, "assume-user", false, Yes, &["sts-assume-role"]);
    // Trust names the user itself: no identity allow needed (same account).
    expect(&r, "direct-trust-user", false, Yes, &["sts-assume-role"]);
    // Two hops: chain-user → middle-role → admin-role.
    expect(
        &r,
        "chain-user",
        false,
        Yes,
        &["sts-assume-role", "sts-assume-role"],
    );
    // No allow, trust naming only the account: no way in.
    expect(&r, "nothing-user", false, No, &[]);
}

#[test]
fn iam_steps_on_other_users_and_roles() {
    let r = report();
    expect(
        &r,
        "access-key-user",
        false,
        Yes,
        &["iam-create-access-key"],
    );
    expect(&r, "login-user", false, Yes, &["iam-create-login-profile"]);
    // The dump cannot show whether admin-user has a console password.
    expect(
        &r,
        "update-login-user",
        false,
        Conditional,
        &["iam-update-login-profile"],
    );
    let needs = &find(&r, "update-login-user").paths[0].steps[0].needs;
    assert!(needs.contains("console password"), "{needs}");
    expect(
        &r,
        "trust-rewrite-user",
        false,
        Yes,
        &["iam-update-assume-role-policy"],
    );
    let note = &find(&r, "access-key-user").paths[0].steps[0].note;
    assert!(note.contains("two access keys"), "{note}");
}

/// Issue 14: a policy written "on itself or on a principal it can then
/// become". grant-other-user may put an inline policy on grant-target-role,
/// which trusts it and holds nothing: written, then assumed, the role can
/// do everything (IAM API PutRolePolicy; STS API AssumeRole).
/// grant-key-user attaches AdministratorAccess to a user and creates it an
/// access key (IAM API AttachUserPolicy, CreateAccessKey). The traps: a
/// target whose permissions boundary allows only S3 stays bounded whatever
/// is written on it (IAM User Guide, access_policies_boundaries), and a
/// role that does not trust the writer cannot be entered.
#[test]
fn a_policy_written_on_another_principal_it_can_then_become() {
    let r = report();
    expect(
        &r,
        "grant-other-user",
        false,
        Yes,
        &["iam-grant-then-become"],
    );
    let step = &find(&r, "grant-other-user").paths[0].steps[0];
    assert_eq!(step.to, "admin");
    assert_eq!(
        step.via,
        ["iam:PutRolePolicy", "sts:AssumeRole"],
        "{step:?}"
    );
    assert!(step.note.contains("grant-target-role"), "{}", step.note);
    expect(&r, "grant-key-user", false, Yes, &["iam-grant-then-become"]);
    let step = &find(&r, "grant-key-user").paths[0].steps[0];
    assert_eq!(
        step.via,
        ["iam:AttachUserPolicy", "iam:CreateAccessKey"],
        "{step:?}"
    );
    expect(&r, "grant-bounded-user", false, No, &[]);
    expect(&r, "grant-only-user", false, No, &[]);
}

#[test]
fn policy_steps_on_itself_make_it_admin() {
    let r = report();
    expect(
        &r,
        "policy-version-user",
        true,
        Yes,
        &["iam-create-policy-version"],
    );
    expect(
        &r,
        "set-default-user",
        true,
        Yes,
        &["iam-set-default-policy-version"],
    );
    // Another version exists but grants little; or no other version at all.
    expect(&r, "set-default-harmless-user", false, No, &[]);
    expect(&r, "set-default-single-user", false, No, &[]);
    expect(&r, "attach-user", true, Yes, &["iam-attach-policy"]);
    expect(&r, "attach-group-user", true, Yes, &["iam-attach-policy"]);
    expect(&r, "attach-role", true, Yes, &["iam-attach-policy"]);
    expect(&r, "put-user", true, Yes, &["iam-put-policy"]);
    expect(&r, "put-group-user", true, Yes, &["iam-put-policy"]);
    expect(&r, "put-role", true, Yes, &["iam-put-policy"]);
    expect(
        &r,
        "add-to-group-user",
        true,
        Yes,
        &["iam-add-user-to-group"],
    );
}

#[test]
fn passing_a_role_to_a_service_that_runs_code() {
    let r = report();
    for (name, method) in [
        ("ec2-user", "passrole-ec2-run-instances"),
        ("lambda-user", "passrole-lambda-invoke"),
        ("cfn-user", "passrole-cloudformation-create-stack"),
        ("codebuild-user", "passrole-codebuild-project"),
        ("datapipeline-user", "passrole-datapipeline"),
        ("glue-user", "passrole-glue-dev-endpoint"),
        ("sagemaker-notebook-user", "passrole-sagemaker-notebook"),
        ("sagemaker-training-user", "passrole-sagemaker-training-job"),
        (
            "sagemaker-processing-user",
            "passrole-sagemaker-processing-job",
        ),
    ] {
        expect(&r, name, false, Yes, &[method]);
        let step = &find(&r, name).paths[0].steps[0];
        assert_eq!(
            step.to,
            format!("arn:aws:iam::{A}:role/admin-role"),
            "{name}"
        );
        assert_eq!(step.via[0], "iam:PassRole", "{name}");
    }
    // An event source the dump cannot show.
    expect(
        &r,
        "lambda-event-user",
        false,
        Conditional,
        &["passrole-lambda-event-source"],
    );
    // A function nobody can invoke runs nothing.
    expect(&r, "lambda-create-only-user", false, No, &[]);
}

#[test]
fn existing_resources_are_always_conditional() {
    let r = report();
    for (name, method) in [
        ("update-function-user", "existing-lambda-update-code"),
        ("update-endpoint-user", "existing-glue-update-dev-endpoint"),
        ("ssm-command-user", "existing-ssm-send-command"),
        ("ssm-session-user", "existing-ssm-start-session"),
        ("instance-connect-user", "existing-ec2-instance-connect"),
        ("update-stack-user", "existing-cloudformation-update-stack"),
        ("presigned-url-user", "existing-sagemaker-presigned-url"),
    ] {
        expect(&r, name, false, Conditional, &[method]);
        let needs = &find(&r, name).paths[0].steps[0].needs;
        assert!(needs.contains("the dump does not show"), "{name}: {needs}");
    }
}

#[test]
fn an_explicit_deny_in_another_policy_blocks_the_step() {
    expect(&report(), "deny-elsewhere-user", false, No, &[]);
}

#[test]
fn resource_constraints_that_still_allow_and_that_do_not() {
    let r = report();
    // CreateFunction and InvokeFunction only on function:dev-*: a function
    // of that name does it.
    expect(
        &r,
        "resource-ok-user",
        false,
        Yes,
        &["passrole-lambda-invoke"],
    );
    let step = &find(&r, "resource-ok-user").paths[0].steps[0];
    assert!(
        step.statements
            .iter()
            .any(|s| s.resource.contains(":function:dev-")),
        "{:?}",
        step.statements
    );
    // PassRole only on role/other-*: not on the admin role.
    expect(&r, "resource-no-user", false, No, &[]);
}

#[test]
fn conditions_that_can_hold_and_that_cannot() {
    let r = report();
    // iam:PolicyARN names AdministratorAccess: the step attaches exactly that.
    expect(&r, "condition-ok-user", true, Yes, &["iam-attach-policy"]);
    // iam:PolicyARN names ReadOnlyAccess only.
    expect(&r, "condition-no-user", false, No, &[]);
    // iam:PassedToService allows Lambda only; the user can only run EC2.
    expect(&r, "passed-to-lambda-only-user", false, No, &[]);
    // MFA required: the dump does not show MFA devices.
    expect(&r, "mfa-user", false, Conditional, &["iam-put-policy"]);
    let needs = &find(&r, "mfa-user").paths[0].steps[0].needs;
    assert!(needs.contains("MFA"), "{needs}");
}

#[test]
fn a_condition_given_as_context_counts_as_holding() {
    let mut context = RequestContext::new();
    context.set("aws:MultiFactorAuthPresent", ["true"]);
    let r = escalation(&playground(), &context, NOW, None);
    expect(&r, "mfa-user", true, Yes, &["iam-put-policy"]);
}

#[test]
fn permissions_split_across_two_policies_combine() {
    let r = report();
    expect(&r, "split-user", false, Yes, &["passrole-lambda-invoke"]);
    let policies: std::collections::BTreeSet<&str> = find(&r, "split-user").paths[0].steps[0]
        .statements
        .iter()
        .map(|s| s.policy.as_str())
        .collect();
    assert_eq!(policies, ["fn", "pass"].into_iter().collect());
}

#[test]
fn not_action_grants_the_needed_actions() {
    // NotAction s3:* allows iam:PutUserPolicy: not everything, but one step from it.
    expect(&report(), "notaction-user", true, Yes, &["iam-put-policy"]);
}

#[test]
fn a_boundary_or_an_scp_blocks_the_step() {
    let r = report();
    // The boundary allows only S3: a policy granting everything grants S3.
    expect(&r, "boundary-user", false, No, &[]);
    // The SCP of its account denies iam:PutUserPolicy.
    expect(&r, "scp-user", false, No, &[]);
}

#[test]
fn one_principal_alone_gets_the_same_answer() {
    let ws = playground();
    let arn = format!("arn:aws:iam::{A}:user/chain-user");
    let one = escalation(&ws, &RequestContext::new(), NOW, Some(&arn));
    assert_eq!(one.principals.len(), 1);
    assert_eq!(one.principals[0].paths[0].steps.len(), 2);
    let all = report();
    // Searched forwards alone, backwards with everyone: the same answer and
    // the same length of path (ties may pick another path).
    for name in [
        "chain-user",
        "put-user",
        "admin-role",
        "mfa-user",
        "update-function-user",
        "boundary-user",
        "trust-rewrite-user",
    ] {
        let arn = find(&all, name).principal.clone();
        let one = escalation(&ws, &RequestContext::new(), NOW, Some(&arn));
        let (alone, together) = (&one.principals[0], find(&all, name));
        assert_eq!(
            (
                alone.admin,
                alone.escalates,
                alone.paths.first().map(|p| p.steps.len())
            ),
            (
                together.admin,
                together.escalates,
                together.paths.first().map(|p| p.steps.len())
            ),
            "{name}"
        );
    }
}

#[test]
fn every_step_names_the_statements_that_allow_it() {
    let r = report();
    for p in &r.principals {
        for path in &p.paths {
            for step in &path.steps {
                if step.method == "full-access" {
                    continue;
                }
                for action in &step.via {
                    assert!(
                        step.statements.iter().any(|s| &s.action == action),
                        "{}: {action} has no statement in {:?}",
                        p.name,
                        step.statements
                    );
                }
            }
        }
    }
}
