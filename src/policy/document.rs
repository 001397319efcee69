//! Reading a policy document into typed statements.
//!
//! The grammar is the IAM JSON policy reference's: `Version`, `Id`,
//! `Statement` (an object or a list), and per statement `Sid`, `Effect`,
//! `Action` xor `NotAction`, `Resource` xor `NotResource`, `Principal` xor
//! `NotPrincipal`, `Condition`. Which elements are required or forbidden
//! depends on where the policy is used ([`PolicyKind`]).

use serde_json::{Map, Value};

use super::action::{action_syntax_problem, service_of, ActionList, ActionPattern};
use super::condition::ConditionBlock;
use super::principal::{AwsPrincipal, PrincipalSet, PrincipalSpec};
use super::problem::{JsonPath, Problem};
use super::statement::{ActionSpec, Effect, ResourceSpec, Statement};
use super::values::{describe, string_list};
use super::variables::Template;
use crate::arn::Arn;
use crate::catalog::Catalog;
use crate::pattern::folded::find_folded;

/// Where a policy is used, which decides its grammar.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum PolicyKind {
    /// Attached to a user, group or role (inline or managed).
    Identity,
    /// A managed policy used as a permissions boundary.
    Boundary,
    /// Passed when a session starts.
    Session,
    /// Attached to a resource (S3 bucket, KMS key, SQS queue...).
    Resource,
    /// A role's trust policy (`AssumeRolePolicyDocument`).
    Trust,
    /// A service control policy.
    Scp,
    /// A resource control policy.
    Rcp,
}

impl PolicyKind {
    fn principal_rule(self) -> ElementRule {
        match self {
            PolicyKind::Resource | PolicyKind::Trust | PolicyKind::Rcp => ElementRule::Required,
            _ => ElementRule::Forbidden,
        }
    }

    fn resource_rule(self) -> ElementRule {
        match self {
            // A trust policy applies to the role it belongs to.
            PolicyKind::Trust => ElementRule::Optional,
            _ => ElementRule::Required,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ElementRule {
    Required,
    Optional,
    Forbidden,
}

/// The policy language version. Variables are substituted only under 2012-10-17;
/// a missing `Version` behaves as 2008-10-17 (IAM JSON policy reference, "Version").
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Version {
    V2012_10_17,
    V2008_10_17,
    Missing,
}

impl Version {
    pub fn substitutes_variables(self) -> bool {
        self == Version::V2012_10_17
    }
}

/// A policy document with its well-formed statements.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(from = "PolicyParts")]
pub struct Policy {
    pub version: Version,
    pub id: Option<String>,
    pub statements: Vec<Statement>,
    /// Which statements can apply to an action of each service. Not
    /// written by serde: rebuilt from the statements when read back, so a
    /// cached copy can never hold positions outside its statements.
    #[serde(skip)]
    index: StatementIndex,
}

/// A policy as serde reads it, before its index is built.
#[derive(serde::Deserialize)]
struct PolicyParts {
    version: Version,
    id: Option<String>,
    statements: Vec<Statement>,
}

impl From<PolicyParts> for Policy {
    fn from(parts: PolicyParts) -> Self {
        Policy::new(parts.version, parts.id, parts.statements)
    }
}

/// The statements of a policy by the service prefixes of their `Action`
/// entries: a request for `s3:GetObject` need only look at the statements
/// that name `s3:` and those that may match any service (`NotAction`, `*`).
/// Most statements name one or two services, so most are never visited.
#[derive(Debug, Clone, PartialEq, Default)]
struct StatementIndex {
    /// Lower-case service prefix → positions of its statements, in order.
    by_service: Vec<(String, Vec<usize>)>,
    /// Statements that may apply to an action of any service.
    any_service: Vec<usize>,
}

impl StatementIndex {
    fn new(statements: &[Statement]) -> Self {
        let mut by_service: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
        let mut any_service = Vec::new();
        for (i, statement) in statements.iter().enumerate() {
            match &statement.actions {
                ActionSpec::Action(list) if !list.spans_services() => {
                    for service in list.services() {
                        by_service.entry(service).or_default().push(i);
                    }
                }
                _ => any_service.push(i),
            }
        }
        StatementIndex {
            by_service: by_service
                .into_iter()
                .map(|(service, positions)| (service.to_string(), positions))
                .collect(),
            any_service,
        }
    }

    /// Positions of the statements that may apply to `action`, in order.
    fn candidates(&self, action: &str) -> (&[usize], &[usize]) {
        let service = service_of(action);
        let own = find_folded(&self.by_service, |(key, _)| key, service)
            .map(|i| self.by_service[i].1.as_slice())
            .unwrap_or_default();
        (own, &self.any_service)
    }
}

/// Two ascending lists of positions merged, without repeats.
struct MergedPositions<'a> {
    a: &'a [usize],
    b: &'a [usize],
}

impl Iterator for MergedPositions<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let next = match (self.a.first(), self.b.first()) {
            (Some(&x), Some(&y)) => x.min(y),
            (Some(&x), None) => x,
            (None, Some(&y)) => y,
            (None, None) => return None,
        };
        self.a = self.a.strip_prefix(&[next]).unwrap_or(self.a);
        self.b = self.b.strip_prefix(&[next]).unwrap_or(self.b);
        Some(next)
    }
}

