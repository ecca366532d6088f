//! Sends the graph to a triple store: the SPARQL 1.1 Graph Store HTTP Protocol (PUT replaces a
//! named graph, POST adds to it), or SPARQL 1.1 Update `INSERT DATA` for stores without it.
//!
//! Large graphs go in batches. Transient failures (connection errors, 408, 429, 5xx) are
//! retried with exponential backoff; other statuses fail at once. With SPARQL Update, a graph
//! of several batches is written to a staging graph and moved onto the target in one `MOVE`,
//! so the target is either fully replaced or untouched. The Graph Store Protocol has no such
//! operation: a graph that fits one batch is replaced atomically by one PUT; a larger one is a
//! PUT and then POSTs, and a failure says how much of it the target holds.

use crate::error::Error;
use oxigraph::model::{NamedNode, TripleRef};
use std::fmt::Write as _;
use std::time::Duration;

/// How to write to the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Protocol {
    /// SPARQL 1.1 Graph Store HTTP Protocol: `--endpoint` is the store's graph store URL.
    #[default]
    Gsp,
    /// SPARQL 1.1 Update (`INSERT DATA`): `--endpoint` is the store's update URL.
    Update,
}

/// Where and how to push.
#[derive(Debug, Clone)]
pub struct Target {
    pub endpoint: String,
    /// The named graph to replace.
    pub graph: NamedNode,
    pub protocol: Protocol,
    /// User name and password for HTTP Basic authentication.
    pub credentials: Option<(String, String)>,
    /// Triples per request.
    pub batch: usize,
    /// Retries of one request after a transient failure.
    pub retries: u32,
    /// First backoff; doubled at each retry.
    pub backoff: Duration,
}

/// What a push did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub triples: usize,
    pub requests: usize,
    pub retries: usize,
}

