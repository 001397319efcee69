//! Tests of every operator, qualifier and missing-key rule.

use super::*;
use crate::policy::problem::Severity;
use crate::policy::RequestContext;
use serde_json::json;

fn ctx(pairs: &[(&str, &[&str])]) -> RequestContext {
    let mut c = RequestContext::new();
    for (key, values) in pairs {
        c.set(key, values.iter().copied());
    }
    c
}

fn base() -> JsonPath {
    JsonPath::root().key("Statement").index(0).key("Condition")
}

fn parse_with(value: Value, substitute: bool) -> (ConditionBlock, Vec<Problem>) {
    let mut problems = Vec::new();
    let block = ConditionBlock::parse(&value, &base(), substitute, &mut problems);
    (block, problems)
}

/// Parses a 2012-10-17 condition that must have no problems at all.
fn clean(value: Value) -> ConditionBlock {
    let (block, problems) = parse_with(value, true);
    assert!(problems.is_empty(), "unexpected problems: {problems:?}");
    block
}

fn holds(value: Value, context: &RequestContext) -> bool {
    clean(value).evaluate(context)
}

/// `{op: {key: values}}` against a context where `key` has `request`.
fn check(op: &str, key: &str, values: Value, request: &[&str]) -> bool {
    holds(json!({ op: { key: values } }), &ctx(&[(key, request)]))
}

fn only_error(problems: &[Problem]) -> &Problem {
    let errors: Vec<&Problem> = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "expected one error: {problems:?}");
    errors[0]
}

// ---- Operator names -------------------------------------------------

#[test]
fn operator_names_round_trip() {
    for name in Operator::all_names() {
        let op = Operator::parse(&name).unwrap();
        assert_eq!(op.name(), name);
    }
    assert_eq!(Operator::all_names().len(), 3 * (27 * 2 - 1));
}

#[test]
fn operator_parse_reads_qualifier_kind_and_suffix() {
    assert_eq!(
        Operator::parse("ForAnyValue:StringLikeIfExists"),
        Ok(Operator {
            qualifier: Some(SetQualifier::ForAnyValue),
            kind: OperatorKind::StringLike,
            if_exists: true
        })
    );
    assert_eq!(
        Operator::parse("ForAllValues:ArnNotEquals"),
        Ok(Operator {
            qualifier: Some(SetQualifier::ForAllValues),
            kind: OperatorKind::ArnNotEquals,
            if_exists: false
        })
    );
    assert_eq!(
        Operator::parse("Bool"),
        Ok(Operator {
            qualifier: None,
            kind: OperatorKind::Bool,
            if_exists: false
        })
    );
}

#[test]
fn operator_names_are_case_sensitive_with_a_hint() {
    let err = Operator::parse("stringequals").unwrap_err();
    assert!(
        err.contains("case-sensitive") && err.contains("`StringEquals`"),
        "{err}"
    );
    let err = Operator::parse("forallvalues:StringLikeifexists").unwrap_err();
    assert!(err.contains("`ForAllValues:StringLikeIfExists`"), "{err}");
    assert!(Operator::parse("BOOL").is_err());
}

#[test]
fn unknown_operator_names_are_rejected() {
    for bad in [
        "",
        "StringEqual",
        "IfExists",
        "ForAnyValue:",
        "ForAnyValue",
        "ForSomeValues:StringEquals",
        "StringEqualsIfExistsIfExists",
        "ForAnyValue:ForAllValues:StringEquals",
        "StringEquals ",
        "IpAddressIfexists",
    ] {
        let err = Operator::parse(bad).unwrap_err();
        assert!(err.contains("unknown condition operator"), "{bad}: {err}");
    }
}

#[test]
fn null_if_exists_is_rejected() {
    for bad in ["NullIfExists", "ForAnyValue:NullIfExists"] {
        let err = Operator::parse(bad).unwrap_err();
        assert!(err.contains("IfExists cannot be used with Null"), "{err}");
    }
    assert!(Operator::parse("Null").is_ok());
}

