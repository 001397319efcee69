//! The steps: from one principal to another it becomes, or to admin.

use std::sync::Arc;

use super::admin::{admin_if_granted, changed, is_admin};
use super::ask::{witnesses, Verdict, MFA_NEEDS};
use super::graph::{Graph, Node};
use super::routes::{self, Method, On, Route};
use super::scope::{may_allow, resource_scope, Scope};
use crate::eval::{refuses_every_role, trust_may_admit};
use crate::model::policy_ref::{NamedPolicy, PolicyOrigin, PolicySource};
use crate::model::{Account, Workspace};
use crate::policy::{JsonPath, Policy, PolicyKind, RequestContext};

/// Where a step leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    Admin,
    Node(usize),
}

/// One request of a step, as it was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Call {
    pub(super) action: &'static str,
    pub(super) resource: String,
    pub(super) keys: Vec<(&'static str, String)>,
    /// Asked from an MFA session.
    pub(super) mfa: bool,
    /// Asked of the role as it is after the step rewrote its trust policy.
    pub(super) rewritten_trust: bool,
}

impl Call {
    pub(super) fn keys(&self) -> Vec<(&str, &str)> {
        self.keys.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Hop {
    pub(super) from: usize,
    pub(super) to: Target,
    pub(super) method: Method,
    pub(super) calls: Vec<Call>,
    /// What the step needs that the dump cannot show.
    pub(super) needs: Vec<String>,
    pub(super) note: String,
}

impl Hop {
    pub(super) fn conditional(&self) -> bool {
        !self.needs.is_empty()
    }

    pub(super) fn to_admin(&self) -> bool {
        self.to == Target::Admin
    }

    /// A step to admin that the principal takes on itself, which makes it
    /// admin-equivalent (issue 14: "can give itself that in one step");
    /// granting another principal and becoming it is a path, not that.
    pub(super) fn gives_itself_admin(&self) -> bool {
        self.to_admin() && self.method != routes::GRANT_THEN_BECOME
    }
}

/// The policy ARN a step attaches: AWS's own full-access policy, which
/// every account can attach (IAM User Guide, access_policies_job-functions).
pub(super) const ADMINISTRATOR_ACCESS: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

/// A step being put together: its requests so far, and whether one of them
/// needed MFA.
struct Attempt<'g, 'a> {
    graph: &'g Graph<'a>,
    node: &'g Node<'a>,
    calls: Vec<Call>,
    mfa: bool,
    /// Whether a request allowed only with MFA may count (a conditional
    /// step is still wanted).
    mfa_ok: bool,
}

impl<'g, 'a> Attempt<'g, 'a> {
    fn new(graph: &'g Graph<'a>, from: usize) -> Self {
        Attempt {
            graph,
            node: &graph.nodes[from],
            calls: Vec::new(),
            mfa: false,
            mfa_ok: true,
        }
    }

    fn wanting(mut self, conditional: bool) -> Self {
        self.mfa_ok = conditional;
        self
    }

    /// Asks one request; false (and nothing kept) when it is denied.
    fn ask(&mut self, action: &'static str, resource: &str, keys: &[(&'static str, &str)]) -> bool {
        if !self.node.powers().has(action) {
            return false;
        }
        let asker = &self.graph.asker;
        let resource_policy = self.graph.workspace.resource_policy_for(resource).is_some();
        if !resource_policy {
            let p = self.node.principal();
            let plain = asker.base_context(p, false);
            let with_mfa = self.mfa_ok.then(|| asker.base_context(p, true));
            let contexts: Vec<&RequestContext> = std::iter::once(plain).chain(with_mfa).collect();
            if !may_allow(p, action, resource, &contexts, keys, asker.now) {
                return false;
            }
        }
        let verdict = if self.mfa_ok {
            asker.ask(self.node.principal(), action, resource, keys)
        } else if asker.allowed(self.node.principal(), action, resource, keys) {
            Verdict::Allowed
        } else {
            Verdict::Denied
        };
        let mfa = match verdict {
            Verdict::Allowed => false,
            Verdict::WithMfa => true,
            Verdict::Denied => return false,
        };
        self.mfa |= mfa;
        self.calls.push(Call {
            action,
            resource: resource.to_string(),
            keys: keys.iter().map(|(k, v)| (*k, v.to_string())).collect(),
            mfa,
            rewritten_trust: false,
        });
        true
    }

