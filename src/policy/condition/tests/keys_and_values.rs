//! Null, missing keys, several values and clauses, and multivalued keys with
//! the `ForAllValues` / `ForAnyValue` qualifiers.

use super::*;

#[test]
fn null_tests_presence() {
    let absent = ctx(&[]);
    let present = ctx(&[("aws:TokenIssueTime", &["2023-03-09T10:41:45Z"])]);
    let empty = ctx(&[("aws:TokenIssueTime", &[])]);
    let t = json!({"Null": {"aws:TokenIssueTime": "true"}});
    let f = json!({"Null": {"aws:TokenIssueTime": "false"}});
    assert!(holds(t.clone(), &absent));
    assert!(!holds(t.clone(), &present));
    assert!(!holds(t, &empty), "an empty list counts as present");
    assert!(!holds(f.clone(), &absent));
    assert!(holds(f.clone(), &present));
    assert!(holds(f, &empty));
}

#[test]
fn null_values_are_ored_and_take_json_booleans() {
    let both = json!({"Null": {"k": [true, "FALSE"]}});
    assert!(holds(both.clone(), &ctx(&[])));
    assert!(holds(both, &ctx(&[("k", &["v"])])));
    assert!(holds(json!({"Null": {"K": true}}), &ctx(&[])));
}

#[test]
fn null_ignores_set_qualifiers_with_a_warning() {
    let (block, problems) = parse_with(json!({"ForAnyValue:Null": {"k": "true"}}), true);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].severity, Severity::Warning);
    assert_eq!(problems[0].path, base().key("ForAnyValue:Null"));
    assert!(block.evaluate(&ctx(&[])));
    assert!(!block.evaluate(&ctx(&[("k", &["v"])])));
}

// ---- Missing keys ----------------------------------------------------

#[test]
fn missing_key_fails_positive_operators() {
    let empty = ctx(&[]);
    for (op, v) in [
        ("StringEquals", json!("a")),
        ("StringEqualsIgnoreCase", json!("a")),
        ("StringLike", json!("*")),
        ("NumericEquals", json!(1)),
        ("NumericLessThan", json!(1)),
        ("NumericLessThanEquals", json!(1)),
        ("NumericGreaterThan", json!(1)),
        ("NumericGreaterThanEquals", json!(1)),
        ("DateEquals", json!("2023-01-01")),
        ("DateLessThan", json!("2023-01-01")),
        ("DateLessThanEquals", json!("2023-01-01")),
        ("DateGreaterThan", json!("2023-01-01")),
        ("DateGreaterThanEquals", json!("2023-01-01")),
        ("Bool", json!(false)),
        ("BinaryEquals", json!("AA==")),
        ("IpAddress", json!("0.0.0.0/0")),
        ("ArnEquals", json!("arn:*:*:*:*:*")),
        ("ArnLike", json!("arn:*:*:*:*:*")),
    ] {
        assert!(!holds(json!({ op: { "k": v.clone() } }), &empty), "{op}");
        let if_exists = format!("{op}IfExists");
        assert!(
            holds(json!({ if_exists.clone(): { "k": v } }), &empty),
            "{if_exists}"
        );
    }
}

#[test]
fn missing_key_satisfies_negated_operators() {
    let empty = ctx(&[]);
    for (op, v) in [
        ("StringNotEquals", json!("a")),
        ("StringNotEqualsIgnoreCase", json!("a")),
        ("StringNotLike", json!("*")),
        ("NumericNotEquals", json!(1)),
        ("DateNotEquals", json!("2023-01-01")),
        ("NotIpAddress", json!("0.0.0.0/0")),
        ("ArnNotEquals", json!("arn:*:*:*:*:*")),
        ("ArnNotLike", json!("arn:*:*:*:*:*")),
    ] {
        assert!(holds(json!({ op: { "k": v.clone() } }), &empty), "{op}");
        let if_exists = format!("{op}IfExists");
        assert!(
            holds(json!({ if_exists.clone(): { "k": v } }), &empty),
            "{if_exists}"
        );
    }
}

#[test]
fn if_exists_still_tests_a_present_key() {
    assert!(!check("StringEqualsIfExists", "k", json!("a"), &["b"]));
    assert!(check("StringEqualsIfExists", "k", json!("a"), &["a"]));
    assert!(!check("StringNotEqualsIfExists", "k", json!("a"), &["a"]));
    assert!(
        !check("StringEqualsIfExists", "k", json!("a"), &[]),
        "empty list is present"
    );
}

