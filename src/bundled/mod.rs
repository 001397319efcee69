//! Data compiled into the binary: AWS managed policies (for dumps that lack
//! them) and the workshop sample workspace (so the tool runs from any folder).

pub mod managed_policies;
pub mod workshop;