    fn finish(self, from: usize, to: Target, method: Method, needs: &str, note: String) -> Hop {
        let mut all_needs = Vec::new();
        if !needs.is_empty() {
            all_needs.push(needs.to_string());
        }
        if self.mfa {
            all_needs.push(MFA_NEEDS.to_string());
        }
        Hop {
            from,
            to,
            method,
            calls: self.calls,
            needs: all_needs,
            note,
        }
    }
}

/// A step from node `from` to admin by changing its own permissions, the
/// first found (Put/Attach on itself or its groups, a policy version,
/// joining a group).
pub(super) fn self_grant(graph: &Graph, from: usize) -> Option<Hop> {
    let node = &graph.nodes[from];
    let account = &graph.workspace.accounts[node.account];
    let mut found: Vec<Hop> = Vec::new();
    let grants = [
        "iam:PutUserPolicy",
        "iam:AttachUserPolicy",
        "iam:PutGroupPolicy",
        "iam:AttachGroupPolicy",
        "iam:PutRolePolicy",
        "iam:AttachRolePolicy",
        "iam:CreatePolicyVersion",
    ];
    let may_grant = grants.iter().any(|a| node.powers().has(a));
    let joins = !node.is_role() && node.powers().has("iam:AddUserToGroup");
    // A boundary, an SCP or a deny that refuses admin even to a policy
    // granting everything refuses it to every policy it could write or
    // group it could join (they add Allows, and Denies at most).
    // Asked once, and only when a write is allowed (14 evaluations).
    let could = std::cell::OnceCell::new();
    let could_be_admin = || *could.get_or_init(|| admin_if_granted(&graph.asker, node.principal()));
    if may_grant {
        // Its own entity, then (for a user) each group it is in.
        let mut entities: Vec<(&'static str, &'static str, String)> = Vec::new();
        if node.is_role() {
            entities.push((
                "iam:PutRolePolicy",
                "iam:AttachRolePolicy",
                node.entity_arn.clone(),
            ));
        } else {
            entities.push((
                "iam:PutUserPolicy",
                "iam:AttachUserPolicy",
                node.entity_arn.clone(),
            ));
            if let Some(user) = account.user_by_arn(&node.entity_arn) {
                for group in user.groups.iter().filter_map(|g| account.group(g)) {
                    entities.push((
                        "iam:PutGroupPolicy",
                        "iam:AttachGroupPolicy",
                        group.arn.clone(),
                    ));
                }
            }
        }
        for (put, attach, arn) in &entities {
            let mut attempt = Attempt::new(graph, from);
            if attempt.ask(put, arn, &[]) && could_be_admin() {
                found.push(attempt.finish(
                    from,
                    Target::Admin,
                    routes::PUT_POLICY,
                    "",
                    String::new(),
                ));
            }
            let mut attempt = Attempt::new(graph, from);
            if attempt.ask(attach, arn, &[("iam:PolicyARN", ADMINISTRATOR_ACCESS)])
                && could_be_admin()
            {
                found.push(attempt.finish(
                    from,
                    Target::Admin,
                    routes::ATTACH_POLICY,
                    "",
                    String::new(),
                ));
            }
        }
        // A new default version of a customer managed policy it holds
        // (AWS managed policies cannot be changed: `eval::refusal`).
        for arn in attached_policy_arns(&node.principal().identity_policies) {
            let mut attempt = Attempt::new(graph, from);
            if attempt.ask("iam:CreatePolicyVersion", &arn, &[]) && could_be_admin() {
                found.push(attempt.finish(
                    from,
                    Target::Admin,
                    routes::CREATE_POLICY_VERSION,
                    "",
                    "AWS keeps at most five versions: with five, one must be deleted first (iam:DeletePolicyVersion)".into(),
                ));
            }
        }
    }
    if node.powers().has("iam:SetDefaultPolicyVersion") {
        if let Some(hop) = set_default_version(graph, from, account) {
            found.push(hop);
        }
    }
    if joins && could_be_admin() {
        if let Some(hop) = join_group(graph, from, account) {
            found.push(hop);
        }
    }
    // Granting another principal and becoming it comes last: a way to
    // admin on itself makes it admin-equivalent, and this one is a search.
    if may_grant && found.iter().all(Hop::conditional) {
        found.extend(grant_then_become(graph, from));
    }
    // Unconditional first, then in the order tried.
    found.sort_by_key(Hop::conditional);
    found.into_iter().next()
}

