//! Invariants of the evaluation logic over generated policies and requests:
//! an explicit deny always wins, an added Allow never removes access, an added
//! Deny never grants, and a boundary never widens access.

use proptest::prelude::*;
use serde_json::{json, Value};

use super::fixture::*;
use crate::eval::Outcome;

const ACTIONS: [&str; 8] = [
    "s3:GetObject",
    "s3:Get*",
    "s3:*",
    "ec2:*",
    "*",
    "iam:CreateUser",
    "ec2:Describe*",
    "s3:Put?bject",
];
const RESOURCES: [&str; 5] = [
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b/k",
    "arn:aws:s3:::other/*",
    "arn:aws:s3:::b*",
];
const REQUEST_ACTIONS: [&str; 5] = [
    "s3:GetObject",
    "s3:PutObject",
    "ec2:RunInstances",
    "iam:CreateUser",
    "ec2:DescribeInstances",
];
const REQUEST_RESOURCES: [&str; 3] = ["*", "arn:aws:s3:::b/k", "arn:aws:s3:::other/x"];

fn conditions() -> Vec<Value> {
    vec![
        json!(null),
        json!({"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
        json!({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}),
        json!({"StringEquals": {"aws:username": "u"}}),
        json!({"StringNotEquals": {"aws:PrincipalTag/team": "red"}}),
        json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["env"]}}),
        json!({"NumericLessThan": {"s3:max-keys": "10"}}),
    ]
}

/// One generated statement (without Principal).
fn statement(effect: &'static str) -> impl Strategy<Value = Value> {
    statement_over(effect, ACTIONS.to_vec(), RESOURCES.to_vec())
}

/// A generated statement drawing its Action/NotAction entries from
/// `actions` and its Resource/NotResource entries from `resources`.
fn statement_over(
    effect: &'static str,
    actions: Vec<&'static str>,
    resources: Vec<&'static str>,
) -> impl Strategy<Value = Value> {
    (
        prop::sample::subsequence(actions, 1..3),
        any::<bool>(),
        prop::sample::subsequence(resources, 1..3),
        any::<bool>(),
        prop::sample::select(conditions()),
    )
        .prop_map(
            move |(actions, not_action, resources, not_resource, condition)| {
                let mut s = json!({"Effect": effect});
                s[if not_action { "NotAction" } else { "Action" }] = json!(actions);
                s[if not_resource {
                    "NotResource"
                } else {
                    "Resource"
                }] = json!(resources);
                if !condition.is_null() {
                    s["Condition"] = condition;
                }
                s
            },
        )
}

fn any_statement() -> impl Strategy<Value = Value> {
    prop_oneof![statement("Allow"), statement("Deny")]
}

fn statements() -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(any_statement(), 0..4)
}

#[derive(Debug, Clone)]
pub(super) struct Scenario {
    identity: Vec<Value>,
    boundary: Option<Vec<Value>>,
    /// Bucket policy statements and the principal they name.
    bucket: Option<(Vec<Value>, Value)>,
    scp: Option<Vec<Value>>,
}

#[derive(Debug, Clone)]
pub(super) struct Req {
    pub action: &'static str,
    pub resource: &'static str,
    pub context: Vec<(&'static str, &'static str)>,
}

fn principals() -> Vec<Value> {
    vec![
        json!("*"),
        json!({"AWS": A}),
        json!({"AWS": format!("arn:aws:iam::{A}:user/u")}),
        json!({"AWS": B}),
    ]
}

pub(super) fn scenario() -> impl Strategy<Value = Scenario> {
    (
        statements(),
        prop::option::of(statements()),
        prop::option::of((statements(), prop::sample::select(principals()))),
        prop::option::of(statements()),
    )
        .prop_map(|(identity, boundary, bucket, scp)| Scenario {
            identity,
            boundary,
            bucket,
            scp,
        })
}

pub(super) fn request() -> impl Strategy<Value = Req> {
    (
        prop::sample::select(REQUEST_ACTIONS.to_vec()),
        prop::sample::select(REQUEST_RESOURCES.to_vec()),
        prop::sample::subsequence(
            vec![
                ("aws:MultiFactorAuthPresent", "true"),
                ("aws:TagKeys", "env"),
                ("s3:max-keys", "5"),
            ],
            0..3,
        ),
    )
        .prop_map(|(action, resource, context)| Req {
            action,
            resource,
            context,
        })
}

