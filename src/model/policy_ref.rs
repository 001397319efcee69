//! A policy document together with where it came from, so every answer can
//! name the file, the policy and the statement behind it.

use std::sync::Arc;

use crate::policy::{JsonPath, Policy, PolicyKind};

/// Where an element (a user, a group, a role, a managed policy) sits in the
/// workspace: its file and its JSON path there. Problems found while loading
/// are matched to the elements they touch by this place.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Place {
    #[serde(with = "super::sharing::name")]
    pub file: Arc<str>,
    pub path: JsonPath,
}

/// Where a policy document was found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PolicyOrigin {
    /// The file, as the user named it (or a description for built-in policies).
    #[serde(with = "super::sharing::name")]
    pub file: Arc<str>,
    /// Path of the document inside the file.
    pub path: JsonPath,
    /// A name a person recognises: the policy name, or "trust policy of ROLE".
    pub name: String,
    /// The managed policy's ARN, when it has one.
    pub arn: Option<String>,
    /// Inline, managed, bundled...
    pub source: PolicySource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PolicySource {
    Inline,
    CustomerManaged,
    /// An AWS managed policy whose document is in the dump.
    AwsManaged,
    /// An AWS managed policy missing from the dump, resolved from the copy in the binary.
    AwsManagedBundled,
    /// A policy AWS attaches by itself (`FullAWSAccess`, `RCPFullAWSAccess`).
    Implied,
    /// A trust, resource or organization policy stored with what it governs.
    Attached,
    /// Given by the user for a session (`--session-policy`).
    SessionFile,
}

impl PolicySource {
    pub fn describe(self) -> &'static str {
        match self {
            PolicySource::Inline => "inline",
            PolicySource::CustomerManaged => "customer managed",
            PolicySource::AwsManaged => "AWS managed",
            PolicySource::AwsManagedBundled => "AWS managed (bundled copy)",
            PolicySource::Implied => "attached by AWS by default",
            PolicySource::Attached => "attached",
            PolicySource::SessionFile => "session policy",
        }
    }
}

/// A parsed document with its origin and the use it was parsed for.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NamedPolicy {
    pub origin: PolicyOrigin,
    pub kind: PolicyKind,
    /// Shared by every place that holds the same document text for the same
    /// use: an AWS managed policy is printed in every account's dump, and a
    /// customer policy is often copied from account to account, so the loader
    /// compiles each distinct text once.
    #[serde(with = "super::sharing::arc")]
    pub policy: Arc<Policy>,
}

impl NamedPolicy {
    pub fn new(
        origin: PolicyOrigin,
        kind: PolicyKind,
        policy: impl Into<Arc<Policy>>,
    ) -> Arc<Self> {
        Arc::new(NamedPolicy {
            origin,
            kind,
            policy: policy.into(),
        })
    }
}
