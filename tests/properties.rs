//! Property tests over untrusted Markdown: nothing panics, every export stays well-formed and
//! round-trips, and every escaper does its job on any text.

use awesome_kg::export::rdf::{serialize, serialize_quads, write_nquads_and_ntriples, FORMATS};
use awesome_kg::export::{csv::cell, dot::escape};
use awesome_kg::extract::{contains_word, extract, Gazetteer};
use awesome_kg::graph::KnowledgeGraph;
use awesome_kg::parse::parse;
use awesome_kg::rdf::{triples, BaseIri};
use awesome_kg::slug::{slugify, SlugSet};
use oxigraph::io::RdfParser;
use oxigraph::model::Triple;
use proptest::prelude::*;
use std::collections::HashSet;

/// Markdown-ish text: fragments that exercise headings, lists, links, separators and escapes.
fn markdownish() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("# ".to_owned()),
        Just("\n## ".to_owned()),
        Just("\n### ".to_owned()),
        Just("\n- ".to_owned()),
        Just("\n  - ".to_owned()),
        Just("\n1. ".to_owned()),
        Just("\n\n".to_owned()),
        Just(" - ".to_owned()),
        Just(" — ".to_owned()),
        Just("[".to_owned()),
        Just("](".to_owned()),
        Just(")".to_owned()),
        Just("https://".to_owned()),
        Just("http://www.Example.com/a b".to_owned()),
        Just("medium.com/netflix-techblog/x".to_owned()),
        Just("<a href=\"https://x.org\">x</a>".to_owned()),
        Just("`code`".to_owned()),
        Just("**".to_owned()),
        Just("\"quoted\" \\ back".to_owned()),
        Just("=SUM(A1)".to_owned()),
        Just("Uber’s".to_owned()),
        Just("Google".to_owned()),
        Just("| a | b |\n|---|---|\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\u{feff}".to_owned()),
        "[a-zA-Z0-9 .:/?#&=%-]{0,12}",
        "\\PC{0,6}",
    ];
    prop::collection::vec(fragment, 0..60).prop_map(|v| v.concat())
}

fn graph_of(text: &str) -> KnowledgeGraph {
    let g = Gazetteer::bundled();
    let list = extract(&parse(text), "prop", "prop.md", &g);
    KnowledgeGraph::build(&[list], g.organizations())
}