#[test]
fn negated_operators_are_exactly_the_documented_ones() {
    let negated: Vec<&str> = OperatorKind::ALL
        .into_iter()
        .filter(|k| k.is_negated())
        .map(OperatorKind::name)
        .collect();
    assert_eq!(
        negated,
        [
            "StringNotEquals",
            "StringNotEqualsIgnoreCase",
            "StringNotLike",
            "NumericNotEquals",
            "DateNotEquals",
            "NotIpAddress",
            "ArnNotEquals",
            "ArnNotLike"
        ]
    );
    assert!(Operator::parse("ForAllValues:StringNotLikeIfExists")
        .unwrap()
        .is_negated());
    assert!(!Operator::parse("Null").unwrap().is_negated());
}

// ---- String operators ----------------------------------------------

#[test]
fn string_equals_is_exact_and_case_sensitive() {
    assert!(check(
        "StringEquals",
        "aws:username",
        json!("alice"),
        &["alice"]
    ));
    assert!(!check(
        "StringEquals",
        "aws:username",
        json!("alice"),
        &["Alice"]
    ));
    assert!(!check(
        "StringEquals",
        "aws:username",
        json!("alice"),
        &["alice2"]
    ));
    assert!(check(
        "StringEquals",
        "aws:username",
        json!(["bob", "alice"]),
        &["alice"]
    ));
}

#[test]
fn string_equals_takes_wildcards_literally() {
    assert!(!check(
        "StringEquals",
        "s3:prefix",
        json!("home/*"),
        &["home/x"]
    ));
    assert!(check(
        "StringEquals",
        "s3:prefix",
        json!("home/*"),
        &["home/*"]
    ));
    assert!(!check("StringEquals", "s3:prefix", json!("a?c"), &["abc"]));
}

#[test]
fn string_not_equals() {
    assert!(check(
        "StringNotEquals",
        "aws:username",
        json!("alice"),
        &["bob"]
    ));
    assert!(!check(
        "StringNotEquals",
        "aws:username",
        json!("alice"),
        &["alice"]
    ));
    assert!(check(
        "StringNotEquals",
        "aws:username",
        json!("alice"),
        &["ALICE"]
    ));
}

#[test]
fn string_equals_ignore_case() {
    assert!(check(
        "StringEqualsIgnoreCase",
        "aws:PrincipalTag/team",
        json!("Blue"),
        &["bLUE"]
    ));
    assert!(
        check("StringEqualsIgnoreCase", "k", json!("ÉTÉ"), &["été"]),
        "Unicode"
    );
    assert!(!check(
        "StringEqualsIgnoreCase",
        "k",
        json!("blue"),
        &["blues"]
    ));
    assert!(!check(
        "StringEqualsIgnoreCase",
        "k",
        json!("b*"),
        &["blue"]
    ));
}

#[test]
fn string_not_equals_ignore_case() {
    assert!(!check(
        "StringNotEqualsIgnoreCase",
        "k",
        json!("Blue"),
        &["BLUE"]
    ));
    assert!(check(
        "StringNotEqualsIgnoreCase",
        "k",
        json!("Blue"),
        &["red"]
    ));
}

#[test]
fn string_like_uses_wildcards_case_sensitively() {
    assert!(check(
        "StringLike",
        "s3:prefix",
        json!("home/*"),
        &["home/a/b"]
    ));
    assert!(check(
        "StringLike",
        "s3:prefix",
        json!("home/?"),
        &["home/a"]
    ));
    assert!(!check(
        "StringLike",
        "s3:prefix",
        json!("home/?"),
        &["home/ab"]
    ));
    assert!(!check(
        "StringLike",
        "s3:prefix",
        json!("Home/*"),
        &["home/a"]
    ));
    assert!(check("StringLike", "s3:prefix", json!(["x", "*"]), &[""]));
}

