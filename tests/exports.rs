//! The files `build` writes: RDF that parses back to the same triples, CSV that reads back,
//! DOT that Graphviz accepts, and `exports/` equal to a fresh build.

mod common;

use awesome_kg::extract::Gazetteer;
use awesome_kg::pipeline::build;
use awesome_kg::rdf::BaseIri;
use common::{build_into, walk, TempDir};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Quad, Triple};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

fn expected_triples() -> HashSet<Triple> {
    let built =
        build(&[PathBuf::from("data/ml-in-production.md")], &Gazetteer::bundled(), &BaseIri::default()).unwrap();
    built.triples().map(Into::into).collect()
}

fn parse_back(path: &Path, format: RdfFormat) -> HashSet<Triple> {
    let bytes = std::fs::read(path).unwrap();
    RdfParser::from_format(format)
        .for_slice(&bytes)
        .map(|q| Triple::from(q.unwrap_or_else(|e| panic!("{}: {e}", path.display()))))
        .collect()
}

#[test]
fn every_rdf_file_parses_back_to_the_same_triples() {
    let dir = TempDir::new("rdf");
    build_into(dir.path());
    let expected = expected_triples();
    assert_eq!(expected.len(), 322, "triples of the bundled list");
    for (file, format) in awesome_kg::export::rdf::FORMATS {
        let got = parse_back(&dir.path().join(file), *format);
        assert_eq!(got.len(), expected.len(), "{file}");
        assert_eq!(got, expected, "{file} holds the graph's triples");
    }
    let built =
        build(&[PathBuf::from("data/ml-in-production.md")], &Gazetteer::bundled(), &BaseIri::default()).unwrap();
    let expected_quads: HashSet<Quad> = built.dataset.quads().map(Quad::from).collect();
    for (file, format) in awesome_kg::export::rdf::QUAD_FORMATS {
        let bytes = std::fs::read(dir.path().join(file)).unwrap();
        let got: HashSet<Quad> = RdfParser::from_format(*format).for_slice(&bytes).map(|q| q.unwrap()).collect();
        assert_eq!(got, expected_quads, "{file} holds the graph's quads");
    }
    let list = "https://w3id.org/awesome-kg/id/list/ml-in-production";
    let in_list = expected_quads.iter().filter(|q| q.graph_name.to_string() == format!("<{list}>")).count();
    let shared = expected_quads.iter().filter(|q| q.graph_name.is_default_graph()).count();
    assert_eq!(in_list + shared, 322);
    assert!(shared > 0 && in_list > shared, "list triples in the list's graph, shared ones in the default graph");
    let vocab = parse_back(&dir.path().join("vocab.ttl"), RdfFormat::Turtle);
    assert!(vocab.iter().any(|t| t.subject.to_string() == "<https://w3id.org/awesome-kg/vocab#hasLink>"
        && t.predicate.as_str() == "http://www.w3.org/2000/01/rdf-schema#comment"));
}

#[test]
fn n_triples_are_sorted_one_per_line_and_turtle_groups_subjects() {
    let dir = TempDir::new("nt");
    build_into(dir.path());
    let nt = std::fs::read_to_string(dir.path().join("graph.nt")).unwrap();
    let lines: Vec<&str> = nt.lines().collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
    assert_eq!(lines.len(), 322);
    assert!(lines.iter().all(|l| l.ends_with(" .")));
    let ttl = std::fs::read_to_string(dir.path().join("graph.ttl")).unwrap();
    assert!(ttl.starts_with("@prefix "));
    // Each subject starts exactly one statement block: 11 entries, 19 links, 3 sections, 1 list,
    // 8 media types + their scheme, 5 organizations, 15 sites.
    let blocks = ttl.lines().filter(|l| l.starts_with('<')).count();
    assert_eq!(blocks, 11 + 19 + 3 + 1 + 8 + 1 + 5 + 15);
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows =
        reader.records().map(|r| headers.iter().cloned().zip(r.unwrap().iter().map(str::to_owned)).collect()).collect();
    (headers, rows)
}

