//! A read-only SPARQL 1.1 endpoint over the built graph, with a query page for people.
//!
//! HTTP comes from tiny_http: a small synchronous server, no async runtime. A fixed pool of
//! worker threads takes requests, so one slow query holds one worker while the others go on
//! serving; a watchdog thread cancels queries that pass the time limit. Routing is a plain
//! function from [`Call`] to [`Reply`] (see [`routes`]), testable without sockets.

mod describe;
pub mod negotiate;
mod page;
pub mod routes;
mod watchdog;

use crate::error::Error;
use crate::export::dot::{self, Dot};
use crate::pipeline::{Built, NamedQuery};
use std::io::Read;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use watchdog::Watchdog;

/// Where and how to serve.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    /// Longest a query may run before it is cancelled.
    pub timeout: Duration,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// Most rows (or triples) in one answer; longer answers are cut and say so.
    pub max_rows: usize,
    /// Requests served at once.
    pub workers: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 7878)),
            timeout: Duration::from_secs(10),
            max_body: 1 << 20,
            max_rows: 100_000,
            workers: (crate::threads::cores() * 2).max(4),
        }
    }
}

/// The graph picture on the page: SVG when Graphviz could draw it, else why not.
#[derive(Debug, Clone)]
pub enum Picture {
    Svg(Vec<u8>),
    Missing(String),
}

/// What the server serves: the built graph, the example queries, the picture.
pub struct State {
    pub built: Built,
    pub examples: Vec<NamedQuery>,
    pub picture: Picture,
    /// The graph in DOT, for `/graph.dot`.
    pub dot: String,
}

impl State {
    /// Prepares `built` for serving: makes its lookups for SPARQL, draws the picture with
    /// Graphviz if it is installed.
    pub fn new(built: Built, examples: Vec<NamedQuery>) -> Result<Self, Error> {
        built.dataset.prepare_lookups();
        let dot = Dot(&built.graph).to_string();
        let nodes = built.graph.node_count();
        let picture = if nodes > dot::MAX_SVG_NODES {
            Picture::Missing(format!(
                "The graph has {nodes} nodes, more than a picture can show (limit {}); /graph.dot has it for \
                 Graphviz's sfdp.",
                dot::MAX_SVG_NODES
            ))
        } else {
            match dot::render_svg(&dot) {
                Some(Ok(svg)) => Picture::Svg(svg),
                Some(Err(e)) => Picture::Missing(format!("Graphviz could not draw the graph: {e}")),
                None => Picture::Missing(
                    "Graphviz (`dot`) is not installed where this server runs, so there is no picture; \
                     /graph.dot has the diagram's source."
                        .to_owned(),
                ),
            }
        };
        Ok(State { built, examples, picture, dot })
    }
}

/// A request, reduced to what the routes read.
#[derive(Debug, Clone, Default)]
pub struct Call {
    pub method: String,
    /// The path, without the query string.
    pub path: String,
    /// The raw query string (after `?`), if any.
    pub query: String,
    pub accept: Option<String>,
    pub content_type: Option<String>,
    /// The Host header, for the service description's endpoint IRI.
    pub host: Option<String>,
    pub body: Vec<u8>,
}

/// A response.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Reply { status, content_type, headers: Vec::new(), body: body.into() }
    }

    /// A plain-text message, for errors.
    pub fn text(status: u16, message: impl std::fmt::Display) -> Self {
        Reply::new(status, "text/plain; charset=utf-8", format!("{message}\n"))
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

/// A bound server, ready to run.
pub struct Server {
    http: Arc<tiny_http::Server>,
    state: Arc<State>,
    config: Config,
}

impl Server {
    /// Binds `config.bind` (port 0 picks a free port).
    pub fn bind(config: Config, state: State) -> Result<Self, Error> {
        let http = tiny_http::Server::http(config.bind)
            .map_err(|e| Error::Serve { message: format!("cannot listen on {}: {e}", config.bind) })?;
        Ok(Server { http: Arc::new(http), state: Arc::new(state), config })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.http.server_addr().to_ip().unwrap_or(self.config.bind)
    }

    /// Serves until the process ends (or [`Server::stop`] from another thread).
    pub fn run(&self) {
        let watchdog = Watchdog::start();
        std::thread::scope(|scope| {
            for _ in 0..self.config.workers.max(1) {
                scope.spawn(|| {
                    while let Ok(request) = self.http.recv() {
                        self.handle(request, &watchdog);
                    }
                });
            }
        });
    }

    /// Makes [`Server::run`] return once the requests in progress are answered.
    pub fn stop(&self) {
        for _ in 0..self.config.workers.max(1) {
            self.http.unblock();
        }
    }

    fn handle(&self, mut request: tiny_http::Request, watchdog: &Watchdog) {
        let header = |name: &'static str| {
            request.headers().iter().find(|h| h.field.equiv(name)).map(|h| h.value.as_str().to_owned())
        };
        let url = request.url().to_owned();
        let (path, query) = url.split_once('?').unwrap_or((&url, ""));
        let mut call = Call {
            method: request.method().as_str().to_ascii_uppercase(),
            path: path.to_owned(),
            query: query.to_owned(),
            accept: header("Accept"),
            content_type: header("Content-Type"),
            host: header("Host"),
            body: Vec::new(),
        };
        let reply = match read_body(&mut request, self.config.max_body) {
            Ok(body) => {
                call.body = body;
                routes::route(&self.state, &self.config, watchdog, &call)
            }
            Err(reply) => reply,
        };
        if reply.status >= 500 {
            eprintln!("awesome-kg serve: {} {} → {}", call.method, call.path, reply.status);
        }
        let mut response = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
        let headers = [("Content-Type", reply.content_type.to_owned())]
            .into_iter()
            .chain([("Access-Control-Allow-Origin", "*".to_owned()), ("X-Content-Type-Options", "nosniff".to_owned())])
            .chain(reply.headers);
        for (name, value) in headers {
            if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                response.add_header(h);
            }
        }
        // A client that hung up is not the server's problem.
        let _ = request.respond(response);
    }
}

/// Reads the body, refusing (413) one longer than `max` bytes before reading it when the
/// client announced its length.
fn read_body(request: &mut tiny_http::Request, max: usize) -> Result<Vec<u8>, Reply> {
    let too_large = || Reply::text(413, format!("request body over the limit of {max} bytes (see --max-body)"));
    if request.body_length().is_some_and(|n| n > max) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    request
        .as_reader()
        .take(max as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| Reply::text(400, format!("could not read the request body: {e}")))?;
    if body.len() > max {
        return Err(too_large());
    }
    Ok(body)
}
