//! SPARQL runs on our own dataset (spareval over `rdf::Dataset`'s lookups) instead of an
//! oxigraph store. Here every bundled query and a set of queries that reach into each corner
//! of the lookups (graphs, FROM, terms the data lacks, paths, negation, DESCRIBE) get the same
//! answers from both: the seed list with the quirks fixture (two named graphs), and the
//! 29-list corpus when `../shared/corpus` is there.

use awesome_kg::extract::Gazetteer;
use awesome_kg::pipeline::{build, bundled_queries, Built};
use awesome_kg::query::{self, Answer, Limits};
use awesome_kg::rdf::{self, BaseIri};
use awesome_kg::vocab::PREFIXES;
use oxigraph::model::{Term, Triple};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// An answer in a form both engines can be compared in: rows as N-Triples terms, sorted (the
/// order of rows is the engines' own unless the query orders them, and then ties may differ),
/// with the parts of `GROUP_CONCAT(…; SEPARATOR="; ")` cells sorted (their order is the order
/// rows arrive in).
#[derive(Debug, PartialEq, Eq)]
enum Normal {
    Rows(Vec<String>, Vec<Vec<String>>),
    Boolean(bool),
    Graph(BTreeSet<String>),
}

fn cell(term: Option<&Term>) -> String {
    match term {
        None => String::new(),
        Some(Term::Literal(l)) if l.value().contains("; ") => {
            let mut parts: Vec<&str> = l.value().split("; ").collect();
            parts.sort_unstable();
            format!("{:?}^^{}", parts.join("; "), l.datatype())
        }
        Some(t) => t.to_string(),
    }
}

fn graph(triples: impl IntoIterator<Item = Triple>) -> Normal {
    Normal::Graph(triples.into_iter().map(|t| t.to_string()).collect())
}

fn ours(built: &Built, q: &str, dataset: Option<&query::Dataset>) -> Normal {
    let answer = query::run(&built.dataset, q, dataset, &Limits::default()).unwrap_or_else(|e| panic!("{q}: {e}"));
    match answer.answer {
        Answer::Solutions { variables, rows } => {
            let mut rows: Vec<Vec<String>> =
                rows.iter().map(|r| r.iter().map(|t| cell(t.as_ref())).collect()).collect();
            rows.sort();
            Normal::Rows(variables, rows)
        }
        Answer::Boolean(b) => Normal::Boolean(b),
        Answer::Graph(triples) => graph(triples),
    }
}

/// The same query on an oxigraph store holding the same quads, configured as `query::run`
/// configures the engine: the prefixes predeclared, the default graph the union of all graphs
/// unless the query or `dataset` says otherwise.
fn oxigraph(store: &Store, q: &str, dataset: Option<&query::Dataset>) -> Normal {
    let mut evaluator = SparqlEvaluator::new();
    for (prefix, iri) in PREFIXES {
        evaluator = evaluator.with_prefix(*prefix, *iri).unwrap();
    }
    let mut prepared = evaluator.parse_query(q).unwrap();
    match dataset {
        Some(d) => {
            prepared.dataset_mut().set_default_graph(d.default_graphs.iter().cloned().map(Into::into).collect());
            prepared.dataset_mut().set_available_named_graphs(d.named_graphs.iter().cloned().map(Into::into).collect());
        }
        None if prepared.dataset().is_default_dataset() => prepared.dataset_mut().set_default_graph_as_union(),
        None => {}
    }
    match prepared.on_store(store).execute().unwrap() {
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().iter().map(|v| v.as_str().to_owned()).collect();
            let mut rows: Vec<Vec<String>> = solutions
                .map(|s| {
                    let s = s.unwrap();
                    s.values().iter().map(|t| cell(t.as_ref())).collect()
                })
                .collect();
            rows.sort();
            Normal::Rows(variables, rows)
        }
        QueryResults::Boolean(b) => Normal::Boolean(b),
        QueryResults::Graph(triples) => graph(triples.map(Result::unwrap)),
    }
}

