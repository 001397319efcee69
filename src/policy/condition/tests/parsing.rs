//! Describing clauses in words, and the errors and warnings of reading a
//! Condition block.

use super::*;

#[test]
fn describe_clauses() {
    let block = clean(json!({
        "Bool": {"aws:MultiFactorAuthPresent": true},
        "IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]},
        "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": "team-*"}
    }));
    let texts: Vec<String> = block
        .clauses
        .iter()
        .map(ConditionClause::describe)
        .collect();
    assert!(
        texts.contains(&"aws:MultiFactorAuthPresent Bool true".to_string()),
        "{texts:?}"
    );
    assert!(texts.contains(&"aws:SourceIp IpAddress 10.0.0.0/8 or 192.168.0.0/16".to_string()));
    assert!(texts.contains(&"aws:TagKeys ForAnyValue:StringLikeIfExists team-*".to_string()));
    let (empty, _) = parse_with(json!({"StringEquals": {"k": []}}), true);
    assert_eq!(empty.clauses[0].describe(), "k StringEquals (no values)");
}

// ---- Parse errors and warnings ----------------------------------

#[test]
fn condition_must_be_an_object() {
    for value in [json!([]), json!("StringEquals"), json!(null), json!(1)] {
        let (block, problems) = parse_with(value, true);
        assert!(block.is_empty());
        assert_eq!(only_error(&problems).path, base());
    }
}

#[test]
fn operator_value_must_be_an_object() {
    let (block, problems) = parse_with(json!({"StringEquals": ["aws:username", "a"]}), true);
    assert!(block.is_empty());
    let e = only_error(&problems);
    assert_eq!(e.path, base().key("StringEquals"));
    assert!(e.message.contains("object of condition keys"));
}

#[test]
fn unknown_operator_drops_its_clauses() {
    let (block, problems) = parse_with(
        json!({"StringEqualz": {"k": "a"}, "StringEquals": {"k": "a"}}),
        true,
    );
    assert_eq!(block.clauses.len(), 1);
    assert_eq!(block.clauses[0].operator.kind, OperatorKind::StringEquals);
    let e = only_error(&problems);
    assert_eq!(e.path, base().key("StringEqualz"));
}

#[test]
fn null_if_exists_is_a_parse_error() {
    let (block, problems) = parse_with(json!({"NullIfExists": {"k": "true"}}), true);
    assert!(block.is_empty());
    assert_eq!(only_error(&problems).path, base().key("NullIfExists"));
}

#[test]
fn object_and_null_values_are_errors() {
    let (block, problems) = parse_with(json!({"StringEquals": {"aws:username": {"a": 1}}}), true);
    assert_eq!(
        only_error(&problems).path,
        base().key("StringEquals").key("aws:username")
    );
    assert!(block.clauses[0].values.is_empty());

    let (_, problems) = parse_with(json!({"StringEquals": {"aws:username": null}}), true);
    assert_eq!(
        only_error(&problems).path,
        base().key("StringEquals").key("aws:username")
    );

    let (block, problems) = parse_with(
        json!({"StringEquals": {"aws:username": ["a", null, ["b"]]}}),
        true,
    );
    let paths: Vec<JsonPath> = problems.iter().map(|p| p.path.clone()).collect();
    let key = base().key("StringEquals").key("aws:username");
    assert_eq!(paths, [key.index(1), key.index(2)]);
    assert!(problems.iter().all(|p| p.severity == Severity::Error));
    let kept: Vec<&str> = block.clauses[0].values.iter().map(Template::raw).collect();
    assert_eq!(kept, ["a"], "only the bad values are dropped");
}

fn assert_bad_value(op: &str, values: Value, bad_index: Option<usize>) {
    let (block, problems) = parse_with(json!({ op: { "k": values } }), true);
    let key = base().key(op).key("k");
    let expected = match bad_index {
        Some(i) => key.index(i),
        None => key,
    };
    let e = only_error(&problems);
    assert_eq!(e.path, expected, "{op}");
    assert!(e.message.contains(op), "{op}: {}", e.message);
    assert_eq!(block.clauses.len(), 1, "{op}: the clause is kept");
}

#[test]
fn numeric_value_must_be_a_number() {
    assert_bad_value("NumericLessThan", json!("ten"), None);
    assert_bad_value("NumericEquals", json!([1, "x"]), Some(1));
    assert_bad_value("NumericGreaterThanIfExists", json!(true), None);
}

