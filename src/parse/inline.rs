//! Inline clean-up of an item's segments: whitespace, bare URLs, `:shortcode:` emoji.

use super::Segment;
use std::borrow::Cow;

/// Trims and folds every run of whitespace into one space.
pub fn collapse_whitespace(s: &str) -> String {
    if folded(s) {
        return s.trim_matches(' ').to_owned();
    }
    join_words(s)
}

/// [`collapse_whitespace`] of [`strip_shortcodes`] of `s`, in `s` itself (or a slice of it,
/// when borrowed) when there is no shortcode to strip and no whitespace to fold (most titles and
/// descriptions): no allocation or copy.
pub fn tidy(s: Cow<'_, str>) -> Cow<'_, str> {
    let s = if s.contains(':') && has_shortcode(&s) { Cow::Owned(strip_shortcodes(&s)) } else { s };
    if !folded(&s) {
        return Cow::Owned(join_words(&s));
    }
    match s {
        Cow::Borrowed(b) => Cow::Borrowed(b.trim_matches(' ')),
        Cow::Owned(mut o) => {
            o.truncate(o.trim_end_matches(' ').len());
            let start = o.len() - o.trim_start_matches(' ').len();
            o.drain(..start);
            Cow::Owned(o)
        }
    }
}

/// Whether `s` holds a shortcode that [`strip_shortcodes`] removes.
fn has_shortcode(s: &str) -> bool {
    let bytes = s.as_bytes();
    memchr::memchr_iter(b':', bytes).any(|i| shortcode_at(bytes, i).is_some())
}

/// The words of `s` joined by single spaces.
fn join_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Whether the only whitespace in `s` is single spaces (no two together): most text, where
/// folding at most trims a space at either end. Decided eight bytes at a time (character by
/// character, as any text with a dash or an accent was, this was 6% of parsing's
/// instructions): each word gives a mask of its spaces and one of the bytes where other white
/// space could start (below 0x20, which holds '\t' to '\r', and above 0x7F, which holds the
/// lead bytes of Unicode's); only those few bytes are then looked at one by one.
fn folded(s: &str) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const fn repeat(b: u8) -> u64 {
        u64::from_le_bytes([b; 8])
    }
    let b = s.as_bytes();
    // Lead bytes and ASCII bytes start characters, so `s[i..]` is a character boundary.
    let other_space = |i: usize| match b[i] {
        c @ 0..0x80 => c.wrapping_sub(b'\t') < 5,
        0xC2 | 0xE1..=0xE3 => s[i..].chars().next().is_some_and(char::is_whitespace),
        _ => false,
    };
    let words = b.chunks_exact(8);
    // The last few bytes padded with letters, which are neither.
    let rest = words.remainder();
    let mut last = [b'a'; 8];
    last[..rest.len()].copy_from_slice(rest);
    let words = words.map(|w| <[u8; 8]>::try_from(w).expect("chunks of eight bytes"));
    let mut space_before = false;
    for (n, word) in words.chain((!rest.is_empty()).then_some(last)).enumerate() {
        let v = u64::from_le_bytes(word);
        // The high bit of each byte, set where the byte is a space: where the byte of `x`
        // is zero (adding 0x7F to its low seven bits sets its high bit, with no carry out,
        // exactly when they are not all zero).
        let x = v ^ repeat(b' ');
        let spaces = !(((x & LOW7) + LOW7) | x | LOW7);
        // Set where the byte is above 0x7F, or below 0x20 (adding 0x60 to its low seven bits
        // leaves the high bit clear).
        let mut unusual = (v & HIGH) | !((v & LOW7) + repeat(0x60)) & !v & HIGH;
        // Byte j + 1's flag moves to byte j: two spaces together in the word, or across words.
        if spaces & (spaces >> 8) != 0 || space_before && spaces & 0x80 != 0 {
            return false;
        }
        while unusual != 0 {
            if other_space(n * 8 + unusual.trailing_zeros() as usize / 8) {
                return false;
            }
            unusual &= unusual - 1;
        }
        space_before = spaces >> 63 != 0;
    }
    true
}

/// [`folded`] character by character, by its definition.
#[cfg(test)]
fn folded_chars(s: &str) -> bool {
    let mut after_space = false;
    s.chars().all(|c| {
        if c == ' ' {
            !std::mem::replace(&mut after_space, true)
        } else {
            after_space = false;
            !c.is_whitespace()
        }
    })
}

