//! Requests within one account: identity policies, resource policies by what
//! they name, boundaries and session policies (IAM User Guide, "Policy
//! evaluation for requests within a single account" and "Permissions boundaries").

use serde_json::json;

use super::fixture::*;
use crate::eval::{Layer, LayerStatus, Outcome};

const BUCKET: &str = "arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar-logs";

/// The documentation's example: carlossalazar's identity policy allows his own
/// bucket and denies every bucket with "log" in its name; a bucket policy on
/// the logs bucket allows him. The explicit deny wins (policy-eval-basics page,
/// "Example identity-based and resource-based policy evaluation").
#[test]
fn docs_example_carlos_explicit_deny_beats_bucket_policy_allow() {
    let identity = doc(json!([
        {"Sid": "AllowS3ListRead", "Effect": "Allow",
         "Action": ["s3:GetBucketLocation", "s3:GetAccountPublicAccessBlock", "s3:ListAccessPoints", "s3:ListAllMyBuckets"],
         "Resource": "arn:aws:s3:::*"},
        {"Sid": "AllowS3Self", "Effect": "Allow", "Action": "s3:*",
         "Resource": ["arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar/*", "arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar"]},
        {"Sid": "DenyS3Logs", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::*log*"}
    ]));
    let bucket_policy = doc(json!([
        {"Sid": "AllowCarlos", "Effect": "Allow",
         "Principal": {"AWS": format!("arn:aws:iam::{A}:user/carlossalazar")},
         "Action": "s3:*", "Resource": [BUCKET, format!("{BUCKET}/*")]}
    ]));
    let ws = workspace(vec![
        dump(
            vec![user(A, "carlossalazar", &[identity])],
            vec![],
            vec![],
            vec![],
        ),
        resource_policies(json!([{"Arn": BUCKET, "Policy": bucket_policy}])),
    ]);
    let d = decide(
        &ws,
        "carlossalazar",
        "s3:PutObject",
        &format!("{BUCKET}/app.log"),
        &[],
    );
    assert_eq!(d.decision, Outcome::ExplicitDeny);
    let deny = d.reasons[0].statement.as_ref().unwrap();
    assert_eq!(deny.sid.as_deref(), Some("DenyS3Logs"));
    assert_eq!(deny.layer, Layer::Identity);
    // His own bucket: allowed by AllowS3Self.
    assert_eq!(
        outcome(
            &ws,
            "carlossalazar",
            "s3:PutObject",
            "arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar/x"
        ),
        Outcome::Allow
    );
    // ListAllMyBuckets with resource arn:aws:s3:::* pattern.
    assert_eq!(
        outcome(
            &ws,
            "carlossalazar",
            "s3:ListAllMyBuckets",
            "arn:aws:s3:::any-bucket"
        ),
        Outcome::Allow
    );
}

#[test]
fn no_policy_is_an_implicit_deny_naming_the_identity_layer() {
    let ws = workspace(vec![dump(
        vec![user(A, "nobody", &[])],
        vec![],
        vec![],
        vec![],
    )]);
    let d = decide(&ws, "nobody", "s3:GetObject", "arn:aws:s3:::b/k", &[]);
    assert_eq!(d.decision, Outcome::ImplicitDeny);
    assert_eq!(d.reasons[0].layer, Layer::Identity);
    assert!(
        d.aws_message
            .ends_with("because no identity-based policy allows the s3:GetObject action"),
        "{}",
        d.aws_message
    );
}

#[test]
fn group_policies_apply_to_members() {
    let mut member = user(A, "alice", &[]);
    member["GroupList"] = json!(["Devs"]);
    let ws = workspace(vec![dump(
        vec![member, user(A, "bob", &[])],
        vec![group(
            A,
            "Devs",
            &[doc(json!([allow("ec2:Describe*", "*")]))],
        )],
        vec![],
        vec![],
    )]);
    assert_eq!(
        outcome(&ws, "alice", "ec2:DescribeInstances", "*"),
        Outcome::Allow
    );
    assert_eq!(
        outcome(&ws, "bob", "ec2:DescribeInstances", "*"),
        Outcome::ImplicitDeny
    );
}

#[test]
fn actions_match_case_insensitively_resources_case_sensitively() {
    let ws = workspace(vec![dump(
        vec![user(
            A,
            "u",
            &[doc(json!([allow("S3:getobject", "arn:aws:s3:::Bucket/*")]))],
        )],
        vec![],
        vec![],
        vec![],
    )]);
    assert_eq!(
        outcome(&ws, "u", "s3:GetObject", "arn:aws:s3:::Bucket/k"),
        Outcome::Allow
    );
    assert_eq!(
        outcome(&ws, "u", "s3:GetObject", "arn:aws:s3:::bucket/k"),
        Outcome::ImplicitDeny
    );
}

#[test]
fn not_action_and_not_resource_allow_everything_else() {
    let ws = workspace(vec![dump(
        vec![
            user(
                A,
                "na",
                &[doc(
                    json!([{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]),
                )],
            ),
            user(
                A,
                "nr",
                &[doc(
                    json!([{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret/*"}]),
                )],
            ),
        ],
        vec![],
        vec![],
        vec![],
    )]);
    assert_eq!(
        outcome(&ws, "na", "ec2:TerminateInstances", "*"),
        Outcome::Allow
    );
    assert_eq!(
        outcome(&ws, "na", "iam:CreateUser", "*"),
        Outcome::ImplicitDeny
    );
    assert_eq!(
        outcome(&ws, "nr", "s3:GetObject", "arn:aws:s3:::public/x"),
        Outcome::Allow
    );
    assert_eq!(
        outcome(&ws, "nr", "s3:GetObject", "arn:aws:s3:::secret/x"),
        Outcome::ImplicitDeny
    );
}

/// Resource policies in the same account, by the principal they name
/// (policy-eval-denyallow page; access_policies_boundaries "Evaluating effective permissions").
mod resource_policy_by_name {
    use super::*;

    const B1: &str = "arn:aws:s3:::bucket-one";

    fn ws_with(principal: serde_json::Value, boundary: bool) -> crate::model::Workspace {
        let mut u = user(A, "alice", &[]);
        let mut policies = vec![];
        if boundary {
            u["PermissionsBoundary"] = json!({"PermissionsBoundaryType": "Policy",
                "PermissionsBoundaryArn": format!("arn:aws:iam::{A}:policy/OnlyEc2")});
            policies.push(managed(A, "OnlyEc2", doc(json!([allow("ec2:*", "*")]))));
        }
        let mut r = role(A, "app", trust(json!(A)), &[]);
        if boundary {
            r["PermissionsBoundary"] = json!({"PermissionsBoundaryType": "Policy",
                "PermissionsBoundaryArn": format!("arn:aws:iam::{A}:policy/OnlyEc2")});
        }
        workspace(vec![
            dump(vec![u], vec![], vec![r], policies),
            resource_policies(json!([{"Arn": B1, "Policy": doc(json!([
                {"Effect": "Allow", "Principal": principal, "Action": "s3:GetObject", "Resource": format!("{B1}/*")}
            ]))}])),
        ])
    }

    #[test]
    fn naming_the_user_grants_without_identity_allow_and_despite_a_boundary() {
        let named = json!({"AWS": format!("arn:aws:iam::{A}:user/alice")});
        let ws = ws_with(named.clone(), false);
        assert_eq!(
            outcome(&ws, "alice", "s3:GetObject", &format!("{B1}/k")),
            Outcome::Allow
        );
        let ws = ws_with(named, true);
        let d = decide(&ws, "alice", "s3:GetObject", &format!("{B1}/k"), &[]);
        assert_eq!(d.decision, Outcome::Allow, "{d:#?}");
        assert_eq!(
            d.layer(Layer::Boundary).unwrap().status,
            LayerStatus::NoAllow
        );
    }

    #[test]
    fn naming_the_account_needs_an_identity_allow() {
        let ws = ws_with(json!({"AWS": format!("arn:aws:iam::{A}:root")}), false);
        let d = decide(&ws, "alice", "s3:GetObject", &format!("{B1}/k"), &[]);
        assert_eq!(d.decision, Outcome::ImplicitDeny);
        assert_eq!(d.reasons[0].layer, Layer::Identity);
    }

    #[test]
    fn naming_everyone_grants_within_the_account() {
        let ws = ws_with(json!("*"), false);
        assert_eq!(
            outcome(&ws, "alice", "s3:GetObject", &format!("{B1}/k")),
            Outcome::Allow
        );
    }

    #[test]
    fn naming_the_role_grants_but_the_boundary_still_limits() {
        let ws = ws_with(json!({"AWS": format!("arn:aws:iam::{A}:role/app")}), false);
        assert_eq!(
            outcome(&ws, "app", "s3:GetObject", &format!("{B1}/k")),
            Outcome::Allow
        );
        let ws = ws_with(json!({"AWS": format!("arn:aws:iam::{A}:role/app")}), true);
        let d = decide(&ws, "app", "s3:GetObject", &format!("{B1}/k"), &[]);
        assert_eq!(d.decision, Outcome::ImplicitDeny);
        assert_eq!(d.reasons[0].layer, Layer::Boundary);
    }

    #[test]
    fn naming_the_role_is_limited_by_the_session_policy() {
        let ws = ws_with(json!({"AWS": format!("arn:aws:iam::{A}:role/app")}), false);
        let session = principal(&ws, "app")
            .with_session_policies(vec![session_policy(doc(json!([allow("ec2:*", "*")])))]);
        let d = decide_as(&ws, &session, "s3:GetObject", &format!("{B1}/k"), &[]);
        assert_eq!(d.decision, Outcome::ImplicitDeny);
        assert_eq!(d.reasons[0].layer, Layer::SessionPolicy);
    }

    /// Naming the session ARN grants "directly to the session": RBP ∪ (session ∩
    /// identity) (access_policies.md, session policies). Unverified against live
    /// AWS; one peer simulator expects the opposite (IAM-NOTES 1.2).
    #[test]
    fn naming_the_session_is_not_limited_by_the_session_policy() {
        let ws = ws_with(
            json!({"AWS": format!("arn:aws:sts::{A}:assumed-role/app/iamscope")}),
            false,
        );
        let session = principal(&ws, "app")
            .with_session_policies(vec![session_policy(doc(json!([allow("ec2:*", "*")])))]);
        let d = decide_as(&ws, &session, "s3:GetObject", &format!("{B1}/k"), &[]);
        assert_eq!(d.decision, Outcome::Allow, "{d:#?}");
        // Another session name is not named.
        let other = principal(&ws, &format!("arn:aws:sts::{A}:assumed-role/app/other"));
        assert_eq!(
            decide_as(&ws, &other, "s3:GetObject", &format!("{B1}/k"), &[]).decision,
            Outcome::ImplicitDeny
        );
    }

    #[test]
    fn another_user_is_not_named() {
        let ws = ws_with(json!({"AWS": format!("arn:aws:iam::{A}:user/bob")}), false);
        assert_eq!(
            outcome(&ws, "alice", "s3:GetObject", &format!("{B1}/k")),
            Outcome::ImplicitDeny
        );
    }

    #[test]
    fn a_resource_policy_deny_wins() {
        let ws = workspace(vec![
            dump(
                vec![user(A, "alice", &[doc(json!([allow("s3:*", "*")]))])],
                vec![],
                vec![],
                vec![],
            ),
            resource_policies(json!([{"Arn": B1, "Policy": doc(json!([
                {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": format!("{B1}/*"),
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
            ]))}])),
        ]);
        let d = decide(
            &ws,
            "alice",
            "s3:GetObject",
            &format!("{B1}/k"),
            &[("aws:SecureTransport", "false")],
        );
        assert_eq!(d.decision, Outcome::ExplicitDeny);
        assert_eq!(d.reasons[0].layer, Layer::ResourcePolicy);
        assert!(d
            .aws_message
            .contains("with an explicit deny in a resource-based policy"));
        // Without the key, Bool on a missing key does not match: allowed.
        assert_eq!(
            outcome(&ws, "alice", "s3:GetObject", &format!("{B1}/k")),
            Outcome::Allow
        );
    }

    /// A `Deny` with `NotPrincipal` always denies a principal with a boundary,
    /// whatever it lists (access_policies_boundaries, "Important").
    #[test]
    fn deny_not_principal_always_denies_principals_with_a_boundary() {
        let policy = doc(json!([
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": format!("{B1}/*")},
            {"Effect": "Deny", "NotPrincipal": {"AWS": format!("arn:aws:iam::{A}:user/alice")},
             "Action": "s3:*", "Resource": format!("{B1}/*")}
        ]));
        let mut boundaried = user(A, "alice", &[]);
        boundaried["PermissionsBoundary"] =
            json!({"PermissionsBoundaryArn": format!("arn:aws:iam::{A}:policy/All")});
        let ws = workspace(vec![
            dump(
                vec![boundaried, user(A, "bob", &[])],
                vec![],
                vec![],
                vec![managed(A, "All", doc(json!([allow("*", "*")])))],
            ),
            resource_policies(json!([{"Arn": B1, "Policy": policy}])),
        ]);
        assert_eq!(
            outcome(&ws, "alice", "s3:GetObject", &format!("{B1}/k")),
            Outcome::ExplicitDeny
        );
        assert_eq!(
            outcome(&ws, "bob", "s3:GetObject", &format!("{B1}/k")),
            Outcome::ExplicitDeny
        );
    }
}

mod boundaries {
    use super::*;

    fn ws(boundary_doc: serde_json::Value, boundary_exists: bool) -> crate::model::Workspace {
        let mut u = user(
            A,
            "dev",
            &[doc(json!([allow("s3:*", "*"), allow("lambda:*", "*")]))],
        );
        u["PermissionsBoundary"] = json!({"PermissionsBoundaryType": "Policy",
            "PermissionsBoundaryArn": format!("arn:aws:iam::{A}:policy/Boundary")});
        let policies = if boundary_exists {
            vec![managed(A, "Boundary", boundary_doc)]
        } else {
            vec![]
        };
        let loaded = crate::workspace::load_sources(
            "t",
            vec![crate::workspace::Source {
                name: "a.json".into(),
                bytes: serde_json::to_vec(&dump(vec![u], vec![], vec![], policies)).unwrap(),
            }],
        );
        loaded.workspace
    }

    #[test]
    fn effective_permissions_are_the_intersection() {
        let ws = ws(doc(json!([allow("s3:*", "*"), allow("ec2:*", "*")])), true);
        assert_eq!(outcome(&ws, "dev", "s3:GetObject", "*"), Outcome::Allow);
        let d = decide(&ws, "dev", "lambda:InvokeFunction", "*", &[]);
        assert_eq!(d.decision, Outcome::ImplicitDeny);
        assert_eq!(d.reasons[0].layer, Layer::Boundary);
        assert!(d
            .aws_message
            .contains("because no permissions boundary allows"));
        // The boundary allows ec2 but no identity policy does: a boundary never grants.
        assert_eq!(
            outcome(&ws, "dev", "ec2:RunInstances", "*"),
            Outcome::ImplicitDeny
        );
    }

    #[test]
    fn a_deny_in_the_boundary_is_explicit() {
        let ws = ws(
            doc(json!([allow("*", "*"), deny("s3:DeleteObject", "*")])),
            true,
        );
        let d = decide(&ws, "dev", "s3:DeleteObject", "*", &[]);
        assert_eq!(d.decision, Outcome::ExplicitDeny);
        assert_eq!(d.reasons[0].layer, Layer::Boundary);
    }

    #[test]
    fn an_unresolved_boundary_allows_nothing() {
        let ws = ws(json!(null), false);
        let d = decide(&ws, "dev", "s3:GetObject", "*", &[]);
        assert_eq!(d.decision, Outcome::ImplicitDeny);
        assert_eq!(d.reasons[0].layer, Layer::Boundary);
        assert!(
            d.reasons[0].message.contains("defined nowhere"),
            "{}",
            d.reasons[0].message
        );
    }
}

mod sessions {
    use super::*;

    fn ws() -> crate::model::Workspace {
        workspace(vec![dump(
            vec![],
            vec![],
            vec![role(
                A,
                "ops",
                trust(json!(A)),
                &[doc(json!([allow("ec2:*", "*"), allow("s3:*", "*")]))],
            )],
            vec![],
        )])
    }

    #[test]
    fn a_session_without_session_policy_has_the_roles_permissions() {
        let ws = ws();
        let d = decide(&ws, "ops", "ec2:StopInstances", "*", &[]);
        assert_eq!(d.decision, Outcome::Allow);
        assert_eq!(
            d.layer(Layer::SessionPolicy).unwrap().status,
            LayerStatus::NotApplicable
        );
        assert_eq!(
            d.principal,
            format!("arn:aws:sts::{A}:assumed-role/ops/iamscope")
        );
    }

    #[test]
    fn a_session_policy_intersects_and_never_widens() {
        let ws = ws();
        let session =
            principal(&ws, "ops").with_session_policies(vec![session_policy(doc(json!([
                allow("ec2:*", "*"),
                allow("iam:*", "*")
            ])))]);
        assert_eq!(
            decide_as(&ws, &session, "ec2:StopInstances", "*", &[]).decision,
            Outcome::Allow
        );
        let s3 = decide_as(&ws, &session, "s3:GetObject", "*", &[]);
        assert_eq!(s3.decision, Outcome::ImplicitDeny);
        assert_eq!(s3.reasons[0].layer, Layer::SessionPolicy);
        assert!(s3.aws_message.contains("because no session policy allows"));
        assert_eq!(
            decide_as(&ws, &session, "iam:CreateUser", "*", &[]).decision,
            Outcome::ImplicitDeny
        );
    }
}

/// `sts:GetCallerIdentity` needs no permission and works under an explicit deny.
#[test]
fn get_caller_identity_is_always_allowed() {
    let ws = workspace(vec![dump(
        vec![user(A, "u", &[doc(json!([deny("*", "*")]))])],
        vec![],
        vec![],
        vec![],
    )]);
    assert_eq!(
        outcome(&ws, "u", "sts:GetCallerIdentity", "*"),
        Outcome::Allow
    );
    assert_eq!(
        outcome(&ws, "u", "s3:ListAllMyBuckets", "*"),
        Outcome::ExplicitDeny
    );
}

/// The root user has every permission in its own account.
#[test]
fn the_root_user_is_allowed_without_policies() {
    let ws = workspace(vec![dump(vec![user(A, "u", &[])], vec![], vec![], vec![])]);
    assert_eq!(
        outcome(
            &ws,
            &format!("arn:aws:iam::{A}:root"),
            "ec2:TerminateInstances",
            "*"
        ),
        Outcome::Allow
    );
}
