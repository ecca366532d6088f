//! Sorting big arrays on both cores.

use std::cmp::Ordering;

/// Sorts `items` by `cmp` (an unstable sort) in place on both cores: the items are split
/// around their median (`select_nth_unstable_by`, one pass or so), then each side is sorted
/// on its own thread. Merging two sorted halves instead would need a second array as large as
/// `items` (250 MB of fresh memory for a million entries' quads), and this machine pays about
/// a millisecond per megabyte to have fresh pages zeroed. Small arrays are sorted on the
/// calling thread. For comparisons that are expensive (strings), see [`sort_halves_on_two_cores`]:
/// the median split compares each item two or three times more than a merge does.
pub(super) fn sort_on_two_cores<T, F>(items: &mut [T], cmp: F)
where
    T: Send,
    F: Fn(&T, &T) -> Ordering + Sync,
{
    if items.len() < 1 << 16 {
        items.sort_unstable_by(&cmp);
        return;
    }
    let (low, _, high) = items.select_nth_unstable_by(items.len() / 2, &cmp);
    std::thread::scope(|scope| {
        scope.spawn(|| low.sort_unstable_by(&cmp));
        high.sort_unstable_by(&cmp);
    });
}

/// Sorts `items[..mid]` and `items[mid..]` by `cmp`, each on its own thread, and returns `mid`;
/// a small array is sorted whole on the calling thread (`mid` is then 0). Who reads the
/// halves in order with [`Merged`] spares the merged copy.
pub(super) fn sort_halves_on_two_cores<T, F>(items: &mut [T], cmp: F) -> usize
where
    T: Send,
    F: Fn(&T, &T) -> Ordering + Sync,
{
    if items.len() < 1 << 16 {
        items.sort_unstable_by(&cmp);
        return 0;
    }
    let mid = items.len() / 2;
    let (a, b) = items.split_at_mut(mid);
    std::thread::scope(|scope| {
        scope.spawn(|| a.sort_unstable_by(&cmp));
        b.sort_unstable_by(&cmp);
    });
    mid
}

/// The items of two sorted runs, in order (the first run's first where they are equal).
#[derive(Debug, Clone)]
pub(super) struct Merged<'a, T> {
    a: &'a [T],
    b: &'a [T],
}

impl<'a, T: Ord + Copy> Merged<'a, T> {
    /// `items[..mid]` and `items[mid..]`, each sorted, read as one sorted run.
    pub(super) fn new(items: &'a [T], mid: usize) -> Self {
        let (a, b) = items.split_at(mid);
        Merged { a, b }
    }
}

impl<T: Ord + Copy> Iterator for Merged<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let take_a = match (self.a.first(), self.b.first()) {
            (Some(x), Some(y)) => x <= y,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return None,
        };
        let run = if take_a { &mut self.a } else { &mut self.b };
        let (&first, rest) = run.split_first()?;
        *run = rest;
        Some(first)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.a.len() + self.b.len();
        (n, Some(n))
    }
}

impl<T: Ord + Copy> ExactSizeIterator for Merged<'_, T> {}

#[cfg(test)]
mod tests {
    use super::{sort_halves_on_two_cores, sort_on_two_cores, Merged};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn sorts_as_the_standard_sort(mut v in proptest::collection::vec(0u32..1000, 0..200_000)) {
            let mut expected = v.clone();
            expected.sort_unstable();
            let mut halves = v.clone();
            sort_on_two_cores(&mut v, u32::cmp);
            prop_assert_eq!(&v, &expected);
            let mid = sort_halves_on_two_cores(&mut halves, u32::cmp);
            let merged: Vec<u32> = Merged::new(&halves, mid).collect();
            prop_assert_eq!(merged, expected);
        }
    }
}