/// Replaces `target.graph` in the store with `triples`; `progress` is told how many triples
/// have been sent after each request.
pub fn push(triples: &[TripleRef<'_>], target: &Target, mut progress: impl FnMut(usize)) -> Result<Report, Error> {
    if !cfg!(feature = "https") && target.endpoint.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://")) {
        return Err(Error::Push {
            endpoint: target.endpoint.clone(),
            message: "https:// needs TLS, which this build left out: rebuild with `cargo build --release \
                      --features https`"
                .to_owned(),
        });
    }
    let mut client = Client::new(target);
    let batches: Vec<&[TripleRef<'_>]> = triples.chunks(target.batch.max(1)).collect();
    let total = triples.len();
    match target.protocol {
        Protocol::Gsp => {
            let url = gsp_url(&target.endpoint, &target.graph);
            let mut sent = 0;
            // An empty graph is still a PUT: it empties the target.
            for (i, batch) in batches.iter().copied().chain((total == 0).then_some(&[][..])).enumerate() {
                let method = if i == 0 { "PUT" } else { "POST" };
                client.send(method, &url, "application/n-triples", n_triples(batch)).map_err(|message| {
                    let state = match sent {
                        0 => "the target graph is untouched".to_owned(),
                        n => format!(
                            "the target graph holds the first {n} of {total} triples; run push again to replace it"
                        ),
                    };
                    client.error(format!("{message}; sent {sent} of {total} triples; {state}"))
                })?;
                sent += batch.len();
                progress(sent);
            }
        }
        Protocol::Update => {
            let graph = &target.graph;
            if batches.len() <= 1 {
                let data = batches.first().map(|b| n_triples(b)).unwrap_or_default();
                let update = format!("DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{data}}} }}");
                client.update(update).map_err(|m| client.error(format!("{m}; the target graph is untouched")))?;
                progress(total);
            } else {
                let staging = NamedNode::new_unchecked(format!("{}-awesome-kg-staging", graph.as_str()));
                let mut sent = 0;
                let mut result = client.update(format!("DROP SILENT GRAPH {staging}"));
                for batch in &batches {
                    if result.is_err() {
                        break;
                    }
                    let update = format!("INSERT DATA {{ GRAPH {staging} {{\n{}}} }}", n_triples(batch));
                    result = client.update(update);
                    if result.is_ok() {
                        sent += batch.len();
                        progress(sent);
                    }
                }
                if result.is_ok() {
                    result = client.update(format!("MOVE SILENT GRAPH {staging} TO GRAPH {graph}"));
                }
                if let Err(message) = result {
                    // Best effort: do not leave the staging graph behind.
                    let _ = client.update(format!("DROP SILENT GRAPH {staging}"));
                    return Err(client.error(format!(
                        "{message}; sent {sent} of {total} triples to the staging graph {staging}; \
                         the target graph is untouched"
                    )));
                }
            }
        }
    }
    Ok(Report { triples: total, requests: client.requests, retries: client.retries })
}

/// The Graph Store Protocol URL of `graph`: `?graph=` (or `&graph=`) added to the endpoint.
pub fn gsp_url(endpoint: &str, graph: &NamedNode) -> String {
    let separator = if endpoint.contains('?') { '&' } else { '?' };
    let encoded: String = form_urlencoded::byte_serialize(graph.as_str().as_bytes()).collect();
    format!("{endpoint}{separator}graph={encoded}")
}

/// Triples as N-Triples, also valid inside `INSERT DATA`.
fn n_triples(triples: &[TripleRef<'_>]) -> String {
    let mut out = String::with_capacity(triples.len() * 160);
    for t in triples {
        let _ = writeln!(out, "{t} .");
    }
    out
}

struct Client<'a> {
    agent: ureq::Agent,
    target: &'a Target,
    requests: usize,
    retries: usize,
}

impl<'a> Client<'a> {
    fn new(target: &'a Target) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(600)))
            .build()
            .new_agent();
        Client { agent, target, requests: 0, retries: 0 }
    }

    fn error(&self, message: String) -> Error {
        Error::Push { endpoint: self.target.endpoint.clone(), message }
    }

    fn update(&mut self, update: String) -> Result<(), String> {
        let body: String = form_urlencoded::Serializer::new(String::new()).append_pair("update", &update).finish();
        self.send("POST", &self.target.endpoint.clone(), "application/x-www-form-urlencoded", body)
    }

    /// One request, retried after transient failures; the error says what the server said.
    fn send(&mut self, method: &str, url: &str, content_type: &str, body: String) -> Result<(), String> {
        let mut attempt = 0;
        loop {
            self.requests += 1;
            let request = match method {
                "PUT" => self.agent.put(url),
                _ => self.agent.post(url),
            };
            let mut request = request.header("Content-Type", content_type);
            if let Some((user, password)) = &self.target.credentials {
                request = request.header("Authorization", basic_auth(user, password));
            }
            let (transient, message) = match request.send(body.as_bytes()) {
                Ok(mut response) => {
                    let status = response.status().as_u16();
                    if (200..300).contains(&status) {
                        return Ok(());
                    }
                    let text = response.body_mut().read_to_string().unwrap_or_default();
                    let text: String = text.trim().chars().take(500).collect();
                    let transient = matches!(status, 408 | 429 | 500..=599);
                    (transient, format!("{method} {url}: HTTP {status}: {text}"))
                }
                Err(e) => (true, format!("{method} {url}: {e}")),
            };
            if !transient || attempt >= self.target.retries {
                let tries = if attempt > 0 { format!(" (after {} tries)", attempt + 1) } else { String::new() };
                return Err(format!("{message}{tries}"));
            }
            std::thread::sleep(self.target.backoff * 2u32.saturating_pow(attempt));
            attempt += 1;
            self.retries += 1;
        }
    }
}

/// An HTTP Basic `Authorization` value.
fn basic_auth(user: &str, password: &str) -> String {
    use base64::Engine as _;
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_store_urls_encode_the_graph() {
        let g = NamedNode::new("https://example.org/g?x=1&y").unwrap();
        assert_eq!(gsp_url("http://h/store", &g), "http://h/store?graph=https%3A%2F%2Fexample.org%2Fg%3Fx%3D1%26y");
        assert_eq!(
            gsp_url("http://h/sparql-graph-crud?x=1", &g),
            "http://h/sparql-graph-crud?x=1&graph=https%3A%2F%2Fexample.org%2Fg%3Fx%3D1%26y"
        );
    }

    #[test]
    fn basic_auth_is_base64_of_user_and_password() {
        assert_eq!(basic_auth("dba", "dba"), "Basic ZGJhOmRiYQ==");
    }

    #[test]
    fn a_refused_connection_is_retried_then_reported() {
        // A port nothing listens on: bind one, then drop it.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let target = Target {
            endpoint: format!("http://127.0.0.1:{port}/store"),
            graph: NamedNode::new("http://example.org/g").unwrap(),
            protocol: Protocol::Gsp,
            credentials: None,
            batch: 10,
            retries: 2,
            backoff: Duration::from_millis(1),
        };
        let g = target.graph.as_ref();
        let err = push(&[TripleRef::new(g, g, g)], &target, |_| {}).unwrap_err().to_string();
        assert!(err.contains("after 3 tries"), "{err}");
        assert!(err.contains("sent 0 of 1 triples; the target graph is untouched"), "{err}");
    }
}
