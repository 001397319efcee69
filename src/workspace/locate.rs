//! Finding where a JSON path points in the original text, for
//! `file:line:column` messages.
//!
//! Problems are rare, so positions are not tracked while loading (which would
//! slow every load); instead the text is scanned again for the few paths that
//! need a position. When the path leads to a key that is missing, the position
//! of the deepest value found is returned.

use crate::policy::problem::{JsonPath, PathSegment};

/// A 1-based line and column (columns count characters).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The position of the value at `path` in `text`, or of its closest existing ancestor.
pub fn locate(text: &str, path: &JsonPath) -> Position {
    let bytes = text.as_bytes();
    let mut scanner = Scanner { bytes, pos: 0 };
    scanner.skip_whitespace();
    let mut found = scanner.pos;
    for segment in path.segments() {
        let next = match segment {
            PathSegment::Key(key) => scanner.find_member(key),
            PathSegment::Index(index) => scanner.find_element(*index),
        };
        match next {
            Some(pos) => {
                scanner.pos = pos;
                found = pos;
            }
            None => break,
        }
    }
    position_of(text, found)
}

/// The positions of many paths in one text (a file's problems, which come
/// mostly in the order of the text): the walk of the previous path is
/// remembered step by step, so the steps a path shares with it are not
/// walked again, and line starts are indexed once. A file with many
/// problems then costs about one scan instead of one per problem. Every
/// answer is [`locate`]'s.
pub struct Locator<'t> {
    text: &'t str,
    /// The previous path's steps, each with the value its walk reached
    /// (`None`: the walk stopped there).
    walked: Vec<(PathSegment, Option<usize>)>,
    /// The byte offset of each line's start, built at the first position.
    line_starts: Vec<usize>,
}

impl<'t> Locator<'t> {
    pub fn new(text: &'t str) -> Self {
        Locator {
            text,
            walked: Vec::new(),
            line_starts: Vec::new(),
        }
    }

    /// [`locate`]`(text, path)`.
    pub fn locate(&mut self, path: &JsonPath) -> Position {
        let bytes = self.text.as_bytes();
        let mut scanner = Scanner { bytes, pos: 0 };
        scanner.skip_whitespace();
        let mut found = scanner.pos;
        let segments = path.segments();
        let shared = self
            .walked
            .iter()
            .zip(segments)
            .take_while(|((walked, _), segment)| walked == *segment)
            .count();
        self.walked.truncate(shared);
        for (i, segment) in segments.iter().enumerate() {
            let next = match self.walked.get(i) {
                Some((_, next)) => *next,
                None => {
                    let mut scanner = Scanner { bytes, pos: found };
                    let next = match segment {
                        PathSegment::Key(key) => scanner.find_member(key),
                        PathSegment::Index(index) => scanner.find_element(*index),
                    };
                    self.walked.push((segment.clone(), next));
                    next
                }
            };
            match next {
                Some(pos) => found = pos,
                None => break,
            }
        }
        self.position_of(found)
    }

    /// [`position_of`]`(text, offset)`, with the line found in the index.
    fn position_of(&mut self, offset: usize) -> Position {
        let text = self.text;
        let offset = offset.min(text.len());
        if !text.is_char_boundary(offset) {
            return position_of(text, offset);
        }
        if self.line_starts.is_empty() {
            self.line_starts.push(0);
            self.line_starts
                .extend(text.match_indices('\n').map(|(i, _)| i + 1));
        }
        // Lines starting at or before `offset`: a newline at `offset` itself
        // starts the next line after it.
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        let column = text[line_start..offset].chars().count() + 1;
        Position { line, column }
    }
}

/// The byte range of the value at `path`, when the path exists.
pub fn locate_span(text: &str, path: &JsonPath) -> Option<std::ops::Range<usize>> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
    };
    scanner.skip_whitespace();
    for segment in path.segments() {
        scanner.pos = match segment {
            PathSegment::Key(key) => scanner.find_member(key)?,
            PathSegment::Index(index) => scanner.find_element(*index)?,
        };
    }
    let start = scanner.pos;
    scanner.skip_value(0)?;
    Some(start..scanner.pos)
}

