//! Policy documents as dumps carry them.
//!
//! The IAM API returns every document as URL-encoded (RFC 3986) JSON text.
//! The AWS CLI and boto3 decode it and print objects; the other SDKs keep the
//! encoded string (botocore `json_decode_policies`). Both shapes are accepted.

use std::borrow::Cow;

use serde_json::Value;

use crate::model::policy_ref::{NamedPolicy, PolicySource};
use crate::model::Workspace;

/// The document as a JSON value, decoding an encoded string when needed.
pub fn decode_document(value: &Value) -> Result<Cow<'_, Value>, String> {
    match value {
        Value::String(text) => {
            let trimmed = text.trim_start();
            let json_text: Cow<'_, str> = if trimmed.starts_with('{') {
                Cow::Borrowed(text.as_str())
            } else {
                percent_encoding::percent_decode_str(text)
                    .decode_utf8()
                    .map_err(|_| {
                        "the URL-encoded policy document is not UTF-8 once decoded".to_string()
                    })?
            };
            serde_json::from_str(&json_text)
                .map(Cow::Owned)
                .map_err(|e| {
                    format!(
                        "the policy document (a string) is not valid JSON once URL-decoded: {e}"
                    )
                })
        }
        other => Ok(Cow::Borrowed(other)),
    }
}

/// Reading a document back from its file's text is the file system's side of
/// the model, so it lives here: `model` then needs neither `workspace` nor
/// `bundled`, which both import `model`.
impl Workspace {
    /// A policy document as its file writes it (decoded when URL-encoded),
    /// for viewers; `None` when the text is not at hand.
    pub fn policy_document(&self, policy: &NamedPolicy) -> Option<serde_json::Value> {
        match policy.origin.source {
            PolicySource::Implied => {
                return Some(serde_json::json!({"Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
            }
            PolicySource::AwsManagedBundled => {
                let bundled =
                    crate::bundled::managed_policies::lookup(policy.origin.arn.as_deref()?)?;
                return serde_json::from_str(bundled.document).ok();
            }
            _ => {}
        }
        let text = self.sources.get(&policy.origin.file)?;
        let span = super::locate::locate_span(text, &policy.origin.path)?;
        let value: serde_json::Value = serde_json::from_str(text.get(span)?).ok()?;
        match value {
            serde_json::Value::String(encoded) => {
                let decoded = percent_encoding::percent_decode_str(&encoded)
                    .decode_utf8()
                    .ok()?;
                serde_json::from_str(&decoded).ok()
            }
            other => Some(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accepts_objects_encoded_strings_and_plain_json_strings() {
        let object = json!({"Version": "2012-10-17", "Statement": []});
        assert_eq!(decode_document(&object).unwrap().as_ref(), &object);
        let encoded = json!("%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D");
        assert_eq!(decode_document(&encoded).unwrap().as_ref(), &object);
        let plain = json!("{\"Version\":\"2012-10-17\",\"Statement\":[]}");
        assert_eq!(decode_document(&plain).unwrap().as_ref(), &object);
        assert!(decode_document(&json!("%7Bnot json")).is_err());
    }
}
