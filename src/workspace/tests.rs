//! Loader tests: file kinds, dump shapes, and every validation problem with its place.
//!
//! Inputs are small JSON texts written as raw strings that start with `{` on
//! line 1, so the lines and columns asserted here can be counted in the
//! source. Each test also pins the number of diagnostics, so a stray problem
//! (or a missing one) fails it.

use super::*;
use crate::model::policy_ref::PolicySource;
use crate::policy::principal::{AwsPrincipal, PrincipalSpec};
use crate::policy::statement::ActionSpec;

/// Loads the given `(name, text)` files in that order.
fn load(files: &[(&str, &str)]) -> Loaded {
    load_sources(
        "test",
        files
            .iter()
            .map(|(name, text)| Source {
                name: name.to_string(),
                bytes: text.as_bytes().to_vec(),
            })
            .collect(),
    )
}

/// The diagnostics as `validate` prints them, for assertion messages.
fn rendered(loaded: &Loaded) -> Vec<String> {
    loaded.diagnostics.iter().map(|d| d.to_string()).collect()
}

#[track_caller]
fn assert_count(loaded: &Loaded, expected: usize) {
    assert_eq!(
        loaded.diagnostics.len(),
        expected,
        "diagnostics: {:#?}",
        rendered(loaded)
    );
}

/// Asserts that exactly one diagnostic has this severity, file and
/// line:column, and that its message contains `fragment`.
#[track_caller]
fn expect<'a>(
    loaded: &'a Loaded,
    severity: Severity,
    file: &str,
    line: usize,
    column: usize,
    fragment: &str,
) -> &'a Diagnostic {
    let position = Some(Position { line, column });
    let found: Vec<&Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == severity && d.file == file && d.position == position)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {severity} at {file}:{line}:{column}; diagnostics: {:#?}",
        rendered(loaded)
    );
    assert!(
        found[0].message.contains(fragment),
        "message {:?} lacks {fragment:?}",
        found[0].message
    );
    found[0]
}

/// Every `Action` pattern of a policy, in statement order.
fn actions(policy: &NamedPolicy) -> Vec<String> {
    policy
        .policy
        .statements
        .iter()
        .flat_map(|s| match &s.actions {
            ActionSpec::Action(list) | ActionSpec::NotAction(list) => {
                list.iter().map(|a| a.raw().to_string()).collect::<Vec<_>>()
            }
        })
        .collect()
}

use crate::model::NamedPolicy;

// ---------------------------------------------------------------- dump shapes

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

const ORPHANED: &str = r#"{
  "RoleDetailList": [
    {
      "RoleName": "LegacyReporting",
      "Arn": "arn:aws:iam::123456789012:role/LegacyReporting",
      "AssumeRolePolicyDocument": {
        "Version": "2012-10-17",
        "Statement": [
          {"Effect": "Allow", "Principal": {"AWS": ["AIDAJQABLZS4A3QDU576Q", "arn:aws:iam::123456789012:user/bob"]}, "Action": "sts:AssumeRole"}
        ]
      }
    }
  ]
}"#;

#[test]
fn an_orphaned_unique_id_in_a_trust_policy_is_kept_with_a_warning() {
    let loaded = load(&[("a.json", ORPHANED)]);
    assert_count(&loaded, 1);
    let d = expect(
        &loaded,
        Severity::Warning,
        "a.json",
        9,
        53,
        "AIDAJQABLZS4A3QDU576Q is the unique id of a deleted user or role (an orphaned principal)",
    );
    assert_eq!(
        d.path.as_deref(),
        Some("RoleDetailList[0].AssumeRolePolicyDocument.Statement[0].Principal.AWS[0]")
    );
    let trust = loaded.workspace.accounts[0].roles[0]
        .trust_policy
        .as_ref()
        .expect("the trust policy is read");
    // The statement is kept, with the orphan and the live principal both in it.
    assert_eq!(trust.policy.statements.len(), 1);
    let Some(PrincipalSpec::Principal(set)) = &trust.policy.statements[0].principal else {
        panic!("expected a Principal element");
    };
    assert_eq!(
        set.orphaned().collect::<Vec<_>>(),
        ["AIDAJQABLZS4A3QDU576Q"]
    );
    assert_eq!(set.aws.len(), 2);
    assert!(matches!(&set.aws[0], AwsPrincipal::Orphaned(id) if id == "AIDAJQABLZS4A3QDU576Q"));
}

