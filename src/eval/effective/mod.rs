//! Effective permissions: every catalog action a principal may perform, on
//! which resources, under which conditions, and the statement that grants it.
//!
//! Computed from the principal's side of the evaluation (identity policies,
//! boundary, session policies, SCPs), with the action catalog expanding
//! patterns such as `s3:Get*`, `*` and `NotAction` lists. Resource-based
//! policies grant per resource and are left to `check`.
//!
//! Conditions on keys the request context knows (the principal's own keys,
//! and what the user set, like MFA) are decided; conditions on keys it does
//! not know (a resource's tags...) are kept and shown with the grant.

use serde::Serialize;

mod grant;
mod verify;

pub use grant::{Grant, Restriction, StatementRef};

use super::decision::Layer;
use super::principal::{Boundary, Principal, PrincipalKind};
use crate::catalog::{AccessLevel, ActionId, ActionSet, Catalog};
use crate::model::policy_ref::NamedPolicy;
use crate::model::Workspace;
use crate::pattern::glob::{CaseRule, Glob};
use crate::policy::statement::{ActionSpec, ResourceSpec};
use crate::policy::{Effect, RequestContext, Statement};

/// One allowed action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EffectiveAction {
    pub action: String,
    pub service: String,
    pub access: AccessLevel,
    #[serde(skip)]
    pub id: ActionId,
    pub grants: Vec<Grant>,
    /// Every grant depends on conditions the context does not decide: the
    /// action is allowed only if they hold (`check` without those keys
    /// denies it, and `why` says which condition failed).
    pub conditional: bool,
    /// Those conditions, in words, once each (empty when unconditional).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub restrictions: Vec<Restriction>,
}

/// Whether every grant is conditional, and the conditions of all grants.
fn conditionality(grants: &[Grant]) -> (bool, Vec<String>) {
    let conditional = !grants.is_empty() && grants.iter().all(|g| !g.conditions.is_empty());
    let mut conditions: Vec<String> = Vec::new();
    if conditional {
        for c in grants.iter().flat_map(|g| &g.conditions) {
            if !conditions.contains(c) {
                conditions.push(c.clone());
            }
        }
    }
    (conditional, conditions)
}

impl EffectiveAction {
    /// The resource patterns the action is granted on, across its grants.
    pub fn resources(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for grant in &self.grants {
            let text = if grant.not_resource {
                vec![format!("all but {}", grant.resources.join(", "))]
            } else {
                grant.resources.clone()
            };
            for r in text {
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
        out
    }
}

/// The effective permissions of one principal.
#[derive(Debug, Clone, Serialize)]
pub struct EffectivePermissions {
    pub principal: String,
    pub actions: Vec<EffectiveAction>,
    /// What the computation could not take into account.
    pub notes: Vec<String>,
    #[serde(skip)]
    pub set: ActionSet,
}

impl EffectivePermissions {
    pub fn get(&self, id: ActionId) -> Option<&EffectiveAction> {
        self.actions
            .binary_search_by_key(&id, |a| a.id)
            .ok()
            .map(|i| &self.actions[i])
    }

    pub fn find(&self, action: &str) -> Option<&EffectiveAction> {
        Catalog::get().find(action).and_then(|id| self.get(id))
    }
}

/// A list per action: over the whole catalog, one slot per action; within
/// a scope, only the actions that get one. (Creating and dropping 22,000
/// slots is nothing in a release build, but most of a scoped list's time
/// in a fuzzer's instrumented one.)
enum PerAction<T> {
    Dense(Vec<Vec<T>>),
    Sparse(std::collections::HashMap<ActionId, Vec<T>>),
}

impl<T: Clone> PerAction<T> {
    fn new(actions: usize, scope: Option<&ActionSet>) -> Self {
        match scope {
            None => PerAction::Dense(vec![Vec::new(); actions]),
            Some(_) => PerAction::Sparse(Default::default()),
        }
    }

    fn at(&mut self, id: ActionId) -> &mut Vec<T> {
        match self {
            PerAction::Dense(slots) => &mut slots[id],
            PerAction::Sparse(slots) => slots.entry(id).or_default(),
        }
    }
}

/// A statement prepared for expansion.
struct Prepared<'a> {
    statement: &'a Statement,
    source: StatementRef,
    actions: ActionSet,
    resources: Vec<String>,
    not_resource: bool,
    /// Undecided conditions; `None` when a decided condition fails.
    conditions: Option<Vec<String>>,
}

impl Prepared<'_> {
    fn is_unconditional_everywhere(&self) -> bool {
        self.conditions.as_ref().is_some_and(|c| c.is_empty())
            && !self.not_resource
            && self.resources.iter().any(|r| r == "*")
    }
}

