//! STS: assuming roles, sessions in time and the simulated clock. The paths
//! by which principals reach a permission through roles are in
//! [`crate::who_can`].

pub mod assumable;
pub mod assume;
pub mod clock;
pub mod session;
pub mod trust;

pub use assumable::{assumability, trust_may_name, Assumability};
pub use assume::{assume_role, AssumeOutcome, AssumeRequest, Refusal, Session};
pub use clock::SimClock;
pub use session::{EventKind, SessionEvent, SessionStack};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_tags;
