//! Conditions and policy variables through the whole engine, with the keys
//! the tool derives from the request (IAM User Guide, "Policy variables" and
//! "Global condition context keys").

use serde_json::json;

use super::fixture::*;
use crate::eval::Outcome;

fn home_ws(version: &str) -> crate::model::Workspace {
    let policy = json!({"Version": version, "Statement": [
        allow("s3:*", "arn:aws:s3:::home/${aws:username}/*")
    ]});
    workspace(vec![dump(
        vec![
            user(A, "alice", std::slice::from_ref(&policy)),
            user(A, "bob", std::slice::from_ref(&policy)),
        ],
        vec![],
        vec![role(A, "r", trust(json!(A)), &[policy])],
        vec![],
    )])
}

#[test]
fn username_variable_scopes_each_user_to_their_home() {
    let ws = home_ws("2012-10-17");
    assert_eq!(
        outcome(
            &ws,
            "alice",
            "s3:GetObject",
            "arn:aws:s3:::home/alice/notes.txt"
        ),
        Outcome::Allow
    );
    assert_eq!(
        outcome(
            &ws,
            "alice",
            "s3:GetObject",
            "arn:aws:s3:::home/bob/notes.txt"
        ),
        Outcome::ImplicitDeny
    );
    assert_eq!(
        outcome(
            &ws,
            "bob",
            "s3:GetObject",
            "arn:aws:s3:::home/bob/notes.txt"
        ),
        Outcome::Allow
    );
}

/// `aws:username` is absent for role sessions, so the resource matches nothing.
#[test]
fn username_is_absent_for_roles() {
    let ws = home_ws("2012-10-17");
    assert_eq!(
        outcome(&ws, "r", "s3:GetObject", "arn:aws:s3:::home/r/x"),
        Outcome::ImplicitDeny
    );
    assert_eq!(
        outcome(&ws, "r", "s3:GetObject", "arn:aws:s3:::home/iamscope/x"),
        Outcome::ImplicitDeny
    );
}

/// Under 2008-10-17 the text `${aws:username}` is literal.
#[test]
fn version_2008_does_not_substitute() {
    let ws = home_ws("2008-10-17");
    assert_eq!(
        outcome(
            &ws,
            "alice",
            "s3:GetObject",
            "arn:aws:s3:::home/alice/notes.txt"
        ),
        Outcome::ImplicitDeny
    );
    assert_eq!(
        outcome(
            &ws,
            "alice",
            "s3:GetObject",
            "arn:aws:s3:::home/${aws:username}/x"
        ),
        Outcome::Allow
    );
}