const VERSIONS: &str = r#"{
  "UserDetailList": [
    {"UserName": "u", "Arn": "arn:aws:iam::123456789012:user/u",
     "AttachedManagedPolicies": [
       {"PolicyName": "Flagged", "PolicyArn": "arn:aws:iam::123456789012:policy/Flagged"},
       {"PolicyName": "ById", "PolicyArn": "arn:aws:iam::123456789012:policy/ById"}
     ]}
  ],
  "Policies": [
    {
      "PolicyName": "Flagged",
      "Arn": "arn:aws:iam::123456789012:policy/Flagged",
      "DefaultVersionId": "v2",
      "PolicyVersionList": [
        {"VersionId": "v2", "IsDefaultVersion": true,
         "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}},
        {"VersionId": "v1", "IsDefaultVersion": false,
         "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Permit", "Action": "iam:*", "Resource": "*"}]}}
      ]
    },
    {
      "PolicyName": "ById",
      "Arn": "arn:aws:iam::123456789012:policy/ById",
      "DefaultVersionId": "v1",
      "PolicyVersionList": [
        {"VersionId": "v3", "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]}},
        {"VersionId": "v1", "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}]}}
      ]
    }
  ]
}"#;

#[test]
fn managed_policies_resolve_to_their_default_version() {
    let loaded = load(&[("a.json", VERSIONS)]);
    let policies = &loaded.workspace.accounts[0].policies;
    let flagged = &policies["arn:aws:iam::123456789012:policy/Flagged"];
    let document = flagged.default_document().expect("a default version");
    assert_eq!(actions(document), ["s3:GetObject"]);
    assert_eq!(document.origin.source, PolicySource::CustomerManaged);
    // Without IsDefaultVersion flags, DefaultVersionId decides.
    let by_id = &policies["arn:aws:iam::123456789012:policy/ById"];
    let document = by_id.default_document().expect("a default version");
    assert_eq!(actions(document), ["ec2:Describe*"]);
    let defaults: Vec<_> = by_id
        .versions
        .iter()
        .map(|v| (v.version_id.as_str(), v.is_default))
        .collect();
    assert_eq!(defaults, [("v3", false), ("v1", true)]);
    // The workspace lookup evaluation uses gives the same document.
    let seen = loaded
        .workspace
        .managed_policy("123456789012", "arn:aws:iam::123456789012:policy/ById")
        .and_then(|p| p.default_document())
        .map(|d| actions(d));
    assert_eq!(seen, Some(vec!["ec2:Describe*".to_string()]));
}

#[test]
fn errors_in_a_non_default_version_are_only_warnings() {
    let loaded = load(&[("a.json", VERSIONS)]);
    assert_count(&loaded, 1);
    expect(
        &loaded,
        Severity::Warning,
        "a.json",
        18,
        73,
        "Effect must be \"Allow\" or \"Deny\", not \"Permit\"; the statement is set aside (in a non-default version, not in force)",
    );
    assert!(!loaded.has_errors());
}

#[test]
fn a_policy_without_its_default_version_is_an_error() {
    let text = r#"{
  "Policies": [
    {
      "PolicyName": "Lost",
      "Arn": "arn:aws:iam::123456789012:policy/Lost",
      "DefaultVersionId": "v9",
      "PolicyVersionList": [
        {"VersionId": "v1", "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]}}
      ]
    }
  ]
}"#;
    let loaded = load(&[("a.json", text)]);
    assert_count(&loaded, 1);
    expect(
        &loaded,
        Severity::Error,
        "a.json",
        7,
        28,
        "policy Lost has no default version (DefaultVersionId \"v9\" is not in PolicyVersionList)",
    );
    let lost = &loaded.workspace.accounts[0].policies["arn:aws:iam::123456789012:policy/Lost"];
    assert!(lost.default_document().is_none());
}

