//! The machine's cores, and work split into runs, one thread per run, results in order.

/// The number of cores this process may use (1 when the system cannot say).
pub(crate) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// `f` of every item, each on its own thread (the first on this one), in the items' order; a
/// panic in any run goes on in the caller.
pub(crate) fn map_on_threads<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let Some((first, rest)) = items.split_first() else { return Vec::new() };
    let f = &f;
    std::thread::scope(|scope| {
        let others: Vec<_> = rest.iter().map(|item| scope.spawn(move || f(item))).collect();
        let first = f(first);
        let others = others.into_iter().map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        std::iter::once(first).chain(others).collect()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_back_in_order() {
        let items: Vec<u32> = (0..7).collect();
        assert_eq!(super::map_on_threads(&items, |&i| i * 10), [0, 10, 20, 30, 40, 50, 60]);
        assert!(super::map_on_threads(&[] as &[u32], |&i| i).is_empty());
    }
}
