//! STS: assuming roles, sessions in time, the simulated clock, and the
//! paths by which principals reach a permission through roles.

pub mod assumable;
pub mod assume;
pub mod clock;
pub mod paths;
pub mod session;
pub mod trust;

pub use assumable::{assumability, trust_may_name, Assumability};
pub use assume::{assume_role, AssumeOutcome, AssumeRequest, Refusal, Session};
pub use clock::SimClock;
pub use session::{EventKind, SessionEvent, SessionStack};

#[cfg(test)]
mod tests;