/// A policy granting everything written on (or AdministratorAccess attached
/// to) another user or role of its account that it can then become: assume
/// the role, or create the user an access key or a console password. The
/// grant and the way in must both be allowed, and the target's boundary,
/// SCPs and denies must leave it admin with such a policy (IAM API
/// PutRolePolicy, AttachRolePolicy, PutUserPolicy, AttachUserPolicy; IAM
/// User Guide, reference_policies_evaluation-logic). Only roles whose trust
/// policy names the caller are tried: the others it cannot assume.
fn grant_then_become(graph: &Graph, from: usize) -> Option<Hop> {
    let node = &graph.nodes[from];
    let powers = node.powers();
    let on_roles = powers.has("iam:PutRolePolicy") || powers.has("iam:AttachRolePolicy");
    let on_users = (powers.has("iam:PutUserPolicy") || powers.has("iam:AttachUserPolicy"))
        && (powers.has("iam:CreateAccessKey") || powers.has("iam:CreateLoginProfile"));
    if !on_roles && !on_users {
        return None;
    }
    // Only the users and roles its own Allow statements for the grant can
    // name (the sound filter of `scope`), before any evaluation.
    let p = node.principal();
    let asker = &graph.asker;
    let contexts = [asker.base_context(p, false), asker.base_context(p, true)];
    let scopes: Vec<(&'static str, Scope)> = [
        (on_roles, "iam:PutRolePolicy", "iam:AttachRolePolicy"),
        (on_users, "iam:PutUserPolicy", "iam:AttachUserPolicy"),
    ]
    .into_iter()
    .filter(|(wanted, _, _)| *wanted)
    .flat_map(|(_, put, attach)| [put, attach])
    .filter(|action| powers.has(action))
    .map(|action| (action, resource_scope(p, action, &contexts, asker.now)))
    .collect();
    let in_scope = |action: &str, arn: &str| {
        scopes.iter().any(|(a, scope)| {
            *a == action
                && match scope {
                    Scope::Broad => true,
                    Scope::Exact(arns) => arns.iter().any(|x| x == arn),
                    Scope::Patterns(globs) => globs.iter().any(|g| g.matches(arn)),
                }
        })
    };
    for (to, target) in graph.nodes.iter().enumerate() {
        if to == from || target.account != node.account {
            continue;
        }
        let (put, attach) = if target.is_role() {
            let names = &graph.trust[to];
            let named = names.everyone
                || names.nodes.binary_search(&from).is_ok()
                || (powers.has("sts:AssumeRole") && names.accounts.contains(&node.account));
            if !on_roles || !named {
                continue;
            }
            ("iam:PutRolePolicy", "iam:AttachRolePolicy")
        } else {
            if !on_users {
                continue;
            }
            ("iam:PutUserPolicy", "iam:AttachUserPolicy")
        };
        let grants: [(&'static str, &[(&'static str, &str)]); 2] = [
            (put, &[]),
            (attach, &[("iam:PolicyARN", ADMINISTRATOR_ACCESS)]),
        ];
        for (action, keys) in grants {
            if !in_scope(action, &target.entity_arn) {
                continue;
            }
            let mut attempt = Attempt::new(graph, from);
            if !attempt.ask(action, &target.entity_arn, keys) {
                continue;
            }
            let could = *target
                .admin_if_granted
                .get_or_init(|| admin_if_granted(&graph.asker, target.principal()));
            if !could {
                break;
            }
            let Some(way_in) = hop_to(graph, from, to, false).filter(|hop| !hop.conditional())
            else {
                break;
            };
            let note = format!("then {}: {}", way_in.method.title, target.name);
            let mut hop = attempt.finish(from, Target::Admin, routes::GRANT_THEN_BECOME, "", note);
            hop.calls.extend(way_in.calls);
            return Some(hop);
        }
    }
    None
}

