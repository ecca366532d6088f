//! The order of every RDF export: by subject, `rdf:type` first, then predicate and object;
//! quads by graph first (the default graph first).

use oxigraph::model::vocab::rdf;
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, TermRef, Triple};
use std::borrow::Cow;

/// Sorts triples by subject, then `rdf:type` first, then predicate and object, and drops
/// duplicates: the order of every RDF export.
pub fn sort_triples(triples: &mut Vec<Triple>) {
    triples
        .sort_unstable_by(|a, b| cmp_triple(&a.subject, &a.predicate, &a.object, &b.subject, &b.predicate, &b.object));
    triples.dedup();
}

/// A term's sort key: IRIs as they are (borrowed), other terms as written in N-Triples.
pub(super) fn sort_key(term: TermRef<'_>) -> Cow<'_, str> {
    match term {
        TermRef::NamedNode(n) => Cow::Borrowed(n.as_str()),
        other => Cow::Owned(other.to_string()),
    }
}

fn cmp_triple(
    s1: &NamedOrBlankNode,
    p1: &NamedNode,
    o1: &Term,
    s2: &NamedOrBlankNode,
    p2: &NamedNode,
    o2: &Term,
) -> std::cmp::Ordering {
    fn subject(s: &NamedOrBlankNode) -> Cow<'_, str> {
        match s {
            NamedOrBlankNode::NamedNode(n) => Cow::Borrowed(n.as_str()),
            other => Cow::Owned(other.to_string()),
        }
    }
    subject(s1)
        .cmp(&subject(s2))
        .then_with(|| (*p1 != rdf::TYPE).cmp(&(*p2 != rdf::TYPE)))
        .then_with(|| p1.as_str().cmp(p2.as_str()))
        .then_with(|| sort_key(o1.as_ref()).cmp(&sort_key(o2.as_ref())))
}
