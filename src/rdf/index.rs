//! Lookups on a [`Dataset`](super::Dataset) by triple pattern, for SPARQL: the quads sorted in
//! three orders (subject, predicate or object first), so any combination of bound positions is
//! one range: found through the leading term's offset, then a binary search within the (short)
//! range of that term's rows.
//!
//! This takes the place of loading the quads into an oxigraph store: on a million entries that
//! store held ~15 million quads at ~330 bytes each (5 GB) and took ~50 s to fill on one core;
//! the three orders here cost 36 bytes a quad and are sorted on all cores in seconds, each when
//! first needed.

/// The number of the default graph in a quad's graph position (as in the dataset).
use super::dataset::DEFAULT_GRAPH;
use std::sync::OnceLock;

/// The graphs a pattern matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InGraph {
    /// Every graph, the default graph included.
    Any,
    /// The default graph only.
    Default,
    /// The named graph with this term number.
    Named(u32),
}

impl InGraph {
    fn holds(self, graph: u32) -> bool {
        match self {
            InGraph::Any => true,
            InGraph::Default => graph == DEFAULT_GRAPH,
            InGraph::Named(g) => graph == g,
        }
    }
}

/// A quad as term numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuadIds {
    pub subject: u32,
    pub predicate: u32,
    pub object: u32,
    /// `None` for the default graph.
    pub graph: Option<u32>,
}

/// Which positions lead a sorted copy of the quads.
#[derive(Debug, Clone, Copy)]
enum Order {
    /// subject, predicate, object, graph
    Spog,
    /// predicate, object, subject, graph
    Posg,
    /// object, subject, predicate, graph
    Ospg,
}

/// The three orders, each sorted when first needed (a build's reports use two of them: an
/// order costs 12 bytes a quad, 190 MB at a million entries), and the named graphs.
#[derive(Debug)]
pub(super) struct Index {
    spog: OnceLock<Sorted>,
    posg: OnceLock<Sorted>,
    ospg: OnceLock<Sorted>,
    /// The named graphs, in the dataset's graph order.
    graphs: Vec<u32>,
}

fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The quads rearranged and sorted, grouped by their leading term: a lookup goes straight to
/// a term's rows rather than binary-searching millions of rows (a cache miss at each step),
/// and a row need not hold its leading term (12 bytes a row, not 16).
#[derive(Debug)]
struct Sorted {
    /// Each quad's other three positions, in order, grouped by leading term.
    rows: Vec<[u32; 3]>,
    /// `first[t]..first[t + 1]` are the rows that start with term `t`.
    first: Vec<u32>,
}

impl Sorted {
    /// `quads` rearranged by `key` and sorted; `terms` is the number of terms. The rows are
    /// placed by leading term (a counting sort), then each term's rows are sorted.
    fn new(quads: &[[u32; 4]], terms: usize, key: fn([u32; 4]) -> [u32; 4]) -> Sorted {
        let mut first = vec![0u32; terms + 1];
        for &q in quads {
            first[key(q)[0] as usize + 1] += 1;
        }
        for t in 1..first.len() {
            first[t] += first[t - 1];
        }
        let mut next = first.clone();
        let mut rows = vec![[0u32; 3]; quads.len()];
        for &q in quads {
            let [lead, a, b, c] = key(q);
            let at = &mut next[lead as usize];
            rows[*at as usize] = [a, b, c];
            *at += 1;
        }
        drop(next);
        for t in 0..terms {
            rows[first[t] as usize..first[t + 1] as usize].sort_unstable();
        }
        Sorted { rows, first }
    }

    /// The positions of the rows that start with `prefix` (one to three terms).
    fn starting_with(&self, prefix: &[u32]) -> std::ops::Range<usize> {
        let lead = prefix[0] as usize;
        let (from, to) = (self.first[lead] as usize, self.first[lead + 1] as usize);
        let rows = &self.rows[from..to];
        let rest = &prefix[1..];
        let k = rest.len();
        let start = rows.partition_point(|r| r[..k] < *rest);
        let len = rows[start..].partition_point(|r| r[..k] == *rest);
        from + start..from + start + len
    }

    /// The rows that start with `prefix` (all rows when it is empty), with their leading terms.
    fn matches(&self, prefix: &[u32], order: Order, graph: InGraph) -> Matches<'_> {
        let (range, lead) = match prefix.first() {
            Some(&lead) => (self.starting_with(prefix), lead),
            None => (0..self.rows.len(), 0),
        };
        Matches { rows: &self.rows, first: &self.first, at: range.start, end: range.end, lead, order, graph }
    }
}