const AWS_MANAGED: &str = r#"{
  "UserDetailList": [
    {"UserName": "u", "Arn": "arn:aws:iam::123456789012:user/u",
     "AttachedManagedPolicies": [
       {"PolicyName": "ReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
       {"PolicyName": "NoSuchPolicy", "PolicyArn": "arn:aws:iam::aws:policy/NoSuchPolicyAtAll"},
       {"PolicyName": "AmazonS3ReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}
     ],
     "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"}}
  ],
  "Policies": [
    {
      "PolicyName": "AmazonS3ReadOnlyAccess",
      "Arn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
      "DefaultVersionId": "v1",
      "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true,
        "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}]
    },
    {
      "PolicyName": "Local",
      "Arn": "arn:aws:iam::123456789012:policy/Local",
      "DefaultVersionId": "v1",
      "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true,
        "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}]
    }
  ]
}"#;

#[test]
fn aws_managed_policies_missing_from_the_dump_come_from_the_bundle() {
    let loaded = load(&[("a.json", AWS_MANAGED)]);
    let ws = &loaded.workspace;
    // The account id comes from the user and the customer managed policy,
    // never from the AWS managed one (whose account part is "aws").
    assert_eq!(ws.accounts[0].id, "123456789012");
    let bundled: Vec<_> = ws.bundled_policies.keys().map(String::as_str).collect();
    assert_eq!(
        bundled,
        [
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
        ]
    );
    let read_only = ws
        .managed_policy("123456789012", "arn:aws:iam::aws:policy/ReadOnlyAccess")
        .expect("resolved from the bundle");
    assert_eq!(read_only.name, "ReadOnlyAccess");
    let document = read_only.default_document().expect("one version");
    assert_eq!(document.origin.source, PolicySource::AwsManagedBundled);
    assert!(!document.policy.statements.is_empty());
    assert_eq!(
        ws.bundled_policies["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"].path,
        "/job-function/"
    );
    // The dump's own copy wins over the bundle, even where it differs.
    let s3 = ws
        .managed_policy(
            "123456789012",
            "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        )
        .and_then(|p| p.default_document())
        .expect("in the dump");
    assert_eq!(s3.origin.source, PolicySource::AwsManaged);
    assert_eq!(actions(s3), ["s3:GetObject"]);
}

#[test]
fn an_unknown_aws_managed_policy_is_a_warning_and_grants_nothing() {
    let loaded = load(&[("a.json", AWS_MANAGED)]);
    assert_count(&loaded, 1);
    expect(
        &loaded,
        Severity::Warning,
        "a.json",
        6,
        52,
        "AWS managed policy arn:aws:iam::aws:policy/NoSuchPolicyAtAll is neither in the dump nor among the",
    );
    assert!(loaded
        .workspace
        .managed_policy("123456789012", "arn:aws:iam::aws:policy/NoSuchPolicyAtAll")
        .is_none());
}

const UNRESOLVED: &str = r#"{
  "UserDetailList": [
    {"UserName": "u", "Arn": "arn:aws:iam::123456789012:user/u",
     "AttachedManagedPolicies": [{"PolicyName": "Gone", "PolicyArn": "arn:aws:iam::123456789012:policy/Gone"}],
     "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::123456789012:policy/MissingBoundary"}}
  ],
  "GroupDetailList": [
    {"GroupName": "g", "Arn": "arn:aws:iam::123456789012:group/g",
     "AttachedManagedPolicies": [{"PolicyName": "Foreign", "PolicyArn": "arn:aws:iam::999999999999:policy/Foreign"}]}
  ],
  "RoleDetailList": [
    {"RoleName": "r", "Arn": "arn:aws:iam::123456789012:role/r",
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
     "AttachedManagedPolicies": [{"PolicyName": "Typo", "PolicyArn": "policy/Typo"}]}
  ]
}"#;

#[test]
fn attached_policies_and_boundaries_defined_nowhere_are_errors() {
    let loaded = load(&[("a.json", UNRESOLVED)]);
    assert_count(&loaded, 4);
    expect(
        &loaded,
        Severity::Error,
        "a.json",
        4,
        70,
        "policy arn:aws:iam::123456789012:policy/Gone is attached but defined nowhere (not in Policies); it grants nothing",
    );
    expect(
        &loaded,
        Severity::Error,
        "a.json",
        5,
        93,
        "policy arn:aws:iam::123456789012:policy/MissingBoundary is attached but defined nowhere (not in Policies); as a boundary that cannot be read, it allows nothing",
    );
    expect(
        &loaded,
        Severity::Error,
        "a.json",
        9,
        73,
        "policy arn:aws:iam::999999999999:policy/Foreign belongs to account 999999999999",
    );
    expect(
        &loaded,
        Severity::Error,
        "a.json",
        14,
        70,
        "\"policy/Typo\" is not a policy ARN",
    );
}

