//! The permissions pane: services with their allowed actions, and during an
//! animation the actions just gained (`+`) and lost (`-`). With `d`, the
//! catalog's actions of a service the acting identity is denied too, each
//! with the layer that decided it, so "why not" is one key on any action.

use std::collections::{BTreeMap, BTreeSet};

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

use crate::catalog::{AccessLevel, ActionId, Catalog};
use crate::eval::effective::{EffectiveAction, EffectivePermissions};
use crate::eval::{Decision, Layer, Outcome};

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
        /// With `d` on: how many of the service's catalog actions are denied.
        denied: Option<usize>,
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
    /// A catalog action the acting identity is denied (shown with `d`).
    Denied(DeniedAction),
}

/// An action of the catalog the acting identity may not perform, and the
/// layer of the evaluation that decided so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeniedAction {
    pub id: ActionId,
    /// `service:Action`.
    pub action: String,
    pub access: AccessLevel,
    /// The deciding layer in a few words: "explicit deny in X", "no allow",
    /// "no SCP allows at OU Y", "boundary B".
    pub by: String,
    pub outcome: Outcome,
}

/// The deciding layer of a denial, in a few words, read from the engine's
/// reasons (never guessed from the policies): an explicit deny names its
/// policy and organization level; an implicit deny names the first layer
/// that lacks an allow (IAM User Guide, "Policy evaluation logic").
pub fn denial_label(decision: &Decision) -> String {
    let Some(reason) = decision.reasons.first() else {
        return "no allow".to_string();
    };
    if decision.decision == Outcome::ExplicitDeny {
        return match &reason.statement {
            Some(m) => match &m.level {
                Some(level) => format!("explicit deny in {} at {level}", m.policy),
                None => format!("explicit deny in {}", m.policy),
            },
            None => format!("explicit deny ({})", reason.layer.title()),
        };
    }
    let policies = || {
        reason
            .policies
            .iter()
            .map(|p| p.policy.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match reason.layer {
        Layer::Identity => "no allow".to_string(),
        Layer::Scp | Layer::Rcp => {
            let kind = if reason.layer == Layer::Scp {
                "SCP"
            } else {
                "RCP"
            };
            match reason.message.split_once(" at: ") {
                Some((_, levels)) => format!("no {kind} allows at {levels}"),
                None => format!("no {kind} allows"),
            }
        }
        Layer::Boundary if reason.policies.is_empty() => "boundary".to_string(),
        Layer::Boundary => format!("boundary {}", policies()),
        Layer::SessionPolicy => "session policy".to_string(),
        Layer::ResourcePolicy => "no resource policy allows".to_string(),
    }
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
    /// With `d` on: the denied actions of the services computed so far
    /// (those opened), by prefix. `None`: only allowed actions are listed.
    pub denied: Option<&'a BTreeMap<String, Vec<DeniedAction>>>,
}

/// The services whose denied actions must be known to draw the rows: those
/// open (by the user, or all when few are listed). Services with no
/// allowed action are listed too while `d` is on, so any action is in reach.
pub fn services_needing_denials(input: &PermInput) -> Vec<String> {
    let listed: BTreeSet<&str> = input
        .permissions
        .actions
        .iter()
        .map(|a| a.service.as_str())
        .collect();
    let open_all = listed.len() <= OPEN_WHEN_AT_MOST;
    Catalog::get()
        .services()
        .iter()
        .map(|s| s.prefix)
        .filter(|p| input.expanded.contains(*p) || (open_all && listed.contains(p)))
        .map(str::to_string)
        .collect()
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
    let listed: BTreeSet<&str> = services.iter().map(|(p, _)| *p).collect();
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
            if let Some(denied) = input.denied {
                denied_rows(&mut rows, prefix, 0, denied, input);
            }
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
            denied: input
                .denied
                .map(|_| denied_count(prefix, input.permissions)),
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
            if let Some(denied) = input.denied.and_then(|d| d.get(prefix)) {
                push_denied(&mut rows, denied, input.filter);
            }
        }
    }
    // With `d` on, the services nothing is allowed in come after, folded.
    if let Some(denied) = input.denied {
        for service in catalog.services() {
            if !listed.contains(service.prefix) {
                denied_rows(&mut rows, service.prefix, 0, denied, input);
            }
        }
    }
    rows
}

/// A service none of whose actions is allowed: its header (folded unless
/// opened) and, open, its denied actions.
fn denied_rows(
    rows: &mut Vec<PermRow>,
    prefix: &str,
    count: usize,
    denied: &BTreeMap<String, Vec<DeniedAction>>,
    input: &PermInput,
) {
    let catalog = Catalog::get();
    let Some(service) = catalog.service(prefix) else {
        return;
    };
    let filtering = !input.filter.is_empty();
    let matcher = SkimMatcherV2::default().ignore_case();
    // A filter narrows by name, which the catalog knows without evaluating.
    if filtering
        && !service.actions.clone().any(|id| {
            matcher
                .fuzzy_match(&catalog.action(id).full_name, input.filter)
                .is_some()
        })
    {
        return;
    }
    let expanded = input.expanded.contains(prefix);
    rows.push(PermRow::Service {
        prefix: prefix.to_string(),
        name: service.name.to_string(),
        count,
        gained: 0,
        lost: 0,
        denied: Some(denied_count(prefix, input.permissions)),
        expanded,
    });
    if let Some(list) = denied.get(prefix).filter(|_| expanded) {
        push_denied(rows, list, input.filter);
    }
}

/// How many of the service's catalog actions are not allowed: known from
/// the allowed set, without evaluating each.
fn denied_count(prefix: &str, permissions: &EffectivePermissions) -> usize {
    Catalog::get().service(prefix).map_or(0, |s| {
        s.actions
            .clone()
            .filter(|id| !permissions.set.contains(*id))
            .count()
    })
}

fn push_denied(rows: &mut Vec<PermRow>, denied: &[DeniedAction], filter: &str) {
    let matcher = SkimMatcherV2::default().ignore_case();
    rows.extend(
        denied
            .iter()
            .filter(|d| filter.is_empty() || matcher.fuzzy_match(&d.action, filter).is_some())
            .map(|d| PermRow::Denied(d.clone())),
    );
}