const STATEMENT_KEYS: [&str; 10] = [
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
    "Id",
];

impl Policy {
    /// A policy of these statements, indexed.
    pub fn new(version: Version, id: Option<String>, statements: Vec<Statement>) -> Policy {
        let index = StatementIndex::new(&statements);
        Policy {
            version,
            id,
            statements,
            index,
        }
    }

    /// The statements that may apply to `action`, in the policy's order: a
    /// superset of those whose `Action` matches it (the caller still tests
    /// each), without the statements that name only other services.
    pub fn statements_for<'a>(&'a self, action: &str) -> impl Iterator<Item = &'a Statement> {
        let (a, b) = self.index.candidates(action);
        MergedPositions { a, b }.filter_map(|i| self.statements.get(i))
    }

    /// A policy that grants everything: AWS's `FullAWSAccess` SCP and
    /// `RCPFullAWSAccess` RCP, attached wherever nothing else is.
    pub fn allow_all(kind: PolicyKind) -> Policy {
        let principal = match kind.principal_rule() {
            ElementRule::Required => Some(PrincipalSpec::Principal(PrincipalSet {
                everyone: true,
                ..PrincipalSet::default()
            })),
            _ => None,
        };
        Policy::new(
            Version::V2012_10_17,
            None,
            vec![Statement {
                index: 0,
                sid: None,
                effect: Effect::Allow,
                actions: ActionSpec::Action(ActionList::new(vec![ActionPattern::new("*")])),
                resources: Some(ResourceSpec::Resource(vec![Template::parse_resource(
                    "*", false,
                )])),
                principal,
                condition: ConditionBlock::default(),
            }],
        )
    }

    /// Reads a policy document. Problems are pushed with paths relative to the
    /// document; ill-formed statements are left out of the result.
    pub fn parse(value: &Value, kind: PolicyKind, problems: &mut Vec<Problem>) -> Policy {
        let root = JsonPath::root();
        let Value::Object(map) = value else {
            problems.push(Problem::error(
                root,
                format!(
                    "a policy document is a JSON object, not {}",
                    describe(value)
                ),
            ));
            return Policy::new(Version::Missing, None, Vec::new());
        };
        let version = parse_version(map, problems);
        let id = match map.get("Id") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                problems.push(Problem::error(
                    root.key("Id"),
                    format!("Id must be a string, not {}", describe(other)),
                ));
                None
            }
            None => None,
        };
        for key in map.keys() {
            if !matches!(key.as_str(), "Version" | "Id" | "Statement") {
                problems.push(Problem::error(
                    root.key(key),
                    format!("unknown policy element \"{key}\" (expected Version, Id, Statement)"),
                ));
            }
        }
        let statements = match map.get("Statement") {
            None => {
                problems.push(Problem::error(root, "the policy has no Statement"));
                Vec::new()
            }
            Some(Value::Object(s)) => {
                parse_statement(s, 0, &root.key("Statement"), kind, version, problems)
                    .into_iter()
                    .collect()
            }
            Some(Value::Array(list)) => {
                let path = root.key("Statement");
                let mut out = Vec::with_capacity(list.len());
                for (i, item) in list.iter().enumerate() {
                    match item {
                        Value::Object(s) => out.extend(parse_statement(
                            s,
                            i,
                            &path.index(i),
                            kind,
                            version,
                            problems,
                        )),
                        other => problems.push(Problem::error(
                            path.index(i),
                            format!("a statement is a JSON object, not {}", describe(other)),
                        )),
                    }
                }
                out
            }
            Some(other) => {
                problems.push(Problem::error(
                    root.key("Statement"),
                    format!(
                        "Statement must be an object or a list of objects, not {}",
                        describe(other)
                    ),
                ));
                Vec::new()
            }
        };
        check_duplicate_sids(&statements, problems);
        Policy::new(version, id, statements)
    }

    /// Reads a policy from JSON text (a session policy file, for instance).
    pub fn from_json_text(
        text: &str,
        kind: PolicyKind,
    ) -> Result<(Policy, Vec<Problem>), serde_json::Error> {
        let value: Value = serde_json::from_str(text)?;
        let mut problems = Vec::new();
        let policy = Policy::parse(&value, kind, &mut problems);
        Ok((policy, problems))
    }
}

