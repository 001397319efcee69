//! One statement of a policy and the parts a request is matched against.

use super::action::ActionList;
use super::condition::ConditionBlock;
use super::context::ContextKeys;
use super::principal::PrincipalSpec;
use super::variables::Template;

/// `Allow` or `Deny`: nothing else is valid.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// `Action` or `NotAction`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ActionSpec {
    Action(ActionList),
    /// Matches every action except those listed, in every service: with
    /// `Allow`, a classic over-grant.
    NotAction(ActionList),
}

/// `Resource` or `NotResource`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ResourceSpec {
    Resource(Vec<Template>),
    NotResource(Vec<Template>),
}

/// A statement, kept only when it is well formed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Statement {
    /// Position in the policy's `Statement` list (0 when `Statement` is an object).
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub actions: ActionSpec,
    /// `None` in trust policies, which have no resource element.
    pub resources: Option<ResourceSpec>,
    /// Present only in resource-based and trust policies (and RCPs).
    pub principal: Option<PrincipalSpec>,
    pub condition: ConditionBlock,
}

/// Which statement of a policy a message is about: its position and its Sid.
/// Matches, near misses and grants all carry the two; this is the one place
/// that turns them into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementRef<'a> {
    /// 0-based position in the policy's `Statement` list.
    pub index: usize,
    pub sid: Option<&'a str>,
}

impl StatementRef<'_> {
    /// `Sid "X"`, or `statement #N` (1-based) when the Sid is missing or
    /// empty: an empty Sid is valid (the IAM JSON policy reference makes `Sid`
    /// optional) but names nothing a reader could find.
    pub fn label(&self) -> String {
        match self.sid {
            Some(sid) if !sid.is_empty() => format!("Sid \"{sid}\""),
            _ => format!("statement #{}", self.index + 1),
        }
    }
}

impl Statement {
    /// The statement's position and Sid, for naming it in explanations.
    pub fn reference(&self) -> StatementRef<'_> {
        StatementRef {
            index: self.index,
            sid: self.sid.as_deref(),
        }
    }

    /// Whether the statement applies to `action` (no allocation: the hot path).
    pub fn applies_to_action(&self, action: &str) -> bool {
        match &self.actions {
            ActionSpec::Action(patterns) => patterns.matches(action),
            ActionSpec::NotAction(patterns) => !patterns.matches(action),
        }
    }

    /// Whether the statement applies to `resource` (no allocation for
    /// resources without variables).
    pub fn applies_to_resource(&self, resource: &str, ctx: &impl ContextKeys) -> bool {
        match &self.resources {
            None => true,
            Some(ResourceSpec::Resource(templates)) => {
                templates.iter().any(|t| t.matches(resource, ctx))
            }
            Some(ResourceSpec::NotResource(templates)) => {
                !templates.iter().any(|t| t.matches(resource, ctx))
            }
        }
    }

    /// True when the statement applies to every resource: no resource element
    /// (a trust policy), or a `Resource` entry `*`.
    pub fn covers_every_resource(&self) -> bool {
        match &self.resources {
            None => true,
            Some(ResourceSpec::Resource(templates)) => {
                templates.iter().any(Template::matches_everything)
            }
            Some(ResourceSpec::NotResource(_)) => false,
        }
    }

    /// True when the statement may apply to some resource (all but a
    /// `NotResource` that excludes everything).
    pub fn covers_some_resource(&self) -> bool {
        match &self.resources {
            Some(ResourceSpec::NotResource(templates)) => {
                !templates.iter().any(Template::matches_everything)
            }
            _ => true,
        }
    }

    /// The action entry that makes the statement apply to `action`, if any.
    /// For `NotAction`, the answer is the whole `NotAction` list.
    pub fn action_match(&self, action: &str) -> Option<String> {
        match &self.actions {
            ActionSpec::Action(patterns) => patterns.find(action).map(|p| p.raw().to_string()),
            ActionSpec::NotAction(patterns) => {
                if patterns.matches(action) {
                    None
                } else {
                    Some(format!(
                        "NotAction {}",
                        join_raw(patterns.iter().map(|p| p.raw()))
                    ))
                }
            }
        }
    }

    /// The resource entry that makes the statement apply to `resource`, if any.
    /// A statement without a resource element (a trust policy) applies to the
    /// resource it is attached to. Variables are substituted from `ctx`; an entry
    /// whose variable is absent matches nothing.
    pub fn resource_match(&self, resource: &str, ctx: &impl ContextKeys) -> Option<String> {
        let matches = |t: &Template| t.matches(resource, ctx);
        match &self.resources {
            None => Some("(the resource the policy is attached to)".to_string()),
            Some(ResourceSpec::Resource(templates)) => templates
                .iter()
                .find(|t| matches(t))
                .map(|t| t.raw().to_string()),
            Some(ResourceSpec::NotResource(templates)) => {
                if templates.iter().any(matches) {
                    None
                } else {
                    Some(format!(
                        "NotResource {}",
                        join_raw(templates.iter().map(|t| t.raw()))
                    ))
                }
            }
        }
    }
}

fn join_raw<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod statement_ref_tests {
    use super::*;

    #[test]
    fn a_statement_is_named_by_its_sid_or_else_its_position() {
        let named = StatementRef {
            index: 2,
            sid: Some("ReadLogs"),
        };
        assert_eq!(named.label(), "Sid \"ReadLogs\"");
        let unnamed = StatementRef {
            index: 2,
            sid: None,
        };
        assert_eq!(unnamed.label(), "statement #3");
        // An empty Sid names nothing: the position is used, never `Sid ""`.
        let empty = StatementRef {
            index: 0,
            sid: Some(""),
        };
        assert_eq!(empty.label(), "statement #1");
    }
}
