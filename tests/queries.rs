//! Every file in `queries/` opens with a comment, runs on the bundled list, and gives the
//! answer reviewed by hand in `tests/expected/queries/NAME.csv`.

use awesome_kg::extract::Gazetteer;
use awesome_kg::pipeline::{build, read_queries, Built};
use awesome_kg::query::{evaluate, Answer, OutputFormat};
use awesome_kg::rdf::BaseIri;
use oxigraph::model::Term;
use std::path::{Path, PathBuf};

fn seed() -> Built {
    build(&[PathBuf::from("data/ml-in-production.md")], &Gazetteer::bundled(), &BaseIri::default()).unwrap()
}

#[test]
fn every_query_file_gives_its_expected_answer() {
    let built = seed();
    let queries = read_queries(Path::new("queries")).unwrap();
    assert!(queries.len() >= 8, "at least 8 query files, found {}", queries.len());
    for q in &queries {
        assert!(q.text.starts_with("# "), "{} must open with a comment saying what it answers", q.origin);
        let answer = evaluate(&built.dataset, &q.text, &q.origin).unwrap();
        let got = String::from_utf8(answer.to_spreadsheet_csv().unwrap()).unwrap();
        let expected_path = format!("tests/expected/queries/{}.csv", q.name);
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|e| panic!("{expected_path}: {e} (every query needs a reviewed answer)"));
        assert_eq!(got, expected, "answer of {}", q.origin);
    }
}

#[test]
fn links_per_media_type_sum_to_all_links() {
    let built = seed();
    let q = std::fs::read_to_string("queries/links-per-media-type.rq").unwrap();
    let Answer::Solutions { rows, .. } = evaluate(&built.dataset, &q, "q").unwrap() else { panic!("SELECT") };
    let total: usize = rows
        .iter()
        .map(|r| match &r[1] {
            Some(Term::Literal(l)) => l.value().parse::<usize>().unwrap(),
            other => panic!("a count, not {other:?}"),
        })
        .sum();
    assert_eq!(total, 19);
}

#[test]
fn result_formats() {
    let built = seed();
    let q = "SELECT ?name WHERE { ?o a schema:Organization ; schema:name ?name } ORDER BY ?name";
    let answer = evaluate(&built.dataset, q, "--sparql").unwrap();
    let table = String::from_utf8(answer.write(OutputFormat::Table).unwrap()).unwrap();
    assert_eq!(table, "name\n----------\nAirbnb\nDatabricks\nGoogle\nNetflix\nUber\n(5 rows)\n");
    let csv = String::from_utf8(answer.write(OutputFormat::Csv).unwrap()).unwrap();
    assert_eq!(csv, "name\r\nAirbnb\r\nDatabricks\r\nGoogle\r\nNetflix\r\nUber\r\n");
    let tsv = String::from_utf8(answer.write(OutputFormat::Tsv).unwrap()).unwrap();
    assert_eq!(tsv.lines().next(), Some("?name"));
    assert_eq!(tsv.lines().nth(1), Some("\"Airbnb\""));
    let json = String::from_utf8(answer.write(OutputFormat::Json).unwrap()).unwrap();
    assert!(
        json.starts_with(
            r#"{"head":{"vars":["name"]},"results":{"bindings":[{"name":{"type":"literal","value":"Airbnb"}}"#
        ),
        "{json}"
    );
    let xml = String::from_utf8(answer.write(OutputFormat::Xml).unwrap()).unwrap();
    assert!(xml.contains("<binding name=\"name\"><literal>Uber</literal></binding>"), "{xml}");
}

#[test]
fn ask_construct_and_describe() {
    let built = seed();
    let ask = evaluate(&built.dataset, "ASK { ?e schema:mentions ?o }", "ask").unwrap();
    assert_eq!(ask, Answer::Boolean(true));
    assert_eq!(ask.write(OutputFormat::Table).unwrap(), b"true\n");
    assert_eq!(ask.write(OutputFormat::Json).unwrap(), br#"{"head":{},"boolean":true}"#);
    let construct =
        evaluate(&built.dataset, "CONSTRUCT { ?e schema:mentions ?o } WHERE { ?e schema:mentions ?o }", "construct")
            .unwrap();
    let Answer::Graph(triples) = &construct else { panic!("CONSTRUCT gives a graph") };
    assert_eq!(triples.len(), 4);
    let turtle = String::from_utf8(construct.write(OutputFormat::Table).unwrap()).unwrap();
    assert!(turtle.contains("@prefix schema: <http://schema.org/> ."), "{turtle}");
    assert_eq!(turtle.matches("schema:mentions").count(), 4, "{turtle}");
    let describe =
        evaluate(&built.dataset, "DESCRIBE <https://w3id.org/awesome-kg/id/organization/uber>", "d").unwrap();
    let Answer::Graph(triples) = describe else { panic!("DESCRIBE gives a graph") };
    assert_eq!(triples.len(), 3, "type, name and sameAs of Uber: {triples:?}");
}

#[test]
fn query_errors_name_their_origin() {
    let built = seed();
    let err = evaluate(&built.dataset, "SELECT ?x WHERE { ?x ", "queries/broken.rq").unwrap_err();
    assert!(err.to_string().starts_with("queries/broken.rq: "), "{err}");
}
