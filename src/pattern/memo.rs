//! Answers remembered by the text they are about, per thread.
//!
//! An organization's policies repeat the same few thousand strings hundreds
//! of thousands of times (`s3:GetObject` in every account), so work that
//! depends only on a string — compiling an action pattern, searching the
//! catalog for it — is worth doing once per distinct text. Each thread keeps
//! its own table (no lock on the loader's hot path), and a table that reaches
//! its limit starts over, so a long session or a hostile file of endless
//! distinct strings cannot grow it without end: a forgotten answer is only
//! computed again. It lives in this leaf module so that the action patterns
//! and the catalog, which both remember answers by text, can share it.

use std::cell::RefCell;
use std::collections::HashMap;

/// A table of answers by text with a size limit; meant to live in a
/// `thread_local!`.
pub struct TextMemo<V> {
    answers: RefCell<HashMap<Box<str>, V>>,
    limit: usize,
}

impl<V: Clone> TextMemo<V> {
    pub fn new(limit: usize) -> Self {
        TextMemo {
            answers: RefCell::new(HashMap::new()),
            limit,
        }
    }

    /// The answer for `text`, computed by `answer` when this thread has not
    /// remembered it (the table is not borrowed while `answer` runs).
    pub fn get_or_compute(&self, text: &str, answer: impl FnOnce() -> V) -> V {
        if let Some(known) = self.answers.borrow().get(text) {
            return known.clone();
        }
        let value = answer();
        let mut answers = self.answers.borrow_mut();
        if answers.len() >= self.limit {
            answers.clear();
        }
        answers.insert(text.into(), value.clone());
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_text_is_answered_once_until_the_table_is_full() {
        let memo = TextMemo::new(2);
        let computed = Cell::new(0);
        let answer = |text: &str| {
            memo.get_or_compute(text, || {
                computed.set(computed.get() + 1);
                text.len()
            })
        };
        assert_eq!((answer("ab"), answer("ab")), (2, 2));
        assert_eq!(computed.get(), 1);
        answer("abc");
        // Full: the next new text starts the table over.
        answer("abcd");
        answer("ab");
        assert_eq!(computed.get(), 4);
    }
}
