//! `query/fast` held to spareval: the same rows (as multisets; GROUP_CONCAT's parts in any
//! order) on the bundled queries over real lists, and on random datasets for queries that
//! reach every operator, every aggregate and what it declines.

use super::super::{order, real_lists, run_in, Answer, Engine, FailureKind, Limits};
use crate::rdf::{Dataset, DatasetBuilder};
use crate::vocab::PREFIXES;
use oxigraph::model::{Literal, Term};
use oxigraph::sparql::CancellationToken;
use proptest::prelude::*;

/// A cell compared without order: a literal holding `|` or `; ` (the separators the queries
/// here and the bundled ones use) has its parts sorted.
fn cell(term: &Option<Term>) -> String {
    match term {
        Some(Term::Literal(l)) => {
            let separator = if l.value().contains('|') { "|" } else { "; " };
            let mut parts: Vec<&str> = l.value().split(separator).collect();
            parts.sort_unstable();
            format!("{:?}@{:?}^^{}", parts.join(separator), l.language(), l.datatype())
        }
        Some(t) => t.to_string(),
        None => "unbound".to_owned(),
    }
}

/// The answer's variables and its rows as a sorted list of cells.
fn normal(answer: Answer) -> (Vec<String>, Vec<Vec<String>>) {
    let (variables, rows) = match answer {
        Answer::Solutions { variables, rows } => (variables, rows),
        Answer::Boolean(b) => (vec![format!("ASK: {b}")], Vec::new()),
        Answer::Graph(_) => panic!("no CONSTRUCT here"),
    };
    let mut rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(cell).collect()).collect();
    rows.sort();
    (variables, rows)
}

fn answer(data: &Dataset, query: &str, engine: Engine) -> (Vec<String>, Vec<Vec<String>>) {
    normal(run_in(data, query, None, &Limits::default(), engine).unwrap_or_else(|e| panic!("{query}: {e}")).answer)
}

/// Whether `query/fast` evaluates `query` (what `run` gives it: without its ORDER BY).
fn taken(data: &Dataset, query: &str) -> bool {
    let mut parser = spargebra::SparqlParser::new();
    for (prefix, iri) in PREFIXES {
        parser = parser.with_prefix(*prefix, *iri).unwrap();
    }
    let parsed = parser.parse_query(query).unwrap();
    let query = order::split(&parsed).map_or(parsed, |s| s.query);
    super::evaluate(data, &query, None, usize::MAX).is_some()
}

/// The bundled queries on the seed, the quirks fixture and a few real lists: the same answers,
/// and every bundled SELECT evaluated here but the one it declines (subqueries joined).
#[test]
fn bundled_queries_answer_as_spareval_does() {
    let built = real_lists();
    let mut taken_names = Vec::new();
    for query in crate::pipeline::bundled_queries() {
        let direct = answer(&built.dataset, &query.text, Engine::Direct);
        let empty = ["urls-in-several-lists", "has-organization-mentions"];
        assert!(!direct.1.is_empty() || empty.contains(&query.name.as_str()), "{} answers nothing", query.name);
        assert_eq!(direct, answer(&built.dataset, &query.text, Engine::Spareval), "{}", query.name);
        if query.text.contains("SELECT") && taken(&built.dataset, &query.text) {
            taken_names.push(query.name.clone());
        }
    }
    let declined: Vec<String> = crate::pipeline::bundled_queries()
        .into_iter()
        .map(|q| q.name)
        .filter(|n| n != "has-organization-mentions" && !taken_names.contains(n))
        .collect();
    // papers-and-publishers' path `schema:publisher/schema:name` is a pattern with a blank node
    // once parsed.
    assert_eq!(declined, ["organizations-with-wikidata"]);
}

