//! One long document parsed on several threads. The text is cut before ATX headings that
//! follow a blank line: there every Markdown block has ended except a fenced code block or an
//! HTML block that has not met its end (a list item, a quote, a table, a paragraph and the other
//! HTML blocks end at the blank line or at the unindented `#`). Each part is walked on its own
//! and the documents are joined; the join is used only where it is provably the document one
//! walk over the whole text gives (see [`joinable`]), which the tests check against one walk.

use super::builder::{self, Walked};
use super::Document;
use unicase::UniCase;

/// The document of `source` from up to `parts` walks on as many threads, or `None` where the
/// text has no place to cut or the parts cannot be joined (the caller then walks it whole).
pub(super) fn parse(source: &str, parts: usize) -> Option<Document<'_>> {
    let cuts = cuts(source, parts);
    if cuts.is_empty() {
        return None;
    }
    let starts: Vec<usize> = std::iter::once(0).chain(cuts).collect();
    let ends: Vec<usize> = starts[1..].iter().copied().chain([source.len()]).collect();
    let texts: Vec<&str> = starts.iter().zip(&ends).map(|(&a, &b)| &source[a..b]).collect();
    let walked = crate::threads::map_on_threads(&texts, |text| builder::walk(text));
    joinable(source.len(), &texts, &walked).then(|| join(walked))
}

