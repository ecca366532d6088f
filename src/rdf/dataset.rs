//! The dataset as quads of term numbers: each distinct term is stored once and a quad is four
//! `u32`s, so a million-entry graph's ~15 million quads fit in memory several times over
//! (oxigraph's owned `Quad` costs ~480 bytes each; a quad here costs 16 plus its share of terms).

use super::order::{cmp_terms, graph_key};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphNameRef, Literal, NamedNodeRef, NamedOrBlankNodeRef, QuadRef, Term, TermRef, TripleRef};
use std::collections::HashMap;

/// The number of the default graph in a quad's graph position.
const DEFAULT_GRAPH: u32 = u32::MAX;

/// Distinct terms, and quads and triples over them, sorted and without duplicates.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    terms: Vec<Term>,
    /// subject, predicate, object, graph ([`DEFAULT_GRAPH`] for the default graph).
    quads: Vec<[u32; 4]>,
    /// Positions in `quads` of the distinct triples, in triple order.
    triples: Vec<u32>,
}

/// Builds a [`Dataset`], numbering each distinct term once.
#[derive(Debug, Default)]
pub struct DatasetBuilder {
    terms: Vec<Term>,
    named: HashMap<String, u32>,
    other: HashMap<Term, u32>,
    quads: Vec<[u32; 4]>,
}

impl DatasetBuilder {
    /// The number of the IRI `iri`.
    pub fn iri(&mut self, iri: &str) -> u32 {
        if let Some(&n) = self.named.get(iri) {
            return n;
        }
        let n = self.push(Term::NamedNode(oxigraph::model::NamedNode::new_unchecked(iri)));
        self.named.insert(iri.to_owned(), n);
        n
    }

    /// The number of any term.
    pub fn term(&mut self, term: Term) -> u32 {
        match term {
            Term::NamedNode(n) => self.iri(n.as_str()),
            other => {
                if let Some(&n) = self.other.get(&other) {
                    return n;
                }
                let n = self.push(other.clone());
                self.other.insert(other, n);
                n
            }
        }
    }

    /// The number of a literal.
    pub fn literal(&mut self, literal: Literal) -> u32 {
        self.term(Term::Literal(literal))
    }

    fn push(&mut self, term: Term) -> u32 {
        let n = u32::try_from(self.terms.len()).expect("fewer than 4 billion distinct terms");
        assert!(n != DEFAULT_GRAPH, "fewer than 4 billion distinct terms");
        self.terms.push(term);
        n
    }

    /// Adds a quad; `graph` `None` is the default graph. The subject and graph must be IRIs or
    /// blank nodes, the predicate an IRI.
    pub fn add(&mut self, graph: Option<u32>, subject: u32, predicate: u32, object: u32) {
        self.quads.push([subject, predicate, object, graph.unwrap_or(DEFAULT_GRAPH)]);
    }

    /// Sorts (graph, the default first; then subject, `rdf:type` first, predicate, object) and
    /// drops duplicates.
    pub fn finish(self) -> Dataset {
        let DatasetBuilder { terms, mut quads, .. } = self;
        let key = |q: &[u32; 4]| if q[3] == DEFAULT_GRAPH { "" } else { graph_key(&terms[q[3] as usize]) };
        let triple_cmp = |a: &[u32; 4], b: &[u32; 4]| {
            cmp_terms(&terms[a[0] as usize], &terms[b[0] as usize])
                .then_with(|| is_not_type(&terms[a[1] as usize]).cmp(&is_not_type(&terms[b[1] as usize])))
                .then_with(|| cmp_terms(&terms[a[1] as usize], &terms[b[1] as usize]))
                .then_with(|| cmp_terms(&terms[a[2] as usize], &terms[b[2] as usize]))
        };
        quads.sort_unstable_by(|a, b| key(a).cmp(key(b)).then_with(|| triple_cmp(a, b)));
        quads.dedup();
        let mut triples: Vec<u32> = (0..quads.len() as u32).collect();
        triples.sort_unstable_by(|&a, &b| triple_cmp(&quads[a as usize], &quads[b as usize]));
        triples.dedup_by(|a, b| quads[*a as usize][..3] == quads[*b as usize][..3]);
        Dataset { terms, quads, triples }
    }
}

fn is_not_type(term: &Term) -> bool {
    !matches!(term, Term::NamedNode(n) if n.as_ref() == rdf::TYPE)
}

impl Dataset {
    fn quad(&self, q: &[u32; 4]) -> QuadRef<'_> {
        let graph = match q[3] {
            DEFAULT_GRAPH => GraphNameRef::DefaultGraph,
            g => match self.subject(g) {
                NamedOrBlankNodeRef::NamedNode(n) => GraphNameRef::NamedNode(n),
                NamedOrBlankNodeRef::BlankNode(b) => GraphNameRef::BlankNode(b),
            },
        };
        QuadRef::new(self.subject(q[0]), self.predicate(q[1]), self.terms[q[2] as usize].as_ref(), graph)
    }

    fn subject(&self, n: u32) -> NamedOrBlankNodeRef<'_> {
        match self.terms[n as usize].as_ref() {
            TermRef::NamedNode(n) => n.into(),
            TermRef::BlankNode(b) => b.into(),
            other => unreachable!("a subject or graph is an IRI or a blank node, not {other}"),
        }
    }

    fn predicate(&self, n: u32) -> NamedNodeRef<'_> {
        match self.terms[n as usize].as_ref() {
            TermRef::NamedNode(n) => n,
            other => unreachable!("a predicate is an IRI, not {other}"),
        }
    }

    /// Every quad, sorted by graph (the default graph first), then in triple order.
    pub fn quads(&self) -> impl ExactSizeIterator<Item = QuadRef<'_>> + Clone {
        self.quads.iter().map(|q| self.quad(q))
    }

    /// The distinct triples of all graphs, merged, in triple order.
    pub fn triples(&self) -> impl ExactSizeIterator<Item = TripleRef<'_>> + Clone {
        self.triples.iter().map(|&i| TripleRef::from(self.quad(&self.quads[i as usize])))
    }

    pub fn quad_count(&self) -> usize {
        self.quads.len()
    }

    pub fn triple_count(&self) -> usize {
        self.triples.len()
    }

    /// Distinct terms (IRIs, blank nodes, literals).
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }
}
