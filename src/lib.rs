//! awesome-kg turns curated Markdown link lists ("awesome lists") into a knowledge graph.
//!
//! The pipeline, in the order data flows:
//! [`parse`] (Markdown → headings and items) → [`extract`] (→ the [`model`]) → [`graph`] (typed
//! petgraph graph) → [`rdf`] (quads over numbered terms, with pattern lookups) → [`export`] (RDF
//! syntaxes, DOT, CSV) and [`query`] (SPARQL by spareval on those lookups); [`check`] lints lists. [`pipeline`] strings the stages together for the CLI.

#![forbid(unsafe_code)]

pub mod check;
pub mod cli;
mod decimal;
mod error;
pub mod export;
pub mod extract;
pub mod graph;
mod hash;
pub mod model;
pub mod parse;
pub mod pipeline;
pub mod progress;
pub mod push;
pub mod query;
pub mod rdf;
pub mod serve;
pub mod slug;
mod threads;
pub mod vocab;

pub use error::Error;
