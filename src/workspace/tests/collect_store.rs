//! Opening an iam-collect store: each piece of the layout, on the fixture
//! `tests/fixtures/iam-collect/org-store` (two organizations, written in the
//! shape iam-collect's docs/Storage.md describes), and its problems on a
//! messy store written here.

use std::path::{Path, PathBuf};

use super::*;
use crate::model::Tag;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/iam-collect/org-store")
}

fn store() -> Loaded {
    load_path(&fixture()).expect("the store opens")
}

/// A scratch store, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(label: &str) -> Scratch {
        let path = std::env::temp_dir().join(format!(
            "iamscope-collect-test-{}-{label}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        Scratch(path)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, text).expect("write");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_store_is_told_by_aws_partition_accounts() {
    assert!(collect::is_store(&fixture()));
    assert!(!collect::is_store(&fixture().join("aws")));
    let loaded = store();
    assert_eq!(loaded.workspace.name, "org-store");
    // 777777777777 has resources but no IAM data: a warning, no account.
    let ids: Vec<&str> = loaded
        .workspace
        .accounts
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "111111111111",
            "222222222222",
            "333333333333",
            "444444444444",
            "555555555555",
            "666666666666"
        ]
    );
    assert!(!loaded.has_errors(), "{:#?}", rendered(&loaded));
    let warnings: Vec<String> = loaded.warnings().map(|d| d.message.clone()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].contains("account 777777777777 has no IAM data"));
}

#[test]
fn users_groups_memberships_tags_and_inline_policies() {
    let loaded = store();
    let dev = loaded
        .workspace
        .account("333333333333")
        .expect("dev account");
    let alice = dev.user("dev-alice").expect("alice");
    assert_eq!(alice.arn, "arn:aws:iam::333333333333:user/dev-alice");
    assert_eq!(alice.groups, ["developers"]);
    assert_eq!(
        alice.tags,
        [Tag {
            key: "team".into(),
            value: "dev".into()
        }]
    );
    // The place of an entity is its metadata.json.
    assert!(alice
        .place
        .file
        .ends_with("iam/user/dev-alice/metadata.json"));
    let group = dev.group("developers").expect("group");
    assert_eq!(
        group.attached,
        ["arn:aws:iam::333333333333:policy/DevS3Read"]
    );
    let data = loaded
        .workspace
        .account("222222222222")
        .expect("data account");
    let analyst = data.user("analyst").expect("analyst");
    assert_eq!(analyst.inline_policies.len(), 1);
    assert_eq!(analyst.inline_policies[0].origin.name, "read-shared");
    assert_eq!(actions(&analyst.inline_policies[0]), ["s3:GetObject"]);
}

#[test]
fn roles_with_trust_policies_boundaries_and_encoded_paths() {
    let loaded = store();
    let data = loaded
        .workspace
        .account("222222222222")
        .expect("data account");
    let reader = data.role("DataReader").expect("role");
    let trust = reader.trust_policy.as_ref().expect("trust policy");
    assert!(trust
        .origin
        .file
        .ends_with("iam/role/datareader/trust-policy.json"));
    assert_eq!(
        reader.boundary.as_deref(),
        Some("arn:aws:iam::222222222222:policy/DataBoundary")
    );
    // The folder name is lower-cased and URL-encoded; the ARN is the truth.
    let sso = data
        .role("AWSReservedSSO_ReadOnly_0123456789abcdef")
        .expect("SSO role");
    assert_eq!(sso.path, "/aws-reserved/sso.amazonaws.com/eu-west-1/");
    assert!(sso.place.file.contains(
        "aws-reserved%2fsso.amazonaws.com%2feu-west-1%2fawsreservedsso_readonly_0123456789abcdef"
    ));
    assert!(!sso.is_service_linked());
}

#[test]
fn managed_policies_customer_and_aws_from_the_bundle() {
    let loaded = store();
    let ws = &loaded.workspace;
    let dev_read = ws
        .managed_policy("333333333333", "arn:aws:iam::333333333333:policy/DevS3Read")
        .expect("customer managed policy");
    assert_eq!(dev_read.default_version_id, "v2");
    assert!(dev_read.default_document().is_some());
    // The store keeps only the metadata of AWS managed policies: their
    // documents come from the bundled copies.
    let admin = ws
        .managed_policy(
            "111111111111",
            "arn:aws:iam::aws:policy/AdministratorAccess",
        )
        .expect("resolved");
    assert_eq!(
        admin.default_document().map(|d| d.origin.source),
        Some(PolicySource::AwsManagedBundled)
    );
    assert!(ws
        .bundled_policies
        .contains_key("arn:aws:iam::aws:policy/ReadOnlyAccess"));
}

