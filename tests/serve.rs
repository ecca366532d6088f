//! The SPARQL endpoint in-process, over real sockets, with ureq as the client: every result
//! format against the local answer, the dataset parameters, the Graph Store read side, the
//! refusals (updates, writes, bad queries, large bodies) and the time limit.

use awesome_kg::extract::Gazetteer;
use awesome_kg::pipeline::{self, Built};
use awesome_kg::query::{self, OutputFormat};
use awesome_kg::rdf::BaseIri;
use awesome_kg::serve::{Config, Server, State};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Triple;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn built() -> Built {
    let seed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/ml-in-production.md");
    pipeline::build(&[seed], &Gazetteer::bundled(), &BaseIri::default()).unwrap()
}

/// A running server on a free loopback port; stopped when dropped.
struct Running {
    server: Arc<Server>,
    base: String,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    fn start(config: Config) -> Self {
        let config = Config { bind: "127.0.0.1:0".parse().unwrap(), ..config };
        let server = Arc::new(Server::bind(config, State::new(built(), pipeline::bundled_queries()).unwrap()).unwrap());
        let base = format!("http://{}", server.local_addr());
        let s = Arc::clone(&server);
        let thread = Some(std::thread::spawn(move || s.run()));
        Running { server, base, thread }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.server.stop();
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().new_agent()
}

/// (status, Content-Type, body) of a response.
fn read(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> (u16, String, String) {
    let mut response = response.unwrap();
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, content_type, response.body_mut().read_to_string().unwrap())
}

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn get(path: &str, accept: Option<&str>, server: &Running) -> (u16, String, String) {
    let mut request = agent().get(server.url(path));
    if let Some(accept) = accept {
        request = request.header("Accept", accept);
    }
    read(request.call())
}

fn local(query: &str, format: OutputFormat) -> String {
    String::from_utf8(query::evaluate(&built().dataset, query, "test").unwrap().write(format).unwrap()).unwrap()
}

fn parse_triples(body: &str, format: RdfFormat) -> HashSet<Triple> {
    RdfParser::from_format(format).for_slice(body.as_bytes()).map(|q| Triple::from(q.unwrap())).collect()
}

const SELECT: &str = "SELECT ?section (COUNT(?e) AS ?entries) WHERE { ?e dcterms:subject ?s . ?s skos:prefLabel \
                      ?section } GROUP BY ?section ORDER BY ?section";
const CONSTRUCT: &str = "CONSTRUCT { ?e schema:name ?n } WHERE { ?e a schema:CreativeWork ; schema:name ?n }";

#[test]
fn every_results_format_equals_the_local_answer() {
    let server = Running::start(Config::default());
    assert!(local(SELECT, OutputFormat::Csv).lines().count() > 2, "the query has rows");
    for (media, format) in [
        ("application/sparql-results+json", OutputFormat::Json),
        ("application/sparql-results+xml", OutputFormat::Xml),
        ("text/csv", OutputFormat::Csv),
        ("text/tab-separated-values", OutputFormat::Tsv),
    ] {
        let expected = local(SELECT, format);
        // GET with Accept, POST form, POST sparql-query, and format= without Accept.
        let by_get = get(&format!("/query?query={}", encode(SELECT)), Some(media), &server);
        let by_form = read(agent().post(server.url("/sparql")).header("Accept", media).send_form([("query", SELECT)]));
        let by_body = read(
            agent()
                .post(server.url("/query"))
                .header("Accept", media)
                .header("Content-Type", "application/sparql-query")
                .send(SELECT),
        );
        let short = media.rsplit(['+', '/', '-']).next().unwrap().replace("values", "tsv");
        let by_param = get(&format!("/query?format={short}&query={}", encode(SELECT)), None, &server);
        for (how, got) in [("GET", by_get), ("form", by_form), ("body", by_body), ("format=", by_param)] {
            assert_eq!(got, (200, media.to_owned(), expected.clone()), "{media} by {how}");
        }
    }
    // No Accept at all: SPARQL JSON.
    let (status, media, _) = get(&format!("/query?query={}", encode("ASK {}")), None, &server);
    assert_eq!((status, media.as_str()), (200, "application/sparql-results+json"));
}

#[test]
fn graph_answers_come_in_every_rdf_syntax() {
    let server = Running::start(Config::default());
    let expected: HashSet<Triple> = match query::evaluate(&built().dataset, CONSTRUCT, "t").unwrap() {
        query::Answer::Graph(t) => t.into_iter().collect(),
        other => panic!("{other:?}"),
    };
    assert_eq!(expected.len(), 11, "one name per entry of the seed list");
    for (media, format) in [
        ("text/turtle", RdfFormat::Turtle),
        ("application/n-triples", RdfFormat::NTriples),
        ("application/rdf+xml", RdfFormat::RdfXml),
        ("application/ld+json", RdfFormat::JsonLd { profile: oxigraph::io::JsonLdProfileSet::empty() }),
    ] {
        let (status, content_type, body) = get(&format!("/query?query={}", encode(CONSTRUCT)), Some(media), &server);
        assert_eq!((status, content_type.as_str()), (200, media));
        assert_eq!(parse_triples(&body, format), expected, "{media}");
    }
    // A results format cannot hold a graph.
    let (status, _, body) = get(&format!("/query?query={}", encode(CONSTRUCT)), Some("text/csv"), &server);
    assert_eq!(status, 406, "{body}");
    assert!(body.contains("text/turtle"), "{body}");
}

#[test]
fn dataset_parameters_choose_the_graphs() {
    let server = Running::start(Config::default());
    let list = "https://w3id.org/awesome-kg/id/list/ml-in-production";
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    let n = |query: &str| -> usize {
        let (status, _, body) = get(&format!("/query?{query}"), Some("text/csv"), &server);
        assert_eq!(status, 200, "{body}");
        body.lines().nth(1).unwrap().trim().parse().unwrap()
    };
    let all = n(&format!("query={}", encode(count)));
    let list_only = n(&format!("query={}&default-graph-uri={}", encode(count), encode(list)));
    let nothing = n(&format!("query={}&default-graph-uri={}", encode(count), encode("http://example.org/none")));
    assert_eq!(all, 322, "the union of every graph");
    assert!(0 < list_only && list_only < all, "{list_only}");
    assert_eq!(nothing, 0);
    let named = format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{list}> {{ ?s ?p ?o }} }}");
    assert_eq!(n(&format!("query={}&named-graph-uri={}", encode(&named), encode(list))), list_only);
    assert_eq!(n(&format!("query={}&named-graph-uri={}", encode(&named), encode("http://example.org/x"))), 0);
    let (status, _, body) =
        get(&format!("/query?query={}&default-graph-uri=not%20an%20iri", encode(count)), None, &server);
    assert_eq!(status, 400, "{body}");
}