fn check_round_trips(text: &str) {
    let kg = graph_of(text);
    let expected: HashSet<Triple> = triples(&kg, &BaseIri::default()).expect("IRIs are valid").into_iter().collect();
    for (name, format) in FORMATS {
        let bytes = serialize(&expected.iter().cloned().collect::<Vec<_>>(), *format).unwrap();
        let got: HashSet<Triple> = RdfParser::from_format(*format)
            .for_slice(&bytes)
            .map(|q| Triple::from(q.unwrap_or_else(|e| panic!("{name} does not parse back: {e}"))))
            .collect();
        assert_eq!(got, expected, "{name}");
    }
    // graph.nt and graph.nq are written from each term's N-Triples form, made once: the same
    // bytes as oxigraph's serializers with the lines sorted.
    let dataset = awesome_kg::rdf::quads(&kg, &BaseIri::default()).unwrap();
    let mut sorted: Vec<Triple> = expected.iter().cloned().collect();
    awesome_kg::rdf::sort_triples(&mut sorted);
    let (mut nq, mut nt) = (Vec::new(), Vec::new());
    write_nquads_and_ntriples(Some(&mut nq), Some(&mut nt), &dataset.lines()).unwrap();
    assert_eq!(
        String::from_utf8(nt).unwrap(),
        String::from_utf8(serialize(&sorted, oxigraph::io::RdfFormat::NTriples).unwrap()).unwrap()
    );
    let oxigraph_nq = serialize_quads(dataset.quads(), oxigraph::io::RdfFormat::NQuads).unwrap();
    assert_eq!(String::from_utf8(nq).unwrap(), String::from_utf8(oxigraph_nq).unwrap());
    // Turtle, TriG and JSON-LD as build writes them: oxigraph's bytes too.
    let prefixes = awesome_kg::vocab::PREFIXES;
    let mut ttl = Vec::new();
    awesome_kg::export::turtle::write_turtle(&mut ttl, &dataset, prefixes).unwrap();
    assert_eq!(ttl, serialize(&sorted, oxigraph::io::RdfFormat::Turtle).unwrap());
    let mut trig = Vec::new();
    awesome_kg::export::turtle::write_trig(&mut trig, &dataset, prefixes).unwrap();
    assert_eq!(trig, serialize_quads(dataset.quads(), oxigraph::io::RdfFormat::TriG).unwrap());
    let mut jsonld = Vec::new();
    awesome_kg::export::jsonld::write_jsonld(&mut jsonld, &dataset).unwrap();
    let format = oxigraph::io::RdfFormat::JsonLd { profile: oxigraph::io::JsonLdProfileSet::empty() };
    assert_eq!(jsonld, serialize(&sorted, format).unwrap());
    let mut rdfxml = Vec::new();
    awesome_kg::export::rdfxml::write_rdfxml(&mut rdfxml, &dataset, prefixes).unwrap();
    assert_eq!(rdfxml, serialize(&sorted, oxigraph::io::RdfFormat::RdfXml).unwrap());
    let dot = awesome_kg::export::dot::Dot(&kg).to_string();
    assert!(dot.starts_with("digraph") && dot.ends_with("}\n"));
    for csv_bytes in [
        awesome_kg::export::csv::entries(&kg).unwrap(),
        awesome_kg::export::csv::links(&kg).unwrap(),
        awesome_kg::export::csv::nodes(&kg).unwrap(),
        awesome_kg::export::csv::edges(&kg).unwrap(),
    ] {
        let mut reader = csv::Reader::from_reader(csv_bytes.as_slice());
        let width = reader.headers().unwrap().len();
        for record in reader.records() {
            let record = record.unwrap();
            assert_eq!(record.len(), width);
            for c in record.iter() {
                assert!(!c.starts_with(['=', '+', '-', '@', '\t', '\r']), "formula-like cell {c:?}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_text_parses_without_panic(text in "\\PC*") {
        let _ = graph_of(&text);
    }

    #[test]
    fn markdownish_text_exports_round_trip(text in markdownish()) {
        check_round_trips(&text);
    }

    #[test]
    fn dot_escape_is_reversible(s in "\\PC*") {
        let escaped = escape(&s);
        let mut unescaped = String::new();
        let mut chars = escaped.chars();
        while let Some(c) = chars.next() {
            if c == '"' {
                panic!("unescaped quote in {escaped:?}");
            }
            if c == '\\' {
                match chars.next() {
                    Some('n') => unescaped.push('\n'),
                    Some(other) => unescaped.push(other),
                    None => panic!("dangling backslash in {escaped:?}"),
                }
            } else {
                unescaped.push(c);
            }
        }
        let expected: String = s.chars().filter(|c| *c == '\n' || !c.is_control()).collect();
        prop_assert_eq!(unescaped, expected);
    }

    #[test]
    fn csv_cells_are_never_formulas(s in "[=+@\\-\t\r]?\\PC*") {
        let c = cell(&s);
        prop_assert!(!c.starts_with(['=', '+', '-', '@', '\t', '\r']));
        let quoted = format!("'{}", s);
        prop_assert!(c == s || c == quoted);
    }

    #[test]
    fn one_pass_mentions_equal_a_search_per_name(
        words in prop::collection::vec(prop_oneof![
            Just("Google"), Just("Googleplex"), Just("Uber’s"), Just("Meta-Learning"), Just("Meta"), Just("AWS"),
            Just("Amazon Web Services"), Just("Hugging Face"), Just("Face"), Just("blog.google"), Just("-"),
            Just(" "), Just("("), Just("'s"), Just("é"), Just("Netflix"), Just("x"),
        ], 0..12),
    ) {
        let text: String = words.concat();
        let gazetteer = Gazetteer::bundled();
        let mut naive: Vec<String> = gazetteer
            .organizations()
            .iter()
            .filter(|o| std::iter::once(&o.name).chain(&o.aliases).any(|n| contains_word(&text, n)))
            .map(|o| o.id.clone())
            .collect();
        naive.sort();
        prop_assert_eq!(gazetteer.mentions(&text), naive, "{}", text);
    }

    #[test]
    fn slug_numbering_equals_the_plain_search(
        texts in prop::collection::vec(prop_oneof![Just("a"), Just("A!"), Just("a 2"), Just("a-3"), Just("b"), Just("a 2 2"), Just("")], 0..40),
    ) {
        let mut set = SlugSet::default();
        let mut taken = HashSet::new();
        for text in texts {
            let base = match slugify(text) { s if s.is_empty() => "x".to_owned(), s => s };
            let mut expected = base.clone();
            let mut n = 2;
            while !taken.insert(expected.clone()) {
                expected = format!("{base}-{n}");
                n += 1;
            }
            prop_assert_eq!(set.unique(text, "x"), expected);
        }
    }

    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes(s in "\\PC*") {
        let slug = slugify(&s);
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"), "{}", slug);
        prop_assert!(slug.chars().all(|c| c == '-' || c.is_alphanumeric()), "{}", slug);
    }
}

#[test]
fn pathological_inputs_stay_bounded() {
    // Thousands of nested list levels, a very long line, an empty file, a lone heading.
    let nested: String = (0..3000).map(|i| format!("{}- [x{i}](https://e.org/{i})\n", "  ".repeat(i))).collect();
    check_round_trips(&nested);
    let quotes: String = ">".repeat(5000) + " - [deep](https://e.org/q)\n";
    check_round_trips(&quotes);
    let long_line = format!("- {} - [Blog](https://e.org/long)\n", "word ".repeat(400_000));
    let kg = graph_of(&long_line);
    assert_eq!(kg.count("Entry"), 1);
    assert_eq!(graph_of("").node_count(), 1, "an empty file is a list with nothing in it");
    let only_heading = graph_of("# Only a title\n");
    assert_eq!(only_heading.node_count(), 1);
    assert_eq!(only_heading.nodes().next().unwrap().1.label(), "Only a title");
}
