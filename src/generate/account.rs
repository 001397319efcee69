//! One account's `aws iam get-account-authorization-details` dump: users,
//! groups, roles with their trust policies and instance profiles, customer
//! managed policies with their versions, in the field order the AWS CLI
//! prints (IAM API Reference, "GetAccountAuthorizationDetails").

use std::collections::BTreeSet;

use super::catalog::Catalog;
use super::document::{doc, upper_first, Stmt};
use super::json::J;
use super::plan::{AccountPlan, Names, Trust, World};
use super::rng::{iso, Rng};
use super::vocabulary::{AWS_MANAGED_HUMAN, AWS_MANAGED_SERVICE, POLICY_PURPOSES, REGIONS, TEAMS};

/// Writes one account's documents.
pub(super) struct Generator<'w, 'c> {
    pub(super) world: &'w World<'c>,
    pub(super) account: &'w AccountPlan,
    pub(super) rng: Rng,
    /// Per customer managed policy: (attachments, boundary uses).
    pub(super) usage: Vec<(u64, u64)>,
    pub(super) versions_written: usize,
}

impl<'w, 'c> Generator<'w, 'c> {
    pub(super) fn new(world: &'w World<'c>, index: usize) -> Self {
        let account = &world.accounts[index];
        Generator {
            world,
            account,
            rng: Rng::new(world.seed, 2_000 + index as u64),
            usage: vec![(0, 0); account.policies.len()],
            versions_written: 0,
        }
    }

    pub(super) fn catalog(&self) -> &'c Catalog {
        self.world.catalog
    }

    pub(super) fn region(&mut self) -> &'static str {
        REGIONS[self.rng.below(REGIONS.len())]
    }
}

impl Generator<'_, '_> {
    pub(super) fn inline_policies(&mut self, team: &str, count: usize) -> J {
        let mut names = Names::default();
        let list = (0..count)
            .map(|_| {
                let purpose = self.rng.below(POLICY_PURPOSES.len());
                let n = self.rng.range(2, 6);
                J::obj()
                    .k(
                        "PolicyName",
                        names.unique(&upper_first(POLICY_PURPOSES[purpose].0), ""),
                    )
                    .k("PolicyDocument", self.identity_doc(team, n, purpose))
                    .into()
            })
            .collect();
        J::Arr(list)
    }

    /// Attached managed policies: customer ones of the account (mostly the
    /// team's) and AWS managed ones.
    pub(super) fn attachments(
        &mut self,
        team: usize,
        customer: usize,
        aws: usize,
        service: bool,
    ) -> J {
        let mut seen = BTreeSet::new();
        let mut list = Vec::new();
        for _ in 0..customer {
            let team_list = &self.account.team_policies[team];
            let i = if !team_list.is_empty() && self.rng.chance(0.7) {
                *self.rng.pick(team_list)
            } else {
                let all = &self.account.policies;
                let i = self.rng.below(all.len());
                if all[i].boundary {
                    continue;
                }
                i
            };
            if seen.insert(self.account.policy_arn(i)) {
                self.usage[i].0 += 1;
                list.push(
                    J::obj()
                        .k("PolicyName", &self.account.policies[i].name)
                        .k("PolicyArn", self.account.policy_arn(i))
                        .into(),
                );
            }
        }
        for _ in 0..aws {
            let name = self.rng.weighted(if service {
                AWS_MANAGED_SERVICE
            } else {
                AWS_MANAGED_HUMAN
            });
            let arn = format!("arn:aws:iam::aws:policy/{name}");
            if seen.insert(arn.clone()) {
                let short = name.rsplit('/').next().unwrap_or(name);
                list.push(J::obj().k("PolicyName", short).k("PolicyArn", arn).into());
            }
        }
        J::Arr(list)
    }

