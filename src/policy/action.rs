//! Action patterns such as `s3:GetObject`, `s3:Get*`, `iam:*Policy*` or `*`.
//!
//! Actions match case-insensitively, prefix and name alike (IAM JSON policy
//! reference, "Action": "iam:ListAccessKeys" equals "IAM:listaccesskeys").

use super::glob::{CaseRule, Glob};

/// One entry of an `Action` or `NotAction` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPattern {
    raw: String,
    glob: Glob,
}

impl ActionPattern {
    /// Compiles an action pattern. Validation (a service prefix, a colon) is
    /// done by the policy reader, which knows where the text came from.
    pub fn new(raw: &str) -> Self {
        ActionPattern {
            raw: raw.to_string(),
            glob: Glob::new(raw, CaseRule::Insensitive),
        }
    }

    /// The pattern as written in the policy.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    pub fn matches(&self, action: &str) -> bool {
        self.glob.matches(action)
    }

    /// The service prefix the pattern is limited to, lower-cased; `None` when the
    /// prefix itself has a wildcard (`*`, `s3*:Get`).
    pub fn service(&self) -> Option<String> {
        let (service, _) = self.raw.split_once(':')?;
        if service.contains(['*', '?']) {
            None
        } else {
            Some(service.to_ascii_lowercase())
        }
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
    fn syntax() {
        assert_eq!(action_syntax_problem("s3:GetObject"), None);
        assert_eq!(action_syntax_problem("*"), None);
        assert!(action_syntax_problem("GetObject").is_some());
        assert!(action_syntax_problem("s3:").is_some());
        assert!(action_syntax_problem("s3:Get Object").is_some());
    }
}
