//! Comparing two principals: the `+`/`-` a session start shows, by service,
//! between the permissions of the one marked and the one selected.

use std::collections::BTreeMap;

use crate::eval::effective::{EffectiveAction, PermissionDiff};

/// How many actions of one service are listed on each side; the rest are
/// counted.
const SHOWN_PER_SERVICE: usize = 12;

/// The diff as the overlay's text: a summary, then each service with its
/// `+N -M` and its actions, gains first.
pub fn text(from: &str, to: &str, diff: &PermissionDiff) -> String {
    let mut by_service: BTreeMap<&str, (Vec<&EffectiveAction>, Vec<&EffectiveAction>)> =
        BTreeMap::new();
    for a in &diff.gained {
        by_service.entry(a.service.as_str()).or_default().0.push(a);
    }
    for a in &diff.lost {
        by_service.entry(a.service.as_str()).or_default().1.push(a);
    }
    let mut out = format!(
        "+{} -{}: {to} may do {} action{} {from} may not (+), and {from} {} that {to} may not (-), on the resources each names.",
        diff.gained.len(),
        diff.lost.len(),
        diff.gained.len(),
        if diff.gained.len() == 1 { "" } else { "s" },
        diff.lost.len(),
    );
    if by_service.is_empty() {
        out.push_str("\n\nThe same permissions.");
    }
    for (service, (gained, lost)) in by_service {
        out.push_str(&format!(
            "\n\n▾ {service}  +{} -{}",
            gained.len(),
            lost.len()
        ));
        side(&mut out, "+", &gained);
        side(&mut out, "-", &lost);
    }
    out
}

fn side(out: &mut String, sign: &str, actions: &[&EffectiveAction]) {
    for a in actions.iter().take(SHOWN_PER_SERVICE) {
        out.push_str(&format!(
            "\n{sign} {}  {}",
            a.action,
            a.resources().join(", ")
        ));
    }
    if actions.len() > SHOWN_PER_SERVICE {
        out.push_str(&format!(
            "\n{sign} … {} more",
            actions.len() - SHOWN_PER_SERVICE
        ));
    }
}
