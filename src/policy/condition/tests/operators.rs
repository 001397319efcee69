//! Operator names, and the string, numeric, date, Bool and Binary operators.

use super::*;

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