impl Index {
    /// No order sorted yet; `quads` are the dataset's, sorted by graph first.
    pub(super) fn new(quads: &[[u32; 4]]) -> Index {
        // Each graph is one run of the quads.
        let graphs = quads.chunk_by(|a, b| a[3] == b[3]).map(|run| run[0][3]).filter(|&g| g != DEFAULT_GRAPH);
        let graphs = graphs.collect();
        Index { spog: OnceLock::new(), posg: OnceLock::new(), ospg: OnceLock::new(), graphs }
    }

    /// The order `order` of `quads`, sorted now if it is not yet; `terms` is the number of
    /// terms (every term number in `quads` is below it, the default graph's aside).
    fn sorted(&self, order: Order, quads: &[[u32; 4]], terms: usize) -> &Sorted {
        match order {
            Order::Spog => self.spog.get_or_init(|| Sorted::new(quads, terms, |q| q)),
            Order::Posg => self.posg.get_or_init(|| Sorted::new(quads, terms, |[s, p, o, g]| [p, o, s, g])),
            Order::Ospg => self.ospg.get_or_init(|| Sorted::new(quads, terms, |[s, p, o, g]| [o, s, p, g])),
        }
    }

    /// Sorts the orders that lookups by subject and by predicate use (most queries' patterns),
    /// or all three, each on its own thread.
    pub(super) fn prepare(&self, quads: &[[u32; 4]], terms: usize, all: bool) {
        let orders: &[Order] = if all { &[Order::Spog, Order::Posg, Order::Ospg] } else { &[Order::Spog, Order::Posg] };
        std::thread::scope(|scope| {
            let (first, rest) = orders.split_first().expect("at least one order");
            let handles: Vec<_> = rest
                .iter()
                .map(|&o| {
                    scope.spawn(move || {
                        self.sorted(o, quads, terms);
                    })
                })
                .collect();
            self.sorted(*first, quads, terms);
            handles.into_iter().for_each(join);
        });
    }

    /// The quads that have the bound positions, in `graph`.
    pub(super) fn matching(
        &self,
        quads: &[[u32; 4]],
        terms: usize,
        (s, p, o): (Option<u32>, Option<u32>, Option<u32>),
        graph: InGraph,
    ) -> Matches<'_> {
        let (order, prefix, len) = match (s, p, o) {
            (Some(s), Some(p), Some(o)) => (Order::Spog, [s, p, o], 3),
            (Some(s), Some(p), None) => (Order::Spog, [s, p, 0], 2),
            (Some(s), None, Some(o)) => (Order::Ospg, [o, s, 0], 2),
            (Some(s), None, None) => (Order::Spog, [s, 0, 0], 1),
            (None, Some(p), Some(o)) => (Order::Posg, [p, o, 0], 2),
            (None, Some(p), None) => (Order::Posg, [p, 0, 0], 1),
            (None, None, Some(o)) => (Order::Ospg, [o, 0, 0], 1),
            (None, None, None) => (Order::Spog, [0; 3], 0),
        };
        self.sorted(order, quads, terms).matches(&prefix[..len], order, graph)
    }

    pub(super) fn graphs(&self) -> &[u32] {
        &self.graphs
    }
}

/// The quads matching a pattern (see [`Dataset::matching`](super::Dataset::matching)).
#[derive(Debug, Clone)]
pub struct Matches<'a> {
    rows: &'a [[u32; 3]],
    first: &'a [u32],
    /// The next row to read, and the end of the range.
    at: usize,
    end: usize,
    /// The leading term of the row at `at` (once past the terms whose rows end before it).
    lead: u32,
    order: Order,
    graph: InGraph,
}

impl Matches<'_> {
    /// Matches nothing.
    pub fn none() -> Matches<'static> {
        Matches { rows: &[], first: &[], at: 0, end: 0, lead: 0, order: Order::Spog, graph: InGraph::Any }
    }
}

