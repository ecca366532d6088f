//! A link's URL as an RDF term.

use oxigraph::model::vocab::xsd;
use oxigraph::model::{Literal, NamedNode, Term};

/// A URL as an IRI (characters that IRIs forbid percent-encoded), or an `xsd:anyURI` literal
/// when even that is not an IRI.
pub fn url_term(url: &str) -> Term {
    // Nearly every URL is printable ASCII that needs no encoding: copied whole (building it
    // character by character was half a second of a million entries' triples job).
    let iri = if url.bytes().all(|b| b.is_ascii_graphic() && !forbidden(char::from(b))) {
        url.to_owned()
    } else {
        encoded(url)
    };
    match NamedNode::new(iri) {
        Ok(n) => n.into(),
        Err(_) => Literal::new_typed_literal(url, xsd::ANY_URI).into(),
    }
}

/// Printable ASCII that IRIs do not allow.
fn forbidden(c: char) -> bool {
    matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}')
}

/// `url` with controls, white space (of any script) and [`forbidden`] characters
/// percent-encoded as UTF-8.
fn encoded(url: &str) -> String {
    let mut iri = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_control() || c.is_whitespace() || forbidden(c) {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                iri.push_str(&format!("%{b:02X}"));
            }
        } else {
            iri.push(c);
        }
    }
    iri
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn urls_become_iris_or_any_uri_literals() {
        let iri = |s: &str| Term::from(NamedNode::new_unchecked(s));
        assert_eq!(url_term("https://example.org/a?b=1#c"), iri("https://example.org/a?b=1#c"));
        assert_eq!(url_term("https://example.org/a b|c"), iri("https://example.org/a%20b%7Cc"));
        assert_eq!(url_term("https://example.org/\u{a0}é\u{2028}"), iri("https://example.org/%C2%A0é%E2%80%A8"));
        assert_eq!(url_term("not a url"), Literal::new_typed_literal("not a url", xsd::ANY_URI).into());
    }

    proptest! {
        /// Whatever the text, the URL is an IRI or an anyURI literal of the text itself, and
        /// the copy taken whole equals the one encoded character by character.
        #[test]
        fn whole_copies_equal_encoded_ones(url in "(https?://[a-z.]{1,9}/)?[ -~\\t\\n\\u{7f}\\u{a0}\\u{85}\\u{2028}é€]{0,24}") {
            let expected = match NamedNode::new(encoded(&url)) {
                Ok(n) => Term::from(n),
                Err(_) => Literal::new_typed_literal(&url, xsd::ANY_URI).into(),
            };
            prop_assert_eq!(url_term(&url), expected);
        }
    }
}