#[test]
fn string_not_like() {
    assert!(!check(
        "StringNotLike",
        "s3:prefix",
        json!("home/*"),
        &["home/a"]
    ));
    assert!(check(
        "StringNotLike",
        "s3:prefix",
        json!("home/*"),
        &["other/a"]
    ));
}

// ---- Numeric operators -----------------------------------------------

#[test]
fn numeric_operators() {
    let k = "s3:max-keys";
    assert!(check("NumericEquals", k, json!("10"), &["10"]));
    assert!(check("NumericEquals", k, json!("10"), &["10.0"]));
    assert!(!check("NumericEquals", k, json!("10"), &["11"]));
    assert!(check("NumericNotEquals", k, json!("10"), &["11"]));
    assert!(!check("NumericNotEquals", k, json!("10"), &["10"]));
    assert!(check("NumericLessThan", k, json!("10"), &["9"]));
    assert!(!check("NumericLessThan", k, json!("10"), &["10"]));
    assert!(check("NumericLessThanEquals", k, json!("10"), &["10"]));
    assert!(!check("NumericLessThanEquals", k, json!("10"), &["10.5"]));
    assert!(check("NumericGreaterThan", k, json!("10"), &["10.5"]));
    assert!(!check("NumericGreaterThan", k, json!("10"), &["10"]));
    assert!(check("NumericGreaterThanEquals", k, json!("10"), &["10"]));
    assert!(!check("NumericGreaterThanEquals", k, json!("10"), &["-3"]));
    assert!(check("NumericLessThan", k, json!("0.5"), &["0.25"]));
    assert!(check("NumericGreaterThan", k, json!("-1.5"), &["-1"]));
}

#[test]
fn numeric_request_value_that_is_not_a_number_matches_nothing() {
    assert!(!check("NumericEquals", "k", json!("10"), &["ten"]));
    assert!(!check("NumericLessThan", "k", json!("10"), &[" 5"]));
    assert!(!check("NumericLessThan", "k", json!("10"), &["-inf"]));
    assert!(check("NumericNotEquals", "k", json!("10"), &["ten"]));
}

#[test]
fn number_grammar() {
    for good in ["0", "-1", "+2", "1.5", ".5", "5.", "1e3", "1.5E-2", "007"] {
        assert!(parse_number(good).is_some(), "{good}");
    }
    for bad in [
        "", "-", ".", "e3", "1e", "1e+", "NaN", "inf", "infinity", "1,5", "0x10", " 1", "1 ",
        "1e999",
    ] {
        assert!(parse_number(bad).is_none(), "{bad}");
    }
}

// ---- Date operators --------------------------------------------------

#[test]
fn date_operators() {
    let k = "aws:CurrentTime";
    let t = json!("2023-03-09T10:41:45Z");
    assert!(check(
        "DateEquals",
        k,
        t.clone(),
        &["2023-03-09T12:41:45+02:00"]
    ));
    assert!(
        check("DateEquals", k, t.clone(), &["1678358505"]),
        "epoch request value"
    );
    assert!(!check(
        "DateEquals",
        k,
        t.clone(),
        &["2023-03-09T10:41:46Z"]
    ));
    assert!(check(
        "DateNotEquals",
        k,
        t.clone(),
        &["2023-03-09T10:41:46Z"]
    ));
    assert!(!check(
        "DateNotEquals",
        k,
        t.clone(),
        &["2023-03-09 10:41:45+00:00"]
    ));
    assert!(check(
        "DateLessThan",
        k,
        t.clone(),
        &["2023-03-09T10:41:44Z"]
    ));
    assert!(!check(
        "DateLessThan",
        k,
        t.clone(),
        &["2023-03-09T10:41:45Z"]
    ));
    assert!(check(
        "DateLessThanEquals",
        k,
        t.clone(),
        &["2023-03-09T10:41:45Z"]
    ));
    assert!(!check("DateLessThanEquals", k, t.clone(), &["2024-01-01"]));
    assert!(check("DateGreaterThan", k, t.clone(), &["2024-01-01"]));
    assert!(!check(
        "DateGreaterThan",
        k,
        t.clone(),
        &["2023-03-09T10:41:45Z"]
    ));
    assert!(check(
        "DateGreaterThanEquals",
        k,
        t.clone(),
        &["2023-03-09T10:41:45Z"]
    ));
    assert!(!check("DateGreaterThanEquals", k, t, &["2020-01-01"]));
}