impl Iterator for Matches<'_> {
    type Item = QuadIds;

    fn next(&mut self) -> Option<QuadIds> {
        while self.at < self.end {
            while self.first[self.lead as usize + 1] as usize <= self.at {
                self.lead += 1;
            }
            let [a, b, c] = self.rows[self.at];
            self.at += 1;
            let [s, p, o, g] = match self.order {
                Order::Spog => [self.lead, a, b, c],
                Order::Posg => [b, self.lead, a, c],
                Order::Ospg => [a, b, self.lead, c],
            };
            if self.graph.holds(g) {
                let graph = (g != DEFAULT_GRAPH).then_some(g);
                return Some(QuadIds { subject: s, predicate: p, object: o, graph });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Dataset, DatasetBuilder};
    use super::*;
    use oxigraph::model::{GraphNameRef, Literal, NamedNodeRef, TermRef};
    use proptest::prelude::*;

    /// Six terms (IRIs and literals) and quads over them, some in the default graph.
    fn dataset(quads: &[(u8, u8, u8, Option<u8>)]) -> Dataset {
        let mut b = DatasetBuilder::default();
        let ids: Vec<u32> = (0..6)
            .map(|i| if i < 4 { b.iri(&format!("http://example.org/{i}")) } else { b.literal(Literal::from(i)) })
            .collect();
        for &(s, p, o, g) in quads {
            // Subjects, predicates and graphs are IRIs (0..4).
            b.add(
                g.map(|g| ids[usize::from(g % 4)]),
                ids[usize::from(s % 4)],
                ids[usize::from(p % 4)],
                ids[usize::from(o % 6)],
            );
        }
        b.finish()
    }

    /// Every quad of `d` as numbers, by scanning.
    fn all(d: &Dataset) -> Vec<QuadIds> {
        let id = |t: TermRef<'_>| d.id_of(t).expect("a term of the dataset");
        d.quads()
            .map(|q| QuadIds {
                subject: id(q.subject.into()),
                predicate: id(q.predicate.into()),
                object: id(q.object),
                graph: match q.graph_name {
                    GraphNameRef::DefaultGraph => None,
                    GraphNameRef::NamedNode(g) => Some(id(g.into())),
                    GraphNameRef::BlankNode(g) => Some(id(g.into())),
                },
            })
            .collect()
    }

    proptest! {
        #[test]
        fn matching_finds_what_a_scan_finds(
            quads in proptest::collection::vec((0u8..4, 0u8..4, 0u8..6, proptest::option::of(0u8..4)), 0..40),
            s in proptest::option::of(0u32..7), p in proptest::option::of(0u32..7), o in proptest::option::of(0u32..7),
            g in 0u32..8,
        ) {
            let d = dataset(&quads);
            let graph = match g { 0 => InGraph::Any, 1 => InGraph::Default, g => InGraph::Named(g - 2) };
            let mut expected: Vec<QuadIds> = all(&d)
                .into_iter()
                .filter(|q| s.is_none_or(|s| q.subject == s) && p.is_none_or(|p| q.predicate == p) && o.is_none_or(|o| q.object == o))
                .filter(|q| match graph { InGraph::Any => true, InGraph::Default => q.graph.is_none(), InGraph::Named(g) => q.graph == Some(g) })
                .collect();
            let mut got: Vec<QuadIds> = d.matching(s, p, o, graph).collect();
            let key = |q: &QuadIds| (q.subject, q.predicate, q.object, q.graph);
            expected.sort_by_key(key);
            got.sort_by_key(key);
            prop_assert_eq!(got, expected);
            let named: Vec<u32> = all(&d).iter().filter_map(|q| q.graph).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
            let mut graphs = d.graph_ids().to_vec();
            graphs.sort_unstable();
            prop_assert_eq!(graphs, named);
        }
    }

    /// After the common lookups are made, a pattern that needs the third order still finds
    /// what a scan finds (the order is made then).
    #[test]
    fn the_object_order_is_made_when_a_pattern_first_needs_it() {
        let d = dataset(&[(0, 1, 4, None), (1, 2, 4, Some(3)), (2, 1, 5, None), (3, 3, 4, Some(0))]);
        d.prepare_common_lookups();
        let index = d.index();
        assert!(index.spog.get().is_some() && index.posg.get().is_some() && index.ospg.get().is_none());
        for o in 0..d.term_count() as u32 {
            let scanned = all(&d).into_iter().filter(|q| q.object == o).count();
            assert_eq!(d.matching(None, None, Some(o), InGraph::Any).count(), scanned);
        }
        assert!(index.ospg.get().is_some());
        d.prepare_lookups();
    }

    #[test]
    fn terms_are_found_by_value_and_absent_ones_are_not() {
        let d = dataset(&[(0, 1, 4, None), (1, 2, 5, Some(3))]);
        for id in 0..d.term_count() as u32 {
            assert_eq!(d.id_of(d.term(id).unwrap()), Some(id));
        }
        assert_eq!(d.id_of(Literal::from(99).as_ref().into()), None);
        assert_eq!(d.id_of(NamedNodeRef::new_unchecked("http://example.org/9").into()), None);
        assert_eq!(d.matching(Some(d.term_count() as u32), None, None, InGraph::Any).count(), 0);
    }
}
