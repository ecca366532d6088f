//! RDF/XML written straight from the dataset's term numbers: the same bytes as oxigraph's
//! serializer given the same prefixes and no base IRI (tests compare them), with each
//! predicate's and type's element name made once instead of for every triple.

use crate::error::Error;
use crate::hash::HashMap;
use crate::rdf::Dataset;
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::TermRef;
use std::collections::BTreeMap;
use std::io::{BufWriter, Write};

const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const ITS: &str = "http://www.w3.org/2005/11/its";

/// rdf: terms that RDF/XML reserves for its syntax (a type among them is not an element name).
const RESERVED: [&str; 9] = ["Description", "li", "RDF", "ID", "about", "parseType", "resource", "nodeID", "datatype"];

/// Writes the dataset's distinct triples as RDF/XML with `prefixes` (name, IRI): one element
/// per subject, named by its first type where it has one, tab-indented.
pub fn write_rdfxml(out: &mut dyn Write, dataset: &Dataset, prefixes: &[(&str, &str)]) -> Result<(), Error> {
    let error = |message: String| Error::Export { what: "RDF/XML serialization".to_owned(), message };
    // As oxigraph: rdf and its are always declared with their own IRIs; declarations by IRI.
    let mut by_iri: BTreeMap<&str, &str> = BTreeMap::new();
    let by_name: BTreeMap<&str, &str> =
        prefixes.iter().copied().filter(|(name, _)| !matches!(*name, "rdf" | "its")).collect();
    for (name, iri) in by_name {
        by_iri.insert(iri, name);
    }
    by_iri.insert(RDF, "rdf");
    by_iri.insert(ITS, "its");
    let mut xml = Xml { out: BufWriter::with_capacity(1 << 16, out), depth: 0, line_break: false };
    let mut names: HashMap<u32, (String, Option<&str>)> = HashMap::default();
    let mut write = || -> std::io::Result<()> {
        xml.decl_and_root(&by_iri)?;
        let mut subject: Option<(u32, String)> = None;
        for [s, p, o] in dataset.triple_ids() {
            if subject.as_ref().is_none_or(|(current, _)| *current != s) {
                if let Some((_, tag)) = subject.take() {
                    xml.end(&tag)?;
                }
                let about = match dataset.term_ref(s) {
                    TermRef::NamedNode(n) => ("rdf:about", n.as_str()),
                    TermRef::BlankNode(b) => ("rdf:nodeID", b.as_str()),
                    other => return Err(std::io::Error::other(format!("a subject is not {other}"))),
                };
                let typed = match (dataset.term_ref(p), dataset.term_ref(o)) {
                    (TermRef::NamedNode(p), TermRef::NamedNode(t))
                        if p == rdf::TYPE && t.as_str().strip_prefix(RDF).is_none_or(|l| !RESERVED.contains(&l)) =>
                    {
                        Some(names.entry(o).or_insert_with(|| qname(t.as_str(), &by_iri)).clone())
                    }
                    _ => None,
                };
                let (tag, xmlns) = typed.clone().unwrap_or_else(|| ("rdf:Description".to_owned(), None));
                let attributes: Vec<(&str, &str)> = xmlns.map(|ns| ("xmlns", ns)).into_iter().chain([about]).collect();
                xml.start(&tag, &attributes)?;
                subject = Some((s, tag));
                if typed.is_some() {
                    continue;
                }
            }
            let TermRef::NamedNode(predicate) = dataset.term_ref(p) else {
                return Err(std::io::Error::other("a predicate is an IRI"));
            };
            if predicate.as_str().strip_prefix(RDF).is_some_and(|l| RESERVED.contains(&l)) {
                return Err(std::io::Error::other("RDF/XML reserved syntax term is not allowed as a predicate"));
            }
            let (name, xmlns) = names.entry(p).or_insert_with(|| qname(predicate.as_str(), &by_iri));
            let mut attributes: Vec<(&str, &str)> = xmlns.map(|ns| ("xmlns", ns)).into_iter().collect();
            match dataset.term_ref(o) {
                TermRef::NamedNode(n) => {
                    attributes.push(("rdf:resource", n.as_str()));
                    xml.empty(name, &attributes)?;
                }
                TermRef::BlankNode(b) => {
                    attributes.push(("rdf:nodeID", b.as_str()));
                    xml.empty(name, &attributes)?;
                }
                TermRef::Literal(l) => {
                    if let Some(language) = l.language() {
                        attributes.push(("xml:lang", language));
                    } else if l.datatype() != xsd::STRING {
                        attributes.push(("rdf:datatype", l.datatype().as_str()));
                    }
                    xml.start(name, &attributes)?;
                    xml.text(l.value())?;
                    xml.end(name)?;
                }
            }
        }
        if let Some((_, tag)) = subject {
            xml.end(&tag)?;
        }
        xml.end("rdf:RDF")?;
        xml.out.flush()
    };
    write().map_err(|e| error(e.to_string()))
}