#[test]
fn every_resource_policy_beside_a_metadata_arn() {
    let loaded = store();
    let mut arns: Vec<(&str, Option<&str>)> = loaded
        .workspace
        .resource_policies
        .iter()
        .map(|rp| (rp.arn.as_str(), rp.account.as_deref()))
        .collect();
    arns.sort();
    assert_eq!(
        arns,
        [
            (
                "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                Some("222222222222")
            ),
            (
                "arn:aws:lambda:eu-west-1:333333333333:function:deployer",
                Some("333333333333")
            ),
            // S3 ARNs carry no account: the folder's account owns the bucket.
            ("arn:aws:s3:::org-shared-data", Some("222222222222")),
            ("arn:aws:s3:::public-assets", Some("222222222222")),
            (
                "arn:aws:sns:eu-west-1:777777777777:alerts",
                Some("777777777777")
            ),
            (
                "arn:aws:sqs:eu-west-1:333333333333:build-events",
                Some("333333333333")
            ),
        ]
    );
    let bucket = loaded
        .workspace
        .resource_policy_for("arn:aws:s3:::org-shared-data/report.csv")
        .expect("the bucket policy governs its objects");
    assert!(bucket
        .document
        .origin
        .file
        .ends_with("s3/org-shared-data/policy.json"));
}

#[test]
fn tags_and_block_public_access() {
    let loaded = store();
    let facts = &loaded.workspace.resource_facts;
    let secret = "arn:aws:secretsmanager:eu-west-1:222222222222:secret:reports-db-AbCdEf";
    assert_eq!(
        facts.tags_of(secret),
        [Tag {
            key: "team".into(),
            value: "data".into()
        }]
    );
    // S3 bucket tags count only where the bucket has ABAC on.
    assert!(facts.tags_of("arn:aws:s3:::org-shared-data").is_empty());
    assert_eq!(facts.tags_of("arn:aws:s3:::public-assets").len(), 1);
    assert!(facts.restricts_public_policy("arn:aws:s3:::public-assets", "222222222222"));
    assert!(!facts.restricts_public_policy("arn:aws:s3:::org-shared-data", "222222222222"));
    let account = facts
        .account_public_access
        .get("222222222222")
        .expect("s3-bpa.json");
    assert!(account.block_public_acls && !account.restrict_public_buckets);
}

#[test]
fn two_organizations_become_one_tree_with_their_own_ids() {
    let loaded = store();
    let org = loaded
        .workspace
        .organization
        .as_ref()
        .expect("organization");
    assert_eq!(org.id.as_deref(), Some("o-aaaaaaaaaa"));
    assert_eq!(org.roots, ["r-aaaa", "r-bbbb"]);
    assert!(org.is_management_account("111111111111"));
    assert!(org.is_management_account("555555555555"));
    assert!(!org.is_management_account("222222222222"));
    let keys = |a: &str| org.account_keys(a).map(|k| (k.id.clone(), k.path.clone()));
    assert_eq!(
        keys("222222222222"),
        Some((
            "o-aaaaaaaaaa".into(),
            "o-aaaaaaaaaa/r-aaaa/ou-aaaa-workload1/ou-aaaa-prod0001/".into()
        ))
    );
    assert_eq!(
        keys("111111111111"),
        Some(("o-aaaaaaaaaa".into(), "o-aaaaaaaaaa/r-aaaa/".into()))
    );
    assert_eq!(
        keys("666666666666"),
        Some((
            "o-bbbbbbbbbb".into(),
            "o-bbbbbbbbbb/r-bbbb/ou-bbbb-apps0001/ou-bbbb-team0001/".into()
        ))
    );
    let prod = org
        .organizational_units
        .iter()
        .find(|ou| ou.id == "ou-aaaa-prod0001")
        .expect("OU");
    assert_eq!(
        (prod.name.as_str(), prod.parent_id.as_str()),
        ("Prod", "ou-aaaa-workload1")
    );
}

