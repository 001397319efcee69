//! AssumeRole requests and sessions in time, on small workspaces and on the
//! workshop sample.

use serde_json::json;

use super::*;
use crate::eval::tests::fixture::*;
use crate::eval::{Outcome, Principal};
use crate::policy::RequestContext;

fn request(role_arn: &str, duration: Option<u32>) -> AssumeRequest {
    AssumeRequest {
        role_arn: role_arn.to_string(),
        duration,
        session_name: "test-session".to_string(),
        session_policies: Vec::new(),
        context: RequestContext::new(),
        now_epoch: NOW,
    }
}

fn sample() -> crate::model::Workspace {
    let loaded = crate::bundled::workshop::load();
    assert!(!loaded.has_errors());
    loaded.workspace
}

const EC2_TERMINATOR: &str = "arn:aws:iam::111111111111:role/EC2Terminator";
const AUDITOR: &str = "arn:aws:iam::111111111111:role/Auditor";
const PROD_DEPLOY: &str = "arn:aws:iam::222222222222:role/ProdDeploy";

#[test]
fn a_session_has_the_sts_identity_and_expiry() {
    let ws = sample();
    let carol = principal(&ws, "carol");
    let outcome = assume_role(&ws, &carol, &request(EC2_TERMINATOR, Some(1800))).unwrap();
    assert!(outcome.allowed(), "{:#?}", outcome.decision.reasons);
    let session = outcome.session.unwrap();
    assert_eq!(
        session.arn(),
        "arn:aws:sts::111111111111:assumed-role/EC2Terminator/test-session"
    );
    assert_eq!(session.expires_at, NOW + 1800);
    assert_eq!(session.remaining(NOW + 1000), 800);
    assert_eq!(session.remaining(NOW + 5000), 0);
    assert!(!session.chained);
    assert_eq!(session.caller_arn, "arn:aws:iam::111111111111:user/carol");
}

#[test]
fn durations_are_bounded_and_refused_not_clamped() {
    let ws = sample();
    let carol = principal(&ws, "carol");
    // EC2Terminator has the default MaxSessionDuration of 3600 s.
    for (duration, ok) in [(899, false), (900, true), (3600, true), (3601, false)] {
        let result = assume_role(&ws, &carol, &request(EC2_TERMINATOR, Some(duration))).unwrap();
        assert_eq!(result.allowed(), ok, "{duration}");
        if !ok {
            assert!(
                matches!(result.refusal, Some(Refusal::Duration { .. })),
                "{:?}",
                result.refusal
            );
        }
    }
    // Auditor allows four hours (MaxSessionDuration 14400), with MFA.
    let dave = principal(&ws, "dave");
    let mut req = request(AUDITOR, Some(14_400));
    req.context.set("aws:MultiFactorAuthPresent", ["true"]);
    assert!(assume_role(&ws, &dave, &req).unwrap().allowed());
    req.duration = Some(14_401);
    assert!(!assume_role(&ws, &dave, &req).unwrap().allowed());
}

#[test]
fn chaining_is_capped_at_one_hour() {
    let ws = workspace(vec![dump(
        vec![],
        vec![],
        vec![
            role(
                A,
                "First",
                trust(json!(A)),
                &[doc(json!([allow("sts:AssumeRole", "*")]))],
            ),
            {
                let mut r = role(A, "Long", trust(json!(A)), &[]);
                r["MaxSessionDuration"] = json!(43200);
                r
            },
        ],
        vec![],
    )]);
    let first = principal(&ws, "First");
    let arn = format!("arn:aws:iam::{A}:role/Long");
    let ok = assume_role(&ws, &first, &request(&arn, Some(3600))).unwrap();
    assert!(ok.allowed());
    assert!(ok.session.unwrap().chained);
    let refused = assume_role(&ws, &first, &request(&arn, Some(7200))).unwrap();
    assert!(!refused.allowed());
    assert!(refused
        .refusal
        .unwrap()
        .to_string()
        .contains("role chaining"));
    // The same duration from a user is fine.
    let ws2 = workspace(vec![dump(
        vec![user(A, "u", &[doc(json!([allow("sts:AssumeRole", "*")]))])],
        vec![],
        vec![{
            let mut r = role(A, "Long", trust(json!(A)), &[]);
            r["MaxSessionDuration"] = json!(43200);
            r
        }],
        vec![],
    )]);
    assert!(
        assume_role(&ws2, &principal(&ws2, "u"), &request(&arn, Some(7200)))
            .unwrap()
            .allowed()
    );
}

