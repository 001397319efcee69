//! What `validate` reports: JSON errors, entries and files of the wrong shape,
//! statement errors, entity ARNs and duplicate names, each at its place.

use super::*;

#[test]
fn invalid_json_is_placed_where_serde_stopped() {
    let text = r#"{
  "UserDetailList": [
    {"UserName": "u" "Arn": "arn:aws:iam::123456789012:user/u"}
  ]
}"#;
    let loaded = load(&[("broken.json", text)]);
    assert_count(&loaded, 1);
    let d = expect(
        &loaded,
        Severity::Error,
        "broken.json",
        3,
        22,
        "invalid JSON: expected `,` or `}`",
    );
    // The position is shown in front, not repeated in serde's words.
    assert!(!d.message.contains("at line"), "{}", d.message);
    assert_eq!(
        d.to_string(),
        "broken.json:3:22: error: invalid JSON: expected `,` or `}`"
    );
}

#[test]
fn json_error_columns_count_characters_like_every_other_position() {
    // serde_json counts bytes: "é" is two, which would put the column 3 too far.
    let text = "{\n  \"UserDetailList\": [{\"UserName\": \"ééé\" \"Arn\": 5}]\n}";
    let loaded = load(&[("a.json", text)]);
    assert_count(&loaded, 1);
    expect(&loaded, Severity::Error, "a.json", 2, 41, "invalid JSON");
}

#[test]
fn truncated_and_empty_files_are_invalid_json_at_a_real_column() {
    let loaded = load(&[
        ("cut.json", "{\n  \"UserDetailList\": [\n"),
        ("empty.json", ""),
    ]);
    assert_count(&loaded, 2);
    // serde says column 0 at the start of a line; columns start at 1.
    expect(
        &loaded,
        Severity::Error,
        "cut.json",
        3,
        1,
        "invalid JSON: EOF while parsing a list",
    );
    expect(
        &loaded,
        Severity::Error,
        "empty.json",
        1,
        1,
        "invalid JSON: EOF while parsing a value",
    );
}

#[test]
fn an_entry_of_the_wrong_shape_is_set_aside_at_its_place_and_the_others_load() {
    let text = r#"{
  "RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::123456789012:role/r", "MaxSessionDuration": "1h"},
                     {"RoleName": "ok", "Arn": "arn:aws:iam::123456789012:role/ok", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}}],
  "UserDetailList": [{"UserName": "no-arn"}, {"UserName": "u", "Arn": "arn:aws:iam::123456789012:user/u"}]
}"#;
    let loaded = load(&[("a.json", text)]);
    assert_count(&loaded, 2);
    expect(
        &loaded,
        Severity::Error,
        "a.json",
        2,
        108,
        "this role cannot be read (invalid type: string \"1h\", expected u64); it is set aside",
    );
    expect(
        &loaded,
        Severity::Error,
        "a.json",
        4,
        43,
        "this user cannot be read (missing field `Arn`); it is set aside",
    );
    let account = &loaded.workspace.accounts[0];
    let names: Vec<&str> = account.users.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["u"]);
    let names: Vec<&str> = account.roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["ok"]);
}

#[test]
fn a_file_of_the_wrong_shape_as_a_whole_is_unexpected_content() {
    let text = r#"{"Organization": {"Roots": "r-1"}}"#;
    let loaded = load(&[("a.json", text)]);
    assert_count(&loaded, 1);
    let d = &loaded.diagnostics[0];
    assert!(
        d.message
            .starts_with("unexpected content: invalid type: string \"r-1\", expected a sequence"),
        "{d}"
    );
}

