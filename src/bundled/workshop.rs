//! The workshop sample (`sample-accounts/workshop/`), compiled in so that
//! `iamscope` with no argument works from any folder.

use crate::workspace::{load_sources, Loaded, Source};

/// The files of the workshop workspace, by the name shown in messages.
pub const FILES: [(&str, &str); 4] = [
    (
        "sample-accounts/workshop/dev-111111111111.json",
        include_str!("../../sample-accounts/workshop/dev-111111111111.json"),
    ),
    (
        "sample-accounts/workshop/organization.json",
        include_str!("../../sample-accounts/workshop/organization.json"),
    ),
    (
        "sample-accounts/workshop/prod-222222222222.json",
        include_str!("../../sample-accounts/workshop/prod-222222222222.json"),
    ),
    (
        "sample-accounts/workshop/resource-policies.json",
        include_str!("../../sample-accounts/workshop/resource-policies.json"),
    ),
];

/// The workshop's guided tours.
pub const TOURS: [(&str, &str); 5] = [
    (
        "sample-accounts/workshop/tours/1-auditor.json",
        include_str!("../../sample-accounts/workshop/tours/1-auditor.json"),
    ),
    (
        "sample-accounts/workshop/tours/2-critical-task.json",
        include_str!("../../sample-accounts/workshop/tours/2-critical-task.json"),
    ),
    (
        "sample-accounts/workshop/tours/3-cross-account.json",
        include_str!("../../sample-accounts/workshop/tours/3-cross-account.json"),
    ),
    (
        "sample-accounts/workshop/tours/4-escalation.json",
        include_str!("../../sample-accounts/workshop/tours/4-escalation.json"),
    ),
    (
        "sample-accounts/workshop/tours/5-what-if.json",
        include_str!("../../sample-accounts/workshop/tours/5-what-if.json"),
    ),
];

/// Loads the bundled workshop workspace.
pub fn load() -> Loaded {
    let sources = FILES
        .iter()
        .map(|(name, text)| Source {
            name: name.to_string(),
            bytes: text.as_bytes().to_vec(),
        })
        .collect();
    load_sources("workshop", sources)
}
