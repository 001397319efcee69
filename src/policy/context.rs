//! The request context: condition keys and their values.
//!
//! AWS treats condition key names case-insensitively (IAM JSON policy reference,
//! "Condition element"), so keys are ordered by their lower-case form, with the
//! spelling first given kept for display; a lookup in any case allocates
//! nothing. Every key may carry several values; a single-valued key is simply
//! a list of one.
//!
//! An evaluation reads keys through [`ContextKeys`]: either a plain
//! [`RequestContext`], or [`RequestKeys`], which layers the keys the caller
//! gave over those derived from the principal without copying either, so that
//! one decision costs no map building.

use std::cell::OnceCell;

use crate::pattern::folded::{find_folded, search_folded};

/// Condition keys and values of one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    /// Sorted by the lower-case key, which is stored first.
    entries: Vec<(String, ContextEntry)>,
}

/// One key of the context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextEntry {
    /// The key as first spelled by whoever set it.
    pub key: String,
    pub values: Vec<String>,
}

/// Read access to condition keys, whatever holds them.
pub trait ContextKeys {
    /// The values of `key` (in any case), or `None` when the key is absent.
    fn get(&self, key: &str) -> Option<&[String]>;

    /// The single value of a key, as policy variables need; `None` when the
    /// key is absent or has several values.
    fn single(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some([one]) => Some(one.as_str()),
            _ => None,
        }
    }

    fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

impl RequestContext {
    pub fn new() -> Self {
        Self::default()
    }

    /// Where `key` is, or would be inserted.
    fn position(&self, key: &str) -> Result<usize, usize> {
        search_folded(&self.entries, |(folded, _)| folded, key)
    }

    fn insert_at(&mut self, at: usize, key: &str, values: Vec<String>) {
        self.entries.insert(
            at,
            (
                key.to_ascii_lowercase(),
                ContextEntry {
                    key: key.to_string(),
                    values,
                },
            ),
        );
    }

    /// Sets `key` to exactly `values`, replacing what it had.
    pub fn set<I, S>(&mut self, key: &str, values: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let values = values.into_iter().map(Into::into).collect();
        match self.position(key) {
            Ok(at) => {
                self.entries[at].1 = ContextEntry {
                    key: key.to_string(),
                    values,
                }
            }
            Err(at) => self.insert_at(at, key, values),
        }
    }

    /// Adds one value to `key`, creating the key when absent (how a
    /// `--context KEY=VALUE` given several times builds a multi-valued key).
    pub fn push(&mut self, key: &str, value: impl Into<String>) {
        match self.position(key) {
            Ok(at) => self.entries[at].1.values.push(value.into()),
            Err(at) => self.insert_at(at, key, vec![value.into()]),
        }
    }

    /// Sets `key` only when the caller has not set it already: keys the tool
    /// derives from the request never override what the user asked for.
    pub fn set_default<I, S>(&mut self, key: &str, values: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        if let Err(at) = self.position(key) {
            self.insert_at(at, key, values.into_iter().map(Into::into).collect());
        }
    }

    pub fn remove(&mut self, key: &str) {
        if let Ok(at) = self.position(key) {
            self.entries.remove(at);
        }
    }

    /// The values of `key`, or `None` when the key is absent from the request.
    pub fn get(&self, key: &str) -> Option<&[String]> {
        find_folded(&self.entries, |(folded, _)| folded, key)
            .map(|at| self.entries[at].1.values.as_slice())
    }

    /// The single value of a key; `None` when absent or multi-valued.
    pub fn single(&self, key: &str) -> Option<&str> {
        ContextKeys::single(self, key)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries in key order, for display.
    pub fn entries(&self) -> impl Iterator<Item = &ContextEntry> {
        self.entries.iter().map(|(_, entry)| entry)
    }
}

impl ContextKeys for RequestContext {
    fn get(&self, key: &str) -> Option<&[String]> {
        RequestContext::get(self, key)
    }
}

/// The keys of one request as the evaluation reads them: what the caller
/// gave, over what the principal implies, over the request time
/// (`aws:CurrentTime`, `aws:EpochTime`, written only if a policy asks).
pub struct RequestKeys<'a> {
    given: &'a RequestContext,
    derived: &'a dyn ContextKeys,
    now_epoch: i64,
    current_time: OnceCell<[String; 1]>,
    epoch_time: OnceCell<[String; 1]>,
}

