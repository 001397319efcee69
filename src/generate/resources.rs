//! Resource policies: S3 bucket policies, KMS key policies and SQS queue
//! policies, most of them granting roles of other accounts.

use super::document::{doc, Stmt};
use super::json::J;
use super::plan::{scaled, Names, World};
use super::rng::Rng;
use super::vocabulary::{REGIONS, TEAMS};

impl World<'_> {
    /// S3 bucket, KMS key and SQS queue policies.
    pub(super) fn resource_policies(&self) -> Vec<J> {
        let mut rng = Rng::new(self.seed, 9);
        let total = scaled(300.0, self.scale).max(3);
        let mut out = Vec::with_capacity(total);
        let mut buckets = Names::default();
        for i in 0..total {
            // Resources live in workload accounts mostly.
            let owner = &self.accounts[if self.accounts.len() > 1 && rng.chance(0.95) {
                1 + rng.below(self.accounts.len() - 1)
            } else {
                0
            }];
            let team = rng.below(TEAMS.len());
            let region = *rng.pick(REGIONS);
            let own_role = |rng: &mut Rng| owner.role_arn(rng.below(owner.roles.len()));
            let other_role = |rng: &mut Rng| {
                let other = rng.pick(&self.accounts);
                other.role_arn(rng.below(other.roles.len()))
            };
            let aws = |arns: Vec<String>| -> J { J::obj().k("AWS", J::one_or_many(&arns)).into() };
            match i % 4 {
                0 | 1 => {
                    let purpose = rng.pick(&[
                        "artifacts",
                        "logs",
                        "exports",
                        "backups",
                        "assets",
                        "reports",
                    ]);
                    let bucket =
                        buckets.unique(&format!("{}-{}-{purpose}", owner.name, TEAMS[team]), "-");
                    let bucket_arn = format!("arn:aws:s3:::{bucket}");
                    let mut statements = Vec::new();
                    let mut read = Stmt::new(
                        "AllowCrossAccountRead",
                        true,
                        vec!["s3:GetObject".into(), "s3:GetObjectVersion".into()],
                        vec![format!("{bucket_arn}/*")],
                    );
                    let mut readers: Vec<String> =
                        (0..rng.range(1, 3)).map(|_| other_role(&mut rng)).collect();
                    readers.sort();
                    readers.dedup();
                    read.principal = Some(aws(readers));
                    statements.push(read.json());
                    let mut write = Stmt::new(
                        "AllowOwnerWrite",
                        true,
                        vec!["s3:PutObject".into(), "s3:ListBucket".into()],
                        vec![bucket_arn.clone(), format!("{bucket_arn}/*")],
                    );
                    write.principal = Some(aws(vec![own_role(&mut rng)]));
                    statements.push(write.json());
                    if rng.chance(0.3) {
                        let mut public = Stmt::new(
                            "PublicReadAssets",
                            true,
                            vec!["s3:GetObject".into()],
                            vec![format!("{bucket_arn}/public/*")],
                        );
                        public.principal = Some(J::from("*"));
                        statements.push(public.json());
                    }
                    let mut tls = Stmt::new(
                        "DenyInsecureTransport",
                        false,
                        vec!["s3:*".into()],
                        vec![bucket_arn.clone(), format!("{bucket_arn}/*")],
                    );
                    tls.principal = Some(J::from("*"));
                    tls.conditions
                        .add("Bool", "aws:SecureTransport", J::from("false"));
                    statements.push(tls.json());
                    out.push(
                        J::obj()
                            .k("Arn", bucket_arn)
                            .k("AccountId", &owner.id)
                            .k("Policy", doc(statements))
                            .into(),
                    );
                }
                2 => {
                    let key = format!("arn:aws:kms:{region}:{}:key/{}", owner.id, rng.uuid());
                    // The statements of the default key policy the console
                    // writes (AWS KMS Developer Guide, "Default key policy").
                    let mut admin = Stmt::new(
                        "Enable IAM User Permissions",
                        true,
                        vec!["kms:*".into()],
                        vec!["*".into()],
                    );
                    admin.principal = Some(aws(vec![format!("arn:aws:iam::{}:root", owner.id)]));
                    let mut users: Vec<String> = (0..rng.range(1, 3))
                        .map(|_| {
                            if rng.chance(0.6) {
                                own_role(&mut rng)
                            } else {
                                other_role(&mut rng)
                            }
                        })
                        .collect();
                    users.sort();
                    users.dedup();
                    let mut use_key = Stmt::new(
                        "Allow use of the key",
                        true,
                        vec![
                            "kms:Encrypt".into(),
                            "kms:Decrypt".into(),
                            "kms:ReEncrypt*".into(),
                            "kms:GenerateDataKey*".into(),
                            "kms:DescribeKey".into(),
                        ],
                        vec!["*".into()],
                    );
                    use_key.principal = Some(aws(users.clone()));
                    let mut grants = Stmt::new(
                        "Allow attachment of persistent resources",
                        true,
                        vec![
                            "kms:CreateGrant".into(),
                            "kms:ListGrants".into(),
                            "kms:RevokeGrant".into(),
                        ],
                        vec!["*".into()],
                    );
                    grants.principal = Some(aws(users));
                    grants
                        .conditions
                        .add("Bool", "kms:GrantIsForAWSResource", J::from("true"));
                    out.push(
                        J::obj()
                            .k("Arn", key)
                            .k(
                                "Policy",
                                doc(vec![admin.json(), use_key.json(), grants.json()]),
                            )
                            .into(),
                    );
                }
                _ => {
                    let queue = format!(
                        "arn:aws:sqs:{region}:{}:{}-{}-{}",
                        owner.id,
                        TEAMS[team],
                        rng.pick(&["events", "jobs", "notifications", "ingest", "dlq"]),
                        i
                    );
                    let mut from_sns = Stmt::new(
                        "AllowSnsTopic",
                        true,
                        vec!["sqs:SendMessage".into()],
                        vec![queue.clone()],
                    );
                    from_sns.principal = Some(J::obj().k("Service", "sns.amazonaws.com").into());
                    from_sns.conditions.add(
                        "ArnEquals",
                        "aws:SourceArn",
                        J::from(format!(
                            "arn:aws:sns:{region}:{}:{}-topic",
                            owner.id, TEAMS[team]
                        )),
                    );
                    let mut consumer = Stmt::new(
                        "AllowConsumers",
                        true,
                        vec![
                            "sqs:ReceiveMessage".into(),
                            "sqs:DeleteMessage".into(),
                            "sqs:GetQueueAttributes".into(),
                            "sqs:ChangeMessageVisibility".into(),
                        ],
                        vec![queue.clone()],
                    );
                    consumer.principal = Some(aws(vec![if rng.chance(0.5) {
                        own_role(&mut rng)
                    } else {
                        other_role(&mut rng)
                    }]));
                    out.push(
                        J::obj()
                            .k("Arn", queue)
                            .k("Policy", doc(vec![from_sns.json(), consumer.json()]))
                            .into(),
                    );
                }
            }
        }
        out
    }
}