fn parse_version(map: &Map<String, Value>, problems: &mut Vec<Problem>) -> Version {
    match map.get("Version") {
        None => {
            problems.push(Problem::warning(
                JsonPath::root(),
                "no Version: the policy is read as 2008-10-17, so policy variables are not substituted",
            ));
            Version::Missing
        }
        Some(Value::String(v)) if v == "2012-10-17" => Version::V2012_10_17,
        Some(Value::String(v)) if v == "2008-10-17" => Version::V2008_10_17,
        Some(other) => {
            problems.push(Problem::error(
                JsonPath::root().key("Version"),
                format!("Version must be \"2012-10-17\" or \"2008-10-17\", not {other}"),
            ));
            Version::Missing
        }
    }
}

fn check_duplicate_sids(statements: &[Statement], problems: &mut Vec<Problem>) {
    let mut seen = std::collections::BTreeSet::new();
    for s in statements {
        if let Some(sid) = s.sid.as_deref().filter(|s| !s.is_empty()) {
            if !seen.insert(sid) {
                problems.push(Problem::warning(
                    JsonPath::root().key("Statement").index(s.index).key("Sid"),
                    format!("Sid \"{sid}\" is used by more than one statement; Sids should be unique in a policy"),
                ));
            }
        }
    }
}

/// Why a statement is set aside: an error that leaves its meaning unknown.
/// Problems of single entries (an action, a resource, a principal that
/// cannot be one) do not set it aside: the entry matches nothing and the
/// rest of the statement stands, as it does in AWS, which keeps policies
/// that "are not valid because they were created or were last saved before
/// the latest updates to the policy engine" (IAM User Guide,
/// access_policies_policy-validator).
struct SetAside;

/// Reads one statement; `None` when an error leaves its meaning unknown (an
/// unknown element, no valid `Effect`, `Action` and `NotAction` together…).
fn parse_statement(
    map: &Map<String, Value>,
    index: usize,
    path: &JsonPath,
    kind: PolicyKind,
    version: Version,
    problems: &mut Vec<Problem>,
) -> Option<Statement> {
    let mut unknown_element = false;
    for key in map.keys() {
        if !STATEMENT_KEYS.contains(&key.as_str()) {
            unknown_element = true;
            problems.push(Problem::error(
                path.key(key),
                format!("unknown statement element \"{key}\"; the statement is set aside"),
            ));
        }
    }
    let sid = match map.get("Sid") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            problems.push(Problem::error(
                path.key("Sid"),
                format!("Sid must be a string, not {}", describe(other)),
            ));
            None
        }
        None => None,
    };
    let effect = parse_effect(map.get("Effect"), path, problems);
    let actions = parse_actions(map, path, problems);
    let resources = parse_resources(map, path, kind, version, problems);
    let principal = parse_principal(map, path, kind, problems);
    let errors_before_condition = count_errors(problems);
    let condition = match map.get("Condition") {
        Some(value) => ConditionBlock::parse(
            value,
            &path.key("Condition"),
            version.substitutes_variables(),
            problems,
        ),
        None => ConditionBlock::default(),
    };
    // A condition that cannot be read cannot be decided: the statement is
    // set aside rather than applied without it.
    let condition_unreadable = count_errors(problems) > errors_before_condition;
    if unknown_element || condition_unreadable {
        return None;
    }
    Some(Statement {
        index,
        sid,
        effect: effect.ok()?,
        actions: actions.ok()?,
        resources: resources.ok()?,
        principal: principal.ok()?,
        condition,
    })
}

fn count_errors(problems: &[Problem]) -> usize {
    problems
        .iter()
        .filter(|p| p.severity == super::problem::Severity::Error)
        .count()
}

