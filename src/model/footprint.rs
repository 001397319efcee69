//! What an answer rests on: the places of the users, groups, roles and
//! policies that took part in it, so that the problems found there while
//! loading can be shown beside the answer as its caveats.

use std::sync::Arc;

use super::policy_ref::{NamedPolicy, Place};

/// The elements an answer rests on, by their place in the workspace files.
/// A problem found at or under one of these places touches the answer.
#[derive(Debug, Clone, Default)]
pub struct Footprint {
    pub places: Vec<Place>,
    /// The organization file, when SCPs or RCPs took part: problems of its
    /// tree (a parent that is not listed, no management account) touch
    /// every such answer, not only those of one policy.
    pub organization: Option<Arc<str>>,
}

impl Footprint {
    pub fn add_place(&mut self, place: &Place) {
        self.places.push(place.clone());
    }

    /// A policy document that took part, by where it was read.
    pub fn add_policy(&mut self, policy: &NamedPolicy) {
        self.places.push(Place {
            file: policy.origin.file.clone(),
            path: policy.origin.path.clone(),
        });
    }

    /// Everything `other` rests on, too.
    pub fn extend(&mut self, other: Footprint) {
        self.places.extend(other.places);
        if self.organization.is_none() {
            self.organization = other.organization;
        }
    }
}
