//! What a store knows of a resource beyond its policy: its tags and, for S3,
//! the Block Public Access settings of the bucket and of its account.

use std::collections::BTreeMap;

use super::account::Tag;

/// S3 Block Public Access, as `GetPublicAccessBlock` returns it
/// (`PublicAccessBlockConfiguration`). Only `RestrictPublicBuckets` changes
/// an evaluation of a policy; the others govern ACLs and the writing of
/// policies, which iamscope does not model.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PublicAccessBlock {
    pub block_public_acls: bool,
    pub ignore_public_acls: bool,
    pub block_public_policy: bool,
    pub restrict_public_buckets: bool,
}

/// Tags by resource ARN and Block Public Access by bucket and by account.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ResourceFacts {
    /// Tags of resources, by ARN (sorted).
    pub tags: BTreeMap<String, Vec<Tag>>,
    /// Bucket-level Block Public Access, by bucket ARN.
    pub bucket_public_access: BTreeMap<String, PublicAccessBlock>,
    /// Account-level Block Public Access, by account id.
    pub account_public_access: BTreeMap<String, PublicAccessBlock>,
    /// The owning account of resources whose ARN carries none (S3 buckets),
    /// by ARN, policy or not: a store lists every bucket of every account.
    pub owners: BTreeMap<String, String>,
}

impl ResourceFacts {
    /// The tags `aws:ResourceTag/*` reads for `resource`: its own.
    pub fn tags_of(&self, resource: &str) -> &[Tag] {
        self.tags.get(resource).map_or(&[], Vec::as_slice)
    }

    /// The account owning `resource` or the container it is in (a bucket
    /// for its objects), when the workspace lists it.
    pub fn owner_of(&self, resource: &str) -> Option<&str> {
        if self.owners.is_empty() {
            return None;
        }
        let mut candidate = resource;
        loop {
            if let Some(owner) = self.owners.get(candidate) {
                return Some(owner);
            }
            candidate = &candidate[..candidate.rfind('/')?];
        }
    }

    /// Whether S3 restricts a public bucket policy of `bucket_arn`, owned by
    /// `account`: `RestrictPublicBuckets` set on the bucket or on the account
    /// (S3 User Guide, access-control-block-public-access: "Amazon S3 applies
    /// the most restrictive combination of the bucket-level and account-level
    /// settings").
    pub fn restricts_public_policy(&self, bucket_arn: &str, account: &str) -> bool {
        self.bucket_public_access
            .get(bucket_arn)
            .is_some_and(|b| b.restrict_public_buckets)
            || self
                .account_public_access
                .get(account)
                .is_some_and(|b| b.restrict_public_buckets)
    }
}
