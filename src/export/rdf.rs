//! Triples → Turtle, N-Triples, RDF/XML, JSON-LD (through oxigraph's serializers).

use crate::error::Error;
use crate::vocab::PREFIXES;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, Quad, QuadRef, Triple};

/// The RDF files `build` writes, by file name.
pub const FORMATS: &[(&str, RdfFormat)] = &[
    ("graph.ttl", RdfFormat::Turtle),
    ("graph.nt", RdfFormat::NTriples),
    ("graph.rdf", RdfFormat::RdfXml),
    ("graph.jsonld", RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() }),
];

/// The quad files `build` writes: every list in its own named graph.
pub const QUAD_FORMATS: &[(&str, RdfFormat)] = &[("graph.nq", RdfFormat::NQuads), ("graph.trig", RdfFormat::TriG)];

/// Serializes `quads` (already in [`crate::rdf::sort_quads`] order); N-Quads lines sorted.
pub fn serialize_quads(quads: &[Quad], format: RdfFormat) -> Result<Vec<u8>, Error> {
    write(quads.iter().map(Quad::as_ref), format)
}

/// Serializes `triples` (already in [`crate::rdf::sort_triples`] order) with the standard
/// prefixes. N-Triples lines are sorted byte-wise, so the file diffs cleanly.
pub fn serialize(triples: &[Triple], format: RdfFormat) -> Result<Vec<u8>, Error> {
    write(triples.iter().map(|t| t.as_ref().in_graph(GraphNameRef::DefaultGraph)), format)
}

fn write<'a>(quads: impl Iterator<Item = QuadRef<'a>>, format: RdfFormat) -> Result<Vec<u8>, Error> {
    let err =
        |e: &dyn std::fmt::Display| Error::Export { what: format!("{format} serialization"), message: e.to_string() };
    let mut serializer = RdfSerializer::from_format(format);
    for (prefix, iri) in PREFIXES {
        serializer = serializer.with_prefix(*prefix, *iri).map_err(|e| err(&e))?;
    }
    let mut writer = serializer.for_writer(Vec::new());
    for q in quads {
        writer.serialize_quad(q).map_err(|e| err(&e))?;
    }
    let bytes = writer.finish().map_err(|e| err(&e))?;
    Ok(if matches!(format, RdfFormat::NTriples | RdfFormat::NQuads) { sorted_lines(&bytes) } else { bytes })
}

/// The lines of `bytes`, sorted byte-wise, each ending in `\n`.
fn sorted_lines(bytes: &[u8]) -> Vec<u8> {
    let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
    lines.sort_unstable();
    let mut sorted = Vec::with_capacity(bytes.len());
    for l in lines {
        sorted.extend_from_slice(l);
        sorted.push(b'\n');
    }
    sorted
}
