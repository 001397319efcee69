//! Work shared across the cores while loading: each thread takes the heaviest
//! item no thread has taken yet, so one large account file is never left for
//! last while the other threads idle; results come back in the items' order.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Below this much work (bytes, for files) everything runs on the calling
/// thread: starting threads costs more than reading a few small files,
/// which tests and fuzzers load thousands of times.
const PARALLEL_WORK: u64 = 256 * 1024;

/// `work` applied to every item, on as many threads as there are cores,
/// heaviest first by `weight`; the results in the order of `items`. Light
/// work ([`PARALLEL_WORK`] in all) stays on the calling thread.
pub fn map_heaviest_first<'a, T: Sync, U: Send>(
    items: &'a [T],
    weight: impl Fn(&T) -> u64,
    work: impl Fn(&'a T) -> U + Sync,
) -> Vec<U> {
    // Weighed before asking for the cores: `available_parallelism` reads
    // the cgroup files on Linux, which costs more than loading a small file.
    let total: u64 = items.iter().map(&weight).sum();
    if items.len() < 2 || total < PARALLEL_WORK {
        return items.iter().map(work).collect();
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len())
        .max(1);
    if threads == 1 {
        return items.iter().map(work).collect();
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(weight(&items[i])));
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<U>> = Vec::new();
    slots.resize_with(items.len(), || None);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        mine.push((i, work(&items[i])));
                    }
                    mine
                })
            })
            .collect();
        for worker in workers {
            // A panic in a worker is a bug; carry it to the caller.
            let done = worker
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            for (i, result) in done {
                slots[i] = Some(result);
            }
        }
    });
    slots.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_the_items_order_whatever_their_weight() {
        // Weights large enough to be shared across threads.
        let items: Vec<u64> = (0..100).map(|i| (i * 37) % 101 * 10_000).collect();
        let doubled = map_heaviest_first(&items, |&n| n, |&n| n * 2);
        assert_eq!(doubled, items.iter().map(|n| n * 2).collect::<Vec<_>>());
        assert!(map_heaviest_first(&[] as &[u64], |&n| n, |&n| n).is_empty());
    }
}
