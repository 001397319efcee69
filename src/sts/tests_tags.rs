//! Session tags (IAM User Guide, id_session-tags): passing them needs
//! `sts:TagSession` in the role's trust policy (and on the caller's side);
//! the session carries them as `aws:PrincipalTag/*`, overriding the role's
//! own tags of the same key; STS refuses more than 50, or a key twice.

use serde_json::json;

use super::*;
use crate::eval::tests::fixture::*;
use crate::eval::Outcome;
use crate::policy::RequestContext;

const ROLE: &str = "arn:aws:iam::111111111111:role/Builder";

/// `dev` may assume Builder and tag the session; Builder's trust admits
/// `sts:TagSession` only for `team` = blue or red; Builder itself is
/// tagged team=red and may read the bucket of its principal tag's team.
fn workspace_with_tagging(trust_allows_tagging: bool) -> crate::model::Workspace {
    let mut statements = vec![json!({
        "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{A}:root")},
        "Action": "sts:AssumeRole"
    })];
    if trust_allows_tagging {
        statements.push(json!({
            "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{A}:root")},
            "Action": "sts:TagSession",
            "Condition": {"StringEquals": {"aws:RequestTag/team": ["blue", "red"]}}
        }));
    }
    let mut builder = role(
        A,
        "Builder",
        doc(json!(statements)),
        &[doc(json!([allow(
            "s3:GetObject",
            "arn:aws:s3:::team-${aws:PrincipalTag/team}/*"
        )]))],
    );
    builder["Tags"] = json!([{"Key": "team", "Value": "red"}]);
    workspace(vec![dump(
        vec![user(
            A,
            "dev",
            &[doc(json!([
                allow("sts:AssumeRole", ROLE),
                allow("sts:TagSession", ROLE)
            ]))],
        )],
        vec![],
        vec![builder],
        vec![],
    )])
}

fn tagged(tags: &[(&str, &str)]) -> AssumeRequest {
    let mut context = RequestContext::new();
    for (k, v) in tags {
        context.push(&format!("aws:RequestTag/{k}"), *v);
    }
    AssumeRequest {
        role_arn: ROLE.to_string(),
        duration: None,
        session_name: "build".to_string(),
        session_policies: Vec::new(),
        context,
        now_epoch: NOW,
    }
}

fn reads(ws: &crate::model::Workspace, session: &Session, bucket: &str) -> bool {
    let request = crate::eval::Request {
        action: "s3:GetObject".into(),
        resource: format!("arn:aws:s3:::{bucket}/x"),
        context: RequestContext::new(),
        now_epoch: NOW,
    };
    crate::eval::evaluate(ws, &session.principal, &request).decision == Outcome::Allow
}

#[test]
fn without_tags_the_session_has_the_roles_tags() {
    let ws = workspace_with_tagging(true);
    let out = assume_role(&ws, &principal(&ws, "dev"), &tagged(&[])).unwrap();
    let session = out.session.expect("assumed");
    assert!(session.tags.is_empty());
    assert!(reads(&ws, &session, "team-red"));
}

#[test]
fn a_session_tag_overrides_the_roles_tag_of_the_same_key() {
    let ws = workspace_with_tagging(true);
    let out = assume_role(&ws, &principal(&ws, "dev"), &tagged(&[("Team", "blue")])).unwrap();
    let session = out.session.expect("sts:TagSession allowed for team=blue");
    assert_eq!(session.tags, vec![("Team".to_string(), "blue".to_string())]);
    assert!(
        reads(&ws, &session, "team-blue"),
        "aws:PrincipalTag/team is the session tag"
    );
    assert!(
        !reads(&ws, &session, "team-red"),
        "the role's own tag is overridden (keys without case)"
    );
}

#[test]
fn a_tag_the_trust_policy_does_not_admit_is_denied_on_sts_tag_session() {
    let ws = workspace_with_tagging(true);
    let out = assume_role(&ws, &principal(&ws, "dev"), &tagged(&[("team", "green")])).unwrap();
    assert!(out.session.is_none());
    assert_eq!(out.decision.action, "sts:TagSession");
    assert_eq!(out.decision.decision, Outcome::ImplicitDeny);
}

#[test]
fn a_trust_policy_without_tag_session_refuses_any_tag() {
    let ws = workspace_with_tagging(false);
    let dev = principal(&ws, "dev");
    assert!(assume_role(&ws, &dev, &tagged(&[])).unwrap().allowed());
    let out = assume_role(&ws, &dev, &tagged(&[("team", "blue")])).unwrap();
    assert!(!out.allowed());
    assert_eq!(out.decision.action, "sts:TagSession");
}

#[test]
fn sts_refuses_more_than_50_tags_or_a_key_twice() {
    let ws = workspace_with_tagging(true);
    let dev = principal(&ws, "dev");
    let many: Vec<(String, String)> = (0..51)
        .map(|i| (format!("k{i}"), "v".to_string()))
        .collect();
    let many: Vec<(&str, &str)> = many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let out = assume_role(&ws, &dev, &tagged(&many)).unwrap();
    assert!(
        matches!(out.refusal, Some(Refusal::SessionTags(_))),
        "{:?}",
        out.refusal
    );
    let out = assume_role(&ws, &dev, &tagged(&[("team", "blue"), ("TEAM", "red")])).unwrap();
    assert!(
        matches!(out.refusal, Some(Refusal::SessionTags(_))),
        "{:?}",
        out.refusal
    );
}
