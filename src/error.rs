//! The library's error type: every variant names the file (and line, where there is one).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {error}", path.display())]
    Io { path: PathBuf, error: std::io::Error },
    /// An input names nothing to read.
    #[error("{}: {message}", path.display())]
    Input { path: PathBuf, message: String },
    /// An input file is not UTF-8 text.
    #[error("{}:{line}: not UTF-8 text (invalid byte at offset {offset})", path.display())]
    NotUtf8 { path: PathBuf, line: usize, offset: usize },
    /// A row of an organization gazetteer is malformed.
    #[error("{path}:{line}: {message}")]
    Gazetteer { path: String, line: u64, message: String },
    /// The base IRI or a generated IRI is invalid.
    #[error("invalid IRI {iri:?}: {message}")]
    Iri { iri: String, message: String },
    /// A SPARQL query could not be parsed or evaluated.
    #[error("{origin}: {message}")]
    Query { origin: String, message: String },
    /// The SPARQL endpoint could not start.
    #[error("serve: {message}")]
    Serve { message: String },
    /// Sending the graph to a triple store failed.
    #[error("push to {endpoint}: {message}")]
    Push { endpoint: String, message: String },
    /// Writing RDF, CSV or query results failed.
    #[error("{what}: {message}")]
    Export { what: String, message: String },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), error: source }
    }
}