#[test]
fn the_graph_store_read_side() {
    let server = Running::start(Config::default());
    let b = built();
    let all: HashSet<Triple> = b.triples().map(Into::into).collect();
    let (status, media, body) = get("/graph", None, &server);
    assert_eq!((status, media.as_str()), (200, "text/turtle"));
    assert_eq!(parse_triples(&body, RdfFormat::Turtle), all);
    let (_, media, body) = get("/graph", Some("application/n-quads"), &server);
    assert_eq!(media, "application/n-quads");
    let quads: HashSet<_> =
        RdfParser::from_format(RdfFormat::NQuads).for_slice(body.as_bytes()).map(Result::unwrap).collect();
    assert_eq!(quads, b.dataset.quads().map(oxigraph::model::Quad::from).collect());
    let list = encode("https://w3id.org/awesome-kg/id/list/ml-in-production");
    let (_, _, named) = get(&format!("/graph?graph={list}"), Some("application/n-triples"), &server);
    let (_, _, default) = get("/graph?default", Some("application/n-triples"), &server);
    let (named, default) = (parse_triples(&named, RdfFormat::NTriples), parse_triples(&default, RdfFormat::NTriples));
    assert!(!named.is_empty() && !default.is_empty());
    assert_eq!(named.union(&default).cloned().collect::<HashSet<_>>(), all, "the list's graph + the shared one");
    let (status, _, body) = get(&format!("/graph?graph={}", encode("http://example.org/none")), None, &server);
    assert_eq!(status, 404, "{body}");
}

#[test]
fn writes_and_updates_are_refused() {
    let server = Running::start(Config::default());
    let insert = "INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }";
    let form = read(agent().post(server.url("/query")).send_form([("update", insert)]));
    let body =
        read(agent().post(server.url("/query")).header("Content-Type", "application/sparql-update").send(insert));
    let as_query = read(agent().post(server.url("/query")).send_form([("query", insert)]));
    let update_route = read(agent().post(server.url("/update")).send_form([("update", insert)]));
    for (how, (status, _, message)) in
        [("update=", form), ("body", body), ("as query", as_query), ("/update", update_route)]
    {
        assert_eq!(status, 403, "{how}: {message}");
        assert!(message.contains("read-only"), "{how}: {message}");
    }
    let put = read(
        agent().put(server.url("/graph?default")).header("Content-Type", "text/turtle").send("<a:a> <a:a> <a:a> ."),
    );
    let delete = read(agent().delete(server.url("/graph?default")).call());
    for (status, _, message) in [put, delete] {
        assert_eq!(status, 405, "{message}");
    }
    // Nothing changed.
    let (_, _, count) =
        get(&format!("/query?query={}", encode("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")), Some("text/csv"), &server);
    assert_eq!(count, "n\r\n322\r\n");
}

