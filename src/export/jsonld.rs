//! JSON-LD written straight from the dataset's term numbers: the same bytes as oxigraph's
//! serializer without a context (tests compare them), but strings are copied in runs between
//! the characters JSON escapes instead of one character at a time.

use crate::error::Error;
use crate::rdf::Dataset;
use oxigraph::model::vocab::xsd;
use oxigraph::model::TermRef;
use std::io::{BufWriter, Write};

/// Writes the dataset's distinct triples as JSON-LD: an array with one node object per subject.
/// (oxigraph opens a second object for a subject whose predicate comes back after another; in
/// the dataset's triple order a subject's triples are grouped by predicate, so that never
/// happens.)
pub fn write_jsonld(out: &mut dyn Write, dataset: &Dataset) -> Result<(), Error> {
    write(&mut BufWriter::with_capacity(1 << 16, out), dataset)
        .map_err(|e| Error::Export { what: "JSON-LD serialization".to_owned(), message: e.to_string() })
}

fn write(out: &mut impl Write, dataset: &Dataset) -> std::io::Result<()> {
    out.write_all(b"[")?;
    let mut subject: Option<u32> = None;
    let mut predicate: Option<u32> = None;
    let mut first_node = true;
    for [s, p, o] in dataset.triple_ids() {
        if subject.is_some_and(|cs| cs != s) {
            out.write_all(b"]}")?;
            subject = None;
            predicate = None;
        } else if predicate.is_some_and(|cp| cp != p) {
            out.write_all(b"]")?;
            predicate = None;
        }
        if subject.is_none() {
            out.write_all(if first_node { b"{\"@id\":" } else { b",{\"@id\":" })?;
            first_node = false;
            id(out, dataset.term_ref(s))?;
            subject = Some(s);
        }
        if predicate.is_none() {
            out.write_all(b",")?;
            string(out, iri(dataset.term_ref(p)))?;
            out.write_all(b":[")?;
            predicate = Some(p);
        } else {
            out.write_all(b",")?;
        }
        object(out, dataset.term_ref(o))?;
    }
    if predicate.is_some() {
        out.write_all(b"]")?;
    }
    if subject.is_some() {
        out.write_all(b"}")?;
    }
    out.write_all(b"]")?;
    out.flush()
}

fn iri(term: TermRef<'_>) -> &str {
    match term {
        TermRef::NamedNode(n) => n.as_str(),
        other => unreachable!("a predicate is an IRI, not {other}"),
    }
}

/// An IRI as it is, a blank node as `_:label`.
fn id(out: &mut impl Write, term: TermRef<'_>) -> std::io::Result<()> {
    match term {
        TermRef::BlankNode(b) => string(out, &b.to_string()),
        TermRef::NamedNode(n) => string(out, n.as_str()),
        other => string(out, &other.to_string()),
    }
}

fn object(out: &mut impl Write, term: TermRef<'_>) -> std::io::Result<()> {
    match term {
        TermRef::Literal(l) => {
            if let Some(language) = l.language() {
                out.write_all(b"{\"@language\":")?;
                string(out, language)?;
                out.write_all(b",")?;
            } else if l.datatype() != xsd::STRING {
                out.write_all(b"{\"@type\":")?;
                string(out, l.datatype().as_str())?;
                out.write_all(b",")?;
            } else {
                out.write_all(b"{")?;
            }
            out.write_all(b"\"@value\":")?;
            string(out, l.value())?;
        }
        other => {
            out.write_all(b"{\"@id\":")?;
            id(out, other)?;
        }
    }
    out.write_all(b"}")
}

/// A JSON string as json-event-parser writes it: '"' and '\' escaped, control characters as
/// \b \f \n \r \t or \u00XX (lower-case hex), everything else as it is.
fn string(out: &mut impl Write, s: &str) -> std::io::Result<()> {
    out.write_all(b"\"")?;
    let mut rest = s.as_bytes();
    loop {
        let run = super::scan::plain_run(rest, |b| (b < 0x20) | (b == b'"') | (b == b'\\'));
        out.write_all(&rest[..run])?;
        let Some(&b) = rest.get(run) else { break };
        let escaped: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                &[b'\\', b'u', b'0', b'0', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]
            }
        };
        out.write_all(escaped)?;
        rest = &rest[run + 1..];
    }
    out.write_all(b"\"")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// JSON string escaping one character at a time, as json-event-parser does it.
    fn reference(s: &str) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    proptest! {
        #[test]
        fn strings_are_escaped_as_one_character_at_a_time(s in "(?s)([a-z ]{0,40}[\"\\\\\\x00-\\x20é\u{85}\u{2028}]?){0,5}") {
            let mut out = Vec::new();
            super::string(&mut out, &s).unwrap();
            prop_assert_eq!(String::from_utf8(out).unwrap(), reference(&s));
        }
    }
}