/// What a policy's statements are computed with: the request context and
/// the actions listed.
struct Frame<'c> {
    catalog: &'c Catalog,
    context: &'c RequestContext,
    scope: Option<&'c ActionSet>,
}

fn prepare<'a>(
    frame: &Frame,
    policy: &'a NamedPolicy,
    layer: Layer,
    level: Option<&str>,
) -> Vec<Prepared<'a>> {
    let (catalog, context) = (frame.catalog, frame.context);
    policy
        .policy
        .statements
        .iter()
        .map(|statement| {
            let mut actions = match &statement.actions {
                ActionSpec::Action(patterns) => catalog.expand_all(patterns),
                ActionSpec::NotAction(patterns) => catalog.expand_all(patterns).complement(),
            };
            if let Some(scope) = frame.scope {
                actions.intersect_with(scope);
            }
            let (resources, not_resource) = match &statement.resources {
                None => (vec!["*".to_string()], false),
                Some(ResourceSpec::Resource(t)) => (resolve_all(t, context), false),
                Some(ResourceSpec::NotResource(t)) => (resolve_all(t, context), true),
            };
            // `NotResource: "*"` excludes every resource: the statement
            // applies to none (IAM User Guide, reference_policies_elements_notresource).
            let conditions = if not_resource && resources.iter().any(|r| r == "*") {
                None
            } else {
                undecided_conditions(statement, context)
            };
            let mut name = policy.origin.name.clone();
            if let Some(level) = level {
                name = format!("{name} at {level}");
            }
            Prepared {
                statement,
                source: StatementRef {
                    layer,
                    file: policy.origin.file.to_string(),
                    policy: name,
                    statement: statement.reference().label(),
                    statement_index: statement.index,
                },
                actions,
                resources,
                not_resource,
                conditions,
            }
        })
        .collect()
}

fn resolve_all(
    templates: &[crate::policy::variables::Template],
    context: &RequestContext,
) -> Vec<String> {
    templates
        .iter()
        .map(|t| match t.resolve(context) {
            Some(r) => r.to_text(),
            None => t.raw().to_string(),
        })
        .collect()
}

/// Decides the clauses whose key the context has; returns the others in
/// words, or `None` when a decided clause fails.
fn undecided_conditions(statement: &Statement, context: &RequestContext) -> Option<Vec<String>> {
    let mut undecided = Vec::new();
    for clause in &statement.condition.clauses {
        if context.contains(&clause.key) {
            if !clause.evaluate(context) {
                return None;
            }
        } else {
            undecided.push(clause.describe());
        }
    }
    Some(undecided)
}

/// Computes the effective permissions of `principal`.
/// Actions a service refuses to some principals whatever the resource
/// (see [`super::refusal`]).
const SESSION_REFUSED: [&str; 2] = ["sts:GetSessionToken", "sts:GetFederationToken"];

pub fn effective_permissions(
    workspace: &Workspace,
    principal: &Principal,
    context: &RequestContext,
    now_epoch: i64,
) -> EffectivePermissions {
    permissions_of(workspace, principal, context, now_epoch, None)
}

/// [`effective_permissions`] restricted to the actions of `scope`: each
/// action's entry is computed on its own (statements are expanded to sets,
/// then every action is verified by itself, sharing verdicts only within
/// its service), so an action in `scope` gets the entry the whole list
/// gives it, and the others none; the SESSION_REFUSED note appears only
/// when that action is in `scope`. The work per action is the scope's: the
/// fuzzer's oracle asks about seven services, not the 22,000 actions.
pub fn effective_permissions_within(
    workspace: &Workspace,
    principal: &Principal,
    context: &RequestContext,
    now_epoch: i64,
    scope: &ActionSet,
) -> EffectivePermissions {
    permissions_of(workspace, principal, context, now_epoch, Some(scope))
}

