//! The dataset as quads of term numbers: each distinct term is stored once and a quad is four
//! `u32`s, so a million-entry graph's ~15 million quads fit in memory several times over
//! (oxigraph's owned `Quad` costs ~480 bytes each; a quad here costs 16 plus its share of terms).

use super::forms::{Forms, Lines};
use super::index::{InGraph, Index, Matches};
use super::order::sort_key;
use super::order::{distinct_triples, first_use, line_order, ranks, Ranks};
use super::sort::sort_on_two_cores;
use super::terms::{TermStore, TermTable};
use super::written::Written;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{
    GraphNameRef, Literal, LiteralRef, NamedNodeRef, NamedOrBlankNodeRef, QuadRef, Term, TermRef, TripleRef,
};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// The number of the default graph in a quad's graph position.
pub(super) const DEFAULT_GRAPH: u32 = u32::MAX;

/// Distinct terms, and quads and triples over them, sorted and without duplicates.
#[derive(Debug, Default)]
pub struct Dataset {
    terms: TermStore,
    /// Each term's number by the term.
    table: TermTable,
    /// subject, predicate, object, graph ([`DEFAULT_GRAPH`] for the default graph).
    quads: Vec<[u32; 4]>,
    /// Positions in `quads` of the distinct triples, in triple order.
    triples: Vec<u32>,
    /// Each term as written in N-Triples (made with the dataset, again when needed after
    /// [`Dataset::release_forms`]).
    forms: Mutex<Option<Arc<Forms>>>,
    /// The term numbers in the order of their sort keys (see `sort_key`): what the order of
    /// their forms, the lines' order, is made from.
    key_order: Vec<u32>,
    /// Lookups by pattern, made when first needed (by SPARQL).
    index: OnceLock<Index>,
}

/// Builds a [`Dataset`], numbering each distinct term once.
#[derive(Debug, Default)]
pub struct DatasetBuilder {
    terms: TermStore,
    table: TermTable,
    quads: Vec<[u32; 4]>,
}

impl DatasetBuilder {
    /// A builder with room for about `quads` quads over `terms` distinct terms: growing the
    /// term table means hashing every term again, each time it doubles.
    pub fn with_capacity(quads: usize, terms: usize) -> Self {
        DatasetBuilder {
            terms: TermStore::with_capacity(terms),
            table: TermTable::with_capacity(terms),
            quads: Vec::with_capacity(quads),
        }
    }

    /// The number of the IRI `iri`.
    pub fn iri(&mut self, iri: &str) -> u32 {
        self.table.term(&mut self.terms, NamedNodeRef::new_unchecked(iri).into())
    }

    /// The number of any term.
    pub fn term(&mut self, term: Term) -> u32 {
        self.table.term(&mut self.terms, term.as_ref())
    }

    /// The number of a literal.
    pub fn literal(&mut self, literal: Literal) -> u32 {
        self.literal_ref(literal.as_ref())
    }

    /// The number of a borrowed literal (copied only if new).
    pub fn literal_ref(&mut self, literal: LiteralRef<'_>) -> u32 {
        self.table.term(&mut self.terms, literal.into())
    }

    /// Adds a quad; `graph` `None` is the default graph. The subject and graph must be IRIs or
    /// blank nodes, the predicate an IRI.
    pub fn add(&mut self, graph: Option<u32>, subject: u32, predicate: u32, object: u32) {
        self.quads.push([subject, predicate, object, graph.unwrap_or(DEFAULT_GRAPH)]);
    }

