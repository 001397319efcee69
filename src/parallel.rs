//! Mapping a slice on every core, keeping its order: who-can asks the same
//! question of 13,000 principals, and each answer is independent.

/// `f` applied to every item, on up to as many threads as there are cores,
/// each taking one contiguous chunk; the results in the items' order. A panic
/// in `f` is carried to the caller.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads_for(items.len());
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for worker in workers {
            out.extend(
                worker
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            );
        }
        out
    })
}

/// Drops `items` on every core: freeing 13,000 principals (their strings,
/// their derived keys) is a measurable share of a who-can.
pub fn drop_all<T: Send>(mut items: Vec<T>) {
    let threads = threads_for(items.len());
    if threads == 1 {
        return;
    }
    let share = items.len().div_ceil(threads);
    let mut parts = Vec::with_capacity(threads);
    while items.len() > share {
        let at = items.len() - share;
        parts.push(items.split_off(at));
    }
    std::thread::scope(|scope| {
        for part in parts {
            scope.spawn(move || drop(part));
        }
        drop(items);
    });
}

/// Below this many items per thread, starting threads costs more than it saves.
const MIN_PER_THREAD: usize = 256;

/// How many threads share `items` items: one below two threads' worth,
/// without asking for the cores (`available_parallelism` reads the cgroup
/// files on Linux, which costs more than a small job: fuzzers run one per
/// input).
fn threads_for(items: usize) -> usize {
    if items < 2 * MIN_PER_THREAD {
        return 1;
    }
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items / MIN_PER_THREAD)
        .max(1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_order_whatever_the_size() {
        for n in [0, 1, 255, 256, 511, 512, 10_000] {
            let items: Vec<usize> = (0..n).collect();
            let doubled = super::map(&items, |i| i * 2);
            assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        }
    }

    #[test]
    fn drop_all_drops_every_item() {
        for n in [0, 1, 600, 10_001] {
            let one = std::sync::Arc::new(());
            let items = vec![one.clone(); n];
            super::drop_all(items);
            assert_eq!(std::sync::Arc::strong_count(&one), 1, "{n} items");
        }
    }
}