/// Queries over `<http://e/p0>`…`<http://e/p2>`, with what each reaches.
const QUERIES: &[(&str, bool)] = &[
    // a join in written order
    ("SELECT ?x ?y ?z WHERE { ?x <http://e/p0> ?y . ?y <http://e/p1> ?z }", true),
    // COUNT(*) per group; keys of every kind
    ("SELECT ?y (COUNT(*) AS ?n) WHERE { ?x <http://e/p0> ?y } GROUP BY ?y", true),
    // the bundled reports' shape: DISTINCT aggregates and HAVING
    ("SELECT ?x (COUNT(DISTINCT ?y) AS ?n) (GROUP_CONCAT(DISTINCT ?y; SEPARATOR=\"|\") AS ?c) WHERE { ?x <http://e/p0> ?y } GROUP BY ?x HAVING (COUNT(DISTINCT ?y) > 1)", true),
    // GROUP_CONCAT of IRIs and integers (no value), the default separator
    ("SELECT ?x (GROUP_CONCAT(?y) AS ?c) WHERE { ?x <http://e/p0> ?y OPTIONAL { ?y <http://e/p1> ?z } } GROUP BY ?x", true),
    // OPTIONAL with and without a match
    ("SELECT ?x ?y ?z WHERE { ?x <http://e/p0> ?y OPTIONAL { ?y <http://e/p1> ?z } }", true),
    // unbound values counted and concatenated
    ("SELECT ?y (COUNT(?z) AS ?n) (GROUP_CONCAT(DISTINCT ?z; SEPARATOR=\"|\") AS ?c) WHERE { ?x <http://e/p0> ?y OPTIONAL { ?x <http://e/p1> ?z } } GROUP BY ?y", true),
    // MINUS sharing a variable, and sharing none (nothing removed)
    ("SELECT ?x ?y WHERE { ?x <http://e/p0> ?y MINUS { ?x <http://e/p1> ?w } }", true),
    ("SELECT ?x WHERE { ?x <http://e/p0> ?y MINUS { ?a <http://e/p1> ?b } }", true),
    // MINUS on a variable OPTIONAL may leave unbound
    ("SELECT ?x ?z WHERE { ?x <http://e/p0> ?y OPTIONAL { ?y <http://e/p2> ?z } MINUS { ?z <http://e/p1> ?w } }", true),
    // a variable twice in a pattern; a variable predicate
    ("SELECT ?x ?p ?y WHERE { ?x ?p ?x . ?x <http://e/p0> ?y }", true),
    // no GROUP BY: one group, also with no rows
    ("SELECT (COUNT(*) AS ?n) (GROUP_CONCAT(?y; SEPARATOR=\"|\") AS ?c) WHERE { ?x <http://e/p2> ?y }", true),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?x <http://e/p2> <http://e/nowhere> }", true),
    // BIND of a variable, constants held and absent, a blank node
    ("SELECT ?x ?v WHERE { ?x <http://e/p0> ?y BIND(?y AS ?v) }", true),
    ("SELECT ?x WHERE { ?x <http://e/p0> \"a\"@en }", true),
    ("SELECT ?x WHERE { ?x <http://e/p0> \"absent\" }", true),
    ("SELECT ?x WHERE { ?x <http://e/p1> [] }", true),
    // HAVING on both sides, and on an alias (unbound there: no row passes)
    ("SELECT ?y (COUNT(?x) AS ?n) WHERE { ?x <http://e/p0> ?y } GROUP BY ?y HAVING (COUNT(?x) >= 2 && 3 > COUNT(?x))", true),
    ("SELECT ?y (COUNT(?x) AS ?n) WHERE { ?x <http://e/p0> ?y } GROUP BY ?y HAVING (?n > 0)", true),
    // a group joined with a pattern, and ordered
    ("SELECT ?y ?n ?z WHERE { { SELECT ?y (COUNT(*) AS ?n) WHERE { ?x <http://e/p0> ?y } GROUP BY ?y } ?y <http://e/p1> ?z }", false),
    ("SELECT ?y (COUNT(*) AS ?n) WHERE { ?x <http://e/p0> ?y } GROUP BY ?y ORDER BY DESC(?n) ?y", true),
    // declined: a comparison with data values, a cross product, GRAPH, another aggregate
    ("SELECT ?x ?y WHERE { ?x <http://e/p0> ?y FILTER(?y > 1) }", true),
    ("SELECT ?x ?w WHERE { ?x <http://e/p0> ?y . ?z <http://e/p1> ?w }", false),
    ("SELECT ?x ?g WHERE { GRAPH ?g { ?x <http://e/p0> ?y } }", false),
    ("SELECT ?x (SAMPLE(?y) AS ?s) WHERE { ?x <http://e/p0> ?y } GROUP BY ?x", false),
];