#[test]
fn date_policy_value_may_be_an_epoch() {
    assert!(check(
        "DateLessThan",
        "aws:EpochTime",
        json!(1678358505),
        &["2023-03-09T10:41:44Z"]
    ));
    assert!(check(
        "DateGreaterThan",
        "aws:EpochTime",
        json!("1678358505"),
        &["1678358506"]
    ));
}

#[test]
fn date_request_value_that_is_not_a_date_matches_nothing() {
    assert!(!check(
        "DateLessThan",
        "k",
        json!("2030-01-01"),
        &["yesterday"]
    ));
    assert!(check(
        "DateNotEquals",
        "k",
        json!("2030-01-01"),
        &["yesterday"]
    ));
}

// ---- Bool ------------------------------------------------------------

#[test]
fn bool_compares_case_insensitively() {
    let k = "aws:SecureTransport";
    assert!(check("Bool", k, json!("true"), &["true"]));
    assert!(check("Bool", k, json!("TRUE"), &["True"]));
    assert!(!check("Bool", k, json!("true"), &["false"]));
    assert!(check("Bool", k, json!("false"), &["false"]));
    assert!(!check("Bool", k, json!("true"), &["yes"]));
    assert!(!check("Bool", k, json!("false"), &["0"]));
}

#[test]
fn json_booleans_and_numbers_are_accepted_as_values() {
    assert!(check(
        "Bool",
        "aws:SecureTransport",
        json!(false),
        &["false"]
    ));
    assert!(!check(
        "Bool",
        "aws:SecureTransport",
        json!(false),
        &["true"]
    ));
    assert!(check("NumericLessThan", "s3:max-keys", json!(10), &["9"]));
    assert!(!check("NumericLessThan", "s3:max-keys", json!(10), &["10"]));
    assert!(check(
        "NumericLessThan",
        "s3:max-keys",
        json!([1.5, 10]),
        &["1"]
    ));
    assert!(check("StringEquals", "ec2:count", json!(3), &["3"]));
    assert!(check("StringEquals", "flag", json!(true), &["true"]));
}

// ---- Binary ----------------------------------------------------------

#[test]
fn binary_equals_compares_decoded_bytes() {
    let k = "key";
    assert!(check(
        "BinaryEquals",
        k,
        json!("QmluYXJ5VmFsdWU="),
        &["QmluYXJ5VmFsdWU="]
    ));
    assert!(
        check(
            "BinaryEquals",
            k,
            json!("QmluYXJ5VmFsdWU="),
            &["QmluYXJ5VmFsdWU"]
        ),
        "padding optional"
    );
    assert!(!check(
        "BinaryEquals",
        k,
        json!("QmluYXJ5VmFsdWU="),
        &["T3RoZXI="]
    ));
    assert!(!check(
        "BinaryEquals",
        k,
        json!("QmluYXJ5VmFsdWU="),
        &["not base64!"]
    ));
}

// ---- IP addresses ----------------------------------------------------