#[test]
fn scps_and_rcps_at_every_level() {
    use crate::model::organization::OrgPolicyKind;
    let loaded = store();
    let org = loaded
        .workspace
        .organization
        .as_ref()
        .expect("organization");
    let names = |account: &str, kind| -> Vec<(String, Vec<String>)> {
        org.account_levels(account, kind)
            .expect("in the tree")
            .iter()
            .map(|l| {
                let mut names: Vec<String> = l.policies.iter().map(|p| p.name.clone()).collect();
                names.sort();
                (l.target.clone(), names)
            })
            .collect()
    };
    assert_eq!(
        names("222222222222", OrgPolicyKind::ServiceControl),
        [
            (
                "r-aaaa".into(),
                vec!["DenyLeaveOrganization".into(), "FullAWSAccess".into()]
            ),
            ("ou-aaaa-workload1".into(), vec!["FullAWSAccess".into()]),
            (
                "ou-aaaa-prod0001".into(),
                vec!["FullAWSAccess".into(), "ProdNoKeyDeletion".into()]
            ),
            ("222222222222".into(), vec!["FullAWSAccess".into()]),
        ]
    );
    assert_eq!(
        names("222222222222", OrgPolicyKind::ResourceControl)[0],
        (
            "r-aaaa".into(),
            vec!["DataPerimeter".into(), "RCPFullAWSAccess".into()]
        )
    );
    let sandbox = names("444444444444", OrgPolicyKind::ServiceControl);
    assert!(
        sandbox[1].1.contains(&"SandboxNoS3".to_string()),
        "{sandbox:?}"
    );
    let scp = org
        .service_control_policies
        .iter()
        .find(|p| p.name == "SandboxNoS3")
        .expect("SCP");
    assert!(scp
        .document
        .origin
        .file
        .ends_with("scps/p-nos3000001/policy.json"));
}

/// A store with every kind of problem: each is set aside and reported on
/// its file, and the rest loads.
#[test]
fn problems_are_set_aside_and_reported_on_their_file() {
    let s = Scratch::new("messy");
    let acct = "aws/aws/accounts/123456789012";
    let user = |name: &str| {
        format!(
            r#"{{"arn": "arn:aws:iam::123456789012:user/{name}", "name": "{name}", "id": "AIDA{name}"}}"#
        )
    };
    s.write(&format!("{acct}/iam/user/ok/metadata.json"), &user("ok"));
    // Not JSON: the file is set aside, the user keeps its other policies.
    s.write(
        &format!("{acct}/iam/user/ok/inline-policies.json"),
        "[{\"PolicyName\": ",
    );
    // A managed policy the store does not hold: it grants nothing.
    s.write(
        &format!("{acct}/iam/user/ok/managed-policies.json"),
        r#"["arn:aws:iam::123456789012:policy/Missing"]"#,
    );
    // No arn: the user is set aside.
    s.write(
        &format!("{acct}/iam/user/noarn/metadata.json"),
        r#"{"name": "noarn"}"#,
    );
    // An ARN of another account: set aside.
    s.write(
        &format!("{acct}/iam/user/stray/metadata.json"),
        r#"{"arn": "arn:aws:iam::999999999999:user/stray"}"#,
    );
    // A folder without metadata.json.
    s.write(&format!("{acct}/iam/role/empty/tags.json"), "{}");
    // A policy whose statement cannot be read: the statement is set aside.
    s.write(
        &format!("{acct}/iam/role/bad/metadata.json"),
        r#"{"arn": "arn:aws:iam::123456789012:role/bad", "name": "bad"}"#,
    );
    s.write(
        &format!("{acct}/iam/role/bad/trust-policy.json"),
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Maybe", "Principal": "*", "Action": "sts:AssumeRole"}]}"#,
    );
    // A bucket policy that is not JSON.
    s.write(
        &format!("{acct}/s3/bucket/metadata.json"),
        r#"{"arn": "arn:aws:s3:::bucket", "name": "bucket"}"#,
    );
    s.write(&format!("{acct}/s3/bucket/policy.json"), "not json");
    // An account folder without IAM data.
    s.write(
        "aws/aws/accounts/210987654321/organization.json",
        r#"{"organizationId": "o-x"}"#,
    );
    // An organization attaching an SCP it does not store.
    s.write(
        "aws/aws/organizations/o-abcdefghij/metadata.json",
        r#"{"id": "o-abcdefghij", "rootOu": "r-ab12", "rootAccountId": "210987654321"}"#,
    );
    s.write(
        "aws/aws/organizations/o-abcdefghij/accounts.json",
        r#"{"123456789012": {"ou": "r-ab12", "scps": ["arn:aws:organizations::210987654321:policy/o-abcdefghij/service_control_policy/p-gone"], "rcps": []}}"#,
    );
    let loaded = load_path(&s.0).expect("a messy store opens");
    let ws = &loaded.workspace;
    let account = ws.account("123456789012").expect("account");
    let users: Vec<&str> = account.users.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(users, ["ok"]);
    assert!(account.user("ok").expect("ok").inline_policies.is_empty());
    assert_eq!(account.roles.len(), 1);
    assert!(ws.resource_policies.is_empty());
    let lines = rendered(&loaded);
    let has = |file: &str, fragment: &str| {
        assert!(
            lines
                .iter()
                .any(|l| l.contains(file) && l.contains(fragment)),
            "no problem naming {file} with {fragment:?}: {lines:#?}"
        );
    };
    has("user/ok/inline-policies.json:1:", "invalid JSON");
    has(
        "user/noarn/metadata.json",
        "has no \"arn\"; this user is set aside",
    );
    has(
        "user/stray/metadata.json:1:",
        "is not the ARN of an IAM user of account 123456789012",
    );
    has("iam/role/empty: error:", "no metadata.json");
    has("role/bad/trust-policy.json:1:", "Effect");
    has("s3/bucket/policy.json:1:", "invalid JSON");
    has("accounts/210987654321: warning:", "no IAM data");
    has(
        "o-abcdefghij/accounts.json:1:",
        "p-gone is attached here but not stored",
    );
    // The unstored SCP allows nothing: the account's level denies.
    let org = ws.organization.as_ref().expect("organization");
    let levels = org
        .account_levels(
            "123456789012",
            crate::model::organization::OrgPolicyKind::ServiceControl,
        )
        .expect("levels");
    assert_eq!(levels.len(), 2);
    let unstored = &levels[1].policies[0].document;
    assert!(unstored.policy.statements.is_empty());
    // Its origin is the attachment, so answers carry the problem.
    assert!(unstored.origin.file.ends_with("o-abcdefghij/accounts.json"));
    let mut footprint = crate::model::Footprint::default();
    footprint.add_policy(unstored);
    let caveats = loaded.caveats(&footprint);
    assert!(
        caveats
            .iter()
            .any(|c| c.message.contains("p-gone is attached here but not stored")),
        "{caveats:#?}"
    );
    // Nothing was fatal, and nothing was written.
    assert!(loaded.has_errors());
}

