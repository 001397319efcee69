//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'default'}`
//! and the escapes `${*}`, `${?}`, `${$}`.
//!
//! Variables are substituted only in policies whose `Version` is `2012-10-17`;
//! under `2008-10-17` (or no Version) the text is literal (IAM JSON policy
//! reference, "Version" and "Policy variables"). They may appear in
//! `Resource`/`NotResource` and in String and ARN condition values.
//!
//! A variable whose key is absent (and has no default) leaves the whole value
//! unresolved: in `Resource` such an entry matches nothing, and in a condition
//! it matches no request value, so positive operators fail and negated ones
//! succeed (reference_policies_variables, "Request information that you can use
//! for policy variables").

use super::context::ContextKeys;
#[cfg(test)]
use super::context::RequestContext;
use super::glob::{match_views, CaseRule, Glob, GlobBuilder, GlobToken, TokenView};

/// Variables a resource pattern may hold and still be matched without
/// allocating; one with more is matched by building its pattern.
const SLOTTED_VARIABLES: usize = 8;

/// One piece of a value that may hold variables.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Piece {
    /// Text as written in the policy; `*` and `?` in it are wildcards where the
    /// operator allows wildcards.
    Text(String),
    /// Literal text produced by an escape (`${*}` gives `*`): never a wildcard.
    Escaped(String),
    /// A context key, with the default used when the key is absent.
    Variable {
        key: String,
        default: Option<String>,
    },
}

/// A policy string value, split into text and variables.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Template {
    raw: String,
    /// Empty when the value is plain text (the common case): `raw` is then
    /// its only piece, and is not stored twice.
    pieces: Vec<Piece>,
    /// For resources: the case-sensitive pattern, compiled once when the
    /// value holds no variable, so matching a resource allocates nothing.
    compiled: Compiled,
}

/// A resource pattern, compiled once when the policy is read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
enum Compiled {
    /// Not a resource entry (a condition value), or one with too many
    /// variables: matched by building the pattern.
    None,
    /// No variable: the case-sensitive pattern itself.
    Fixed(Glob),
    /// With variables: the pattern with a slot for each variable's value,
    /// filled at match time.
    Slotted(Vec<Slot>),
}

/// One element of a resource pattern with variables.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
enum Slot {
    Token(GlobToken),
    /// The value of the n-th variable of the template: literal text.
    Variable(usize),
}

/// A template after substitution: only text and escaped pieces remain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pieces: Vec<Piece>,
}

impl Template {
    /// Splits `raw` into pieces. With `substitute` false (a 2008-10-17 policy)
    /// the whole value is plain text.
    pub fn parse(raw: &str, substitute: bool) -> Self {
        let mut pieces = if substitute {
            split_variables(raw)
        } else {
            Vec::new()
        };
        if matches!(pieces.as_slice(), [Piece::Text(t)] if t == raw) {
            pieces = Vec::new();
        }
        Template {
            raw: raw.to_string(),
            pieces,
            compiled: Compiled::None,
        }
    }

    /// Like [`Template::parse`], for a `Resource` entry: the pattern is
    /// compiled now when it has no variable.
    pub fn parse_resource(raw: &str, substitute: bool) -> Self {
        let mut template = Template::parse(raw, substitute);
        if !template
            .pieces
            .iter()
            .any(|p| matches!(p, Piece::Variable { .. }))
        {
            template.compiled =
                Compiled::Fixed(template.plain_resolved().to_glob(CaseRule::Sensitive));
        } else if template.variable_keys().count() <= SLOTTED_VARIABLES {
            template.compiled = Compiled::Slotted(template.slots());
        }
        template
    }