#[test]
fn ip_address_cidr_and_single_address() {
    let k = "aws:SourceIp";
    let nets = json!(["10.0.0.0/8", "192.168.0.0/16"]);
    assert!(check("IpAddress", k, nets.clone(), &["10.1.2.3"]));
    assert!(check("IpAddress", k, nets.clone(), &["192.168.200.1"]));
    assert!(!check("IpAddress", k, nets.clone(), &["172.16.0.1"]));
    assert!(!check("IpAddress", k, nets.clone(), &["not an ip"]));
    assert!(
        !check("IpAddress", k, nets, &["10.0.0.0/8"]),
        "request value is an address"
    );
    assert!(check(
        "IpAddress",
        k,
        json!("203.0.113.7"),
        &["203.0.113.7"]
    ));
    assert!(!check(
        "IpAddress",
        k,
        json!("203.0.113.7"),
        &["203.0.113.8"]
    ));
    assert!(
        check("IpAddress", k, json!("10.1.2.3/8"), &["10.200.0.1"]),
        "host bits ignored"
    );
}

#[test]
fn not_ip_address() {
    let k = "aws:SourceIp";
    assert!(check("NotIpAddress", k, json!("10.0.0.0/8"), &["11.0.0.1"]));
    assert!(!check(
        "NotIpAddress",
        k,
        json!("10.0.0.0/8"),
        &["10.0.0.1"]
    ));
}

#[test]
fn ipv6_cidr() {
    let k = "aws:SourceIp";
    assert!(check(
        "IpAddress",
        k,
        json!("2001:DB8:1234:5678::/64"),
        &["2001:db8:1234:5678::1"]
    ));
    assert!(!check(
        "IpAddress",
        k,
        json!("2001:DB8:1234:5678::/64"),
        &["2001:db8:1234:5679::1"]
    ));
    assert!(check(
        "IpAddress",
        k,
        json!("2001:db8::1"),
        &["2001:0db8:0:0:0:0:0:1"]
    ));
    assert!(check(
        "NotIpAddress",
        k,
        json!("2001:db8::/32"),
        &["2001:db9::1"]
    ));
}

#[test]
fn ipv4_and_ipv6_never_match_each_other() {
    let k = "aws:SourceIp";
    assert!(!check("IpAddress", k, json!("0.0.0.0/0"), &["::1"]));
    assert!(!check("IpAddress", k, json!("::/0"), &["10.0.0.1"]));
    assert!(!check(
        "IpAddress",
        k,
        json!("10.0.0.0/8"),
        &["::ffff:10.0.0.1"]
    ));
    assert!(check("NotIpAddress", k, json!("0.0.0.0/0"), &["::1"]));
}

// ---- ARN operators ---------------------------------------------------

#[test]
fn arn_like_matches_each_part_with_wildcards() {
    let k = "aws:SourceArn";
    assert!(check(
        "ArnLike",
        k,
        json!("arn:aws:s3:::bucket/*"),
        &["arn:aws:s3:::bucket/a/b"]
    ));
    assert!(check(
        "ArnLike",
        k,
        json!("arn:aws:iam::*:role/?"),
        &["arn:aws:iam::123456789012:role/x"]
    ));
    assert!(!check(
        "ArnLike",
        k,
        json!("arn:aws:iam::*:role/?"),
        &["arn:aws:iam::123456789012:role/xy"]
    ));
    assert!(
        !check(
            "ArnLike",
            k,
            json!("arn:aws:iam::*:role/x"),
            &["arn:aws:iam::123456789012:role/X"]
        ),
        "case-sensitive"
    );
    assert!(check(
        "ArnLike",
        k,
        json!("arn:*:*:*:*:*"),
        &["arn:aws:sqs:us-east-1:1:q"]
    ));
}

