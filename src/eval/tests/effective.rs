//! Effective permissions against the catalog, checked with expectations
//! computed independently of the engine's pattern expansion.

use serde_json::json;

use super::fixture::*;
use crate::catalog::Catalog;
use crate::eval::effective::{diff, effective_permissions};
use crate::eval::Principal;
use crate::model::Workspace;
use crate::policy::RequestContext;

fn with_managed(arn: &str) -> Workspace {
    let mut u = user(A, "u", &[]);
    u["AttachedManagedPolicies"] = json!([{"PolicyName": "x", "PolicyArn": arn}]);
    workspace(vec![dump(vec![u], vec![], vec![], vec![])])
}

fn permissions_of(ws: &Workspace, who: &str) -> crate::eval::effective::EffectivePermissions {
    effective_permissions(ws, &principal(ws, who), &RequestContext::new(), NOW)
}

/// A plain recursive wildcard matcher, independent of the engine's.
fn wildcard(pattern: &[u8], text: &[u8]) -> bool {
    match (pattern.first(), text.first()) {
        (None, None) => true,
        (Some(b'*'), _) => {
            wildcard(&pattern[1..], text) || (!text.is_empty() && wildcard(pattern, &text[1..]))
        }
        (Some(b'?'), Some(_)) => wildcard(&pattern[1..], &text[1..]),
        (Some(p), Some(t)) if p.eq_ignore_ascii_case(t) => wildcard(&pattern[1..], &text[1..]),
        _ => false,
    }
}

fn bundled_actions(arn: &str) -> Vec<String> {
    let policy = crate::bundled::managed_policies::lookup(arn).unwrap();
    let doc: serde_json::Value = serde_json::from_str(policy.document).unwrap();
    let mut patterns = Vec::new();
    for s in doc["Statement"].as_array().unwrap() {
        assert_eq!(s["Effect"], "Allow");
        match &s["Action"] {
            serde_json::Value::String(a) => patterns.push(a.clone()),
            serde_json::Value::Array(list) => {
                patterns.extend(list.iter().map(|a| a.as_str().unwrap().to_string()))
            }
            _ => {}
        }
    }
    patterns
}

#[test]
fn administrator_access_lists_every_catalog_action() {
    let ws = with_managed("arn:aws:iam::aws:policy/AdministratorAccess");
    let p = permissions_of(&ws, "u");
    assert_eq!(p.actions.len(), Catalog::get().len());
}

/// PowerUserAccess: Allow NotAction [iam:*, organizations:*, account:*] on *,
/// plus a second statement adding a few of those back.
#[test]
fn power_user_access_is_the_complement_plus_what_it_adds_back() {
    let ws = with_managed("arn:aws:iam::aws:policy/PowerUserAccess");
    let p = permissions_of(&ws, "u");
    let add_back = bundled_actions("arn:aws:iam::aws:policy/PowerUserAccess");
    let expected: Vec<&str> = Catalog::get()
        .actions()
        .iter()
        .map(|a| a.full_name.as_str())
        .filter(|name| {
            let prefix = name.split(':').next().unwrap();
            !["iam", "organizations", "account"].contains(&prefix)
                || add_back.iter().any(|a| a == name)
        })
        .collect();
    let got: Vec<&str> = p.actions.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(got, expected);
    assert!(p.find("iam:ListRoles").is_some());
    assert!(p.find("iam:CreateUser").is_none());
    assert!(p.find("ec2:TerminateInstances").is_some());
}

#[test]
fn read_only_access_is_exactly_what_its_patterns_name() {
    let ws = with_managed("arn:aws:iam::aws:policy/ReadOnlyAccess");
    let p = permissions_of(&ws, "u");
    let patterns = bundled_actions("arn:aws:iam::aws:policy/ReadOnlyAccess");
    let expected: Vec<&str> = Catalog::get()
        .actions()
        .iter()
        .map(|a| a.full_name.as_str())
        .filter(|name| {
            patterns
                .iter()
                .any(|p| wildcard(p.as_bytes(), name.as_bytes()))
        })
        .collect();
    let got: Vec<&str> = p.actions.iter().map(|a| a.action.as_str()).collect();
    assert!(expected.len() > 1000, "{}", expected.len());
    assert_eq!(got, expected);
    assert!(p.find("s3:PutObject").is_none());
}