/// The managed policy ARNs among `policies`, each once, in order.
fn attached_policy_arns(policies: &[Arc<NamedPolicy>]) -> Vec<String> {
    let mut arns: Vec<String> = Vec::new();
    for policy in policies {
        if let Some(arn) = &policy.origin.arn {
            if !arns.contains(arn) {
                arns.push(arn.clone());
            }
        }
    }
    arns
}

/// SetDefaultPolicyVersion: another version the dump lists, which would
/// make the principal admin as the default (IAM API SetDefaultPolicyVersion;
/// Rhino #2). The dump keeps the other versions' text only, so they are
/// read again here, for the few candidates.
fn set_default_version(graph: &Graph, from: usize, account: &Account) -> Option<Hop> {
    let node = &graph.nodes[from];
    for current in &node.principal().identity_policies {
        let Some(arn) = &current.origin.arn else {
            continue;
        };
        let Some(managed) = graph.workspace.managed_policy(&account.id, arn) else {
            continue;
        };
        if managed.versions.len() < 2 {
            continue;
        }
        // The permission first: reading a version back costs a file scan.
        let mut attempt = Attempt::new(graph, from);
        if !attempt.ask("iam:SetDefaultPolicyVersion", arn, &[]) {
            continue;
        }
        for version in managed.versions.iter().filter(|v| !v.is_default) {
            let Some(named) = graph.version_document(&version.document, &version.version_id) else {
                continue;
            };
            let after = changed(node.principal(), Some(current), [named]);
            if is_admin(&graph.asker, &after) {
                let note = format!(
                    "version {} of {} grants everything",
                    version.version_id, managed.name
                );
                return Some(attempt.finish(
                    from,
                    Target::Admin,
                    routes::SET_DEFAULT_POLICY_VERSION,
                    "",
                    note,
                ));
            }
        }
    }
    None
}

/// AddUserToGroup: a group of its account whose policies, added to its
/// own, make the user admin (IAM API AddUserToGroup; Rhino #13).
fn join_group(graph: &Graph, from: usize, account: &Account) -> Option<Hop> {
    let node = &graph.nodes[from];
    let user = account.user_by_arn(&node.entity_arn)?;
    for group in account
        .groups
        .iter()
        .filter(|g| !user.groups.contains(&g.name))
    {
        let mut attempt = Attempt::new(graph, from);
        if !attempt.ask("iam:AddUserToGroup", &group.arn, &[]) {
            continue;
        }
        let mut policies = group.inline_policies.clone();
        for arn in &group.attached {
            if let Some(document) = graph
                .workspace
                .managed_policy(&account.id, arn)
                .and_then(|p| p.default_document())
            {
                policies.push(document.clone());
            }
        }
        let after = changed(node.principal(), None, policies);
        if is_admin(&graph.asker, &after) {
            let note = format!("the group {} grants everything", group.name);
            return Some(attempt.finish(from, Target::Admin, routes::ADD_USER_TO_GROUP, "", note));
        }
        // Or a group whose policies let the user then write itself a
        // policy granting everything: on itself or on that group.
        // Without a Deny of its own the group cannot take back what the
        // caller could already be (checked before this is called).
        let group_denies = policies_deny(&group.inline_policies)
            || group.attached.iter().any(|arn| {
                graph
                    .workspace
                    .managed_policy(&account.id, arn)
                    .and_then(|p| p.default_document())
                    .is_some_and(|d| policies_deny(std::slice::from_ref(d)))
            });
        if !group_denies || admin_if_granted(&graph.asker, &after) {
            let writes = [
                ("iam:PutUserPolicy", node.entity_arn.as_str(), None),
                (
                    "iam:AttachUserPolicy",
                    node.entity_arn.as_str(),
                    Some(ADMINISTRATOR_ACCESS),
                ),
                ("iam:PutGroupPolicy", group.arn.as_str(), None),
                (
                    "iam:AttachGroupPolicy",
                    group.arn.as_str(),
                    Some(ADMINISTRATOR_ACCESS),
                ),
            ];
            for (action, resource, policy) in writes {
                let keys: Vec<(&str, &str)> =
                    policy.map(|p| ("iam:PolicyARN", p)).into_iter().collect();
                if graph.asker.allowed(&after, action, resource, &keys) {
                    let note = format!(
                        "as a member of {}, it may then call {action} on {resource} (allowed by the group's policies)",
                        group.name
                    );
                    return Some(attempt.finish(
                        from,
                        Target::Admin,
                        routes::ADD_USER_TO_GROUP,
                        "",
                        note,
                    ));
                }
            }
        }
    }
    None
}

