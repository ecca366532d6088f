//! The routes: the SPARQL 1.1 Protocol at `/query` (and `/sparql`), the Graph Store Protocol's
//! read side at `/graph`, `/health`, and the page (see `serve/page.rs`).

use super::negotiate::{self, Offer};
use super::watchdog::Watchdog;
use super::{describe, page, Call, Config, Reply, State};
use crate::query::{self, Dataset, FailureKind, Limits, Syntax};
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, NamedNode, Triple, TripleRef};

const READ_ONLY: &str = "this endpoint is read-only: SPARQL Update and Graph Store writes are not accepted";

/// Answers one call.
pub fn route(state: &State, config: &Config, watchdog: &Watchdog, call: &Call) -> Reply {
    let read = matches!(call.method.as_str(), "GET" | "HEAD");
    match (call.method.as_str(), call.path.as_str()) {
        ("OPTIONS", _) => Reply::new(204, "text/plain", "")
            .header("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS")
            .header("Access-Control-Allow-Headers", "Accept, Content-Type"),
        (_, "/query" | "/sparql") => sparql(state, config, watchdog, call),
        (_, "/update") => Reply::text(403, READ_ONLY),
        (_, "/graph") => graph_store(state, call),
        (_, "/health") if read => {
            let health = serde_json::json!({
                "status": "ok",
                "lists": state.built.lists.len(),
                "triples": state.built.triple_count(),
            });
            Reply::new(200, "application/json", format!("{health}\n"))
        }
        (_, path) if read => page::asset(state, path).unwrap_or_else(|| Reply::text(404, format!("no page at {path}"))),
        (_, path) => Reply::text(405, format!("{} is not allowed on {path}", call.method)).header("Allow", "GET, HEAD"),
    }
}

/// The parameters of a call: the URL's, and a form body's.
fn params(call: &Call) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = form_urlencoded::parse(call.query.as_bytes()).into_owned().collect();
    if call.method == "POST" && media_type(call) == "application/x-www-form-urlencoded" {
        params.extend(form_urlencoded::parse(&call.body).into_owned());
    }
    params
}

/// The Content-Type's media type, lower-cased, without parameters.
fn media_type(call: &Call) -> String {
    let content_type = call.content_type.as_deref().unwrap_or_default();
    content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn sparql(state: &State, config: &Config, watchdog: &Watchdog, call: &Call) -> Reply {
    if !matches!(call.method.as_str(), "GET" | "HEAD" | "POST") {
        return Reply::text(405, format!("{} is not allowed on {}", call.method, call.path))
            .header("Allow", "GET, HEAD, POST, OPTIONS");
    }
    let params = params(call);
    if param(&params, "update").is_some() {
        return Reply::text(403, READ_ONLY);
    }
    let format = param(&params, "format").or_else(|| param(&params, "output"));
    let mut queries: Vec<String> =
        params.iter().filter(|(k, _)| k == "query").map(|(_, v)| v.clone()).collect::<Vec<_>>();
    if call.method == "POST" {
        match media_type(call).as_str() {
            "application/x-www-form-urlencoded" => {}
            "application/sparql-query" => match String::from_utf8(call.body.clone()) {
                Ok(text) => queries.push(text),
                Err(_) => return Reply::text(400, "the query is not UTF-8 text"),
            },
            "application/sparql-update" => return Reply::text(403, READ_ONLY),
            other => {
                return Reply::text(
                    415,
                    format!(
                        "unsupported Content-Type {other:?}: send application/sparql-query or \
                         application/x-www-form-urlencoded"
                    ),
                )
            }
        }
    }
    let query = match queries.as_slice() {
        [] if call.method == "POST" => return Reply::text(400, "no query: send it as `query=` or as the body"),
        [] => return service_description(state, call, format),
        [one] => one,
        _ => return Reply::text(400, "more than one `query` parameter"),
    };
    let dataset = match dataset(&params) {
        Ok(d) => d,
        Err(reply) => return reply,
    };
    let watch = watchdog.watch(config.timeout);
    let limits = Limits { cancel: Some(watch.token.clone()), max_rows: Some(config.max_rows) };
    let evaluated = match query::run(&state.built.dataset, query, dataset.as_ref(), &limits) {
        Ok(e) => e,
        Err(failure) => {
            return match failure.kind {
                FailureKind::Syntax => Reply::text(400, format!("malformed query: {failure}")),
                FailureKind::Update => Reply::text(403, READ_ONLY),
                FailureKind::Cancelled => Reply::text(
                    503,
                    format!("the query ran past the time limit of {:?} and was stopped", config.timeout),
                ),
                FailureKind::Evaluation => Reply::text(500, format!("query evaluation failed: {failure}")),
            }
        }
    };
    drop(watch);
    let offer = if evaluated.answer.is_graph() { negotiate::GRAPH } else { negotiate::RESULTS };
    let mut reply = match negotiate_reply(offer, call, format, |syntax| evaluated.answer.write_as(syntax)) {
        Ok(r) => r,
        Err(r) => return r,
    };
    if evaluated.truncated {
        reply = reply.header("X-SPARQL-MaxRows", config.max_rows.to_string());
    }
    reply
}

/// The protocol's `default-graph-uri` and `named-graph-uri`, when any is given.
fn dataset(params: &[(String, String)]) -> Result<Option<Dataset>, Reply> {
    let iris = |name: &str| -> Result<Vec<NamedNode>, Reply> {
        params
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| NamedNode::new(v).map_err(|e| Reply::text(400, format!("{name} {v:?} is not an IRI: {e}"))))
            .collect()
    };
    let (default_graphs, named_graphs) = (iris("default-graph-uri")?, iris("named-graph-uri")?);
    Ok((!default_graphs.is_empty() || !named_graphs.is_empty()).then_some(Dataset { default_graphs, named_graphs }))
}

