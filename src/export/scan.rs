//! Finding the next byte an escaper must change. Text to export is mostly plain, so the
//! escapers copy it in runs: this finds where a run ends, testing 32 bytes at a time without
//! stopping early, which the compiler turns into a few vector comparisons.

/// The length of the run at the start of `bytes` without a byte that `special` picks.
#[inline]
pub(crate) fn plain_run(bytes: &[u8], special: impl Fn(u8) -> bool) -> usize {
    let mut at = 0;
    for chunk in bytes.chunks_exact(32) {
        if chunk.iter().fold(false, |any, &b| any | special(b)) {
            break;
        }
        at += 32;
    }
    at + bytes[at..].iter().position(|&b| special(b)).unwrap_or(bytes.len() - at)
}

#[cfg(test)]
mod tests {
    use super::plain_run;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_run_ends_at_the_first_special_byte(bytes in proptest::collection::vec(any::<u8>(), 0..200), cut in any::<u8>()) {
            let special = |b: u8| b < cut / 4 || b == cut;
            let expected = bytes.iter().position(|&b| special(b)).unwrap_or(bytes.len());
            prop_assert_eq!(plain_run(&bytes, special), expected);
        }
    }

    #[test]
    fn runs_across_whole_chunks() {
        let mut bytes = vec![b'a'; 100];
        assert_eq!(plain_run(&bytes, |b| b == b'"'), 100);
        bytes[64] = b'"';
        assert_eq!(plain_run(&bytes, |b| b == b'"'), 64);
        bytes[31] = b'"';
        assert_eq!(plain_run(&bytes, |b| b == b'"'), 31);
        assert_eq!(plain_run(b"", |b| b == b'"'), 0);
    }
}
