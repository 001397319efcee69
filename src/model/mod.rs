//! What the workspace files mean: accounts and their users, groups, roles and
//! managed policies; the organization; resource-based policies.
//!
//! Built once by [`crate::workspace`] from the files, then only read.

pub mod account;
/// ARNs live in the leaf module [`crate::arn`] so that `policy` can use them
/// without importing `model`, which imports `policy`; re-exported here so
/// `model::arn::Arn` keeps naming them.
pub use crate::arn;
pub mod footprint;
pub mod organization;
pub mod policy_ref;
pub mod resource_facts;
pub mod sharing;
pub mod workspace;

pub use account::{Account, Group, ManagedPolicy, PolicyVersion, Role, Tag, User};
pub use arn::{Arn, ArnParts};
pub use footprint::Footprint;
pub use organization::{OrgPolicy, Organization};
pub use policy_ref::{NamedPolicy, Place, PolicyOrigin};
pub use resource_facts::{PublicAccessBlock, ResourceFacts};
pub use workspace::{ResourceOwner, ResourcePolicy, Workspace};
