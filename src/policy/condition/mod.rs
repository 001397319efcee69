//! The `Condition` element: condition operators and their evaluation.
//!
//! Rules follow the IAM User Guide, "IAM JSON policy elements: Condition
//! operators" and "Multivalued context keys" (cited below as *Condition
//! operators* and *Multivalued context keys*):
//!
//! - Several operators in one `Condition`, and several keys under one
//!   operator, are ANDed; several values for one key are ORed (*Condition
//!   element*, "Creating a condition with multiple keys or values"). For a
//!   negated operator the values are combined with NOR: the request value must
//!   match none of them.
//! - Condition key names are case-insensitive; [`crate::policy::RequestContext`] folds them.
//! - When the key is absent from the request, a positive operator is false and
//!   a negated one is true; `...IfExists` is true; `Null` tests presence
//!   itself (*Condition operators*, the "Important" note at the top of the
//!   page).
//! - `ForAnyValue:` / `ForAllValues:` compare each request value in turn
//!   (*Multivalued context keys*).

use serde_json::Value;

use super::context::ContextKeys;
use super::date::parse_datetime;
use super::problem::{JsonPath, Problem};
use super::variables::Template;

/// The `Condition` element of a statement: every clause must hold (AND).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct ConditionBlock {
    pub clauses: Vec<ConditionClause>,
}

impl ConditionBlock {
    /// Reads a `Condition` element value: an object of operator → object of
    /// key → string | number | bool | array of those (*Condition element*,
    /// and the policy grammar's `<condition_block>`).
    ///
    /// `path` is the JSON path of the `Condition` element; problems are
    /// reported below it. `substitute` says the policy's Version is
    /// 2012-10-17: only then, and only in String and ARN operator values, are
    /// policy variables substituted (*Policy variables*: "You can use policy
    /// variables in the Resource element and in string comparisons in the
    /// Condition element"; the *Condition operators* page marks variables as
    /// supported for String and ARN operators only).
    ///
    /// Errors drop what they concern: an unknown operator (or `NullIfExists`)
    /// drops its whole group of clauses; a bad value drops only that value,
    /// keeping the rest of the clause. The workspace refuses to evaluate
    /// policies with errors, so the fallback only has to be panic-free.
    pub fn parse(
        value: &Value,
        path: &JsonPath,
        substitute: bool,
        problems: &mut Vec<Problem>,
    ) -> ConditionBlock {
        let mut block = ConditionBlock::default();
        let Some(operators) = value.as_object() else {
            problems.push(Problem::error(
                path.clone(),
                format!(
                    "Condition must be an object of condition operators, not {}",
                    describe_json_type(value)
                ),
            ));
            return block;
        };
        for (name, keys) in operators {
            let operator_path = path.key(name);
            let operator = match Operator::parse(name) {
                Ok(operator) => operator,
                Err(message) => {
                    problems.push(Problem::error(operator_path, message));
                    continue;
                }
            };
            let Some(keys) = keys.as_object() else {
                problems.push(Problem::error(
                    operator_path,
                    format!(
                        "the value of `{name}` must be an object of condition keys, not {}",
                        describe_json_type(keys)
                    ),
                ));
                continue;
            };
            if keys.is_empty() {
                problems.push(Problem::warning(
                    operator_path.clone(),
                    format!("`{name}` has no condition keys, so it tests nothing"),
                ));
            }
            if operator.kind == OperatorKind::Null {
                if let Some(qualifier) = operator.qualifier {
                    problems.push(Problem::warning(
                        operator_path.clone(),
                        format!(
                            "`{}` has no effect on Null, which tests whether the key is present; \
                             it is evaluated as plain Null",
                            qualifier.prefix()
                        ),
                    ));
                }
            }
            for (key, values) in keys {
                let key_path = operator_path.key(key);
                let clause = parse_clause(operator, key, values, &key_path, substitute, problems);
                block.clauses.push(clause);
            }
        }
        block
    }

    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// True when every clause holds; an empty block holds. Clauses are ANDed
    /// (*Condition element*: "If there are multiple condition operators, or
    /// multiple keys attached to a single condition operator, the conditions
    /// are evaluated using a logical AND").
    pub fn evaluate(&self, ctx: &impl ContextKeys) -> bool {
        self.clauses.iter().all(|clause| clause.evaluate(ctx))
    }