    pub(super) fn boundary(&mut self) -> J {
        let arn = if self.rng.chance(0.8) {
            let i = *self.rng.pick(&self.account.boundaries);
            self.usage[i].1 += 1;
            self.account.policy_arn(i)
        } else {
            "arn:aws:iam::aws:policy/PowerUserAccess".into()
        };
        J::obj()
            .k("PermissionsBoundaryType", "Policy")
            .k("PermissionsBoundaryArn", arn)
            .into()
    }

    pub(super) fn tags(&mut self, team: usize, with_env: bool) -> J {
        let mut list = vec![J::obj().k("Key", "team").k("Value", TEAMS[team]).into()];
        if with_env {
            list.push(
                J::obj()
                    .k("Key", "env")
                    .k("Value", self.account.env.tag())
                    .into(),
            );
        }
        list.push(
            J::obj()
                .k("Key", "cost-center")
                .k("Value", format!("CC-{}", 4100 + team * 17))
                .into(),
        );
        if self.rng.chance(0.2) {
            list.push(
                J::obj()
                    .k("Key", "owner")
                    .k(
                        "Value",
                        format!("{}@example.com", TEAMS[self.rng.below(TEAMS.len())]),
                    )
                    .into(),
            );
        }
        J::Arr(list)
    }

    pub(super) fn user(&mut self, i: usize) -> J {
        let account = self.account;
        let plan = &account.users[i];
        let team = TEAMS[plan.team];
        let mut o = J::obj()
            .k("Path", plan.path)
            .k("UserName", &plan.name)
            .k("UserId", self.rng.unique_id("AIDA"))
            .k("Arn", account.user_arn(i))
            .k("CreateDate", iso(self.rng.date()));
        if self.rng.chance(0.3) {
            let n = self.rng.range(1, 2);
            o.set("UserPolicyList", self.inline_policies(team, n));
        }
        let n_groups = self.rng.weighted(&[(1usize, 55), (2, 30), (3, 15)]);
        let mut groups = BTreeSet::new();
        for _ in 0..n_groups {
            let own = &account.team_groups[plan.team];
            let g = if !own.is_empty() && self.rng.chance(0.7) {
                *self.rng.pick(own)
            } else {
                self.rng.below(account.groups.len())
            };
            groups.insert(g);
        }
        o.set(
            "GroupList",
            J::Arr(
                groups
                    .into_iter()
                    .map(|g| J::from(&account.groups[g].name))
                    .collect(),
            ),
        );
        let attached = if self.rng.chance(0.3) {
            let (c, a) = (self.rng.range(0, 2), self.rng.range(0, 1));
            self.attachments(plan.team, c, a.max(usize::from(c == 0)), false)
        } else {
            J::Arr(Vec::new())
        };
        o.set("AttachedManagedPolicies", attached);
        if self.rng.chance(0.1) {
            o.set("PermissionsBoundary", self.boundary());
        }
        o.set("Tags", self.tags(plan.team, false));
        o.into()
    }

    pub(super) fn group(&mut self, i: usize) -> J {
        let plan = &self.account.groups[i];
        let team = TEAMS[plan.team];
        let inline = if self.rng.chance(0.6) {
            let n = self.rng.range(1, 3);
            self.inline_policies(team, n)
        } else {
            J::Arr(Vec::new())
        };
        let (c, a) = (self.rng.range(1, 3), self.rng.range(0, 2));
        J::obj()
            .k("Path", plan.path)
            .k("GroupName", &plan.name)
            .k("GroupId", self.rng.unique_id("AGPA"))
            .k("Arn", self.account.arn("group", plan.path, &plan.name))
            .k("CreateDate", iso(self.rng.date()))
            .k("GroupPolicyList", inline)
            .k(
                "AttachedManagedPolicies",
                self.attachments(plan.team, c, a, false),
            )
            .into()
    }

