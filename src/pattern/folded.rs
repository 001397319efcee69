//! Lookups in short lists sorted by a lower-case key, for text in any case:
//! a policy's services, a request's context keys. IAM compares action names
//! and condition keys case-insensitively (IAM JSON policy reference,
//! "Action" and "Condition" elements).

use std::cmp::Ordering;

/// Binary search of `items`, sorted by their lower-case `key`, for `text` in
/// any case. (Comparing byte by byte inline is as fast here as a plain
/// comparison of pre-folded text: keys are short and `memcmp` calls cost more.)
pub fn search_folded<T>(
    items: &[T],
    key: impl Fn(&T) -> &String,
    text: &str,
) -> Result<usize, usize> {
    items.binary_search_by(|item| compare_folded(key(item), text))
}

/// Where `text` (in any case) is among `items` sorted by lower-case `key`.
/// Short lists (a policy's services, a request's keys) are scanned: keys of
/// another length are passed over without reading them.
pub fn find_folded<T>(items: &[T], key: impl Fn(&T) -> &String, text: &str) -> Option<usize> {
    if items.len() <= 16 {
        items
            .iter()
            .position(|item| key(item).eq_ignore_ascii_case(text))
    } else {
        search_folded(items, key, text).ok()
    }
}

/// Orders a lower-case key against `text` as if `text` were lower case,
/// without allocating a lower-case copy of it.
pub fn compare_folded(folded: &str, text: &str) -> Ordering {
    folded
        .bytes()
        .cmp(text.bytes().map(|b| b.to_ascii_lowercase()))
}