#[test]
fn bad_requests_get_4xx_with_a_reason() {
    let config = Config { max_body: 1000, ..Config::default() };
    let server = Running::start(config);
    let (status, _, body) = get(&format!("/query?query={}", encode("SELECT ?x WHERE { ?x ")), None, &server);
    assert_eq!(status, 400);
    assert!(body.starts_with("malformed query: error at 1:"), "the parser's position: {body}");
    let big = format!("SELECT * WHERE {{ ?s ?p ?o }} # {}", "x".repeat(2000));
    let (status, _, body) =
        read(agent().post(server.url("/query")).header("Content-Type", "application/sparql-query").send(&big));
    assert_eq!(status, 413, "{body}");
    let (status, _, _) =
        read(agent().post(server.url("/query")).header("Content-Type", "text/plain").send("SELECT * {}"));
    assert_eq!(status, 415);
    let (status, _, _) = read(agent().post(server.url("/query")).send_form([("other", "1")]));
    assert_eq!(status, 400);
    let (status, _, _) = get(&format!("/query?query={}&query={}", encode("ASK{}"), encode("ASK{}")), None, &server);
    assert_eq!(status, 400);
    let (status, _, _) = get(&format!("/query?query={}", encode("ASK{}")), Some("image/png"), &server);
    assert_eq!(status, 406);
    let (status, _, _) = get("/nothing-here", None, &server);
    assert_eq!(status, 404);
}

#[test]
fn rows_are_capped_and_say_so() {
    let server = Running::start(Config { max_rows: 5, ..Config::default() });
    let response = agent()
        .get(server.url(&format!("/query?query={}", encode("SELECT * { ?s ?p ?o }"))))
        .header("Accept", "text/csv")
        .call()
        .unwrap();
    assert_eq!(response.headers().get("x-sparql-maxrows").unwrap(), "5");
    let (status, _, body) = read(Ok(response));
    assert_eq!(status, 200);
    assert_eq!(body.lines().count(), 6, "a header and 5 rows: {body}");
}

#[test]
fn a_query_over_the_time_limit_is_stopped_while_others_are_answered() {
    let server = Arc::new(Running::start(Config { timeout: Duration::from_millis(500), ..Config::default() }));
    // 322³ ≈ 33 million rows to count: far longer than half a second.
    let heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let s = Arc::clone(&server);
    let started = Instant::now();
    let slow = std::thread::spawn(move || get(&format!("/query?query={}", encode(heavy)), None, &s));
    std::thread::sleep(Duration::from_millis(100));
    let (status, _, body) = get(&format!("/query?query={}", encode("ASK { ?s ?p ?o }")), None, &server);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"boolean\":true"), "{body}");
    assert!(!slow.is_finished(), "answered while the heavy query still runs");
    let (status, _, body) = slow.join().unwrap();
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("time limit"), "{body}");
    assert!(started.elapsed() < Duration::from_secs(30), "stopped, not run to the end");
}

#[test]
fn service_description_health_and_page() {
    let server = Running::start(Config::default());
    let (status, media, body) = get("/query", None, &server);
    assert_eq!((status, media.as_str()), (200, "text/turtle"));
    let description = parse_triples(&body, RdfFormat::Turtle);
    let sd = "http://www.w3.org/ns/sparql-service-description#";
    let has = |p: &str, o: &str| {
        description.iter().any(|t| t.predicate.as_str() == format!("{sd}{p}") && t.object.to_string() == o)
    };
    assert!(has("supportedLanguage", &format!("<{sd}SPARQL11Query>")));
    assert!(has("endpoint", &format!("<{}/query>", server.base)));
    assert!(has("name", "<https://w3id.org/awesome-kg/id/list/ml-in-production>"));
    let (status, _, body) = get("/health", None, &server);
    assert_eq!(status, 200);
    let health: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(health["triples"], 322);
    let (status, media, page) = get("/", None, &server);
    assert_eq!((status, media.as_str()), (200, "text/html; charset=utf-8"));
    assert!(page.contains("<script src=\"/app.js\""), "no CDN: {page}");
    assert!(!page.contains("https://"), "the page loads nothing from elsewhere");
    let (_, _, examples) = get("/examples.json", None, &server);
    let examples: serde_json::Value = serde_json::from_str(&examples).unwrap();
    assert_eq!(examples.as_array().unwrap().len(), 12);
    let (_, _, summary) = get("/summary.json", None, &server);
    let summary: serde_json::Value = serde_json::from_str(&summary).unwrap();
    let counts: Vec<(String, u64)> = serde_json::from_value(summary["counts"].clone()).unwrap();
    assert_eq!(
        &counts[..5],
        &[
            ("entries".to_owned(), 11),
            ("sections".to_owned(), 3),
            ("organizations".to_owned(), 5),
            ("media types".to_owned(), 8),
            ("links".to_owned(), 19)
        ]
    );
}

#[test]
fn bundled_examples_are_the_queries_folder() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("queries");
    let from_disk = pipeline::read_queries(&dir).unwrap();
    let bundled = pipeline::bundled_queries();
    let names = |q: &[pipeline::NamedQuery]| q.iter().map(|q| (q.name.clone(), q.text.clone())).collect::<Vec<_>>();
    assert_eq!(names(&bundled), names(&from_disk), "src/pipeline.rs lists every file of queries/");
}
