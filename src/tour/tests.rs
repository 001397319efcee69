//! Tours: parsing, problems with their place, and plans resolved against the
//! workshop (playing them is the UI's, tested in `tests/tui*.rs`).

use super::*;

fn workshop() -> crate::model::Workspace {
    crate::bundled::workshop::load().workspace
}

fn tour(steps: &str) -> Tour {
    parse(
        "t.json",
        &format!("{{\n  \"title\": \"t\",\n  \"steps\": [\n    {steps}\n  ]\n}}"),
    )
    .unwrap_or_else(|d| panic!("{d}"))
}

fn plan_error(steps: &str) -> TourError {
    plan(&tour(steps), &workshop()).expect_err("the plan is refused")
}

#[test]
fn the_workshop_tours_resolve() {
    let ws = workshop();
    let tours = workshop_tours();
    assert_eq!(tours.len(), 5);
    for tour in &tours {
        let steps = plan(tour, &ws).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(steps.len(), tour.steps.len());
    }
}

#[test]
fn each_step_carries_the_subject_selected_before_it() {
    let steps = plan(
        &tour(
            r#"{"do": "select-user", "name": "dave", "text": "a"},
    {"do": "select-role", "name": "Auditor", "text": "b"},
    {"do": "why", "action": "s3:GetObject", "text": "c"}"#,
        ),
        &workshop(),
    )
    .expect("plan");
    let subjects: Vec<Option<&str>> = steps
        .iter()
        .map(|s| s.subject.as_ref().map(|n| n.name.as_str()))
        .collect();
    assert_eq!(subjects, vec![None, Some("dave"), Some("Auditor")]);
    assert_eq!(steps[1].subject.as_ref().map(|n| n.kind), Some(Kind::User));
}

/// STS refuses a DurationSeconds above the role's MaxSessionDuration (or
/// below 900); a tour asking for one is wrong, not shortened.
#[test]
fn a_duration_sts_would_refuse_is_an_error_not_clamped() {
    // EC2Terminator allows one hour.
    let e = plan_error(
        r#"{"do": "switch-role", "role": "EC2Terminator", "duration": 7200, "text": "?"}"#,
    );
    assert_eq!(e.step, 1);
    assert!(e.message.contains("7200"), "{}", e.message);
    assert!(e.message.contains("STS refuses"), "{}", e.message);
    let e = plan_error(
        r#"{"do": "switch-role", "role": "EC2Terminator", "duration": 60, "text": "?"}"#,
    );
    assert!(e.message.contains("outside"), "{}", e.message);
}

#[test]
fn a_bad_advance_clock_step_is_an_error() {
    for step in [
        r#"{"do": "advance-clock", "text": "?"}"#,
        r#"{"do": "advance-clock", "seconds": 0, "text": "?"}"#,
        r#"{"do": "advance-clock", "seconds": -5, "text": "?"}"#,
        r#"{"do": "advance-clock", "seconds": 60, "until_expiry": true, "text": "?"}"#,
    ] {
        let e = plan_error(step);
        assert!(
            e.message.contains("advance-clock takes"),
            "{step}: {}",
            e.message
        );
    }
}