fn with_principal(statements: &[Value], principal: &Value) -> Vec<Value> {
    statements
        .iter()
        .map(|s| {
            let mut s = s.clone();
            if s.get("Principal").is_none() {
                s["Principal"] = principal.clone();
            }
            s
        })
        .collect()
}

/// The scenario's files: the account, then the organization and the
/// resource policies when it has them.
pub(super) fn scenario_files(s: &Scenario) -> Vec<Value> {
    let mut u = user(A, "u", &[doc(json!(s.identity))]);
    u["Tags"] = json!([{"Key": "team", "Value": "blue"}]);
    let mut policies = vec![];
    if let Some(boundary) = &s.boundary {
        u["PermissionsBoundary"] =
            json!({"PermissionsBoundaryArn": format!("arn:aws:iam::{A}:policy/Boundary")});
        policies.push(managed(A, "Boundary", doc(json!(boundary))));
    }
    let mut files = vec![dump(vec![u], vec![], vec![], policies)];
    if let Some((statements, principal)) = &s.bucket {
        if !statements.is_empty() {
            files.push(resource_policies(json!([{"Arn": "arn:aws:s3:::b", "Policy": doc(json!(with_principal(statements, principal)))}])));
        }
    }
    if let Some(scp) = &s.scp {
        if !scp.is_empty() {
            files.push(organization(
                json!([{"Name": "Generated", "Targets": [A], "Policy": doc(json!(scp))}]),
                json!([]),
            ));
        }
    }
    files
}

fn scenario_workspace(s: &Scenario) -> crate::model::Workspace {
    workspace(scenario_files(s))
}

fn decide_scenario(s: &Scenario, r: &Req) -> Outcome {
    let ws = scenario_workspace(s);
    decide(&ws, "u", r.action, r.resource, &r.context).decision
}

/// A Deny that certainly matches the request, placed in one of the layers.
fn matching_deny(s: &mut Scenario, r: &Req, layer: u8) {
    let deny = json!({"Effect": "Deny", "Action": r.action, "Resource": "*"});
    match layer % 4 {
        0 => s.identity.push(deny),
        1 => s.boundary.get_or_insert_with(Vec::new).push(deny),
        2 if r.resource.starts_with("arn:aws:s3:::b/") => match &mut s.bucket {
            Some((statements, _)) => statements.push(
                json!({"Effect": "Deny", "Principal": "*", "Action": r.action, "Resource": "*"}),
            ),
            None => s.bucket = Some((vec![deny], json!("*"))),
        },
        _ => s.scp.get_or_insert_with(Vec::new).push(deny),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn an_explicit_deny_that_matches_always_wins(mut s in scenario(), r in request(), layer in 0u8..4) {
        matching_deny(&mut s, &r, layer);
        prop_assert_eq!(decide_scenario(&s, &r), Outcome::ExplicitDeny);
    }

    #[test]
    fn adding_an_allow_never_removes_access(s in scenario(), r in request(), extra in statement("Allow"), place in 0u8..3) {
        let before = decide_scenario(&s, &r);
        let mut more = s.clone();
        match place {
            0 => more.identity.push(extra),
            1 => if let Some(b) = &mut more.boundary { b.push(extra) },
            // Into an SCP that exists: a first SCP at a level replaces the implied FullAWSAccess.
            _ => if let Some(scp) = more.scp.as_mut().filter(|scp| !scp.is_empty()) { scp.push(extra) },
        }
        let after = decide_scenario(&more, &r);
        if before == Outcome::Allow {
            prop_assert_eq!(after, Outcome::Allow);
        }
    }

    #[test]
    fn adding_a_deny_never_grants(s in scenario(), r in request(), extra in statement("Deny"), place in 0u8..3) {
        let before = decide_scenario(&s, &r);
        let mut more = s.clone();
        match place {
            0 => more.identity.push(extra),
            1 => if let Some(b) = &mut more.boundary { b.push(extra) },
            _ => if let Some(scp) = &mut more.scp { scp.push(extra) },
        }
        let after = decide_scenario(&more, &r);
        if before != Outcome::Allow {
            prop_assert_ne!(after, Outcome::Allow);
        }
    }

    #[test]
    fn a_boundary_never_widens_access(s in scenario(), r in request(), boundary in statements()) {
        let mut without = s.clone();
        without.boundary = None;
        let mut with = s;
        with.boundary = Some(boundary);
        if decide_scenario(&without, &r) != Outcome::Allow {
            prop_assert_ne!(decide_scenario(&with, &r), Outcome::Allow);
        }
    }
}

/// The generators reach all three outcomes, so the properties above are not
/// vacuously true.
#[test]
fn generated_scenarios_reach_every_outcome() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..300 {
        let s = scenario()
            .new_tree(&mut runner)
            .expect("scenario")
            .current();
        let r = request().new_tree(&mut runner).expect("request").current();
        seen.insert(format!("{:?}", decide_scenario(&s, &r)));
    }
    assert_eq!(seen.len(), 3, "{seen:?}");
}

