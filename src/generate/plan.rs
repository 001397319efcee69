//! The plan: every account and the names of its users, groups, roles and
//! policies, fixed before any document is written so that a document can name
//! an entity of another account (a trust policy, a bucket policy).

use std::collections::BTreeSet;

use super::catalog::Catalog;
use super::rng::Rng;
use super::vocabulary::{
    FIRST_NAMES, GROUP_FUNCTIONS, LAST_NAMES, ORG_ACCESS_ROLE, POLICY_PURPOSES, ROLE_PURPOSES,
    TEAMS,
};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Env {
    Management,
    Security,
    Prod,
    NonProd,
    Sandbox,
}

impl Env {
    pub(super) fn tag(self) -> &'static str {
        match self {
            Env::Management => "management",
            Env::Security => "security",
            Env::Prod => "prod",
            Env::NonProd => "dev",
            Env::Sandbox => "sandbox",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Trust {
    /// `ec2.amazonaws.com` and the like; EC2 roles get an instance profile, the
    /// container through which EC2 passes a role to an instance (IAM User
    /// Guide, "Use instance profiles").
    Service(&'static str),
    /// The account itself (`:root`), sometimes with MFA required.
    OwnAccount,
    /// Another account of the organization.
    CrossAccount,
    /// Named users or roles.
    Specific,
    /// A SAML identity provider.
    Saml,
    /// GitHub Actions through OIDC.
    Oidc,
    /// The management account (the role Organizations creates).
    OrgAccess,
}

pub(super) struct UserPlan {
    pub(super) name: String,
    pub(super) path: &'static str,
    pub(super) team: usize,
}

pub(super) struct GroupPlan {
    pub(super) name: String,
    pub(super) path: &'static str,
    pub(super) team: usize,
}

pub(super) struct RolePlan {
    pub(super) name: String,
    pub(super) path: &'static str,
    pub(super) team: usize,
    pub(super) trust: Trust,
}

pub(super) struct PolicyPlan {
    pub(super) name: String,
    pub(super) path: &'static str,
    pub(super) team: usize,
    pub(super) boundary: bool,
    /// Index in [`POLICY_PURPOSES`].
    pub(super) purpose: usize,
}

pub(super) struct AccountPlan {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) env: Env,
    /// Index in [`OUS`], or `None` under the root.
    pub(super) ou: Option<usize>,
    pub(super) users: Vec<UserPlan>,
    pub(super) groups: Vec<GroupPlan>,
    pub(super) roles: Vec<RolePlan>,
    pub(super) policies: Vec<PolicyPlan>,
    /// Groups and policies of each team, by index.
    pub(super) team_groups: Vec<Vec<usize>>,
    pub(super) team_policies: Vec<Vec<usize>>,
    pub(super) boundaries: Vec<usize>,
}

impl AccountPlan {
    pub(super) fn arn(&self, kind: &str, path: &str, name: &str) -> String {
        format!("arn:aws:iam::{}:{kind}{path}{name}", self.id)
    }
    pub(super) fn user_arn(&self, i: usize) -> String {
        let u = &self.users[i];
        self.arn("user", u.path, &u.name)
    }
    pub(super) fn role_arn(&self, i: usize) -> String {
        let r = &self.roles[i];
        self.arn("role", r.path, &r.name)
    }
    pub(super) fn policy_arn(&self, i: usize) -> String {
        let p = &self.policies[i];
        self.arn("policy", p.path, &p.name)
    }
}

/// Every account's entities, named before any document is written, so that
/// documents can name entities of other accounts.
pub(super) struct World<'c> {
    pub(super) catalog: &'c Catalog,
    pub(super) seed: u64,
    pub(super) scale: f64,
    pub(super) accounts: Vec<AccountPlan>,
    /// Hand-written action lists, filtered through the catalog.
    pub(super) self_service_actions: Vec<String>,
    pub(super) mfa_exempt_actions: Vec<String>,
    pub(super) global_services: Vec<String>,
}

/// (name, environment, OU index, weight) of the first accounts; later ones repeat the workload pattern.
pub(super) const ACCOUNT_LAYOUT: &[(&str, Env, Option<usize>, f64)] = &[
    ("management", Env::Management, None, 0.25),
    ("payments-prod", Env::Prod, Some(3), 1.5),
    ("payments-dev", Env::NonProd, Some(4), 1.2),
    ("security-tooling", Env::Security, Some(0), 0.5),
    ("data-prod", Env::Prod, Some(3), 1.4),
    ("sandbox", Env::Sandbox, Some(2), 0.8),
    ("log-archive", Env::Security, Some(0), 0.3),
    ("shared-services", Env::Prod, Some(3), 1.0),
    ("data-dev", Env::NonProd, Some(4), 1.1),
    ("platform-prod", Env::Prod, Some(3), 1.3),
];

/// Splits `total` in proportion to `weights` (largest remainder, ties by index).
pub(super) fn split(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut counts: Vec<usize> = exact.iter().map(|x| x.floor() as usize).collect();
    let mut left = total - counts.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().cycle() {
        if left == 0 {
            break;
        }
        counts[i] += 1;
        left -= 1;
    }
    counts
}

/// Names unique in an account, compared without case: IAM refuses a second
/// entity whose name differs only in case (IAM User Guide, "IAM identifiers").
#[derive(Default)]
pub(super) struct Names(BTreeSet<String>);

impl Names {
    pub(super) fn unique(&mut self, base: &str, separator: &str) -> String {
        let mut name = base.to_string();
        let mut n = 2;
        while !self.0.insert(name.to_ascii_lowercase()) {
            name = format!("{base}{separator}{n}");
            n += 1;
        }
        name
    }
}

pub(super) fn scaled(base: f64, scale: f64) -> usize {
    (base * scale).round() as usize
}

impl<'c> World<'c> {
    pub(super) fn plan(catalog: &'c Catalog, scale: f64, seed: u64) -> World<'c> {
        let n_accounts = scaled(10.0, scale).max(3);
        let layout: Vec<(String, Env, Option<usize>, f64)> = (0..n_accounts)
            .map(|i| match ACCOUNT_LAYOUT.get(i) {
                Some(&(name, env, ou, w)) => (name.to_string(), env, ou, w),
                None => {
                    let (kind, env, ou, w) = match i % 4 {
                        0 => ("prod", Env::Prod, Some(3), 1.3),
                        1 => ("staging", Env::NonProd, Some(4), 0.9),
                        2 => ("dev", Env::NonProd, Some(4), 1.1),
                        _ => ("sandbox", Env::Sandbox, Some(2), 0.7),
                    };
                    (format!("workload{:03}-{kind}", i / 4), env, ou, w)
                }
            })
            .collect();
        let weights: Vec<f64> = layout.iter().map(|l| l.3).collect();
        let users = split(scaled(10_000.0, scale), &weights);
        let groups = split(scaled(2_000.0, scale), &weights);
        let roles = split(scaled(3_000.0, scale), &weights);
        let policies = split(scaled(5_000.0, scale), &weights);
        let accounts = layout
            .into_iter()
            .enumerate()
            .map(|(i, (name, env, ou, _))| {
                let mut rng = Rng::new(seed, 1_000 + i as u64);
                let id = format!("{}", 100_000_000_001u64 + i as u64);
                plan_account(
                    &mut rng,
                    id,
                    name,
                    env,
                    ou,
                    [
                        users[i],
                        groups[i].max(1),
                        roles[i].max(2),
                        policies[i].max(2),
                    ],
                )
            })
            .collect();
        World {
            catalog,
            seed,
            scale,
            accounts,
            self_service_actions: catalog.known(&[
                "iam:ChangePassword",
                "iam:GetUser",
                "iam:GetLoginProfile",
                "iam:CreateAccessKey",
                "iam:DeleteAccessKey",
                "iam:ListAccessKeys",
                "iam:UpdateAccessKey",
                "iam:*SSHPublicKey*",
                "iam:*MFADevice*",
            ]),
            mfa_exempt_actions: catalog.known(&[
                "iam:CreateVirtualMFADevice",
                "iam:EnableMFADevice",
                "iam:GetUser",
                "iam:ListMFADevices",
                "iam:ListVirtualMFADevices",
                "iam:ResyncMFADevice",
                "iam:ChangePassword",
                "sts:GetSessionToken",
            ]),
            // The global services of AWS's region-lock SCP example, as far as the
            // catalog knows them (AWS Organizations User Guide, "SCP examples":
            // "Deny access to AWS based on the requested AWS Region").
            global_services: catalog.known(&[
                "a4b:*",
                "acm:*",
                "aws-marketplace-management:*",
                "aws-marketplace:*",
                "aws-portal:*",
                "budgets:*",
                "ce:*",
                "chime:*",
                "cloudfront:*",
                "config:*",
                "cur:*",
                "directconnect:*",
                "ec2:DescribeRegions",
                "ec2:DescribeTransitGateways",
                "ec2:DescribeVpnGateways",
                "fms:*",
                "globalaccelerator:*",
                "health:*",
                "iam:*",
                "importexport:*",
                "kms:*",
                "mobileanalytics:*",
                "networkmanager:*",
                "organizations:*",
                "pricing:*",
                "route53:*",
                "route53domains:*",
                "s3:GetAccountPublic*",
                "s3:ListAllMyBuckets",
                "s3:PutAccountPublic*",
                "shield:*",
                "sts:*",
                "support:*",
                "trustedadvisor:*",
                "waf-regional:*",
                "waf:*",
                "wafv2:*",
                "wellarchitected:*",
            ]),
        }
    }
}

pub(super) fn plan_account(
    rng: &mut Rng,
    id: String,
    name: String,
    env: Env,
    ou: Option<usize>,
    [n_users, n_groups, n_roles, n_policies]: [usize; 4],
) -> AccountPlan {
    let mut plan = AccountPlan {
        id,
        name,
        env,
        ou,
        users: Vec::with_capacity(n_users),
        groups: Vec::with_capacity(n_groups),
        roles: Vec::with_capacity(n_roles),
        policies: Vec::with_capacity(n_policies),
        team_groups: vec![Vec::new(); TEAMS.len()],
        team_policies: vec![Vec::new(); TEAMS.len()],
        boundaries: Vec::new(),
    };
    let mut names = Names::default();
    for _ in 0..n_users {
        let team = rng.below(TEAMS.len());
        let (base, path) = if rng.chance(0.1) {
            let purpose = rng.pick(&["ci", "deploy", "etl", "backup", "reporting", "sync"]);
            (
                format!("svc-{}-{purpose}", TEAMS[team]),
                "/service-accounts/",
            )
        } else {
            let path = if rng.chance(0.15) {
                *rng.pick(&["/employees/", "/contractors/"])
            } else {
                "/"
            };
            (
                format!("{}.{}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)),
                path,
            )
        };
        let name = names.unique(&base, "");
        plan.users.push(UserPlan { name, path, team });
    }
    let mut names = Names::default();
    for i in 0..n_groups {
        // Every team gets groups before any team gets a second of a kind.
        let team = if i < TEAMS.len() {
            i
        } else {
            rng.below(TEAMS.len())
        };
        let base = format!("{}-{}", TEAMS[team], rng.pick(GROUP_FUNCTIONS));
        let name = names.unique(&base, "-");
        let path = if rng.chance(0.2) { "/teams/" } else { "/" };
        plan.team_groups[team].push(i);
        plan.groups.push(GroupPlan { name, path, team });
    }
    let mut names = Names::default();
    for i in 0..n_roles {
        let team = rng.below(TEAMS.len());
        if i == 0 && env != Env::Management {
            names.unique(ORG_ACCESS_ROLE, "");
            plan.roles.push(RolePlan {
                name: ORG_ACCESS_ROLE.into(),
                path: "/",
                team,
                trust: Trust::OrgAccess,
            });
            continue;
        }
        let trust = rng.weighted(&[
            (Trust::Service("ec2.amazonaws.com"), 8),
            (Trust::Service("lambda.amazonaws.com"), 10),
            (Trust::Service("ecs-tasks.amazonaws.com"), 6),
            (Trust::Service("states.amazonaws.com"), 2),
            (Trust::Service("glue.amazonaws.com"), 2),
            (Trust::OwnAccount, 25),
            (Trust::CrossAccount, 20),
            (Trust::Specific, 17),
            (Trust::Saml, 6),
            (Trust::Oidc, 4),
        ]);
        let (base, path) = match trust {
            Trust::Service(service) => {
                let short = service.split('.').next().unwrap_or(service);
                let purpose = rng.pick(&["app", "worker", "api", "ingest", "cron", "processor"]);
                let path = if rng.chance(0.4) {
                    "/service-role/"
                } else {
                    "/"
                };
                (format!("{}-{purpose}-{short}", TEAMS[team]), path)
            }
            Trust::Saml => (
                format!("sso-{}-{}", TEAMS[team], rng.pick(ROLE_PURPOSES)),
                "/sso/",
            ),
            Trust::Oidc => (format!("github-actions-{}-deploy", TEAMS[team]), "/ci/"),
            _ => (
                format!("{}-{}", TEAMS[team], rng.pick(ROLE_PURPOSES)),
                if rng.chance(0.2) { "/app/" } else { "/" },
            ),
        };
        let name = names.unique(&base, "-");
        plan.roles.push(RolePlan {
            name,
            path,
            team,
            trust,
        });
    }
    let mut names = Names::default();
    let n_boundaries = (n_policies / 40).max(1);
    for i in 0..n_policies {
        let team = rng.below(TEAMS.len());
        let boundary = i < n_boundaries;
        let purpose = rng.below(POLICY_PURPOSES.len());
        let base = if boundary {
            format!("{}-permissions-boundary", TEAMS[team])
        } else {
            format!("{}-{}", TEAMS[team], POLICY_PURPOSES[purpose].0)
        };
        let name = names.unique(&base, "-v");
        let path = if boundary {
            "/boundaries/"
        } else if rng.chance(0.15) {
            "/custom/"
        } else {
            "/"
        };
        if boundary {
            plan.boundaries.push(i);
        } else {
            plan.team_policies[team].push(i);
        }
        plan.policies.push(PolicyPlan {
            name,
            path,
            team,
            boundary,
            purpose,
        });
    }
    plan
}
