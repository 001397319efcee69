//! Each layer of the evaluation on its own: the organization's SCPs and RCPs,
//! the resource-based (or trust, or key) policy, the identity-based policies,
//! the permissions boundary and the session policies. Each gives a
//! [`LayerVerdict`]; [`super::combine`] weighs them.

use std::sync::{Arc, OnceLock};

use super::request::{Evaluation, ResourcePolicyKind, ResourceSide, RCP_SERVICES, TRUST_ACTIONS};
use crate::eval::decision::{Layer, LayerStatus, LayerVerdict};
use crate::eval::principal::{Boundary, PrincipalKind};
use crate::eval::public_policy::restricted_for_other_accounts;
use crate::eval::scan::{scan, ScanResult};
use crate::model::organization::OrgPolicyKind;
use crate::model::policy_ref::{NamedPolicy, PolicyOrigin, PolicySource};
use crate::model::ArnParts;
use crate::policy::{Effect, JsonPath, Policy, PolicyKind};

/// The condition key naming the account that owns the resource.
pub const RESOURCE_ACCOUNT_KEY: &str = "aws:ResourceAccount";

impl Evaluation<'_> {
    /// The resource's owner: what the workspace tells (the ARN, the resource
    /// policy's or a declared `AccountId`), else the request's
    /// `aws:ResourceAccount` ("the account that owns the resource", IAM User
    /// Guide, reference_policies_condition-keys; `--resource-account` sets
    /// it). An owner still unknown is taken to be the caller's account, and
    /// the trace says so.
    #[inline]
    pub(super) fn resource_account(&self) -> (&str, String) {
        if let Some(account) = self.workspace.resource_account_with(
            &self.request.resource,
            &self.principal.account,
            self.resource_policy,
        ) {
            return (account, String::new());
        }
        if let Some(account) = self.request.context.single(RESOURCE_ACCOUNT_KEY) {
            return (account, String::new());
        }
        (
            &self.principal.account,
            self.note(|| {
                format!(
                    "the owner of {} is unknown (its ARN has no account, and no resource policy or \
                     declared AccountId names one); taken to be the caller's account: \
                     give --resource-account to settle it",
                    self.request.resource
                )
            }),
        )
    }

    #[inline]
    pub(super) fn resource_side(&self, action: &str) -> ResourceSide<'_> {
        let resource = &self.request.resource;
        if TRUST_ACTIONS.iter().any(|t| t.eq_ignore_ascii_case(action)) {
            if let Ok(arn) = ArnParts::parse(resource) {
                if arn.service == "iam" && arn.resource.starts_with("role/") {
                    let (policy, absent_note) = match self.workspace.role_by_arn(resource) {
                        Some((_, role)) => (
                            role.trust_policy.as_ref(),
                            self.note(|| format!("role {} has no trust policy", role.name)),
                        ),
                        None => (
                            None,
                            self.note(|| format!("role {resource} is not in the workspace, so its trust policy is unknown")),
                        ),
                    };
                    return ResourceSide {
                        policy,
                        kind: ResourcePolicyKind::Trust,
                        absent_note,
                    };
                }
            }
        }
        let policy = self.resource_policy.map(|rp| &rp.document);
        let is_key = ArnParts::parse(resource)
            .is_ok_and(|arn| arn.service == "kms" && arn.resource.starts_with("key/"));
        ResourceSide {
            policy,
            kind: if is_key {
                ResourcePolicyKind::KeyPolicy
            } else {
                ResourcePolicyKind::Ordinary
            },
            absent_note: self.note(|| {
                if is_key {
                    format!("no key policy for {resource} in the workspace")
                } else {
                    "no resource-based policy in the workspace applies to this resource".to_string()
                }
            }),
        }
    }

    #[inline]
    pub(super) fn scp_layer(&self) -> LayerVerdict {
        let exemption = self.org_exemption(&self.principal.account, "SCPs");
        self.org_layer(Layer::Scp, &self.principal.account, exemption)
    }

    #[inline]
    pub(super) fn rcp_layer(&self, resource_account: &str) -> LayerVerdict {
        let service = self.request.action.split(':').next().unwrap_or_default();
        let exemption = if !RCP_SERVICES.iter().any(|s| s.eq_ignore_ascii_case(service)) {
            Some(self.note(|| {
                format!(
                    "RCPs do not govern {} resources",
                    service.to_ascii_lowercase()
                )
            }))
        } else {
            self.org_exemption(resource_account, "RCPs")
        };
        self.org_layer(Layer::Rcp, resource_account, exemption)
    }

    /// Why the organization's policies do not apply, if they do not.
    #[inline]
    pub(super) fn org_exemption(&self, account: &str, what: &str) -> Option<String> {
        let Some(org) = &self.workspace.organization else {
            return Some(self.note(|| "no organization in the workspace".to_string()));
        };
        if !org.contains_account(account) {
            return Some(self.note(|| format!("account {account} is not in the organization")));
        }
        if org.is_management_account(account) {
            return Some(self.note(|| format!("{what} do not apply to the management account")));
        }
        if self.principal.service_linked {
            return Some(self.note(|| format!("{what} do not apply to service-linked roles")));
        }
        None
    }

    /// Every level (root, OUs, account) must allow; see the comment on implied policies.
    #[inline]
    pub(super) fn org_layer(
        &self,
        layer: Layer,
        account: &str,
        exemption: Option<String>,
    ) -> LayerVerdict {
        if let Some(note) = exemption {
            return not_applicable(layer, note);
        }
        let org = match &self.workspace.organization {
            Some(org) => org,
            None => return not_applicable(layer, self.note(|| "no organization".to_string())),
        };
        let kind = match layer {
            Layer::Scp => OrgPolicyKind::ServiceControl,
            _ => OrgPolicyKind::ResourceControl,
        };
        let Some(levels) = org.account_levels(account, kind) else {
            return not_applicable(
                layer,
                self.note(|| format!("account {account} is not in the organization")),
            );
        };
        let target = self.target();
        let mut result = ScanResult::default();
        let mut missing = Vec::new();
        for level in levels {
            let mut level_result = ScanResult::default();
            // A level with no SCP listed carries FullAWSAccess (AWS never leaves a
            // level empty); RCPFullAWSAccess is on every level and cannot be detached.
            if level.policies.is_empty() || layer == Layer::Rcp {
                scan(
                    implied_policy(kind),
                    layer,
                    Some(&level.label),
                    &target,
                    &mut level_result,
                );
            }
            for policy in &level.policies {
                scan(
                    &policy.document,
                    layer,
                    Some(&level.label),
                    &target,
                    &mut level_result,
                );
            }
            if !level_result.has(Effect::Allow) {
                missing.push(level.label.as_str());
            }
            result.extend(level_result);
        }
        let status = if result.has(Effect::Deny) {
            LayerStatus::Denies
        } else if missing.is_empty() {
            LayerStatus::Allows
        } else {
            LayerStatus::NoAllow
        };
        let note = self.note(|| match status {
            LayerStatus::NoAllow => format!(
                "no {} allows the action at: {}",
                layer.aws_phrase(),
                missing.join(", ")
            ),
            LayerStatus::Denies => format!("a {} denies the action", layer.aws_phrase()),
            _ => format!(
                "every level allows ({})",
                levels
                    .iter()
                    .map(|l| l.label.as_str())
                    .collect::<Vec<_>>()
                    .join(" → ")
            ),
        });
        verdict(layer, status, note, result)
    }

    #[inline]
    pub(super) fn resource_layer(
        &self,
        side: &ResourceSide,
        same_account: bool,
        owner_note: &str,
    ) -> LayerVerdict {
        let Some(policy) = side.policy else {
            let note = self.note(|| match owner_note {
                "" => side.absent_note.clone(),
                _ => format!("{}; {owner_note}", side.absent_note),
            });
            let status = if side.kind != ResourcePolicyKind::Ordinary || !same_account {
                LayerStatus::NoAllow
            } else {
                LayerStatus::NotApplicable
            };
            return LayerVerdict {
                layer: Layer::ResourcePolicy,
                status,
                note,
                matches: Vec::new(),
                near_misses: Vec::new(),
                policies: Vec::new(),
                summary: Default::default(),
            };
        };
        let mut result = ScanResult::default();
        scan(
            policy,
            Layer::ResourcePolicy,
            None,
            &self.target(),
            &mut result,
        );
        let consulted = self.consulted(std::slice::from_ref(policy));
        let mut status = status_of(&result);
        // S3 Block Public Access: a public bucket policy grants nothing to
        // another account under RestrictPublicBuckets (eval/public_policy.rs).
        let restricted = status == LayerStatus::Allows
            && !same_account
            && side.kind == ResourcePolicyKind::Ordinary
            && self
                .resource_policy
                .is_some_and(|rp| restricted_for_other_accounts(self.workspace, rp));
        if restricted {
            status = LayerStatus::NoAllow;
            result.summary.named = None;
        }
        let note = self.note(|| match (status, result.summary.named) {
            _ if restricted => format!(
                "{} is public and S3 Block Public Access (RestrictPublicBuckets) limits it to the bucket owner's account: its grants to other accounts are ignored",
                policy.origin.name
            ),
            (LayerStatus::Denies, _) => format!("{} denies", policy.origin.name),
            (LayerStatus::Allows, Some(named)) => {
                format!("{} allows; it {}", policy.origin.name, named.describe())
            }
            _ => format!(
                "{} has no statement that allows this principal",
                policy.origin.name
            ),
        });
        verdict(Layer::ResourcePolicy, status, note, result).with_policies(consulted)
    }

    #[inline]
    pub(super) fn identity_layer(&self) -> LayerVerdict {
        if self.principal.kind == PrincipalKind::Root {
            return LayerVerdict {
                layer: Layer::Identity,
                status: LayerStatus::Allows,
                note: self
                    .note(|| "the root user has every permission in its own account".to_string()),
                matches: Vec::new(),
                near_misses: Vec::new(),
                policies: Vec::new(),
                summary: Default::default(),
            };
        }
        let target = self.target();
        let mut result = ScanResult::default();
        for policy in &self.principal.identity_policies {
            scan(policy, Layer::Identity, None, &target, &mut result);
        }
        let status = status_of(&result);
        let note = self.note(|| {
            let mut note = match status {
                LayerStatus::Allows => "an identity-based policy allows the action".to_string(),
                LayerStatus::Denies => "an identity-based policy denies the action".to_string(),
                _ => match self.principal.identity_policies.len() {
                    0 => "the principal has no identity-based policy".to_string(),
                    1 => "its one identity-based policy does not allow the action".to_string(),
                    n => format!("none of its {n} identity-based policies allows the action"),
                },
            };
            if !self.principal.unresolved_policies.is_empty() {
                note.push_str(&format!(
                    "; attached but unresolved (granting nothing): {}",
                    self.principal.unresolved_policies.join(", ")
                ));
            }
            note
        });
        let consulted = self.consulted(&self.principal.identity_policies);
        verdict(Layer::Identity, status, note, result).with_policies(consulted)
    }

    #[inline]
    pub(super) fn boundary_layer(&self) -> LayerVerdict {
        match &self.principal.boundary {
            None => not_applicable(Layer::Boundary, self.note(|| "no permissions boundary".to_string())),
            Some(Boundary::Unresolved(arn)) => LayerVerdict {
                layer: Layer::Boundary,
                status: LayerStatus::NoAllow,
                note: self.note(|| format!("the boundary {arn} is defined nowhere: a boundary that cannot be read allows nothing")),
                matches: Vec::new(),
                near_misses: Vec::new(),
                policies: Vec::new(),
                summary: Default::default(),
            },
            Some(Boundary::Policy(policy)) => {
                let mut result = ScanResult::default();
                scan(policy, Layer::Boundary, None, &self.target(), &mut result);
                let status = status_of(&result);
                let note = self.note(|| match status {
                    LayerStatus::Allows => format!("the boundary {} allows the action", policy.origin.name),
                    LayerStatus::Denies => format!("the boundary {} denies the action", policy.origin.name),
                    _ => format!("the boundary {} does not allow the action", policy.origin.name),
                });
                verdict(Layer::Boundary, status, note, result).with_policies(self.consulted(std::slice::from_ref(policy)))
            }
        }
    }

    #[inline]
    pub(super) fn session_layer(&self) -> LayerVerdict {
        let Some(session) = &self.principal.session else {
            return not_applicable(
                Layer::SessionPolicy,
                self.note(|| "not a session".to_string()),
            );
        };
        let Some(policies) = &session.session_policies else {
            return not_applicable(
                Layer::SessionPolicy,
                self.note(|| {
                    "no session policy: the session has the role's permissions".to_string()
                }),
            );
        };
        let target = self.target();
        let mut result = ScanResult::default();
        for policy in policies {
            scan(policy, Layer::SessionPolicy, None, &target, &mut result);
        }
        let status = status_of(&result);
        let note = self.note(|| {
            match status {
                LayerStatus::Allows => "the session policy allows the action",
                LayerStatus::Denies => "the session policy denies the action",
                _ => "the session policy does not allow the action",
            }
            .to_string()
        });
        let consulted = self.consulted(policies);
        verdict(Layer::SessionPolicy, status, note, result).with_policies(consulted)
    }
}

