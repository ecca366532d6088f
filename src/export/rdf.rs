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

/// Writes quads as they come, for N-Triples and N-Quads too: the caller has put them in the
/// byte order of their lines (see [`crate::rdf::Dataset::quads_in_line_order`]), so nothing
/// waits in memory to be sorted.
pub fn write_in_line_order<'a>(
    out: &mut dyn Write,
    quads: impl IntoIterator<Item = QuadRef<'a>>,
    format: RdfFormat,
) -> Result<(), Error> {
    let err =
        |e: &dyn std::fmt::Display| Error::Export { what: format!("{format} serialization"), message: e.to_string() };
    serialize_all(RdfSerializer::from_format(format), out, quads).map_err(|e| err(&e))
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