fn permissions_of(
    workspace: &Workspace,
    principal: &Principal,
    context: &RequestContext,
    now_epoch: i64,
    scope: Option<&ActionSet>,
) -> EffectivePermissions {
    let catalog = Catalog::get();
    let given = context;
    let mut context = context.clone();
    principal.add_request_keys(&mut context, now_epoch);
    let verifier = verify::Verifier {
        workspace,
        principal,
        context: given,
        known: &context,
        now_epoch,
        memo: Default::default(),
    };
    let mut notes = vec![
        "resource-based policies can grant more on specific resources: `check` weighs them"
            .to_string(),
    ];

    // 1. What identity policies grant (the root user: everything).
    let mut allowed = ActionSet::empty(catalog.len());
    let mut grants: PerAction<Grant> = PerAction::new(catalog.len(), scope);
    let frame = Frame {
        catalog,
        context: &context,
        scope,
    };
    let identity: Vec<Prepared> = principal
        .identity_policies
        .iter()
        .flat_map(|p| prepare(&frame, p, Layer::Identity, None))
        .collect();
    if principal.kind == PrincipalKind::Root {
        allowed = scope.map_or_else(|| ActionSet::full(catalog.len()), ActionSet::clone);
    }
    for p in identity
        .iter()
        .filter(|p| p.statement.effect == Effect::Allow)
    {
        let Some(conditions) = &p.conditions else {
            continue;
        };
        for id in p.actions.iter() {
            allowed.insert(id);
            grants.at(id).push(Grant {
                source: p.source.clone(),
                resources: p.resources.clone(),
                not_resource: p.not_resource,
                conditions: conditions.clone(),
            });
        }
    }
    let mut restrictions: PerAction<Restriction> = PerAction::new(catalog.len(), scope);

    // 2. Gates: boundary, session policies, SCP levels each must allow.
    let mut denies: Vec<Prepared> = identity
        .into_iter()
        .filter(|p| p.statement.effect == Effect::Deny)
        .collect();
    let mut gates: Vec<Vec<Prepared>> = Vec::new();
    match &principal.boundary {
        None => {}
        Some(Boundary::Unresolved(arn)) => {
            allowed = ActionSet::empty(catalog.len());
            notes.push(format!(
                "the boundary {arn} is defined nowhere: it allows nothing"
            ));
        }
        Some(Boundary::Policy(policy)) => {
            gates.push(prepare(&frame, policy, Layer::Boundary, None))
        }
    }
    if let Some(policies) = principal
        .session
        .as_ref()
        .and_then(|s| s.session_policies.as_ref())
    {
        gates.push(
            policies
                .iter()
                .flat_map(|p| prepare(&frame, p, Layer::SessionPolicy, None))
                .collect(),
        );
    }
    let scps = scp_levels(workspace, principal);
    for (level, policies) in &scps {
        gates.push(
            policies
                .iter()
                .flat_map(|p| prepare(&frame, p, Layer::Scp, Some(level)))
                .collect(),
        );
    }
    for gate in gates {
        let mut gate_allows = ActionSet::empty(catalog.len());
        let mut everywhere = ActionSet::empty(catalog.len());
        let mut partial: Vec<&Prepared> = Vec::new();
        for p in gate
            .iter()
            .filter(|p| p.statement.effect == Effect::Allow && p.conditions.is_some())
        {
            gate_allows.union_with(&p.actions);
            if p.is_unconditional_everywhere() {
                everywhere.union_with(&p.actions);
            } else {
                partial.push(p);
            }
        }
        allowed.intersect_with(&gate_allows);
        // An action the gate allows only in part (and nowhere everywhere) is
        // kept, with the limit shown.
        for p in partial {
            let mut limited = p.actions.clone();
            limited.intersect_with(&allowed);
            limited.subtract(&everywhere);
            for id in limited.iter() {
                restrictions.at(id).push(restriction(p));
            }
        }
        denies.extend(
            gate.into_iter()
                .filter(|p| p.statement.effect == Effect::Deny),
        );
    }

    // 3. Explicit denies: unconditional ones on every resource remove the
    //    action; the others narrow it.
    for p in denies.iter().filter(|p| p.conditions.is_some()) {
        if p.is_unconditional_everywhere() {
            allowed.subtract(&p.actions);
        } else {
            let mut hit = p.actions.clone();
            hit.intersect_with(&allowed);
            for id in hit.iter() {
                restrictions.at(id).push(restriction(p));
            }
        }
    }

    // 4. What the service refuses to this principal on any resource (a role
    //    session asking for sts:GetSessionToken) is not a permission it has.
    for name in SESSION_REFUSED {
        if let Some(id) = catalog.find(name) {
            if allowed.contains(id) && super::refusal::refusal(principal, name, "*").is_some() {
                allowed.remove(id);
                notes.push(format!(
                    "{name} is allowed by the policies but refused by STS to a role session"
                ));
            }
        }
    }

    // 5. What decides per resource (resource policies, RCPs, another
    //    account, a limit on some resources) is asked of the engine, so that
    //    the list and `check` agree.
    let listed: Vec<ActionId> = allowed.iter().collect();
    for id in listed {
        let name = &catalog.action(id).full_name;
        if !verify_grants(&verifier, name, grants.at(id), restrictions.at(id)) {
            allowed.remove(id);
            restrictions.at(id).clear();
        }
    }

    let actions = allowed
        .iter()
        .map(|id| {
            let info = catalog.action(id);
            let mut action_grants = std::mem::take(grants.at(id));
            if action_grants.is_empty() {
                action_grants.push(root_grant(principal));
            }
            let (conditional, conditions) = conditionality(&action_grants);
            EffectiveAction {
                conditional,
                conditions,
                action: info.full_name.clone(),
                service: catalog.service_of(id).prefix.to_string(),
                access: info.access,
                id,
                grants: action_grants,
                restrictions: std::mem::take(restrictions.at(id)),
            }
        })
        .collect();
    EffectivePermissions {
        principal: principal.arn.clone(),
        actions,
        notes,
        set: allowed,
    }
}

