//! Policy documents as dumps carry them.
//!
//! The IAM API returns every document as URL-encoded (RFC 3986) JSON text.
//! The AWS CLI and boto3 decode it and print objects; the other SDKs keep the
//! encoded string (botocore `json_decode_policies`). Both shapes are accepted.

use std::borrow::Cow;

use serde_json::Value;

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
