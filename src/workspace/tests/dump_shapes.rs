//! Dump shapes: documents as objects or URL-encoded strings, date forms,
//! minimal and empty files, role session durations.

use super::*;

/// One user, one group and one role, each with a policy document; `DOC`
/// stands for the inline documents, written as objects or encoded strings.
const SHAPES: &str = r#"{
  "UserDetailList": [
    {
      "UserName": "alice",
      "Arn": "arn:aws:iam::123456789012:user/alice",
      "UserPolicyList": [{"PolicyName": "inline", "PolicyDocument": DOC}]
    }
  ],
  "RoleDetailList": [
    {
      "RoleName": "app",
      "Arn": "arn:aws:iam::123456789012:role/app",
      "AssumeRolePolicyDocument": TRUST,
      "RolePolicyList": [{"PolicyName": "inline", "PolicyDocument": DOC}]
    }
  ],
  "Policies": [
    {
      "PolicyName": "Managed",
      "Arn": "arn:aws:iam::123456789012:policy/Managed",
      "DefaultVersionId": "v1",
      "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "Document": DOC}]
    }
  ]
}"#;

const DOC_OBJECT: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/${aws:username}/*"], "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}"#;

const TRUST_OBJECT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

/// `TRUST_OBJECT` as the IAM API returns it (RFC 3986, as the Go and Java SDKs keep it).
const TRUST_ENCODED: &str = "\"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22lambda.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D\"";

fn encoded(document: &str) -> String {
    let text = percent_encoding::utf8_percent_encode(document, percent_encoding::NON_ALPHANUMERIC);
    format!("\"{text}\"")
}

#[test]
fn documents_as_objects_and_as_url_encoded_strings_read_the_same() {
    let as_objects = SHAPES
        .replace("DOC", DOC_OBJECT)
        .replace("TRUST", TRUST_OBJECT);
    let as_strings = SHAPES
        .replace("DOC", &encoded(DOC_OBJECT))
        .replace("TRUST", TRUST_ENCODED);
    let objects = load(&[("a.json", &as_objects)]);
    let strings = load(&[("a.json", &as_strings)]);
    assert_count(&objects, 0);
    assert_count(&strings, 0);
    let (a, b) = (
        &objects.workspace.accounts[0],
        &strings.workspace.accounts[0],
    );
    assert_eq!(
        a.users[0].inline_policies[0].policy,
        b.users[0].inline_policies[0].policy
    );
    assert_eq!(
        a.roles[0].inline_policies[0].policy,
        b.roles[0].inline_policies[0].policy
    );
    let trust = |ws: &Workspace| ws.accounts[0].roles[0].trust_policy.clone();
    assert_eq!(
        trust(&objects.workspace).map(|t| t.policy.clone()),
        trust(&strings.workspace).map(|t| t.policy.clone())
    );
    let managed = |ws: &Workspace| {
        ws.accounts[0].policies["arn:aws:iam::123456789012:policy/Managed"]
            .default_document()
            .map(|d| d.policy.clone())
    };
    assert_eq!(managed(&objects.workspace), managed(&strings.workspace));
    // And the documents were read, not both left empty.
    assert_eq!(
        actions(&b.users[0].inline_policies[0]),
        ["s3:GetObject", "s3:ListBucket"]
    );
}

#[test]
fn problems_inside_an_encoded_document_point_at_the_string() {
    let bad = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"s3:*","Resource":"*"}]}"#;
    let text = SHAPES
        .replace("DOC", DOC_OBJECT)
        .replace("TRUST", TRUST_OBJECT)
        .replacen(DOC_OBJECT, &encoded(bad), 1);
    let loaded = load(&[("a.json", &text)]);
    assert_count(&loaded, 1);
    let d = expect(&loaded, Severity::Error, "a.json", 6, 69, "Effect must be");
    assert_eq!(
        d.path.as_deref(),
        Some("UserDetailList[0].UserPolicyList[0].PolicyDocument → (encoded document) Statement[0].Effect")
    );
}

#[test]
fn an_encoded_document_that_is_not_json_is_an_error() {
    let text = SHAPES
        .replace("DOC", DOC_OBJECT)
        .replace("TRUST", TRUST_OBJECT)
        .replacen(DOC_OBJECT, "\"%7B%22Version%22%3A\"", 1);
    let loaded = load(&[("a.json", &text)]);
    assert_count(&loaded, 1);
    expect(
        &loaded,
        Severity::Error,
        "a.json",
        6,
        69,
        "the policy document (a string) is not valid JSON once URL-decoded: EOF while parsing a value",
    );
    // Read as nothing, it grants nothing.
    let user = &loaded.workspace.accounts[0].users[0];
    assert!(user.inline_policies[0].policy.statements.is_empty());
}

const DATES: &str = r#"{
  "UserDetailList": [
    {"UserName": "a", "Arn": "arn:aws:iam::123456789012:user/a", "CreateDate": "2023-03-09T10:41:45+00:00"},
    {"UserName": "b", "Arn": "arn:aws:iam::123456789012:user/b", "CreateDate": "2023-03-09 10:41:45+00:00"},
    {"UserName": "c", "Arn": "arn:aws:iam::123456789012:user/c", "CreateDate": "last Tuesday"}
  ],
  "GroupDetailList": [
    {"GroupName": "g", "Arn": "arn:aws:iam::123456789012:group/g", "CreateDate": "2023-03-09 10:41:45+00:00"}
  ],
  "Policies": [
    {
      "PolicyName": "P",
      "Arn": "arn:aws:iam::123456789012:policy/P",
      "DefaultVersionId": "v1",
      "CreateDate": "2023-03-09T10:41:45+00:00",
      "UpdateDate": "09/03/2023",
      "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "CreateDate": "2023-03-09 10:41:45+00:00",
        "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}]
    }
  ]
}"#;

#[test]
fn both_iso_date_forms_are_accepted_and_garbage_is_a_warning() {
    let loaded = load(&[("dates.json", DATES)]);
    assert_count(&loaded, 2);
    expect(
        &loaded,
        Severity::Warning,
        "dates.json",
        5,
        80,
        "\"last Tuesday\" is not an ISO 8601 date",
    );
    expect(
        &loaded,
        Severity::Warning,
        "dates.json",
        16,
        21,
        "\"09/03/2023\" is not an ISO 8601 date",
    );
    // A bad date is only a warning: the user is still loaded.
    assert_eq!(loaded.workspace.accounts[0].users.len(), 3);
    assert!(!loaded.has_errors());
}

/// What real dumps look like for entities with nothing attached: no
/// `UserPolicyList`, `GroupList`, `AttachedManagedPolicies`, `Tags`, `Path`...
const MINIMAL: &str = r#"{
  "UserDetailList": [{"UserName": "alice", "Arn": "arn:aws:iam::210987654321:user/alice"}],
  "GroupDetailList": [{"GroupName": "devs", "Arn": "arn:aws:iam::210987654321:group/devs"}],
  "RoleDetailList": [
    {
      "RoleName": "app",
      "Arn": "arn:aws:iam::210987654321:role/service-role/app",
      "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
      "RoleLastUsed": {}
    }
  ]
}"#;

#[test]
fn missing_empty_lists_load_and_the_account_id_comes_from_the_arns() {
    let loaded = load(&[("minimal.json", MINIMAL)]);
    assert_count(&loaded, 0);
    let account = &loaded.workspace.accounts[0];
    assert_eq!(account.id, "210987654321");
    assert_eq!(account.file, "minimal.json");
    let user = &account.users[0];
    assert!(user.inline_policies.is_empty());
    assert!(user.groups.is_empty());
    assert!(user.attached.is_empty());
    assert!(user.tags.is_empty());
    assert_eq!(user.boundary, None);
    assert_eq!(user.path, "/");
    assert!(account.groups[0].inline_policies.is_empty());
    let role = &account.roles[0];
    assert_eq!(role.max_session_seconds, 3600);
    assert_eq!(role.last_used, None);
    assert!(account.policies.is_empty());
}

#[test]
fn the_account_id_is_read_past_unusable_arns() {
    let text = r#"{
  "UserDetailList": [{"UserName": "x", "Arn": "x"}],
  "RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::210987654321:role/r"}]
}"#;
    let loaded = load(&[("a.json", text)]);
    assert_eq!(loaded.workspace.accounts[0].id, "210987654321");
    assert_count(&loaded, 2);
    expect(
        &loaded,
        Severity::Error,
        "a.json",
        2,
        47,
        "\"x\" is not an ARN",
    );
    expect(
        &loaded,
        Severity::Warning,
        "a.json",
        3,
        22,
        "role r has no AssumeRolePolicyDocument",
    );
}

#[test]
fn entities_whose_arns_all_fail_are_an_error_not_a_silent_skip() {
    // Regression: this used to be a warning that "the file lists no user",
    // so `validate` passed with the whole account missing.
    let text = r#"{
  "UserDetailList": [{"UserName": "alice", "Arn": "alice"}]
}"#;
    let loaded = load(&[("a.json", text)]);
    assert_count(&loaded, 1);
    expect(
        &loaded,
        Severity::Error,
        "a.json",
        2,
        51,
        "no ARN in the file carries a 12-digit account id (the first is \"alice\")",
    );
    assert!(loaded.workspace.accounts.is_empty());
}

#[test]
fn a_file_with_empty_lists_is_skipped_with_a_warning() {
    let loaded = load(&[("empty.json", r#"{"UserDetailList": [], "Policies": []}"#)]);
    assert_count(&loaded, 1);
    expect(
        &loaded,
        Severity::Warning,
        "empty.json",
        1,
        1,
        "its account id cannot be told",
    );
    assert!(loaded.workspace.accounts.is_empty());
}

#[test]
fn a_skipped_file_does_not_shift_the_next_accounts_problems() {
    // Regression: the skipped file's context stayed among the account
    // contexts, so b.json's unresolved policy was reported in a.json at 1:1.
    let b = r#"{
  "UserDetailList": [
    {"UserName": "u", "Arn": "arn:aws:iam::123456789012:user/u",
     "AttachedManagedPolicies": [{"PolicyName": "Gone", "PolicyArn": "arn:aws:iam::123456789012:policy/Gone"}]}
  ]
}"#;
    let loaded = load(&[("a.json", r#"{"Policies": []}"#), ("b.json", b)]);
    assert_count(&loaded, 2);
    expect(&loaded, Severity::Warning, "a.json", 1, 1, "is skipped");
    expect(
        &loaded,
        Severity::Error,
        "b.json",
        4,
        70,
        "policy arn:aws:iam::123456789012:policy/Gone is attached but defined nowhere",
    );
}

const ROLES: &str = r#"{
  "RoleDetailList": [
    {"RoleName": "short", "Arn": "arn:aws:iam::123456789012:role/short",
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "sts:AssumeRole"}]}},
    {"RoleName": "long", "Arn": "arn:aws:iam::123456789012:role/long", "MaxSessionDuration": 43200,
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "sts:AssumeRole"}]}},
    {"RoleName": "bad", "Arn": "arn:aws:iam::123456789012:role/bad", "MaxSessionDuration": 100,
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "sts:AssumeRole"}]}}
  ]
}"#;

#[test]
fn max_session_duration_is_read_defaults_to_an_hour_and_is_range_checked() {
    let loaded = load(&[("roles.json", ROLES)]);
    let roles = &loaded.workspace.accounts[0].roles;
    assert_eq!(roles[0].max_session_seconds, 3600);
    assert_eq!(roles[1].max_session_seconds, 43200);
    assert_count(&loaded, 1);
    expect(
        &loaded,
        Severity::Error,
        "roles.json",
        7,
        92,
        "MaxSessionDuration is 100 s; AWS allows 3600 to 43200",
    );
    // The role stays, with AWS's default.
    assert_eq!(roles[2].max_session_seconds, 3600);
}
