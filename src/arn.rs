//! Amazon Resource Names.
//!
//! `arn:partition:service:region:account-id:resource`, where the resource part
//! is everything after the fifth colon and may itself contain colons
//! (IAM User Guide, "IAM identifiers").
//!
//! A leaf module: it imports nothing of the crate, so the policy language and
//! the model can both use ARNs without importing each other.

use std::fmt;
use std::str::FromStr;

/// A parsed ARN. The parts borrow nothing: ARNs outlive the text they came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Arn {
    pub partition: String,
    pub service: String,
    pub region: String,
    pub account: String,
    pub resource: String,
}

/// Why a string is not an ARN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArnError {
    #[error("an ARN starts with \"arn:\"")]
    MissingPrefix,
    #[error(
        "an ARN has six parts separated by ':' (arn:partition:service:region:account:resource)"
    )]
    TooFewParts,
    #[error("the partition and service parts of an ARN cannot be empty")]
    EmptyPart,
}

/// The parts of an ARN, borrowed from its text: what the evaluation's hot
/// path reads (the account, the service) without allocating five strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArnParts<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> ArnParts<'a> {
    pub fn parse(s: &'a str) -> Result<Self, ArnError> {
        let rest = s.strip_prefix("arn:").ok_or(ArnError::MissingPrefix)?;
        let mut parts = rest.splitn(5, ':');
        let mut next = || parts.next().ok_or(ArnError::TooFewParts);
        let partition = next()?;
        let service = next()?;
        let region = next()?;
        let account = next()?;
        let resource = next()?;
        if partition.is_empty() || service.is_empty() {
            return Err(ArnError::EmptyPart);
        }
        Ok(ArnParts {
            partition,
            service,
            region,
            account,
            resource,
        })
    }
}

impl FromStr for Arn {
    type Err = ArnError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts = ArnParts::parse(s)?;
        Ok(Arn {
            partition: parts.partition.to_string(),
            service: parts.service.to_string(),
            region: parts.region.to_string(),
            account: parts.account.to_string(),
            resource: parts.resource.to_string(),
        })
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:{}:{}:{}:{}",
            self.partition, self.service, self.region, self.account, self.resource
        )
    }
}

impl Arn {
    /// The resource type and name of an IAM or STS ARN: `user/path/alice`
    /// gives `("user", "path/alice")`.
    pub fn resource_type_and_name(&self) -> (&str, &str) {
        self.resource
            .split_once('/')
            .unwrap_or((self.resource.as_str(), ""))
    }

    /// The last path element of the resource: the friendly name of an IAM entity.
    pub fn friendly_name(&self) -> &str {
        self.resource
            .rsplit('/')
            .next()
            .unwrap_or(self.resource.as_str())
    }
}

/// True for a 12-digit AWS account id.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// True for an IAM unique id such as `AIDAJQABLZS4A3QDU576Q` (user) or
/// `AROA...` (role): what a policy shows for a principal that was deleted
/// (IAM JSON policy reference, "Principal": "If the principal is deleted...").
pub fn is_unique_id(s: &str) -> bool {
    const PREFIXES: [&str; 6] = ["AIDA", "AROA", "AGPA", "ANPA", "AIPA", "ASIA"];
    s.len() >= 16
        && PREFIXES.iter().any(|p| s.starts_with(p))
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_resource_with_colons_and_slashes() {
        let arn: Arn = "arn:aws:lambda:eu-west-1:222222222222:function:app-api:prod"
            .parse()
            .unwrap();
        assert_eq!(arn.service, "lambda");
        assert_eq!(arn.account, "222222222222");
        assert_eq!(arn.resource, "function:app-api:prod");
        let s3: Arn = "arn:aws:s3:::bucket/key/a".parse().unwrap();
        assert_eq!(s3.account, "");
        assert_eq!(s3.to_string(), "arn:aws:s3:::bucket/key/a");
    }

    #[test]
    fn rejects_non_arns() {
        assert_eq!("bucket".parse::<Arn>(), Err(ArnError::MissingPrefix));
        assert_eq!("arn:aws:s3".parse::<Arn>(), Err(ArnError::TooFewParts));
        assert_eq!("arn::s3:::b".parse::<Arn>(), Err(ArnError::EmptyPart));
    }

    #[test]
    fn friendly_names_drop_the_path() {
        let arn: Arn = "arn:aws:iam::111111111111:role/service-role/exec"
            .parse()
            .unwrap();
        assert_eq!(arn.friendly_name(), "exec");
        assert_eq!(arn.resource_type_and_name(), ("role", "service-role/exec"));
    }

    #[test]
    fn recognises_ids() {
        assert!(is_account_id("111111111111"));
        assert!(!is_account_id("11111111111"));
        assert!(is_unique_id("AIDAJQABLZS4A3QDU576Q"));
        assert!(!is_unique_id("alice"));
    }
}
