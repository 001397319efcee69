//! Tests of every operator, qualifier and missing-key rule.

mod ip_and_arn;
mod keys_and_values;
mod operators;
mod parsing;
mod variables;

use super::*;
use crate::policy::problem::Severity;
use crate::policy::RequestContext;
use serde_json::json;

fn ctx(pairs: &[(&str, &[&str])]) -> RequestContext {
    let mut c = RequestContext::new();
    for (key, values) in pairs {
        c.set(key, values.iter().copied());
    }
    c
}

fn base() -> JsonPath {
    JsonPath::root().key("Statement").index(0).key("Condition")
}

fn parse_with(value: Value, substitute: bool) -> (ConditionBlock, Vec<Problem>) {
    let mut problems = Vec::new();
    let block = ConditionBlock::parse(&value, &base(), substitute, &mut problems);
    (block, problems)
}

/// Parses a 2012-10-17 condition that must have no problems at all.
fn clean(value: Value) -> ConditionBlock {
    let (block, problems) = parse_with(value, true);
    assert!(problems.is_empty(), "unexpected problems: {problems:?}");
    block
}

fn holds(value: Value, context: &RequestContext) -> bool {
    clean(value).evaluate(context)
}

/// `{op: {key: values}}` against a context where `key` has `request`.
fn check(op: &str, key: &str, values: Value, request: &[&str]) -> bool {
    holds(json!({ op: { key: values } }), &ctx(&[(key, request)]))
}

fn only_error(problems: &[Problem]) -> &Problem {
    let errors: Vec<&Problem> = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "expected one error: {problems:?}");
    errors[0]
}