#[test]
fn arn_wildcards_do_not_cross_colons_before_the_resource() {
    let k = "aws:SourceArn";
    // `*` in the region part cannot also swallow the account part (the
    // value has five parts only, so it is not an ARN and warns).
    let (short, problems) = parse_with(json!({"ArnLike": {k: "arn:aws:sqs:*:queue"}}), true);
    assert_eq!(problems.len(), 1);
    assert!(!short.evaluate(&ctx(&[(k, &["arn:aws:sqs:us-east-1:1:queue"])])));
    // A flat wildcard match would let the account `*` swallow `1:x`.
    assert!(!check(
        "ArnLike",
        k,
        json!("arn:aws:sqs:*:*:queue"),
        &["arn:aws:sqs:us-east-1:1:x:queue"]
    ));
    assert!(check(
        "ArnLike",
        k,
        json!("arn:aws:sqs:*:*:queue"),
        &["arn:aws:sqs:us-east-1:1:queue"]
    ));
    // `*` in the resource part may contain colons.
    assert!(check(
        "ArnLike",
        k,
        json!("arn:aws:lambda:*:*:function:*"),
        &["arn:aws:lambda:us-east-1:1:function:f:prod"]
    ));
    assert!(check(
        "ArnLike",
        k,
        json!("arn:aws:logs:*:*:*"),
        &["arn:aws:logs:us-east-1:1:log-group:g:*"]
    ));
}

#[test]
fn arn_equals_behaves_like_arn_like() {
    let k = "aws:SourceArn";
    assert!(check(
        "ArnEquals",
        k,
        json!("arn:aws:sns:*:123:topic"),
        &["arn:aws:sns:eu-west-1:123:topic"]
    ));
    assert!(check(
        "ArnEquals",
        k,
        json!("arn:aws:sns:eu-west-1:123:topic"),
        &["arn:aws:sns:eu-west-1:123:topic"]
    ));
    assert!(!check(
        "ArnEquals",
        k,
        json!("arn:aws:sns:eu-west-1:123:topic"),
        &["arn:aws:sns:eu-west-1:123:other"]
    ));
}

#[test]
fn arn_not_equals_and_not_like() {
    let k = "aws:SourceArn";
    let arn = "arn:aws:sns:eu-west-1:123:topic";
    for op in ["ArnNotEquals", "ArnNotLike"] {
        assert!(!check(op, k, json!("arn:aws:sns:*:123:*"), &[arn]), "{op}");
        assert!(check(op, k, json!("arn:aws:sns:*:456:*"), &[arn]), "{op}");
    }
}

#[test]
fn request_value_that_is_not_an_arn_matches_nothing() {
    let k = "aws:SourceArn";
    assert!(!check(
        "ArnLike",
        k,
        json!("arn:*:*:*:*:*"),
        &["arn:aws:s3::bucket"]
    ));
    assert!(!check("ArnLike", k, json!("arn:aws:s3:::*"), &["bucket"]));
    assert!(check(
        "ArnNotLike",
        k,
        json!("arn:*:*:*:*:*"),
        &["not-an-arn"]
    ));
}

#[test]
fn policy_value_that_is_not_an_arn_matches_nothing_and_warns() {
    let (block, problems) = parse_with(json!({"ArnLike": {"aws:SourceArn": "*"}}), true);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].severity, Severity::Warning);
    assert_eq!(problems[0].path, base().key("ArnLike").key("aws:SourceArn"));
    assert!(!block.evaluate(&ctx(&[("aws:SourceArn", &["arn:aws:s3:::b"])])));
}

// ---- Null ------------------------------------------------------------

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

// ---- Policy variables ---------------------------------------------

#[test]
fn variables_in_string_like() {
    let c = json!({"StringLike": {"s3:prefix": ["home/${aws:username}/*"]}});
    let alice = ctx(&[
        ("aws:username", &["alice"]),
        ("s3:prefix", &["home/alice/docs"]),
    ]);
    let bob = ctx(&[
        ("aws:username", &["bob"]),
        ("s3:prefix", &["home/alice/docs"]),
    ]);
    assert!(holds(c.clone(), &alice));
    assert!(!holds(c, &bob));
}

