//! The permissions pane: services with their allowed actions, and during an
//! animation the actions just gained (`+`) and lost (`-`).

use std::collections::{BTreeMap, BTreeSet};

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

use crate::catalog::Catalog;
use crate::eval::effective::{EffectiveAction, EffectivePermissions};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    Gained,
    Lost,
}

#[derive(Debug, Clone)]
pub enum PermRow {
    Service {
        prefix: String,
        name: String,
        count: usize,
        gained: usize,
        lost: usize,
        expanded: bool,
    },
    Action {
        action: EffectiveAction,
        change: Change,
        /// Matched character positions in `service:Action`.
        matched: Vec<usize>,
    },
    /// "… 147 more lost": losses beyond the first few of a service.
    MoreLost { prefix: String, count: usize },
}

/// How many lost actions of a service are listed during an animation.
const LOST_SHOWN: usize = 3;

/// Services shown open without asking when there are this few.
const OPEN_WHEN_AT_MOST: usize = 2;

/// What the rows are computed from.
pub struct PermInput<'a> {
    pub permissions: &'a EffectivePermissions,
    /// Actions marked `+`: just gained, or gained by the session in force.
    pub gained: Option<&'a BTreeSet<String>>,
    /// Actions just lost, shown struck through while the animation lasts.
    pub lost: &'a [EffectiveAction],
    pub filter: &'a str,
    pub expanded: &'a BTreeSet<String>,
}

pub fn rows(input: &PermInput) -> Vec<PermRow> {
    let catalog = Catalog::get();
    let current = &input.permissions.actions;
    let mut by_service: BTreeMap<&str, Vec<(&EffectiveAction, Change)>> = BTreeMap::new();
    for action in current {
        let change = match input.gained {
            Some(g) if g.contains(&action.action) => Change::Gained,
            _ => Change::Same,
        };
        by_service
            .entry(action.service.as_str())
            .or_default()
            .push((action, change));
    }
    for action in input.lost {
        by_service
            .entry(action.service.as_str())
            .or_default()
            .push((action, Change::Lost));
    }
    let matcher = SkimMatcherV2::default().ignore_case();
    let filtering = !input.filter.is_empty();
    let open_all = by_service.len() <= OPEN_WHEN_AT_MOST;
    let mut rows = Vec::new();
    let mut services: Vec<(&str, Vec<(&EffectiveAction, Change)>)> =
        by_service.into_iter().collect();
    // During an animation, services with gains come first, then those with losses.
    services.sort_by_key(|(_, actions)| {
        let gained = actions.iter().any(|(_, c)| *c == Change::Gained);
        let lost = actions.iter().any(|(_, c)| *c == Change::Lost);
        (!gained, !lost)
    });
    for (prefix, mut actions) in services {
        actions
            .sort_by_key(|(a, change)| (*change != Change::Gained, *change == Change::Lost, a.id));
        let matched: Vec<(&EffectiveAction, Change, Vec<usize>)> = actions
            .into_iter()
            .filter_map(|(a, change)| {
                if filtering {
                    matcher
                        .fuzzy_indices(&a.action, input.filter)
                        .map(|(_, m)| (a, change, m))
                } else {
                    Some((a, change, Vec::new()))
                }
            })
            .collect();
        if matched.is_empty() {
            continue;
        }
        let gained = matched
            .iter()
            .filter(|(_, c, _)| *c == Change::Gained)
            .count();
        let lost = matched
            .iter()
            .filter(|(_, c, _)| *c == Change::Lost)
            .count();
        let expanded = filtering || open_all || input.expanded.contains(prefix);
        rows.push(PermRow::Service {
            prefix: prefix.to_string(),
            name: catalog.service(prefix).map_or("", |s| s.name).to_string(),
            count: matched.len() - lost,
            gained,
            lost,
            expanded,
        });
        if expanded {
            let mut lost_shown = 0;
            for (a, change, matched) in matched {
                if change == Change::Lost && !filtering {
                    lost_shown += 1;
                    if lost_shown > LOST_SHOWN {
                        continue;
                    }
                }
                rows.push(PermRow::Action {
                    action: a.clone(),
                    change,
                    matched,
                });
            }
            if lost_shown > LOST_SHOWN {
                rows.push(PermRow::MoreLost {
                    prefix: prefix.to_string(),
                    count: lost_shown - LOST_SHOWN,
                });
            }
        }
    }
    rows
}