    /// The pattern's tokens, with a slot where each variable goes.
    fn slots(&self) -> Vec<Slot> {
        let mut slots = Vec::new();
        let mut variables = 0;
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => {
                    let mut builder = GlobBuilder::new(CaseRule::Sensitive);
                    builder.push_pattern(t);
                    slots.extend(builder.finish().tokens().iter().cloned().map(Slot::Token));
                }
                Piece::Escaped(t) => slots.push(Slot::Token(GlobToken::Text(t.clone()))),
                Piece::Variable { .. } => {
                    slots.push(Slot::Variable(variables));
                    variables += 1;
                }
            }
        }
        slots
    }

    /// Matches a slotted pattern, its variables' values borrowed from `ctx`.
    fn matches_slotted(&self, slotted: &[Slot], text: &str, ctx: &impl ContextKeys) -> bool {
        let mut values = [""; SLOTTED_VARIABLES];
        let variables = self.pieces.iter().filter_map(|p| match p {
            Piece::Variable { key, default } => Some((key, default)),
            _ => None,
        });
        for (slot, (key, default)) in values.iter_mut().zip(variables) {
            match ctx.single(key).or(default.as_deref()) {
                Some(value) => *slot = value,
                None => return false,
            }
        }
        let view = |i: usize| match &slotted[i] {
            Slot::Token(token) => token.view(),
            Slot::Variable(n) => TokenView::Text(values[*n]),
        };
        match_views(slotted.len(), view, text.as_bytes(), CaseRule::Sensitive)
    }

    /// The pieces, with plain text standing for itself.
    fn plain_resolved(&self) -> Resolved {
        Resolved {
            pieces: if self.pieces.is_empty() {
                vec![Piece::Text(self.raw.clone())]
            } else {
                self.pieces.clone()
            },
        }
    }

    /// Whether the value, as a case-sensitive wildcard pattern with its
    /// variables substituted from `ctx`, matches `text`. A value whose
    /// variable is absent matches nothing.
    pub fn matches(&self, text: &str, ctx: &impl ContextKeys) -> bool {
        match &self.compiled {
            Compiled::Fixed(glob) => glob.matches(text),
            Compiled::Slotted(slotted) => self.matches_slotted(slotted, text, ctx),
            Compiled::None => self
                .resolve(ctx)
                .is_some_and(|r| r.to_glob(CaseRule::Sensitive).matches(text)),
        }
    }

    /// True for a resource entry that is exactly `*`: it matches every resource.
    pub fn matches_everything(&self) -> bool {
        matches!(&self.compiled, Compiled::Fixed(glob) if glob.is_match_all())
    }

    /// The value as written in the policy.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    pub fn has_variables(&self) -> bool {
        self.pieces
            .iter()
            .any(|p| matches!(p, Piece::Variable { .. } | Piece::Escaped(_)))
    }

    /// The variable keys used in this value.
    pub fn variable_keys(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Variable { key, .. } => Some(key.as_str()),
            _ => None,
        })
    }

    /// Substitutes every variable from `ctx`; `None` when one is absent and has
    /// no default, or has several values (a multi-valued key cannot be a variable).
    pub fn resolve(&self, ctx: &impl ContextKeys) -> Option<Resolved> {
        if self.pieces.is_empty() {
            return Some(self.plain_resolved());
        }
        let mut pieces = Vec::with_capacity(self.pieces.len());
        for piece in &self.pieces {
            match piece {
                Piece::Variable { key, default } => {
                    let value = ctx.single(key).or(default.as_deref())?;
                    pieces.push(Piece::Escaped(value.to_string()));
                }
                other => pieces.push(other.clone()),
            }
        }
        Some(Resolved { pieces })
    }
}

impl Resolved {
    /// The value as plain text (wildcard characters kept as characters), for
    /// operators that take no wildcards.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) | Piece::Escaped(t) => out.push_str(t),
                Piece::Variable { .. } => {}
            }
        }
        out
    }

    /// The value as a wildcard pattern: `*` and `?` of the policy text are
    /// wildcards, substituted and escaped text is literal.
    pub fn to_glob(&self, case: CaseRule) -> Glob {
        let mut builder = GlobBuilder::new(case);
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => builder.push_pattern(t),
                Piece::Escaped(t) => builder.push_literal(t),
                Piece::Variable { .. } => {}
            }
        }
        builder.finish()
    }
}

/// Splits text at `${...}`. Text that only looks like a variable (no closing
/// brace) stays literal text, as AWS leaves it.
fn split_variables(raw: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut rest = raw;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            break;
        };
        text.push_str(&rest[..start]);
        let inner = &after[..end];
        let piece = parse_variable(inner);
        if !text.is_empty() {
            pieces.push(Piece::Text(std::mem::take(&mut text)));
        }
        pieces.push(piece);
        rest = &after[end + 1..];
    }
    text.push_str(rest);
    if !text.is_empty() || pieces.is_empty() {
        pieces.push(Piece::Text(text));
    }
    pieces
}