fn parse_effect(
    value: Option<&Value>,
    path: &JsonPath,
    problems: &mut Vec<Problem>,
) -> Result<Effect, SetAside> {
    match value {
        Some(Value::String(s)) if s == "Allow" => Ok(Effect::Allow),
        Some(Value::String(s)) if s == "Deny" => Ok(Effect::Deny),
        Some(other) => {
            problems.push(Problem::error(
                path.key("Effect"),
                format!(
                    "Effect must be \"Allow\" or \"Deny\", not {other}; the statement is set aside"
                ),
            ));
            Err(SetAside)
        }
        None => {
            problems.push(Problem::error(
                path.clone(),
                "the statement has no Effect; it is set aside",
            ));
            Err(SetAside)
        }
    }
}

/// A list element that is neither a string nor a list cannot be read at
/// all, so its statement is set aside; single entries that are not strings
/// are reported by [`string_list`] and left out.
fn unreadable_list(
    value: &Value,
    path: &JsonPath,
    what: &str,
    problems: &mut Vec<Problem>,
) -> bool {
    if matches!(value, Value::String(_) | Value::Array(_)) {
        return false;
    }
    problems.push(Problem::error(
        path.clone(),
        format!(
            "{what} must be a string or a list of strings, not {}; the statement is set aside",
            describe(value)
        ),
    ));
    true
}

fn parse_actions(
    map: &Map<String, Value>,
    path: &JsonPath,
    problems: &mut Vec<Problem>,
) -> Result<ActionSpec, SetAside> {
    // An entry that cannot be an action (a comma, a space, an empty service
    // or name) matches no action: in `Action` it grants or denies nothing,
    // in `NotAction` it excludes nothing.
    let read = |key: &str, value: &Value, problems: &mut Vec<Problem>| {
        let consequence = if key == "Action" {
            "it matches no action"
        } else {
            "it excludes no action"
        };
        if unreadable_list(value, &path.key(key), key, problems) {
            return Err(SetAside);
        }
        let patterns = string_list(value, &path.key(key), "an action", problems)
            .into_iter()
            .filter_map(|(raw, p)| match action_syntax_problem(&raw) {
                Some(message) => {
                    problems.push(Problem::error(p, format!("{message}; {consequence}")));
                    None
                }
                None => {
                    if let Some(unknown) = Catalog::get().unknown_action(&raw) {
                        let mut problem = Problem::warning(p, unknown.message);
                        if let Some(service) = unknown.unknown_service {
                            problem = problem.repeating_as(format!("unknown service {service}"));
                        }
                        problems.push(problem);
                    }
                    Some(ActionPattern::new(&raw))
                }
            })
            .collect();
        Ok(ActionList::new(patterns))
    };
    match (map.get("Action"), map.get("NotAction")) {
        (Some(_), Some(_)) => {
            problems.push(Problem::error(
                path.key("NotAction"),
                "a statement has Action or NotAction, not both; it is set aside",
            ));
            Err(SetAside)
        }
        (Some(v), None) => read("Action", v, problems).map(ActionSpec::Action),
        (None, Some(v)) => read("NotAction", v, problems).map(ActionSpec::NotAction),
        (None, None) => {
            problems.push(Problem::error(
                path.clone(),
                "the statement has neither Action nor NotAction; it is set aside",
            ));
            Err(SetAside)
        }
    }
}

fn parse_resources(
    map: &Map<String, Value>,
    path: &JsonPath,
    kind: PolicyKind,
    version: Version,
    problems: &mut Vec<Problem>,
) -> Result<Option<ResourceSpec>, SetAside> {
    // An entry that cannot be an ARN matches no resource: in `Resource` it
    // grants or denies nothing, in `NotResource` it excludes nothing.
    let read = |key: &str, value: &Value, problems: &mut Vec<Problem>| {
        let consequence = if key == "Resource" {
            "it matches no resource"
        } else {
            "it excludes no resource"
        };
        if unreadable_list(value, &path.key(key), key, problems) {
            return Err(SetAside);
        }
        Ok(string_list(value, &path.key(key), "a resource", problems)
            .into_iter()
            .filter_map(|(raw, p)| match resource_syntax_problem(&raw) {
                Some(message) => {
                    problems.push(Problem::error(p, format!("{message}; {consequence}")));
                    None
                }
                None => Some(Template::parse_resource(
                    &raw,
                    version.substitutes_variables(),
                )),
            })
            .collect::<Vec<_>>())
    };
    let spec = match (map.get("Resource"), map.get("NotResource")) {
        (Some(_), Some(_)) => {
            problems.push(Problem::error(
                path.key("NotResource"),
                "a statement has Resource or NotResource, not both; it is set aside",
            ));
            return Err(SetAside);
        }
        (Some(v), None) => Some(ResourceSpec::Resource(read("Resource", v, problems)?)),
        (None, Some(v)) => Some(ResourceSpec::NotResource(read("NotResource", v, problems)?)),
        (None, None) => None,
    };
    match (kind.resource_rule(), &spec) {
        (ElementRule::Required, None) => {
            problems.push(Problem::error(
                path.clone(),
                "the statement has neither Resource nor NotResource; it is set aside",
            ));
            return Err(SetAside);
        }
        (ElementRule::Optional, Some(_)) if kind == PolicyKind::Trust => {
            problems.push(Problem::warning(
                path.key("Resource"),
                "a trust policy applies to its role; Resource is not used there",
            ))
        }
        _ => {}
    }
    Ok(spec)
}