#[test]
fn session_names_are_validated() {
    let ws = sample();
    let carol = principal(&ws, "carol");
    for (name, ok) in [
        ("a", false),
        ("ok-name_1@x.y=z,w+", true),
        ("has space", false),
        (&"x".repeat(65)[..], false),
    ] {
        let mut req = request(EC2_TERMINATOR, None);
        req.session_name = name.to_string();
        assert_eq!(
            assume_role(&ws, &carol, &req).unwrap().allowed(),
            ok,
            "{name}"
        );
    }
}

#[test]
fn service_only_trust_is_explained() {
    let ws = sample();
    let alice = principal(&ws, "alice");
    let result = assume_role(
        &ws,
        &alice,
        &request(
            "arn:aws:iam::222222222222:role/service-role/lambda-app-exec",
            None,
        ),
    )
    .unwrap();
    assert!(!result.allowed());
    let text = result.refusal.unwrap().to_string();
    assert!(text.contains("lambda.amazonaws.com"), "{text}");
}

#[test]
fn unknown_roles_are_refused() {
    let ws = sample();
    let alice = principal(&ws, "alice");
    assert!(matches!(
        assume_role(
            &ws,
            &alice,
            &request("arn:aws:iam::111111111111:role/Nope", None)
        ),
        Err(Refusal::UnknownRole(_))
    ));
}

/// The workshop's lessons hold in the data.
#[test]
fn workshop_lessons() {
    let ws = sample();
    let try_assume = |who: &str, role: &str, mfa: bool| {
        let mut req = request(role, None);
        if mfa {
            req.context.set("aws:MultiFactorAuthPresent", ["true"]);
        }
        assume_role(&ws, &principal(&ws, who), &req).unwrap()
    };
    // dave can assume Auditor only with MFA.
    assert!(!try_assume("dave", AUDITOR, false).allowed());
    assert!(try_assume("dave", AUDITOR, true).allowed());
    assert!(!try_assume("alice", AUDITOR, true).allowed());
    // bob cannot assume EC2Terminator; carol can.
    assert_eq!(
        try_assume("bob", EC2_TERMINATOR, false).decision.decision,
        Outcome::ImplicitDeny
    );
    assert!(try_assume("carol", EC2_TERMINATOR, false).allowed());
    // alice reaches prod only through ProdDeploy.
    assert!(try_assume("alice", PROD_DEPLOY, false).allowed());
    assert!(!try_assume("carol", PROD_DEPLOY, false).allowed());
}

#[test]
fn a_session_gains_and_loses_and_gives_back_on_end() {
    let ws = sample();
    let carol = principal(&ws, "carol");
    let mut stack = SessionStack::new(&ws, carol, RequestContext::new(), NOW);
    assert!(stack.permissions().find("ec2:TerminateInstances").is_none());
    let own = stack.permissions().actions.len();
    let (outcome, event) = stack
        .start(&ws, request(EC2_TERMINATOR, Some(900)))
        .unwrap();
    assert!(outcome.allowed());
    let event = event.unwrap().clone();
    assert_eq!(event.kind, EventKind::Started);
    assert!(event
        .diff
        .gained
        .iter()
        .any(|a| a.action == "ec2:TerminateInstances"));
    assert!(event
        .diff
        .lost
        .iter()
        .any(|a| a.action == "ec2:StartInstances"));
    assert_eq!(stack.chain_label(), "carol → EC2Terminator");
    assert!(stack.permissions().find("ec2:TerminateInstances").is_some());
    // Nothing expires before its time.
    assert!(stack.tick(NOW + 899).is_empty());
    let expired = stack.tick(NOW + 900);
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].kind, EventKind::Expired);
    assert_eq!(expired[0].at, NOW + 900);
    assert!(expired[0]
        .diff
        .lost
        .iter()
        .any(|a| a.action == "ec2:TerminateInstances"));
    // Regained: her own actions, except those the session also had (ec2:DescribeInstances).
    assert_eq!(expired[0].diff.gained.len(), own - 1);
    assert!(!expired[0]
        .diff
        .gained
        .iter()
        .any(|a| a.action == "ec2:DescribeInstances"));
    assert_eq!(stack.acting().display_name, "carol");
    assert_eq!(stack.permissions().actions.len(), own);
    assert!(stack.permissions().find("ec2:TerminateInstances").is_none());
    // Start again and end by hand.
    stack.start(&ws, request(EC2_TERMINATOR, None)).unwrap();
    let ended = stack.end(NOW + 10).unwrap();
    assert_eq!(ended.kind, EventKind::Ended);
    assert!(stack.end(NOW + 11).is_none());
    assert_eq!(stack.events().len(), 4);
}

