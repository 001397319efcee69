//! Statements of identity policies (customer managed, inline, boundaries):
//! the mix of shapes a real account holds, from `s3:Get*` on `*` to
//! `NotAction` over-grants and denies without MFA.

use std::collections::BTreeSet;

use super::account::Generator;
use super::catalog::Service;
use super::document::{doc, upper_first, Conditions, Stmt};
use super::json::J;
use super::vocabulary::{COMMON_SERVICES, POLICY_PURPOSES, REGIONS};

impl<'c> Generator<'_, 'c> {
    pub(super) fn service(&mut self) -> &'c Service {
        let catalog = self.catalog();
        if self.rng.chance(0.05) {
            return self.rng.pick(&catalog.services);
        }
        loop {
            let prefix = self.rng.weighted(COMMON_SERVICES);
            if let Some(s) = catalog.service(prefix) {
                return s;
            }
        }
    }

    /// The purpose's service most of the time, else any.
    pub(super) fn focused_service(&mut self, focus: &str) -> &'c Service {
        match self.catalog().service(focus) {
            Some(service) if self.rng.chance(0.6) => service,
            _ => self.service(),
        }
    }

    /// An ARN of `resource_type` from the catalog's template, with wildcards.
    pub(super) fn resource_arn(
        &mut self,
        service: &Service,
        resource_type: &str,
        team: &str,
    ) -> String {
        let Some(template) = service.templates.get(resource_type) else {
            return "*".into();
        };
        let region = if self.rng.chance(0.5) {
            "*"
        } else {
            self.region()
        };
        let account = if self.rng.chance(0.1) {
            "*".to_string()
        } else {
            self.account.id.clone()
        };
        let mut out = String::with_capacity(template.len());
        let mut rest = template.as_str();
        let mut named = false;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let Some(end) = rest[start..].find('}') else {
                return "*".into();
            };
            match &rest[start + 2..start + end] {
                "Partition" => out.push_str("aws"),
                "Region" => out.push_str(region),
                "Account" => out.push_str(&account),
                _ if !named => {
                    named = true;
                    out.push_str(team);
                    out.push_str("-*");
                }
                _ => out.push('*'),
            }
            rest = &rest[start + end + 1..];
        }
        out.push_str(rest);
        let well_formed = out.starts_with("arn:aws:")
            && out.matches(':').count() >= 5
            && !out.contains(['{', '}', '$', ' ']);
        if well_formed {
            out
        } else {
            "*".into()
        }
    }

    pub(super) fn team_condition(&mut self, conditions: &mut Conditions, team: &str) {
        match self.rng.below(7) {
            0 => conditions.add("Bool", "aws:MultiFactorAuthPresent", J::from("true")),
            1 => {
                let cidrs = [
                    "10.0.0.0/8",
                    "172.16.0.0/12",
                    "192.0.2.0/24",
                    "198.51.100.0/24",
                    "203.0.113.0/24",
                ];
                let k = self.rng.range(1, 3);
                let picked: Vec<&str> = self
                    .rng
                    .sample(cidrs.len(), k)
                    .iter()
                    .map(|&i| cidrs[i])
                    .collect();
                conditions.add("IpAddress", "aws:SourceIp", J::one_or_many(&picked));
            }
            2 => conditions.add("StringEquals", "aws:PrincipalTag/team", J::from(team)),
            3 => {
                let year = 2025 + self.rng.below(3);
                conditions.add(
                    "DateLessThan",
                    "aws:CurrentTime",
                    J::from(format!("{year}-12-31T23:59:59Z")),
                )
            }
            4 => {
                let k = self.rng.range(1, 2);
                let picked: Vec<&str> = self
                    .rng
                    .sample(REGIONS.len(), k)
                    .iter()
                    .map(|&i| REGIONS[i])
                    .collect();
                conditions.add(
                    "StringEquals",
                    "aws:RequestedRegion",
                    J::one_or_many(&picked),
                );
            }
            5 => conditions.add(
                "StringEquals",
                "aws:ResourceTag/team",
                J::from("${aws:PrincipalTag/team}"),
            ),
            _ => conditions.add(
                "StringEquals",
                "aws:PrincipalTag/env",
                J::from(self.account.env.tag()),
            ),
        }
    }

    /// One statement of an identity policy for `team`.
    ///
    /// Kinds: 0 service wildcard verbs (`s3:Get*`), 1 specific actions on one
    /// resource type, 2 a whole service on the team's resources, 3 an S3 home
    /// folder with `${aws:username}`, 4 manage one's own credentials, 5 deny
    /// everything else without MFA (`NotAction`), 6 the `NotAction`
    /// over-grant, 7 deny destructive actions, 8 assume roles here and in
    /// other accounts, 9 pass roles to a service.
    pub(super) fn statement(&mut self, team: &str, index: usize, purpose: usize) -> J {
        let (_, focus, first_kind) = POLICY_PURPOSES[purpose];
        let kind = match index {
            0 => first_kind,
            1 if first_kind == 4 && self.rng.chance(0.6) => 5,
            _ => self.rng.weighted(&[
                (0u8, 26),
                (1, 36),
                (2, 6),
                (3, 3),
                (4, 2),
                (6, 1),
                (7, 6),
                (8, 10),
                (9, 3),
            ]),
        };
        let id = &self.account.id;
        let mut s = match kind {
            0 => {
                let service = self.focused_service(focus);
                let k = self.rng.range(1, 3).min(service.verbs.len());
                let preferred: Vec<usize> = ["Get", "List", "Describe", "Batch", "Search"]
                    .iter()
                    .filter_map(|v| service.verbs.iter().position(|x| x == v))
                    .collect();
                let mut picked = BTreeSet::new();
                while picked.len() < k {
                    let i = if !preferred.is_empty() && self.rng.chance(0.7) {
                        *self.rng.pick(&preferred)
                    } else {
                        self.rng.below(service.verbs.len())
                    };
                    picked.insert(i);
                }
                let actions = picked
                    .into_iter()
                    .map(|i| format!("{}:{}*", service.prefix, service.verbs[i]))
                    .collect();
                let resources = if self.rng.chance(0.7) {
                    vec!["*".into()]
                } else {
                    self.typed_resources(service, team)
                };
                Stmt::new(
                    format!("{}Read{index}", upper_first(&service.prefix)),
                    true,
                    actions,
                    resources,
                )
            }
            1 => {
                let service = self.focused_service(focus);
                let first = self.rng.below(service.actions.len());
                let types = &service.actions[first].types;
                let (candidates, resource_type): (Vec<usize>, Option<&str>) = if types.is_empty() {
                    let untyped = service
                        .actions
                        .iter()
                        .enumerate()
                        .filter(|(_, a)| a.types.is_empty())
                        .map(|(i, _)| i)
                        .collect();
                    (untyped, None)
                } else {
                    let t = &types[self.rng.below(types.len())];
                    (service.by_type[t].clone(), Some(t.as_str()))
                };
                let k = self.rng.range(1, 8);
                let mut chosen: Vec<usize> = self
                    .rng
                    .sample(candidates.len(), k)
                    .into_iter()
                    .map(|i| candidates[i])
                    .collect();
                if !chosen.contains(&first) {
                    chosen.insert(0, first);
                }
                let actions = chosen
                    .iter()
                    .map(|&i| format!("{}:{}", service.prefix, service.actions[i].name))
                    .collect();
                let resources = match resource_type {
                    None => vec!["*".into()],
                    Some(t) => {
                        let n = self.rng.range(1, 2);
                        let mut list: Vec<String> = (0..n)
                            .map(|_| self.resource_arn(service, t, team))
                            .collect();
                        list.dedup();
                        list
                    }
                };
                Stmt::new(
                    format!("{}Access{index}", upper_first(&service.prefix)),
                    true,
                    actions,
                    resources,
                )
            }
            2 => {
                let service = self.focused_service(focus);
                let resources = self.typed_resources(service, team);
                Stmt::new(
                    format!("{}Full{index}", upper_first(&service.prefix)),
                    true,
                    vec![format!("{}:*", service.prefix)],
                    resources,
                )
            }
            3 => {
                let bucket = format!("corp-home-{id}");
                let mut s = Stmt::new(
                    format!("HomeFolder{index}"),
                    true,
                    vec![
                        "s3:GetObject".into(),
                        "s3:PutObject".into(),
                        "s3:DeleteObject".into(),
                    ],
                    vec![format!("arn:aws:s3:::{bucket}/home/${{aws:username}}/*")],
                );
                if self.rng.chance(0.5) {
                    s.actions = vec!["s3:ListBucket".into()];
                    s.resources = vec![format!("arn:aws:s3:::{bucket}")];
                    s.conditions.add(
                        "StringLike",
                        "s3:prefix",
                        J::strs(&["", "home/", "home/${aws:username}/*"]),
                    );
                }
                s
            }
            4 => Stmt::new(
                format!("ManageOwnCredentials{index}"),
                true,
                self.world.self_service_actions.clone(),
                vec![
                    format!("arn:aws:iam::{id}:user/${{aws:username}}"),
                    format!("arn:aws:iam::{id}:mfa/${{aws:username}}"),
                ],
            ),
            // AWS's example for MFA-protected self-service (IAM User Guide,
            // "AWS: Allows MFA-authenticated IAM users to manage their own
            // credentials on the Security credentials page"): BoolIfExists, so
            // that long-term keys, which carry no MFA key, are denied too.
            5 => {
                let mut s = Stmt::new(
                    format!("DenyAllExceptListedIfNoMFA{index}"),
                    false,
                    self.world.mfa_exempt_actions.clone(),
                    vec!["*".into()],
                );
                s.not_action = true;
                s.conditions.add(
                    "BoolIfExists",
                    "aws:MultiFactorAuthPresent",
                    J::from("false"),
                );
                s
            }
            6 => {
                let mut s = Stmt::new(
                    format!("EverythingButIdentity{index}"),
                    true,
                    self.catalog()
                        .known(&["iam:*", "organizations:*", "account:*"]),
                    vec!["*".into()],
                );
                s.not_action = true;
                s
            }
            7 => {
                let (actions, resources): (&[&str], Vec<String>) = match self.rng.below(3) {
                    0 => (
                        &["s3:DeleteBucket", "s3:DeleteObject", "s3:PutBucketPolicy"],
                        vec![
                            format!("arn:aws:s3:::{}-{}-*", self.account.name, team),
                            format!("arn:aws:s3:::{}-{}-*/*", self.account.name, team),
                        ],
                    ),
                    1 => (
                        &["ec2:TerminateInstances", "ec2:DeleteVolume"],
                        vec![format!("arn:aws:ec2:*:{id}:*")],
                    ),
                    _ => (
                        &[
                            "rds:DeleteDBInstance",
                            "rds:DeleteDBCluster",
                            "dynamodb:DeleteTable",
                        ],
                        vec!["*".into()],
                    ),
                };
                let mut s = Stmt::new(
                    format!("DenyDestructive{index}"),
                    false,
                    self.catalog().known(actions),
                    resources,
                );
                if self.rng.chance(0.5) {
                    s.conditions
                        .add("StringEquals", "aws:ResourceTag/env", J::from("prod"));
                }
                s
            }
            8 => {
                let n = self.rng.range(1, 3);
                let mut resources = Vec::with_capacity(n);
                for _ in 0..n {
                    let other = if self.rng.chance(0.6) {
                        self.account
                    } else {
                        self.rng.pick(&self.world.accounts)
                    };
                    if self.rng.chance(0.15) {
                        resources.push(format!("arn:aws:iam::{}:role/{team}-*", other.id));
                    } else {
                        let r = self.rng.below(other.roles.len());
                        resources.push(other.role_arn(r));
                    }
                }
                resources.sort();
                resources.dedup();
                Stmt::new(
                    format!("AssumeTeamRoles{index}"),
                    true,
                    vec!["sts:AssumeRole".into()],
                    resources,
                )
            }
            _ => {
                let (service, path) = *self.rng.pick(&[
                    ("lambda.amazonaws.com", "service-role/"),
                    ("ecs-tasks.amazonaws.com", ""),
                    ("ec2.amazonaws.com", ""),
                ]);
                let mut s = Stmt::new(
                    format!("PassRoleToService{index}"),
                    true,
                    vec!["iam:PassRole".into()],
                    vec![format!("arn:aws:iam::{id}:role/{path}{team}-*")],
                );
                s.conditions
                    .add("StringEquals", "iam:PassedToService", J::from(service));
                s
            }
        };
        if s.allow && s.conditions.is_empty() && self.rng.chance(0.25) {
            self.team_condition(&mut s.conditions, team);
            if self.rng.chance(0.2) {
                self.team_condition(&mut s.conditions, team);
            }
        }
        s.json()
    }

    /// One or two ARNs with wildcards for any resource type of the service.
    pub(super) fn typed_resources(&mut self, service: &Service, team: &str) -> Vec<String> {
        if service.templates.is_empty() {
            return vec!["*".into()];
        }
        let types: Vec<&String> = service.templates.keys().collect();
        let n = self.rng.range(1, 2);
        let mut list: Vec<String> = (0..n)
            .map(|_| {
                let t = *self.rng.pick(&types);
                self.resource_arn(service, t, team)
            })
            .collect();
        list.sort();
        list.dedup();
        list
    }

    pub(super) fn identity_doc(&mut self, team: &str, statements: usize, purpose: usize) -> J {
        let list = (0..statements)
            .map(|i| self.statement(team, i, purpose))
            .collect();
        doc(list)
    }

    pub(super) fn boundary_doc(&mut self, team: &str) -> J {
        let allowed = self.catalog().known(&[
            "s3:*",
            "dynamodb:*",
            "lambda:*",
            "logs:*",
            "cloudwatch:*",
            "sqs:*",
            "sns:*",
            "states:*",
            "kms:Decrypt",
            "kms:GenerateDataKey*",
            "secretsmanager:GetSecretValue",
            "ec2:Describe*",
            "ecr:*",
            "ecs:*",
            "sts:AssumeRole",
            "xray:*",
        ]);
        let k = self.rng.range(allowed.len() / 2, allowed.len());
        let actions: Vec<String> = self
            .rng
            .sample(allowed.len(), k)
            .into_iter()
            .map(|i| allowed[i].clone())
            .collect();
        let mut allow = Stmt::new("AllowedServices", true, actions, vec!["*".into()]);
        if self.rng.chance(0.3) {
            allow.conditions.add(
                "StringEquals",
                "aws:RequestedRegion",
                J::strs(&REGIONS[..2]),
            );
        }
        let protect = Stmt::new(
            "DenyBoundaryChanges",
            false,
            self.catalog().known(&[
                "iam:DeleteUserPermissionsBoundary",
                "iam:DeleteRolePermissionsBoundary",
                "iam:PutUserPermissionsBoundary",
                "iam:PutRolePermissionsBoundary",
                "iam:CreatePolicyVersion",
                "iam:SetDefaultPolicyVersion",
            ]),
            vec![format!(
                "arn:aws:iam::{}:policy/boundaries/{team}-permissions-boundary*",
                self.account.id
            )],
        );
        let mut own_tag = Stmt::new(
            "DenyOtherTeamsResources",
            false,
            vec!["s3:DeleteObject".into(), "dynamodb:DeleteItem".into()],
            vec!["*".into()],
        );
        own_tag.conditions.add(
            "StringNotEqualsIfExists",
            "aws:ResourceTag/team",
            J::from(team),
        );
        doc(vec![allow.json(), protect.json(), own_tag.json()])
    }
}
