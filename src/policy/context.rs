//! The request context: condition keys and their values.
//!
//! AWS treats condition key names case-insensitively (IAM JSON policy reference,
//! "Condition element"), so keys are stored folded to lower case, with the
//! spelling first given kept for display. Every key may carry several values;
//! a single-valued key is simply a list of one.

use std::collections::BTreeMap;

/// Condition keys and values of one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    entries: BTreeMap<String, ContextEntry>,
}

/// One key of the context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextEntry {
    /// The key as first spelled by whoever set it.
    pub key: String,
    pub values: Vec<String>,
}

impl RequestContext {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to exactly `values`, replacing what it had.
    pub fn set<I, S>(&mut self, key: &str, values: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.entries.insert(
            key.to_ascii_lowercase(),
            ContextEntry {
                key: key.to_string(),
                values: values.into_iter().map(Into::into).collect(),
            },
        );
    }

    /// Adds one value to `key`, creating the key when absent (how a
    /// `--context KEY=VALUE` given several times builds a multi-valued key).
    pub fn push(&mut self, key: &str, value: impl Into<String>) {
        self.entries
            .entry(key.to_ascii_lowercase())
            .or_insert_with(|| ContextEntry {
                key: key.to_string(),
                values: Vec::new(),
            })
            .values
            .push(value.into());
    }

    /// Sets `key` only when the caller has not set it already: keys the tool
    /// derives from the request never override what the user asked for.
    pub fn set_default<I, S>(&mut self, key: &str, values: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        // One lower-casing, not two: this runs for every derived key of every request.
        if let std::collections::btree_map::Entry::Vacant(slot) =
            self.entries.entry(key.to_ascii_lowercase())
        {
            slot.insert(ContextEntry {
                key: key.to_string(),
                values: values.into_iter().map(Into::into).collect(),
            });
        }
    }

    pub fn remove(&mut self, key: &str) {
        self.entries.remove(&key.to_ascii_lowercase());
    }

    /// The values of `key`, or `None` when the key is absent from the request.
    pub fn get(&self, key: &str) -> Option<&[String]> {
        self.entries
            .get(&key.to_ascii_lowercase())
            .map(|e| e.values.as_slice())
    }

    /// The single value of a key, as policy variables need; `None` when the
    /// key is absent or has several values.
    pub fn single(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some([one]) => Some(one.as_str()),
            _ => None,
        }
    }

    pub fn contains(&self, key: &str) -> bool {
        self.entries.contains_key(&key.to_ascii_lowercase())
    }

    /// Entries in key order, for display.
    pub fn entries(&self) -> impl Iterator<Item = &ContextEntry> {
        self.entries.values()
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
    fn defaults_never_override() {
        let mut ctx = RequestContext::new();
        ctx.set("aws:username", ["given"]);
        ctx.set_default("aws:username", ["derived"]);
        ctx.set_default("aws:userid", ["derived"]);
        assert_eq!(ctx.single("aws:username"), Some("given"));
        assert_eq!(ctx.single("aws:userid"), Some("derived"));
    }
}