    /// Each clause with whether it held, in order, for "why" explanations.
    /// Unlike [`ConditionBlock::evaluate`] it does not stop at the first
    /// failing clause.
    pub fn evaluate_each(&self, ctx: &impl ContextKeys) -> Vec<(&ConditionClause, bool)> {
        self.clauses
            .iter()
            .map(|clause| (clause, clause.evaluate(ctx)))
            .collect()
    }
}

/// Reads the values of one key under one operator.
fn parse_clause(
    operator: Operator,
    key: &str,
    values: &Value,
    key_path: &JsonPath,
    substitute: bool,
    problems: &mut Vec<Problem>,
) -> ConditionClause {
    if key.is_empty() {
        problems.push(Problem::warning(
            key_path.clone(),
            "the condition key is empty; no request has such a key",
        ));
    }
    let items: Vec<(JsonPath, &Value)> = match values {
        Value::Array(items) => {
            if items.is_empty() {
                problems.push(Problem::warning(
                    key_path.clone(),
                    format!(
                        "no values for `{key}`: {} with an empty list {}",
                        operator.name(),
                        if operator.kind == OperatorKind::Null || operator.is_negated() {
                            "always holds when the key is present"
                        } else {
                            "never holds when the key is present"
                        }
                    ),
                ));
            }
            items
                .iter()
                .enumerate()
                .map(|(i, item)| (key_path.index(i), item))
                .collect()
        }
        single => vec![(key_path.clone(), single)],
    };
    let family = operator.kind.family();
    let substitutes_here = substitute && matches!(family, Family::String | Family::Arn);
    let mut templates = Vec::with_capacity(items.len());
    for (value_path, item) in items {
        let text = match item {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            other => {
                problems.push(Problem::error(
                    value_path,
                    format!(
                        "a condition value must be a string, number or boolean, not {}",
                        describe_json_type(other)
                    ),
                ));
                continue;
            }
        };
        if !matches!(family, Family::String | Family::Arn) && text.contains("${") {
            problems.push(Problem::warning(
                value_path.clone(),
                format!(
                    "policy variables are not substituted in {} values; `{text}` is taken literally",
                    operator.kind.name()
                ),
            ));
        }
        if let Err(message) = check_value(operator, &text) {
            problems.push(Problem::error(value_path, message));
            continue;
        }
        if family == Family::Arn && !text.contains("${") && text.matches(':').count() < 5 {
            problems.push(Problem::warning(
                value_path,
                format!(
                    "`{text}` is not an ARN of six colon-separated parts; {} compares ARNs part \
                     by part, so this value matches nothing",
                    operator.kind.name()
                ),
            ));
        }
        templates.push(Template::parse(&text, substitutes_here));
    }
    ConditionClause::new(operator, key, templates)
}

/// Checks a policy value against what its operator compares.
fn check_value(operator: Operator, text: &str) -> Result<(), String> {
    let kind = operator.kind;
    let ok = match kind.family() {
        Family::String | Family::Arn => true,
        Family::Numeric => parse_number(text).is_some(),
        Family::Date => parse_datetime(text).is_some(),
        Family::Bool | Family::Null => parse_bool(text).is_some(),
        Family::Binary => decode_base64(text).is_some(),
        Family::Ip => parse_network(text).is_some(),
    };
    if ok {
        return Ok(());
    }
    let expected = match kind.family() {
        Family::Numeric => "a number (integer or decimal)",
        Family::Date => "an ISO 8601 date (e.g. 2023-03-09T10:41:45Z) or Unix epoch seconds",
        Family::Bool | Family::Null => "true or false",
        Family::Binary => "base64-encoded bytes",
        Family::Ip => "an IPv4 or IPv6 address or CIDR block (e.g. 203.0.113.0/24)",
        Family::String | Family::Arn => "a string",
    };
    Err(format!(
        "`{text}` is not a valid {} value: expected {expected}",
        operator.name()
    ))
}

fn describe_json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

mod matching;
mod operator;
#[cfg(test)]
mod tests;

pub use matching::ConditionClause;
pub use operator::{Operator, OperatorKind, SetQualifier};

use matching::{decode_base64, parse_bool, parse_network, parse_number};
use operator::Family;
