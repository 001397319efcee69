//! Tours: parsing, problems with their place, and the workshop tours played
//! on the engine with every expectation holding.

use super::*;

const NOW: i64 = 1_767_260_400;

fn workshop() -> crate::model::Workspace {
    crate::bundled::workshop::load().workspace
}

#[test]
fn the_workshop_tours_play_on_the_engine() {
    let ws = workshop();
    let tours = workshop_tours();
    assert_eq!(tours.len(), 3);
    for tour in &tours {
        let outcomes = play(&ws, tour, NOW).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(outcomes.len(), tour.steps.len());
        assert!(check(&ws, tour, NOW).is_none());
    }
}

#[test]
fn a_broken_expectation_names_the_step_and_its_line() {
    let text = r#"{
  "title": "t",
  "steps": [
    {"do": "select-user", "name": "bob", "text": "bob"},
    {"do": "switch-role", "role": "EC2Terminator", "expect": "allowed", "text": "wrong on purpose"}
  ]
}"#;
    let tour = parse("t.json", text).unwrap();
    let d = check(&workshop(), &tour, NOW).expect("fails");
    assert_eq!(d.position.map(|p| (p.line, p.column)), Some((5, 5)));
    assert!(d.message.contains("step 2"), "{}", d.message);
    assert!(
        d.message
            .contains("expected switching to EC2Terminator to be Allowed"),
        "{}",
        d.message
    );
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

#[test]
fn steps_that_cannot_run_are_reported() {
    let ws = workshop();
    let run = |steps: &str| {
        let tour = parse(
            "t.json",
            &format!(r#"{{"title": "t", "steps": [{steps}]}}"#),
        )
        .unwrap();
        play(&ws, &tour, NOW).unwrap_err().message
    };
    assert!(run(r#"{"do": "select-user", "name": "zed", "text": "?"}"#)
        .contains("no user named \"zed\""));
    assert!(run(r#"{"do": "end-session", "text": "?"}"#).contains("no session"));
    assert!(
        run(r#"{"do": "advance-clock", "until_expiry": true, "text": "?"}"#)
            .contains("needs a session")
    );
    assert!(
        run(r#"{"do": "open-policy", "policy": "x", "text": "?"}"#).contains("needs a selected")
    );
    assert!(run(r#"{"do": "select-role", "name": "Auditor", "text": "?"}, {"do": "open-policy", "policy": "Nope", "text": "?"}"#).contains("no policy named"));
}
