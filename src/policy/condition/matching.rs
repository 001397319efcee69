//! One clause of a `Condition` element, and comparing request values with
//! its policy values.

use std::net::IpAddr;

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use ipnet::IpNet;

use super::operator::{Comparison, Operator, OperatorKind, SetQualifier};
use crate::policy::context::ContextKeys;
use crate::policy::date::parse_datetime;
use crate::policy::glob::{CaseRule, Glob, GlobBuilder, GlobToken};
use crate::policy::variables::Template;

/// One operator + one key + its values, e.g. `"StringEquals": {"aws:username":
/// ["a","b"]}` → clause(StringEquals, aws:username, [a,b]).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ConditionClause {
    pub operator: Operator,
    pub key: String,
    pub values: Vec<Template>,
    /// The values parsed for comparison once, when none holds a variable
    /// (the usual case): a decision then parses no date, CIDR or pattern.
    prepared: Option<Matcher>,
}

impl ConditionClause {
    pub fn new(operator: Operator, key: &str, values: Vec<Template>) -> Self {
        let mut clause = ConditionClause {
            operator,
            key: key.to_string(),
            values,
            prepared: None,
        };
        let plain = clause.values.iter().all(|v| !v.has_variables());
        let kind = clause.operator.kind;
        if plain
            && matches!(
                kind,
                OperatorKind::StringEquals
                    | OperatorKind::StringNotEquals
                    | OperatorKind::StringEqualsIgnoreCase
                    | OperatorKind::StringNotEqualsIgnoreCase
            )
        {
            // Compared with the values as written: no copy of them to keep.
            clause.prepared = Some(Matcher::Plain {
                ignore_case: matches!(
                    kind,
                    OperatorKind::StringEqualsIgnoreCase | OperatorKind::StringNotEqualsIgnoreCase
                ),
            });
        } else if clause
            .values
            .iter()
            .all(|v| v.variable_keys().next().is_none())
        {
            clause.prepared = Some(Matcher::compile(
                &clause,
                &crate::policy::RequestContext::new(),
            ));
        }
        clause
    }

    /// Whether this clause holds for the request.
    ///
    /// - `Null`: "true" holds when the key is absent, "false" when it is
    ///   present (an empty list of values counts as present); several values
    ///   are ORed (*Condition operators*, "Condition operator to check
    ///   existence of condition keys"). A set qualifier on Null is ignored.
    /// - Key absent: `...IfExists` holds ("If the policy key is not present in
    ///   the request context, the condition evaluates to true"). Otherwise
    ///   `ForAllValues:` holds, `ForAnyValue:` does not (*Multivalued context
    ///   keys*: ForAllValues "returns true if ... the key is not present";
    ///   ForAnyValue "returns false if the key is not present"); without a
    ///   qualifier a positive operator is false and a negated one true
    ///   (*Condition operators*, "Important").
    /// - Key present: see [`ConditionClause::holds_for_values`].
    pub fn evaluate(&self, ctx: &impl ContextKeys) -> bool {
        let op = self.operator;
        if op.kind == OperatorKind::Null {
            let present = ctx.contains(&self.key);
            return self.values.iter().any(|v| match parse_bool(v.raw()) {
                Some(wants_absent) => wants_absent != present,
                None => false,
            });
        }
        let Some(request_values) = ctx.get(&self.key) else {
            if op.if_exists {
                return true;
            }
            return match op.qualifier {
                Some(SetQualifier::ForAllValues) => true,
                Some(SetQualifier::ForAnyValue) => false,
                None => op.is_negated(),
            };
        };
        self.holds_for_values(request_values, ctx)
    }

