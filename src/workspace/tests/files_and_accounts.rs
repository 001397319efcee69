//! The organization file, resources and accounts across files, file kinds and
//! encodings, the order of diagnostics, and the workshop sample.

use super::validate::{DUPLICATES, STATEMENTS};
use super::*;

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
pub(super) const DEV: &str = r#"{
  "UserDetailList": [{"UserName": "alice", "Arn": "arn:aws:iam::111111111111:user/alice"}]
}"#;
pub(super) const PROD: &str = r#"{
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