#[test]
fn principal_tags_and_defaults() {
    let policy = doc(json!([
        allow("s3:GetObject", "arn:aws:s3:::team-${aws:PrincipalTag/team, 'shared'}/*"),
        {"Effect": "Allow", "Action": "ec2:StopInstances", "Resource": "*",
         "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}}
    ]));
    let mut tagged = user(A, "tagged", std::slice::from_ref(&policy));
    tagged["Tags"] = json!([{"Key": "team", "Value": "blue"}]);
    let ws = workspace(vec![dump(
        vec![tagged, user(A, "untagged", &[policy])],
        vec![],
        vec![],
        vec![],
    )]);
    assert_eq!(
        outcome(&ws, "tagged", "s3:GetObject", "arn:aws:s3:::team-blue/x"),
        Outcome::Allow
    );
    assert_eq!(
        outcome(
            &ws,
            "untagged",
            "s3:GetObject",
            "arn:aws:s3:::team-shared/x"
        ),
        Outcome::Allow
    );
    assert_eq!(
        outcome(&ws, "untagged", "s3:GetObject", "arn:aws:s3:::team-blue/x"),
        Outcome::ImplicitDeny
    );
    let stop = |who: &str, team: &str| {
        decide(
            &ws,
            who,
            "ec2:StopInstances",
            "*",
            &[("aws:ResourceTag/team", team)],
        )
        .decision
    };
    assert_eq!(stop("tagged", "blue"), Outcome::Allow);
    assert_eq!(stop("tagged", "red"), Outcome::ImplicitDeny);
    // Absent variable in a positive operator: no match.
    assert_eq!(stop("untagged", "blue"), Outcome::ImplicitDeny);
}

/// `aws:MultiFactorAuthPresent` is absent for long-term keys: a Deny with
/// `Bool false` does not catch them, `BoolIfExists false` does (condition keys page).
#[test]
fn mfa_deny_needs_if_exists_to_catch_access_keys() {
    let plain = doc(json!([allow("*", "*"),
        {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]));
    let if_exists = doc(json!([allow("*", "*"),
        {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]));
    let ws = workspace(vec![dump(
        vec![user(A, "plain", &[plain]), user(A, "strict", &[if_exists])],
        vec![],
        vec![],
        vec![],
    )]);
    assert_eq!(
        outcome(&ws, "plain", "s3:ListAllMyBuckets", "*"),
        Outcome::Allow
    );
    assert_eq!(
        outcome(&ws, "strict", "s3:ListAllMyBuckets", "*"),
        Outcome::ExplicitDeny
    );
    let with_mfa = [("aws:MultiFactorAuthPresent", "true")];
    assert_eq!(
        decide(&ws, "strict", "s3:ListAllMyBuckets", "*", &with_mfa).decision,
        Outcome::Allow
    );
}

/// `aws:CurrentTime` comes from the request time unless given.
#[test]
fn current_time_is_derived_from_now() {
    let policy = doc(
        json!([{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
        "Condition": {"DateLessThan": {"aws:CurrentTime": "2026-06-30T00:00:00Z"}}}]),
    );
    let ws = workspace(vec![dump(
        vec![user(A, "temp", &[policy])],
        vec![],
        vec![],
        vec![],
    )]);
    // NOW is 2026-01-01.
    assert_eq!(outcome(&ws, "temp", "s3:GetObject", "*"), Outcome::Allow);
    let later = [("aws:CurrentTime", "2026-07-01T00:00:00Z")];
    assert_eq!(
        decide(&ws, "temp", "s3:GetObject", "*", &later).decision,
        Outcome::ImplicitDeny
    );
}

/// Derived keys: aws:PrincipalArn is the role ARN with its path; the session ARN has none.
#[test]
fn session_identity_keys() {
    let policy = doc(
        json!([{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {
            "ArnEquals": {"aws:PrincipalArn": format!("arn:aws:iam::{A}:role/team/deployer")},
            "StringEquals": {"aws:PrincipalType": "AssumedRole", "aws:PrincipalAccount": A},
            "StringLike": {"aws:userid": "AROADEPLOYER:*"},
            "Null": {"aws:username": "true"}
        }}]),
    );
    let mut r = role(A, "deployer", trust(json!(A)), &[policy]);
    r["Path"] = json!("/team/");
    r["Arn"] = json!(format!("arn:aws:iam::{A}:role/team/deployer"));
    let ws = workspace(vec![dump(vec![], vec![], vec![r], vec![])]);
    let d = decide(&ws, "deployer", "s3:GetObject", "*", &[]);
    assert_eq!(d.decision, Outcome::Allow, "{d:#?}");
    assert_eq!(
        d.principal,
        format!("arn:aws:sts::{A}:assumed-role/deployer/iamscope")
    );
}

/// AWS's "Revoke active sessions" policy: Deny everything to sessions issued before a time.
#[test]
fn revoke_older_sessions_policy() {
    let revoke = doc(json!([{"Effect": "Deny", "Action": "*", "Resource": "*",
        "Condition": {"DateLessThan": {"aws:TokenIssueTime": "2026-01-01T00:00:00Z"}}}]));
    let ws = workspace(vec![dump(
        vec![],
        vec![],
        vec![role(
            A,
            "r",
            trust(json!(A)),
            &[doc(json!([allow("*", "*")])), revoke],
        )],
        vec![],
    )]);
    let old = [("aws:TokenIssueTime", "2025-12-31T23:00:00Z")];
    let fresh = [("aws:TokenIssueTime", "2026-01-01T00:00:01Z")];
    assert_eq!(
        decide(&ws, "r", "s3:GetObject", "*", &old).decision,
        Outcome::ExplicitDeny
    );
    assert_eq!(
        decide(&ws, "r", "s3:GetObject", "*", &fresh).decision,
        Outcome::Allow
    );
}

/// Several values for one key from --context make a multi-valued key.
#[test]
fn multi_valued_keys_with_set_qualifiers() {
    let policy = doc(
        json!([{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
        "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "owner"]}, "Null": {"aws:TagKeys": "false"}}}]),
    );
    let ws = workspace(vec![dump(
        vec![user(A, "u", &[policy])],
        vec![],
        vec![],
        vec![],
    )]);
    let tags = |keys: &[&'static str]| -> Vec<(&'static str, &'static str)> {
        keys.iter().map(|k| ("aws:TagKeys", *k)).collect()
    };
    assert_eq!(
        decide(&ws, "u", "ec2:CreateTags", "*", &tags(&["env"])).decision,
        Outcome::Allow
    );
    assert_eq!(
        decide(&ws, "u", "ec2:CreateTags", "*", &tags(&["env", "owner"])).decision,
        Outcome::Allow
    );
    assert_eq!(
        decide(&ws, "u", "ec2:CreateTags", "*", &tags(&["env", "cost"])).decision,
        Outcome::ImplicitDeny
    );
    // The Null guard stops ForAllValues from granting on an empty set.
    assert_eq!(
        decide(&ws, "u", "ec2:CreateTags", "*", &[]).decision,
        Outcome::ImplicitDeny
    );
}

/// KMS key policies must allow explicitly, like trust policies.
#[test]
fn kms_key_policy_must_allow() {
    let key = format!("arn:aws:kms:eu-west-1:{A}:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    let other_key = format!("arn:aws:kms:eu-west-1:{A}:key/ffff");
    let ws = workspace(vec![
        dump(
            vec![user(A, "u", &[doc(json!([allow("kms:Decrypt", "*")]))])],
            vec![],
            vec![],
            vec![],
        ),
        resource_policies(json!([{"Arn": key, "Policy": doc(json!([
            {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{A}:root")},
             "Action": "kms:*", "Resource": "*"}
        ]))}])),
    ]);
    assert_eq!(outcome(&ws, "u", "kms:Decrypt", &key), Outcome::Allow);
    assert_eq!(
        outcome(&ws, "u", "kms:Decrypt", &other_key),
        Outcome::ImplicitDeny
    );
}

/// The keys derived from a principal are read from its fields: each key
/// answers, in any case, the value its entry lists, and nothing else answers.
#[test]
fn derived_keys_answer_what_their_entries_list() {
    use crate::policy::ContextKeys;
    let mut tagged = user(A, "alice", &[]);
    tagged["Tags"] = json!([
        {"Key": "Team", "Value": "blue"},
        {"Key": "team", "Value": "shadowed"},
        {"Key": "cost-center", "Value": "42"}
    ]);
    let ws = workspace(vec![dump(
        vec![tagged],
        vec![],
        vec![role(A, "r", trust(json!(A)), &[])],
        vec![],
    )]);
    let alice = principal(&ws, "alice");
    let session = principal(&ws, &format!("arn:aws:sts::{A}:assumed-role/r/demo"));
    let root = principal(&ws, A);
    for (who, expected) in [
        (
            &alice,
            vec![
                ("aws:username", "alice".to_string()),
                ("aws:userid", "AIDAALICE".to_string()),
                ("aws:PrincipalArn", format!("arn:aws:iam::{A}:user/alice")),
                ("aws:PrincipalType", "User".to_string()),
                ("aws:PrincipalAccount", A.to_string()),
                ("aws:PrincipalTag/Team", "blue".to_string()),
                ("aws:PrincipalTag/cost-center", "42".to_string()),
            ],
        ),
        (
            &session,
            vec![
                ("aws:userid", "AROAR:demo".to_string()),
                ("aws:PrincipalArn", format!("arn:aws:iam::{A}:role/r")),
                ("aws:PrincipalType", "AssumedRole".to_string()),
                ("aws:PrincipalAccount", A.to_string()),
            ],
        ),
        (
            &root,
            vec![
                ("aws:userid", A.to_string()),
                ("aws:PrincipalArn", format!("arn:aws:iam::{A}:root")),
                ("aws:PrincipalType", "Account".to_string()),
                ("aws:PrincipalAccount", A.to_string()),
            ],
        ),
    ] {
        let keys = who.derived_keys();
        for (key, value) in &expected {
            assert_eq!(
                keys.single(key),
                Some(value.as_str()),
                "{key} of {}",
                who.arn
            );
            assert_eq!(
                keys.single(&key.to_ascii_uppercase()),
                Some(value.as_str()),
                "{key} in upper case"
            );
        }
        for (key, value) in keys.entries() {
            // "team" is shadowed by "Team": the first tag of a key wins.
            if key != "aws:PrincipalTag/team" {
                assert_eq!(keys.single(&key), Some(value.as_str()), "entry {key}");
            }
        }
        assert_eq!(keys.get("aws:SourceIp"), None);
        assert_eq!(keys.get("aws:PrincipalTag/"), None);
        assert_eq!(keys.get("aws:PrincipalTag/missing"), None);
    }
    assert_eq!(
        session.derived_keys().get("aws:username"),
        None,
        "sessions have no username"
    );
}

/// The reason a missing allow gives names the statement that would have
/// allowed but for its condition: by its Sid, or by its position when the Sid
/// is empty (never `Sid ""`).
#[test]
fn a_near_miss_with_an_empty_sid_is_named_by_its_position() {
    let policy = json!({"Version": "2012-10-17", "Statement": [{
        "Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]});
    let ws = workspace(vec![dump(
        vec![user(A, "alice", &[policy])],
        vec![],
        vec![],
        vec![],
    )]);
    let d = decide(&ws, "alice", "s3:GetObject", "arn:aws:s3:::b/k", &[]);
    assert_eq!(d.decision, Outcome::ImplicitDeny);
    let message = &d.reasons[0].message;
    assert!(
        message.contains("(statement #1) would allow it if"),
        "{message}"
    );
    assert!(!message.contains("Sid \"\""), "{message}");
}
