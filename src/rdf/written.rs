//! Every term of a dataset as written in N-Triples, made once (into two strings, a half of the
//! terms each): the lines of graph.nt and graph.nq are these forms joined, and their order is
//! these forms' order.

use super::terms::TermStore;
use oxigraph::model::vocab::xsd;
use oxigraph::model::TermRef;

/// Every term as written in N-Triples, in two strings: the first half of the terms and the
/// second, each written on its own thread.
#[derive(Debug)]
pub(super) struct Written {
    /// The number of the first term of `parts[1]`.
    split: u32,
    parts: [Part; 2],
}

/// Consecutive terms' forms in one string.
#[derive(Debug, Default)]
struct Part {
    text: String,
    /// Where each term's form ends in `text` (it starts where the previous one ends).
    ends: Vec<usize>,
}

impl Part {
    fn new<'a>(terms: impl Iterator<Item = TermRef<'a>> + Clone) -> Part {
        // Room for every form without escapes (a typed literal's datatype included: leaving it
        // out grew the string, copying it whole, at every doubling); escapes grow it rarely.
        let size: usize = terms.clone().map(|t| raw_len(t) + 2).sum();
        let mut text = String::with_capacity(size);
        let mut ends = Vec::with_capacity(terms.size_hint().0);
        for t in terms {
            write_term(&mut text, t);
            ends.push(text.len());
        }
        Part { text, ends }
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
}

impl Written {
    /// The forms of every term of `terms`, numbered as there. Large stores are written on two
    /// threads (the first forms of a million entries are 400 MB of fresh memory, whose zeroing
    /// costs this machine as much as the writing).
    pub(super) fn new(terms: &TermStore) -> Self {
        let n = terms.len() as u32;
        let part = |ids: std::ops::Range<u32>| Part::new(ids.map(|id| terms.get(id)));
        if n < 1 << 16 {
            return Written { split: n, parts: [part(0..n), Part::default()] };
        }
        let split = n / 2;
        let (first, second) = std::thread::scope(|scope| {
            let second = scope.spawn(|| part(split..n));
            let first = part(0..split);
            (first, second.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
        });
        Written { split, parts: [first, second] }
    }

    pub(super) fn get(&self, id: u32) -> &str {
        match id.checked_sub(self.split) {
            None => self.parts[0].get(id as usize),
            Some(i) => self.parts[1].get(i as usize),
        }
    }
}

/// The length of a term's form before escapes, less 2 (a form's brackets or quotes).
fn raw_len(term: TermRef<'_>) -> usize {
    match term {
        TermRef::NamedNode(n) => n.as_str().len(),
        TermRef::BlankNode(b) => b.as_str().len(),
        TermRef::Literal(l) => match l.language() {
            Some(language) => l.value().len() + 1 + language.len(),
            None if l.datatype() == xsd::STRING => l.value().len(),
            None => l.value().len() + 4 + l.datatype().as_str().len(),
        },
    }
}

/// Appends `term` as oxigraph's `Display` writes it (N-Triples), without the formatting
/// machinery: IRIs in angle brackets, blank nodes as `_:label`, literals quoted with escapes,
/// then `@language` or `^^<datatype>` (none for `xsd:string`).
fn write_term(text: &mut String, term: TermRef<'_>) {
    match term {
        TermRef::NamedNode(n) => {
            text.push('<');
            text.push_str(n.as_str());
            text.push('>');
        }
        TermRef::BlankNode(b) => {
            text.push_str("_:");
            text.push_str(b.as_str());
        }
        TermRef::Literal(l) => {
            quoted(text, l.value());
            if let Some(language) = l.language() {
                text.push('@');
                text.push_str(language);
            } else if l.datatype() != xsd::STRING {
                text.push_str("^^<");
                text.push_str(l.datatype().as_str());
                text.push('>');
            }
        }
    }
}

/// `value` in double quotes with oxrdf's escapes: \b \t \n \f \r \" \\, and \uXXXX for the
/// other control characters, U+007F, U+FFFE and U+FFFF. Unescaped runs are copied whole.
fn quoted(text: &mut String, value: &str) {
    text.push('"');
    let mut start = 0;
    for (i, c) in value.char_indices() {
        let escaped = match c {
            '\u{8}' => "\\b",
            '\t' => "\\t",
            '\n' => "\\n",
            '\u{C}' => "\\f",
            '\r' => "\\r",
            '"' => "\\\"",
            '\\' => "\\\\",
            '\0'..='\u{1F}' | '\u{7F}' | '\u{FFFE}' | '\u{FFFF}' => "",
            _ => continue,
        };
        text.push_str(&value[start..i]);
        if escaped.is_empty() {
            use std::fmt::Write;
            write!(text, "\\u{:04X}", u32::from(c)).expect("writing to a String cannot fail");
        } else {
            text.push_str(escaped);
        }
        start = i + c.len_utf8();
    }
    text.push_str(&value[start..]);
    text.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{BlankNode, Literal, NamedNode, Term};
    use proptest::prelude::*;

    fn forms(terms: &[Term]) -> Vec<String> {
        let mut store = TermStore::default();
        for t in terms {
            store.push(t.as_ref());
        }
        let written = Written::new(&store);
        (0..terms.len() as u32).map(|i| written.get(i).to_owned()).collect()
    }

    /// A store large enough to be written on two threads reads back whole, in order, across
    /// the split.
    #[test]
    fn large_stores_are_written_in_two_parts_that_read_as_one() {
        let terms: Vec<Term> = (0..70_000)
            .map(|i| match i % 3 {
                0 => NamedNode::new_unchecked(format!("http://example.org/{i}")).into(),
                1 => Literal::new_simple_literal(format!("line\n{i}")).into(),
                _ => Literal::new_typed_literal(i.to_string(), xsd::INTEGER).into(),
            })
            .collect();
        let expected: Vec<String> = terms.iter().map(Term::to_string).collect();
        assert_eq!(forms(&terms), expected);
    }

    proptest! {
        /// Any literal value, language tag or datatype: the same form as oxigraph's Display.
        #[test]
        fn forms_equal_oxigraph_display(value in "\\PC*|[\\x00-\\x7f\\u{fffe}\\u{ffff}é]*", language in "[a-z]{2}", kind in 0u8..5) {
            let term = match kind {
                0 => Term::from(Literal::new_simple_literal(&value)),
                1 => Literal::new_language_tagged_literal_unchecked(&value, &language).into(),
                2 => Literal::new_typed_literal(&value, xsd::INTEGER).into(),
                3 => NamedNode::new_unchecked(format!("http://example.org/{language}")).into(),
                _ => BlankNode::new_unchecked(format!("b{language}")).into(),
            };
            let terms = [term.clone(), Literal::new_simple_literal("x\"").into(), term.clone()];
            let expected: Vec<String> = terms.iter().map(Term::to_string).collect();
            prop_assert_eq!(forms(&terms), expected);
        }
    }
}