/// Reads the inside of `${...}`: an escape, a key, or `key, 'default'`.
fn parse_variable(inner: &str) -> Piece {
    match inner {
        "*" | "?" | "$" => return Piece::Escaped(inner.to_string()),
        _ => {}
    }
    if let Some((key, default)) = inner.split_once(',') {
        let default = default.trim();
        let default = default
            .strip_prefix('\'')
            .and_then(|d| d.strip_suffix('\''))
            .unwrap_or(default);
        return Piece::Variable {
            key: key.trim().to_string(),
            default: Some(default.to_string()),
        };
    }
    Piece::Variable {
        key: inner.trim().to_string(),
        default: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> RequestContext {
        let mut c = RequestContext::new();
        c.set("aws:username", ["alice"]);
        c.set("aws:PrincipalTag/team", ["blue"]);
        c.set("aws:TagKeys", ["a", "b"]);
        c
    }

    fn text(raw: &str) -> Option<String> {
        Template::parse(raw, true)
            .resolve(&ctx())
            .map(|r| r.to_text())
    }

    #[test]
    fn substitutes_keys_case_insensitively() {
        assert_eq!(
            text("arn:aws:s3:::home/${aws:username}/*").as_deref(),
            Some("arn:aws:s3:::home/alice/*")
        );
        assert_eq!(text("${AWS:PrincipalTag/Team}").as_deref(), Some("blue"));
    }

    #[test]
    fn absent_key_leaves_value_unresolved_unless_defaulted() {
        assert_eq!(text("${aws:userid}"), None);
        assert_eq!(
            text("${aws:PrincipalTag/dept, 'company-wide'}").as_deref(),
            Some("company-wide")
        );
        assert_eq!(text("${aws:username, 'nobody'}").as_deref(), Some("alice"));
    }

    #[test]
    fn multi_valued_key_is_not_a_variable() {
        assert_eq!(text("${aws:TagKeys}"), None);
    }

    #[test]
    fn escapes_are_literal_characters() {
        let resolved = Template::parse("a${*}b${?}${$}", true)
            .resolve(&ctx())
            .unwrap();
        assert_eq!(resolved.to_text(), "a*b?$");
        let glob = resolved.to_glob(CaseRule::Sensitive);
        assert!(glob.matches("a*b?$"));
        assert!(!glob.matches("aXXb?$"));
    }

    #[test]
    fn policy_wildcards_stay_wildcards_but_substituted_text_does_not() {
        let mut c = RequestContext::new();
        c.set("aws:username", ["a*"]);
        let glob = Template::parse("home/${aws:username}/*", true)
            .resolve(&c)
            .unwrap()
            .to_glob(CaseRule::Sensitive);
        assert!(glob.matches("home/a*/x"));
        assert!(!glob.matches("home/abc/x"));
    }

    /// The slotted matcher (no allocation) answers as building the pattern does.
    fn agrees(raw: &str, c: &RequestContext, text: &str) -> bool {
        let slotted = Template::parse_resource(raw, true).matches(text, c);
        let built = Template::parse(raw, true)
            .resolve(c)
            .is_some_and(|r| r.to_glob(CaseRule::Sensitive).matches(text));
        assert_eq!(slotted, built, "{raw} against {text}");
        slotted
    }

    #[test]
    fn resources_with_variables_match_without_building_a_pattern() {
        let mut c = ctx();
        c.set("aws:userid", ["AIDA:x*"]);
        assert!(agrees(
            "arn:aws:s3:::home/${aws:username}/*",
            &c,
            "arn:aws:s3:::home/alice/a/b"
        ));
        assert!(!agrees(
            "arn:aws:s3:::home/${aws:username}/*",
            &c,
            "arn:aws:s3:::home/bob/a"
        ));
        assert!(agrees(
            "a${aws:PrincipalTag/team}?${aws:username}",
            &c,
            "abluexalice"
        ));
        assert!(agrees("*${aws:userid}", &c, "pre-AIDA:x*"));
        assert!(
            !agrees("*${aws:userid}", &c, "pre-AIDA:xyz"),
            "substituted * is literal"
        );
        assert!(
            !agrees("home/${aws:SourceIp}/*", &c, "home//x"),
            "an absent key matches nothing"
        );
        assert!(agrees("home/${aws:SourceIp, 'none'}/*", &c, "home/none/x"));
        assert!(agrees("${*}${aws:username}${?}", &c, "*alice?"));
        assert!(
            !agrees("${aws:TagKeys}", &c, "a"),
            "multi-valued: not a variable"
        );
    }

    proptest::proptest! {
        #[test]
        fn slotted_and_built_patterns_always_agree(
            raw in "[ab*?/]{0,4}(\\$\\{(aws:username|aws:x|\\*)\\}[ab*?/]{0,3}){1,3}",
            user in "[ab*]{0,3}",
            text in "[ab*?/]{0,10}",
        ) {
            let mut c = RequestContext::new();
            c.set("aws:username", [user]);
            agrees(&raw, &c, &text);
        }
    }

    #[test]
    fn version_2008_keeps_text_literal() {
        let t = Template::parse("home/${aws:username}", false);
        assert!(!t.has_variables());
        assert_eq!(t.resolve(&ctx()).unwrap().to_text(), "home/${aws:username}");
    }

    #[test]
    fn unclosed_variable_is_text() {
        assert_eq!(text("a${aws:username").as_deref(), Some("a${aws:username"));
    }
}