    /// Sorts (graph, the default first; then subject, `rdf:type` first, predicate, object) and
    /// drops duplicates.
    pub fn finish(self) -> Dataset {
        let DatasetBuilder { terms, mut table, mut quads } = self;
        // Every term as written in N-Triples, made now rather than by the first writer: a
        // term's sort key is its form, an IRI's without the brackets (see `sort_key`).
        let forms = Written::new(&terms);
        let keys: Vec<(&str, u32)> = (0..terms.len() as u32)
            .map(|id| {
                let form = forms.get(id);
                match terms.get(id) {
                    TermRef::NamedNode(_) => (&form[1..form.len() - 1], id),
                    _ => (form, id),
                }
            })
            .collect();
        debug_assert!(keys.iter().zip(terms.iter()).all(|((k, _), t)| *k == sort_key(t)));
        // Each term's place in the export order, so that sorting millions of quads compares
        // numbers, not strings; and each quad rewritten in place as its key, whose order is the
        // export order (the arrays' own, position by position): graph (0 for the default
        // graph, else its rank + 1), subject, predicate (its rank, with bit 31 set unless it is
        // rdf:type, which comes first), object. Ranks are below 2^31 (see TermTable). The keys stay in the quads' own array: a second one
        // would be fresh memory, which costs as much to have zeroed as to sort here.
        let order = Ranks::new(ranks(keys));
        let rank = &order.rank;
        let rdf_type = table.find(&terms, rdf::TYPE.into());
        for q in &mut quads {
            let [s, p, o, g] = *q;
            let graph = if g == DEFAULT_GRAPH { 0 } else { rank[g as usize] + 1 };
            let predicate = rank[p as usize] | if Some(p) == rdf_type { 0 } else { 1 << 31 };
            *q = [graph, rank[s as usize], predicate, rank[o as usize]];
        }
        let mut keys = quads;
        sort_on_two_cores(&mut keys, <[u32; 4]>::cmp);
        keys.dedup();
        // The terms numbered anew in the order the writers read them (see `first_use`), and
        // their forms made again in that order (dropped first: the store is copied meanwhile).
        drop(forms);
        let (new, old) = first_use(&keys, &order);
        // The store copied in its new order and its forms made again on one thread (the copy
        // is a second of a million entries' terms, on one core; the forms use a second thread
        // when the other is done), while this one finds the distinct triples and renumbers the
        // table and the quads.
        let ((terms, forms), triples) = std::thread::scope(|scope| {
            // The built store goes with this thread, not at the end of `finish`.
            let copy = scope.spawn(move || {
                let built = terms;
                let terms = built.renumbered(&old);
                drop(built);
                let forms = Written::new(&terms);
                (terms, forms)
            });
            let triples = distinct_triples(&keys);
            table.renumber(&order.rank.iter().map(|&r| new[r as usize]).collect::<Vec<u32>>());
            // The quads in place, from ranks to the new numbers.
            let new_id = |rank: u32| new[rank as usize];
            for k in &mut keys {
                let [graph, s, p, o] = *k;
                let graph = graph.checked_sub(1).map_or(DEFAULT_GRAPH, new_id);
                *k = [new_id(s), new_id(p & !(1 << 31)), new_id(o), graph];
            }
            (copy.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), triples)
        });
        let quads = keys;
        // `new` lists the new numbers by rank: the terms in sort-key order.
        let key_order = new;
        Dataset {
            terms,
            table,
            quads,
            triples,
            forms: Mutex::new(Some(Arc::new(Forms::new(forms)))),
            key_order,
            index: OnceLock::new(),
        }
    }
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
        QuadRef::new(self.subject(q[0]), self.predicate(q[1]), self.terms.get(q[2]), graph)
    }

    fn subject(&self, n: u32) -> NamedOrBlankNodeRef<'_> {
        match self.terms.get(n) {
            TermRef::NamedNode(n) => n.into(),
            TermRef::BlankNode(b) => b.into(),
            other => unreachable!("a subject or graph is an IRI or a blank node, not {other}"),
        }
    }

    fn predicate(&self, n: u32) -> NamedNodeRef<'_> {
        match self.terms.get(n) {
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

    /// The distinct triples as term numbers (subject, predicate, object), in triple order: the
    /// order of [`Dataset::triples`].
    pub fn triple_ids(&self) -> impl ExactSizeIterator<Item = [u32; 3]> + '_ {
        self.triples.iter().map(|&i| {
            let [s, p, o, _] = self.quads[i as usize];
            [s, p, o]
        })
    }

    /// Every quad as term numbers (subject, predicate, object) and its graph's number (`None`
    /// for the default graph), in the order of [`Dataset::quads`].
    pub fn quad_ids(&self) -> impl ExactSizeIterator<Item = ([u32; 3], Option<u32>)> + '_ {
        self.quads.iter().map(|&[s, p, o, g]| ([s, p, o], (g != DEFAULT_GRAPH).then_some(g)))
    }

    /// The term numbered `id`, which must be one of this dataset's numbers.
    pub fn term_ref(&self, id: u32) -> TermRef<'_> {
        self.terms.get(id)
    }

    /// Every term as written in N-Triples: what graph.nq, graph.nt, Turtle and TriG copy.
    pub fn forms(&self) -> Arc<Forms> {
        let mut slot = self.forms.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(slot.get_or_insert_with(|| Arc::new(Forms::new(Written::new(&self.terms)))))
    }

    /// Lets go of the terms' forms (hundreds of megabytes on a million entries) once the
    /// writers that copy them are done; handles already given out keep them until dropped.
    pub fn release_forms(&self) {
        self.forms.lock().unwrap_or_else(PoisonError::into_inner).take();
    }

    /// Every quad's line of N-Quads in the order of `graph.nq`, and so of `graph.nt`: [`Lines`].
    pub fn lines(&self) -> Lines {
        Lines::new(self.forms(), line_order(&self.key_order, &self.terms), &self.quads)
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

    pub(super) fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::new(&self.quads))
    }

    /// Makes every lookup of [`Dataset::matching`] now rather than at its first use (a server's
    /// first queries should not wait for them).
    pub fn prepare_lookups(&self) {
        self.index().prepare(&self.quads, self.terms.len(), true);
    }

    /// Makes the lookups by subject and by predicate now, the ones most queries use; a pattern
    /// with only its object bound (or its subject and object) makes the third at its first use.
    pub fn prepare_common_lookups(&self) {
        self.index().prepare(&self.quads, self.terms.len(), false);
    }

    /// The term numbered `id` (numbers run from 0 to [`Dataset::term_count`]).
    pub fn term(&self, id: u32) -> Option<TermRef<'_>> {
        (id < self.terms.len() as u32).then(|| self.terms.get(id))
    }

    /// The number of `term`, if the dataset holds it.
    pub fn id_of(&self, term: TermRef<'_>) -> Option<u32> {
        self.table.find(&self.terms, term)
    }

    /// The quads with subject `s`, predicate `p` and object `o` (each any term when `None`) in
    /// `graph`, as term numbers. Numbers the dataset does not have match nothing.
    pub fn matching(&self, s: Option<u32>, p: Option<u32>, o: Option<u32>, graph: InGraph) -> Matches<'_> {
        let n = self.terms.len();
        let unknown = |id: Option<u32>| id.is_some_and(|id| id as usize >= n);
        if unknown(s) || unknown(p) || unknown(o) || matches!(graph, InGraph::Named(g) if g as usize >= n) {
            return Matches::none();
        }
        self.index().matching(&self.quads, n, (s, p, o), graph)
    }

    /// The numbers of the named graphs, in the order of the quads.
    pub fn graph_ids(&self) -> &[u32] {
        self.index().graphs()
    }
}