#[test]
fn names_must_exist_and_policies_belong_to_the_subject() {
    assert!(
        plan_error(r#"{"do": "select-user", "name": "zed", "text": "?"}"#)
            .message
            .contains("no user named \"zed\"")
    );
    assert!(
        plan_error(r#"{"do": "open-policy", "policy": "x", "text": "?"}"#)
            .message
            .contains("needs a selected")
    );
    let e = plan_error(
        r#"{"do": "select-role", "name": "Auditor", "text": "?"}, {"do": "open-policy", "policy": "Nope", "text": "?"}"#,
    );
    assert_eq!(e.step, 2);
    assert!(e.message.contains("no policy named"), "{}", e.message);
}

#[test]
fn an_ambiguous_name_is_an_error() {
    let mut ws = workshop();
    let mut twin = ws.accounts[0].users[0].clone();
    let name = twin.name.clone();
    twin.arn = format!("arn:aws:iam::{}:user/{name}", ws.accounts[1].id);
    ws.accounts[1].users.push(twin);
    let e = plan(
        &tour(&format!(
            r#"{{"do": "select-user", "name": "{name}", "text": "?"}}"#
        )),
        &ws,
    )
    .expect_err("ambiguous");
    assert!(e.message.contains("2 users are named"), "{}", e.message);
}

#[test]
fn a_plan_error_points_at_its_step_in_the_file() {
    let t = tour(
        r#"{"do": "say", "text": "a"},
    {"do": "select-user", "name": "zed", "text": "b"}"#,
    );
    let e = plan(&t, &workshop()).expect_err("zed");
    let d = e.diagnostic(&t);
    assert_eq!(d.position.map(|p| (p.line, p.column)), Some((5, 5)));
    assert!(d.message.contains("step 2"), "{}", d.message);
}

#[test]
fn malformed_tours_get_clear_errors() {
    let bad_json = parse("a.json", "{\"title\": \"x\", \"steps\": [").unwrap_err();
    assert_eq!(bad_json.file, "a.json");
    assert!(bad_json.position.is_some());
    let unknown_action = parse(
        "b.json",
        r#"{"title": "x", "steps": [{"do": "dance", "text": "?"}]}"#,
    )
    .unwrap_err();
    assert!(
        unknown_action.message.contains("dance"),
        "{}",
        unknown_action.message
    );
    let missing_text = parse("c.json", r#"{"title": "x", "steps": [{"do": "say"}]}"#).unwrap_err();
    assert!(
        missing_text.message.contains("text"),
        "{}",
        missing_text.message
    );
    let empty = parse("d.json", r#"{"title": "x", "steps": []}"#).unwrap_err();
    assert_eq!(empty.message, "a tour needs at least one step");
    let unknown_field = parse(
        "e.json",
        r#"{"title": "x", "steps": [{"do": "select-user", "nam": "bob", "text": "?"}]}"#,
    )
    .unwrap_err();
    assert!(
        unknown_field.message.contains("nam"),
        "{}",
        unknown_field.message
    );
}

/// Escalation steps speak of the selected user or role: a group does not
/// act by itself, and a path's steps count from 1.
#[test]
fn escalation_steps_need_a_user_or_role_and_count_from_one() {
    let e = plan_error(r#"{"do": "open-escalation", "text": "?"}"#);
    assert!(
        e.message.contains("needs a selected user or role"),
        "{}",
        e.message
    );
    let e = plan_error(
        r#"{"do": "select-group", "name": "Developers", "text": "?"}, {"do": "why-escalation-step", "step": 1, "text": "?"}"#,
    );
    assert_eq!(e.step, 2);
    assert!(e.message.contains("the group Developers"), "{}", e.message);
    let e = plan_error(
        r#"{"do": "select-user", "name": "erin", "text": "?"}, {"do": "why-escalation-step", "step": 0, "text": "?"}"#,
    );
    assert!(e.message.contains("from 1"), "{}", e.message);
    let steps = plan(
        &tour(
            r#"{"do": "select-user", "name": "erin", "text": "?"}, {"do": "open-escalation", "expect": "yes", "text": "?"}, {"do": "why-escalation-step", "step": 1, "expect": "allowed", "text": "?"}"#,
        ),
        &workshop(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let Cue::OpenEscalation { of, expect } = &steps[1].cue else {
        panic!("{:?}", steps[1].cue);
    };
    assert_eq!(of.arn, "arn:aws:iam::111111111111:user/erin");
    assert_eq!(*expect, Some(EscalationExpectation::Yes));
    assert!(matches!(
        steps[2].cue,
        Cue::WhyEscalationStep {
            step: 1,
            expect: Some(Expectation::Allowed),
            ..
        }
    ));
    // An expectation tours cannot write is refused when the file is read.
    assert!(parse(
        "t.json",
        r#"{"title": "t", "steps": [{"do": "open-escalation", "expect": "maybe", "text": "?"}]}"#
    )
    .is_err());
}

/// A what-if step resolves to the change it makes: a policy found on a
/// user's group is detached from the group; statements count from 1.
#[test]
fn what_if_steps_resolve_to_changes() {
    use crate::what_if::Change;
    let steps = plan(
        &tour(
            r#"{"do": "select-user", "name": "alice", "text": "a"},
    {"do": "what-if", "change": "detach-policy", "policy": "DenySharedDataDelete", "text": "b"},
    {"do": "what-if", "change": "disable-statement", "policy": "DevelopersDaily", "statement": 2, "text": "c"},
    {"do": "undo-what-if", "text": "d"},
    {"do": "select-user", "name": "bob", "text": "e"},
    {"do": "what-if", "change": "drop-boundary", "text": "f"},
    {"do": "what-if", "change": "disable-scp", "scp": "DenyLeaveOrganization", "text": "g"}"#,
        ),
        &workshop(),
    )
    .expect("plan");
    let group = "arn:aws:iam::111111111111:group/Developers".to_string();
    assert_eq!(
        steps[1].cue,
        Cue::WhatIf(Change::DetachPolicy {
            entity: group.clone(),
            policy: "DenySharedDataDelete".to_string(),
        })
    );
    assert_eq!(
        steps[2].cue,
        Cue::WhatIf(Change::DisableStatement {
            entity: group,
            policy: "DevelopersDaily".to_string(),
            index: 1,
        })
    );
    assert_eq!(steps[3].cue, Cue::UndoWhatIf);
    assert_eq!(
        steps[5].cue,
        Cue::WhatIf(Change::DropBoundary {
            entity: "arn:aws:iam::111111111111:user/bob".to_string(),
        })
    );
    assert_eq!(
        steps[6].cue,
        Cue::WhatIf(Change::DisableScp {
            name: "DenyLeaveOrganization".to_string(),
        })
    );
}

/// A what-if step that names what is not there, or lacks what it needs, is
/// refused at its step, before anything plays.
#[test]
fn what_if_steps_that_cannot_be_made_are_refused() {
    for (steps, says) in [
        (
            r#"{"do": "what-if", "change": "drop-boundary", "text": "?"}"#,
            "needs a selected user",
        ),
        (
            r#"{"do": "select-user", "name": "alice", "text": "a"},
    {"do": "what-if", "change": "drop-boundary", "text": "?"}"#,
            "has no permissions boundary",
        ),
        (
            r#"{"do": "select-user", "name": "alice", "text": "a"},
    {"do": "what-if", "change": "detach-policy", "policy": "Nope", "text": "?"}"#,
            "no policy named \"Nope\"",
        ),
        (
            r#"{"do": "select-user", "name": "alice", "text": "a"},
    {"do": "what-if", "change": "disable-statement", "policy": "DevelopersDaily", "statement": 0, "text": "?"}"#,
            "its number, from 1",
        ),
        (
            r#"{"do": "what-if", "change": "disable-scp", "scp": "Nope", "text": "?"}"#,
            "no SCP named \"Nope\"",
        ),
    ] {
        let e = plan_error(steps);
        assert!(e.message.contains(says), "{}: {}", says, e.message);
    }
}