#[test]
fn condition_keys_are_case_insensitive() {
    assert!(holds(
        json!({"StringEquals": {"AWS:UserName": "alice"}}),
        &ctx(&[("aws:username", &["alice"])])
    ));
}

/// The documented `BoolIfExists` example: a Deny with
/// `"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}` applies to
/// requests without MFA and to requests signed with long-term keys, where
/// the key is absent; plain `Bool` would let the latter through.
#[test]
fn mfa_bool_if_exists_example() {
    let deny_if = json!({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}});
    let long_term_keys = ctx(&[]);
    let no_mfa = ctx(&[("aws:MultiFactorAuthPresent", &["false"])]);
    let mfa = ctx(&[("aws:MultiFactorAuthPresent", &["true"])]);
    assert!(
        holds(deny_if.clone(), &long_term_keys),
        "Deny applies: key absent"
    );
    assert!(holds(deny_if.clone(), &no_mfa), "Deny applies: no MFA");
    assert!(!holds(deny_if, &mfa), "Deny does not apply: MFA used");

    let plain = json!({"Bool": {"aws:MultiFactorAuthPresent": "false"}});
    assert!(
        !holds(plain.clone(), &long_term_keys),
        "plain Bool is false when the key is absent"
    );
    assert!(holds(plain, &no_mfa));
}

// ---- Several values / several clauses ------------------------------

#[test]
fn several_values_are_ored_for_positive_operators() {
    let v = json!(["a", "b"]);
    assert!(check("StringEquals", "k", v.clone(), &["a"]));
    assert!(check("StringEquals", "k", v.clone(), &["b"]));
    assert!(!check("StringEquals", "k", v, &["c"]));
}

#[test]
fn several_values_are_nored_for_negated_operators() {
    let v = json!(["a", "b"]);
    assert!(!check("StringNotEquals", "k", v.clone(), &["a"]));
    assert!(!check("StringNotEquals", "k", v.clone(), &["b"]));
    assert!(check("StringNotEquals", "k", v.clone(), &["c"]));
    assert!(!check("StringNotLike", "k", json!(["a*", "b*"]), &["bx"]));
    assert!(!check("NumericNotEquals", "k", json!([1, 2]), &["2"]));
    assert!(check("NumericNotEquals", "k", json!([1, 2]), &["3"]));
    assert!(!check(
        "NotIpAddress",
        "k",
        json!(["10.0.0.0/8", "192.168.0.0/16"]),
        &["192.168.1.1"]
    ));
    assert!(!check(
        "DateNotEquals",
        "k",
        json!(["2020-01-01", "2021-01-01"]),
        &["2021-01-01"]
    ));
}

#[test]
fn clauses_are_anded_and_reported_in_order() {
    let block = clean(json!({
        "StringEquals": {"aws:username": "alice", "aws:PrincipalTag/team": "blue"},
        "Bool": {"aws:SecureTransport": "true"}
    }));
    assert_eq!(block.clauses.len(), 3);
    let all = ctx(&[
        ("aws:username", &["alice"]),
        ("aws:PrincipalTag/team", &["blue"]),
        ("aws:SecureTransport", &["true"]),
    ]);
    assert!(block.evaluate(&all));
    let mut one_off = all.clone();
    one_off.set("aws:PrincipalTag/team", ["red"]);
    assert!(!block.evaluate(&one_off));
    let each = block.evaluate_each(&one_off);
    assert_eq!(each.len(), 3);
    let failing: Vec<&str> = each
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(c, _)| c.key.as_str())
        .collect();
    assert_eq!(failing, ["aws:PrincipalTag/team"]);
    for ((clause, _), original) in each.iter().zip(&block.clauses) {
        assert!(std::ptr::eq(*clause, original));
    }
}

#[test]
fn empty_block_holds() {
    let block = clean(json!({}));
    assert!(block.is_empty());
    assert!(block.evaluate(&ctx(&[])));
    assert!(block.evaluate_each(&ctx(&[])).is_empty());
    assert!(ConditionBlock::default().evaluate(&ctx(&[])));
}

// ---- Multivalued context keys -------------------------------------

#[test]
fn multivalued_context_without_qualifier() {
    let tags = ["a", "b"];
    assert!(
        check("StringEquals", "aws:TagKeys", json!("b"), &tags),
        "any request value matches"
    );
    assert!(!check("StringEquals", "aws:TagKeys", json!("c"), &tags));
    assert!(
        !check("StringNotEquals", "aws:TagKeys", json!("b"), &tags),
        "one request value matches"
    );
    assert!(
        check("StringNotEquals", "aws:TagKeys", json!(["c", "d"]), &tags),
        "none matches"
    );
}

