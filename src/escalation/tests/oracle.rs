//! The escalation oracle of issue 18, through proptest: every request of an
//! escalation step that needs nothing the dump cannot show is allowed by
//! `check` for the step's principal.

use proptest::prelude::*;
use serde_json::{json, Value};

use crate::eval::tests::fixture::*;
use crate::eval::{evaluate_outcome, Outcome, Request};
use crate::model::Workspace;

/// A statement drawing its actions and resources from the lists given.
fn statement_over(
    effect: &'static str,
    actions: &[&'static str],
    resources: &[&'static str],
) -> impl Strategy<Value = Value> {
    (
        prop::sample::subsequence(actions.to_vec(), 1..3),
        any::<bool>(),
        prop::sample::subsequence(resources.to_vec(), 1..3),
    )
        .prop_map(move |(actions, not_action, resources)| {
            let mut s = json!({"Effect": effect, "Resource": resources});
            s[if not_action { "NotAction" } else { "Action" }] = json!(actions);
            s
        })
}

/// A statement over the actions escalation methods use.
fn escalation_statement(effect: &'static str) -> impl Strategy<Value = Value> {
    statement_over(
        effect,
        &[
            "iam:PassRole",
            "iam:CreatePolicyVersion",
            "iam:AttachUserPolicy",
            "iam:PutUserPolicy",
            "iam:CreateAccessKey",
            "iam:UpdateAssumeRolePolicy",
            "iam:*",
            "sts:AssumeRole",
            "lambda:CreateFunction",
            "lambda:InvokeFunction",
            "*",
        ],
        &[
            "*",
            "arn:aws:iam::111111111111:role/*",
            "arn:aws:iam::111111111111:role/admin",
            "arn:aws:iam::111111111111:user/u",
            "arn:aws:iam::111111111111:user/*",
            "arn:aws:iam::111111111111:policy/*",
        ],
    )
}

fn escalation_statements() -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(
        prop_oneof![
            3 => escalation_statement("Allow"),
            1 => escalation_statement("Deny")
        ],
        1..4,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Every request of an escalation step that needs nothing the dump
    /// cannot show is allowed by `check` for the step's principal (a step
    /// that rewrites a trust policy first is allowed to assume only after).
    #[test]
    fn every_escalation_step_is_allowed_by_check(
        user_statements in escalation_statements(),
        worker_statements in escalation_statements(),
        boundary in prop::option::of(escalation_statements()),
    ) {
        let mut u = user(A, "u", &[doc(json!(user_statements))]);
        let mut policies = vec![];
        if let Some(boundary) = &boundary {
            u["PermissionsBoundary"] =
                json!({"PermissionsBoundaryArn": format!("arn:aws:iam::{A}:policy/Boundary")});
            policies.push(managed(A, "Boundary", doc(json!(boundary))));
        }
        let account_root = json!(format!("arn:aws:iam::{A}:root"));
        let worker = role(A, "worker", trust(account_root.clone()), &[doc(json!(worker_statements))]);
        let admin = role(A, "admin", trust(account_root), &[doc(json!([allow("*", "*")]))]);
        let ws = workspace(vec![dump(vec![u], vec![], vec![worker, admin], policies)]);
        steps_allowed(&ws)?;
    }
}

/// Checks every request of every escalation step that needs nothing the
/// dump cannot show against `check`; the number of requests checked.
fn steps_allowed(ws: &Workspace) -> Result<usize, TestCaseError> {
    let ctx = context(&[]);
    let report = crate::escalation::escalation(ws, &ctx, NOW, None);
    let mut checked = 0;
    for answer in &report.principals {
        for step in answer.paths.iter().flat_map(|p| &p.steps) {
            if !step.needs.is_empty() {
                continue;
            }
            let rewrites_trust = step.via.iter().any(|a| a == "iam:UpdateAssumeRolePolicy");
            let who = principal(ws, &step.from);
            for s in &step.statements {
                // An admin's own step names its `*` on `*` grant, not a request
                // (escalation/admin.rs asks probe requests instead).
                if s.action == "*" || (rewrites_trust && s.action == "sts:AssumeRole") {
                    continue;
                }
                let request = Request {
                    action: s.action.clone(),
                    resource: s.resource.clone(),
                    context: ctx.clone(),
                    now_epoch: NOW,
                };
                prop_assert_eq!(
                    evaluate_outcome(ws, &who, &request),
                    Outcome::Allow,
                    "{} -> {} ({}) uses {} on {}",
                    &step.from,
                    &step.to,
                    step.method,
                    &s.action,
                    &s.resource
                );
                checked += 1;
            }
        }
    }
    Ok(checked)
}

/// The oracle above checks real steps: a user who may assume the admin role
/// has a one-step path whose request is checked.
#[test]
fn the_escalation_oracle_checks_the_steps_of_a_path() {
    let account_root = json!(format!("arn:aws:iam::{A}:root"));
    let u = user(A, "u", &[doc(json!([allow("sts:AssumeRole", "*")]))]);
    let admin = role(
        A,
        "admin",
        trust(account_root),
        &[doc(json!([allow("*", "*")]))],
    );
    let ws = workspace(vec![dump(vec![u], vec![], vec![admin], vec![])]);
    assert!(steps_allowed(&ws).expect("allowed") >= 1);
}
