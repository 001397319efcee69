//! Problems found while reading a policy, located by their JSON path so the
//! workspace loader can turn the path into `file:line:column`.

use std::fmt;

/// How serious a problem is: errors make `validate` fail, warnings do not.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One step into a JSON document.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

/// Where a value sits in a JSON document, e.g. `Statement[0].Condition`.
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct JsonPath(pub Vec<PathSegment>);

impl JsonPath {
    pub fn root() -> Self {
        JsonPath(Vec::new())
    }

    pub fn key(&self, key: &str) -> Self {
        let mut next = self.clone();
        next.0.push(PathSegment::Key(key.to_string()));
        next
    }

    pub fn index(&self, index: usize) -> Self {
        let mut next = self.clone();
        next.0.push(PathSegment::Index(index));
        next
    }

    /// `self` followed by `rest`.
    pub fn join(&self, rest: &JsonPath) -> Self {
        let mut next = self.clone();
        next.0.extend(rest.0.iter().cloned());
        next
    }

    /// The path one step up; the root's parent is the root.
    pub fn parent_or_root(&self) -> Self {
        let mut parent = self.clone();
        parent.0.pop();
        parent
    }

    pub fn segments(&self) -> &[PathSegment] {
        &self.0
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document)");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                PathSegment::Key(k) if i == 0 => write!(f, "{k}")?,
                PathSegment::Key(k) => write!(f, ".{k}")?,
                PathSegment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A problem inside one policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    /// Path relative to the document's root.
    pub path: JsonPath,
    pub message: String,
    /// Problems of the same kind and subject share a key (every action of
    /// one unknown service), so reports can show them as one line.
    pub repeat_key: Option<String>,
}

impl Problem {
    pub fn error(path: JsonPath, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            path,
            message: message.into(),
            repeat_key: None,
        }
    }

    pub fn warning(path: JsonPath, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Warning,
            path,
            message: message.into(),
            repeat_key: None,
        }
    }

    /// The same problem, with the key it repeats under.
    pub fn repeating_as(mut self, key: String) -> Self {
        self.repeat_key = Some(key);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_displays_like_a_json_accessor() {
        let p = JsonPath::root().key("Statement").index(2).key("Condition");
        assert_eq!(p.to_string(), "Statement[2].Condition");
        assert_eq!(JsonPath::root().to_string(), "(document)");
    }
}
