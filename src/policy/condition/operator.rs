//! Condition operators: their names as AWS spells them, the set qualifiers
//! and `IfExists`, and what kind of values each compares (IAM User Guide,
//! "IAM JSON policy elements: Condition operators", cited as *Condition
//! operators*, and "Multivalued context keys", cited as *Multivalued context
//! keys*). Read by the parser and the matcher alike; names neither.

/// The set operators that prefix an operator for multivalued context keys
/// (*Multivalued context keys*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

/// The base condition operators (*Condition operators*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum OperatorKind {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

/// A full operator: optional set qualifier, base operator, optional
/// `IfExists` suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Operator {
    pub qualifier: Option<SetQualifier>,
    pub kind: OperatorKind,
    pub if_exists: bool,
}

/// What kind of values an operator compares; decides how policy values are
/// checked when read and compared when evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Family {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

/// The comparison of a Numeric or Date operator, request value on the left:
/// `"NumericLessThan": {"s3:max-keys": "10"}` holds when max-keys < 10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) enum Comparison {
    Equal,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

impl Comparison {
    #[inline]
    pub(super) fn holds<T: PartialOrd>(self, request: T, policy: T) -> bool {
        match self {
            Comparison::Equal => request == policy,
            Comparison::Less => request < policy,
            Comparison::LessOrEqual => request <= policy,
            Comparison::Greater => request > policy,
            Comparison::GreaterOrEqual => request >= policy,
        }
    }
}

impl OperatorKind {
    /// Every base operator, in the order of the *Condition operators* page.
    pub const ALL: [OperatorKind; 27] = [
        OperatorKind::StringEquals,
        OperatorKind::StringNotEquals,
        OperatorKind::StringEqualsIgnoreCase,
        OperatorKind::StringNotEqualsIgnoreCase,
        OperatorKind::StringLike,
        OperatorKind::StringNotLike,
        OperatorKind::NumericEquals,
        OperatorKind::NumericNotEquals,
        OperatorKind::NumericLessThan,
        OperatorKind::NumericLessThanEquals,
        OperatorKind::NumericGreaterThan,
        OperatorKind::NumericGreaterThanEquals,
        OperatorKind::DateEquals,
        OperatorKind::DateNotEquals,
        OperatorKind::DateLessThan,
        OperatorKind::DateLessThanEquals,
        OperatorKind::DateGreaterThan,
        OperatorKind::DateGreaterThanEquals,
        OperatorKind::Bool,
        OperatorKind::BinaryEquals,
        OperatorKind::IpAddress,
        OperatorKind::NotIpAddress,
        OperatorKind::ArnEquals,
        OperatorKind::ArnLike,
        OperatorKind::ArnNotEquals,
        OperatorKind::ArnNotLike,
        OperatorKind::Null,
    ];

    /// The name as AWS spells it.
    pub fn name(self) -> &'static str {
        match self {
            OperatorKind::StringEquals => "StringEquals",
            OperatorKind::StringNotEquals => "StringNotEquals",
            OperatorKind::StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            OperatorKind::StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            OperatorKind::StringLike => "StringLike",
            OperatorKind::StringNotLike => "StringNotLike",
            OperatorKind::NumericEquals => "NumericEquals",
            OperatorKind::NumericNotEquals => "NumericNotEquals",
            OperatorKind::NumericLessThan => "NumericLessThan",
            OperatorKind::NumericLessThanEquals => "NumericLessThanEquals",
            OperatorKind::NumericGreaterThan => "NumericGreaterThan",
            OperatorKind::NumericGreaterThanEquals => "NumericGreaterThanEquals",
            OperatorKind::DateEquals => "DateEquals",
            OperatorKind::DateNotEquals => "DateNotEquals",
            OperatorKind::DateLessThan => "DateLessThan",
            OperatorKind::DateLessThanEquals => "DateLessThanEquals",
            OperatorKind::DateGreaterThan => "DateGreaterThan",
            OperatorKind::DateGreaterThanEquals => "DateGreaterThanEquals",
            OperatorKind::Bool => "Bool",
            OperatorKind::BinaryEquals => "BinaryEquals",
            OperatorKind::IpAddress => "IpAddress",
            OperatorKind::NotIpAddress => "NotIpAddress",
            OperatorKind::ArnEquals => "ArnEquals",
            OperatorKind::ArnLike => "ArnLike",
            OperatorKind::ArnNotEquals => "ArnNotEquals",
            OperatorKind::ArnNotLike => "ArnNotLike",
            OperatorKind::Null => "Null",
        }
    }

    /// The base operator with exactly this (case-sensitive) name.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The negated operators: the request value must match none of the
    /// policy values, and an absent key makes them true (*Condition
    /// operators*).
    #[inline]
    pub(super) fn is_negated(self) -> bool {
        matches!(
            self,
            OperatorKind::StringNotEquals
                | OperatorKind::StringNotEqualsIgnoreCase
                | OperatorKind::StringNotLike
                | OperatorKind::NumericNotEquals
                | OperatorKind::DateNotEquals
                | OperatorKind::NotIpAddress
                | OperatorKind::ArnNotEquals
                | OperatorKind::ArnNotLike
        )
    }

    pub(super) fn family(self) -> Family {
        use OperatorKind::*;
        match self {
            StringEquals
            | StringNotEquals
            | StringEqualsIgnoreCase
            | StringNotEqualsIgnoreCase
            | StringLike
            | StringNotLike => Family::String,
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => Family::Numeric,
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => Family::Date,
            Bool => Family::Bool,
            BinaryEquals => Family::Binary,
            IpAddress | NotIpAddress => Family::Ip,
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => Family::Arn,
            Null => Family::Null,
        }
    }

    /// The comparison of a Numeric or Date operator (negated ones compare
    /// for equality; the negation is applied by the caller).
    #[inline]
    pub(super) fn comparison(self) -> Comparison {
        use OperatorKind::*;
        match self {
            NumericLessThan | DateLessThan => Comparison::Less,
            NumericLessThanEquals | DateLessThanEquals => Comparison::LessOrEqual,
            NumericGreaterThan | DateGreaterThan => Comparison::Greater,
            NumericGreaterThanEquals | DateGreaterThanEquals => Comparison::GreaterOrEqual,
            _ => Comparison::Equal,
        }
    }
}