/// The steps found from one node to one target: the first unconditional
/// one ends the search; the first conditional one is kept while wanted.
struct Best {
    conditional: Option<Hop>,
    want_conditional: bool,
}

impl Best {
    /// The hop when it ends the search (unconditional).
    fn offer(&mut self, hop: Option<Hop>) -> Option<Hop> {
        let hop = hop?;
        if !hop.conditional() {
            return Some(hop);
        }
        if self.want_conditional && self.conditional.is_none() {
            self.conditional = Some(hop);
            // One conditional step is enough: look on for unconditional ones only.
            self.want_conditional = false;
        }
        None
    }
}

/// Whether any of `policies` has a Deny statement.
fn policies_deny(policies: &[Arc<NamedPolicy>]) -> bool {
    policies.iter().any(|p| {
        p.policy
            .statements
            .iter()
            .any(|s| s.effect == crate::policy::Effect::Deny)
    })
}

/// A step from node `from` to node `to`: the first unconditional one in a
/// fixed order of methods, else (when `want_conditional`) the first
/// conditional one.
pub(super) fn hop_to(graph: &Graph, from: usize, to: usize, want_conditional: bool) -> Option<Hop> {
    if from == to {
        return None;
    }
    let (node, target) = (&graph.nodes[from], &graph.nodes[to]);
    let same_account = node.account == target.account;
    let mut best = Best {
        conditional: None,
        want_conditional,
    };
    if target.is_role() {
        let names = &graph.trust[to];
        let named = names.everyone
            || names.nodes.binary_search(&from).is_ok()
            || (node.powers().has("sts:AssumeRole") && names.accounts.contains(&node.account));
        if named {
            if let Some(hop) = best.offer(assume(graph, from, to, best.want_conditional)) {
                return Some(hop);
            }
        }
        // IAM and PassRole act on the caller's own account: IAM APIs take
        // no other account's entities, and a role can only be passed to a
        // service in its own account (IAM User Guide, id_roles_use_passrole).
        if !same_account {
            return best.conditional;
        }
        if node.powers().has("iam:UpdateAssumeRolePolicy") {
            if let Some(hop) = best.offer(rewrite_trust(graph, from, to, best.want_conditional)) {
                return Some(hop);
            }
        }
        for route in routes::ROUTES.iter() {
            if !route.needs.is_empty() && !best.want_conditional {
                continue;
            }
            let hop = through_service(graph, from, to, route, best.want_conditional);
            if let Some(hop) = best.offer(hop) {
                return Some(hop);
            }
        }
        return best.conditional;
    }
    if !same_account {
        return None;
    }
    let user = [
        (
            "iam:CreateAccessKey",
            routes::CREATE_ACCESS_KEY,
            "",
            "a user holds at most two access keys; the dump does not show how many it has",
        ),
        (
            "iam:CreateLoginProfile",
            routes::CREATE_LOGIN_PROFILE,
            "",
            "works while the user has no console password (the dump does not show login profiles); otherwise iam:UpdateLoginProfile is the way",
        ),
        (
            "iam:UpdateLoginProfile",
            routes::UPDATE_LOGIN_PROFILE,
            "the user must already have a console password: the dump does not show login profiles",
            "",
        ),
    ];
    for (action, method, needs, note) in user {
        if !needs.is_empty() && !best.want_conditional {
            continue;
        }
        let mut attempt = Attempt::new(graph, from).wanting(best.want_conditional);
        let hop = attempt
            .ask(action, &target.entity_arn, &[])
            .then(|| attempt.finish(from, Target::Node(to), method, needs, note.to_string()));
        if let Some(hop) = best.offer(hop) {
            return Some(hop);
        }
    }
    best.conditional
}