#[test]
fn for_all_values_is_a_subset_test() {
    let allowed = json!(["a", "b", "c"]);
    assert!(check(
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        allowed.clone(),
        &["a", "c"]
    ));
    assert!(!check(
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        allowed,
        &["a", "x"]
    ));
}

#[test]
fn for_any_value_is_an_intersection_test() {
    let wanted = json!(["a", "b"]);
    assert!(check(
        "ForAnyValue:StringEquals",
        "aws:TagKeys",
        wanted.clone(),
        &["x", "b"]
    ));
    assert!(!check(
        "ForAnyValue:StringEquals",
        "aws:TagKeys",
        wanted,
        &["x", "y"]
    ));
}

#[test]
fn for_all_values_holds_on_missing_key_or_empty_set() {
    let c = json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["a"]}});
    assert!(holds(c.clone(), &ctx(&[])));
    assert!(holds(c, &ctx(&[("aws:TagKeys", &[])])));
    let n = json!({"ForAllValues:StringNotEquals": {"aws:TagKeys": ["a"]}});
    assert!(holds(n.clone(), &ctx(&[])));
    assert!(holds(n, &ctx(&[("aws:TagKeys", &[])])));
}

#[test]
fn for_any_value_fails_on_missing_key_or_empty_set() {
    let c = json!({"ForAnyValue:StringEquals": {"aws:TagKeys": ["a"]}});
    assert!(!holds(c.clone(), &ctx(&[])));
    assert!(!holds(c, &ctx(&[("aws:TagKeys", &[])])));
    let n = json!({"ForAnyValue:StringNotLike": {"aws:TagKeys": ["a"]}});
    assert!(!holds(n.clone(), &ctx(&[])));
    assert!(!holds(n, &ctx(&[("aws:TagKeys", &[])])));
}

#[test]
fn for_any_value_if_exists_holds_only_on_missing_key() {
    let c = json!({"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": ["a"]}});
    assert!(holds(c.clone(), &ctx(&[])));
    assert!(!holds(c.clone(), &ctx(&[("aws:TagKeys", &[])])));
    assert!(!holds(c, &ctx(&[("aws:TagKeys", &["b"])])));
}

#[test]
fn for_all_values_string_not_equals() {
    // Every request value must be outside the list.
    let c = json!({"ForAllValues:StringNotEquals": {"aws:TagKeys": ["a", "b"]}});
    assert!(holds(c.clone(), &ctx(&[("aws:TagKeys", &["x", "y"])])));
    assert!(!holds(c.clone(), &ctx(&[("aws:TagKeys", &["x", "b"])])));
    assert!(!holds(c, &ctx(&[("aws:TagKeys", &["a"])])));
}

#[test]
fn for_any_value_string_not_like() {
    // Some request value must be outside every pattern.
    let c = json!({"ForAnyValue:StringNotLike": {"aws:TagKeys": ["a*", "b*"]}});
    assert!(holds(c.clone(), &ctx(&[("aws:TagKeys", &["a1", "x"])])));
    assert!(!holds(c.clone(), &ctx(&[("aws:TagKeys", &["a1", "b2"])])));
    assert!(!holds(c, &ctx(&[("aws:TagKeys", &["a1"])])));
}

#[test]
fn qualifiers_work_with_other_families() {
    assert!(check(
        "ForAllValues:NumericLessThan",
        "k",
        json!(10),
        &["1", "9"]
    ));
    assert!(!check(
        "ForAllValues:NumericLessThan",
        "k",
        json!(10),
        &["1", "19"]
    ));
    assert!(check(
        "ForAnyValue:IpAddress",
        "k",
        json!("10.0.0.0/8"),
        &["1.1.1.1", "10.9.9.9"]
    ));
    assert!(check(
        "ForAllValues:ArnLike",
        "k",
        json!("arn:aws:iam::1:role/*"),
        &["arn:aws:iam::1:role/a", "arn:aws:iam::1:role/b"]
    ));
    assert!(!check(
        "ForAllValues:ArnLike",
        "k",
        json!("arn:aws:iam::1:role/*"),
        &["arn:aws:iam::1:role/a", "arn:aws:iam::1:user/b"]
    ));
}