pub(super) const STATEMENTS: &str = r#"{
  "UserDetailList": [
    {
      "UserName": "u",
      "Arn": "arn:aws:iam::123456789012:user/u",
      "UserPolicyList": [
        {
          "PolicyName": "p",
          "PolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
              {"Effect": "Allow", "Action": "s3:GetObject", "NotAction": "s3:PutObject", "Resource": "*"},
              {"Effect": "Permit", "Action": "s3:GetObject", "Resource": "*"},
              {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEqualz": {"aws:username": "u"}}},
              {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "my-bucket"},
              {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws"},
              {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::fine/*"}
            ]
          }
        }
      ]
    }
  ],
  "RoleDetailList": [
    {
      "RoleName": "r",
      "Arn": "arn:aws:iam::123456789012:role/r",
      "AssumeRolePolicyDocument": {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "not-an-arn"}, "Action": "sts:AssumeRole"}]
      }
    }
  ]
}"#;

#[test]
fn statement_errors_are_placed_on_the_offending_value() {
    let loaded = load(&[("s.json", STATEMENTS)]);
    assert_count(&loaded, 6);
    let policy = "UserDetailList[0].UserPolicyList[0].PolicyDocument.Statement";
    let d = expect(
        &loaded,
        Severity::Error,
        "s.json",
        12,
        74,
        "a statement has Action or NotAction, not both",
    );
    assert_eq!(d.path, Some(format!("{policy}[0].NotAction")));
    let d = expect(
        &loaded,
        Severity::Error,
        "s.json",
        13,
        26,
        "Effect must be \"Allow\" or \"Deny\", not \"Permit\"",
    );
    assert_eq!(d.path, Some(format!("{policy}[1].Effect")));
    let d = expect(
        &loaded,
        Severity::Error,
        "s.json",
        14,
        108,
        "unknown condition operator `StringEqualz`",
    );
    assert_eq!(d.path, Some(format!("{policy}[2].Condition.StringEqualz")));
    expect(
        &loaded,
        Severity::Error,
        "s.json",
        15,
        73,
        "\"my-bucket\" is not \"*\" or an ARN: an ARN starts with \"arn:\"",
    );
    expect(
        &loaded,
        Severity::Error,
        "s.json",
        16,
        73,
        "\"arn:aws\" is not \"*\" or an ARN: an ARN has six parts",
    );
    let d = expect(
        &loaded,
        Severity::Error,
        "s.json",
        30,
        64,
        "\"not-an-arn\" is not an account id, an ARN or \"*\"",
    );
    assert_eq!(
        d.path.as_deref(),
        Some("RoleDetailList[0].AssumeRolePolicyDocument.Statement[0].Principal.AWS")
    );
    // Ill-formed statements are left out; the well-formed ones stay.
    let inline = &loaded.workspace.accounts[0].users[0].inline_policies[0];
    let kept: Vec<usize> = inline.policy.statements.iter().map(|s| s.index).collect();
    assert!(kept.contains(&5), "kept {kept:?}");
    assert!(!kept.contains(&1), "kept {kept:?}");
}

const ENTITY_ARNS: &str = r#"{
  "UserDetailList": [
    {"UserName": "a", "Arn": "arn:aws:iam::123456789012:user/a"},
    {"UserName": "b", "Arn": "user/b"},
    {"UserName": "c", "Arn": "arn:aws:iam::123456789012:role/c"},
    {"UserName": "d", "Arn": "arn:aws:iam::210987654321:user/d"}
  ],
  "GroupDetailList": [{"GroupName": "g", "Arn": "Developers"}],
  "Policies": [
    {"PolicyName": "P", "Arn": "arn:aws:iam:123456789012:policy/P", "DefaultVersionId": "v1",
     "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true,
       "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}]}
  ]
}"#;

#[test]
fn entity_arns_must_be_arns_of_the_right_kind_and_account() {
    let loaded = load(&[("e.json", ENTITY_ARNS)]);
    assert_count(&loaded, 5);
    expect(
        &loaded,
        Severity::Error,
        "e.json",
        4,
        30,
        "\"user/b\" is not an ARN: an ARN starts with \"arn:\"",
    );
    expect(
        &loaded,
        Severity::Error,
        "e.json",
        5,
        30,
        "\"arn:aws:iam::123456789012:role/c\" is not the ARN of an IAM user",
    );
    // Another account's entity is loaded into that account, with a warning.
    expect(
        &loaded,
        Severity::Warning,
        "e.json",
        6,
        30,
        "the file describes account 123456789012, but 1 of its entities belong to account 210987654321; they are loaded into account 210987654321",
    );
    expect(
        &loaded,
        Severity::Error,
        "e.json",
        8,
        49,
        "\"Developers\" is not an ARN",
    );
    expect(
        &loaded,
        Severity::Error,
        "e.json",
        10,
        32,
        "\"arn:aws:iam:123456789012:policy/P\" is not an ARN: an ARN has six parts",
    );
}

pub(super) const DUPLICATES: &str = r#"{
  "UserDetailList": [
    {"UserName": "alice", "Arn": "arn:aws:iam::123456789012:user/alice"},
    {"UserName": "Alice", "Arn": "arn:aws:iam::123456789012:user/Alice"}
  ],
  "GroupDetailList": [
    {"GroupName": "devs", "Arn": "arn:aws:iam::123456789012:group/devs"},
    {"GroupName": "devs", "Arn": "arn:aws:iam::123456789012:group/devs"}
  ],
  "RoleDetailList": [
    {"RoleName": "app", "Arn": "arn:aws:iam::123456789012:role/app", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}},
    {"RoleName": "APP", "Arn": "arn:aws:iam::123456789012:role/team/APP", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}}
  ]
}"#;

#[test]
fn duplicate_names_are_errors_at_the_second_one() {
    let loaded = load(&[("d.json", DUPLICATES)]);
    assert_count(&loaded, 3);
    expect(
        &loaded,
        Severity::Error,
        "d.json",
        4,
        18,
        "duplicate user name \"Alice\"",
    );
    expect(
        &loaded,
        Severity::Error,
        "d.json",
        8,
        19,
        "duplicate group name \"devs\"",
    );
    expect(
        &loaded,
        Severity::Error,
        "d.json",
        12,
        18,
        "duplicate role name \"APP\"",
    );
}