    /// The key is present with `request_values`.
    ///
    /// A single request value "holds" for a positive operator when it matches
    /// at least one policy value (OR), and for a negated operator when it
    /// matches none of them (NOR). Then:
    /// - no qualifier: a positive operator holds when some request value
    ///   holds; a negated one when every request value holds, i.e. no request
    ///   value matches any policy value;
    /// - `ForAnyValue:`: some request value holds; none (empty set) → false;
    /// - `ForAllValues:`: every request value holds; none (empty set) → true
    ///   (*Multivalued context keys*: "ForAllValues ... returns true if ...
    ///   the key resolves to an empty data set").
    fn holds_for_values(&self, request_values: &[String], ctx: &impl ContextKeys) -> bool {
        let negated = self.operator.is_negated();
        let compiled;
        let matcher = match &self.prepared {
            Some(prepared) => prepared,
            None => {
                compiled = Matcher::compile(self, ctx);
                &compiled
            }
        };
        let holds = |value: &String| matcher.matches_any(value, &self.values) != negated;
        match self.operator.qualifier {
            None if negated => request_values.iter().all(holds),
            None => request_values.iter().any(holds),
            Some(SetQualifier::ForAnyValue) => request_values.iter().any(holds),
            Some(SetQualifier::ForAllValues) => request_values.iter().all(holds),
        }
    }

    /// Human text, e.g. `aws:MultiFactorAuthPresent Bool true`,
    /// `aws:SourceIp IpAddress 10.0.0.0/8 or 192.168.0.0/16`.
    pub fn describe(&self) -> String {
        let values = if self.values.is_empty() {
            "(no values)".to_string()
        } else {
            self.values
                .iter()
                .map(Template::raw)
                .collect::<Vec<_>>()
                .join(" or ")
        };
        format!("{} {} {}", self.key, self.operator.name(), values)
    }
}