    pub(super) fn trust_policy(&mut self, i: usize) -> J {
        let account = self.account;
        let plan = &account.roles[i];
        let team = TEAMS[plan.team];
        let assume = "sts:AssumeRole".to_string();
        let aws = |arns: Vec<String>| -> J { J::obj().k("AWS", J::one_or_many(&arns)).into() };
        let mut s = match plan.trust {
            Trust::Service(service) => {
                let mut s = Stmt::new("ServiceAssume", true, vec![assume], Vec::new());
                s.principal = Some(J::obj().k("Service", service).into());
                s
            }
            Trust::OwnAccount => {
                let mut s = Stmt::new("AccountPrincipals", true, vec![assume], Vec::new());
                s.principal = Some(aws(vec![format!("arn:aws:iam::{}:root", account.id)]));
                if self.rng.chance(0.5) {
                    s.conditions
                        .add("Bool", "aws:MultiFactorAuthPresent", J::from("true"));
                }
                s
            }
            Trust::CrossAccount => {
                let others: Vec<&AccountPlan> = self
                    .world
                    .accounts
                    .iter()
                    .filter(|a| a.id != account.id)
                    .collect();
                let k = self.rng.range(1, 2);
                let principals = self
                    .rng
                    .sample(others.len(), k)
                    .into_iter()
                    .map(|j| {
                        if self.rng.chance(0.3) {
                            others[j].id.clone()
                        } else {
                            format!("arn:aws:iam::{}:root", others[j].id)
                        }
                    })
                    .collect();
                let mut s = Stmt::new("CrossAccountAccess", true, vec![assume], Vec::new());
                s.principal = Some(aws(principals));
                if self.rng.chance(0.3) {
                    s.conditions.add(
                        "StringEquals",
                        "sts:ExternalId",
                        J::from(format!("{team}-{}", self.rng.hex(12))),
                    );
                } else if self.rng.chance(0.3) {
                    s.conditions.add(
                        "ArnLike",
                        "aws:PrincipalArn",
                        J::from(format!("arn:aws:iam::*:role/{team}-*")),
                    );
                }
                s
            }
            Trust::Specific => {
                let k = self.rng.range(1, 3);
                let mut principals = Vec::with_capacity(k);
                for _ in 0..k {
                    let other = if self.rng.chance(0.7) {
                        account
                    } else {
                        self.rng.pick(&self.world.accounts)
                    };
                    if !other.users.is_empty() && other.id == account.id && self.rng.chance(0.5) {
                        principals.push(other.user_arn(self.rng.below(other.users.len())));
                    } else {
                        let r = self.rng.below(other.roles.len());
                        if other.id != account.id || r != i {
                            principals.push(other.role_arn(r));
                        }
                    }
                }
                if principals.is_empty() {
                    principals.push(format!("arn:aws:iam::{}:root", account.id));
                }
                principals.sort();
                principals.dedup();
                let mut s = Stmt::new("NamedPrincipals", true, vec![assume], Vec::new());
                s.principal = Some(aws(principals));
                if self.rng.chance(0.2) {
                    s.conditions
                        .add("Bool", "aws:MultiFactorAuthPresent", J::from("true"));
                }
                s
            }
            Trust::Saml => {
                let mut s = Stmt::new(
                    "SamlFederation",
                    true,
                    vec!["sts:AssumeRoleWithSAML".into(), "sts:TagSession".into()],
                    Vec::new(),
                );
                s.principal = Some(
                    J::obj()
                        .k(
                            "Federated",
                            format!("arn:aws:iam::{}:saml-provider/CorpIdP", account.id),
                        )
                        .into(),
                );
                // The audience AWS's sign-in endpoint sets (IAM User Guide,
                // "Create a role for a third-party identity provider (SAML 2.0)").
                s.conditions.add(
                    "StringEquals",
                    "SAML:aud",
                    J::from("https://signin.aws.amazon.com/saml"),
                );
                s
            }
            Trust::Oidc => {
                let mut s = Stmt::new(
                    "GitHubActions",
                    true,
                    vec!["sts:AssumeRoleWithWebIdentity".into()],
                    Vec::new(),
                );
                s.principal = Some(
                    J::obj()
                        .k(
                            "Federated",
                            format!(
                                "arn:aws:iam::{}:oidc-provider/token.actions.githubusercontent.com",
                                account.id
                            ),
                        )
                        .into(),
                );
                // GitHub's audience and subject keys, as AWS advises to limit
                // the trust to a repository and branch (IAM User Guide,
                // "Create a role for OpenID Connect federation").
                s.conditions.add(
                    "StringEquals",
                    "token.actions.githubusercontent.com:aud",
                    J::from("sts.amazonaws.com"),
                );
                s.conditions.add(
                    "StringLike",
                    "token.actions.githubusercontent.com:sub",
                    J::from(format!("repo:example-corp/{team}-*:ref:refs/heads/main")),
                );
                s
            }
            Trust::OrgAccess => {
                let management = &self.world.accounts[0].id;
                let mut s = Stmt::new("", true, vec![assume], Vec::new());
                s.principal = Some(aws(vec![format!("arn:aws:iam::{management}:root")]));
                s
            }
        };
        let mut statements = Vec::with_capacity(2);
        if s.sid.is_empty() {
            // As Organizations writes it when it creates the account: no Sid
            // (AWS Organizations User Guide, "Accessing a member account that
            // has a management account access role").
            let mut o = J::obj().k("Effect", "Allow");
            o.set(
                "Principal",
                s.principal.take().unwrap_or(J::Arr(Vec::new())),
            );
            o.set("Action", "sts:AssumeRole");
            statements.push(o.into());
        } else {
            statements.push(s.json());
        }
        doc(statements)
    }

