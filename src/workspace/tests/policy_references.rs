//! What policies refer to: unique ids in trust policies, managed policy
//! versions, AWS managed policies from the bundle, attachments and groups
//! defined nowhere.

use super::*;

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
