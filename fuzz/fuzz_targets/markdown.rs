//! Any bytes as a Markdown list: parsing, extraction, the graph, every RDF/DOT/CSV writer and
//! the lint must not panic; parsing in parts must give the document of one pass; and the
//! N-Triples, N-Quads, Turtle, TriG, JSON-LD and RDF/XML build writes must parse back to as many
//! triples and quads.
#![no_main]

use awesome_kg::extract::{extract, Gazetteer};
use awesome_kg::graph::KnowledgeGraph;
use awesome_kg::rdf::{quads, BaseIri};
use libfuzzer_sys::fuzz_target;
use oxigraph::io::{RdfFormat, RdfParser};
use std::sync::OnceLock;

static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let gazetteer = GAZETTEER.get_or_init(Gazetteer::bundled);
    let doc = awesome_kg::parse::parse(text);
    // Cut into parts parsed on their own threads, the text gives the same document.
    assert_eq!(awesome_kg::parse::parse_in_parts(text, 4), doc);
    let list = extract(&doc, "fuzz", "fuzz.md", gazetteer);
    let _ = awesome_kg::check::check("fuzz.md", text, &doc, &list);
    let kg = KnowledgeGraph::build(&[list], gazetteer.organizations());
    let dataset = quads(&kg, &BaseIri::default()).expect("generated IRIs are valid");
    // graph.nt and graph.nq as `build` writes them: lines from each term's N-Triples form.
    let mut nt = Vec::new();
    awesome_kg::export::rdf::write_lines(&mut nt, dataset.lines().triples()).unwrap();
    let back = RdfParser::from_format(RdfFormat::NTriples).for_slice(&nt).map(|t| t.unwrap()).count();
    assert_eq!(back, dataset.triple_count());
    let mut nq = Vec::new();
    awesome_kg::export::rdf::write_lines(&mut nq, dataset.lines().quads()).unwrap();
    let back = RdfParser::from_format(RdfFormat::NQuads).for_slice(&nq).map(|q| q.unwrap()).count();
    assert_eq!(back, dataset.quad_count());
    // graph.ttl, graph.trig and graph.jsonld as `build` writes them.
    let prefixes = awesome_kg::vocab::PREFIXES;
    let mut ttl = Vec::new();
    awesome_kg::export::turtle::write_turtle(&mut ttl, &dataset, prefixes).unwrap();
    let back = RdfParser::from_format(RdfFormat::Turtle).for_slice(&ttl).map(|t| t.unwrap()).count();
    assert_eq!(back, dataset.triple_count());
    let mut trig = Vec::new();
    awesome_kg::export::turtle::write_trig(&mut trig, &dataset, prefixes).unwrap();
    let back = RdfParser::from_format(RdfFormat::TriG).for_slice(&trig).map(|q| q.unwrap()).count();
    assert_eq!(back, dataset.quad_count());
    let mut jsonld = Vec::new();
    awesome_kg::export::jsonld::write_jsonld(&mut jsonld, &dataset).unwrap();
    let format = RdfFormat::JsonLd { profile: oxigraph::io::JsonLdProfileSet::empty() };
    let back = RdfParser::from_format(format).for_slice(&jsonld).map(|t| t.unwrap()).count();
    assert_eq!(back, dataset.triple_count());
    let mut rdfxml = Vec::new();
    awesome_kg::export::rdfxml::write_rdfxml(&mut rdfxml, &dataset, prefixes).unwrap();
    let back = RdfParser::from_format(RdfFormat::RdfXml).for_slice(&rdfxml).map(|t| t.unwrap()).count();
    assert_eq!(back, dataset.triple_count());
    let _ = awesome_kg::export::dot::Dot(&kg).to_string();
    let _ = awesome_kg::export::csv::entries(&kg).unwrap();
    let _ = awesome_kg::export::csv::links(&kg).unwrap();
});