    pub(super) fn role(&mut self, i: usize) -> J {
        let account = self.account;
        let plan = &account.roles[i];
        let team = TEAMS[plan.team];
        let arn = account.role_arn(i);
        let role_id = self.rng.unique_id("AROA");
        let created = self.rng.date();
        let trust = self.trust_policy(i);
        let mut profiles = Vec::new();
        if plan.trust == Trust::Service("ec2.amazonaws.com") {
            profiles.push(
                J::obj()
                    .k("Path", "/")
                    .k("InstanceProfileName", &plan.name)
                    .k("InstanceProfileId", self.rng.unique_id("AIPA"))
                    .k(
                        "Arn",
                        format!("arn:aws:iam::{}:instance-profile/{}", account.id, plan.name),
                    )
                    .k("CreateDate", iso(created + 1))
                    .k(
                        "Roles",
                        vec![J::obj()
                            .k("Path", plan.path)
                            .k("RoleName", &plan.name)
                            .k("RoleId", &role_id)
                            .k("Arn", &arn)
                            .k("CreateDate", iso(created))
                            .k("AssumeRolePolicyDocument", trust.clone())
                            .into()],
                    )
                    .into(),
            );
        }
        let service = matches!(plan.trust, Trust::Service(_));
        let (inline, attached) = if plan.trust == Trust::OrgAccess {
            (
                J::Arr(Vec::new()),
                J::Arr(vec![J::obj()
                    .k("PolicyName", "AdministratorAccess")
                    .k("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess")
                    .into()]),
            )
        } else {
            let inline = if self.rng.chance(0.6) {
                let n = self.rng.range(1, 2);
                self.inline_policies(team, n)
            } else {
                J::Arr(Vec::new())
            };
            let (c, a) = (self.rng.range(0, 2), self.rng.range(0, 2));
            (
                inline,
                self.attachments(plan.team, c, a.max(usize::from(c == 0)), service),
            )
        };
        let mut o = J::obj()
            .k("Path", plan.path)
            .k("RoleName", &plan.name)
            .k("RoleId", role_id)
            .k("Arn", arn)
            .k("CreateDate", iso(created))
            .k("AssumeRolePolicyDocument", trust)
            .k("InstanceProfileList", profiles)
            .k("RolePolicyList", inline)
            .k("AttachedManagedPolicies", attached);
        if plan.trust != Trust::OrgAccess && self.rng.chance(0.1) {
            o.set("PermissionsBoundary", self.boundary());
        }
        o.set("Tags", self.tags(plan.team, true));
        let last_used: J = if self.rng.chance(0.7) {
            let used =
                created + (self.rng.next_u64() % (1_751_241_600 - created).max(1) as u64) as i64;
            J::obj()
                .k("LastUsedDate", iso(used))
                .k("Region", self.region())
                .into()
        } else {
            J::obj().into()
        };
        o.set("RoleLastUsed", last_used);
        o.into()
    }

