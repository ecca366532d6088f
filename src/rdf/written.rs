//! Every term of a dataset as written in N-Triples, made once into one string: the lines of
//! graph.nt and graph.nq are these forms joined, and their order is these forms' order.

use oxigraph::model::vocab::xsd;
use oxigraph::model::TermRef;

/// Every term as written in N-Triples, in one string.
#[derive(Debug)]
pub(super) struct Written {
    text: String,
    /// Where each term's form ends in `text` (it starts where the previous one ends).
    ends: Vec<usize>,
}

impl Written {
    pub(super) fn new<'a>(terms: impl ExactSizeIterator<Item = TermRef<'a>> + Clone) -> Self {
        // Room for every form without escapes (a typed literal's datatype included: leaving it
        // out grew the string, copying it whole, at every doubling); escapes grow it rarely.
        let size: usize = terms.clone().map(|t| raw_len(t) + 2).sum();
        let mut text = String::with_capacity(size);
        let mut ends = Vec::with_capacity(terms.len());
        for t in terms {
            write_term(&mut text, t);
            ends.push(text.len());
        }
        Written { text, ends }
    }

    pub(super) fn get(&self, id: u32) -> &str {
        let id = id as usize;
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.text[start..self.ends[id]]
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
        let written = Written::new(terms.iter().map(Term::as_ref));
        (0..terms.len() as u32).map(|i| written.get(i).to_owned()).collect()
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
