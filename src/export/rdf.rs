//! Triples → Turtle, N-Triples, RDF/XML, JSON-LD (through oxigraph's serializers).

use crate::error::Error;
use crate::vocab::PREFIXES;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, QuadRef, Triple, TripleRef};
use std::io::Write;

/// The RDF files `build` writes, by file name.
pub const FORMATS: &[(&str, RdfFormat)] = &[
    ("graph.nt", RdfFormat::NTriples),
    ("graph.jsonld", RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() }),
    ("graph.rdf", RdfFormat::RdfXml),
    ("graph.ttl", RdfFormat::Turtle),
];

/// The quad files `build` writes: every list in its own named graph.
pub const QUAD_FORMATS: &[(&str, RdfFormat)] = &[("graph.nq", RdfFormat::NQuads), ("graph.trig", RdfFormat::TriG)];

/// Serializes `quads` (in [`crate::rdf::Dataset::quads`] order); N-Quads lines sorted.
pub fn serialize_quads<'a>(quads: impl IntoIterator<Item = QuadRef<'a>>, format: RdfFormat) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    write_quads(&mut out, quads, format)?;
    Ok(out)
}

/// Serializes `triples` (already in [`crate::rdf::sort_triples`] order) with the standard
/// prefixes. N-Triples lines are sorted byte-wise, so the file diffs cleanly.
pub fn serialize(triples: &[Triple], format: RdfFormat) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    write_triples(&mut out, triples.iter().map(Triple::as_ref), format)?;
    Ok(out)
}

/// [`serialize_quads`] into a writer.
pub fn write_quads<'a>(
    out: &mut dyn Write,
    quads: impl IntoIterator<Item = QuadRef<'a>>,
    format: RdfFormat,
) -> Result<(), Error> {
    write(out, quads.into_iter(), format)
}

/// [`serialize`] into a writer.
pub fn write_triples<'a>(
    out: &mut dyn Write,
    triples: impl IntoIterator<Item = TripleRef<'a>>,
    format: RdfFormat,
) -> Result<(), Error> {
    write(out, triples.into_iter().map(|t| t.in_graph(GraphNameRef::DefaultGraph)), format)
}

/// Writes N-Triples or N-Quads lines given as their terms already written (see
/// [`crate::rdf::Dataset::quad_lines`]); an empty last term is the default graph. The same
/// bytes as oxigraph's serializers (tests/exports.rs compares them), without formatting each
/// term again for every line it is in.
pub fn write_lines<'a, const N: usize>(
    out: &mut dyn Write,
    lines: impl IntoIterator<Item = [&'a str; N]>,
) -> Result<(), Error> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let write = || -> std::io::Result<()> {
        for terms in lines {
            for (i, term) in terms.iter().enumerate() {
                if term.is_empty() {
                    continue;
                }
                if i > 0 {
                    out.write_all(b" ")?;
                }
                out.write_all(term.as_bytes())?;
            }
            out.write_all(b" .\n")?;
        }
        out.flush()
    };
    write().map_err(|e| Error::Export { what: "N-Triples/N-Quads".to_owned(), message: e.to_string() })
}

/// Runs every quad through `serializer` into `out`.
fn serialize_all<'a>(
    serializer: RdfSerializer,
    out: &mut dyn Write,
    quads: impl IntoIterator<Item = QuadRef<'a>>,
) -> std::io::Result<()> {
    let mut writer = serializer.for_writer(out);
    for q in quads {
        writer.serialize_quad(q)?;
    }
    writer.finish()?;
    Ok(())
}

fn write<'a>(out: &mut dyn Write, quads: impl Iterator<Item = QuadRef<'a>>, format: RdfFormat) -> Result<(), Error> {
    let err =
        |e: &dyn std::fmt::Display| Error::Export { what: format!("{format} serialization"), message: e.to_string() };
    let mut serializer = RdfSerializer::from_format(format);
    for (prefix, iri) in PREFIXES {
        serializer = serializer.with_prefix(*prefix, *iri).map_err(|e| err(&e))?;
    }
    if matches!(format, RdfFormat::NTriples | RdfFormat::NQuads) {
        // Line-based: serialize, then write the lines in byte order.
        let mut bytes = Vec::new();
        serialize_all(serializer, &mut bytes, quads).map_err(|e| err(&e))?;
        let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
        lines.sort_unstable();
        for l in lines {
            out.write_all(l).and_then(|()| out.write_all(b"\n")).map_err(|e| err(&e))?;
        }
        return Ok(());
    }
    serialize_all(serializer, out, quads).map_err(|e| err(&e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rdf::DatasetBuilder;
    use oxigraph::model::{BlankNode, Literal, Term};

    /// Literals with every kind of character N-Triples escapes, language tags, datatypes and a
    /// blank node: the lines written from the terms' forms equal oxigraph's N-Quads.
    #[test]
    fn lines_equal_oxigraph_serialization_for_every_kind_of_term() {
        let mut b = DatasetBuilder::default();
        let s = b.iri("http://example.org/s");
        let p = b.iri("http://example.org/p");
        let g = b.iri("http://example.org/g");
        let blank = b.term(Term::BlankNode(BlankNode::new_unchecked("b0")));
        let objects = [
            b.literal(Literal::new_simple_literal("nul \u{0} bell \u{7} tab \t nl \n cr \r \" \\ \u{7f} é 🦀")),
            b.literal(Literal::new_language_tagged_literal_unchecked("Grüße", "de")),
            b.literal(Literal::new_typed_literal("42", oxigraph::model::vocab::xsd::INTEGER)),
            b.literal(Literal::new_typed_literal(
                "x",
                oxigraph::model::NamedNodeRef::new_unchecked("http://example.org/dt"),
            )),
            b.iri("http://example.org/o?q=1#f"),
            blank,
        ];
        for (i, &o) in objects.iter().enumerate() {
            b.add(Some(g), s, p, o);
            b.add((i % 2 == 0).then_some(g), blank, p, o);
            b.add(None, s, p, o);
        }
        let d = b.finish();
        let mut ours = Vec::new();
        write_lines(&mut ours, d.quad_lines()).unwrap();
        let theirs = serialize_quads(d.quads(), RdfFormat::NQuads).unwrap();
        assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(theirs).unwrap());
        let mut ours = Vec::new();
        write_lines(&mut ours, d.triple_lines()).unwrap();
        let theirs =
            serialize_quads(d.triples().map(|t| t.in_graph(GraphNameRef::DefaultGraph)), RdfFormat::NQuads).unwrap();
        assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(theirs).unwrap());
    }
}