/// Chooses a syntax from `offer` and writes the body with `write`; 406 when nothing fits.
fn negotiate_reply(
    offer: Offer,
    call: &Call,
    format: Option<&str>,
    write: impl FnOnce(Syntax) -> Result<Vec<u8>, crate::Error>,
) -> Result<Reply, Reply> {
    let Some((syntax, media)) = negotiate::choose(offer, call.accept.as_deref(), format) else {
        let available: Vec<&str> = offer.iter().map(|(_, types)| types[0]).collect();
        return Err(Reply::text(
            406,
            format!("no acceptable format; this answer is available as {}", available.join(", ")),
        ));
    };
    match write(syntax) {
        Ok(body) => Ok(Reply::new(200, media, body).header("Vary", "Accept")),
        Err(e) => Err(Reply::text(500, e)),
    }
}

fn service_description(state: &State, call: &Call, format: Option<&str>) -> Reply {
    let host = call.host.as_deref().unwrap_or("localhost");
    let endpoint = NamedNode::new(format!("http://{host}{}", call.path))
        .unwrap_or_else(|_| NamedNode::new_unchecked("http://localhost/query"));
    let triples = describe::service(state, &endpoint);
    negotiate_reply(negotiate::GRAPH, call, format, |syntax| write_triples(triples.iter().map(Triple::as_ref), syntax))
        .unwrap_or_else(|r| r)
}

fn write_triples<'a>(
    triples: impl IntoIterator<Item = TripleRef<'a>>,
    syntax: Syntax,
) -> Result<Vec<u8>, crate::Error> {
    let mut out = Vec::new();
    match syntax {
        Syntax::Graph(format) => crate::export::rdf::write_triples(&mut out, triples, format)?,
        Syntax::Results(_) => unreachable!("graph offers hold RDF syntaxes only"),
    }
    Ok(out)
}

