//! The `Principal` / `NotPrincipal` element of resource-based and trust policies.
//!
//! What a statement *names* matters, not only whether it matches: in the same
//! account a grant to a user ARN or a session ARN stands on its own, a grant to a
//! role ARN is still limited by the role's boundary and session policy, and a
//! grant to the account delegates to the account's identity policies (IAM User
//! Guide, "Policy evaluation logic", resource-based policies).

use serde_json::Value;

use super::problem::{JsonPath, Problem};
use super::values::{describe, string_list};
use crate::arn::{is_account_id, is_unique_id, Arn};

/// One entry of `"AWS": [...]`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AwsPrincipal {
    /// `"*"`: every principal, authenticated or not.
    Everyone,
    /// `"123456789012"` or `arn:aws:iam::123456789012:root`: the account, which
    /// delegates to its identity policies (it does not mean only the root user).
    Account(String),
    /// `arn:aws:iam::ACCOUNT:user/...`
    User(String),
    /// `arn:aws:iam::ACCOUNT:role/...`: every session of the role.
    Role(String),
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`: one session.
    AssumedRole(String),
    /// `arn:aws:sts::ACCOUNT:federated-user/NAME`
    FederatedUser(String),
    /// Another ARN (a service-linked resource, an IAM Identity Center user...).
    OtherArn(String),
    /// A unique id (`AIDA...`, `AROA...`): IAM shows a deleted principal so.
    /// It can never match again, even if an entity of that name is recreated.
    Orphaned(String),
}

/// The principals a `Principal` element lists.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct PrincipalSet {
    /// `"Principal": "*"` or `{"AWS": "*"}`.
    pub everyone: bool,
    pub aws: Vec<AwsPrincipal>,
    pub services: Vec<String>,
    pub federated: Vec<String>,
    pub canonical_users: Vec<String>,
}

/// `Principal` or `NotPrincipal`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PrincipalSpec {
    Principal(PrincipalSet),
    NotPrincipal(PrincipalSet),
}

/// The identity making a request, as principal matching needs to see it.
#[derive(Debug, Clone, Copy)]
pub struct Requester<'a> {
    pub account: &'a str,
    /// The user ARN, session ARN or root ARN.
    pub arn: &'a str,
    /// For a role session: the role's ARN (with its path).
    pub role_arn: Option<&'a str>,
    pub kind: RequesterKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequesterKind {
    User,
    RoleSession,
    Root,
}

/// What a matching principal entry named, from the strongest grant to the weakest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NamedAs {
    /// The user's own ARN, the exact session ARN, or the root ARN for the root user.
    Itself,
    /// `"*"`: "for IAM users and role principals within your account, no other
    /// permissions are required" (IAM JSON policy reference, "All principals").
    Everyone,
    /// The role ARN of the requester's session.
    Role,
    /// The requester's account.
    Account,
}

impl NamedAs {
    pub fn describe(self) -> &'static str {
        match self {
            NamedAs::Itself => "names the principal itself",
            NamedAs::Everyone => "names everyone (\"*\")",
            NamedAs::Role => "names the role",
            NamedAs::Account => "names the account",
        }
    }
}

impl PrincipalSet {
    /// Reads `"*"` or `{"AWS": ..., "Service": ..., "Federated": ..., "CanonicalUser": ...}`.
    pub fn parse(value: &Value, path: &JsonPath, problems: &mut Vec<Problem>) -> PrincipalSet {
        let mut set = PrincipalSet::default();
        match value {
            Value::String(s) if s == "*" => set.everyone = true,
            // AWS refuses any other bare string when a policy is saved ("AWS":
            // "*" and "*" are the only shorthand, IAM JSON policy reference,
            // reference_policies_elements_principal), so the file was edited
            // by hand; the intent is plain enough to read it as {"AWS": ...}.
            Value::String(s) => {
                let mut wrapped = serde_json::Map::new();
                wrapped.insert("AWS".to_string(), value.clone());
                let before = problems.len();
                set = PrincipalSet::parse(&Value::Object(wrapped), path, problems);
                // Entry problems were reported at path.AWS, which the file
                // does not have: report them at the string itself.
                for problem in &mut problems[before..] {
                    problem.path = path.clone();
                }
                problems.push(Problem::warning(
                    path.clone(),
                    format!(
                        "a principal is \"*\" or an object such as {{\"AWS\": \"{s}\"}}; \"{s}\" is read as {{\"AWS\": \"{s}\"}}"
                    ),
                ));
            }
            Value::Object(map) => {
                for (kind, entries) in map {
                    let entry_path = path.key(kind);
                    let list = string_list(entries, &entry_path, "a principal", problems);
                    match kind.as_str() {
                        "AWS" => {
                            for (raw, p) in list {
                                match parse_aws_principal(&raw) {
                                    Ok(AwsPrincipal::Everyone) => set.everyone = true,
                                    Ok(AwsPrincipal::Orphaned(id)) => {
                                        problems.push(Problem::warning(
                                            p,
                                            format!("{id} is the unique id of a deleted user or role (an orphaned principal): it matches nobody, even if the name is recreated"),
                                        ));
                                        set.aws.push(AwsPrincipal::Orphaned(id));
                                    }
                                    Ok(principal) => set.aws.push(principal),
                                    Err(message) => problems.push(Problem::error(p, message)),
                                }
                            }
                        }
                        "Service" => set.services.extend(list.into_iter().map(|(s, _)| s)),
                        "Federated" => set.federated.extend(list.into_iter().map(|(s, _)| s)),
                        "CanonicalUser" => set.canonical_users.extend(list.into_iter().map(|(s, _)| s)),
                        other => problems.push(Problem::error(
                            entry_path,
                            format!("unknown principal type \"{other}\" (expected AWS, Service, Federated or CanonicalUser)"),
                        )),
                    }
                }
            }
            other => problems.push(Problem::error(
                path.clone(),
                format!(
                    "a principal is \"*\" or an object such as {{\"AWS\": ...}}, not {}",
                    describe(other)
                ),
            )),
        }
        set
    }

    /// The strongest way this set names `who`, if it names it at all.
    pub fn names(&self, who: &Requester) -> Option<NamedAs> {
        let mut best: Option<NamedAs> = None;
        let mut consider = |n: NamedAs| {
            best = Some(best.map_or(n, |b| b.min(n)));
        };
        if self.everyone {
            consider(NamedAs::Everyone);
        }
        for principal in &self.aws {
            match principal {
                AwsPrincipal::Account(account) if account == who.account => {
                    consider(NamedAs::Account)
                }
                AwsPrincipal::User(arn)
                | AwsPrincipal::AssumedRole(arn)
                | AwsPrincipal::FederatedUser(arn)
                    if arn == who.arn =>
                {
                    consider(NamedAs::Itself)
                }
                AwsPrincipal::Role(arn) if Some(arn.as_str()) == who.role_arn => {
                    consider(NamedAs::Role)
                }
                _ => {}
            }
        }
        // The root user is the account itself: `:root` names it.
        if who.kind == RequesterKind::Root && best == Some(NamedAs::Account) {
            best = Some(NamedAs::Itself);
        }
        best
    }

    /// Whether a `NotPrincipal` listing this set leaves `who` out. AWS
    /// checks every identity of the request against the list, "the account,
    /// then the user" and for a role session "the account, then the role,
    /// and then the assumed-role user", so each must be listed: a user is
    /// exempt when its ARN and its account are, a session when its session
    /// ARN, its role's ARN and its account are; the account alone exempts
    /// only its root user (IAM User Guide,
    /// reference_policies_elements_notprincipal, "Key points" and the
    /// examples for a user and for an assumed-role session).
    pub fn exempts(&self, who: &Requester) -> bool {
        if self.everyone {
            return true;
        }
        let lists = |wanted: &dyn Fn(&AwsPrincipal) -> bool| self.aws.iter().any(wanted);
        let account = lists(&|p| matches!(p, AwsPrincipal::Account(a) if a == who.account));
        match who.kind {
            RequesterKind::Root => account,
            RequesterKind::User => {
                account && lists(&|p| matches!(p, AwsPrincipal::User(arn) if arn == who.arn))
            }
            RequesterKind::RoleSession => {
                account
                    && lists(&|p| matches!(p, AwsPrincipal::AssumedRole(arn) if arn == who.arn))
                    && who.role_arn.is_some_and(|role| {
                        lists(&|p| matches!(p, AwsPrincipal::Role(arn) if arn == role))
                    })
            }
        }
    }

    /// Orphaned principals (deleted users or roles shown by unique id).
    pub fn orphaned(&self) -> impl Iterator<Item = &str> {
        self.aws.iter().filter_map(|p| match p {
            AwsPrincipal::Orphaned(id) => Some(id.as_str()),
            _ => None,
        })
    }
}

impl PrincipalSpec {
    /// How the element names `who`: `Principal` by what it lists; `NotPrincipal`
    /// names everyone it does not exempt (as `Everyone`).
    pub fn names(&self, who: &Requester) -> Option<NamedAs> {
        match self {
            PrincipalSpec::Principal(set) => set.names(who),
            PrincipalSpec::NotPrincipal(set) if set.exempts(who) => None,
            PrincipalSpec::NotPrincipal(_) => Some(NamedAs::Everyone),
        }
    }

    pub fn set(&self) -> &PrincipalSet {
        match self {
            PrincipalSpec::Principal(set) | PrincipalSpec::NotPrincipal(set) => set,
        }
    }
}

/// Classifies one `"AWS"` entry.
fn parse_aws_principal(raw: &str) -> Result<AwsPrincipal, String> {
    if raw == "*" {
        return Ok(AwsPrincipal::Everyone);
    }
    if is_account_id(raw) {
        return Ok(AwsPrincipal::Account(raw.to_string()));
    }
    if is_unique_id(raw) {
        return Ok(AwsPrincipal::Orphaned(raw.to_string()));
    }
    let arn: Arn = raw
        .parse()
        .map_err(|e| format!("\"{raw}\" is not an account id, an ARN or \"*\": {e}"))?;
    if raw.contains(['*', '?']) {
        return Err(format!(
            "\"{raw}\": a principal ARN cannot hold wildcards; use \"*\" with a condition on aws:PrincipalArn"
        ));
    }
    let (kind, _) = arn.resource_type_and_name();
    Ok(match (arn.service.as_str(), kind) {
        ("iam", "root") if arn.resource == "root" => AwsPrincipal::Account(arn.account),
        ("iam", "user") => AwsPrincipal::User(raw.to_string()),
        ("iam", "role") => AwsPrincipal::Role(raw.to_string()),
        ("sts", "assumed-role") => AwsPrincipal::AssumedRole(raw.to_string()),
        ("sts", "federated-user") => AwsPrincipal::FederatedUser(raw.to_string()),
        _ => AwsPrincipal::OtherArn(raw.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value) -> (PrincipalSet, Vec<Problem>) {
        let mut problems = Vec::new();
        let set = PrincipalSet::parse(&v, &JsonPath::root(), &mut problems);
        (set, problems)
    }

    const USER: Requester = Requester {
        account: "111111111111",
        arn: "arn:aws:iam::111111111111:user/alice",
        role_arn: None,
        kind: RequesterKind::User,
    };
    const SESSION: Requester = Requester {
        account: "111111111111",
        arn: "arn:aws:sts::111111111111:assumed-role/Deploy/s1",
        role_arn: Some("arn:aws:iam::111111111111:role/ci/Deploy"),
        kind: RequesterKind::RoleSession,
    };

    #[test]
    fn account_forms_are_equivalent() {
        let (a, _) = parse(json!({"AWS": "111111111111"}));
        let (b, _) = parse(json!({"AWS": "arn:aws:iam::111111111111:root"}));
        assert_eq!(a, b);
        assert_eq!(a.names(&USER), Some(NamedAs::Account));
        assert_eq!(a.names(&SESSION), Some(NamedAs::Account));
    }

    #[test]
    fn strongest_name_wins() {
        let (set, _) =
            parse(json!({"AWS": ["111111111111", "arn:aws:iam::111111111111:user/alice"]}));
        assert_eq!(set.names(&USER), Some(NamedAs::Itself));
        let (role, _) = parse(json!({"AWS": "arn:aws:iam::111111111111:role/ci/Deploy"}));
        assert_eq!(role.names(&SESSION), Some(NamedAs::Role));
        assert_eq!(role.names(&USER), None);
        let (session, _) =
            parse(json!({"AWS": "arn:aws:sts::111111111111:assumed-role/Deploy/s1"}));
        assert_eq!(session.names(&SESSION), Some(NamedAs::Itself));
    }

    #[test]
    fn everyone_and_services() {
        let (star, _) = parse(json!("*"));
        assert_eq!(star.names(&USER), Some(NamedAs::Everyone));
        let (aws_star, _) = parse(json!({"AWS": "*"}));
        assert!(aws_star.everyone);
        let (service, _) = parse(json!({"Service": ["ec2.amazonaws.com"]}));
        assert_eq!(service.names(&USER), None);
        assert_eq!(service.services, vec!["ec2.amazonaws.com"]);
    }

    #[test]
    fn other_accounts_do_not_match() {
        let (set, _) = parse(json!({"AWS": "222222222222"}));
        assert_eq!(set.names(&USER), None);
    }

    #[test]
    fn orphaned_ids_are_kept_and_never_match() {
        let (set, problems) = parse(json!({"AWS": "AIDAJQABLZS4A3QDU576Q"}));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].severity, crate::policy::Severity::Warning);
        assert_eq!(
            set.orphaned().collect::<Vec<_>>(),
            vec!["AIDAJQABLZS4A3QDU576Q"]
        );
        assert_eq!(set.names(&USER), None);
    }

    const ROOT: Requester = Requester {
        account: "111111111111",
        arn: "arn:aws:iam::111111111111:root",
        role_arn: None,
        kind: RequesterKind::Root,
    };

    /// The page's first example: "all principals except the user named Bob
    /// in AWS account 444455556666 are explicitly denied access" lists Bob's
    /// ARN and the account's (reference_policies_elements_notprincipal).
    #[test]
    fn not_principal_exempts_a_user_listed_with_its_account() {
        let (set, _) = parse(json!({"AWS": [
            "arn:aws:iam::111111111111:user/alice",
            "arn:aws:iam::111111111111:root"
        ]}));
        let spec = PrincipalSpec::NotPrincipal(set);
        assert_eq!(spec.names(&USER), None, "alice and her account: exempt");
        assert_eq!(spec.names(&ROOT), None, "the account names its root user");
        assert_eq!(spec.names(&SESSION), Some(NamedAs::Everyone));
        let bob = Requester {
            arn: "arn:aws:iam::111111111111:user/bob",
            ..USER
        };
        assert_eq!(
            spec.names(&bob),
            Some(NamedAs::Everyone),
            "the account's ARN does not exempt the account's other users"
        );
    }

    #[test]
    fn not_principal_without_the_account_exempts_nobody() {
        let (set, _) = parse(json!({"AWS": "arn:aws:iam::111111111111:user/alice"}));
        let spec = PrincipalSpec::NotPrincipal(set);
        assert_eq!(spec.names(&USER), Some(NamedAs::Everyone));
        assert_eq!(spec.names(&SESSION), Some(NamedAs::Everyone));
    }

    /// The page's example for sessions lists the assumed-role session, the
    /// role and the account; the role and the account alone are not enough.
    #[test]
    fn not_principal_exempts_a_session_listed_with_its_role_and_account() {
        let every = json!({"AWS": [
            "arn:aws:sts::111111111111:assumed-role/Deploy/s1",
            "arn:aws:iam::111111111111:role/ci/Deploy",
            "111111111111"
        ]});
        let (set, _) = parse(every);
        assert_eq!(PrincipalSpec::NotPrincipal(set).names(&SESSION), None);
        let (without_session, _) = parse(json!({"AWS": [
            "arn:aws:iam::111111111111:role/ci/Deploy",
            "111111111111"
        ]}));
        assert_eq!(
            PrincipalSpec::NotPrincipal(without_session).names(&SESSION),
            Some(NamedAs::Everyone)
        );
        let (star, _) = parse(json!("*"));
        assert_eq!(PrincipalSpec::NotPrincipal(star).names(&SESSION), None);
    }

    #[test]
    fn bad_principals_are_errors() {
        let (_, problems) = parse(json!({"AWS": "alice"}));
        assert_eq!(problems.len(), 1);
        let (_, problems) = parse(json!({"AWS": "arn:aws:iam::111111111111:user/*"}));
        assert_eq!(problems.len(), 1);
        let (_, problems) = parse(json!({"Robot": "x"}));
        assert_eq!(problems.len(), 1);
        let (_, problems) = parse(json!(42));
        assert_eq!(problems.len(), 1);
    }
}