/// Quads over six subjects, three predicates and objects of every kind (IRIs, strings, tagged
/// strings, integers), in the default graph and two named ones (so some are there twice).
fn dataset(quads: &[(u8, u8, u8, u8)]) -> Dataset {
    let mut b = DatasetBuilder::default();
    let nodes: Vec<u32> = (0..6).map(|i| b.iri(&format!("http://e/s{i}"))).collect();
    let predicates: Vec<u32> = (0..3).map(|i| b.iri(&format!("http://e/p{i}"))).collect();
    let graphs = [None, Some(b.iri("http://e/g0")), Some(b.iri("http://e/g1"))];
    let mut objects = nodes.clone();
    for literal in [
        Literal::new_simple_literal("a"),
        Literal::new_simple_literal("b"),
        Literal::new_language_tagged_literal_unchecked("a", "en"),
        Literal::new_language_tagged_literal_unchecked("c", "fr"),
        Literal::from(1),
        Literal::from(2),
    ] {
        objects.push(b.literal(literal));
    }
    for &(s, p, o, g) in quads {
        let (s, p) = (nodes[usize::from(s % 6)], predicates[usize::from(p % 3)]);
        b.add(graphs[usize::from(g % 3)], s, p, objects[usize::from(o) % objects.len()]);
    }
    b.finish()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn random_datasets_get_sparevals_answers(quads in proptest::collection::vec((0u8..6, 0u8..3, 0u8..12, 0u8..3), 0..40)) {
        let data = dataset(&quads);
        for &(query, _) in QUERIES {
            prop_assert_eq!(answer(&data, query, Engine::Direct), answer(&data, query, Engine::Spareval), "{}", query);
        }
    }
}

/// What is evaluated here and what is left to spareval, on data with no integer objects (the
/// FILTER on data values declines only when it meets one).
#[test]
fn the_queries_are_taken_or_declined_as_marked() {
    let strings: Vec<(u8, u8, u8, u8)> = (0..30).map(|i| (i % 6, i % 3, 6 + i % 4, i % 3)).collect();
    let data = dataset(&strings);
    for &(query, expected) in QUERIES {
        assert_eq!(taken(&data, query), expected, "{query}");
    }
    // With integers among the values, the FILTER is left to spareval.
    let data = dataset(&[(0, 0, 10, 0)]);
    assert!(!taken(&data, "SELECT ?x ?y WHERE { ?x <http://e/p0> ?y FILTER(?y > 1) }"));
}

/// A cancelled token stops a query evaluated here.
#[test]
fn cancelling_stops_the_evaluation() {
    let data = dataset(&[(0, 0, 1, 0), (1, 0, 2, 0)]);
    let query = "SELECT ?x (COUNT(*) AS ?n) WHERE { ?x <http://e/p0> ?y } GROUP BY ?x";
    assert!(taken(&data, query));
    let cancel = CancellationToken::new();
    cancel.cancel();
    let limits = Limits { cancel: Some(cancel), max_rows: None };
    let failure = run_in(&data, query, None, &limits, Engine::Direct).unwrap_err();
    assert_eq!(failure.kind, FailureKind::Cancelled);
}

/// With a cap on the rows (the server's), no more rows than one past it are made, and the
/// answer says it was cut short; a cap the answer fits in cuts nothing.
#[test]
fn a_row_cap_stops_the_evaluation() {
    let quads: Vec<(u8, u8, u8, u8)> = (0..6).map(|i| (i, 0, i, 0)).collect();
    let data = dataset(&quads);
    let query = "SELECT ?x ?y WHERE { ?x <http://e/p0> ?y }";
    let parsed = spargebra::SparqlParser::new().parse_query(query).unwrap();
    let made = |limit| super::evaluate(&data, &parsed, None, limit).unwrap().unwrap().rows.len();
    assert_eq!((made(0), made(4), made(usize::MAX)), (0, 4, 6));
    for (cap, rows, truncated) in [(3, 3, true), (6, 6, false), (7, 6, false)] {
        let limits = Limits { cancel: None, max_rows: Some(cap) };
        let evaluated = run_in(&data, query, None, &limits, Engine::Direct).unwrap();
        let Answer::Solutions { rows: got, .. } = evaluated.answer else { panic!("a SELECT") };
        assert_eq!((got.len(), evaluated.truncated), (rows, truncated), "cap {cap}");
    }
}

