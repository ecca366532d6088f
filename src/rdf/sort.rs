//! Sorting big arrays on both cores: each half sorted on its own thread, then merged.

use std::cmp::Ordering;

/// Sorts `items` by `cmp` (an unstable sort), each half on its own thread, then merges the
/// halves. Small arrays are sorted on the calling thread.
pub(super) fn sort_on_two_cores<T, F>(items: &mut Vec<T>, cmp: F)
where
    T: Copy + Send,
    F: Fn(&T, &T) -> Ordering + Sync,
{
    if items.len() < 1 << 16 {
        items.sort_unstable_by(&cmp);
        return;
    }
    let mid = items.len() / 2;
    let (a, b) = items.split_at_mut(mid);
    std::thread::scope(|scope| {
        scope.spawn(|| a.sort_unstable_by(&cmp));
        b.sort_unstable_by(&cmp);
    });
    let (a, b) = items.split_at(mid);
    let mut merged = Vec::with_capacity(items.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if cmp(&a[i], &b[j]) != Ordering::Greater {
            merged.push(a[i]);
            i += 1;
        } else {
            merged.push(b[j]);
            j += 1;
        }
    }
    merged.extend_from_slice(&a[i..]);
    merged.extend_from_slice(&b[j..]);
    *items = merged;
}

#[cfg(test)]
mod tests {
    use super::sort_on_two_cores;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn sorts_as_the_standard_sort(mut v in proptest::collection::vec(0u32..1000, 0..200_000)) {
            let mut expected = v.clone();
            expected.sort_unstable();
            sort_on_two_cores(&mut v, u32::cmp);
            prop_assert_eq!(v, expected);
        }
    }
}