#[test]
fn a_group_the_file_does_not_list_is_a_warning() {
    let text = r#"{
  "UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::123456789012:user/u", "GroupList": ["ghosts"]}]
}"#;
    let loaded = load(&[("a.json", text)]);
    assert_count(&loaded, 1);
    expect(
        &loaded,
        Severity::Warning,
        "a.json",
        2,
        97,
        "user u is in group \"ghosts\", which the dump of account 123456789012 does not list",
    );
}

// ------------------------------------------------ what `validate` reports

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

const STATEMENTS: &str = r#"{
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

const DUPLICATES: &str = r#"{
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

const ORG: &str = r#"{
  "Organization": {
    "ManagementAccountId": "999999999999",
    "Roots": [{"Id": "r-ab12"}],
    "OrganizationalUnits": [{"Id": "ou-ab12-11111111", "Name": "Workloads", "ParentId": "r-ab12"}],
    "Accounts": [{"Id": "123456789012", "Name": "dev", "ParentId": "ou-ab12-11111111"}],
    "ServiceControlPolicies": [
      {"Name": "DenyLeave", "Targets": ["r-ab12", "ou-ab12-99999999", "123456789012"],
       "Policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}]}}
    ],
    "ResourceControlPolicies": [
      {"Name": "Rcp", "Targets": ["210987654321"],
       "Policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}
    ]
  }
}"#;

#[test]
fn policy_targets_must_name_a_listed_root_ou_or_account() {
    let loaded = load(&[("org.json", ORG)]);
    assert_count(&loaded, 2);
    expect(
        &loaded,
        Severity::Error,
        "org.json",
        8,
        51,
        "target \"ou-ab12-99999999\" of DenyLeave names no listed root, OU or account",
    );
    expect(
        &loaded,
        Severity::Error,
        "org.json",
        12,
        35,
        "target \"210987654321\" of Rcp names no listed root, OU or account",
    );
    let org = loaded.workspace.organization.as_ref().expect("read");
    assert_eq!(org.file, "org.json");
    assert_eq!(org.service_control_policies.len(), 1);
    assert_eq!(org.resource_control_policies.len(), 1);
}

#[test]
fn a_second_organization_file_is_an_error() {
    let loaded = load(&[("org.json", ORG), ("org2.json", ORG)]);
    let d = expect(
        &loaded,
        Severity::Error,
        "org2.json",
        1,
        1,
        "a second organization file; the organization is already read from org.json",
    );
    assert_eq!(d.path, None);
    assert_eq!(
        loaded
            .workspace
            .organization
            .as_ref()
            .map(|o| o.file.as_str()),
        Some("org.json")
    );
}

/// Two accounts, so an S3 ARN (no account) needs an `AccountId`.
const DEV: &str = r#"{
  "UserDetailList": [{"UserName": "alice", "Arn": "arn:aws:iam::111111111111:user/alice"}]
}"#;
const PROD: &str = r#"{
  "UserDetailList": [{"UserName": "alice", "Arn": "arn:aws:iam::222222222222:user/alice"}]
}"#;
const RESOURCES: &str = r#"{
  "ResourcePolicies": [
    {"Arn": "arn:aws:s3:::no-owner", "Policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::no-owner/*"}]}},
    {"Arn": "arn:aws:s3:::owned", "AccountId": "222222222222", "Policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::owned/*"}]}},
    {"Arn": "arn:aws:sqs:eu-west-1:111111111111:queue", "Policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*"}]}},
    {"Arn": "bucket", "AccountId": "1234", "Policy": {"Version": "2012-10-17", "Statement": []}}
  ]
}"#;

