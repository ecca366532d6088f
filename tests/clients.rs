//! `awesome-kg serve` as a separate process, queried by the clients people use: Python's
//! SPARQLWrapper and rdflib's SPARQLStore (from PyPI), and curl. Their answers must equal the
//! local ones. `.ci/run` installs them; elsewhere a missing client skips its test.

mod common;

use awesome_kg::extract::Gazetteer;
use awesome_kg::pipeline;
use awesome_kg::query::{self, Answer, OutputFormat};
use awesome_kg::rdf::BaseIri;
use common::{have, Serving};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Triple;
use std::collections::HashSet;
use std::path::PathBuf;
use std::process::Command;

/// Titles hold non-ASCII (’) and commas; the ordering makes the rows comparable. The prefixes
/// are declared although the endpoint predeclares them: rdflib's SPARQLStore sends its own
/// `schema:` (https://schema.org/, not the http:// that schema.org data uses).
const SELECT: &str = "PREFIX schema: <http://schema.org/> PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX skos: \
                      <http://www.w3.org/2004/02/skos/core#> SELECT ?title ?section WHERE { ?e a schema:CreativeWork ; schema:name ?title ; \
                      dcterms:subject/skos:prefLabel ?section } ORDER BY ?title";
const CONSTRUCT: &str = "CONSTRUCT { ?e schema:name ?n ; schema:url ?u } WHERE { ?e schema:name ?n . OPTIONAL { \
                         ?e schema:url ?u } }";

fn dataset() -> awesome_kg::rdf::Dataset {
    let seed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/ml-in-production.md");
    pipeline::build(&[seed], &Gazetteer::bundled(), &BaseIri::default()).unwrap().dataset
}

/// The local answer's rows, as lexical values (read back from SPARQL CSV).
fn local_rows(query: &str) -> Vec<Vec<String>> {
    let csv = query::evaluate(&dataset(), query, "test").unwrap().write(OutputFormat::Csv).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect()
}

fn local_graph(query: &str) -> HashSet<Triple> {
    match query::evaluate(&dataset(), query, "test").unwrap() {
        Answer::Graph(triples) => triples.into_iter().collect(),
        other => panic!("not a graph: {other:?}"),
    }
}

fn n_triples(lines: &[String]) -> HashSet<Triple> {
    let text = lines.join("\n");
    RdfParser::from_format(RdfFormat::NTriples).for_slice(text.as_bytes()).map(|q| Triple::from(q.unwrap())).collect()
}

#[test]
fn python_clients_read_every_format() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/clients/sparql_clients.py");
    if !have(
        "python3 with SPARQLWrapper and rdflib",
        Command::new("python3").args(["-c", "import SPARQLWrapper, rdflib"]),
    ) {
        return;
    }
    let server = Serving::start(&[]);
    let output = Command::new("python3")
        .args([script, &server.url("/query"), SELECT, CONSTRUCT])
        .output()
        .expect("python3 runs");
    assert!(output.status.success(), "the client script failed: {}", String::from_utf8_lossy(&output.stderr));
    let seen: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();

    let expected = local_rows(SELECT);
    assert_eq!(expected.len(), 11, "one row per entry");
    assert!(expected.iter().any(|r| r[0].contains('’')), "non-ASCII crosses the wire");
    for format in ["json", "xml", "csv", "tsv"] {
        let rows: Vec<Vec<String>> = serde_json::from_value(seen["select"][format].clone()).unwrap();
        assert_eq!(rows, expected, "SPARQLWrapper, {format}");
    }
    let rows: Vec<Vec<String>> = serde_json::from_value(seen["rdflib_select"].clone()).unwrap();
    assert_eq!(rows, expected, "rdflib SPARQLStore");
    assert_eq!(seen["rdflib_triples"], 322, "len(graph) through SPARQLStore");
    assert_eq!(seen["ask"], true);

    let graph = local_graph(CONSTRUCT);
    assert_eq!(graph.len(), 70, "names of everything named (51) and the URLs of links (19)");
    for format in ["turtle", "n3", "rdfxml", "jsonld"] {
        let lines: Vec<String> = serde_json::from_value(seen["construct"][format].clone()).unwrap();
        assert_eq!(n_triples(&lines), graph, "SPARQLWrapper CONSTRUCT as {format}");
    }

    let update = seen["update"].as_str().unwrap();
    assert!(update.contains("403"), "an update is refused with 403: {update}");
    assert_eq!(seen["malformed"], "QueryBadFormed", "a malformed query is a 400");
}

#[test]
fn curl_gets_every_format() {
    if !have("curl", Command::new("curl").arg("--version")) {
        return;
    }
    let server = Serving::start(&[]);
    let curl = |accept: &str, query: &str| -> (String, Vec<u8>) {
        let output = Command::new("curl")
            .args(["-sS", "-G", "-H", &format!("Accept: {accept}"), "--data-urlencode", &format!("query={query}")])
            .args(["-w", "\n%{http_code} %{content_type}", &server.url("/query")])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let split = output.stdout.iter().rposition(|&b| b == b'\n').unwrap();
        (String::from_utf8_lossy(&output.stdout[split + 1..]).into_owned(), output.stdout[..split].to_vec())
    };
    let answer = query::evaluate(&dataset(), SELECT, "test").unwrap();
    for (media, format) in [
        ("application/sparql-results+json", OutputFormat::Json),
        ("application/sparql-results+xml", OutputFormat::Xml),
        ("text/csv", OutputFormat::Csv),
        ("text/tab-separated-values", OutputFormat::Tsv),
    ] {
        let (status, body) = curl(media, SELECT);
        assert_eq!(status, format!("200 {media}"));
        assert_eq!(body, answer.write(format).unwrap(), "{media}");
    }
    let graph = local_graph(CONSTRUCT);
    for (media, format) in [
        ("text/turtle", RdfFormat::Turtle),
        ("application/n-triples", RdfFormat::NTriples),
        ("application/rdf+xml", RdfFormat::RdfXml),
        ("application/ld+json", RdfFormat::JsonLd { profile: oxigraph::io::JsonLdProfileSet::empty() }),
    ] {
        let (status, body) = curl(media, CONSTRUCT);
        assert_eq!(status, format!("200 {media}"));
        let parsed: HashSet<Triple> =
            RdfParser::from_format(format).for_slice(&body).map(|q| Triple::from(q.unwrap())).collect();
        assert_eq!(parsed, graph, "{media}");
    }
    let (status, body) = curl("*/*", "SELECT ?x WHERE { ?x");
    assert!(status.starts_with("400 "), "{status}: {}", String::from_utf8_lossy(&body));
}
