//! Text from the workspace, made safe to print: names, tags and Sids come
//! from untrusted files and must never reach the terminal as escape sequences.

use std::borrow::Cow;

/// Replaces control characters and bidirectional overrides with visible
/// `\u{...}` escapes.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// Levenshtein distance, for "did you mean" hints on short names.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            current.push(
                (previous[j] + cost)
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1),
            );
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::{clean, edit_distance};

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("alice", "alice"), 0);
        assert_eq!(edit_distance("alice", "alcie"), 2);
        assert_eq!(edit_distance("bob", "rob"), 1);
    }

    #[test]
    fn escapes_control_and_bidi_characters() {
        assert_eq!(clean("alice"), "alice");
        assert_eq!(clean("a\u{1b}[31mred"), "a\\u{1b}[31mred");
        assert_eq!(clean("x\u{202e}y\n"), "x\\u{202e}y\\u{a}");
    }
}