#[test]
fn a_resource_without_account_needs_one_when_there_are_two_accounts() {
    let loaded = load(&[
        ("dev.json", DEV),
        ("prod.json", PROD),
        ("rp.json", RESOURCES),
    ]);
    assert_count(&loaded, 2);
    // AccountId is missing, so the entry itself is pointed at.
    let d = expect(
        &loaded,
        Severity::Error,
        "rp.json",
        3,
        5,
        "arn:aws:s3:::no-owner carries no account id and the workspace has 2 accounts: add \"AccountId\"; until then this resource policy is set aside",
    );
    assert_eq!(d.path.as_deref(), Some("ResourcePolicies[0].AccountId"));
    expect(
        &loaded,
        Severity::Error,
        "rp.json",
        6,
        13,
        "\"bucket\" is not an ARN",
    );
    // The entry with a bad ARN is dropped, and so is the one whose owner
    // cannot be told; the others are kept.
    assert_eq!(loaded.workspace.resource_policies.len(), 2);
    let set_aside: Vec<&str> = loaded
        .workspace
        .set_aside_resources
        .iter()
        .map(|(arn, _)| arn.as_str())
        .collect();
    assert_eq!(set_aside, ["arn:aws:s3:::no-owner"]);
}

#[test]
fn a_resource_without_account_belongs_to_the_only_account() {
    let loaded = load(&[("dev.json", DEV), ("rp.json", RESOURCES)]);
    assert_count(&loaded, 1);
    expect(
        &loaded,
        Severity::Error,
        "rp.json",
        6,
        13,
        "\"bucket\" is not an ARN",
    );
    assert_eq!(
        loaded
            .workspace
            .resource_account("arn:aws:s3:::no-owner/key", "111111111111"),
        Some("111111111111")
    );
}

#[test]
fn two_files_for_the_same_account_are_an_error() {
    let loaded = load(&[("dev.json", DEV), ("dev-again.json", DEV)]);
    assert_count(&loaded, 1);
    expect(
        &loaded,
        Severity::Error,
        "dev-again.json",
        1,
        1,
        "account 111111111111 is already read from dev.json; one file per account",
    );
    assert_eq!(loaded.workspace.accounts.len(), 1);
}

#[test]
fn same_name_in_two_accounts_is_no_error() {
    let loaded = load(&[("dev.json", DEV), ("prod.json", PROD)]);
    assert_count(&loaded, 0);
    assert_eq!(loaded.workspace.accounts.len(), 2);
}

#[test]
fn an_unrelated_json_file_is_not_a_workspace_file() {
    let package = r#"{
  "name": "my-app",
  "version": "1.0.0"
}"#;
    let loaded = load(&[
        ("package.json", package),
        ("list.json", "[1, 2]"),
        ("string.json", "\n  \"hello\""),
    ]);
    assert_count(&loaded, 3);
    expect(
        &loaded,
        Severity::Error,
        "string.json",
        2,
        3,
        "not a workspace file: it holds a string, not a JSON object",
    );
    expect(
        &loaded,
        Severity::Error,
        "package.json",
        1,
        1,
        "not a workspace file: expected the output of `aws iam get-account-authorization-details`",
    );
    // Regression: serde read the array as the struct's fields and said
    // "invalid type: integer `1`, expected a sequence" at 1:2.
    expect(
        &loaded,
        Severity::Error,
        "list.json",
        1,
        1,
        "not a workspace file: it holds an array, not a JSON object; expected the output of",
    );
}

#[test]
fn a_file_mixing_kinds_is_an_error() {
    let text = r#"{"UserDetailList": [], "ResourcePolicies": []}"#;
    let loaded = load(&[("mixed.json", text)]);
    assert_count(&loaded, 1);
    expect(
        &loaded,
        Severity::Error,
        "mixed.json",
        1,
        1,
        "the file mixes account, resource-policy and organization keys",
    );
}

fn load_bytes(name: &str, bytes: &[u8]) -> Loaded {
    load_sources(
        "test",
        vec![Source {
            name: name.to_string(),
            bytes: bytes.to_vec(),
        }],
    )
}

#[test]
fn a_non_utf8_file_is_an_error_at_the_bad_byte() {
    // Latin-1 "é" (0xE9) on line 2, after `  "UserName": "Ren`.
    let loaded = load_bytes(
        "latin1.json",
        b"{\"UserDetailList\": [\n  {\"UserName\": \"Ren\xe9\"}]}",
    );
    assert_count(&loaded, 1);
    expect(
        &loaded,
        Severity::Error,
        "latin1.json",
        2,
        20,
        "the file is not UTF-8 text (invalid byte at offset 40)",
    );
}

#[test]
fn a_utf16_file_is_named_as_such() {
    let text = DEV.encode_utf16().flat_map(u16::to_le_bytes);
    let bytes: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text).collect();
    let loaded = load_bytes("ps.json", &bytes);
    assert_count(&loaded, 1);
    expect(
        &loaded,
        Severity::Error,
        "ps.json",
        1,
        1,
        "the file is UTF-16 text",
    );
}

