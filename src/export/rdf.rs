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

/// Whether `build`'s own writer of `format` copies terms from [`crate::rdf::Dataset::forms`]
/// (once every such writer is done, the forms can go).
pub fn copies_term_forms(format: RdfFormat) -> bool {
    matches!(format, RdfFormat::NQuads | RdfFormat::NTriples | RdfFormat::Turtle | RdfFormat::TriG)
}

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

/// Writes graph.nq's lines into `nquads` and graph.nt's into `ntriples` (each if given), from
/// one walk of `lines` (see [`crate::rdf::Lines::quads_and_triples`]): each term is looked up
/// once for both files, the lookups being most of the cost (cache misses: a line's object is
/// rarely near its subject). The same bytes as oxigraph's serializers (the tests below compare
/// them).
pub fn write_nquads_and_ntriples(
    nquads: Option<&mut dyn Write>,
    ntriples: Option<&mut dyn Write>,
    lines: &crate::rdf::Lines,
) -> Result<(), Error> {
    let mut nquads = nquads.map(|w| std::io::BufWriter::with_capacity(1 << 16, w));
    let mut ntriples = ntriples.map(|w| std::io::BufWriter::with_capacity(1 << 16, w));
    let mut write = || -> std::io::Result<()> {
        for ([s, p, o, g], first_of_triple) in lines.quads_and_triples() {
            let line = [s.as_bytes(), b" ", p.as_bytes(), b" ", o.as_bytes()];
            if let Some(nquads) = &mut nquads {
                for part in line {
                    nquads.write_all(part)?;
                }
                // An empty graph is the default graph.
                if !g.is_empty() {
                    nquads.write_all(b" ")?;
                    nquads.write_all(g.as_bytes())?;
                }
                nquads.write_all(b" .\n")?;
            }
            if let Some(ntriples) = ntriples.as_mut().filter(|_| first_of_triple) {
                for part in line {
                    ntriples.write_all(part)?;
                }
                ntriples.write_all(b" .\n")?;
            }
        }
        nquads.as_mut().map_or(Ok(()), Write::flush)?;
        ntriples.as_mut().map_or(Ok(()), Write::flush)
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
    use std::sync::Arc;

    /// A dataset with every kind of term the writers treat differently: literals with every
    /// character N-Triples and JSON escape, language tags, typed literals Turtle writes bare or
    /// not, IRIs under a prefix with local names written as they are, escaped or not at all,
    /// blank nodes, `rdf:type`, several objects per predicate, the default and named graphs.
    fn every_kind_of_term() -> crate::rdf::Dataset {
        use oxigraph::model::vocab::{rdf, xsd};
        let mut b = DatasetBuilder::default();
        let s = b.iri("http://example.org/s");
        let p = b.iri("http://example.org/p");
        let q = b.iri("http://schema.org/name");
        let a = b.iri(rdf::TYPE.as_str());
        let g = b.iri("http://example.org/g");
        let g2 = b.iri("http://www.wikidata.org/entity/Q1");
        let blank = b.term(Term::BlankNode(BlankNode::new_unchecked("b0")));
        let typed = |b: &mut DatasetBuilder, value: &str, datatype: oxigraph::model::NamedNodeRef<'_>| {
            b.literal(Literal::new_typed_literal(value, datatype))
        };
        let mut objects = vec![
            b.literal(Literal::new_simple_literal(
                "nul \u{0} bell \u{7} bs \u{8} ff \u{c} tab \t nl \n cr \r \" \\ \u{7f} \u{2028} é 🦀",
            )),
            b.literal(Literal::new_language_tagged_literal_unchecked("Grüße", "de")),
            typed(&mut b, "x", oxigraph::model::NamedNodeRef::new_unchecked("http://example.org/dt")),
            // A value whose escaped form holds what ends a typed literal's value.
            typed(&mut b, "a\"^^<b", xsd::DATE),
            typed(&mut b, "2026-11-27", xsd::DATE),
            b.iri("http://example.org/o?q=1#f"),
            blank,
        ];
        for value in ["42", "+7", "-0", "4a", "", "+"] {
            objects.push(typed(&mut b, value, xsd::INTEGER));
        }
        for value in ["1.5", "-.5", "1.", ".", "1"] {
            objects.push(typed(&mut b, value, xsd::DECIMAL));
        }
        for value in ["1e5", "1.5E-3", ".5e+2", "2.e1", ".e1", "1e", "1.5"] {
            objects.push(typed(&mut b, value, xsd::DOUBLE));
        }
        for value in ["true", "false", "TRUE", "1"] {
            objects.push(typed(&mut b, value, xsd::BOOLEAN));
        }
        for local in
            ["Q42", "", "a.b", "a.", ".a", "-a", "_a", "7", ":x", "a:b", "a~b(c)", "a%20b", "a b", "é·x", "a\u{300}"]
        {
            objects.push(b.iri(&format!("http://www.wikidata.org/entity/{local}")));
            objects.push(b.iri(&format!("https://w3id.org/awesome-kg/vocab#{local}")));
        }
        let thing = b.iri("http://www.w3.org/2002/07/owl#Thing");
        let reserved = b.iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#Description");
        let odd_type = b.iri("http://example.org/types/T-1");
        let xml_text = b.literal(Literal::new_simple_literal("<a href='x'>&amp; \"q\"</a>"));
        b.add(None, g, a, thing);
        b.add(None, g, p, xml_text);
        b.add(None, g2, a, reserved);
        let described = b.iri("http://example.org/described");
        b.add(None, described, a, reserved);
        b.add(None, described, p, xml_text);
        b.add(None, g2, a, odd_type);
        b.add(None, p, a, odd_type);
        for (i, &o) in objects.iter().enumerate() {
            b.add(Some(g), s, p, o);
            b.add((i % 2 == 0).then_some(g), blank, p, o);
            b.add((i % 3 == 0).then_some(g2), blank, q, o);
            b.add(None, s, p, o);
            if i % 4 == 0 {
                b.add(None, o.min(s), a, g2);
            }
        }
        b.finish()
    }

    /// graph.nq's and graph.nt's bytes, as `build` writes them.
    fn lines_of(d: &crate::rdf::Dataset) -> (Vec<u8>, Vec<u8>) {
        let (mut nquads, mut ntriples) = (Vec::new(), Vec::new());
        let lines = d.lines();
        write_nquads_and_ntriples(Some(&mut nquads), Some(&mut ntriples), &lines).unwrap();
        // Either file alone is the same bytes.
        let (mut alone_nq, mut alone_nt) = (Vec::new(), Vec::new());
        write_nquads_and_ntriples(Some(&mut alone_nq), None, &lines).unwrap();
        write_nquads_and_ntriples(None, Some(&mut alone_nt), &lines).unwrap();
        assert_eq!((&alone_nq, &alone_nt), (&nquads, &ntriples));
        (nquads, ntriples)
    }

    /// graph.nq's and graph.nt's lines are in byte order, each once, for every kind of term and
    /// for IRIs that prefix one another (`<…/s>` sorts after `<…/s/1>` and `<…/s-x>`).
    #[test]
    fn lines_are_in_byte_order() {
        let mut b = DatasetBuilder::default();
        let p = b.iri("http://example.org/p");
        let iris =
            ["s", "s/1", "s-x", "sa", "s/1/2", "s~", "s/", "t"].map(|i| b.iri(&format!("http://example.org/{i}")));
        let blank = b.term(Term::BlankNode(BlankNode::new_unchecked("b0")));
        let text = b.literal(Literal::new_simple_literal("s"));
        for (i, &s) in iris.iter().enumerate() {
            for &o in [iris[(i + 3) % iris.len()], blank, text].iter() {
                b.add(None, s, p, o);
                b.add(Some(iris[i % 2]), s, p, o);
                b.add(None, blank, p, s);
            }
        }
        for d in [b.finish(), every_kind_of_term()] {
            let (nquads, ntriples) = lines_of(&d);
            for (quads, bytes) in [(true, nquads), (false, ntriples)] {
                let written: Vec<&[u8]> = bytes.split_inclusive(|&c| c == b'\n').collect();
                let mut sorted = written.clone();
                sorted.sort();
                sorted.dedup();
                assert!(written == sorted, "{}", String::from_utf8_lossy(&bytes));
                assert_eq!(written.len(), if quads { d.quad_count() } else { d.triple_count() });
            }
        }
    }

    /// The terms' forms, let go once their writers are done, are made again when asked for:
    /// the same lines, and a handle given out before stays whole.
    #[test]
    fn released_forms_are_made_again() {
        let d = every_kind_of_term();
        let lines = |d: &crate::rdf::Dataset| lines_of(d).0;
        let before = lines(&d);
        let held = d.forms();
        d.release_forms();
        assert!(!Arc::ptr_eq(&held, &d.forms()), "the forms were not let go");
        assert_eq!(lines(&d), before);
        let count = u32::try_from(d.term_count()).unwrap();
        assert!((0..count).all(|id| held.get(id) == d.forms().get(id)));
    }

    /// Every writer that works from the dataset's term numbers writes the same bytes as
    /// oxigraph's serializer of that format.
    #[test]
    fn writers_equal_oxigraph_serialization_for_every_kind_of_term() {
        let d = every_kind_of_term();
        let run = |write: &dyn Fn(&mut Vec<u8>) -> Result<(), Error>| {
            let mut bytes = Vec::new();
            write(&mut bytes).unwrap();
            String::from_utf8(bytes).unwrap()
        };
        let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
        let triples: Vec<Triple> = d.triples().map(TripleRef::into_owned).collect();
        let (nquads, ntriples) = lines_of(&d);
        assert_eq!(text(nquads), text(serialize_quads(d.quads(), RdfFormat::NQuads).unwrap()));
        assert_eq!(text(ntriples), text(serialize(&triples, RdfFormat::NTriples).unwrap()));
        let turtle = run(&|w| crate::export::turtle::write_turtle(w, &d, PREFIXES));
        assert!(
            turtle.contains("wd:Q42") && turtle.contains("akg:a\\~b\\(c\\)") && turtle.contains(" 42 ,"),
            "{turtle}"
        );
        assert_eq!(turtle, text(serialize(&triples, RdfFormat::Turtle).unwrap()));
        assert_eq!(
            run(&|w| crate::export::turtle::write_trig(w, &d, PREFIXES)),
            text(serialize_quads(d.quads(), RdfFormat::TriG).unwrap())
        );
        let format = RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() };
        assert_eq!(run(&|w| crate::export::jsonld::write_jsonld(w, &d)), text(serialize(&triples, format).unwrap()));
        let xml = run(&|w| crate::export::rdfxml::write_rdfxml(w, &d, PREFIXES));
        assert!(xml.contains("<owl:Thing ") && xml.contains(" xmlns=\"http://example.org/\""), "{xml}");
        assert_eq!(xml, text(serialize(&triples, RdfFormat::RdfXml).unwrap()));
    }

    /// No triples: nothing at all for Turtle and TriG (not even prefixes), an empty array for
    /// JSON-LD, as oxigraph writes.
    #[test]
    fn writers_of_an_empty_dataset_equal_oxigraph() {
        let d = DatasetBuilder::default().finish();
        let mut ttl = Vec::new();
        crate::export::turtle::write_turtle(&mut ttl, &d, PREFIXES).unwrap();
        assert_eq!(ttl, serialize(&[], RdfFormat::Turtle).unwrap());
        let mut trig = Vec::new();
        crate::export::turtle::write_trig(&mut trig, &d, PREFIXES).unwrap();
        assert_eq!(trig, serialize_quads(d.quads(), RdfFormat::TriG).unwrap());
        let mut json = Vec::new();
        crate::export::jsonld::write_jsonld(&mut json, &d).unwrap();
        assert_eq!(json, serialize(&[], RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() }).unwrap());
        let mut xml = Vec::new();
        crate::export::rdfxml::write_rdfxml(&mut xml, &d, PREFIXES).unwrap();
        assert_eq!(xml, serialize(&[], RdfFormat::RdfXml).unwrap());
    }
}
