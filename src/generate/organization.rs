//! The organization file: root, organizational units, accounts, service
//! control policies and resource control policies.

use super::document::{doc, Stmt};
use super::json::J;
use super::plan::World;
use super::rng::Rng;
use super::vocabulary::{ORG_ACCESS_ROLE, OUS};

impl World<'_> {
    pub(super) fn root_id(&self) -> String {
        let mut rng = Rng::new(self.seed, 7);
        format!("r-{}", rng.hex(4))
    }

    pub(super) fn ou_id(&self, i: usize) -> String {
        let root = self.root_id();
        format!("ou-{}-{}", &root[2..], OUS[i].0)
    }

    /// The organization file and its SCP and RCP counts.
    pub(super) fn organization(&self) -> (J, usize, usize) {
        let root = self.root_id();
        let ous: Vec<J> = (0..OUS.len())
            .map(|i| {
                let parent = match OUS[i].2 {
                    Some(p) => self.ou_id(p),
                    None => root.clone(),
                };
                J::obj()
                    .k("Id", self.ou_id(i))
                    .k("Name", OUS[i].1)
                    .k("ParentId", parent)
                    .into()
            })
            .collect();
        let accounts: Vec<J> = self
            .accounts
            .iter()
            .map(|a| {
                let parent = match a.ou {
                    Some(ou) => self.ou_id(ou),
                    None => root.clone(),
                };
                J::obj()
                    .k("Id", &a.id)
                    .k("Name", &a.name)
                    .k("ParentId", parent)
                    .into()
            })
            .collect();
        let scp = |name: &str, targets: Vec<String>, statements: Vec<J>| -> J {
            J::obj()
                .k("Name", name.to_string())
                .k("Targets", J::strs(&targets))
                .k("Policy", doc(statements))
                .into()
        };
        let (sandbox, workloads, prod, security) =
            (self.ou_id(2), self.ou_id(1), self.ou_id(3), self.ou_id(0));
        // AWS attaches FullAWSAccess to every root, OU and account (AWS
        // Organizations User Guide, "Service control policies (SCPs)"); the
        // Sandbox OU swapped it for an allow list. Every level that lists a
        // policy thus lists an allow.
        let mut full_targets = vec![root.clone()];
        full_targets.extend((0..OUS.len()).filter(|&i| i != 2).map(|i| self.ou_id(i)));
        full_targets.extend(self.accounts.iter().map(|a| a.id.clone()));
        let exempt_admin = |s: &mut Stmt| {
            s.conditions.add(
                "ArnNotLike",
                "aws:PrincipalARN",
                J::from(format!("arn:aws:iam::*:role/{ORG_ACCESS_ROLE}")),
            );
        };
        let c = self.catalog;
        let mut region_lock = Stmt::new(
            "DenyAllOutsideAllowedRegions",
            false,
            self.global_services.clone(),
            vec!["*".into()],
        );
        region_lock.not_action = true;
        region_lock.conditions.add(
            "StringNotEquals",
            "aws:RequestedRegion",
            J::strs(&["us-east-1", "eu-west-1", "eu-central-1"]),
        );
        exempt_admin(&mut region_lock);
        // AWS always sets aws:RequestedRegion; an offline check may leave it
        // out, and StringNotEquals holds for a missing key. This guard keeps
        // the lock to requests that name a region (it does not change what the
        // policy does in AWS).
        region_lock
            .conditions
            .add("Null", "aws:RequestedRegion", J::from("false"));
        let mut protect = Stmt::new(
            "ProtectSecurityBaseline",
            false,
            c.known(&[
                "cloudtrail:StopLogging",
                "cloudtrail:DeleteTrail",
                "cloudtrail:UpdateTrail",
                "guardduty:DeleteDetector",
                "guardduty:DisassociateFromMasterAccount",
                "guardduty:UpdateDetector",
                "config:DeleteConfigurationRecorder",
                "config:StopConfigurationRecorder",
                "config:DeleteDeliveryChannel",
                "securityhub:DisableSecurityHub",
            ]),
            vec!["*".into()],
        );
        exempt_admin(&mut protect);
        let mut deny_root = Stmt::new("DenyRootUser", false, vec!["*".into()], vec!["*".into()]);
        deny_root.conditions.add(
            "StringLike",
            "aws:PrincipalArn",
            J::from("arn:aws:iam::*:root"),
        );
        let mut instance_types = Stmt::new(
            "DenyLargeInstances",
            false,
            vec!["ec2:RunInstances".into()],
            vec!["arn:aws:ec2:*:*:instance/*".into()],
        );
        instance_types.conditions.add(
            "StringNotLike",
            "ec2:InstanceType",
            J::strs(&["t3.*", "t4g.*", "m6i.large"]),
        );
        let sandbox_allow = Stmt::new(
            "AllowSandboxServices",
            true,
            c.known(&[
                "s3:*",
                "ec2:*",
                "lambda:*",
                "dynamodb:*",
                "logs:*",
                "cloudwatch:*",
                "sqs:*",
                "sns:*",
                "iam:*",
                "sts:*",
                "cloudformation:*",
                "kms:*",
                "ecr:*",
                "ecs:*",
                "states:*",
                "apigateway:*",
                "events:*",
                "sagemaker:*",
            ]),
            vec!["*".into()],
        );
        let scps = vec![
            scp(
                "FullAWSAccess",
                full_targets,
                vec![Stmt::new("FullAWSAccess", true, vec!["*".into()], vec!["*".into()]).json()],
            ),
            scp(
                "DenyLeaveOrganization",
                vec![root.clone()],
                vec![Stmt::new(
                    "DenyLeaveOrganization",
                    false,
                    vec!["organizations:LeaveOrganization".into()],
                    vec!["*".into()],
                )
                .json()],
            ),
            scp(
                "ProtectSecurityBaseline",
                vec![root.clone()],
                vec![protect.json()],
            ),
            scp(
                "RegionLock",
                vec![workloads.clone(), sandbox.clone()],
                vec![region_lock.json()],
            ),
            scp(
                "DenyRootUser",
                vec![workloads, security],
                vec![deny_root.json()],
            ),
            scp(
                "ProdProtectBackups",
                vec![prod],
                vec![Stmt::new(
                    "DenyBackupDeletion",
                    false,
                    c.known(&[
                        "backup:DeleteBackupVault",
                        "backup:DeleteRecoveryPoint",
                        "backup:UpdateRecoveryPointLifecycle",
                        "rds:DeleteDBSnapshot",
                        "rds:DeleteDBClusterSnapshot",
                    ]),
                    vec!["*".into()],
                )
                .json()],
            ),
            scp(
                "SandboxAllowList",
                vec![sandbox.clone()],
                vec![sandbox_allow.json()],
            ),
            scp(
                "SandboxGuardrails",
                vec![sandbox],
                vec![instance_types.json()],
            ),
        ];
        let mut secure_transport = Stmt::new(
            "EnforceSecureTransport",
            false,
            c.known(&["s3:*", "sqs:*", "kms:*", "secretsmanager:*", "sts:*"]),
            vec!["*".into()],
        );
        secure_transport.principal = Some(J::from("*"));
        secure_transport
            .conditions
            .add("Bool", "aws:SecureTransport", J::from("false"));
        // AWS attaches RCPFullAWSAccess to every root, OU and account, and it
        // cannot be detached (AWS Organizations User Guide, "Resource control
        // policies (RCPs)"); listing it on the root states what AWS does.
        let mut rcp_full = Stmt::new("RCPFullAWSAccess", true, vec!["*".into()], vec!["*".into()]);
        rcp_full.principal = Some(J::from("*"));
        let rcps = vec![
            scp(
                "RCPFullAWSAccess",
                vec![root.clone()],
                vec![rcp_full.json()],
            ),
            scp(
                "EnforceSecureTransport",
                vec![root.clone()],
                vec![secure_transport.json()],
            ),
        ];
        let (n_scps, n_rcps) = (scps.len(), rcps.len());
        let org = J::obj().k(
            "Organization",
            J::obj()
                .k("ManagementAccountId", &self.accounts[0].id)
                .k("Roots", vec![J::obj().k("Id", root).into()])
                .k("OrganizationalUnits", ous)
                .k("Accounts", accounts)
                .k("ServiceControlPolicies", scps)
                .k("ResourceControlPolicies", rcps),
        );
        (org.into(), n_scps, n_rcps)
    }
}