#[test]
fn a_utf8_byte_order_mark_is_ignored() {
    let bytes: Vec<u8> = b"\xEF\xBB\xBF"
        .iter()
        .chain(DEV.as_bytes())
        .copied()
        .collect();
    let loaded = load_bytes("bom.json", &bytes);
    assert_count(&loaded, 0);
    assert_eq!(loaded.workspace.accounts[0].id, "111111111111");
}

#[test]
fn diagnostics_are_sorted_by_file_and_position() {
    let loaded = load(&[("s.json", STATEMENTS), ("d.json", DUPLICATES)]);
    let places: Vec<(String, usize)> = loaded
        .diagnostics
        .iter()
        .map(|d| (d.file.clone(), d.position.map_or(0, |p| p.line)))
        .collect();
    let mut sorted = places.clone();
    sorted.sort();
    assert_eq!(places, sorted);
    assert_eq!(places.first().map(|p| p.0.as_str()), Some("d.json"));
}

#[test]
fn the_workshop_sample_loads_clean() {
    let loaded = crate::bundled::workshop::load();
    assert_eq!(loaded.errors().count(), 0, "{:#?}", rendered(&loaded));
    // The one warning is the lesson on orphaned principals.
    let warnings: Vec<_> = loaded.warnings().collect();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].message.contains("orphaned principal"));
    assert_eq!(
        warnings[0].file,
        "sample-accounts/workshop/dev-111111111111.json"
    );
}

// ------------------------------------------------------------- load_path

/// A fresh folder under the system temp dir, removed on drop.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!(
            "iamscope-workspace-test-{}-{label}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    fn write(&self, name: &str, text: &str) -> std::path::PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("write fixture");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn load_path_on_a_missing_path_says_so() {
    let dir = TempDir::new("missing");
    let missing = dir.0.join("nowhere");
    match load_path(&missing) {
        Err(e @ LoadError::NotFound(_)) => assert_eq!(
            e.to_string(),
            format!("{}: no such file or folder", missing.display())
        ),
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[test]
fn load_path_on_a_folder_without_json_files_says_so() {
    let dir = TempDir::new("empty");
    dir.write("notes.txt", "not json");
    std::fs::create_dir(dir.0.join("sub.json")).expect("a folder named like a file");
    match load_path(&dir.0) {
        Err(e @ LoadError::NoJsonFiles { .. }) => assert_eq!(
            e.to_string(),
            format!(
                "{}: the folder holds no .json file; it holds notes.txt; a workspace is the output of \
                 `aws iam get-account-authorization-details`, one .json file per account",
                dir.0.display()
            )
        ),
        other => panic!("expected NoJsonFiles, got {other:?}"),
    }
}

#[test]
fn load_path_reads_a_folders_json_files_in_name_order_and_skips_subfolders() {
    let dir = TempDir::new("folder");
    let prod = dir.write("b-prod.json", PROD);
    let dev = dir.write("a-dev.JSON", DEV);
    dir.write("README.md", "# not read");
    let sub = dir.0.join("tours");
    std::fs::create_dir(&sub).expect("subfolder");
    // Would be an error if it were read.
    std::fs::write(sub.join("broken.json"), "{").expect("write");
    let loaded = load_path(&dir.0).expect("loads");
    assert_count(&loaded, 0);
    let files: Vec<_> = loaded
        .workspace
        .accounts
        .iter()
        .map(|a| a.file.clone())
        .collect();
    assert_eq!(
        files,
        [dev.display().to_string(), prod.display().to_string()]
    );
    assert_eq!(
        loaded.workspace.name,
        format!("iamscope-workspace-test-{}-folder", std::process::id())
    );
}

#[test]
fn load_path_reads_a_single_file_and_names_the_workspace_after_it() {
    let dir = TempDir::new("single");
    let file = dir.write("dev.json", DEV);
    let loaded = load_path(&file).expect("loads");
    assert_count(&loaded, 0);
    assert_eq!(loaded.workspace.name, "dev");
    assert_eq!(
        loaded.workspace.accounts[0].file,
        file.display().to_string()
    );
}

#[test]
fn files_over_the_size_limit_are_refused_before_reading() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-accounts/workshop");
    let options = super::LoadOptions {
        max_file_bytes: 100,
    };
    // In a folder, each file over the limit is skipped with an error.
    let loaded = super::load_path_with(&path, &options).expect("the folder is read");
    assert!(loaded.workspace.accounts.is_empty());
    let errors: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
    assert_eq!(errors.len(), 4, "{errors:#?}");
    for text in &errors {
        assert!(text.contains("over the limit of 100 bytes"), "{text}");
        assert!(text.contains("IAMSCOPE_MAX_FILE_MB"), "{text}");
        assert!(text.ends_with("; the file is skipped"), "{text}");
    }
    // A file named on its own cannot be skipped: it is refused.
    let error = super::load_path_with(&path.join("dev-111111111111.json"), &options).unwrap_err();
    let text = error.to_string();
    assert!(text.contains("over the limit of 100 bytes"), "{text}");
    assert!(super::load_path_with(&path, &super::LoadOptions::default()).is_ok());
}