/// The element name of `iri`, and the default namespace to declare on it where no prefix has
/// the namespace (oxrdfxml's `uri_to_qname_and_xmlns`).
fn qname<'a>(iri: &'a str, by_iri: &BTreeMap<&str, &str>) -> (String, Option<&'a str>) {
    let (namespace, local) = split_iri(iri);
    if let Some(prefix) = by_iri.get(namespace) {
        (if prefix.is_empty() { local.to_owned() } else { format!("{prefix}:{local}") }, None)
    } else if namespace == "http://www.w3.org/2000/xmlns/" {
        (format!("xmlns:{local}"), None)
    } else if !local.is_empty() {
        (local.to_owned(), Some(namespace))
    } else {
        (format!("oxprefix:{local}"), Some(namespace))
    }
}

/// `iri` as namespace and local name: the local name is the longest tail that is an XML name
/// without ':'.
fn split_iri(iri: &str) -> (&str, &str) {
    let Some(base) = iri.rfind(|c| !is_name_char(c) || c == ':') else { return (iri, "") };
    match iri[base..].find(|c| is_name_start_char(c) && c != ':') {
        Some(add) => iri.split_at(base + add),
        None => (iri, ""),
    }
}

/// XML's NameStartChar.
fn is_name_start_char(c: char) -> bool {
    c == ':' || c == '_' || super::turtle::is_pn_chars_base(c)
}

/// XML's NameChar.
fn is_name_char(c: char) -> bool {
    is_name_start_char(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{0300}'..='\u{036F}' | '\u{203F}'..='\u{2040}')
}

/// Elements with quick-xml's indentation (a tab per level; a new line before every tag except
/// an end tag right after text).
struct Xml<W: Write> {
    out: W,
    depth: usize,
    line_break: bool,
}

impl<W: Write> Xml<W> {
    fn decl_and_root(&mut self, by_iri: &BTreeMap<&str, &str>) -> std::io::Result<()> {
        self.out.write_all(br#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        self.line_break = true;
        let declarations: Vec<(String, &str)> = by_iri
            .iter()
            .map(|(iri, name)| (if name.is_empty() { "xmlns".to_owned() } else { format!("xmlns:{name}") }, *iri))
            .collect();
        let attributes: Vec<(&str, &str)> = declarations.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        self.start("rdf:RDF", &attributes)
    }

    fn tag(&mut self, open: &[u8], name: &str, attributes: &[(&str, &str)], close: &[u8]) -> std::io::Result<()> {
        if self.line_break {
            self.out.write_all(b"\n")?;
            for _ in 0..self.depth {
                self.out.write_all(b"\t")?;
            }
        }
        self.out.write_all(open)?;
        self.out.write_all(name.as_bytes())?;
        for (key, value) in attributes {
            self.out.write_all(b" ")?;
            self.out.write_all(key.as_bytes())?;
            self.out.write_all(b"=\"")?;
            escape(&mut self.out, value)?;
            self.out.write_all(b"\"")?;
        }
        self.out.write_all(close)?;
        self.line_break = true;
        Ok(())
    }

    fn start(&mut self, name: &str, attributes: &[(&str, &str)]) -> std::io::Result<()> {
        self.tag(b"<", name, attributes, b">")?;
        self.depth += 1;
        Ok(())
    }

    fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) -> std::io::Result<()> {
        self.tag(b"<", name, attributes, b"/>")
    }

    fn end(&mut self, name: &str) -> std::io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        self.tag(b"</", name, &[], b">")
    }

    fn text(&mut self, text: &str) -> std::io::Result<()> {
        escape(&mut self.out, text)?;
        self.line_break = false;
        Ok(())
    }
}

/// `<`, `>`, `&`, `'` and `"` as entities, everything else as it is (quick-xml's `escape`).
fn escape(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    // Byte by byte: the texts here are short, and scanning them in runs (super::scan) measured
    // slower (serialize/rdf bench, 20k entries: 36 -> 40 ms).
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'&' => b"&amp;",
            b'\'' => b"&apos;",
            b'"' => b"&quot;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn text_is_escaped_as_one_character_at_a_time(s in "([a-z ]{0,40}[<>&'\"é\\n]?){0,5}") {
            let reference: String = s
                .chars()
                .map(|c| match c {
                    '<' => "&lt;".to_owned(),
                    '>' => "&gt;".to_owned(),
                    '&' => "&amp;".to_owned(),
                    '\'' => "&apos;".to_owned(),
                    '"' => "&quot;".to_owned(),
                    c => c.to_string(),
                })
                .collect();
            let mut out = Vec::new();
            super::escape(&mut out, &s).unwrap();
            prop_assert_eq!(String::from_utf8(out).unwrap(), reference);
        }
    }
}