/// The request-time keys, as AWS spells them.
pub const TIME_KEYS: [&str; 2] = ["aws:CurrentTime", "aws:EpochTime"];

impl<'a> RequestKeys<'a> {
    pub fn new(given: &'a RequestContext, derived: &'a dyn ContextKeys, now_epoch: i64) -> Self {
        RequestKeys {
            given,
            derived,
            now_epoch,
            current_time: OnceCell::new(),
            epoch_time: OnceCell::new(),
        }
    }

    /// The value of a request-time key at `now_epoch`.
    pub fn time_value(key: &str, now_epoch: i64) -> Option<String> {
        if key.eq_ignore_ascii_case(TIME_KEYS[0]) {
            Some(super::date::format_iso(now_epoch))
        } else if key.eq_ignore_ascii_case(TIME_KEYS[1]) {
            Some(now_epoch.to_string())
        } else {
            None
        }
    }
}

impl ContextKeys for RequestKeys<'_> {
    fn get(&self, key: &str) -> Option<&[String]> {
        if let Some(values) = self.given.get(key).or_else(|| self.derived.get(key)) {
            return Some(values);
        }
        let cell = if key.eq_ignore_ascii_case(TIME_KEYS[0]) {
            &self.current_time
        } else if key.eq_ignore_ascii_case(TIME_KEYS[1]) {
            &self.epoch_time
        } else {
            return None;
        };
        let values =
            cell.get_or_init(|| [Self::time_value(key, self.now_epoch).unwrap_or_default()]);
        Some(values.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive() {
        let mut ctx = RequestContext::new();
        ctx.set("aws:PrincipalTag/Team", ["blue"]);
        assert_eq!(
            ctx.get("AWS:principaltag/team"),
            Some(&["blue".to_string()][..])
        );
        assert_eq!(ctx.single("aws:principaltag/TEAM"), Some("blue"));
    }

    #[test]
    fn push_builds_multi_valued_keys() {
        let mut ctx = RequestContext::new();
        ctx.push("aws:TagKeys", "a");
        ctx.push("aws:tagkeys", "b");
        assert_eq!(ctx.get("aws:TagKeys").map(|v| v.len()), Some(2));
        assert_eq!(ctx.single("aws:TagKeys"), None);
    }

    #[test]
    fn keys_stay_in_order_whatever_their_case() {
        let mut ctx = RequestContext::new();
        for key in ["b", "A", "c", "B", "a"] {
            ctx.push(key, key);
        }
        let keys: Vec<&str> = ctx.entries().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["A", "b", "c"]);
        assert_eq!(ctx.get("a").map(<[String]>::len), Some(2));
        ctx.remove("B");
        assert!(!ctx.contains("b"));
    }

    #[test]
    fn layered_keys_prefer_what_the_caller_gave() {
        let mut given = RequestContext::new();
        given.set("aws:username", ["given"]);
        given.set("aws:EpochTime", ["1"]);
        let mut derived = RequestContext::new();
        derived.set("aws:username", ["derived"]);
        derived.set("aws:userid", ["AIDA"]);
        let keys = RequestKeys::new(&given, &derived, 1_767_225_600);
        assert_eq!(keys.single("AWS:UserName"), Some("given"));
        assert_eq!(keys.single("aws:userid"), Some("AIDA"));
        assert_eq!(keys.single("aws:epochtime"), Some("1"));
        assert_eq!(keys.single("aws:CurrentTime"), Some("2026-01-01T00:00:00Z"));
        assert!(!keys.contains("aws:SourceIp"));
    }

    #[test]
    fn defaults_never_override() {
        let mut ctx = RequestContext::new();
        ctx.set("aws:username", ["given"]);
        ctx.set_default("aws:username", ["derived"]);
        ctx.set_default("aws:userid", ["derived"]);
        assert_eq!(ctx.single("aws:username"), Some("given"));
        assert_eq!(ctx.single("aws:userid"), Some("derived"));
    }
}