#[test]
fn deeply_nested_documents_are_an_error_not_a_crash() {
    let depth = 400;
    let nested = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let text = format!(
        r#"{{"Policies": [{{"PolicyName": "p", "Arn": "arn:aws:iam::111111111111:policy/p", "DefaultVersionId": "v1",
            "PolicyVersionList": [{{"VersionId": "v1", "IsDefaultVersion": true, "Document": {nested}}}]}}]}}"#
    );
    let loaded = super::load_sources(
        "deep",
        vec![super::Source {
            name: "deep.json".into(),
            bytes: text.into_bytes(),
        }],
    );
    let errors: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("deep.json:"), "{}", errors[0]);
    assert!(errors[0].contains("recursion limit"), "{}", errors[0]);
}

/// A FIFO would block the reader forever: it is skipped with a warning and
/// never opened (the test would hang if it were).
#[cfg(unix)]
#[test]
fn a_fifo_in_a_folder_is_skipped_unopened_and_the_rest_loads() {
    let dir = TempDir::new("fifo");
    dir.write(
        "a.json",
        r#"{"UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::123456789012:user/u"}]}"#,
    );
    let fifo = dir.0.join("pipe.json");
    let c_path = std::ffi::CString::new(fifo.display().to_string()).expect("no NUL in the path");
    // SAFETY: a valid NUL-terminated path; mkfifo only creates the node.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let loaded = load_path(&dir.0).expect("the folder loads");
    assert_eq!(loaded.workspace.accounts.len(), 1);
    let warnings: Vec<String> = loaded.warnings().map(|d| d.to_string()).collect();
    assert_eq!(
        warnings,
        [format!(
            "{}: warning: a FIFO (named pipe), not a regular file; it is skipped without being opened",
            fifo.display()
        )]
    );
    // Named on its own, it is refused, still unopened.
    let error = load_path(&fifo).unwrap_err().to_string();
    assert!(
        error.ends_with("a FIFO (named pipe), not a regular file; it is not opened"),
        "{error}"
    );
}

#[test]
fn a_folder_without_json_says_what_it_seems_to_be() {
    let hint = |setup: &dyn Fn(&TempDir)| -> String {
        let dir = TempDir::new("hint");
        setup(&dir);
        let error = load_path(&dir.0).unwrap_err().to_string();
        error
            .split_once("the folder holds no .json file")
            .map(|(_, rest)| rest.to_string())
            .unwrap_or(error)
    };
    assert_eq!(hint(&|_| {}), "; it is empty");
    let nested = hint(&|d| {
        std::fs::create_dir(d.0.join("prod")).expect("mkdir");
        d.write("prod/account.json", "{}");
    });
    assert_eq!(
        nested,
        "; its sub-folders prod do (sub-folders are not read): open one of them"
    );
    let tours = hint(&|d| {
        std::fs::create_dir(d.0.join("tours")).expect("mkdir");
        d.write("tours/t.json", "{}");
    });
    assert!(
        tours.starts_with("; it holds tours (tours/) but no account data"),
        "{tours}"
    );
    // The layout of cloud-copilot's iam-collect (docs/Storage.md).
    let store = hint(&|d| {
        std::fs::create_dir_all(d.0.join("aws/aws/accounts/123456789012")).expect("mkdir");
    });
    assert!(
        store.starts_with("; it looks like an iam-collect store"),
        "{store}"
    );
}