/// A FIFO named like a store file is never opened (it would block the
/// reader forever): reported, and the rest loads.
#[cfg(unix)]
#[test]
fn a_fifo_in_a_store_is_skipped_unopened() {
    let s = Scratch::new("fifo");
    let dir = "aws/aws/accounts/123456789012/iam/user/u";
    s.write(
        &format!("{dir}/metadata.json"),
        r#"{"arn": "arn:aws:iam::123456789012:user/u", "name": "u"}"#,
    );
    let fifo = s.0.join(dir).join("inline-policies.json");
    let c_path = std::ffi::CString::new(fifo.display().to_string()).expect("no NUL in the path");
    // SAFETY: a valid NUL-terminated path; mkfifo only creates the node.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let loaded = load_path(&s.0).expect("the store opens");
    assert_eq!(loaded.workspace.accounts[0].users.len(), 1);
    let lines = rendered(&loaded);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("inline-policies.json")
                && l.contains("skipped without being opened")),
        "{lines:#?}"
    );
}

/// A problem in any file of an entity's folder is about that entity (what
/// the problem list jumps to).
#[test]
fn a_problem_in_an_entity_folder_names_the_entity() {
    use crate::workspace::subjects::Subject;
    let s = Scratch::new("subjects");
    let dir = "aws/aws/accounts/123456789012/iam/role/r";
    s.write(
        &format!("{dir}/metadata.json"),
        r#"{"arn": "arn:aws:iam::123456789012:role/r", "name": "r"}"#,
    );
    s.write(
        &format!("{dir}/trust-policy.json"),
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Maybe", "Principal": "*", "Action": "sts:AssumeRole"}]}"#,
    );
    let loaded = load_path(&s.0).expect("the store opens");
    assert_eq!(loaded.diagnostics.len(), 1, "{:#?}", rendered(&loaded));
    assert_eq!(
        loaded.subjects(),
        [Subject::Role {
            account: "123456789012".into(),
            name: "r".into()
        }]
    );
}
