//! Numbers written in decimal without the formatting machinery (`write!` costs a tenth of a
//! second on a million entries' link keys and line numbers).

/// Room for any `usize` in decimal.
pub(crate) type Digits = [u8; 20];

/// `n` in decimal, written into the end of `digits`.
pub(crate) fn decimal(n: usize, digits: &mut Digits) -> &str {
    let mut start = digits.len();
    let mut n = n;
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&digits[start..]).expect("ASCII digits")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn decimal_is_to_string(n: usize) {
            let mut digits = [0; 20];
            prop_assert_eq!(super::decimal(n, &mut digits), n.to_string());
        }
    }

    #[test]
    fn edges() {
        for n in [0, 9, 10, 99, 100, usize::MAX] {
            assert_eq!(super::decimal(n, &mut [0; 20]), n.to_string());
        }
    }
}