/// The Graph Store Protocol, read side: `?graph=IRI` (one list), `?default` (what lists share),
/// or nothing (everything; N-Quads and TriG keep each list's graph).
fn graph_store(state: &State, call: &Call) -> Reply {
    if !matches!(call.method.as_str(), "GET" | "HEAD") {
        return Reply::text(405, READ_ONLY).header("Allow", "GET, HEAD, OPTIONS");
    }
    let params = params(call);
    let format = param(&params, "format").or_else(|| param(&params, "output"));
    let selected = match (param(&params, "graph"), params.iter().any(|(k, _)| k == "default")) {
        (Some(_), true) => return Reply::text(400, "give either `graph` or `default`, not both"),
        (Some(iri), false) => match NamedNode::new(iri) {
            Ok(name) => Some(GraphName::NamedNode(name)),
            Err(e) => return Reply::text(400, format!("graph {iri:?} is not an IRI: {e}")),
        },
        (None, true) => Some(GraphName::DefaultGraph),
        (None, false) => None,
    };
    let dataset = &state.built.dataset;
    let Some(graph) = selected else {
        return negotiate_reply(negotiate::DATASET, call, format, |syntax| match syntax {
            Syntax::Graph(f @ (RdfFormat::NQuads | RdfFormat::TriG)) => {
                crate::export::rdf::serialize_quads(dataset.quads(), f)
            }
            other => write_triples(state.built.triples(), other),
        })
        .unwrap_or_else(|r| r);
    };
    let triples = dataset.quads().filter(|q| q.graph_name == graph.as_ref()).map(TripleRef::from);
    if triples.clone().next().is_none() && graph != GraphName::DefaultGraph {
        return Reply::text(404, format!("no graph {graph}; each list is one (see /query for the list IRIs)"));
    }
    negotiate_reply(negotiate::GRAPH, call, format, |syntax| write_triples(triples, syntax)).unwrap_or_else(|r| r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Gazetteer;
    use crate::rdf::BaseIri;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn state() -> &'static State {
        static STATE: OnceLock<State> = OnceLock::new();
        STATE.get_or_init(|| {
            let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/ml-in-production.md");
            let built = crate::pipeline::build(&[seed], &Gazetteer::bundled(), &BaseIri::default()).unwrap();
            State::new(built, crate::pipeline::bundled_queries()).unwrap()
        })
    }

    fn watchdog() -> &'static Watchdog {
        static WATCHDOG: OnceLock<Watchdog> = OnceLock::new();
        WATCHDOG.get_or_init(Watchdog::start)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Whatever a client sends, the answer is a status the protocol allows, never a panic,
        /// and never a write.
        #[test]
        fn any_request_gets_a_sane_answer(
            method in prop_oneof![
                Just("GET".to_owned()), Just("POST".to_owned()), Just("PUT".to_owned()), Just("DELETE".to_owned()),
                Just("HEAD".to_owned()), Just("OPTIONS".to_owned()), "[A-Z]{1,8}",
            ],
            path in prop_oneof![
                Just("/query".to_owned()), Just("/sparql".to_owned()), Just("/graph".to_owned()),
                Just("/update".to_owned()), Just("/".to_owned()), "/\\PC{0,20}",
            ],
            query in prop_oneof![
                "(query=|update=|format=|default-graph-uri=|named-graph-uri=|graph=|default|%[0-9A-Fa-f]{0,2}|[&=+]|\\PC){0,12}",
                // Real queries, with random parameters after them.
                "query=SELECT%20%2A%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D(&(format|output|default-graph-uri|named-graph-uri)=\\PC{0,12}){0,3}",
                "query=CONSTRUCT%20WHERE%20%7B%3Fs%20a%20%3Fo%7D(&(format|output|named-graph-uri)=\\PC{0,12}){0,3}",
                "query=ASK%7B%7D(&(format|output)=\\PC{0,12}){0,2}",
            ],
            accept in proptest::option::of("\\PC{0,40}"),
            content_type in proptest::option::of(prop_oneof![
                Just("application/sparql-query".to_owned()),
                Just("application/x-www-form-urlencoded".to_owned()),
                Just("application/sparql-update".to_owned()),
                "\\PC{0,30}",
            ]),
            body in proptest::collection::vec(any::<u8>(), 0..64),
        ) {
            let call = Call {
                method,
                path,
                query,
                accept,
                content_type,
                host: Some("localhost".to_owned()),
                body,
            };
            let config = Config::default();
            let reply = route(state(), &config, watchdog(), &call);
            prop_assert!(matches!(reply.status, 200 | 204 | 400 | 403 | 404 | 405 | 406 | 415 | 503), "{}", reply.status);
            prop_assert_eq!(state().built.triple_count(), 322);
        }
    }
}
