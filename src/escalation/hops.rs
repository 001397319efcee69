//! The steps: from one principal to another it becomes, or to admin.

use std::sync::Arc;

use super::admin::{admin_if_granted, changed, is_admin};
use super::ask::{witnesses, Verdict, MFA_NEEDS};
use super::graph::{Graph, Node};
use super::routes::{self, Method, On, Route};
use crate::model::policy_ref::{NamedPolicy, PolicyOrigin, PolicySource};
use crate::model::{Account, Workspace};
use crate::policy::{JsonPath, Policy, PolicyKind};

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
}

/// The policy ARN a step attaches: AWS's own full-access policy, which
/// every account can attach (IAM User Guide, access_policies_job-functions).
pub(super) const ADMINISTRATOR_ACCESS: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

/// A step being put together: its requests so far, and whether one of them
/// needed MFA.
struct Attempt<'g, 'a> {
    graph: &'g Graph<'a>,
    node: &'g Node,
    calls: Vec<Call>,
    mfa: bool,
}

impl<'g, 'a> Attempt<'g, 'a> {
    fn new(graph: &'g Graph<'a>, from: usize) -> Self {
        Attempt {
            graph,
            node: &graph.nodes[from],
            calls: Vec::new(),
            mfa: false,
        }
    }

    /// Asks one request; false (and nothing kept) when it is denied.
    fn ask(&mut self, action: &'static str, resource: &str, keys: &[(&'static str, &str)]) -> bool {
        if !self.node.powers.has(action) {
            return false;
        }
        let verdict = self
            .graph
            .asker
            .ask(&self.node.principal, action, resource, keys);
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

/// Keeps `hop` when the tier accepts it: unconditional steps only, or any.
fn accept(hop: Hop, conditional_ok: bool) -> Option<Hop> {
    (conditional_ok || !hop.conditional()).then_some(hop)
}

/// A step from node `from` to admin by changing its own permissions, the
/// first found (Put/Attach on itself or its groups, a policy version,
/// joining a group).
pub(super) fn self_grant(graph: &Graph, from: usize, conditional_ok: bool) -> Option<Hop> {
    let node = &graph.nodes[from];
    let account = &graph.workspace.accounts[node.account];
    let mut found: Vec<Hop> = Vec::new();
    let mut consider = |hop: Hop| {
        if let Some(hop) = accept(hop, conditional_ok) {
            found.push(hop);
        }
    };
    let grants = [
        "iam:PutUserPolicy",
        "iam:AttachUserPolicy",
        "iam:PutGroupPolicy",
        "iam:AttachGroupPolicy",
        "iam:PutRolePolicy",
        "iam:AttachRolePolicy",
        "iam:CreatePolicyVersion",
    ];
    let may_grant = grants.iter().any(|a| node.powers.has(a));
    if may_grant && admin_if_granted(&graph.asker, &node.principal) {
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
            if attempt.ask(put, arn, &[]) {
                consider(attempt.finish(
                    from,
                    Target::Admin,
                    routes::PUT_POLICY,
                    "",
                    String::new(),
                ));
            }
            let mut attempt = Attempt::new(graph, from);
            if attempt.ask(attach, arn, &[("iam:PolicyARN", ADMINISTRATOR_ACCESS)]) {
                consider(attempt.finish(
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
        for arn in attached_policy_arns(&node.principal.identity_policies) {
            let mut attempt = Attempt::new(graph, from);
            if attempt.ask("iam:CreatePolicyVersion", &arn, &[]) {
                consider(attempt.finish(
                    from,
                    Target::Admin,
                    routes::CREATE_POLICY_VERSION,
                    "",
                    "AWS keeps at most five versions: with five, one must be deleted first (iam:DeletePolicyVersion)".into(),
                ));
            }
        }
    }
    if node.powers.has("iam:SetDefaultPolicyVersion") {
        if let Some(hop) = set_default_version(graph, from, account) {
            consider(hop);
        }
    }
    if !node.is_role() && node.powers.has("iam:AddUserToGroup") {
        if let Some(hop) = join_group(graph, from, account) {
            consider(hop);
        }
    }
    // Unconditional first, then in the order tried.
    found.sort_by_key(Hop::conditional);
    found.into_iter().next()
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
    for current in &node.principal.identity_policies {
        let Some(arn) = &current.origin.arn else {
            continue;
        };
        let Some(managed) = graph.workspace.managed_policy(&account.id, arn) else {
            continue;
        };
        for version in managed.versions.iter().filter(|v| !v.is_default) {
            let Some(document) = graph.workspace.policy_document(&version.document) else {
                continue;
            };
            let mut problems = Vec::new();
            let policy = Policy::parse(&document, PolicyKind::Identity, &mut problems);
            let named = Arc::new(NamedPolicy {
                origin: version.document.origin.clone(),
                kind: PolicyKind::Identity,
                policy,
            });
            let after = changed(&node.principal, Some(current), [named]);
            if !is_admin(&graph.asker, &after) {
                continue;
            }
            let mut attempt = Attempt::new(graph, from);
            if attempt.ask("iam:SetDefaultPolicyVersion", arn, &[]) {
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
        let after = changed(&node.principal, None, policies);
        if is_admin(&graph.asker, &after) {
            let note = format!("the group {} grants everything", group.name);
            return Some(attempt.finish(from, Target::Admin, routes::ADD_USER_TO_GROUP, "", note));
        }
        // Or a group whose policies let the user then write itself a
        // policy granting everything: on itself or on that group.
        if admin_if_granted(&graph.asker, &after) {
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

/// A step from node `from` to node `to`, the first found in a fixed order
/// of methods.
pub(super) fn hop_to(graph: &Graph, from: usize, to: usize, conditional_ok: bool) -> Option<Hop> {
    if from == to {
        return None;
    }
    let (node, target) = (&graph.nodes[from], &graph.nodes[to]);
    let same_account = node.account == target.account;
    if target.is_role() {
        if let Some(hop) = assume(graph, from, to) {
            if let Some(hop) = accept(hop, conditional_ok) {
                return Some(hop);
            }
        }
        // IAM and PassRole act on the caller's own account: IAM APIs take
        // no other account's entities, and a role can only be passed to a
        // service in its own account (IAM User Guide, id_roles_use_passrole).
        if !same_account {
            return None;
        }
        if node.powers.has("iam:UpdateAssumeRolePolicy") {
            if let Some(hop) = rewrite_trust(graph, from, to) {
                if let Some(hop) = accept(hop, conditional_ok) {
                    return Some(hop);
                }
            }
        }
        for route in routes::ROUTES.iter() {
            if !route.needs.is_empty() && !conditional_ok {
                continue;
            }
            if let Some(hop) = through_service(graph, from, to, route) {
                if let Some(hop) = accept(hop, conditional_ok) {
                    return Some(hop);
                }
            }
        }
        return None;
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
        if !needs.is_empty() && !conditional_ok {
            continue;
        }
        let mut attempt = Attempt::new(graph, from);
        if attempt.ask(action, &target.entity_arn, &[]) {
            let hop = attempt.finish(from, Target::Node(to), method, needs, note.to_string());
            if let Some(hop) = accept(hop, conditional_ok) {
                return Some(hop);
            }
        }
    }
    None
}

/// sts:AssumeRole, trust policy and caller's side both, as the evaluator
/// decides them (IAM User Guide, reference_policies_evaluation-logic;
/// STS API AssumeRole).
fn assume(graph: &Graph, from: usize, to: usize) -> Option<Hop> {
    let target = &graph.nodes[to];
    let mut attempt = Attempt::new(graph, from);
    // The trust policy may admit a caller whose identity policies never
    // name sts:AssumeRole: ask whatever the caller's powers say.
    let verdict = graph.asker.ask(
        &graph.nodes[from].principal,
        "sts:AssumeRole",
        &target.entity_arn,
        &[],
    );
    let mfa = match verdict {
        Verdict::Allowed => false,
        Verdict::WithMfa => true,
        Verdict::Denied => return None,
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

/// UpdateAssumeRolePolicy, then AssumeRole under the trust policy it wrote
/// (naming the caller's user or role ARN), asked of the evaluator with the
/// role so changed (Rhino #14).
fn rewrite_trust(graph: &Graph, from: usize, to: usize) -> Option<Hop> {
    let (node, target) = (&graph.nodes[from], &graph.nodes[to]);
    let mut attempt = Attempt::new(graph, from);
    if !attempt.ask("iam:UpdateAssumeRolePolicy", &target.entity_arn, &[]) {
        return None;
    }
    let rewritten = rewritten_trust_workspace(graph.workspace, target, &node.entity_arn)?;
    let request = graph.asker.request(
        &node.principal,
        "sts:AssumeRole",
        &target.entity_arn,
        &[],
        false,
    );
    if !crate::eval::evaluate_outcome(&rewritten, &node.principal, &request).is_allowed() {
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
    role: &Node,
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
fn through_service(graph: &Graph, from: usize, to: usize, route: &Route) -> Option<Hop> {
    let (node, target) = (&graph.nodes[from], &graph.nodes[to]);
    if target.services & routes::service_bit(route.service) == 0
        || (route.needs_profile && !target.has_profile)
        || (route.passes_role && !node.powers.has("iam:PassRole"))
        || !route.actions.iter().all(|(a, _)| node.powers.has(a))
    {
        return None;
    }
    let account = &graph.workspace.accounts[node.account].id;
    let mut base = Attempt::new(graph, from);
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
    for witness in witnesses(&node.principal, first, &default, account) {
        let mut attempt = Attempt {
            graph,
            node,
            calls: base.calls.clone(),
            mfa: base.mfa,
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