#[test]
fn csv_files_read_back() {
    let dir = TempDir::new("csv");
    build_into(dir.path());
    let (headers, entries) = read_csv(&dir.path().join("entries.csv"));
    assert_eq!(
        headers,
        [
            "id",
            "title",
            "description",
            "section",
            "organizations",
            "media_types",
            "urls",
            "attributes",
            "source",
            "line"
        ]
    );
    assert_eq!(entries.len(), 11);
    let quest = &entries[4];
    assert_eq!(quest["title"], "Quest to understand Machine Learning in Production & Notes");
    assert_eq!(quest["description"], "Towards Data Science Blog");
    assert_eq!(quest["section"], "First Thing First - What does it mean by ML In Production?");
    assert_eq!(quest["source"], "data/ml-in-production.md");
    assert_eq!(quest["line"], "13");
    let michelangelo = &entries[5];
    assert_eq!(michelangelo["organizations"], "Uber");
    assert_eq!(michelangelo["media_types"], "Blog; Paper");
    assert_eq!(
        michelangelo["urls"],
        "https://eng.uber.com/michelangelo/ http://proceedings.mlr.press/v67/li17a/li17a.pdf"
    );

    let (_, links) = read_csv(&dir.path().join("links.csv"));
    assert_eq!(links.len(), 19);
    let published: Vec<(&str, &str)> = links
        .iter()
        .filter(|l| !l["publisher"].is_empty())
        .map(|l| (l["site"].as_str(), l["publisher"].as_str()))
        .collect();
    assert_eq!(
        published,
        [
            ("eng.uber.com", "Uber"),
            ("medium.com", "Netflix"),
            ("medium.com", "Netflix"),
            ("databricks.com", "Databricks")
        ]
    );

    let (node_headers, nodes) = read_csv(&dir.path().join("nodes.csv"));
    assert_eq!(&node_headers[..2], ["Id", "Label"], "Gephi's node table columns");
    let (edge_headers, edges) = read_csv(&dir.path().join("edges.csv"));
    assert_eq!(&edge_headers[..3], ["Source", "Target", "Type"], "Gephi's edge table columns");
    let ids: BTreeSet<&str> = nodes.iter().map(|n| n["Id"].as_str()).collect();
    assert_eq!(ids.len(), nodes.len(), "node ids are unique");
    for e in &edges {
        assert!(ids.contains(e["Source"].as_str()) && ids.contains(e["Target"].as_str()), "{e:?}");
    }
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for n in &nodes {
        *kinds.entry(n["Kind"].as_str()).or_default() += 1;
    }
    let expected = BTreeMap::from([
        ("Entry", 11),
        ("Link", 19),
        ("List", 1),
        ("MediaType", 8),
        ("Organization", 5),
        ("Section", 3),
        ("Site", 15),
        ("Url", 18), // Meson's Blog and Video share one URL
    ]);
    assert_eq!(kinds, expected);
    // 3 sections→list, 11 entries→section, 19 each of entry→link, link→url, link→media type and
    // link→site, 4 mentions, 4 published-by.
    assert_eq!(edges.len(), 3 + 11 + 19 * 4 + 4 + 4);
}

#[test]
fn graphviz_accepts_the_dot_file() {
    if !common::have("Graphviz `dot`", std::process::Command::new("dot").arg("-V")) {
        return;
    }
    let dir = TempDir::new("dot");
    build_into(dir.path());
    let dot = dir.path().join("graph.dot");
    let out = std::process::Command::new("dot")
        .args(["-Tsvg", "-o"])
        .arg(dir.path().join("check.svg"))
        .arg(&dot)
        .output()
        .expect("Graphviz `dot` is installed (.ci/run installs it)");
    assert!(out.status.success(), "dot rejected graph.dot: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "dot warned: {}", String::from_utf8_lossy(&out.stderr));
    let svg = std::fs::read_to_string(dir.path().join("check.svg")).unwrap();
    for label in ["Use Cases &amp; Papers", "Michelangelo: Uber’s Machine", "Legend", "Netflix"] {
        assert!(svg.contains(label), "the picture shows {label:?}");
    }
}

#[test]
fn committed_exports_match_a_fresh_build() {
    let dir = TempDir::new("fresh");
    build_into(dir.path());
    let mut checked = 0;
    for entry in walk(dir.path()) {
        let rel = entry.strip_prefix(dir.path()).unwrap();
        if rel == Path::new("graph.svg") {
            continue; // depends on the Graphviz version
        }
        let committed = Path::new("exports").join(rel);
        let fresh = std::fs::read(&entry).unwrap();
        let old = std::fs::read(&committed).unwrap_or_else(|e| panic!("{}: {e}", committed.display()));
        assert!(old == fresh, "{} differs from a fresh build: run `cargo run --release -- build`", committed.display());
        checked += 1;
    }
    assert!(checked >= 12 + 8, "checked {checked} files");
}

/// The library's in-memory exports are the committed files, byte for byte (graph.svg is drawn
/// separately, by Graphviz).
#[test]
fn in_memory_exports_equal_the_committed_files() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let built = awesome_kg::pipeline::build(
        &[std::path::PathBuf::from("data/ml-in-production.md")], // as `build` names it (cwd: the package)
        &awesome_kg::extract::Gazetteer::bundled(),
        &awesome_kg::rdf::BaseIri::default(),
    )
    .unwrap();
    let queries = awesome_kg::pipeline::read_queries(&root.join("queries")).unwrap();
    let files = awesome_kg::pipeline::exports(&built, &queries).unwrap();
    assert_eq!(files.len(), 12 + queries.len(), "11 exports and vocab.ttl, one CSV per query");
    for file in files {
        let committed = std::fs::read(root.join("exports").join(&file.path)).unwrap();
        assert!(committed == file.bytes, "{} differs from exports/", file.path.display());
    }
}
