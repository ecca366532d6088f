//! The SPARQL 1.1 Service Description of the endpoint, answered at `/query` without a query.

use super::State;
use crate::vocab::{formats, sd, void};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{BlankNode, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Triple};
use std::collections::BTreeMap;

/// The description of the service at `endpoint`: language, result formats, the union default
/// graph, and each list's named graph with its size.
pub fn service(state: &State, endpoint: &NamedNode) -> Vec<Triple> {
    let mut out = Vec::new();
    let s = NamedOrBlankNode::from(endpoint.clone());
    let mut add = |s: &NamedOrBlankNode, p, o: oxigraph::model::Term| out.push(Triple::new(s.clone(), p, o));
    add(&s, rdf::TYPE, sd::SERVICE.into());
    add(&s, sd::ENDPOINT, endpoint.clone().into());
    add(&s, sd::SUPPORTED_LANGUAGE, sd::SPARQL11_QUERY.into());
    add(&s, sd::FEATURE, sd::UNION_DEFAULT_GRAPH.into());
    for format in [
        formats::SPARQL_RESULTS_JSON,
        formats::SPARQL_RESULTS_XML,
        formats::SPARQL_RESULTS_CSV,
        formats::SPARQL_RESULTS_TSV,
        formats::TURTLE,
        formats::N_TRIPLES,
        formats::RDF_XML,
        formats::JSON_LD,
    ] {
        add(&s, sd::RESULT_FORMAT, format.into());
    }
    let count = |n: usize| Literal::new_typed_literal(n.to_string(), xsd::INTEGER).into();
    let dataset = NamedOrBlankNode::from(BlankNode::new_unchecked("dataset"));
    add(&s, sd::DEFAULT_DATASET, dataset.clone().into());
    add(&dataset, rdf::TYPE, sd::DATASET.into());
    let default = NamedOrBlankNode::from(BlankNode::new_unchecked("default"));
    add(&dataset, sd::DEFAULT_GRAPH, default.clone().into());
    add(&default, rdf::TYPE, sd::GRAPH_CLASS.into());
    add(&default, void::TRIPLES, count(state.built.triple_count()));
    let mut sizes: BTreeMap<NamedNodeRef<'_>, usize> = BTreeMap::new();
    for quad in state.built.dataset.quads() {
        if let GraphNameRef::NamedNode(g) = quad.graph_name {
            *sizes.entry(g).or_default() += 1;
        }
    }
    for (i, (name, size)) in sizes.into_iter().enumerate() {
        let named = NamedOrBlankNode::from(BlankNode::new_unchecked(format!("named{i}")));
        let graph = NamedOrBlankNode::from(BlankNode::new_unchecked(format!("graph{i}")));
        add(&dataset, sd::NAMED_GRAPH, named.clone().into());
        add(&named, rdf::TYPE, sd::NAMED_GRAPH_CLASS.into());
        add(&named, sd::NAME, name.into_owned().into());
        add(&named, sd::GRAPH, graph.clone().into());
        add(&graph, rdf::TYPE, sd::GRAPH_CLASS.into());
        add(&graph, void::TRIPLES, count(size));
    }
    out
}
