//! A JSON value that keeps its keys in the order they were added, and a
//! writer that prints it as the AWS CLI does (4-space indent, `": "`).
//!
//! serde_json's `Value` sorts keys (without the `preserve_order` feature) and
//! its pretty printer indents by two: neither matches a real dump, and the
//! files should read like one.

use std::borrow::Cow;

/// A JSON value whose objects keep their keys in order, as the AWS CLI prints them.
#[derive(Debug, Clone)]
pub(super) enum J {
    Bool(bool),
    Int(u64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(Cow<'static, str>, J)>),
}

/// An object under construction.
pub(super) struct O(Vec<(Cow<'static, str>, J)>);

impl O {
    pub(super) fn k(mut self, key: impl Into<Cow<'static, str>>, value: impl Into<J>) -> O {
        self.0.push((key.into(), value.into()));
        self
    }

    pub(super) fn set(&mut self, key: impl Into<Cow<'static, str>>, value: impl Into<J>) {
        self.0.push((key.into(), value.into()));
    }
}

impl J {
    pub(super) fn obj() -> O {
        O(Vec::new())
    }

    pub(super) fn strs<S: AsRef<str>>(items: &[S]) -> J {
        J::Arr(
            items
                .iter()
                .map(|s| J::Str(s.as_ref().to_string()))
                .collect(),
        )
    }

    /// One string, or a list when there are several (as people write policies).
    pub(super) fn one_or_many<S: AsRef<str>>(items: &[S]) -> J {
        if items.len() == 1 {
            J::Str(items[0].as_ref().to_string())
        } else {
            J::strs(items)
        }
    }

    pub(super) fn write(&self, out: &mut Vec<u8>, indent: usize) {
        pub(super) fn newline(out: &mut Vec<u8>, indent: usize) {
            out.push(b'\n');
            out.resize(out.len() + 4 * indent, b' ');
        }
        match self {
            J::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            J::Int(n) => out.extend_from_slice(n.to_string().as_bytes()),
            J::Str(s) => write_str(out, s),
            J::Arr(items) if items.is_empty() => out.extend_from_slice(b"[]"),
            J::Obj(fields) if fields.is_empty() => out.extend_from_slice(b"{}"),
            J::Arr(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    newline(out, indent + 1);
                    item.write(out, indent + 1);
                }
                newline(out, indent);
                out.push(b']');
            }
            J::Obj(fields) => {
                out.push(b'{');
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    newline(out, indent + 1);
                    write_str(out, key);
                    out.extend_from_slice(b": ");
                    value.write(out, indent + 1);
                }
                newline(out, indent);
                out.push(b'}');
            }
        }
    }
}

pub(super) fn write_str(out: &mut Vec<u8>, s: &str) {
    serde_json::to_writer(out, s).expect("writing to memory cannot fail");
}

impl From<O> for J {
    fn from(o: O) -> J {
        J::Obj(o.0)
    }
}
impl From<&str> for J {
    fn from(s: &str) -> J {
        J::Str(s.to_string())
    }
}
impl From<String> for J {
    fn from(s: String) -> J {
        J::Str(s)
    }
}
impl From<&String> for J {
    fn from(s: &String) -> J {
        J::Str(s.clone())
    }
}
impl From<bool> for J {
    fn from(b: bool) -> J {
        J::Bool(b)
    }
}
impl From<u64> for J {
    fn from(n: u64) -> J {
        J::Int(n)
    }
}
impl From<Vec<J>> for J {
    fn from(v: Vec<J>) -> J {
        J::Arr(v)
    }
}
