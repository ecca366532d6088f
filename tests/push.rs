//! `awesome-kg push` into real triple stores started here on loopback — the Oxigraph server
//! (`pip install oxigraph`) and Virtuoso (Debian's virtuoso-opensource-7-bin) — with both
//! protocols, then the bundled queries asked of the store and compared with the local answers.
//! A fake store checks what a failure leaves behind.

mod common;

use awesome_kg::extract::Gazetteer;
use awesome_kg::pipeline;
use awesome_kg::push::{self, Protocol, Target};
use awesome_kg::query::{self, OutputFormat};
use awesome_kg::rdf::BaseIri;
use common::{awesome_kg, free_port, have, TempDir};
use oxigraph::model::NamedNode;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const GRAPH: &str = "https://w3id.org/awesome-kg/id/graph";

/// A server process, killed when dropped.
struct Process(Child);

impl Process {
    /// Starts `command` with its output discarded.
    fn quiet(command: &mut Command) -> Self {
        Process(command.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap())
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().new_agent()
}

/// Waits until `url` answers 2xx.
fn wait_for(url: &str) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if agent().get(url).call().is_ok_and(|r| r.status().is_success()) {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("{url} did not come up within 60 s");
}

/// Rows (lexical values, sorted) that `endpoint` gives for `query` in SPARQL JSON.
fn remote_rows(endpoint: &str, query: &str) -> Vec<Vec<String>> {
    let mut response = agent()
        .post(endpoint)
        .header("Accept", "application/sparql-results+json")
        .send_form([("query", query)])
        .unwrap();
    let body = response.body_mut().read_to_string().unwrap();
    assert!(response.status().is_success(), "{endpoint}: {body}\n{query}");
    rows(body.as_bytes())
}

fn local_rows(query: &str) -> Vec<Vec<String>> {
    let seed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/ml-in-production.md");
    let built = pipeline::build(&[seed], &Gazetteer::bundled(), &BaseIri::default()).unwrap();
    rows(&query::evaluate(&built.dataset, query, "test").unwrap().write(OutputFormat::Json).unwrap())
}

/// The rows of SPARQL JSON results (an ASK answer is one row), sorted (ties in ORDER BY may
/// come in any order), and in each cell the parts of a GROUP_CONCAT list sorted (their order is
/// the engine's).
fn rows(json: &[u8]) -> Vec<Vec<String>> {
    let results: serde_json::Value = serde_json::from_slice(json).unwrap();
    if let Some(b) = results["boolean"].as_bool() {
        return vec![vec![b.to_string()]];
    }
    let vars: Vec<&str> = results["head"]["vars"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    if vars == ["__ASK_RETVAL"] {
        // Virtuoso answers ASK with a one-cell table holding 1 or 0, not a boolean.
        let value = &results["results"]["bindings"][0]["__ASK_RETVAL"]["value"];
        return vec![vec![(value == "1").to_string()]];
    }
    let mut rows: Vec<Vec<String>> = results["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            vars.iter()
                .map(|v| {
                    let cell = b[*v]["value"].as_str().unwrap_or_default();
                    let mut parts: Vec<&str> = cell.split([',', ';']).map(str::trim).collect();
                    parts.sort_unstable();
                    parts.join("|")
                })
                .collect()
        })
        .collect();
    rows.sort();
    rows
}

fn push_cli(args: &[&str]) {
    let output = awesome_kg(&[&["push"], args].concat());
    assert!(output.status.success(), "push failed: {}", String::from_utf8_lossy(&output.stderr));
}

/// Every bundled query, asked of the store over the pushed graph, equals the local answer.
fn same_answers(query_endpoint: &str, from: &str) {
    let mut answered = 0;
    for q in pipeline::bundled_queries() {
        let expected = local_rows(&q.text);
        answered += usize::from(!expected.is_empty());
        // Ask only the pushed graph: the store may hold other data.
        let text = match q.text.contains("WHERE") {
            true => q.text.replacen("WHERE", &format!("FROM <{from}> WHERE"), 1),
            false => q.text.replacen("ASK {", &format!("ASK FROM <{from}> {{"), 1),
        };
        assert_eq!(remote_rows(query_endpoint, &text), expected, "{} on {query_endpoint}", q.name);
    }
    // On one list, only urls-in-several-lists has no rows.
    assert_eq!(answered, 11, "the queries compared something");
}

fn triples_in(query_endpoint: &str, graph: &str) -> usize {
    let rows =
        remote_rows(query_endpoint, &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"));
    rows[0][0].parse().unwrap()
}

#[test]
fn oxigraph_server_takes_both_protocols() {
    if !have("the Oxigraph server (pip install oxigraph)", Command::new("oxigraph").arg("--version")) {
        return;
    }
    let port = free_port();
    let dir = TempDir::new("oxigraph");
    let _server = Process::quiet(Command::new("oxigraph").args([
        "serve",
        "--location",
        dir.path().to_str().unwrap(),
        "--bind",
        &format!("127.0.0.1:{port}"),
    ]));
    let base = format!("http://127.0.0.1:{port}");
    wait_for(&format!("{base}/query?query=ASK%7B%7D"));
    let query = format!("{base}/query");

    push_cli(&["--endpoint", &format!("{base}/store")]);
    assert_eq!(triples_in(&query, GRAPH), 322);
    same_answers(&query, GRAPH);

    // Pushing again replaces; SPARQL Update in batches of 50 goes through a staging graph.
    let other = "http://example.org/by-update";
    push_cli(&["--endpoint", &format!("{base}/update"), "--protocol", "update", "--batch", "50", "--graph", other]);
    assert_eq!(triples_in(&query, other), 322);
    push_cli(&["--endpoint", &format!("{base}/update"), "--protocol", "update", "--graph", other]);
    assert_eq!(triples_in(&query, other), 322, "replaced, not added to");
    let graphs = remote_rows(&query, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }");
    assert_eq!(graphs, vec![vec![other.to_owned()], vec![GRAPH.to_owned()]], "no staging graph left behind");
    push_cli(&["--endpoint", &format!("{base}/store"), "--batch", "100"]);
    assert_eq!(triples_in(&query, GRAPH), 322, "a PUT and POSTs in batches of 100");
}

#[test]
fn virtuoso_takes_both_protocols() {
    if !have(
        "Virtuoso (virtuoso-opensource-7-bin)",
        Command::new("sh").args(["-c", "command -v virtuoso-t && command -v isql-vt"]),
    ) {
        return;
    }
    let dir = TempDir::new("virtuoso");
    let (sql_port, http_port) = (free_port(), free_port());
    let d = dir.path().display();
    let ini = format!(
        "[Database]\nDatabaseFile = {d}/virtuoso.db\nErrorLogFile = {d}/virtuoso.log\nLockFile = {d}/virtuoso.lck\n\
         TransactionFile = {d}/virtuoso.trx\nxa_persistent_file = {d}/virtuoso.pxa\nStriping = 0\n\
         TempStorage = TempDatabase\n\n[TempDatabase]\nDatabaseFile = {d}/temp.db\nTransactionFile = {d}/temp.trx\n\n\
         [Parameters]\nServerPort = {sql_port}\nDisableUnixSocket = 1\nNumberOfBuffers = 10000\nMaxDirtyBuffers = 6000\n\
         ServerThreads = 10\nDirsAllowed = ., {d}\n\n[HTTPServer]\nServerPort = {http_port}\nServerThreads = 10\n\n\
         [SPARQL]\nResultSetMaxRows = 100000\nMaxQueryExecutionTime = 60\n"
    );
    std::fs::write(dir.path().join("virtuoso.ini"), ini).unwrap();
    let _server = Process::quiet(
        Command::new("virtuoso-t").args(["+foreground", "+configfile", "virtuoso.ini"]).current_dir(dir.path()),
    );
    let base = format!("http://127.0.0.1:{http_port}");
    wait_for(&format!("{base}/sparql?query=ASK%7B%7D"));
    // Writes through /sparql need the SPARQL user to hold SPARQL_UPDATE.
    let grant = Command::new("isql-vt")
        .args([&sql_port.to_string(), "dba", "dba", "exec=grant SPARQL_UPDATE to \"SPARQL\";"])
        .output()
        .unwrap();
    assert!(grant.status.success(), "{}", String::from_utf8_lossy(&grant.stderr));
    let query = format!("{base}/sparql");

    push_cli(&["--endpoint", &format!("{base}/sparql-graph-crud")]);
    assert_eq!(triples_in(&query, GRAPH), 322);
    same_answers(&query, GRAPH);
    push_cli(&["--endpoint", &format!("{base}/sparql-graph-crud")]);
    assert_eq!(triples_in(&query, GRAPH), 322, "PUT replaced the graph");

    let other = "http://example.org/by-update";
    push_cli(&["--endpoint", &query, "--protocol", "update", "--batch", "50", "--graph", other]);
    assert_eq!(triples_in(&query, other), 322);
    assert_eq!(triples_in(&query, &format!("{other}-awesome-kg-staging")), 0, "no staging graph left behind");
    same_answers(&query, other);
}

/// A store that answers `fail_from`-th and later requests with 400 and records every request.
fn fake_store(fail_from: usize) -> (String, std::sync::mpsc::Receiver<String>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}/update", server.server_addr().to_ip().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for (i, mut request) in server.incoming_requests().enumerate() {
            let mut body = String::new();
            request.as_reader().read_to_string(&mut body).unwrap();
            let update: String = form_urlencoded::parse(body.as_bytes())
                .find(|(k, _)| k == "update")
                .map(|(_, v)| v.into_owned())
                .unwrap_or(body);
            let first_line = update.lines().next().unwrap_or_default().to_owned();
            tx.send(first_line).unwrap();
            let status = if i + 1 >= fail_from { 400 } else { 200 };
            let _ = request.respond(tiny_http::Response::from_string("nope").with_status_code(status));
        }
    });
    (url, rx)
}

