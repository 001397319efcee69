//! Action patterns such as `s3:GetObject`, `s3:Get*`, `iam:*Policy*` or `*`.
//!
//! Actions match case-insensitively, prefix and name alike (IAM JSON policy
//! reference, "Action": "iam:ListAccessKeys" equals "IAM:listaccesskeys").

use std::sync::Arc;

use super::folded::find_folded;
use super::glob::{CaseRule, Glob};
use super::memo::TextMemo;

/// One entry of an `Action` or `NotAction` list: cheap to clone, and the
/// same text compiled once per thread and shared. An organization's policies
/// hold hundreds of thousands of action entries but only a few thousand
/// distinct ones (`s3:GetObject` is written in every account), so sharing
/// saves both the compiling and the memory of every repeat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPattern(Arc<CompiledAction>);

#[derive(Debug, PartialEq, Eq)]
struct CompiledAction {
    raw: Box<str>,
    glob: Glob,
}

/// Written as its text and compiled again when read (through the same
/// per-thread table), so a workspace read from the snapshot cache shares
/// its patterns as a fresh load does, and a cache cannot carry a compiled
/// form its text would not give.
impl serde::Serialize for ActionPattern {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.raw())
    }
}

impl<'de> serde::Deserialize<'de> for ActionPattern {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(ActionPattern::new(&raw))
    }
}

/// Distinct patterns a thread remembers before starting over: bounded, so a
/// long session (a UI reloading workspaces, a fuzzer) cannot grow it without
/// end; a pattern compiled again after a reset only costs sharing.
const REMEMBERED_PATTERNS: usize = 1 << 16;

thread_local! {
    static COMPILED: TextMemo<ActionPattern> = TextMemo::new(REMEMBERED_PATTERNS);
}

impl ActionPattern {
    /// Compiles an action pattern. Validation (a service prefix, a colon) is
    /// done by the policy reader, which knows where the text came from.
    pub fn new(raw: &str) -> Self {
        COMPILED.with(|compiled| {
            compiled.get_or_compute(raw, || {
                ActionPattern(Arc::new(CompiledAction {
                    raw: raw.into(),
                    glob: Glob::new(raw, CaseRule::Insensitive),
                }))
            })
        })
    }

    /// The pattern as written in the policy.
    pub fn raw(&self) -> &str {
        &self.0.raw
    }

    pub fn matches(&self, action: &str) -> bool {
        self.0.glob.matches(action)
    }

    /// The service prefix the pattern is limited to, lower-cased; `None` when the
    /// prefix itself has a wildcard (`*`, `s3*:Get`).
    pub fn service(&self) -> Option<String> {
        let (service, _) = self.raw().split_once(':')?;
        if service.contains(['*', '?']) {
            None
        } else {
            Some(service.to_ascii_lowercase())
        }
    }
}

/// The entries of an `Action` or `NotAction` element, indexed by service
/// prefix: AWS managed policies such as ReadOnlyAccess list about 1,700
/// patterns, and a request for `s3:GetObject` need only test the `s3:` ones
/// (and those whose prefix has a wildcard).
///
/// Serde writes the patterns only; the index is rebuilt when they are read
/// back, so a cached copy can never hold positions outside its patterns.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(from = "Vec<ActionPattern>")]
pub struct ActionList {
    patterns: Vec<ActionPattern>,
    /// Lower-case service prefix → positions of its patterns, sorted by prefix.
    by_service: Vec<(String, Vec<usize>)>,
    /// Positions of the patterns whose prefix has a wildcard (`*`, `*:List*`).
    any_service: Vec<usize>,
}

impl serde::Serialize for ActionList {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.patterns.serialize(serializer)
    }
}

impl From<Vec<ActionPattern>> for ActionList {
    fn from(patterns: Vec<ActionPattern>) -> Self {
        ActionList::new(patterns)
    }
}

impl ActionList {
    pub fn new(patterns: Vec<ActionPattern>) -> Self {
        let mut by_service: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
        let mut any_service = Vec::new();
        for (i, pattern) in patterns.iter().enumerate() {
            match pattern.service() {
                Some(service) => by_service.entry(service).or_default().push(i),
                None => any_service.push(i),
            }
        }
        ActionList {
            patterns,
            by_service: by_service.into_iter().collect(),
            any_service,
        }
    }

    /// The first entry (in the policy's order) that matches `action`.
    pub fn find(&self, action: &str) -> Option<&ActionPattern> {
        self.candidates(action)
            .filter(|&i| self.patterns[i].matches(action))
            .min()
            .map(|i| &self.patterns[i])
    }

    /// Whether some entry matches `action` (stops at the first that does).
    pub fn matches(&self, action: &str) -> bool {
        self.candidates(action)
            .any(|i| self.patterns[i].matches(action))
    }

