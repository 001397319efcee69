//! The generator's view of the action catalog: per service, its actions with
//! their resource types, the ARN template of each resource type, and the
//! verbs its action names start with.
//!
//! Built from the catalog compiled into the binary ([`crate::catalog`]), so
//! that every action the generator writes is one iamscope knows, and so that
//! generating needs no file: the same bytes come out wherever the binary runs.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use super::vocabulary::COMMON_SERVICES;
use super::GenerateError;
use crate::policy::action::ActionPattern;

pub(super) struct Action {
    pub(super) name: String,
    /// Resource types without the trailing `*` of required ones.
    pub(super) types: Vec<String>,
}

pub(super) struct Service {
    pub(super) prefix: String,
    pub(super) actions: Vec<Action>,
    /// Resource type → ARN template (`arn:${Partition}:s3:::${BucketName}`).
    pub(super) templates: BTreeMap<String, String>,
    /// Resource type → the actions that take it.
    pub(super) by_type: BTreeMap<String, Vec<usize>>,
    /// Leading verbs of action names (`Get`, `List`, `Put`...), sorted.
    pub(super) verbs: Vec<String>,
}

/// The services that have at least one action, in the catalog's order.
pub(super) struct Catalog {
    pub(super) services: Vec<Service>,
    index: BTreeMap<String, usize>,
}

/// Fewer services than this means the embedded data is damaged.
const MIN_SERVICES: usize = 100;

impl Catalog {
    /// The view of the embedded catalog, built once per process (a recipe
    /// opened twice, or a test generating several times, shares it).
    pub(super) fn get() -> Result<&'static Catalog, GenerateError> {
        static VIEW: OnceLock<Catalog> = OnceLock::new();
        let view = VIEW.get_or_init(|| Catalog::from_engine(crate::catalog::Catalog::get()));
        // `Generator::service` draws from COMMON_SERVICES until it finds one
        // the catalog has: one of them must be there for it to end.
        let has_common = COMMON_SERVICES
            .iter()
            .any(|(prefix, _)| view.service(prefix).is_some());
        if view.services.len() < MIN_SERVICES || !has_common {
            return Err(GenerateError::Catalog {
                services: view.services.len(),
            });
        }
        Ok(view)
    }

    fn from_engine(catalog: &crate::catalog::Catalog) -> Catalog {
        let all_actions = catalog.actions();
        let mut services: Vec<Service> = Vec::with_capacity(catalog.services().len());
        for info in catalog.services() {
            let actions: Vec<Action> = all_actions
                .get(info.actions.clone())
                .unwrap_or_default()
                .iter()
                .map(|a| Action {
                    name: a.name.to_string(),
                    types: a
                        .resource_types()
                        .map(|t| t.trim_end_matches('*').to_string())
                        .collect(),
                })
                .collect();
            if actions.is_empty() {
                continue;
            }
            // A type listed twice keeps its last template.
            let templates: BTreeMap<String, String> = info
                .resource_types
                .iter()
                .map(|(t, arn)| (t.to_string(), arn.to_string()))
                .collect();
            let mut by_type: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            let mut verbs = BTreeSet::new();
            for (i, action) in actions.iter().enumerate() {
                for t in &action.types {
                    by_type.entry(t.clone()).or_default().push(i);
                }
                let verb: String = action
                    .name
                    .char_indices()
                    .take_while(|&(i, c)| i == 0 || c.is_ascii_lowercase())
                    .map(|(_, c)| c)
                    .collect();
                if verb.len() >= 3 {
                    verbs.insert(verb);
                }
            }
            services.push(Service {
                prefix: info.prefix.to_string(),
                actions,
                templates,
                by_type,
                verbs: verbs.into_iter().collect(),
            });
        }
        let index = services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.prefix.clone(), i))
            .collect();
        Catalog { services, index }
    }

    pub(super) fn service(&self, prefix: &str) -> Option<&Service> {
        self.index.get(prefix).map(|&i| &self.services[i])
    }

    /// The entries of a hand-written list that the catalog knows, matched as
    /// iamscope matches an `Action` entry (case-insensitive, `*` and `?`).
    pub(super) fn known(&self, patterns: &[&str]) -> Vec<String> {
        let engine = crate::catalog::Catalog::get();
        patterns
            .iter()
            .filter(|p| engine.matches_any(&ActionPattern::new(p)))
            .map(|p| p.to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The view agrees with reading the catalog file line by line, grouping
    /// `A` and `R` lines by their own prefix (how the generator read it when it
    /// was an example reading `data/`): same services in the same order, same
    /// actions, types and templates. The generated bytes depend on all of it.
    #[test]
    fn the_view_matches_a_line_by_line_reading_of_the_catalog_file() {
        let text = include_str!("../../data/aws-iam-catalog.tsv");
        let mut order: Vec<String> = Vec::new();
        type Entry = (Vec<(String, Vec<String>)>, BTreeMap<String, String>);
        let mut by_prefix: BTreeMap<String, Entry> = BTreeMap::new();
        for line in text.lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            if !matches!(cols.first(), Some(&"A") | Some(&"R")) || cols.len() < 4 {
                continue;
            }
            let entry = by_prefix.entry(cols[1].to_string()).or_insert_with(|| {
                order.push(cols[1].to_string());
                Default::default()
            });
            if cols[0] == "A" {
                let types = cols
                    .get(4)
                    .map(|t| {
                        t.split(',')
                            .filter(|t| !t.is_empty())
                            .map(|t| t.trim_end_matches('*').to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                entry.0.push((cols[2].to_string(), types));
            } else {
                entry.1.insert(cols[2].to_string(), cols[3].to_string());
            }
        }
        order.retain(|p| !by_prefix[p].0.is_empty());
        let view = Catalog::get().expect("the embedded catalog is complete");
        let prefixes: Vec<&str> = view.services.iter().map(|s| s.prefix.as_str()).collect();
        assert_eq!(prefixes, order);
        for service in &view.services {
            let (actions, templates) = &by_prefix[&service.prefix];
            let seen: Vec<(String, Vec<String>)> = service
                .actions
                .iter()
                .map(|a| (a.name.clone(), a.types.clone()))
                .collect();
            assert_eq!(&seen, actions, "{}", service.prefix);
            assert_eq!(&service.templates, templates, "{}", service.prefix);
        }
    }
}