#[test]
fn a_failed_update_push_leaves_the_target_untouched_and_says_how_far_it_got() {
    let seed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/ml-in-production.md");
    let built = pipeline::build(&[seed], &Gazetteer::bundled(), &BaseIri::default()).unwrap();
    // DROP staging, batch 1, batch 2, then the third batch fails (400: not retried).
    let (endpoint, requests) = fake_store(4);
    let target = Target {
        endpoint,
        graph: NamedNode::new("http://example.org/g").unwrap(),
        protocol: Protocol::Update,
        credentials: None,
        batch: 100,
        retries: 3,
        backoff: Duration::from_millis(1),
    };
    let err = push::push(&built.triples().collect::<Vec<_>>(), &target, |_| {}).unwrap_err().to_string();
    let seen: Vec<String> = requests.try_iter().collect();
    assert_eq!(
        seen,
        [
            "DROP SILENT GRAPH <http://example.org/g-awesome-kg-staging>",
            "INSERT DATA { GRAPH <http://example.org/g-awesome-kg-staging> {",
            "INSERT DATA { GRAPH <http://example.org/g-awesome-kg-staging> {",
            "INSERT DATA { GRAPH <http://example.org/g-awesome-kg-staging> {",
            "DROP SILENT GRAPH <http://example.org/g-awesome-kg-staging>",
        ],
        "no MOVE onto the target; the staging graph is dropped"
    );
    assert!(err.contains("HTTP 400: nope"), "{err}");
    assert!(err.contains("sent 200 of 322 triples to the staging graph"), "{err}");
    assert!(err.contains("the target graph is untouched"), "{err}");
}
