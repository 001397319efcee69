//! IAM wildcard patterns: `*` matches any run of characters (including `:` and `/`),
//! `?` matches exactly one character.
//!
//! AWS matches actions case-insensitively and resources case-sensitively
//! (IAM JSON policy reference, "Action" and "Resource" elements), so the
//! case rule is a property of the pattern, fixed when it is compiled.
//!
//! A pattern is a sequence of tokens rather than a string because text that
//! comes from a policy variable (`${aws:username}`) or from the escapes `${*}`
//! and `${?}` is literal: a user named `a*` must not become a wildcard.

/// One element of a compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum GlobToken {
    /// Literal text, compared byte for byte (ASCII case folded when the
    /// pattern is case-insensitive).
    Text(String),
    /// `*`: any run of characters, possibly empty.
    AnyRun,
    /// `?`: exactly one character.
    AnyChar,
}

/// Whether letters must match in case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CaseRule {
    Sensitive,
    Insensitive,
}

/// A compiled wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Glob {
    tokens: Vec<GlobToken>,
    case: CaseRule,
}

impl Glob {
    /// Compiles `pattern`, reading `*` and `?` as wildcards.
    pub fn new(pattern: &str, case: CaseRule) -> Self {
        let mut builder = GlobBuilder::new(case);
        builder.push_pattern(pattern);
        builder.finish()
    }

    /// A pattern that matches exactly `text` (no wildcards).
    pub fn literal(text: &str, case: CaseRule) -> Self {
        let mut builder = GlobBuilder::new(case);
        builder.push_literal(text);
        builder.finish()
    }

    pub fn tokens(&self) -> &[GlobToken] {
        &self.tokens
    }

    /// True when the pattern has no wildcard at all.
    pub fn is_literal(&self) -> bool {
        self.tokens.iter().all(|t| matches!(t, GlobToken::Text(_)))
    }

    /// True when the pattern is exactly `*`.
    pub fn is_match_all(&self) -> bool {
        self.tokens == [GlobToken::AnyRun]
    }

    /// Tests `text` against the whole pattern.
    pub fn matches(&self, text: &str) -> bool {
        match_tokens(&self.tokens, text.as_bytes(), self.case)
    }
}

/// Builds a pattern from pieces of wildcard text and literal text.
#[derive(Debug)]
pub struct GlobBuilder {
    tokens: Vec<GlobToken>,
    case: CaseRule,
}

impl GlobBuilder {
    pub fn new(case: CaseRule) -> Self {
        GlobBuilder {
            tokens: Vec::new(),
            case,
        }
    }

    /// Appends text in which `*` and `?` are wildcards.
    pub fn push_pattern(&mut self, pattern: &str) {
        let mut literal_start = 0;
        for (i, c) in pattern.char_indices() {
            if c == '*' || c == '?' {
                self.push_literal(&pattern[literal_start..i]);
                if c == '*' {
                    // Consecutive stars mean the same as one.
                    if self.tokens.last() != Some(&GlobToken::AnyRun) {
                        self.tokens.push(GlobToken::AnyRun);
                    }
                } else {
                    self.tokens.push(GlobToken::AnyChar);
                }
                literal_start = i + 1;
            }
        }
        self.push_literal(&pattern[literal_start..]);
    }

    /// Appends text matched literally.
    pub fn push_literal(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let folded = match self.case {
            CaseRule::Sensitive => text.to_string(),
            CaseRule::Insensitive => text.to_ascii_lowercase(),
        };
        if let Some(GlobToken::Text(previous)) = self.tokens.last_mut() {
            previous.push_str(&folded);
        } else {
            self.tokens.push(GlobToken::Text(folded));
        }
    }

    pub fn finish(self) -> Glob {
        Glob {
            tokens: self.tokens,
            case: self.case,
        }
    }
}

fn text_matches_at(token: &str, text: &[u8], at: usize, case: CaseRule) -> bool {
    let token = token.as_bytes();
    if at + token.len() > text.len() {
        return false;
    }
    let window = &text[at..at + token.len()];
    match case {
        CaseRule::Sensitive => window == token,
        CaseRule::Insensitive => window.eq_ignore_ascii_case(token),
    }
}

/// Length in bytes of the UTF-8 character starting at `at`.
fn char_len_at(text: &[u8], at: usize) -> usize {
    let mut len = 1;
    while at + len < text.len() && (text[at + len] & 0xC0) == 0x80 {
        len += 1;
    }
    len
}