#[test]
fn substituted_text_is_not_a_wildcard() {
    let c = json!({"StringLike": {"s3:prefix": "home/${aws:username}"}});
    let star_user = ctx(&[("aws:username", &["*"]), ("s3:prefix", &["home/alice"])]);
    assert!(!holds(c.clone(), &star_user));
    let literal = ctx(&[("aws:username", &["*"]), ("s3:prefix", &["home/*"])]);
    assert!(holds(c, &literal));
}

#[test]
fn variables_in_arn_like() {
    let c = json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:user/${aws:username}"}});
    let ok = ctx(&[
        ("aws:username", &["alice"]),
        (
            "aws:PrincipalArn",
            &["arn:aws:iam::123456789012:user/alice"],
        ),
    ]);
    let other = ctx(&[
        ("aws:username", &["bob"]),
        (
            "aws:PrincipalArn",
            &["arn:aws:iam::123456789012:user/alice"],
        ),
    ]);
    assert!(holds(c.clone(), &ok));
    assert!(!holds(c, &other));
}

#[test]
fn variable_that_resolves_to_an_arn_is_split_into_parts() {
    let c = json!({"ArnEquals": {"aws:SourceArn": "${aws:PrincipalArn}"}});
    let same = ctx(&[
        ("aws:PrincipalArn", &["arn:aws:iam::1:role/r"]),
        ("aws:SourceArn", &["arn:aws:iam::1:role/r"]),
    ]);
    assert!(holds(c, &same));
}

#[test]
fn variables_in_string_equals_and_ignore_case() {
    let c = json!({"StringEquals": {"aws:PrincipalTag/owner": "${aws:username}"}});
    assert!(holds(
        c.clone(),
        &ctx(&[
            ("aws:username", &["alice"]),
            ("aws:PrincipalTag/owner", &["alice"])
        ])
    ));
    assert!(!holds(
        c,
        &ctx(&[
            ("aws:username", &["alice"]),
            ("aws:PrincipalTag/owner", &["Alice"])
        ])
    ));
    let i = json!({"StringEqualsIgnoreCase": {"aws:PrincipalTag/owner": "${aws:username}"}});
    assert!(holds(
        i,
        &ctx(&[
            ("aws:username", &["alice"]),
            ("aws:PrincipalTag/owner", &["Alice"])
        ])
    ));
}

#[test]
fn unresolved_variable_matches_nothing() {
    let request = ctx(&[("s3:prefix", &["home/alice"])]);
    let like = json!({"StringLike": {"s3:prefix": "home/${aws:username}"}});
    assert!(!holds(like, &request));
    let not_like = json!({"StringNotLike": {"s3:prefix": "home/${aws:username}"}});
    assert!(holds(not_like, &request));
    let with_default = json!({"StringLike": {"s3:prefix": "home/${aws:username, 'alice'}"}});
    assert!(holds(with_default, &request));
    // Another value of the same key still counts.
    let mixed = json!({"StringEquals": {"s3:prefix": ["${aws:username}", "home/alice"]}});
    assert!(holds(mixed, &request));
}

#[test]
fn variables_are_not_substituted_under_an_old_version() {
    let value = json!({"StringEquals": {"s3:prefix": "home/${aws:username}"}});
    let (block, problems) = parse_with(value, false);
    assert!(problems.is_empty());
    let substituted = ctx(&[("aws:username", &["alice"]), ("s3:prefix", &["home/alice"])]);
    assert!(!block.evaluate(&substituted));
    let literal = ctx(&[
        ("aws:username", &["alice"]),
        ("s3:prefix", &["home/${aws:username}"]),
    ]);
    assert!(block.evaluate(&literal));
}

#[test]
fn variables_are_not_substituted_outside_string_and_arn_operators() {
    let (block, problems) = parse_with(json!({"NumericEquals": {"k": "${aws:n}"}}), true);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[0].severity, Severity::Warning);
    assert!(problems[0].message.contains("not substituted"));
    assert_eq!(problems[1].severity, Severity::Error);
    assert!(block.clauses[0].values.is_empty());
}

// ---- describe ------------------------------------------------------

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
