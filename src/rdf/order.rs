//! The order of every RDF export: by subject, `rdf:type` first, then predicate and object;
//! quads by graph first (the default graph first). Terms are ranked once ([`Ranks`]) so that
//! quads and lines sort as numbers.

use super::sort::sort_on_two_cores;
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

/// The rank of each of `n` terms in the order of `cmp` (distinct terms compare unequal).
pub(super) fn ranks(n: usize, cmp: impl Fn(&u32, &u32) -> std::cmp::Ordering + Sync) -> Vec<u32> {
    let mut ids: Vec<u32> = (0..n as u32).collect();
    sort_on_two_cores(&mut ids, cmp);
    let mut rank = vec![0; n];
    for (r, &id) in ids.iter().enumerate() {
        rank[id as usize] = r as u32;
    }
    rank
}

/// Each term's rank in an order, and the term of each rank.
#[derive(Debug)]
pub(super) struct Ranks {
    pub(super) rank: Vec<u32>,
    by_rank: Vec<u32>,
}

impl Ranks {
    pub(super) fn new(rank: Vec<u32>) -> Self {
        let mut by_rank = vec![0u32; rank.len()];
        for (id, &r) in rank.iter().enumerate() {
            by_rank[r as usize] = id as u32;
        }
        Ranks { rank, by_rank }
    }

    /// The term whose rank is the low 32 bits of `key`.
    pub(super) fn id(&self, key: u128) -> u32 {
        self.by_rank[key as u32 as usize]
    }
}