/// A token as matching reads it: text borrowed from a compiled pattern, or
/// from a variable's value substituted at match time (never a wildcard).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenView<'a> {
    Text(&'a str),
    AnyRun,
    AnyChar,
}

impl GlobToken {
    pub fn view(&self) -> TokenView<'_> {
        match self {
            GlobToken::Text(t) => TokenView::Text(t),
            GlobToken::AnyRun => TokenView::AnyRun,
            GlobToken::AnyChar => TokenView::AnyChar,
        }
    }
}

fn match_tokens(tokens: &[GlobToken], text: &[u8], case: CaseRule) -> bool {
    match_views(tokens.len(), |i| tokens[i].view(), text, case)
}

/// Matches `text` against the `count` tokens `token(0..count)`, with
/// single-star backtracking: on a mismatch, retry from the last `*` with one
/// more character swallowed. Linear in practice, quadratic at worst.
pub fn match_views<'a>(
    count: usize,
    token: impl Fn(usize) -> TokenView<'a>,
    text: &[u8],
    case: CaseRule,
) -> bool {
    let mut ti = 0; // token index
    let mut pos = 0; // byte position in text
    let mut backtrack: Option<(usize, usize)> = None; // (token after star, text position)
    loop {
        if ti < count {
            match token(ti) {
                TokenView::AnyRun => {
                    ti += 1;
                    if ti == count {
                        return true;
                    }
                    backtrack = Some((ti, pos));
                    continue;
                }
                TokenView::AnyChar if pos < text.len() => {
                    pos += char_len_at(text, pos);
                    ti += 1;
                    continue;
                }
                TokenView::Text(t) if text_matches_at(t, text, pos, case) => {
                    pos += t.len();
                    ti += 1;
                    continue;
                }
                _ => {}
            }
        } else if pos == text.len() {
            return true;
        }
        match backtrack {
            Some((resume, star_pos)) if star_pos < text.len() => {
                let next = star_pos + char_len_at(text, star_pos);
                backtrack = Some((resume, next));
                ti = resume;
                pos = next;
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sensitive(p: &str, t: &str) -> bool {
        Glob::new(p, CaseRule::Sensitive).matches(t)
    }

    #[test]
    fn star_matches_any_run_including_separators() {
        assert!(sensitive("*", ""));
        assert!(sensitive("*", "arn:aws:s3:::bucket/key"));
        assert!(sensitive(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket/a/b/c"
        ));
        assert!(sensitive(
            "arn:aws:ec2:*:111111111111:instance/*",
            "arn:aws:ec2:eu-west-1:111111111111:instance/i-1"
        ));
        assert!(!sensitive("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket"));
        assert!(sensitive("a*b*c", "aXXbYYc"));
        assert!(!sensitive("a*b*c", "aXXbYY"));
        assert!(sensitive("*abc", "ababc"));
    }

    #[test]
    fn question_mark_is_exactly_one_character() {
        assert!(sensitive("a?c", "abc"));
        assert!(!sensitive("a?c", "ac"));
        assert!(!sensitive("a?c", "abbc"));
        assert!(sensitive("a?c", "aéc"), "one multi-byte character");
    }

    #[test]
    fn case_rule_is_honoured() {
        assert!(!sensitive(
            "arn:aws:iam::1:user/Bob",
            "arn:aws:iam::1:user/bob"
        ));
        let action = Glob::new("IAM:List*", CaseRule::Insensitive);
        assert!(action.matches("iam:listaccesskeys"));
        assert!(action.matches("Iam:ListUsers"));
        assert!(!action.matches("iam:GetUser"));
    }

    #[test]
    fn literal_text_is_never_a_wildcard() {
        let mut b = GlobBuilder::new(CaseRule::Sensitive);
        b.push_pattern("home/");
        b.push_literal("a*");
        b.push_pattern("/*");
        let g = b.finish();
        assert!(g.matches("home/a*/file"));
        assert!(!g.matches("home/abc/file"));
        assert!(Glob::literal("x?", CaseRule::Sensitive).matches("x?"));
        assert!(!Glob::literal("x?", CaseRule::Sensitive).matches("xy"));
    }

    #[test]
    fn pathological_patterns_terminate() {
        let p = "*a*a*a*a*a*a*a*a*b";
        let t = "a".repeat(200);
        assert!(!sensitive(p, &t));
    }
}
