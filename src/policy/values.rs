//! Reading the JSON shapes the policy grammar allows: "a string or an array of
//! strings" (IAM JSON policy grammar: `<action_string>` or `[<action_string>, ...]`).

use serde_json::Value;

use super::problem::{JsonPath, Problem};

/// Reads a string or an array of strings. Non-string entries are reported and
/// skipped; each returned string carries the path it came from.
pub fn string_list(
    value: &Value,
    path: &JsonPath,
    what: &str,
    problems: &mut Vec<Problem>,
) -> Vec<(String, JsonPath)> {
    match value {
        Value::String(s) => vec![(s.clone(), path.clone())],
        Value::Array(items) => {
            if items.is_empty() {
                problems.push(Problem::warning(
                    path.clone(),
                    format!("{what} is an empty list: it matches nothing"),
                ));
            }
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) => out.push((s.clone(), path.index(i))),
                    other => problems.push(Problem::error(
                        path.index(i),
                        format!("{what} must be a string, not {}", describe(other)),
                    )),
                }
            }
            out
        }
        other => {
            problems.push(Problem::error(
                path.clone(),
                format!(
                    "{what} must be a string or a list of strings, not {}",
                    describe(other)
                ),
            ));
            Vec::new()
        }
    }
}

/// Names a JSON value's type for messages.
pub fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