/// Why a `Resource` entry cannot be a resource, if it cannot.
fn resource_syntax_problem(raw: &str) -> Option<String> {
    if raw == "*" {
        return None;
    }
    match raw.parse::<Arn>() {
        Ok(_) => None,
        Err(e) => Some(format!("\"{raw}\" is not \"*\" or an ARN: {e}")),
    }
}

fn parse_principal(
    map: &Map<String, Value>,
    path: &JsonPath,
    kind: PolicyKind,
    problems: &mut Vec<Problem>,
) -> Result<Option<PrincipalSpec>, SetAside> {
    let spec = match (map.get("Principal"), map.get("NotPrincipal")) {
        (Some(_), Some(_)) => {
            problems.push(Problem::error(
                path.key("NotPrincipal"),
                "a statement has Principal or NotPrincipal, not both; it is set aside",
            ));
            return Err(SetAside);
        }
        (Some(v), None) => Some(PrincipalSpec::Principal(PrincipalSet::parse(
            v,
            &path.key("Principal"),
            problems,
        ))),
        (None, Some(v)) => {
            if kind == PolicyKind::Trust {
                problems.push(Problem::error(
                    path.key("NotPrincipal"),
                    "NotPrincipal is not allowed in a trust policy; the statement is set aside",
                ));
                return Err(SetAside);
            }
            Some(PrincipalSpec::NotPrincipal(PrincipalSet::parse(
                v,
                &path.key("NotPrincipal"),
                problems,
            )))
        }
        (None, None) => None,
    };
    match (kind.principal_rule(), spec) {
        (ElementRule::Required, None) => {
            // Whom the statement was meant for is unknown: it names nobody.
            problems.push(Problem::error(
                path.clone(),
                "this kind of policy needs a Principal in every statement; without one the statement matches no principal",
            ));
            Ok(Some(PrincipalSpec::Principal(PrincipalSet::default())))
        }
        (ElementRule::Forbidden, Some(_)) => {
            problems.push(Problem::error(
                path.key("Principal"),
                "an identity policy cannot have a Principal: it applies to the identity it is attached to; the statement is set aside",
            ));
            Err(SetAside)
        }
        (_, spec) => Ok(spec),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value, kind: PolicyKind) -> (Policy, Vec<Problem>) {
        let mut problems = Vec::new();
        let p = Policy::parse(&v, kind, &mut problems);
        (p, problems)
    }

    #[test]
    fn statement_may_be_an_object_or_a_list() {
        let (one, problems) = parse(
            json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}),
            PolicyKind::Identity,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(one.statements.len(), 1);
        let (two, _) = parse(
            json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "A", "Effect": "Allow", "Action": ["s3:Get*"], "Resource": ["arn:aws:s3:::b/*"]},
                {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "*"}]}),
            PolicyKind::Identity,
        );
        assert_eq!(two.statements.len(), 2);
        assert_eq!(two.statements[1].index, 1);
        assert_eq!(two.statements[0].reference().label(), "Sid \"A\"");
        assert_eq!(two.statements[1].reference().label(), "statement #2");
    }

    #[test]
    fn grammar_errors_name_their_place() {
        let (policy, problems) = parse(
            json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:*", "NotAction": "s3:Get*", "Resource": "*"},
                {"Effect": "Permit", "Action": "s3:*", "Resource": "*"},
                {"Effect": "Allow", "Action": "s3:*", "Resource": "bucket"},
                {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Principal": "*"}]}),
            PolicyKind::Identity,
        );
        // A statement whose meaning is unknown is set aside; a resource
        // entry that cannot be an ARN matches no resource, and its
        // statement stands.
        assert_eq!(policy.statements.len(), 1);
        assert_eq!(policy.statements[0].index, 2);
        assert_eq!(
            policy.statements[0].resources,
            Some(ResourceSpec::Resource(Vec::new()))
        );
        let paths: Vec<String> = problems.iter().map(|p| p.path.to_string()).collect();
        assert_eq!(
            paths,
            vec![
                "Statement[0].NotAction",
                "Statement[1].Effect",
                "Statement[2].Resource",
                "Statement[3].Principal"
            ]
        );
    }

    #[test]
    fn versions() {
        let (p, problems) = parse(json!({"Statement": []}), PolicyKind::Identity);
        assert_eq!(p.version, Version::Missing);
        assert_eq!(problems.len(), 1);
        let (_, problems) = parse(
            json!({"Version": "2020-01-01", "Statement": []}),
            PolicyKind::Identity,
        );
        assert_eq!(problems[0].path.to_string(), "Version");
    }

    #[test]
    fn trust_policies_need_a_principal_and_no_resource() {
        let (p, problems) = parse(
            json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": "111111111111"}, "Action": "sts:AssumeRole"}]}),
            PolicyKind::Trust,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(p.statements[0].resources, None);
        let (_, problems) = parse(
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}),
            PolicyKind::Trust,
        );
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn unknown_elements_and_duplicate_sids() {
        let (_, problems) = parse(
            json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "X", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                {"Sid": "X", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}),
            PolicyKind::Identity,
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].severity, crate::policy::Severity::Warning);
        assert_eq!(problems[0].path.to_string(), "Statement[1].Sid");
        let (policy, problems) = parse(
            json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Actions": "x"}]}),
            PolicyKind::Identity,
        );
        assert!(policy.statements.is_empty());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path.to_string(), "Statement[0].Actions");
    }

    /// Found by fuzzing (parse_policy): every entry with a wildcard in its
    /// service prefix was tested against all 22,000 actions for its note, so
    /// a 1.5 KB policy of 150 such entries took a minute to read under the
    /// fuzzer (1.5 s per thousand entries in a release build).
    #[test]
    fn many_wildcard_prefix_entries_read_quickly() {
        let actions: Vec<String> = (0..2000)
            .map(|i| {
                if i % 2 == 0 {
                    format!("*:a{i}")
                } else {
                    format!("*:*a{i}*")
                }
            })
            .collect();
        let document = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]
        });
        let started = std::time::Instant::now();
        let mut problems = Vec::new();
        crate::policy::Policy::parse(
            &document,
            crate::policy::PolicyKind::Identity,
            &mut problems,
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(
            problems.len(),
            1000,
            "one note per plain name that names nothing"
        );
    }
}

