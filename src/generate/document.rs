//! Policy documents and statements as values, written in the order people
//! and the AWS console write their elements (`Sid`, `Effect`, `Principal`,
//! `Action`, `Resource`, `Condition`).

use std::borrow::Cow;

use super::json::J;

pub(super) fn doc(statements: Vec<J>) -> J {
    J::obj()
        .k("Version", "2012-10-17")
        .k("Statement", statements)
        .into()
}

/// Conditions, merged by operator so that no key repeats.
#[derive(Default)]
pub(super) struct Conditions(Vec<(String, Vec<(String, J)>)>);

impl Conditions {
    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(super) fn add(&mut self, operator: &str, key: &str, value: J) {
        match self.0.iter_mut().find(|(op, _)| op == operator) {
            Some((_, keys)) => {
                if !keys.iter().any(|(k, _)| k == key) {
                    keys.push((key.to_string(), value));
                }
            }
            None => self
                .0
                .push((operator.to_string(), vec![(key.to_string(), value)])),
        }
    }

    pub(super) fn into_json(self) -> Option<J> {
        if self.0.is_empty() {
            return None;
        }
        Some(J::Obj(
            self.0
                .into_iter()
                .map(|(op, keys)| {
                    (
                        Cow::Owned(op),
                        J::Obj(keys.into_iter().map(|(k, v)| (Cow::Owned(k), v)).collect()),
                    )
                })
                .collect(),
        ))
    }
}

pub(super) struct Stmt {
    pub(super) sid: String,
    pub(super) allow: bool,
    pub(super) not_action: bool,
    pub(super) actions: Vec<String>,
    pub(super) principal: Option<J>,
    pub(super) resources: Vec<String>,
    pub(super) conditions: Conditions,
}

impl Stmt {
    pub(super) fn new(
        sid: impl Into<String>,
        allow: bool,
        actions: Vec<String>,
        resources: Vec<String>,
    ) -> Stmt {
        Stmt {
            sid: sid.into(),
            allow,
            not_action: false,
            actions,
            principal: None,
            resources,
            conditions: Conditions::default(),
        }
    }

    pub(super) fn json(self) -> J {
        let mut o = J::obj()
            .k("Sid", self.sid)
            .k("Effect", if self.allow { "Allow" } else { "Deny" });
        if let Some(p) = self.principal {
            o.set("Principal", p);
        }
        o.set(
            if self.not_action {
                "NotAction"
            } else {
                "Action"
            },
            J::one_or_many(&self.actions),
        );
        if !self.resources.is_empty() {
            o.set("Resource", J::one_or_many(&self.resources));
        }
        if let Some(c) = self.conditions.into_json() {
            o.set("Condition", c);
        }
        o.into()
    }
}

pub(super) fn upper_first(s: &str) -> String {
    s.split(['-', '_', '.'])
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}