impl SetQualifier {
    pub(super) fn prefix(self) -> &'static str {
        match self {
            SetQualifier::ForAllValues => "ForAllValues:",
            SetQualifier::ForAnyValue => "ForAnyValue:",
        }
    }
}

const IF_EXISTS: &str = "IfExists";

impl Operator {
    /// Parses e.g. `ForAnyValue:StringLikeIfExists`.
    ///
    /// Names are matched case-sensitively, as the IAM policy validator does:
    /// the *Condition operators* page spells every operator in one exact case
    /// and only says that condition *keys* are case-insensitive. A name that
    /// differs only in case gets a "did you mean" hint.
    ///
    /// `NullIfExists` is rejected: "`...IfExists`" is documented for every
    /// operator "except the Null condition", which already tests existence.
    pub fn parse(name: &str) -> Result<Operator, String> {
        if let Some(op) = Self::parse_exact(name) {
            if op.kind == OperatorKind::Null && op.if_exists {
                return Err(format!(
                    "`{name}` is not a condition operator: IfExists cannot be used with Null, \
                     which already tests whether the key exists"
                ));
            }
            return Ok(op);
        }
        let suggestion = Self::all_names()
            .into_iter()
            .find(|candidate| candidate.eq_ignore_ascii_case(name));
        Err(match suggestion {
            Some(right) => format!(
                "unknown condition operator `{name}`: operator names are case-sensitive; \
                 did you mean `{right}`?"
            ),
            None => format!("unknown condition operator `{name}`"),
        })
    }

    fn parse_exact(name: &str) -> Option<Operator> {
        let (qualifier, rest) = if let Some(rest) = name.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), rest)
        } else if let Some(rest) = name.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), rest)
        } else {
            (None, name)
        };
        let (base, if_exists) = match rest.strip_suffix(IF_EXISTS) {
            Some(base) => (base, true),
            None => (rest, false),
        };
        let kind = OperatorKind::from_name(base)?;
        Some(Operator {
            qualifier,
            kind,
            if_exists,
        })
    }

    /// Every valid operator name (for suggestions).
    pub(super) fn all_names() -> Vec<String> {
        let mut names = Vec::new();
        for qualifier in [
            None,
            Some(SetQualifier::ForAllValues),
            Some(SetQualifier::ForAnyValue),
        ] {
            for kind in OperatorKind::ALL {
                for if_exists in [false, true] {
                    if kind == OperatorKind::Null && if_exists {
                        continue;
                    }
                    let op = Operator {
                        qualifier,
                        kind,
                        if_exists,
                    };
                    names.push(op.name());
                }
            }
        }
        names
    }

    /// The name as AWS spells it, e.g. `ForAnyValue:StringLikeIfExists`.
    pub fn name(&self) -> String {
        format!(
            "{}{}{}",
            self.qualifier.map_or("", SetQualifier::prefix),
            self.kind.name(),
            if self.if_exists { IF_EXISTS } else { "" }
        )
    }

    /// True for the negated operators: StringNotEquals,
    /// StringNotEqualsIgnoreCase, StringNotLike, NumericNotEquals,
    /// DateNotEquals, NotIpAddress, ArnNotEquals, ArnNotLike. For these the
    /// policy values are NORed and an absent key makes the condition true
    /// (*Condition operators*).
    #[inline]
    pub fn is_negated(&self) -> bool {
        self.kind.is_negated()
    }
}