/// Removes GitHub emoji shortcodes such as `:rocket:` or `:black_small_square:`.
pub fn strip_shortcodes(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    // Text before `copied` is in `out`; colons are looked for from `from` on.
    let (mut copied, mut from) = (0, 0);
    while let Some(i) = s[from..].find(':').map(|i| from + i) {
        match shortcode_at(bytes, i) {
            Some(len) => {
                out.push_str(&s[copied..i]);
                copied = i + len;
                from = copied;
            }
            None => from = i + 1,
        }
    }
    out.push_str(&s[copied..]);
    out
}

/// The length of the shortcode (`:name:`, not glued to letters or digits on either side) that
/// starts with the colon at `bytes[i]`, if one does.
fn shortcode_at(bytes: &[u8], i: usize) -> Option<usize> {
    let rest = &bytes[i + 1..];
    let len = rest
        .iter()
        .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'+' | b'-'))
        .count();
    let after_ok = i + 1 + len + 1 >= bytes.len() || !bytes[i + len + 2].is_ascii_alphanumeric();
    let before_ok = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
    (len > 0 && rest.get(len) == Some(&b':') && after_ok && before_ok).then_some(len + 2)
}

/// A link target written without its scheme (`github.com/owner/repo`, `www.example.org`) gets
/// `https://`; anything else (relative paths, anchors, other schemes) is left as it is.
pub fn with_scheme(url: Cow<'_, str>) -> Cow<'_, str> {
    if url.contains("://") || url.starts_with(['#', '/', '.']) || url.contains(':') {
        return url;
    }
    let host = url.split('/').next().unwrap_or("");
    let has_path = url.len() > host.len();
    let labels: Vec<&str> = host.split('.').collect();
    let tld = labels.last().copied().unwrap_or("");
    let file_like = ["md", "markdown", "html", "htm", "txt", "png", "jpg", "jpeg", "gif", "svg", "pdf", "rst", "json"];
    let host_like = labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
        && !file_like.contains(&tld.to_ascii_lowercase().as_str());
    if host_like && (has_path || host.starts_with("www.")) {
        Cow::Owned(format!("https://{url}"))
    } else {
        url
    }
}

/// Normalises an item's segments: folds whitespace inside text (keeping one space at a
/// boundary), turns bare http(s) URLs in text into links, drops empty text.
pub fn normalize(segments: Vec<Segment<'_>>) -> Vec<Segment<'_>> {
    let mut out = Vec::with_capacity(segments.len());
    for seg in segments {
        match seg {
            Segment::Text(t) => split_bare_urls(t, &mut out),
            link => out.push(link),
        }
    }
    out.retain(|s| !matches!(s, Segment::Text(t) if t.is_empty()));
    out
}

/// `text[range]`: borrowed from what `text` borrows, or copied out of owned text.
fn piece<'a>(text: &Cow<'a, str>, range: std::ops::Range<usize>) -> Cow<'a, str> {
    match text {
        Cow::Borrowed(b) => Cow::Borrowed(&b[range]),
        Cow::Owned(o) => Cow::Owned(o[range].to_owned()),
    }
}

fn push_text<'a>(t: Cow<'a, str>, out: &mut Vec<Segment<'a>>) {
    // Folded text keeps its one space at either end: it stays as it is.
    if folded(&t) {
        out.push(Segment::Text(t));
        return;
    }
    let mut c = join_words(&t);
    if t.starts_with(char::is_whitespace) && !c.is_empty() {
        c.insert(0, ' ');
    }
    if t.ends_with(char::is_whitespace) || (c.is_empty() && !t.is_empty()) {
        c.push(' ');
    }
    out.push(Segment::Text(Cow::Owned(c)));
}

fn split_bare_urls<'a>(text: Cow<'a, str>, out: &mut Vec<Segment<'a>>) {
    // Offsets into `text`: what is left to look at starts at `at`.
    let mut at = 0;
    while let Some(start) = find_url_start(&text[at..]) {
        let rest = &text[at..];
        let tail = &rest[start..];
        let mut end = tail.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"')).unwrap_or(tail.len());
        // Trailing punctuation ends a sentence rather than the URL; a ")" closes one only if
        // the URL opened it.
        while end > 0 {
            let last = tail[..end].chars().next_back().expect("non-empty");
            let unbalanced_paren = last == ')' && tail[..end].matches('(').count() < tail[..end].matches(')').count();
            if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | ']' | '*' | '_') || unbalanced_paren {
                end -= last.len_utf8();
            } else {
                break;
            }
        }
        if end <= "https://".len() {
            let upto = at + start + end.max(1);
            push_text(piece(&text, at..upto), out);
            at = upto;
            continue;
        }
        let (url_start, url_end) = (at + start, at + start + end);
        push_text(piece(&text, at..url_start), out);
        let url = piece(&text, url_start..url_end);
        out.push(Segment::Link { label: url.clone(), url, image_only: false });
        at = url_end;
    }
    // Text with no URL (most) goes on whole, owned text without a copy.
    let rest = if at == 0 { text } else { piece(&text, at..text.len()) };
    push_text(rest, out);
}

