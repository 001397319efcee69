//! The headless commands on an iam-collect store
//! (tests/fixtures/iam-collect/org-store: two organizations, written in the
//! shape of cloud-copilot/iam-collect's docs/Storage.md), and the
//! organization keys derived from an organization file's `Id`.

mod common;

use std::path::Path;

use common::{iamscope, snapshot};
use serde_json::Value;

const STORE: &str = "tests/fixtures/iam-collect/org-store";
const BUCKET_OBJECT: &str = "arn:aws:s3:::org-shared-data/report.csv";
const KEY: &str = "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn check(principal: &str, action: &str, resource: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "check",
        STORE,
        "--principal",
        principal,
        "--action",
        action,
        "--resource",
        resource,
        "--json",
    ];
    args.extend_from_slice(extra);
    let run = iamscope(&args);
    let value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "check --json prints JSON ({e}):\n{}\n{}",
            run.stdout, run.stderr
        )
    });
    (run.code, value)
}

fn decision(value: &Value) -> &str {
    value["decision"].as_str().unwrap_or_default()
}

#[test]
fn validate_opens_the_store_with_one_warning() {
    let run = iamscope(&["validate", STORE]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(
            "6 accounts, 13 principals, 6 resource policies, an organization; 0 errors, 1 warning"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("account 777777777777 has no IAM data"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_bucket_policy_on_principal_org_id_admits_the_organization_without_flags() {
    // dev-alice (333333333333, organization A) reads through her group's
    // policy and the bucket policy's aws:PrincipalOrgID condition.
    let (code, value) = check("dev-alice", "s3:GetObject", BUCKET_OBJECT, &[]);
    assert_eq!((code, decision(&value)), (0, "Allow"), "{value:#}");
    // `--context` still overrides what the workspace derives.
    let (code, value) = check(
        "dev-alice",
        "s3:GetObject",
        BUCKET_OBJECT,
        &["--context", "aws:PrincipalOrgID=o-zzzzzzzzzz"],
    );
    assert_eq!(code, 1, "{value:#}");
    // The outsider (organization B) is stopped by the RCP data perimeter of
    // organization A and by the bucket policy's condition.
    let (code, value) = check("outsider", "s3:GetObject", BUCKET_OBJECT, &[]);
    assert_eq!((code, decision(&value)), (1, "ExplicitDeny"), "{value:#}");
}

#[test]
fn scps_of_nested_ous_and_the_management_account() {
    // The Sandbox OU's SCP denies S3 to its administrator.
    let (code, value) = check("sandbox-admin", "s3:GetObject", BUCKET_OBJECT, &[]);
    assert_eq!((code, decision(&value)), (1, "ExplicitDeny"), "{value:#}");
    let text = value.to_string();
    assert!(text.contains("SandboxNoS3"), "{value:#}");
    // SCPs do not restrict the management account of either organization.
    let (code, _) = check("b-admin", "organizations:LeaveOrganization", "*", &[]);
    assert_eq!(code, 0);
    // Organization B's Apps OU denies deleting objects to the account nested below it.
    let (code, value) = check(
        "outsider",
        "s3:DeleteObject",
        "arn:aws:s3:::somewhere/x",
        &[],
    );
    assert_eq!(code, 1);
    assert!(
        value.to_string().contains("AppsNoObjectDeletion"),
        "{value:#}"
    );
}

#[test]
fn a_kms_key_policy_and_an_rcp_on_principal_org_paths() {
    let (code, _) = check("DataReader", "kms:Decrypt", KEY, &[]);
    assert_eq!(code, 0);
    // The key policy names the account: the analyst needs an identity allow.
    let (code, value) = check("analyst", "kms:Decrypt", KEY, &[]);
    assert_eq!((code, decision(&value)), (1, "ImplicitDeny"));
    // The Prod OU's RCP admits only principals under the Workloads OU: the
    // management account's administrator is at o-…/r-aaaa/.
    let (code, value) = check("org-admin", "kms:Decrypt", KEY, &[]);
    assert_eq!((code, decision(&value)), (1, "ExplicitDeny"));
    assert!(value.to_string().contains("ProdKeysInOrg"), "{value:#}");
}

#[test]
fn a_role_trusting_another_account_and_the_sso_role() {
    // DeployRole (333333333333) trusts the management account.
    let role = "arn:aws:iam::333333333333:role/DeployRole";
    let (code, _) = check("org-admin", "sts:AssumeRole", role, &[]);
    assert_eq!(code, 0);
    let (code, _) = check("analyst", "sts:AssumeRole", role, &[]);
    assert_eq!(code, 1);
    // The IAM Identity Center role under /aws-reserved/sso.amazonaws.com/
    // reads through the bundled ReadOnlyAccess.
    let sso = "arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_ReadOnly_0123456789abcdef";
    let (code, value) = check(sso, "s3:GetObject", BUCKET_OBJECT, &[]);
    assert_eq!(code, 0, "{value:#}");
}

#[test]
fn resource_tags_feed_aws_resource_tag() {
    let secret =
        |name: &str| format!("arn:aws:secretsmanager:eu-west-1:222222222222:secret:{name}");
    let (code, _) = check(
        "secrets-reader",
        "secretsmanager:GetSecretValue",
        &secret("reports-db-AbCdEf"),
        &[],
    );
    assert_eq!(code, 0);
    let (code, _) = check(
        "secrets-reader",
        "secretsmanager:GetSecretValue",
        &secret("billing-db-GhIjKl"),
        &[],
    );
    assert_eq!(code, 1);
}

#[test]
fn block_public_access_restricts_a_public_bucket_to_its_account() {
    let object = "arn:aws:s3:::public-assets/logo.png";
    // Same account: the public grant stands.
    let (code, _) = check("web-publisher", "s3:GetObject", object, &[]);
    assert_eq!(code, 0);
    // Another account of the organization, with an identity allow: the
    // public policy's grant is ignored under RestrictPublicBuckets.
    let (code, value) = check("dev-alice", "s3:GetObject", object, &[]);
    assert_eq!(code, 1);
    assert!(
        value.to_string().contains("RestrictPublicBuckets"),
        "{value:#}"
    );
}

#[test]
fn a_bucket_without_a_policy_still_has_its_owner() {
    // The store lists every bucket of every account: a bucket without a
    // policy is still another account's, so the management account's
    // administrator is refused (cross-account needs the bucket to allow).
    let object = "arn:aws:s3:::dev-artifacts/build.zip";
    let (code, _) = check("dev-alice", "s3:GetObject", object, &[]);
    assert_eq!(code, 0);
    let (code, value) = check("org-admin", "s3:GetObject", object, &[]);
    assert_eq!((code, decision(&value)), (1, "ImplicitDeny"), "{value:#}");
}

#[test]
fn permissions_of_a_store_principal() {
    let run = iamscope(&[
        "permissions",
        STORE,
        "--principal",
        "dev-alice",
        "--service",
        "s3",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("dev-alice (arn:aws:iam::333333333333:user/dev-alice) — 2 actions allowed"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("s3:GetObject"));
    assert!(run.stdout.contains("s3:ListBucket"));
}

#[test]
fn who_can_read_the_bucket_names_every_principal_of_every_account() {
    let run = iamscope(&[
        "who-can",
        STORE,
        "--action",
        "s3:GetObject",
        "--resource",
        BUCKET_OBJECT,
        "--json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let mut direct: Vec<&str> = value["direct"]
        .as_array()
        .expect("direct")
        .iter()
        .filter_map(|p| p["principal"].as_str())
        .collect();
    direct.sort();
    assert_eq!(
        direct,
        [
            // The management account: SCPs do not apply, the RCP admits the organization.
            "arn:aws:iam::111111111111:role/OrganizationAuditor",
            "arn:aws:iam::111111111111:user/org-admin",
            // The bucket's account: a grant to everyone in the same account
            // needs no identity allow (IAM User Guide, reference_policies_elements_principal).
            "arn:aws:iam::222222222222:role/DataReader",
            "arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_ReadOnly_0123456789abcdef",
            "arn:aws:iam::222222222222:user/analyst",
            "arn:aws:iam::222222222222:user/secrets-reader",
            "arn:aws:iam::222222222222:user/web-publisher",
            // Another account of the organization, with an identity allow.
            "arn:aws:iam::333333333333:user/dev-alice",
        ]
    );
    // Not the sandbox (SCP), dev-bob (no identity allow), nor organization B (RCP, bucket policy).
    for absent in ["sandbox-admin", "dev-bob", "outsider", "b-admin"] {
        assert!(!run.stdout.contains(absent), "{absent} listed");
    }
}

#[test]
fn commands_on_a_store_write_nothing() {
    let before = snapshot(Path::new(STORE));
    iamscope(&["validate", STORE]);
    iamscope(&[
        "who-can",
        STORE,
        "--action",
        "s3:GetObject",
        "--resource",
        BUCKET_OBJECT,
    ]);
    assert_eq!(before, snapshot(Path::new(STORE)));
}

/// A temporary workspace folder, removed when dropped.
struct Folder(std::path::PathBuf);

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn an_organization_file_with_an_id_gives_the_organization_keys() {
    let dir = std::env::temp_dir().join(format!("iamscope-cli-collect-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let folder = Folder(dir.clone());
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).expect("write");
    write(
        "a.json",
        r#"{"UserDetailList": [{"UserName": "reader", "UserId": "AIDAREADER", "Arn": "arn:aws:iam::111111111111:user/reader", "Path": "/",
            "UserPolicyList": [{"PolicyName": "s3", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}]}]}"#,
    );
    write(
        "b.json",
        r#"{"UserDetailList": [{"UserName": "owner", "UserId": "AIDAOWNER", "Arn": "arn:aws:iam::222222222222:user/owner", "Path": "/"}]}"#,
    );
    write(
        "organization.json",
        r#"{"Organization": {"Id": "o-exampleorg1", "ManagementAccountId": "999999999999", "Roots": [{"Id": "r-ex12"}],
            "OrganizationalUnits": [{"Id": "ou-ex12-apps", "Name": "Apps", "ParentId": "r-ex12"}],
            "Accounts": [{"Id": "111111111111", "Name": "a", "ParentId": "ou-ex12-apps"}, {"Id": "222222222222", "Name": "b", "ParentId": "r-ex12"}],
            "ServiceControlPolicies": [], "ResourceControlPolicies": []}}"#,
    );
    write(
        "resource-policies.json",
        r#"{"ResourcePolicies": [{"Arn": "arn:aws:s3:::shared", "AccountId": "222222222222", "Policy": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/*",
             "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-exampleorg1", "aws:ResourceAccount": "222222222222"},
                           "StringLike": {"aws:PrincipalOrgPaths": "o-exampleorg1/r-ex12/ou-ex12-apps/*", "aws:ResourceOrgPaths": "o-exampleorg1/r-ex12/"},
                           "ForAnyValue:StringEquals": {"aws:ResourceOrgID": "o-exampleorg1"}}}]}}]}"#,
    );
    let path = dir.display().to_string();
    let run = iamscope(&[
        "check",
        &path,
        "--principal",
        "reader",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::shared/x",
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    drop(folder);
}