/// Keeps the resources of each grant the engine allows `action` on (or
/// would, once undecided conditions hold); returns whether any grant is left.
/// The root user's implied grant (no grants listed) is left alone.
fn verify_grants(
    verifier: &verify::Verifier,
    action: &str,
    grants: &mut Vec<Grant>,
    restrictions: &mut Vec<Restriction>,
) -> bool {
    if grants.is_empty() {
        return true;
    }
    let restricted = !restrictions.is_empty();
    let limited_by_condition = restrictions.iter().any(|r| !r.conditions.is_empty());
    let signature = signature_of(action, grants, restrictions);
    let mut found: Vec<Restriction> = Vec::new();
    // The resources a limit names: where a boundary, session policy or SCP
    // allows, or where a deny does (or does not) reach. They are the narrower
    // places to try when a grant's own pattern fails (`*` granted, a deny on
    // all but `arn:aws:s3:::b*`: the action remains on `b*`).
    let mut probes: Vec<&String> = restrictions.iter().flat_map(|r| &r.resources).collect();
    probes.sort();
    probes.dedup();
    // A grant on all but some resources, narrowed by a deny or a gate: tried
    // on `*` (any resource nothing names) and on each resource a limit names
    // that the grant does not exclude; kept as it is when `*` passes, else
    // turned into a grant on the places that pass, or dropped.
    if restricted {
        for grant in grants.iter_mut().filter(|g| g.not_resource) {
            let conditional = limited_by_condition || !grant.conditions.is_empty();
            let excluded: Vec<Glob> = grant
                .resources
                .iter()
                .map(|r| Glob::new(r, CaseRule::Sensitive))
                .collect();
            let open = |resource: &str| !excluded.iter().any(|x| x.matches(resource));
            let (verdict, limits) = verifier.shared_verdict(signature, action, "*", conditional);
            found.extend(limits);
            if verdict == verify::Verdict::Keep && open("*") {
                continue;
            }
            let mut places = Vec::new();
            for probe in probes.iter().filter(|p| p.as_str() != "*" && open(p)) {
                let (verdict, limits) =
                    verifier.shared_verdict(signature, action, probe, conditional);
                found.extend(limits);
                if verdict == verify::Verdict::Keep {
                    places.push((*probe).clone());
                }
            }
            grant.resources = places;
            grant.not_resource = false;
        }
    }
    for grant in grants.iter_mut().filter(|g| !g.not_resource) {
        let conditional = limited_by_condition || !grant.conditions.is_empty();
        let mut kept: Vec<String> = Vec::new();
        for resource in std::mem::take(&mut grant.resources) {
            if !verifier.needs_engine(action, &resource, restricted) {
                kept.push(resource);
                continue;
            }
            let (verdict, limits) =
                verifier.shared_verdict(signature, action, &resource, conditional);
            found.extend(limits);
            if verdict == verify::Verdict::Keep {
                kept.push(resource);
                continue;
            }
            let pattern = Glob::new(&resource, CaseRule::Sensitive);
            let resource_side = verifier.resource_side_patterns(&resource);
            let mut inner_probes: Vec<&String> = probes
                .iter()
                .copied()
                .chain(resource_side.iter())
                .filter(|p| p.as_str() != resource && pattern.matches(p))
                .collect();
            inner_probes.sort();
            inner_probes.dedup();
            for inner in inner_probes {
                let (verdict, limits) =
                    verifier.shared_verdict(signature, action, inner, conditional);
                found.extend(limits);
                if verdict == verify::Verdict::Keep && !kept.contains(inner) {
                    kept.push((*inner).clone());
                }
            }
        }
        grant.resources = kept;
    }
    for limit in found {
        if !restrictions.contains(&limit) {
            restrictions.push(limit);
        }
    }
    grants.retain(|g| g.not_resource || !g.resources.is_empty());
    !grants.is_empty()
}