/// Byte offset of the first `http://` or `https://` (any case) that starts a word in `s`
/// ("xhttp://" does not). One pass over the colons, no allocation: long lines with many URLs
/// stay linear. Colons come in order and each can end only one scheme, so the first URL found
/// is the first in the text.
pub fn find_url_start(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(colon) = memchr::memchr(b':', &bytes[from..]).map(|i| from + i) {
        from = colon + 1;
        if !bytes[colon..].starts_with(b"://") {
            continue;
        }
        let start = if colon >= 4 && bytes[colon - 4..colon].eq_ignore_ascii_case(b"http") {
            colon - 4
        } else if colon >= 5 && bytes[colon - 5..colon].eq_ignore_ascii_case(b"https") {
            colon - 5
        } else {
            continue;
        };
        if !s[..start].chars().next_back().is_some_and(char::is_alphanumeric) {
            return Some(start);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(u: &str) -> Segment<'_> {
        Segment::Link { label: u.into(), url: u.into(), image_only: false }
    }

    #[test]
    fn bare_urls_become_links() {
        let segs = normalize(vec![Segment::Text("Docs: https://a.org/x_(y). More (see http://b.io).".into())]);
        assert_eq!(
            segs,
            vec![
                Segment::Text("Docs: ".into()),
                link("https://a.org/x_(y)"),
                Segment::Text(". More (see ".into()),
                link("http://b.io"),
                Segment::Text(").".into()),
            ]
        );
    }

    #[test]
    fn scheme_less_hosts_get_https() {
        assert_eq!(with_scheme("github.com/ray-project/ray".into()), "https://github.com/ray-project/ray");
        assert_eq!(with_scheme("www.example.org".into()), "https://www.example.org");
        for kept in
            ["README.md", "docs/guide.md", "coursepages/intro/README.md", "#anchor", "mailto:a@b.org", "example.org"]
        {
            assert!(matches!(with_scheme(kept.into()), Cow::Borrowed(k) if k == kept), "{kept}");
        }
    }

    #[test]
    fn url_starts_at_word_starts_only() {
        assert_eq!(find_url_start("see HTTPS://a.org"), Some(4));
        assert_eq!(find_url_start("xhttp://a.org http://b.org"), Some(14));
        assert_eq!(find_url_start("h ht http:/ https:"), None);
        // Many near-misses in one long line: linear, and no recursion to overflow the stack.
        let long = "ahttp:// ".repeat(200_000) + "http://z.org";
        assert_eq!(find_url_start(&long), Some(long.len() - "http://z.org".len()));
    }

    #[test]
    fn shortcodes_are_removed() {
        assert_eq!(strip_shortcodes(":rocket: Deploy :black_small_square:"), " Deploy ");
        assert_eq!(strip_shortcodes("10:30:00 and a:b:c"), "10:30:00 and a:b:c");
    }

    #[test]
    fn every_ascii_and_wide_space_folds() {
        for space in ["\t", "\n", "\u{b}", "\u{c}", "\r", " ", "\u{a0}", "\u{3000}"] {
            for text in [format!("a{space}b"), format!("{space}a b"), format!("a b{space}"), format!("a {space}b")] {
                assert_eq!(collapse_whitespace(&text), "a b", "{text:?}");
            }
        }
    }

    /// `find_url_start` as first written: every `h` tried.
    fn find_url_start_by_hs(s: &str) -> Option<usize> {
        let bytes = s.as_bytes();
        let mut from = 0;
        while let Some(i) = bytes[from..].iter().position(|b| b.eq_ignore_ascii_case(&b'h')).map(|i| from + i) {
            let is_url = ["https://", "http://"]
                .iter()
                .any(|p| bytes.get(i..i + p.len()).is_some_and(|w| w.eq_ignore_ascii_case(p.as_bytes())));
            if is_url && !s[..i].chars().next_back().is_some_and(char::is_alphanumeric) {
                return Some(i);
            }
            from = i + 1;
        }
        None
    }

    /// `push_text` without its shortcut for folded text.
    fn push_text_by_folding(t: &str) -> String {
        let mut c = collapse_whitespace(t);
        if t.starts_with(char::is_whitespace) && !c.is_empty() {
            c.insert(0, ' ');
        }
        if t.ends_with(char::is_whitespace) || (c.is_empty() && !t.is_empty()) {
            c.push(' ');
        }
        c
    }

    /// `strip_shortcodes` as first written: one character at a time.
    fn strip_shortcodes_by_chars(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b':' {
                if let Some(len) = shortcode_at(bytes, i) {
                    i += len;
                    continue;
                }
            }
            let ch = s[i..].chars().next().expect("in bounds");
            out.push(ch);
            i += ch.len_utf8();
        }
        out
    }

    /// Every character, alone between two letters and beside a space: the byte scan finds
    /// exactly the white space that character by character finds.
    #[test]
    fn folded_knows_every_white_space_character() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for s in [format!("a{c}b"), format!("{c} "), format!("abcdefghijklmno{c}")] {
                assert_eq!(folded(&s), folded_chars(&s), "{s:?}");
            }
        }
    }

    proptest::proptest! {
        /// Shortcodes next to each other, to words, to digits and to other text.
        #[test]
        fn strip_shortcodes_agrees_with_one_character_at_a_time(s in "([:a-z0-9_+ Aé-]|:rocket:|:a:){0,12}|\\PC{0,12}") {
            proptest::prop_assert_eq!(strip_shortcodes(&s), strip_shortcodes_by_chars(&s));
        }

        /// Schemes in any case, glued to words, cut short, after non-ASCII letters.
        #[test]
        fn find_url_start_agrees_with_trying_every_h(s in "(https?://|HTTPS?://|https?:/|http|s://|:|x|é|h| |\\.){0,12}|\\PC{0,16}") {
            proptest::prop_assert_eq!(find_url_start(&s), find_url_start_by_hs(&s), "{:?}", s);
        }

        /// Text kept as it is when folded is the text folding makes.
        #[test]
        fn folded_text_is_kept_as_folding_would_make_it(s in "[ a-z\t\n\r\u{b}\u{c}]{0,20}|[ a-z\t\n\r\u{b}\u{c}\u{a0}\u{3000}é]{0,20}|\\PC{0,12}") {
            let mut out = Vec::new();
            push_text(Cow::Borrowed(&s), &mut out);
            proptest::prop_assert_eq!(out, vec![Segment::Text(push_text_by_folding(&s).into())]);
        }

        /// Tidying a text in place gives what stripping shortcodes, then folding, gives.
        #[test]
        fn tidy_is_stripping_then_collapsing(s in "[ a-z:_\t\n\u{a0}é]{0,24}|:[a-z_]{1,8}: ?[a-z ]{0,6}|\\PC{0,16}") {
            let tidied = collapse_whitespace(&strip_shortcodes(&s));
            proptest::prop_assert_eq!(&tidy(Cow::Borrowed(&s)), &tidied);
            proptest::prop_assert_eq!(&tidy(Cow::Owned(s.clone())), &tidied);
        }

        /// Deciding in blocks of bytes is deciding character by character, whatever the length
        /// and wherever two spaces or an unusual byte fall against the blocks' edges.
        #[test]
        fn folded_in_blocks_is_folded_by_characters(s in "[ a-z]{0,70}|[ a-z\t\n\r\u{b}\u{c}\u{85}\u{a0}\u{1680}\u{2000}\u{200a}\u{200b}\u{2013}\u{2028}\u{205f}\u{3000}\u{3001}é]{0,70}|\\PC{0,40}") {
            proptest::prop_assert_eq!(folded(&s), folded_chars(&s), "{:?}", s);
        }

        /// The fast path for text with nothing to fold gives what folding gives.
        #[test]
        fn collapse_equals_joining_the_words(s in "[ a-z\t\n\r\u{b}\u{c}]{0,20}|[ a-z\t\n\r\u{b}\u{c}\u{a0}\u{3000}é]{0,20}|\\PC{0,12}") {
            proptest::prop_assert_eq!(collapse_whitespace(&s), s.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
}