#[test]
fn date_value_must_parse() {
    assert_bad_value("DateLessThan", json!("2023-02-30T00:00:00Z"), None);
    assert_bad_value(
        "DateGreaterThan",
        json!(["2023-01-01", "tomorrow"]),
        Some(1),
    );
    assert_bad_value("DateEquals", json!(1.5), None);
}

#[test]
fn bool_value_must_be_true_or_false() {
    assert_bad_value("Bool", json!("yes"), None);
    assert_bad_value("Bool", json!([true, 1]), Some(1));
    let (_, problems) = parse_with(json!({"Bool": {"k": ["TRUE", "False", false]}}), true);
    assert!(problems.is_empty());
}

#[test]
fn ip_value_must_be_an_address_or_cidr() {
    assert_bad_value("IpAddress", json!("10.0.0.0/33"), None);
    assert_bad_value("NotIpAddress", json!(["10.0.0.0/8", "10.0.0"]), Some(1));
    assert_bad_value("IpAddress", json!("example.com"), None);
    assert_bad_value("IpAddress", json!("2001:db8::/129"), None);
}

#[test]
fn binary_value_must_be_base64() {
    assert_bad_value("BinaryEquals", json!("not base64!"), None);
    assert_bad_value("BinaryEquals", json!(["QQ==", "Q"]), Some(1));
}

#[test]
fn null_value_must_be_true_or_false() {
    assert_bad_value("Null", json!("maybe"), None);
    assert_bad_value("Null", json!([true, 0]), Some(1));
}

#[test]
fn empty_value_list_warns() {
    let (block, problems) = parse_with(json!({"StringEquals": {"k": []}}), true);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].severity, Severity::Warning);
    assert_eq!(problems[0].path, base().key("StringEquals").key("k"));
    let c = ctx(&[("k", &["a"])]);
    assert!(!block.evaluate(&c), "positive: no value can match");
    let (negated, _) = parse_with(json!({"StringNotEquals": {"k": []}}), true);
    assert!(negated.evaluate(&c), "negated: no value matches");
}

#[test]
fn empty_key_warns() {
    let (block, problems) = parse_with(json!({"StringEquals": {"": "a"}}), true);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].severity, Severity::Warning);
    assert_eq!(problems[0].path, base().key("StringEquals").key(""));
    assert_eq!(block.clauses.len(), 1);
}

#[test]
fn operator_without_keys_warns() {
    let (block, problems) = parse_with(json!({"StringEquals": {}}), true);
    assert!(block.is_empty());
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].severity, Severity::Warning);
}

#[test]
fn valid_values_of_every_family_parse_cleanly() {
    let block = clean(json!({
        "StringLike": {"a": ["x*", 1, true]},
        "NumericLessThanEquals": {"b": ["1", 2.5, "-3", "1e3"]},
        "DateGreaterThan": {"c": ["2023-03-09", "2023-03-09T10:41:45Z", 1678358505]},
        "Bool": {"d": ["true", false]},
        "BinaryEquals": {"e": "QmluYXJ5VmFsdWU="},
        "IpAddress": {"f": ["10.0.0.0/8", "10.0.0.1", "::1", "2001:db8::/32"]},
        "ArnLike": {"g": ["arn:aws:s3:::b/*", "arn:aws:iam::${aws:PrincipalAccount}:role/x"]},
        "Null": {"h": "true"}
    }));
    assert_eq!(block.clauses.len(), 8);
    // Clauses keep the document's order (serde_json's `preserve_order`), so
    // explanations name conditions in the order the policy writes them.
    let counts: Vec<(&str, usize)> = block
        .clauses
        .iter()
        .map(|c| (c.key.as_str(), c.values.len()))
        .collect();
    assert_eq!(
        counts,
        [
            ("a", 3),
            ("b", 4),
            ("c", 3),
            ("d", 2),
            ("e", 1),
            ("f", 4),
            ("g", 2),
            ("h", 1)
        ]
    );
}

#[test]
fn templates_substitute_only_for_string_and_arn_operators() {
    let block = clean(json!({
        "StringEquals": {"a": "${aws:username}"},
        "ArnLike": {"b": "arn:aws:iam::1:user/${aws:username}"},
    }));
    assert!(block.clauses.iter().all(|c| c.values[0].has_variables()));
    let (old, _) = parse_with(json!({"StringEquals": {"a": "${aws:username}"}}), false);
    assert!(!old.clauses[0].values[0].has_variables());
}