    pub(super) fn policy(&mut self, i: usize) -> J {
        let account = self.account;
        let plan = &account.policies[i];
        let team = TEAMS[plan.team];
        let n_versions = self.rng.weighted(&[(1usize, 30), (2, 35), (3, 35)]);
        let first_version = if self.rng.chance(0.3) {
            self.rng.range(2, 4)
        } else {
            1
        };
        let default = if n_versions > 1 && self.rng.chance(0.1) {
            n_versions - 2 // rolled back to the previous version
        } else {
            n_versions - 1
        };
        let mut t = self.rng.date();
        let created = t;
        let mut versions = Vec::with_capacity(n_versions);
        for v in 0..n_versions {
            let document = if plan.boundary {
                self.boundary_doc(team)
            } else {
                let n = self.rng.range(4, 12);
                self.identity_doc(team, n, plan.purpose)
            };
            versions.push((
                format!("v{}", first_version + v),
                v == default,
                iso(t),
                document,
            ));
            t += 86_400 + (self.rng.next_u64() % (200 * 86_400)) as i64;
        }
        self.versions_written += n_versions;
        let updated = versions[n_versions - 1].2.clone();
        let default_id = versions[default].0.clone();
        // Newest first, as IAM lists them. At most 5 versions are kept, and
        // the default need not be the newest (IAM User Guide, "Versioning IAM
        // policies"); this writes 1 to 3 and sometimes rolls back one.
        let list: Vec<J> = versions
            .into_iter()
            .rev()
            .map(|(id, is_default, date, document)| {
                J::obj()
                    .k("Document", document)
                    .k("VersionId", id)
                    .k("IsDefaultVersion", is_default)
                    .k("CreateDate", date)
                    .into()
            })
            .collect();
        let (attachments, boundary_uses) = self.usage[i];
        J::obj()
            .k("PolicyName", &plan.name)
            .k("PolicyId", self.rng.unique_id("ANPA"))
            .k("Arn", account.policy_arn(i))
            .k("Path", plan.path)
            .k("DefaultVersionId", default_id)
            .k("AttachmentCount", attachments)
            .k("PermissionsBoundaryUsageCount", boundary_uses)
            .k("IsAttachable", true)
            .k("CreateDate", iso(created))
            .k("UpdateDate", updated)
            .k("PolicyVersionList", list)
            .into()
    }

    pub(super) fn account_dump(&mut self) -> J {
        let account = self.account;
        let users: Vec<J> = (0..account.users.len()).map(|i| self.user(i)).collect();
        let groups: Vec<J> = (0..account.groups.len()).map(|i| self.group(i)).collect();
        let roles: Vec<J> = (0..account.roles.len()).map(|i| self.role(i)).collect();
        // Last: attachment counts are known once every entity is written.
        let policies: Vec<J> = (0..account.policies.len())
            .map(|i| self.policy(i))
            .collect();
        J::obj()
            .k("UserDetailList", users)
            .k("GroupDetailList", groups)
            .k("RoleDetailList", roles)
            .k("Policies", policies)
            .into()
    }
}

/// Account `index` of the plan as `account-<id>.json`, and how many policy
/// versions it holds.
pub(super) fn account_file(world: &World, index: usize) -> (super::GeneratedFile, usize) {
    let mut generator = Generator::new(world, index);
    let dump = generator.account_dump();
    let name = format!("account-{}.json", world.accounts[index].id);
    (super::file(name, &dump), generator.versions_written)
}
