//! The decision: a request and a principal in, a [`Decision`] with its
//! reasons out. Pure: time comes in as a value.

pub mod decision;
pub mod effective;
pub mod engine;
pub mod footprint;
pub mod principal;
pub mod public_policy;
pub mod refusal;
pub mod resource_keys;
pub mod scan;

pub use decision::{Decision, Layer, LayerStatus, Outcome};
pub use engine::{
    evaluate, evaluate_outcome, refuses_every_role, trust_may_admit, Request, RESOURCE_ACCOUNT_KEY,
    UNKNOWN_OWNER,
};
pub use principal::{Boundary, Principal, PrincipalKind};

#[cfg(test)]
pub(crate) mod tests;
