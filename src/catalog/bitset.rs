//! A set of catalog actions as a bit set: 22,000 actions fit in 2.8 KB, and
//! union, intersection and difference are a few hundred word operations —
//! what makes recomputing effective permissions on every keypress cheap.

use super::ActionId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionSet {
    words: Vec<u64>,
    universe: usize,
}

impl ActionSet {
    pub fn empty(universe: usize) -> Self {
        ActionSet {
            words: vec![0; universe.div_ceil(64)],
            universe,
        }
    }

    pub fn full(universe: usize) -> Self {
        let mut set = ActionSet {
            words: vec![u64::MAX; universe.div_ceil(64)],
            universe,
        };
        set.trim();
        set
    }

    /// Clears the bits past the universe in the last word.
    fn trim(&mut self) {
        let extra = self.words.len() * 64 - self.universe;
        if extra > 0 {
            if let Some(last) = self.words.last_mut() {
                *last &= u64::MAX >> extra;
            }
        }
    }

    pub fn insert(&mut self, id: ActionId) {
        if id < self.universe {
            self.words[id / 64] |= 1 << (id % 64);
        }
    }

    pub fn remove(&mut self, id: ActionId) {
        if id < self.universe {
            self.words[id / 64] &= !(1 << (id % 64));
        }
    }

    pub fn contains(&self, id: ActionId) -> bool {
        id < self.universe && self.words[id / 64] & (1 << (id % 64)) != 0
    }

    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    pub fn union_with(&mut self, other: &ActionSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    pub fn intersect_with(&mut self, other: &ActionSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    pub fn subtract(&mut self, other: &ActionSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= !b;
        }
    }

    /// Every action not in the set (what a `NotAction` list grants).
    pub fn complement(&self) -> ActionSet {
        let mut set = ActionSet {
            words: self.words.iter().map(|w| !w).collect(),
            universe: self.universe,
        };
        set.trim();
        set
    }

    /// The ids in the set, in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = ActionId> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &word)| {
            let mut w = word;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let bit = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(i * 64 + bit)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations() {
        let mut a = ActionSet::empty(130);
        a.insert(0);
        a.insert(64);
        a.insert(129);
        a.insert(500); // outside the universe: ignored
        assert_eq!(a.iter().collect::<Vec<_>>(), vec![0, 64, 129]);
        assert_eq!(a.len(), 3);
        let full = ActionSet::full(130);
        assert_eq!(full.len(), 130);
        let c = a.complement();
        assert_eq!(c.len(), 127);
        assert!(!c.contains(64) && c.contains(65));
        let mut u = c.clone();
        u.union_with(&a);
        assert_eq!(u, full);
        let mut i = full.clone();
        i.intersect_with(&a);
        assert_eq!(i, a);
        let mut d = full;
        d.subtract(&a);
        assert_eq!(d, c);
        assert!(ActionSet::empty(10).is_empty());
    }
}