/// Lower case character by character, exactly as request values are
/// compared (`str::to_lowercase` would treat a final sigma differently).
fn fold_case(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// The policy values of one clause, prepared for comparison with request
/// values. Values that cannot be prepared (an unresolved variable, or a value
/// that does not parse) are left out: they match no request value.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
enum Matcher {
    /// String equality with values that hold no variable: compared with the
    /// clause's values as written.
    Plain {
        ignore_case: bool,
    },
    Exact(Vec<String>),
    IgnoreCase(Vec<String>),
    Like(Vec<Glob>),
    Numeric(Comparison, Vec<f64>),
    Date(Comparison, Vec<i64>),
    Bool(Vec<bool>),
    Binary(Vec<Vec<u8>>),
    Ip(Vec<IpNet>),
    Arn(Vec<Vec<Glob>>),
}

impl Matcher {
    fn compile(clause: &ConditionClause, ctx: &impl ContextKeys) -> Matcher {
        use OperatorKind::*;
        let kind = clause.operator.kind;
        let resolved = || clause.values.iter().filter_map(|t| t.resolve(ctx));
        let raw = || clause.values.iter().map(Template::raw);
        match kind {
            StringEquals | StringNotEquals => {
                Matcher::Exact(resolved().map(|r| r.to_text()).collect())
            }
            StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => {
                Matcher::IgnoreCase(resolved().map(|r| fold_case(&r.to_text())).collect())
            }
            StringLike | StringNotLike => {
                Matcher::Like(resolved().map(|r| r.to_glob(CaseRule::Sensitive)).collect())
            }
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => {
                Matcher::Numeric(kind.comparison(), raw().filter_map(parse_number).collect())
            }
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => Matcher::Date(
                kind.comparison(),
                raw().filter_map(parse_datetime).collect(),
            ),
            Bool | Null => Matcher::Bool(raw().filter_map(parse_bool).collect()),
            BinaryEquals => Matcher::Binary(raw().filter_map(decode_base64).collect()),
            IpAddress | NotIpAddress => Matcher::Ip(raw().filter_map(parse_network).collect()),
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => Matcher::Arn(
                resolved()
                    .filter_map(|r| arn_pattern(&r.to_glob(CaseRule::Sensitive)))
                    .collect(),
            ),
        }
    }

    /// Whether one request value matches at least one policy value, under
    /// the positive form of the operator.
    fn matches_any(&self, request: &str, values: &[Template]) -> bool {
        match self {
            Matcher::Plain { ignore_case: false } => values.iter().any(|v| v.raw() == request),
            Matcher::Plain { ignore_case: true } => values.iter().any(|v| {
                v.raw()
                    .chars()
                    .flat_map(char::to_lowercase)
                    .eq(request.chars().flat_map(char::to_lowercase))
            }),
            // "StringEquals: Exact matching, case sensitive"; no wildcards.
            Matcher::Exact(values) => values.iter().any(|v| v == request),
            // "StringEqualsIgnoreCase: Exact matching, ignoring case".
            Matcher::IgnoreCase(values) => values
                .iter()
                .any(|v| v.chars().eq(request.chars().flat_map(char::to_lowercase))),
            // "StringLike: Case-sensitive matching. The values can include
            // multi-character match wildcards (*) and single-character match
            // wildcards (?) anywhere in the string."
            Matcher::Like(globs) => globs.iter().any(|g| g.matches(request)),
            Matcher::Numeric(cmp, values) => match parse_number(request) {
                Some(n) => values.iter().any(|v| cmp.holds(n, *v)),
                None => false,
            },
            Matcher::Date(cmp, values) => match parse_datetime(request) {
                Some(t) => values.iter().any(|v| cmp.holds(t, *v)),
                None => false,
            },
            Matcher::Bool(values) => match parse_bool(request) {
                Some(b) => values.contains(&b),
                None => false,
            },
            // "BinaryEquals ... compares the base-64 encoded value of the
            // binary value in the policy" with that of the request; compare
            // the decoded bytes so padding differences do not matter.
            Matcher::Binary(values) => match decode_base64(request) {
                Some(bytes) => values.contains(&bytes),
                None => false,
            },
            Matcher::Ip(nets) => match request.parse::<IpAddr>() {
                Ok(addr) => nets.iter().any(|net| net.contains(&addr)),
                Err(_) => false,
            },
            Matcher::Arn(patterns) => match split_arn(request) {
                Some(parts) => patterns.iter().any(|pattern| {
                    pattern
                        .iter()
                        .zip(parts.iter())
                        .all(|(glob, part)| glob.matches(part))
                }),
                None => false,
            },
        }
    }
}

/// The six colon-separated parts of an ARN; the sixth (resource) part is
/// everything after the fifth colon and may itself contain colons
/// (*Condition operators*, ARN: "Each of the six colon-delimited components
/// of the ARN is checked separately"). `None` when there are fewer than six.
fn split_arn(arn: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    (parts.len() == 6).then_some(parts)
}

/// Splits a compiled (already substituted) ARN pattern into six per-part
/// patterns, so that a wildcard never crosses a colon except inside the
/// resource part. Literal text from variables and escapes stays literal.
fn arn_pattern(glob: &Glob) -> Option<Vec<Glob>> {
    let mut parts = Vec::with_capacity(6);
    let mut current = GlobBuilder::new(CaseRule::Sensitive);
    for token in glob.tokens() {
        match token {
            GlobToken::Text(text) => {
                let mut rest = text.as_str();
                while parts.len() < 5 {
                    let Some((before, after)) = rest.split_once(':') else {
                        break;
                    };
                    current.push_literal(before);
                    let done =
                        std::mem::replace(&mut current, GlobBuilder::new(CaseRule::Sensitive));
                    parts.push(done.finish());
                    rest = after;
                }
                current.push_literal(rest);
            }
            GlobToken::AnyRun => current.push_pattern("*"),
            GlobToken::AnyChar => current.push_pattern("?"),
        }
    }
    parts.push(current.finish());
    (parts.len() == 6).then_some(parts)
}

/// A number as Numeric operators take it: an optionally signed integer or
/// decimal, with an optional exponent (serde_json prints large floats that
/// way). Infinities, NaN and surrounding spaces are rejected.
pub(super) fn parse_number(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let mut i = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let int_start = i;
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let mut digits = i - int_start;
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        let frac_start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        digits += i - frac_start;
    }
    if digits == 0 {
        return None;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == exp_start {
            return None;
        }
    }
    if i != bytes.len() {
        return None;
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// `true` / `false` in any letter case, as the Bool operator compares them.
pub(super) fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Standard-alphabet base64; padding optional, as many encoders omit it.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

pub(super) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    BASE64.decode(text).ok()
}

/// An IpAddress policy value: a CIDR block (RFC 4632, IPv4 or IPv6) or a
/// single address, which stands for itself (/32 or /128). Host bits in a
/// CIDR (`10.1.2.3/8`) are ignored, as the block is 10.0.0.0/8.
pub(super) fn parse_network(text: &str) -> Option<IpNet> {
    if text.contains('/') {
        text.parse::<IpNet>().ok()
    } else {
        text.parse::<IpAddr>().ok().map(IpNet::from)
    }
}