/// Whether the parts' documents, joined, are the document of one walk over their texts
/// together:
/// - every part but the last ends with nothing open (`Walked::clean`), so the next part starts
///   as a new top-level block would;
/// - no label is defined in two parts (the first definition wins across the whole text) and no
///   part uses a label that another part defines;
/// - pulldown-cmark's cap on bytes added by references (the text's length, at least 100,000)
///   was reached neither in a part (where it is lower) nor in the whole: a part under its cap
///   resolved every reference it defines, and so does the whole under its own. (A margin of 2:
///   the bytes are counted from the links as they come out.)
fn joinable(len: usize, texts: &[&str], walked: &[Walked<'_>]) -> bool {
    if !walked[..walked.len() - 1].iter().all(|w| w.clean) {
        return false;
    }
    let mut defined = crate::hash::HashMap::default();
    for (part, w) in walked.iter().enumerate() {
        for label in &w.defined {
            if defined.insert(UniCase::new(label.as_str()), part).is_some() {
                return false;
            }
        }
    }
    let elsewhere = |part: usize, label: &str| defined.get(&UniCase::new(label)).is_some_and(|&p| p != part);
    if walked.iter().enumerate().any(|(part, w)| w.undefined.iter().any(|label| elsewhere(part, label))) {
        return false;
    }
    let under_cap = |added: usize, len: usize| added.saturating_mul(2) < len.max(100_000);
    under_cap(walked.iter().map(|w| w.added).sum(), len)
        && texts.iter().zip(walked).all(|(t, w)| under_cap(w.added, t.len()))
}

/// The parts' documents as one: headings and items renumbered after the parts before, lines
/// counted from the start of the whole text.
fn join(walked: Vec<Walked<'_>>) -> Document<'_> {
    // The first part's document as it is (nothing before it to count from), with room for the
    // others' items: each item is copied at most once (the first part's when the room is made),
    // where joining into an empty document copied the first part's twice.
    let mut walked = walked.into_iter();
    let Some(first) = walked.next() else { return Document::default() };
    let mut doc = first.doc;
    let mut lines_before = first.breaks;
    let rest = walked.as_slice();
    doc.items.reserve(rest.iter().map(|w| w.doc.items.len()).sum());
    doc.headings.reserve(rest.iter().map(|w| w.doc.headings.len()).sum());
    for w in walked {
        let (headings_before, items_before) = (doc.headings.len(), doc.items.len());
        let last_heading_before = headings_before.checked_sub(1);
        doc.headings.extend(w.doc.headings.into_iter().map(|mut h| {
            h.line += lines_before;
            h
        }));
        doc.html_headings.extend(w.doc.html_headings.into_iter().map(|mut h| {
            h.line += lines_before;
            h
        }));
        doc.items.extend(w.doc.items.into_iter().map(|mut item| {
            item.line += lines_before;
            item.heading = item.heading.map(|h| h + headings_before).or(last_heading_before);
            item.parent = item.parent.map(|p| p + items_before);
            item
        }));
        lines_before += w.breaks;
    }
    doc
}

/// Where to cut `source` into about `parts` parts of equal length: each cut the start of the
/// first heading line after an equal share (see [`cut_after`]).
fn cuts(source: &str, parts: usize) -> Vec<usize> {
    let mut cuts: Vec<usize> = Vec::with_capacity(parts.saturating_sub(1));
    for k in 1..parts {
        let from = (source.len() / parts * k).max(cuts.last().map_or(0, |&c| c + 1));
        match cut_after(source, from) {
            Some(cut) => cuts.push(cut),
            None => break,
        }
    }
    cuts
}

/// The start of the first line at or after byte `from` that is an ATX heading (one to six `#`,
/// then a space, a tab or the line's end) after a blank line, where the last line with text
/// before it does not look like the end of a code block or of HTML (which could still be open,
/// and would make the parts unjoinable).
fn cut_after(source: &str, from: usize) -> Option<usize> {
    let bytes = source.as_bytes();
    let blank = |line: &[u8]| line.iter().all(|c| matches!(c, b' ' | b'\t' | b'\r'));
    let mut at = from.saturating_sub(1);
    while let Some(found) = bytes.get(at..)?.iter().position(|&c| c == b'\n') {
        let start = at + found + 1;
        at = start;
        if bytes.get(start) != Some(&b'#') {
            continue;
        }
        let hashes = bytes[start..].iter().take_while(|&&c| c == b'#').count();
        if hashes > 6 || !matches!(bytes.get(start + hashes), None | Some(b' ' | b'\t' | b'\r' | b'\n')) {
            continue;
        }
        let mut lines = bytes[..start - 1].rsplit(|&c| c == b'\n');
        if !lines.next().is_some_and(blank) {
            continue;
        }
        let Some(text) = lines.find(|line| !blank(line)) else { continue };
        let text = text.trim_ascii();
        if text.starts_with(b"```") || text.starts_with(b"~~~") || text.starts_with(b"<") || text.ends_with(b">") {
            continue;
        }
        return Some(start);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::parse_in_parts;
    use super::*;
    use proptest::prelude::*;

    fn one_walk(source: &str) -> Document<'_> {
        builder::walk(source).doc
    }

    #[test]
    fn cuts_fall_before_headings_after_blank_lines() {
        let text = "# A\n- [a](https://a.org)\n## B\n\n#hashtag\n\n####### seven\n\n## C\n- [c](https://c.org)\n";
        assert_eq!(cuts(text, 2), vec![text.find("## C").unwrap()]);
        assert_eq!(cuts("no headings\n\nat all\n", 4), Vec::<usize>::new());
        let fenced = "# A\n\n```\ncode\n```\n\n# B\n\n<div>\n</div>\n\n# C\n\ntext\n\n# D\n";
        assert_eq!(cuts(fenced, 2), vec![fenced.find("# D").unwrap()]);
    }

    #[test]
    fn joined_parts_number_lines_headings_and_parents_from_the_start() {
        let text = "# Top\n\n## One\n- A [a](https://a.org)\n  - B [b](https://b.org)\n\n## Two\n- C [c](https://c.org)\n  - D [d](https://d.org)\n";
        let joined = parse(text, 2).expect("cut before ## Two");
        assert_eq!(joined, one_walk(text));
        assert_eq!(joined.items[3].line, 9);
        assert_eq!(joined.items[3].parent, Some(2));
        assert_eq!(joined.items[3].heading, Some(2));
    }

    #[test]
    fn parts_that_could_differ_are_not_joined() {
        // A fence that never closes: in one walk, "## Two" is code.
        let open_fence = "# A\n\n```\n- [a](https://a.org)\n\n## Two\n- [b](https://b.org)\n";
        // A reference used in one part, defined in the other.
        let reference = "# A\n- [a][r]\n\n## Two\n- [b](https://b.org)\n\n[r]: https://r.org\n";
        // An <a> never closed takes the next part's words into its label.
        let anchor = "# A\n\ntext <a href=\"https://a.org\">a\n\n## Two\n- x [b](https://b.org)\n";
        // The same label defined in both parts: the first definition wins.
        let twice = "# A\n[r]: https://one.org\n\n## Two\n- [b][r]\n\n[r]: https://two.org\n";
        // References adding more than the whole text's cap (100,000 bytes here): one walk
        // leaves the later ones unresolved, each part alone would resolve all of its own.
        let long = "x".repeat(1000);
        let uses = |label: &str| format!("- [{label}]\n").repeat(70);
        let capped = format!("# A\n{}\n[a]: https://{long}\n\n## B\n{}\n[b]: https://{long}\n", uses("a"), uses("b"));
        for text in [open_fence, reference, anchor, twice, &capped] {
            assert!(!cuts(text, 20).is_empty(), "{text:?} has a place to cut");
            assert_eq!(parse(text, 20), None, "{text:?}");
            assert_eq!(parse_in_parts(text, 20), one_walk(text), "{text:?}");
        }
    }

    /// Lines of the kinds that end or continue blocks across a cut.
    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "#{1,7} [A-Za-z]{0,5}",
            "(- |  - |1\\. |> |    )?\\[[a-z]{1,3}\\]\\((https://[a-z]{1,3}\\.org)?\\)( - [a-z ]{0,6})?",
            "(- )?\\[[a-z]{1,3}\\](\\[[a-zA-Z]{0,2}\\])?",
            "\\[[a-zA-Z]{1,2}\\]: https://[a-z]{1,3}\\.org( \"t\")?",
            Just("```".to_owned()),
            Just("~~~".to_owned()),
            "<(a href=\"https://h\\.org\"|/a|div|/div|!--|pre|/pre)>( x)?",
            Just("-->".to_owned()),
            Just("| a | b |".to_owned()),
            Just("|---|---|".to_owned()),
            "\\| \\[[a-z]\\]\\(https://t\\.org\\) \\| [a-z]{0,4} \\|",
            "[a-z *_`~]{0,10}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// However a text is cut, the document is the one of a single walk.
        #[test]
        fn parts_give_the_one_walk_document(lines in proptest::collection::vec(line(), 0..60), parts in 2usize..6) {
            let text = lines.join("\n");
            prop_assert_eq!(parse_in_parts(&text, parts), one_walk(&text));
        }
    }

    /// The real lists of ../shared/corpus, cut at every place there is: where the parts are
    /// joined, the document is the one of a single walk; most lists can be cut.
    #[test]
    fn real_lists_parse_the_same_in_parts() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("skipped: no {}", dir.display());
            return;
        };
        let (mut lists, mut joined) = (0, 0);
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "md") || path.ends_with("README.md") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            lists += 1;
            for parts in [2, 5, 50] {
                if let Some(doc) = parse(text, parts) {
                    assert_eq!(doc, one_walk(text), "{} in {parts} parts", path.display());
                    joined += 1;
                }
            }
        }
        eprintln!("{joined} joined of {lists} lists × 3 ways");
        assert!(joined * 2 > lists * 3, "{joined} joined of {lists} lists × 3 ways");
    }
}