#[test]
fn denies_boundaries_and_scps_narrow_the_list() {
    let mut u = user(
        A,
        "u",
        &[doc(json!([
            allow("s3:*", "*"),
            allow("ec2:*", "*"),
            deny("s3:DeleteBucket", "*"),
            deny("s3:DeleteObject", "arn:aws:s3:::keep/*")
        ]))],
    );
    u["PermissionsBoundary"] =
        json!({"PermissionsBoundaryArn": format!("arn:aws:iam::{A}:policy/B")});
    let ws = workspace(vec![
        dump(
            vec![u],
            vec![],
            vec![],
            vec![managed(
                A,
                "B",
                doc(json!([allow("s3:*", "*"), allow("ec2:Describe*", "*")])),
            )],
        ),
        organization(
            json!([{"Name": "NoTerminate", "Targets": [A], "Policy": doc(json!([allow("*", "*"), deny("ec2:TerminateInstances", "*")]))}]),
            json!([]),
        ),
    ]);
    let p = permissions_of(&ws, "u");
    assert!(p.find("s3:GetObject").is_some());
    assert!(
        p.find("s3:DeleteBucket").is_none(),
        "unconditional deny on * removes it"
    );
    let delete = p
        .find("s3:DeleteObject")
        .expect("a deny on some resources narrows");
    assert_eq!(delete.restrictions.len(), 1);
    assert_eq!(
        delete.restrictions[0].resources,
        vec!["arn:aws:s3:::keep/*"]
    );
    assert!(p.find("ec2:DescribeInstances").is_some());
    assert!(
        p.find("ec2:RunInstances").is_none(),
        "the boundary does not allow it"
    );
    assert!(p.find("ec2:TerminateInstances").is_none());
}