/// Who an `Allow` of a trust policy names, as the search indexes read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustName<'a> {
    /// `*`, or a `NotPrincipal` (invalid in a trust policy: read generously,
    /// the evaluation decides).
    Everyone,
    /// An account id (its root or every principal it lets in).
    Account(&'a str),
    /// A user, role or assumed-role ARN.
    Principal(&'a str),
}

impl Policy {
    /// Calls `visit` with every principal the policy's `Allow` statements
    /// name: who-can and escalation index roles by it, so that a caller meets
    /// only the roles whose trust may admit it.
    pub fn visit_trust_names<'a>(&'a self, mut visit: impl FnMut(TrustName<'a>)) {
        for statement in self.statements.iter().filter(|s| s.effect == Effect::Allow) {
            match &statement.principal {
                Some(PrincipalSpec::Principal(set)) => {
                    if set.everyone {
                        visit(TrustName::Everyone);
                    }
                    for p in &set.aws {
                        match p {
                            AwsPrincipal::Everyone => visit(TrustName::Everyone),
                            AwsPrincipal::Account(a) => visit(TrustName::Account(a.as_str())),
                            AwsPrincipal::User(a)
                            | AwsPrincipal::Role(a)
                            | AwsPrincipal::AssumedRole(a) => {
                                visit(TrustName::Principal(a.as_str()))
                            }
                            _ => {}
                        }
                    }
                }
                Some(PrincipalSpec::NotPrincipal(_)) => visit(TrustName::Everyone),
                None => {}
            }
        }
    }
}
