//! A list that a fuzzy filter narrows, keeping the original order so a room
//! never sees rows jump about; matched characters are remembered for
//! highlighting.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

/// One visible row: the item's index and the matched character positions
/// (char indices, as fuzzy-matcher returns them, not byte offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visible {
    pub item: usize,
    pub matched: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct FilterList {
    labels: Vec<String>,
    visible: Vec<Visible>,
    selected: usize,
    filter: String,
}

impl FilterList {
    pub fn new(labels: Vec<String>) -> Self {
        let visible = (0..labels.len())
            .map(|item| Visible {
                item,
                matched: Vec::new(),
            })
            .collect();
        FilterList {
            labels,
            visible,
            selected: 0,
            filter: String::new(),
        }
    }

    /// The label of item `item` (as matched and shown).
    pub fn label(&self, item: usize) -> &str {
        self.labels.get(item).map_or("", String::as_str)
    }

    pub fn filter(&self) -> &str {
        &self.filter
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    pub fn visible(&self) -> &[Visible] {
        &self.visible
    }

    /// The selected position among the visible rows.
    pub fn selected_row(&self) -> usize {
        self.selected
    }

    /// The selected item's index in the full list.
    pub fn selected(&self) -> Option<usize> {
        self.visible.get(self.selected).map(|v| v.item)
    }

    /// Narrows the list to items matching `filter`, keeping the selection on
    /// the same item when it stays visible.
    pub fn set_filter(&mut self, filter: &str) {
        let keep = self.selected();
        self.filter = filter.to_string();
        if filter.is_empty() {
            self.visible = (0..self.labels.len())
                .map(|item| Visible {
                    item,
                    matched: Vec::new(),
                })
                .collect();
        } else {
            let matcher = SkimMatcherV2::default().ignore_case();
            self.visible = self
                .labels
                .iter()
                .enumerate()
                .filter_map(|(item, label)| {
                    matcher
                        .fuzzy_indices(label, filter)
                        .map(|(_, matched)| Visible { item, matched })
                })
                .collect();
        }
        self.selected = keep
            .and_then(|k| self.visible.iter().position(|v| v.item == k))
            .unwrap_or(0);
    }

    pub fn select_row(&mut self, row: usize) {
        if !self.visible.is_empty() {
            self.selected = row.min(self.visible.len() - 1);
        }
    }

    /// Moves the selection by `delta` rows, stopping at the ends.
    pub fn move_by(&mut self, delta: isize) {
        if self.visible.is_empty() {
            return;
        }
        let last = self.visible.len() as isize - 1;
        self.selected = (self.selected as isize + delta).clamp(0, last) as usize;
    }

    pub fn select_first(&mut self) {
        self.selected = 0;
    }

    pub fn select_last(&mut self) {
        self.selected = self.visible.len().saturating_sub(1);
    }

    /// Selects the item with index `item`, if visible.
    pub fn select_item(&mut self, item: usize) -> bool {
        match self.visible.iter().position(|v| v.item == item) {
            Some(row) => {
                self.selected = row;
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_keep_order_and_selection() {
        let mut list = FilterList::new(vec![
            "alice".into(),
            "bob".into(),
            "carol".into(),
            "dave".into(),
        ]);
        list.move_by(2);
        assert_eq!(list.selected(), Some(2));
        list.set_filter("a");
        let items: Vec<usize> = list.visible().iter().map(|v| v.item).collect();
        assert_eq!(items, vec![0, 2, 3]);
        assert_eq!(list.selected(), Some(2), "carol stays selected");
        list.set_filter("ce");
        assert_eq!(list.visible().len(), 1);
        assert_eq!(list.visible()[0].matched, vec![3, 4]);
        list.set_filter("zz");
        assert_eq!(list.selected(), None);
        list.move_by(1);
        list.set_filter("");
        assert_eq!(list.visible().len(), 4);
        list.move_by(100);
        assert_eq!(list.selected(), Some(3));
        list.move_by(-100);
        assert_eq!(list.selected(), Some(0));
    }
}