#[test]
fn denied_assumption_changes_nothing() {
    let ws = sample();
    let mut stack = SessionStack::new(&ws, principal(&ws, "bob"), RequestContext::new(), NOW);
    let (outcome, event) = stack.start(&ws, request(EC2_TERMINATOR, None)).unwrap();
    assert!(!outcome.allowed());
    assert!(event.is_none());
    assert!(stack.sessions().is_empty());
    assert!(stack.events().is_empty());
}

#[test]
fn chained_sessions_stack_and_unwind() {
    let ws = workspace(vec![dump(
        vec![user(
            A,
            "u",
            &[doc(json!([
                allow("sts:AssumeRole", "*"),
                allow("s3:ListAllMyBuckets", "*")
            ]))],
        )],
        vec![],
        vec![
            role(
                A,
                "One",
                trust(json!(A)),
                &[doc(json!([
                    allow("sts:AssumeRole", "*"),
                    allow("ec2:DescribeInstances", "*")
                ]))],
            ),
            role(
                A,
                "Two",
                trust(json!(format!("arn:aws:iam::{A}:role/One"))),
                &[doc(json!([allow("ec2:TerminateInstances", "*")]))],
            ),
        ],
        vec![],
    )]);
    let mut stack = SessionStack::new(&ws, principal(&ws, "u"), RequestContext::new(), NOW);
    stack
        .start(
            &ws,
            request(&format!("arn:aws:iam::{A}:role/One"), Some(3600)),
        )
        .unwrap();
    // From a user, Two is not assumable (its trust names role One only)...
    let direct = assume_role(
        &ws,
        &principal(&ws, "u"),
        &request(&format!("arn:aws:iam::{A}:role/Two"), None),
    )
    .unwrap();
    assert!(!direct.allowed());
    // ...but from One's session it is, as a chained session.
    let (outcome, _) = stack
        .start(
            &ws,
            request(&format!("arn:aws:iam::{A}:role/Two"), Some(1800)),
        )
        .unwrap();
    assert!(outcome.allowed());
    assert!(stack.current_session().unwrap().chained);
    assert_eq!(stack.chain_label(), "u → One → Two");
    assert!(stack.permissions().find("ec2:TerminateInstances").is_some());
    // Two expires first; One is still live.
    let events = stack.tick(NOW + 1800);
    assert_eq!(events.len(), 1);
    assert_eq!(stack.chain_label(), "u → One");
    let events = stack.tick(NOW + 3600);
    assert_eq!(events.len(), 1);
    assert_eq!(stack.chain_label(), "u");
    assert!(stack.permissions().find("s3:ListAllMyBuckets").is_some());
}