/// Patterns for NotAction lists: services, wildcards, single actions.
fn not_action_patterns() -> impl Strategy<Value = Vec<&'static str>> {
    prop::sample::subsequence(
        vec![
            "iam:*",
            "organizations:*",
            "s3:Get*",
            "ec2:Describe*",
            "sts:AssumeRole",
            "kms:*",
            "*:List*",
            "lambda:?et*",
        ],
        1..4,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// `Allow NotAction [...] on *` grants exactly the catalog minus what the
    /// list names.
    #[test]
    fn a_not_action_allow_is_the_exact_complement_in_the_catalog(patterns in not_action_patterns()) {
        let policy = doc(json!([{"Effect": "Allow", "NotAction": patterns, "Resource": "*"}]));
        let ws = workspace(vec![dump(vec![user(A, "u", &[policy])], vec![], vec![], vec![])]);
        let got = crate::eval::effective::effective_permissions(&ws, &principal(&ws, "u"), &crate::policy::RequestContext::new(), NOW);
        let catalog = crate::catalog::Catalog::get();
        let compiled: Vec<crate::policy::action::ActionPattern> =
            patterns.iter().map(|p| crate::policy::action::ActionPattern::new(p)).collect();
        let expected: Vec<&str> = catalog
            .actions()
            .iter()
            .map(|a| a.full_name.as_str())
            .filter(|name| !compiled.iter().any(|p| p.matches(name)))
            .collect();
        let names: Vec<&str> = got.actions.iter().map(|a| a.action.as_str()).collect();
        prop_assert_eq!(names, expected);
    }

    /// A session never grants more than its role: with any session policy,
    /// every request the session may make, the role's session without it may too.
    #[test]
    fn a_session_never_grants_more_than_its_role(
        role_statements in statements(),
        session_statements in statements(),
        r in request(),
    ) {
        let ws = workspace(vec![dump(vec![], vec![], vec![role(A, "r", trust(json!(A)), &[doc(json!(role_statements))])], vec![])]);
        let plain = principal(&ws, "r");
        let limited = plain.clone().with_session_policies(vec![session_policy(doc(json!(session_statements)))]);
        let with_policy = decide_as(&ws, &limited, r.action, r.resource, &r.context).decision;
        let without = decide_as(&ws, &plain, r.action, r.resource, &r.context).decision;
        if with_policy == Outcome::Allow {
            prop_assert_eq!(without, Outcome::Allow);
        }
        let ctx = context(&r.context);
        let narrow = crate::eval::effective::effective_permissions(&ws, &limited, &ctx, NOW);
        let wide = crate::eval::effective::effective_permissions(&ws, &plain, &ctx, NOW);
        let mut extra = narrow.set.clone();
        extra.subtract(&wide.set);
        prop_assert!(extra.is_empty(), "the session policy added {} actions", extra.len());
    }

    /// An SCP never widens access: adding one (to a level that had only the
    /// implied FullAWSAccess) never turns a denial into an allow.
    #[test]
    fn an_scp_never_widens_access(s in scenario(), r in request(), scp in statements()) {
        let mut without = s.clone();
        without.scp = None;
        let mut with = s;
        with.scp = Some(scp);
        if decide_scenario(&without, &r) != Outcome::Allow {
            prop_assert_ne!(decide_scenario(&with, &r), Outcome::Allow);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// The outcome-only path (no explanation) always agrees with the full one.
    #[test]
    fn the_outcome_only_path_agrees_with_the_explained_one(s in scenario(), r in request()) {
        let ws = scenario_workspace(&s);
        let who = principal(&ws, "u");
        let request = crate::eval::Request {
            action: r.action.to_string(),
            resource: r.resource.to_string(),
            context: context(&r.context),
            now_epoch: NOW,
        };
        let full = crate::eval::evaluate(&ws, &who, &request).decision;
        prop_assert_eq!(crate::eval::evaluate_outcome(&ws, &who, &request), full);
    }
}

/// Action patterns in mixed case and with wildcard prefixes, for the index.
const INDEXED_ACTIONS: [&str; 6] = [
    "S3:get*",
    "*:Describe*",
    "IAM:*",
    "s3*:List*",
    "ec2:Run?nstances",
    "sts:AssumeRole",
];

fn indexed_statement() -> impl Strategy<Value = Value> {
    (
        prop::sample::subsequence([&ACTIONS[..], &INDEXED_ACTIONS[..]].concat(), 1..4),
        any::<bool>(),
    )
        .prop_map(|(actions, not_action)| {
            let mut s = json!({"Effect": "Allow", "Resource": "*"});
            s[if not_action { "NotAction" } else { "Action" }] = json!(actions);
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// The statement index never hides a statement that applies: for every
    /// action, the statements it offers include each one whose Action
    /// matches, in the policy's order, each once.
    #[test]
    fn the_statement_index_offers_every_statement_that_applies(
        statements in prop::collection::vec(indexed_statement(), 0..8),
        action in prop::sample::select(
            [&REQUEST_ACTIONS[..], &["S3:getobject", "sts:AssumeRole", "s3express:ListBuckets", "noColon"]].concat()
        ),
    ) {
        let mut problems = Vec::new();
        let policy = crate::policy::Policy::parse(
            &json!({"Version": "2012-10-17", "Statement": statements}),
            crate::policy::PolicyKind::Identity,
            &mut problems,
        );
        let offered: Vec<usize> = policy.statements_for(action).map(|s| s.index).collect();
        prop_assert!(offered.windows(2).all(|w| w[0] < w[1]), "in order, once each: {:?}", offered);
        for statement in &policy.statements {
            if statement.applies_to_action(action) {
                prop_assert!(offered.contains(&statement.index), "statement {} hidden from {}", statement.index, action);
            }
        }
    }
}

/// A statement about assuming roles, for the pruning invariants of who-can.
fn assume_statement(effect: &'static str) -> impl Strategy<Value = Value> {
    statement_over(
        effect,
        vec!["sts:AssumeRole", "sts:*", "*", "s3:*", "sts:Tag*"],
        vec![
            "*",
            "arn:aws:iam::111111111111:role/r*",
            "arn:aws:iam::111111111111:role/other",
            "arn:aws:s3:::b",
        ],
    )
}

fn assume_statements() -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(
        prop_oneof![assume_statement("Allow"), assume_statement("Deny")],
        0..4,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// The two shortcuts who-can takes before evaluating a role assumption
    /// never change an answer: when the caller's own side refuses every role,
    /// no role may be assumed; when a role may be assumed, its trust policy
    /// admits the caller.
    #[test]
    fn who_can_shortcuts_never_drop_a_path(
        identity in assume_statements(),
        boundary in prop::option::of(assume_statements()),
        scp in prop::option::of(assume_statements()),
        trust_names in prop::sample::select(vec![
            json!({"AWS": "arn:aws:iam::111111111111:user/u"}),
            json!({"AWS": "arn:aws:iam::111111111111:root"}),
            json!({"AWS": "*"}),
            json!({"AWS": "arn:aws:iam::222222222222:root"}),
        ]),
        trust_condition in prop::sample::select(conditions()),
        context_keys in prop::sample::subsequence(
            vec![("aws:MultiFactorAuthPresent", "true"), ("aws:TagKeys", "env")],
            0..2,
        ),
    ) {
        let mut trust_statement = json!({"Effect": "Allow", "Principal": trust_names, "Action": "sts:AssumeRole"});
        if !trust_condition.is_null() {
            trust_statement["Condition"] = trust_condition;
        }
        let r1 = role(A, "r1", doc(json!([trust_statement])), &[]);
        let mut u = user(A, "u", &[doc(json!(identity))]);
        let mut policies = vec![];
        if let Some(boundary) = &boundary {
            u["PermissionsBoundary"] =
                json!({"PermissionsBoundaryArn": format!("arn:aws:iam::{A}:policy/Boundary")});
            policies.push(managed(A, "Boundary", doc(json!(boundary))));
        }
        let mut files = vec![dump(vec![u], vec![], vec![r1], policies)];
        if let Some(scp) = scp.filter(|s| !s.is_empty()) {
            files.push(organization(
                json!([{"Name": "Generated", "Targets": [A], "Policy": doc(json!(scp))}]),
                json!([]),
            ));
        }
        let ws = workspace(files);
        let who = principal(&ws, "u");
        let ctx = context(&context_keys);
        let role_arn = format!("arn:aws:iam::{A}:role/r1");
        let allowed = crate::eval::evaluate_outcome(&ws, &who, &crate::eval::Request {
            action: "sts:AssumeRole".to_string(),
            resource: role_arn.clone(),
            context: ctx.clone(),
            now_epoch: NOW,
        }) == Outcome::Allow;
        if crate::eval::refuses_every_role(&ws, &who, "sts:AssumeRole", &ctx, NOW) {
            prop_assert!(!allowed, "refuses_every_role said no, the evaluation said yes");
        }
        if allowed {
            prop_assert!(crate::eval::trust_may_admit(&ws, &who, "sts:AssumeRole", &role_arn, &ctx, NOW));
        }
    }
}

/// A context that gives every key the generated conditions test, so the
/// list decides every condition (none is left "conditional").
fn deciding_context() -> impl Strategy<Value = Vec<(&'static str, &'static str)>> {
    (
        prop::sample::select(vec!["true", "false"]),
        prop::sample::select(vec!["env", "team"]),
        prop::sample::select(vec!["5", "50"]),
    )
        .prop_map(|(mfa, tag_keys, max_keys)| {
            vec![
                ("aws:MultiFactorAuthPresent", mfa),
                ("aws:TagKeys", tag_keys),
                ("s3:max-keys", max_keys),
            ]
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// The permissions list agrees with `check` under the same context
    /// (issue: "effective permissions agree with why"): an action listed is
    /// allowed on at least one resource it is listed on, and an action not
    /// listed is allowed on none. Resource-policy grants are outside the list
    /// by design (its note says `check` weighs them), so the bucket policy
    /// here only denies.
    #[test]
    fn the_list_agrees_with_check_under_the_context(mut s in scenario(), ctx in deciding_context()) {
        if let Some((statements, _)) = &mut s.bucket {
            statements.retain(|st| st["Effect"] == "Deny");
        }
        let ws = scenario_workspace(&s);
        let who = principal(&ws, "u");
        let listed = crate::eval::effective::effective_permissions(&ws, &who, &context(&ctx), NOW);
        let allows = |action: &str, resource: &str| {
            decide_as(&ws, &who, action, resource, &ctx).succeeds()
        };
        let probes: Vec<&str> = RESOURCES.iter().chain(REQUEST_RESOURCES.iter()).copied().collect();
        for action in REQUEST_ACTIONS {
            match listed.find(action) {
                Some(entry) => {
                    prop_assert!(!entry.conditional, "{action}: every key is decided");
                    let on_listed = entry.grants.iter().any(|g| {
                        if g.not_resource {
                            probes.iter().any(|r| !g.resources.iter().any(|x| x == r) && allows(action, r))
                        } else {
                            g.resources.iter().any(|r| allows(action, r))
                        }
                    });
                    prop_assert!(on_listed, "{action} is listed ({:?}) but check allows it on none", entry.grants);
                }
                None => {
                    for r in &probes {
                        prop_assert!(!allows(action, r), "{action} is not listed but check allows it on {r}");
                    }
                }
            }
        }
    }
}