    /// Positions of the entries that may match `action`: its service's, then
    /// those with a wildcard prefix.
    fn candidates(&self, action: &str) -> impl Iterator<Item = usize> + '_ {
        let service = service_of(action);
        let own = find_folded(&self.by_service, |(key, _)| key, service)
            .map(|i| self.by_service[i].1.as_slice())
            .unwrap_or_default();
        own.iter().chain(&self.any_service).copied()
    }

    /// The service prefixes the entries name, lower-cased, each once.
    pub fn services(&self) -> impl Iterator<Item = &str> {
        self.by_service.iter().map(|(service, _)| service.as_str())
    }

    /// True when some entry's prefix has a wildcard (`*`, `*:List*`), so the
    /// list may match an action of any service.
    pub fn spans_services(&self) -> bool {
        !self.any_service.is_empty()
    }
}

impl std::ops::Deref for ActionList {
    type Target = [ActionPattern];

    fn deref(&self) -> &[ActionPattern] {
        &self.patterns
    }
}

impl<'a> IntoIterator for &'a ActionList {
    type Item = &'a ActionPattern;
    type IntoIter = std::slice::Iter<'a, ActionPattern>;

    fn into_iter(self) -> Self::IntoIter {
        self.patterns.iter()
    }
}

/// The service prefix of an action (`s3` of `s3:GetObject`), as written; the
/// whole text when it has no colon. A byte scan: this runs for every
/// statement a request is tested against.
pub fn service_of(action: &str) -> &str {
    match action.bytes().position(|b| b == b':') {
        Some(colon) => &action[..colon],
        None => action,
    }
}

/// Why an action string is not a valid action pattern, if it is not.
pub fn action_syntax_problem(raw: &str) -> Option<String> {
    if raw == "*" {
        return None;
    }
    let Some((service, name)) = raw.split_once(':') else {
        return Some(format!(
            "\"{raw}\" is not an action: write service:Action, e.g. s3:GetObject, or \"*\""
        ));
    };
    if service.is_empty() || name.is_empty() {
        return Some(format!(
            "\"{raw}\" has an empty service prefix or action name"
        ));
    }
    let valid = |s: &str, extra: &[char]| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '?' || extra.contains(&c))
    };
    if !valid(service, &['-']) || !valid(name, &['-', '_', '.']) {
        return Some(format!(
            "\"{raw}\" has characters an action name cannot have"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_is_compiled_once_and_shared() {
        let a = ActionPattern::new("s3:Get*");
        let b = ActionPattern::new("s3:Get*");
        assert!(Arc::ptr_eq(&a.0, &b.0));
        // Another spelling of the same pattern matches alike but keeps its
        // own text, as the policy writes it.
        let c = ActionPattern::new("S3:GET*");
        assert!(!Arc::ptr_eq(&a.0, &c.0));
        assert_eq!(c.raw(), "S3:GET*");
        assert!(a.matches("s3:GetObject") && c.matches("s3:GetObject"));
    }

    #[test]
    fn actions_match_case_insensitively_with_wildcards() {
        assert!(ActionPattern::new("iam:ListAccessKeys").matches("IAM:listaccesskeys"));
        assert!(ActionPattern::new("s3:Get*").matches("s3:GetObject"));
        assert!(!ActionPattern::new("s3:Get*").matches("s3:PutObject"));
        assert!(ActionPattern::new("iam:*Policy*").matches("iam:AttachUserPolicy"));
        assert!(ActionPattern::new("*").matches("ec2:TerminateInstances"));
        assert!(ActionPattern::new("ec2:*Instances").matches("ec2:TerminateInstances"));
        assert!(ActionPattern::new("s3:?etObject").matches("s3:GetObject"));
        assert!(!ActionPattern::new("s3:GetObject").matches("s3:GetObjectAcl"));
    }

    #[test]
    fn service_prefix() {
        assert_eq!(
            ActionPattern::new("S3:Get*").service().as_deref(),
            Some("s3")
        );
        assert_eq!(ActionPattern::new("*").service(), None);
    }

    #[test]
    fn lists_find_the_first_matching_entry_through_the_service_index() {
        let list = ActionList::new(
            ["ec2:Describe*", "S3:Get*", "*:List*", "s3:GetObject", "*"]
                .iter()
                .map(|p| ActionPattern::new(p))
                .collect(),
        );
        assert_eq!(list.find("s3:GetObject").map(|p| p.raw()), Some("S3:Get*"));
        assert_eq!(list.find("S3:LISTBUCKET").map(|p| p.raw()), Some("*:List*"));
        assert_eq!(list.find("iam:CreateUser").map(|p| p.raw()), Some("*"));
        let narrow = ActionList::new(vec![ActionPattern::new("ec2:Describe*")]);
        assert!(narrow.matches("EC2:describeinstances"));
        assert!(!narrow.matches("ec2:RunInstances"));
        assert!(!narrow.matches("s3:GetObject"));
        assert_eq!(narrow.len(), 1);
    }

    #[test]
    fn syntax() {
        assert_eq!(action_syntax_problem("s3:GetObject"), None);
        assert_eq!(action_syntax_problem("*"), None);
        assert!(action_syntax_problem("GetObject").is_some());
        assert!(action_syntax_problem("s3:").is_some());
        assert!(action_syntax_problem("s3:Get Object").is_some());
    }
}
