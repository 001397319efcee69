//! `scripts/org-from-aws-cli.py` on recorded `aws organizations` outputs
//! (tests/fixtures/aws-organizations-cli, written for this test): the file
//! it writes is an organization iamscope reads, with its tree, its SCPs and
//! its id (so the organization keys are derived). Skipped, saying so, where
//! python3 is not installed.

mod common;

use std::process::Command;

use common::iamscope;

#[test]
fn the_script_writes_an_organization_iamscope_reads() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/org-from-aws-cli.py");
    let recorded = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/aws-organizations-cli"
    );
    let Ok(output) = Command::new("python3").arg(script).arg(recorded).output() else {
        eprintln!("python3 is not installed: the script's test is skipped");
        return;
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let org: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let o = &org["Organization"];
    assert_eq!(o["Id"], "o-recorded01");
    assert_eq!(o["ManagementAccountId"], "123456789012");
    assert_eq!(o["OrganizationalUnits"][1]["ParentId"], "ou-rec1-workload");
    assert_eq!(
        o["ServiceControlPolicies"][1]["Name"],
        "ProdNoObjectDeletion"
    );
    assert_eq!(o["ServiceControlPolicies"][1]["Targets"][0], "ou-rec1-prod");

    let dir = std::env::temp_dir().join(format!("iamscope-org-script-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("organization.json"), &output.stdout).expect("write");
    std::fs::write(
        dir.join("prod.json"),
        r#"{"UserDetailList": [{"UserName": "deployer", "UserId": "AIDADEPLOYER", "Arn": "arn:aws:iam::345678901234:user/deployer", "Path": "/",
            "UserPolicyList": [{"PolicyName": "s3", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringLike": {"aws:PrincipalOrgPaths": "o-recorded01/r-rec1/ou-rec1-workload/ou-rec1-prod/"}}}]}}]}]}"#,
    )
    .expect("write");
    let path = dir.display().to_string();
    let validate = iamscope(&["validate", &path]);
    let check = |action: &str| {
        iamscope(&[
            "check",
            &path,
            "--principal",
            "deployer",
            "--action",
            action,
            "--resource",
            "arn:aws:s3:::bucket/key",
        ])
        .code
    };
    let (get, delete) = (check("s3:GetObject"), check("s3:DeleteObject"));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(validate.code, 0, "{}{}", validate.stdout, validate.stderr);
    // The identity policy holds only with the derived aws:PrincipalOrgPaths;
    // the Prod OU's SCP denies deleting.
    assert_eq!((get, delete), (0, 1));
}