/// Queries that exercise every way a pattern is looked up, named graphs and the dataset
/// clauses, terms a query makes that the data does not hold, paths, negation and aggregates.
/// `{G}` is replaced by a list's named graph.
const QUERIES: &[&str] = &[
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "SELECT ?s ?p ?o WHERE { GRAPH <{G}> { ?s ?p ?o } }",
    "SELECT ?s ?p ?o FROM <{G}> WHERE { ?s ?p ?o }",
    "SELECT ?g ?s FROM NAMED <{G}> WHERE { GRAPH ?g { ?s a schema:CreativeWork } }",
    "SELECT ?s WHERE { GRAPH <https://example.org/no-such-graph> { ?s ?p ?o } }",
    "SELECT ?s ?o WHERE { ?s schema:mentions ?o }",
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p",
    "SELECT ?s ?p WHERE { ?s ?p <https://w3id.org/awesome-kg/id/organization/uber> }",
    "SELECT ?p ?o WHERE { <https://w3id.org/awesome-kg/id/organization/uber> ?p ?o }",
    "SELECT ?p WHERE { <https://w3id.org/awesome-kg/id/organization/uber> ?p <http://schema.org/Organization> }",
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o) && STRLEN(STR(?o)) > 60) }",
    "SELECT ?e ?line WHERE { ?e akg:line ?line FILTER(?line > 20 && ?line < 40) }",
    "SELECT ?e WHERE { ?e schema:name \"no entry has this title\" }",
    "SELECT ?x ?e WHERE { BIND(\"Uber\" AS ?x) OPTIONAL { ?e schema:name ?x } }",
    "SELECT ?x WHERE { VALUES ?x { <https://example.org/absent> schema:Organization \"Google\" } ?s ?p ?x }",
    "SELECT ?e ?o WHERE { ?e a schema:CreativeWork OPTIONAL { ?e schema:mentions ?o } }",
    "SELECT ?e WHERE { ?e a schema:CreativeWork FILTER NOT EXISTS { ?e schema:mentions ?o } }",
    "SELECT ?e WHERE { ?e a schema:CreativeWork MINUS { ?e akg:hasLink/dcterms:type ?t } }",
    "SELECT ?e ?top WHERE { ?e dcterms:subject/skos:broader* ?top }",
    "SELECT ?n (COUNT(DISTINCT ?e) AS ?c) WHERE { ?e schema:mentions ?o . ?o schema:name ?n } GROUP BY ?n HAVING (COUNT(?e) > 1)",
    "SELECT (STRLEN(?n) + 1 AS ?len) (LANG(?n) AS ?lang) (DATATYPE(?n) AS ?dt) WHERE { ?o a schema:Organization ; schema:name ?n }",
    "SELECT ?s WHERE { ?s ?p ?s }",
    "ASK { ?s schema:name \"Uber\" }",
    "ASK { ?s schema:name \"not there\" }",
    "CONSTRUCT { ?e schema:name ?n ; schema:url ?u } WHERE { ?e schema:name ?n OPTIONAL { ?e schema:url ?u } }",
    "DESCRIBE <https://w3id.org/awesome-kg/id/organization/uber>",
];

fn compare(built: &Built) {
    let store = rdf::load_store(&built.dataset).unwrap();
    let g = built.dataset.graph_ids().first().map(|&g| built.dataset.term(g).unwrap().into_owned());
    let Some(Term::NamedNode(g)) = g else { panic!("a list's named graph") };
    let mut queries: Vec<String> = bundled_queries().into_iter().map(|q| q.text).collect();
    queries.extend(QUERIES.iter().map(|q| q.replace("{G}", g.as_str())));
    let mut seen_rows = 0;
    for q in &queries {
        let (a, b) = (ours(built, q, None), oxigraph(&store, q, None));
        if let Normal::Rows(_, rows) = &a {
            seen_rows += rows.len();
        }
        assert_eq!(a, b, "{q}");
    }
    assert!(seen_rows > 100, "the queries found rows ({seen_rows})");
    // The protocol's default-graph-uri and named-graph-uri.
    let chosen = query::Dataset { default_graphs: vec![g.clone()], named_graphs: vec![g] };
    for q in ["SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "SELECT ?g ?s WHERE { GRAPH ?g { ?s a schema:CreativeWork } }"] {
        assert_eq!(ours(built, q, Some(&chosen)), oxigraph(&store, q, Some(&chosen)), "{q} with {chosen:?}");
    }
}

#[test]
fn our_engine_answers_as_an_oxigraph_store_on_the_seed_and_fixtures() {
    let files: Vec<PathBuf> = ["data/ml-in-production.md", "tests/fixtures/quirks.md"].map(PathBuf::from).into();
    let built = build(&files, &Gazetteer::bundled(), &BaseIri::default()).unwrap();
    assert_eq!(built.dataset.graph_ids().len(), 2, "one named graph per list");
    compare(&built);
}

#[test]
fn our_engine_answers_as_an_oxigraph_store_on_the_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !dir.join("MANIFEST.tsv").is_file() {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    }
    let built = build(&[dir], &Gazetteer::bundled(), &BaseIri::default()).unwrap();
    compare(&built);
}