#[inline]
pub(super) fn status_of(result: &ScanResult) -> LayerStatus {
    if result.has(Effect::Deny) {
        LayerStatus::Denies
    } else if result.has(Effect::Allow) {
        LayerStatus::Allows
    } else {
        LayerStatus::NoAllow
    }
}

#[inline]
pub(super) fn verdict(
    layer: Layer,
    status: LayerStatus,
    note: String,
    result: ScanResult,
) -> LayerVerdict {
    LayerVerdict {
        layer,
        status,
        note,
        matches: result.matches,
        near_misses: result.near_misses,
        policies: Vec::new(),
        summary: result.summary,
    }
}

#[inline]
pub(super) fn not_applicable(layer: Layer, note: String) -> LayerVerdict {
    LayerVerdict {
        layer,
        status: LayerStatus::NotApplicable,
        note,
        matches: Vec::new(),
        near_misses: Vec::new(),
        policies: Vec::new(),
        summary: Default::default(),
    }
}

/// AWS's default `FullAWSAccess` / `RCPFullAWSAccess`, which a level without
/// any listed policy carries; built once.
#[inline]
pub(super) fn implied_policy(kind: OrgPolicyKind) -> &'static NamedPolicy {
    static SCP: OnceLock<NamedPolicy> = OnceLock::new();
    static RCP: OnceLock<NamedPolicy> = OnceLock::new();
    let (cell, name, policy_kind) = match kind {
        OrgPolicyKind::ServiceControl => (&SCP, "FullAWSAccess", PolicyKind::Scp),
        OrgPolicyKind::ResourceControl => (&RCP, "RCPFullAWSAccess", PolicyKind::Rcp),
    };
    cell.get_or_init(|| NamedPolicy {
        origin: PolicyOrigin {
            file: Arc::from("(attached by AWS by default)"),
            path: JsonPath::root(),
            name: format!("{name} (implied: AWS attaches it by default)"),
            arn: None,
            source: PolicySource::Implied,
        },
        kind: policy_kind,
        policy: std::sync::Arc::new(Policy::allow_all(policy_kind)),
    })
}