/// sts:AssumeRole, trust policy and caller's side both, as the evaluator
/// decides them (IAM User Guide, reference_policies_evaluation-logic;
/// STS API AssumeRole).
fn assume(graph: &Graph, from: usize, to: usize, mfa_ok: bool) -> Option<Hop> {
    let target = &graph.nodes[to];
    let mut attempt = Attempt::new(graph, from);
    let principal = graph.nodes[from].principal();
    let asker = &graph.asker;
    let role_arn = target.entity_arn.as_str();
    // The trust policy alone first (far cheaper than an evaluation, and
    // sound: `eval::trust_may_admit`), with the context of each try.
    let admits = |mfa: bool| {
        let context = asker.base_context(principal, mfa);
        trust_may_admit(
            asker.workspace,
            principal,
            "sts:AssumeRole",
            role_arn,
            context,
            asker.now,
        )
    };
    // A trust policy naming only the caller's account needs the caller's
    // own Allow (IAM User Guide, reference_policies_evaluation-logic): none
    // of its statements naming the role, no way in.
    let names = &graph.trust[to];
    let by_account_only = !names.everyone && names.nodes.binary_search(&from).is_err();
    if by_account_only {
        let plain = asker.base_context(principal, false);
        let with_mfa = mfa_ok.then(|| asker.base_context(principal, true));
        let contexts: Vec<&RequestContext> = std::iter::once(plain).chain(with_mfa).collect();
        if !may_allow(
            principal,
            "sts:AssumeRole",
            role_arn,
            &contexts,
            &[],
            asker.now,
        ) {
            return None;
        }
    }
    // The caller's own side refusing every role (a deny, a boundary or an
    // SCP without sts:AssumeRole), asked once per principal.
    let refuses = |mfa: bool| {
        *graph.nodes[from].refuses_roles[usize::from(mfa)].get_or_init(|| {
            let context = asker.base_context(principal, mfa);
            refuses_every_role(
                asker.workspace,
                principal,
                "sts:AssumeRole",
                context,
                asker.now,
            )
        })
    };
    let mfa = if !refuses(false)
        && admits(false)
        && asker.allowed(principal, "sts:AssumeRole", role_arn, &[])
    {
        false
    } else if mfa_ok
        && (trust_has_conditions(graph, to)
            || asker.has_conditioned_allow(principal, "sts:AssumeRole"))
        && !refuses(true)
        && admits(true)
        && asker.allowed_with(principal, "sts:AssumeRole", role_arn, &[], true)
    {
        true
    } else {
        return None;
    };
    attempt.mfa = mfa;
    attempt.calls.push(Call {
        action: "sts:AssumeRole",
        resource: target.entity_arn.clone(),
        keys: Vec::new(),
        mfa,
        rewritten_trust: false,
    });
    Some(attempt.finish(
        from,
        Target::Node(to),
        routes::ASSUME_ROLE,
        "",
        String::new(),
    ))
}

/// Whether some statement of the role's trust policy has a condition (an
/// MFA session may then change the answer).
fn trust_has_conditions(graph: &Graph, role: usize) -> bool {
    let node = &graph.nodes[role];
    node.role
        .and_then(|r| {
            graph.workspace.accounts[node.account].roles[r]
                .trust_policy
                .as_ref()
        })
        .is_some_and(|t| {
            t.policy
                .statements
                .iter()
                .any(|s| !s.condition.clauses.is_empty())
        })
}