/// Converts a byte offset into a line and column.
pub fn position_of(text: &str, offset: usize) -> Position {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Position { line, column }
}

/// Where serde_json stopped reading `text`, as a [`Position`] like every
/// other diagnostic's: serde counts columns in bytes and reports column 0 at
/// the very start of a line (end of file after a newline), while positions
/// here count characters from 1. `None` when serde gives no line.
pub fn json_error_position(text: &str, e: &serde_json::Error) -> Option<Position> {
    if e.line() == 0 {
        return None;
    }
    let line_text = text.split('\n').nth(e.line() - 1).unwrap_or_default();
    let bytes_before = e.column().saturating_sub(1).min(line_text.len());
    let column = String::from_utf8_lossy(&line_text.as_bytes()[..bytes_before])
        .chars()
        .count()
        + 1;
    Some(Position {
        line: e.line(),
        column,
    })
}

/// serde_json's message without its trailing " at line L column C", since
/// the position is shown in front, in characters (see [`json_error_position`]).
pub fn json_error_message(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    }
}

/// Depth limit for skipping values: deeper text is treated as unreadable.
const MAX_DEPTH: usize = 256;

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn skip_whitespace(&mut self) {
        while self.pos < self.bytes.len() && self.bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// With `pos` at an object, finds `key` and returns the start of its
    /// value. A key given twice is found at its last occurrence: serde_json
    /// keeps the last value, so that is the one a problem was found in.
    fn find_member(&mut self, key: &str) -> Option<usize> {
        if self.peek() != Some(b'{') {
            return None;
        }
        self.pos += 1;
        let mut found = None;
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return found;
            }
            let Some(name) = self.read_string() else {
                return found;
            };
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return found;
            }
            self.pos += 1;
            self.skip_whitespace();
            if name == key {
                found = Some(self.pos);
            }
            if self.skip_value(0).is_none() {
                return found;
            }
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                _ => return found,
            }
        }
    }

    /// With `pos` at an array, returns the start of element `index`.
    fn find_element(&mut self, index: usize) -> Option<usize> {
        if self.peek() != Some(b'[') {
            return None;
        }
        self.pos += 1;
        for _ in 0..index {
            self.skip_whitespace();
            self.skip_value(0)?;
            self.skip_whitespace();
            if self.peek() != Some(b',') {
                return None;
            }
            self.pos += 1;
        }
        self.skip_whitespace();
        match self.peek() {
            Some(b']') | None => None,
            Some(_) => Some(self.pos),
        }
    }

    /// Reads a string at `pos`, decoding escapes.
    fn read_string(&mut self) -> Option<String> {
        let start = self.pos;
        self.skip_string()?;
        let raw = std::str::from_utf8(&self.bytes[start..self.pos]).ok()?;
        serde_json::from_str::<String>(raw).ok()
    }

    fn skip_string(&mut self) -> Option<()> {
        self.pos += 1; // opening quote
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'\\' => self.pos += 1,
                b'"' => return Some(()),
                _ => {}
            }
        }
        None
    }

    fn skip_value(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => self.skip_string(),
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.pos += 1;
                loop {
                    self.skip_whitespace();
                    match self.peek()? {
                        c if c == close => {
                            self.pos += 1;
                            return Some(());
                        }
                        b',' | b':' => self.pos += 1,
                        _ => self.skip_value(depth + 1)?,
                    }
                }
            }
            _ => {
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace() {
                        break;
                    }
                    self.pos += 1;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"{
  "UserDetailList": [
    {"UserName": "a", "Tags": []},
    {
      "UserName": "b\"q",
      "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": {"Statement": [{"Effect": "Permit"}]}}]
    }
  ]
}"#;

    fn at(path: JsonPath) -> (usize, usize) {
        let p = locate(TEXT, &path);
        (p.line, p.column)
    }

    #[test]
    fn finds_nested_values() {
        let users = JsonPath::root().key("UserDetailList");
        assert_eq!(at(users.clone()), (2, 21));
        assert_eq!(at(users.index(1).key("UserName")), (5, 19));
        let effect = users
            .index(1)
            .key("UserPolicyList")
            .index(0)
            .key("PolicyDocument")
            .key("Statement")
            .index(0)
            .key("Effect");
        assert_eq!(at(effect), (6, 90));
    }

    #[test]
    fn missing_keys_fall_back_to_the_closest_ancestor() {
        let path = JsonPath::root()
            .key("UserDetailList")
            .index(0)
            .key("Missing");
        assert_eq!(at(path), (3, 5));
        let path = JsonPath::root().key("UserDetailList").index(7);
        assert_eq!(at(path), (2, 21));
    }

    #[test]
    fn a_repeated_key_is_found_where_serde_reads_it() {
        // serde_json keeps the last "Effect", so its problem is on line 3.
        let text = "{\"Effect\": \"Allow\",\n \"Action\": \"s3:*\",\n \"Effect\": \"Permit\"}";
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(value["Effect"], "Permit");
        let p = locate(text, &JsonPath::root().key("Effect"));
        assert_eq!((p.line, p.column), (3, 12));
    }

    #[test]
    fn spans_cover_whole_values() {
        let path = JsonPath::root().key("UserDetailList").index(0);
        let span = locate_span(TEXT, &path).unwrap();
        assert_eq!(&TEXT[span], r#"{"UserName": "a", "Tags": []}"#);
        assert!(locate_span(TEXT, &JsonPath::root().key("Nope")).is_none());
    }

    /// Every path up to depth 4 over the keys and indexes the texts use.
    fn paths() -> Vec<JsonPath> {
        let steps: Vec<PathSegment> = [
            "UserDetailList",
            "UserName",
            "UserPolicyList",
            "PolicyDocument",
            "Statement",
            "Effect",
            "a",
            "é",
            "Missing",
        ]
        .iter()
        .map(|k| PathSegment::Key(k.to_string()))
        .chain((0..3).map(PathSegment::Index))
        .collect();
        let mut all = vec![JsonPath::root()];
        let mut last = vec![JsonPath::root()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for path in &last {
                for step in &steps {
                    let mut longer = path.clone();
                    longer.0.push(step.clone());
                    next.push(longer);
                }
            }
            all.extend(next.iter().cloned());
            last = next;
        }
        all
    }

    #[test]
    fn a_locator_answers_as_locate_does_for_every_path_in_any_order() {
        let texts = [
            TEXT,
            "{\"a\": [1, {\"é\": \"ü\\n\"}, [\"x\"]], \"a\": [{\"é\": [0, 1, 2]}, \"ü\", 3]}",
            "  \n\n {\"é\":\n[ \"\\u00e9\", {\"a\" :\r\n {}} ]\n}",
            "{\"a\": [1, {\"é\": \"cut",
            "[[{\"a\": 1}], {\"a\": [2, 3]}]",
            "\"é\"",
            "",
        ];
        let paths = paths();
        for text in texts {
            let mut forward = Locator::new(text);
            let mut backward = Locator::new(text);
            for path in &paths {
                assert_eq!(forward.locate(path), locate(text, path), "{text:?} {path}");
            }
            for path in paths.iter().rev() {
                assert_eq!(backward.locate(path), locate(text, path), "{text:?} {path}");
            }
        }
    }

    #[test]
    fn garbage_never_panics() {
        for text in [
            "",
            "{",
            "[",
            "{\"a\":",
            "\"unterminated",
            "{\"a\" 1}",
            "[1,",
            "{\"a\":[[[[",
        ] {
            let _ = locate(text, &JsonPath::root().key("a").index(3).key("b"));
        }
    }
}