#[test]
fn changing_the_context_recomputes_permissions() {
    let ws = workspace(vec![dump(
        vec![user(
            A,
            "u",
            &[doc(
                json!([{"Effect": "Allow", "Action": "ec2:StopInstances", "Resource": "*",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]),
            )],
        )],
        vec![],
        vec![],
        vec![],
    )]);
    let mut stack = SessionStack::new(
        &ws,
        principal(&ws, "u"),
        context(&[("aws:MultiFactorAuthPresent", "false")]),
        NOW,
    );
    assert!(stack.permissions().find("ec2:StopInstances").is_none());
    stack.set_context(&ws, context(&[("aws:MultiFactorAuthPresent", "true")]), NOW);
    assert!(stack.permissions().find("ec2:StopInstances").is_some());
}

#[test]
fn who_can_follows_role_paths() {
    let ws = sample();
    let ctx = RequestContext::new();
    let w = crate::who_can::who_can(
        &ws,
        "ec2:TerminateInstances",
        "arn:aws:ec2:eu-west-1:111111111111:instance/i-1",
        &context(&[("aws:ResourceTag/critical", "true")]),
        NOW,
    );
    let direct: Vec<String> = w.direct.iter().map(|r| r.label()).collect();
    let through: Vec<String> = w.through_roles.iter().map(|r| r.label()).collect();
    assert!(direct.contains(&"EC2Terminator".to_string()), "{direct:?}");
    assert!(direct.contains(&"prod-admin".to_string()) || !direct.iter().any(|d| d == "carol"));
    assert!(
        through.contains(&"carol → EC2Terminator".to_string()),
        "{through:?}"
    );
    assert!(!through.iter().any(|p| p.starts_with("bob")), "{through:?}");
    let deploy = crate::who_can::who_can(
        &ws,
        "lambda:UpdateFunctionCode",
        "arn:aws:lambda:eu-west-1:222222222222:function:app-api",
        &ctx,
        NOW,
    );
    let through: Vec<String> = deploy.through_roles.iter().map(|r| r.label()).collect();
    assert!(
        through.contains(&"alice → ProdDeploy".to_string()),
        "{through:?}"
    );
    assert!(
        through.contains(&"bob → ProdDeploy".to_string()),
        "{through:?}"
    );
    let _ = Principal::lookup(&ws, "alice").unwrap();
}

/// alice deploys to prod only through ProdDeploy: not from her dev user, yes
/// from a ProdDeploy session (the fourth workshop lesson).
#[test]
fn alice_deploys_to_prod_only_through_prod_deploy() {
    let ws = sample();
    let function = "arn:aws:lambda:eu-west-1:222222222222:function:app-api";
    let alice = principal(&ws, "alice");
    let direct = crate::eval::evaluate(
        &ws,
        &alice,
        &crate::eval::Request {
            action: "lambda:UpdateFunctionCode".into(),
            resource: function.into(),
            context: RequestContext::new(),
            now_epoch: NOW,
        },
    );
    assert_ne!(direct.decision, Outcome::Allow);
    let mut stack = SessionStack::new(&ws, alice, RequestContext::new(), NOW);
    let (outcome, _) = stack.start(&ws, request(PROD_DEPLOY, None)).unwrap();
    assert!(outcome.allowed());
    let through = crate::eval::evaluate(
        &ws,
        stack.acting(),
        &crate::eval::Request {
            action: "lambda:UpdateFunctionCode".into(),
            resource: function.into(),
            context: RequestContext::new(),
            now_epoch: NOW,
        },
    );
    assert_eq!(through.decision, Outcome::Allow);
}

/// Trust conditions on request keys: the session name (`sts:RoleSessionName`,
/// set from the request), a source identity and the organization id given as
/// context, and the MFA age.
#[test]
fn trust_conditions_on_session_name_source_identity_org_and_mfa_age() {
    let trust = doc(
        json!([{"Effect": "Allow", "Principal": {"AWS": A}, "Action": "sts:AssumeRole", "Condition": {
            "StringLike": {"sts:RoleSessionName": "${aws:username}"},
            "StringEquals": {"aws:SourceIdentity": "alice@example.com", "aws:PrincipalOrgID": "o-abc123"},
            "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}
        }}]),
    );
    let ws = workspace(vec![dump(
        vec![user(
            A,
            "alice",
            &[doc(json!([allow("sts:AssumeRole", "*")]))],
        )],
        vec![],
        vec![role(A, "R", trust, &[])],
        vec![],
    )]);
    let arn = format!("arn:aws:iam::{A}:role/R");
    let attempt = |session: &str, pairs: &[(&str, &str)]| {
        let mut req = request(&arn, None);
        req.session_name = session.to_string();
        for (k, v) in pairs {
            req.context.set(k, [v.to_string()]);
        }
        assume_role(&ws, &principal(&ws, "alice"), &req)
            .unwrap()
            .allowed()
    };
    let good = [
        ("aws:SourceIdentity", "alice@example.com"),
        ("aws:PrincipalOrgID", "o-abc123"),
        ("aws:MultiFactorAuthAge", "120"),
    ];
    assert!(attempt("alice", &good));
    assert!(
        !attempt("bob", &good),
        "the session name must be the user's name"
    );
    assert!(!attempt("alice", &good[1..]), "no source identity");
    assert!(
        !attempt(
            "alice",
            &[good[0], good[1], ("aws:MultiFactorAuthAge", "7200")]
        ),
        "MFA too old"
    );
    assert!(
        !attempt("alice", &good[..2]),
        "MFA age absent: a positive operator on a missing key fails"
    );
}

/// A trust policy naming an identity provider is not assumable by a user.
#[test]
fn federated_only_trust_is_explained() {
    let trust = doc(
        json!([{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111111111111:saml-provider/Okta"},
        "Action": "sts:AssumeRoleWithSAML", "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}]),
    );
    let ws = workspace(vec![dump(
        vec![user(A, "admin", &[doc(json!([allow("*", "*")]))])],
        vec![],
        vec![role(A, "Sso", trust, &[])],
        vec![],
    )]);
    let outcome = assume_role(
        &ws,
        &principal(&ws, "admin"),
        &request(&format!("arn:aws:iam::{A}:role/Sso"), None),
    )
    .unwrap();
    assert!(!outcome.allowed());
    assert!(outcome
        .refusal
        .unwrap()
        .to_string()
        .contains("saml-provider/Okta"));
}