/// A GROUP BY over more rows than it may keep declines the query (spareval answers it, as any
/// declined query): one row more than the cap is enough.
#[test]
fn a_group_over_too_many_rows_is_left_to_spareval() {
    let quads: Vec<(u8, u8, u8, u8)> = (0..30).map(|i| (i % 6, 0, i % 12, i % 3)).collect();
    let data = dataset(&quads);
    let query = "SELECT ?x (COUNT(*) AS ?n) WHERE { ?x <http://e/p0> ?y } GROUP BY ?x";
    let parsed = spargebra::SparqlParser::new().parse_query(query).unwrap();
    let rows = data
        .matching(
            None,
            data.id_of(oxigraph::model::NamedNodeRef::new_unchecked("http://e/p0").into()),
            None,
            crate::rdf::InGraph::Any,
        )
        .count();
    assert!(super::evaluate_within(&data, &parsed, None, usize::MAX, rows).is_some());
    assert!(super::evaluate_within(&data, &parsed, None, usize::MAX, rows - 1).is_none());
}

/// Random queries of the shapes evaluated here (and some that are declined), on random data:
/// spareval's answers.
#[test]
fn random_queries_get_sparevals_answers() {
    // Few variables, mostly in subjects, so that most patterns connect (a pattern that shares
    // none with those before it is declined).
    let var = || prop::sample::select(vec!["?a", "?b", "?c"]).prop_map(str::to_owned);
    let subject =
        || prop_oneof![6 => var(), 1 => (0..7u8).prop_map(|i| format!("<http://e/s{i}>")), 1 => Just("[]".to_owned())];
    let object = || {
        prop_oneof![
            4 => var(),
            1 => (0..7u8).prop_map(|i| format!("<http://e/s{i}>")),
            1 => prop::sample::select(vec!["\"a\"", "\"a\"@en", "1", "?d"]).prop_map(str::to_owned),
        ]
    };
    let predicate = || prop_oneof![4 => (0..4u8).prop_map(|i| format!("<http://e/p{i}>")), 1 => Just("?p".to_owned())];
    let pattern = move || (subject(), predicate(), object()).prop_map(|(s, p, o)| format!("{s} {p} {o}"));
    let patterns = move |n| proptest::collection::vec(pattern(), 1..=n).prop_map(|ps| ps.join(" . "));
    let group = prop::sample::select(vec![
        "",
        "SELECT ?a (COUNT(*) AS ?n) WHERE { # } GROUP BY ?a",
        "SELECT ?a ?b (COUNT(DISTINCT ?c) AS ?n) (GROUP_CONCAT(DISTINCT ?c; SEPARATOR=\"|\") AS ?g) WHERE { # } GROUP BY ?a ?b",
        "SELECT (COUNT(?b) AS ?n) (GROUP_CONCAT(?d; SEPARATOR=\"|\") AS ?g) WHERE { # }",
        "SELECT ?b (COUNT(?a) AS ?n) WHERE { # } GROUP BY ?b HAVING (COUNT(?a) >= 2)",
        "SELECT ?a ?b ?c ?d WHERE { # } ORDER BY ?a DESC(?c)",
    ]);
    let query = (patterns(3), proptest::option::of(patterns(2)), proptest::option::of(patterns(2)), group).prop_map(
        |(main, optional, minus, group)| {
            let mut body = main;
            if let Some(o) = optional {
                body.push_str(&format!(" OPTIONAL {{ {o} }}"));
            }
            if let Some(m) = minus {
                body.push_str(&format!(" MINUS {{ {m} }}"));
            }
            if group.is_empty() {
                format!("SELECT ?a ?b ?c ?d ?p WHERE {{ {body} }}")
            } else {
                group.replace('#', &body)
            }
        },
    );
    let quads = proptest::collection::vec((0u8..6, 0u8..3, 0u8..12, 0u8..3), 0..30);
    // How many evaluated here gave rows: the comparison is not vacuous.
    let answered_here = std::cell::Cell::new(0);
    proptest!(ProptestConfig::with_cases(1000), |(quads in quads, query in query)| {
        let data = dataset(&quads);
        let limits = Limits::default();
        match (run_in(&data, &query, None, &limits, Engine::Direct), run_in(&data, &query, None, &limits, Engine::Spareval)) {
            (Ok(direct), Ok(spareval)) => {
                let direct = normal(direct.answer);
                if !direct.1.is_empty() && taken(&data, &query) {
                    answered_here.set(answered_here.get() + 1);
                }
                prop_assert_eq!(direct, normal(spareval.answer), "{}", query)
            }
            (Err(a), Err(b)) => prop_assert_eq!(a.kind, b.kind, "{}", query),
            (a, b) => prop_assert!(false, "{query}: {a:?} against {b:?}"),
        }
    });
    assert!(answered_here.get() >= 100, "{} of 1000 random queries answered here with rows", answered_here.get());
}
