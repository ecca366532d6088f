//! The terms as written in N-Triples, shared by the writers that copy them (graph.nq,
//! graph.nt, Turtle, TriG), and the lines of graph.nq and graph.nt in their byte order.

use super::dataset::DEFAULT_GRAPH;
use super::order::Ranks;
use super::sort::{sort_halves_on_two_cores, Merged};
use super::written::Written;
use std::sync::Arc;

/// Every term of a dataset as written in N-Triples.
#[derive(Debug)]
pub struct Forms {
    written: Written,
}

impl Forms {
    pub(super) fn new(written: Written) -> Self {
        Forms { written }
    }

    /// The term numbered `id` as written in N-Triples.
    pub fn get(&self, id: u32) -> &str {
        self.written.get(id)
    }
}

/// The lines of `graph.nq` and `graph.nt` in their order, as sorted numbers made of their
/// terms' ranks: sorted once for both files. Terms as written in N-Triples never have one as a
/// prefix of another except where the longer continues with '@', '^' or a character of a blank
/// node label, all above the space that ends a term in a line; so comparing lines is comparing
/// their terms in turn. A line without a graph ends " ." and sorts before one with a graph, " <".
#[derive(Debug)]
pub struct Lines {
    forms: Arc<Forms>,
    /// The terms' order by their forms.
    order: Ranks,
    /// `keys[..mid]` and `keys[mid..]` are each sorted.
    keys: Vec<u128>,
    mid: usize,
}

impl Lines {
    /// The lines of `quads` (subject, predicate, object, graph) with `forms`, whose order is
    /// `order`.
    pub(super) fn new(forms: Arc<Forms>, order: Ranks, quads: &[[u32; 4]]) -> Lines {
        let rank = &order.rank;
        // Each line as its terms' ranks in one number, so the sort compares integers in one
        // array rather than looking up ranks at every comparison; the graph is 0 for the
        // default graph, else its rank + 1 (ranks are below 2^31, see TermTable).
        let mut keys: Vec<u128> = quads
            .iter()
            .map(|q| {
                let graph = if q[3] == DEFAULT_GRAPH { 0 } else { rank[q[3] as usize] + 1 };
                (u128::from(rank[q[0] as usize]) << 96)
                    | (u128::from(rank[q[1] as usize]) << 64)
                    | (u128::from(rank[q[2] as usize]) << 32)
                    | u128::from(graph)
            })
            .collect();
        // Two sorted halves, read in order through Merged: no merged copy (250 MB at 1M).
        let mid = sort_halves_on_two_cores(&mut keys, u128::cmp);
        Lines { forms, order, keys, mid }
    }

    /// Every quad as a line of N-Quads (the fourth part is empty for the default graph), and
    /// whether it is the first line of its triple: the distinct triples' lines of N-Triples are
    /// those lines without their graph (a triple's quads are next to each other, the graph
    /// being the last part). One walk gives both files, each term looked up once.
    pub fn quads_and_triples(&self) -> impl ExactSizeIterator<Item = ([&str; 4], bool)> + '_ {
        let mut previous = None;
        self.keys().map(move |k| (self.quad(k), previous.replace(k >> 32) != Some(k >> 32)))
    }

    /// The keys in order.
    fn keys(&self) -> Merged<'_, u128> {
        Merged::new(&self.keys, self.mid)
    }

    fn term(&self, key: u128) -> &str {
        self.forms.get(self.order.id(key))
    }

    fn quad(&self, k: u128) -> [&str; 4] {
        let graph = k as u32;
        let graph = if graph == 0 { "" } else { self.term(u128::from(graph - 1)) };
        [self.term(k >> 96), self.term(k >> 64), self.term(k >> 32), graph]
    }
}