/// UpdateAssumeRolePolicy, then AssumeRole under the trust policy it wrote
/// (naming the caller's user or role ARN), asked of the evaluator with the
/// role so changed (Rhino #14).
fn rewrite_trust(graph: &Graph, from: usize, to: usize, mfa_ok: bool) -> Option<Hop> {
    let (node, target) = (&graph.nodes[from], &graph.nodes[to]);
    let mut attempt = Attempt::new(graph, from).wanting(mfa_ok);
    if !attempt.ask("iam:UpdateAssumeRolePolicy", &target.entity_arn, &[]) {
        return None;
    }
    let rewritten = rewritten_trust_workspace(graph.workspace, target, &node.entity_arn)?;
    let request = graph.asker.request(
        node.principal(),
        "sts:AssumeRole",
        &target.entity_arn,
        &[],
        false,
    );
    if !crate::eval::evaluate_outcome(&rewritten, node.principal(), &request).is_allowed() {
        return None;
    }
    attempt.calls.push(Call {
        action: "sts:AssumeRole",
        resource: target.entity_arn.clone(),
        keys: Vec::new(),
        mfa: false,
        rewritten_trust: true,
    });
    Some(attempt.finish(
        from,
        Target::Node(to),
        routes::UPDATE_TRUST,
        "",
        String::new(),
    ))
}

/// A workspace holding only `role`, its trust policy replaced by one that
/// lets `caller` assume it, and the organization (whose SCPs still apply).
/// The caller's own policies travel with its resolved principal.
pub(super) fn rewritten_trust_workspace(
    workspace: &Workspace,
    role: &Node<'_>,
    caller: &str,
) -> Option<Workspace> {
    let account = workspace.accounts.get(role.account)?;
    let mut changed = account.roles.get(role.role?)?.clone();
    let text = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": caller}, "Action": "sts:AssumeRole"}]
    });
    let mut problems = Vec::new();
    let policy = Policy::parse(&text, PolicyKind::Trust, &mut problems);
    changed.trust_policy = Some(NamedPolicy::new(
        PolicyOrigin {
            file: "(escalation)".into(),
            path: JsonPath::root(),
            name: format!("trust policy of {} as the step rewrites it", changed.name),
            arn: None,
            source: PolicySource::Attached,
        },
        PolicyKind::Trust,
        policy,
    ));
    Some(Workspace {
        name: workspace.name.clone(),
        accounts: vec![Account {
            id: account.id.clone(),
            file: account.file.clone(),
            roles: vec![changed],
            ..Account::default()
        }],
        organization: workspace.organization.clone(),
        ..Workspace::default()
    })
}

/// A service that runs code as the role: passing it (iam:PassRole with
/// `iam:PassedToService`) to a new resource, or using an existing one.
fn through_service(
    graph: &Graph,
    from: usize,
    to: usize,
    route: &Route,
    mfa_ok: bool,
) -> Option<Hop> {
    let (node, target) = (&graph.nodes[from], &graph.nodes[to]);
    if target.services & routes::service_bit(route.service) == 0
        || (route.needs_profile && !target.has_profile)
        || (route.passes_role && !node.powers().has("iam:PassRole"))
        || !route.actions.iter().all(|(a, _)| node.powers().has(a))
    {
        return None;
    }
    let account = &graph.workspace.accounts[node.account].id;
    let mut base = Attempt::new(graph, from).wanting(mfa_ok);
    if route.passes_role
        && !base.ask(
            "iam:PassRole",
            &target.entity_arn,
            &[("iam:PassedToService", route.service)],
        )
    {
        return None;
    }
    let first = route
        .actions
        .iter()
        .find(|(_, on)| *on == On::Witness)
        .map_or("", |(a, _)| *a);
    let default = routes::witness(route, account);
    for witness in witnesses(node.principal(), first, &default, account) {
        let mut attempt = Attempt {
            graph,
            node,
            calls: base.calls.clone(),
            mfa: base.mfa,
            mfa_ok: base.mfa_ok,
        };
        let all = route.actions.iter().all(|(action, on)| {
            let resource = match on {
                On::Witness => witness.as_str(),
                On::Star => "*",
            };
            attempt.ask(action, resource, &[])
        });
        if all {
            let note = if route.method == routes::PASS_ROLE_EC2 {
                "through an instance profile of the role listed in the dump".to_string()
            } else {
                String::new()
            };
            return Some(attempt.finish(from, Target::Node(to), route.method, route.needs, note));
        }
    }
    base.calls.clear();
    None
}