/// The statements that decide `action` for the list: its service, each
/// grant and each limit by where it comes from (see
/// [`verify::Verifier::shared_verdict`]), hashed rather than spelled out:
/// it is built for thousands of actions per principal. (SipHash's 64 bits
/// over at most some ten thousand distinct signatures: a collision is
/// about one chance in 10^11.)
fn signature_of(action: &str, grants: &[Grant], restrictions: &[Restriction]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    action
        .split_once(':')
        .map_or(action, |(s, _)| s)
        .to_ascii_lowercase()
        .hash(&mut h);
    for g in grants {
        (
            0u8,
            &g.source.file,
            &g.source.policy,
            g.source.statement_index,
        )
            .hash(&mut h);
    }
    for r in restrictions {
        (
            1u8,
            r.effect == Effect::Deny,
            r.source.layer,
            &r.source.file,
            &r.source.policy,
            r.source.statement_index,
        )
            .hash(&mut h);
    }
    h.finish()
}

fn restriction(p: &Prepared) -> Restriction {
    Restriction {
        effect: p.statement.effect,
        source: p.source.clone(),
        resources: p.resources.clone(),
        not_resource: p.not_resource,
        conditions: p.conditions.clone().unwrap_or_default(),
    }
}

fn root_grant(principal: &Principal) -> Grant {
    Grant {
        source: StatementRef {
            layer: Layer::Identity,
            file: String::new(),
            policy: format!("root user of {}", principal.account),
            statement: "every permission in its own account".to_string(),
            statement_index: 0,
        },
        resources: vec!["*".to_string()],
        not_resource: false,
        conditions: Vec::new(),
    }
}

/// The SCP levels that govern the principal, each with its policies (the
/// implied FullAWSAccess where none is listed); empty when exempt.
fn scp_levels(
    workspace: &Workspace,
    principal: &Principal,
) -> Vec<(String, Vec<std::sync::Arc<NamedPolicy>>)> {
    let Some(org) = &workspace.organization else {
        return Vec::new();
    };
    if org.is_management_account(&principal.account) || principal.service_linked {
        return Vec::new();
    }
    let Some(levels) = org.levels(&principal.account, &org.service_control_policies) else {
        return Vec::new();
    };
    levels
        .into_iter()
        .filter(|level| !level.policies.is_empty())
        .map(|level| {
            (
                level.label,
                level.policies.into_iter().map(|p| p.document).collect(),
            )
        })
        .collect()
}

/// What changes when the acting identity changes: actions gained and lost.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PermissionDiff {
    pub gained: Vec<EffectiveAction>,
    pub lost: Vec<EffectiveAction>,
}

/// The actions `after` has that `before` lacks, and the reverse. An action
/// both have counts as gained (or lost) on the resources only one side has:
/// switching from dev to a prod role gains `lambda:UpdateFunctionCode` on
/// prod functions even when dev functions were allowed before.
pub fn diff(before: &EffectivePermissions, after: &EffectivePermissions) -> PermissionDiff {
    PermissionDiff {
        gained: one_side(after, before),
        lost: one_side(before, after),
    }
}

/// What `this` allows that `other` does not: whole actions, or the grants of
/// shared actions on resources `other` lacks.
fn one_side(this: &EffectivePermissions, other: &EffectivePermissions) -> Vec<EffectiveAction> {
    this.actions
        .iter()
        .filter_map(|action| match other.get(action.id) {
            None => Some(action.clone()),
            Some(theirs) => {
                let their_resources = theirs.resources();
                let grants: Vec<Grant> = action
                    .grants
                    .iter()
                    .filter(|g| {
                        g.not_resource || g.resources.iter().any(|r| !their_resources.contains(r))
                    })
                    .filter(|g| {
                        !(g.not_resource
                            && theirs
                                .grants
                                .iter()
                                .any(|t| t.not_resource && t.resources == g.resources))
                    })
                    .cloned()
                    .collect();
                let (conditional, conditions) = conditionality(&grants);
                (!grants.is_empty()).then(|| EffectiveAction {
                    grants,
                    conditional,
                    conditions,
                    ..action.clone()
                })
            }
        })
        .collect()
}
