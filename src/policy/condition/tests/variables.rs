//! Policy variables in condition values.

use super::*;

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
