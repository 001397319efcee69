//! The IP address and ARN operators.

use super::*;

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