#[test]
fn conditions_known_to_the_context_are_decided() {
    let policy = doc(json!([
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"},
        {"Effect": "Allow", "Action": "ec2:StopInstances", "Resource": "*",
         "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
        {"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "*",
         "Condition": {"StringEquals": {"aws:username": "someone-else"}}}
    ]));
    let ws = workspace(vec![dump(
        vec![user(A, "u", &[policy])],
        vec![],
        vec![],
        vec![],
    )]);
    let who = principal(&ws, "u");
    let plain = effective_permissions(&ws, &who, &RequestContext::new(), NOW);
    assert_eq!(
        plain.find("s3:GetObject").unwrap().grants[0].resources,
        vec!["arn:aws:s3:::home/u/*"]
    );
    let stop = plain
        .find("ec2:StopInstances")
        .expect("undecided: kept with its condition");
    assert_eq!(
        stop.grants[0].conditions,
        vec!["aws:MultiFactorAuthPresent Bool true"]
    );
    assert!(plain.find("ec2:StartInstances").is_none(), "decided false");
    let without_mfa = effective_permissions(
        &ws,
        &who,
        &context(&[("aws:MultiFactorAuthPresent", "false")]),
        NOW,
    );
    assert!(without_mfa.find("ec2:StopInstances").is_none());
    let with_mfa = effective_permissions(
        &ws,
        &who,
        &context(&[("aws:MultiFactorAuthPresent", "true")]),
        NOW,
    );
    assert!(with_mfa.find("ec2:StopInstances").unwrap().grants[0]
        .conditions
        .is_empty());
}

/// A role session replaces the caller's permissions: the diff shows both sides.
#[test]
fn switching_to_a_role_gains_and_loses() {
    let ws = workspace(vec![dump(
        vec![user(
            A,
            "carol",
            &[doc(json!([
                allow("ec2:Describe*", "*"),
                allow("sts:AssumeRole", "*")
            ]))],
        )],
        vec![],
        vec![role(
            A,
            "Terminator",
            trust(json!(A)),
            &[doc(json!([allow("ec2:TerminateInstances", "*")]))],
        )],
        vec![],
    )]);
    let carol = permissions_of(&ws, "carol");
    let session = effective_permissions(
        &ws,
        &Principal::lookup(&ws, "Terminator").unwrap(),
        &RequestContext::new(),
        NOW,
    );
    let d = diff(&carol, &session);
    assert_eq!(
        d.gained
            .iter()
            .map(|a| a.action.as_str())
            .collect::<Vec<_>>(),
        vec!["ec2:TerminateInstances"]
    );
    assert!(d.lost.iter().any(|a| a.action == "ec2:DescribeInstances"));
    assert!(d.lost.iter().any(|a| a.action == "sts:AssumeRole"));
    assert_eq!(d.lost.len(), carol.actions.len());
}

/// The list agrees with `check` under the context (issue 13, point 6).
/// "An explicit deny in any of these policies overrides the allow" (IAM User
/// Guide, reference_policies_evaluation-logic): a bucket policy's deny
/// applies to the principal's request as much as its own policies' denies.
mod agrees_with_check {
    use super::*;
    use crate::eval::Outcome;

    fn deploy_workspace() -> Workspace {
        let grant = doc(json!([
            allow("s3:PutObject", "arn:aws:s3:::artifacts/*"),
            allow("s3:GetObject", "arn:aws:s3:::artifacts/*"),
        ]));
        let bucket = doc(json!([{
            "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",
            "Action": "s3:*", "Resource": "arn:aws:s3:::artifacts/*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}
        }]));
        workspace(vec![
            dump(vec![user(A, "deployer", &[grant])], vec![], vec![], vec![]),
            resource_policies(
                json!([{"Arn": "arn:aws:s3:::artifacts", "AccountId": A, "Policy": bucket}]),
            ),
        ])
    }

    #[test]
    fn a_bucket_policy_deny_that_applies_under_the_context_removes_the_action() {
        let ws = deploy_workspace();
        let who = principal(&ws, "deployer");
        let plain_http = context(&[("aws:SecureTransport", "false")]);
        let listed = effective_permissions(&ws, &who, &plain_http, NOW);
        assert!(
            listed.find("s3:PutObject").is_none(),
            "denied by the bucket policy"
        );
        assert!(listed.find("s3:GetObject").is_none());
        assert_eq!(
            decide(
                &ws,
                "deployer",
                "s3:PutObject",
                "arn:aws:s3:::artifacts/*",
                &[("aws:SecureTransport", "false")]
            )
            .decision,
            Outcome::ExplicitDeny
        );
    }

    #[test]
    fn an_undecided_bucket_policy_deny_is_shown_as_a_limit() {
        let ws = deploy_workspace();
        let who = principal(&ws, "deployer");
        let listed = effective_permissions(&ws, &who, &RequestContext::new(), NOW);
        let put = listed
            .find("s3:PutObject")
            .expect("allowed unless over plain HTTP");
        assert!(!put.conditional, "the grant itself has no condition");
        assert_eq!(put.restrictions.len(), 1, "{:?}", put.restrictions);
        let limit = &put.restrictions[0];
        assert_eq!(limit.source.layer, crate::eval::Layer::ResourcePolicy);
        assert_eq!(limit.conditions, vec!["aws:SecureTransport Bool false"]);
        let https =
            effective_permissions(&ws, &who, &context(&[("aws:SecureTransport", "true")]), NOW);
        let put = https.find("s3:PutObject").expect("allowed over HTTPS");
        assert!(
            put.restrictions.is_empty(),
            "decided: the deny does not apply"
        );
    }

    /// A deny on exactly the granted resources leaves nothing of the grant,
    /// though it is not a deny on `*`.
    #[test]
    fn a_deny_covering_every_granted_resource_removes_the_action() {
        let ws = workspace(vec![dump(
            vec![user(
                A,
                "u",
                &[doc(json!([
                    allow("s3:GetObject", "arn:aws:s3:::b/*"),
                    deny("s3:GetObject", "arn:aws:s3:::b/*"),
                    allow("s3:PutObject", "*"),
                    {"Effect": "Deny", "Action": "s3:PutObject", "NotResource": "arn:aws:s3:::drop/*"},
                ]))],
            )],
            vec![],
            vec![],
            vec![],
        )]);
        let listed = permissions_of(&ws, "u");
        assert!(listed.find("s3:GetObject").is_none());
        let put = listed
            .find("s3:PutObject")
            .expect("still allowed where the deny does not reach");
        assert_eq!(put.resources(), vec!["arn:aws:s3:::drop/*"]);
        assert!(outcome(&ws, "u", "s3:PutObject", "arn:aws:s3:::drop/x").is_allowed());
        assert!(!outcome(&ws, "u", "s3:PutObject", "arn:aws:s3:::other/x").is_allowed());
    }

    /// "The effective permissions are the intersection of both policy types"
    /// (IAM User Guide, access_policies_boundaries): a grant on `*` under a
    /// boundary that allows one bucket is a grant on that bucket.
    #[test]
    fn a_boundary_on_some_resources_narrows_a_grant_on_everything() {
        let mut u = user(A, "u", &[doc(json!([allow("s3:GetObject", "*")]))]);
        u["PermissionsBoundary"] =
            json!({"PermissionsBoundaryArn": format!("arn:aws:iam::{A}:policy/B")});
        let ws = workspace(vec![dump(
            vec![u],
            vec![],
            vec![],
            vec![managed(
                A,
                "B",
                doc(json!([allow("s3:GetObject", "arn:aws:s3:::team/*")])),
            )],
        )]);
        let get = permissions_of(&ws, "u");
        let get = get
            .find("s3:GetObject")
            .expect("allowed on the boundary's bucket");
        assert_eq!(get.resources(), vec!["arn:aws:s3:::team/*"]);
    }

    /// Cross account, "the identity-based policy and the resource-based
    /// policy must both allow" (IAM User Guide,
    /// reference_policies_evaluation-logic-cross-account): a queue of another
    /// account with no queue policy in the workspace is not reachable.
    #[test]
    fn a_resource_of_another_account_without_its_policy_is_not_listed() {
        let ws = workspace(vec![dump(
            vec![user(
                A,
                "u",
                &[doc(json!([
                    allow(
                        "sqs:SendMessage",
                        &format!("arn:aws:sqs:us-east-1:{B}:orders")
                    ),
                    allow(
                        "sqs:ReceiveMessage",
                        &format!("arn:aws:sqs:us-east-1:{A}:own")
                    ),
                ]))],
            )],
            vec![],
            vec![],
            vec![],
        )]);
        let listed = permissions_of(&ws, "u");
        assert!(listed.find("sqs:SendMessage").is_none());
        assert!(listed.find("sqs:ReceiveMessage").is_some());
    }

    /// A grant whose condition the context does not decide is listed as
    /// conditional, with its condition; `check` without the key denies it
    /// (IAM User Guide, reference_policies_elements_condition: "If the key
    /// that you specify in a policy condition is not present in the request
    /// context, the values do not match").
    #[test]
    fn an_undecided_condition_marks_the_action_conditional() {
        let ws = workspace(vec![dump(
            vec![user(
                A,
                "u",
                &[doc(json!([
                    {"Effect": "Allow", "Action": "ec2:TerminateInstances", "Resource": "*",
                     "Condition": {"StringEquals": {"aws:ResourceTag/critical": "true"}}},
                    allow("ec2:DescribeInstances", "*"),
                ]))],
            )],
            vec![],
            vec![],
            vec![],
        )]);
        let listed = permissions_of(&ws, "u");
        let terminate = listed
            .find("ec2:TerminateInstances")
            .expect("listed, conditionally");
        assert!(terminate.conditional);
        assert_eq!(
            terminate.conditions,
            vec!["aws:ResourceTag/critical StringEquals true"]
        );
        assert!(!listed.find("ec2:DescribeInstances").unwrap().conditional);
        let json = serde_json::to_value(terminate).unwrap();
        assert_eq!(json["conditional"], true);
        assert_eq!(
            json["conditions"][0],
            "aws:ResourceTag/critical StringEquals true"
        );
        assert!(!outcome(&ws, "u", "ec2:TerminateInstances", "*").is_allowed());
        let tagged = effective_permissions(
            &ws,
            &principal(&ws, "u"),
            &context(&[("aws:ResourceTag/critical", "true")]),
            NOW,
        );
        assert!(!tagged.find("ec2:TerminateInstances").unwrap().conditional);
        let untagged = effective_permissions(
            &ws,
            &principal(&ws, "u"),
            &context(&[("aws:ResourceTag/critical", "false")]),
            NOW,
        );
        assert!(untagged.find("ec2:TerminateInstances").is_none());
    }
}

/// Fuzz finding (issue 18, target `permissions`): an Allow on all but
/// `bucket/*` and a Deny of `ec2:TerminateInstances` on all but
/// `arn:aws:*:*:*:*` and `bucket/*`. `check` allows the action on a resource
/// outside both, so the list must show it; it left it out because it probed
/// the deny's pattern `arn:aws:*:*:*:*` and read its `*` account as another
/// account. A wildcard account stands for the caller's, as `*` does.
#[test]
fn permissions_wildcard_account_probe_is_the_callers_account() {
    let ws = workspace(vec![dump(
        vec![user(
            A,
            "u",
            &[json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "NotAction": "s3:ListBucket",
                 "NotResource": "arn:aws:s3:::bucket/*"},
                {"Effect": "Deny", "Action": "ec2:TerminateInstances",
                 "NotResource": ["arn:aws:*:*:*:*", "arn:aws:s3:::bucket/*"]}
            ]})],
        )],
        vec![],
        vec![],
        vec![],
    )]);
    let instance = format!("arn:aws:ec2:us-east-1:{A}:instance/i-1");
    assert_eq!(
        outcome(&ws, "u", "ec2:TerminateInstances", &instance),
        crate::eval::Outcome::Allow
    );
    assert_eq!(
        outcome(
            &ws,
            "u",
            "ec2:TerminateInstances",
            "arn:aws:ec2:*:*:instance/*"
        ),
        crate::eval::Outcome::Allow,
        "a wildcard account is read as the caller's"
    );
    let listed = permissions_of(&ws, "u");
    assert!(
        listed
            .actions
            .iter()
            .any(|a| a.action == "ec2:TerminateInstances"),
        "the list shows what check allows"
    );
}
