//! The order of every RDF export: by subject, `rdf:type` first, then predicate and object;
//! quads by graph first (the default graph first). Terms are ranked once ([`Ranks`]) so that
//! quads and lines sort as numbers.

use super::sort::{sort_halves_on_two_cores, sort_on_two_cores, Merged};
use super::terms::TermStore;
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

/// Each term's rank in the order of the keys of `keyed` (each term once, with its key;
/// distinct terms have distinct keys). The halves are sorted on two threads and read in order
/// side by side (string comparisons are the cost here: a median split would compare each term
/// two or three times more). Each key sits beside its term number, so a comparison reads the
/// two texts and nothing else (sorting numbers by keys looked up in a second array took a
/// cache miss more per comparison).
pub(super) fn ranks(mut keyed: Vec<(&str, u32)>) -> Vec<u32> {
    let mid = sort_halves_on_two_cores(&mut keyed, |a, b| a.0.cmp(b.0));
    let mut rank = vec![0; keyed.len()];
    // Pairs order by key first, and keys are distinct.
    for (r, (_, id)) in Merged::new(&keyed, mid).enumerate() {
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

    /// The ranks of an order given as the terms in that order (every term once).
    fn from_order(by_rank: Vec<u32>) -> Self {
        let mut rank = vec![0u32; by_rank.len()];
        for (r, &id) in by_rank.iter().enumerate() {
            rank[id as usize] = r as u32;
        }
        Ranks { rank, by_rank }
    }

    /// The term whose rank is the low 32 bits of `key`.
    pub(super) fn id(&self, key: u128) -> u32 {
        self.by_rank[key as u32 as usize]
    }
}

/// The terms' order by their forms in N-Triples (the order of graph.nq's lines), made from
/// `key_order`, the term numbers in the order of their sort keys ([`sort_key`]), without
/// comparing strings again (sorting millions of forms took as long as sorting the keys).
/// Forms group by their first character: literals (`"`), IRIs (`<`), blank nodes (`_`). A
/// literal's or blank node's sort key is its form, so those keep their order. An IRI's form is
/// its key in angle brackets, which orders IRIs as their keys do except where one key is a
/// prefix of another: `<a/b>` comes before `<a>` ('/' is below '>'), `<ab>` after; see
/// [`iris_by_form`].
pub(super) fn line_order(key_order: &[u32], terms: &TermStore) -> Ranks {
    let mut order = Vec::with_capacity(key_order.len());
    let (mut iris, mut blanks) = (Vec::new(), Vec::new());
    for &id in key_order {
        match terms.get(id) {
            TermRef::Literal(_) => order.push(id),
            TermRef::NamedNode(n) => iris.push((id, n.as_str())),
            TermRef::BlankNode(_) => blanks.push(id),
        }
    }
    iris_by_form(iris.into_iter(), &mut order);
    order.append(&mut blanks);
    debug_assert_eq!(order.len(), key_order.len());
    Ranks::from_order(order)
}

/// Appends the IRIs `by_text` (distinct, in the order of their text) to `out` in the order of
/// their text followed by '>'. That order differs only where an IRI `p` is a prefix of others:
/// those that continue with a byte below '>' come before `p`, the rest after. In the order of
/// their text, the IRIs that `p` prefixes follow it, the first kind first; so `p` waits on a
/// stack until an IRI continues it with '>' or above, or does not continue it at all.
fn iris_by_form<'a>(by_text: impl Iterator<Item = (u32, &'a str)>, out: &mut Vec<u32>) {
    let mut waiting: Vec<(u32, &str)> = Vec::new();
    for (id, iri) in by_text {
        while let Some(&(prefix_id, prefix)) = waiting.last() {
            if iri.starts_with(prefix) {
                if iri.as_bytes().get(prefix.len()).is_some_and(|&next| next >= b'>') {
                    waiting.pop();
                    out.push(prefix_id);
                }
                // An IRI further down the stack is continued below '>': it waits.
                break;
            }
            waiting.pop();
            out.push(prefix_id);
        }
        waiting.push((id, iri));
    }
    out.extend(waiting.into_iter().rev().map(|(id, _)| id));
}

/// The terms numbered in the order the sorted `keys` (quads as ranks: graph, subject, predicate,
/// object; see `DatasetBuilder::finish`)
/// first use them: `(new, old)`, each term's new number by its rank and each new number's old
/// term. The writers read terms in that order, so a term's text is near the last one's in memory
/// rather than anywhere in gigabytes (cache misses on terms were a fifth of a build's time).
pub(super) fn first_use(keys: &[[u32; 4]], order: &Ranks) -> (Vec<u32>, Vec<u32>) {
    let n = order.rank.len();
    let (mut new, mut old) = (vec![u32::MAX; n], Vec::with_capacity(n));
    let mut number = |rank: u32| {
        if new[rank as usize] == u32::MAX {
            new[rank as usize] = old.len() as u32;
            old.push(order.by_rank[rank as usize]);
        }
    };
    for &[graph, s, p, o] in keys {
        number(s);
        number(p & !(1 << 31));
        number(o);
        if let Some(graph) = graph.checked_sub(1) {
            number(graph);
        }
    }
    // Terms no quad uses, if any, after the others.
    (0..n as u32).for_each(&mut number);
    (new, old)
}

/// The distinct triples of `keys` (quads as ranks, graph first, sorted and without duplicates;
/// see `DatasetBuilder::finish`): the position of each triple's first quad, in triple order.
/// Each graph's quads are a sorted run of distinct triples, so a few runs (one list and the
/// default graph) are merged, each merge stable and in one pass, rather than sorted again;
/// more runs than [`MAX_MERGED_RUNS`] are sorted.
pub(super) fn distinct_triples(keys: &[[u32; 4]]) -> Vec<u32> {
    let triple = |i: u32| {
        let [_, s, p, o] = keys[i as usize];
        [s, p, o]
    };
    let mut bounds: Vec<usize> = (0..keys.len()).filter(|&i| i == 0 || keys[i][0] != keys[i - 1][0]).collect();
    let mut positions: Vec<u32>;
    if bounds.len() > MAX_MERGED_RUNS {
        let mut triples: Vec<[u32; 4]> =
            keys.iter().enumerate().map(|(i, &[_, s, p, o])| [s, p, o, i as u32]).collect();
        sort_on_two_cores(&mut triples, <[u32; 4]>::cmp);
        positions = triples.iter().map(|t| t[3]).collect();
    } else {
        positions = (0..keys.len() as u32).collect();
        bounds.push(keys.len());
        let mut merged = vec![0; keys.len()];
        // Each pass merges runs two by two (a last odd one is copied).
        while bounds.len() > 2 {
            let mut next_bounds = vec![0];
            for pair in bounds.windows(3).step_by(2) {
                let (a, b) = positions[pair[0]..pair[2]].split_at(pair[1] - pair[0]);
                merge_by(a, b, &mut merged[pair[0]..pair[2]], |&x, &y| triple(x) <= triple(y));
                next_bounds.push(pair[2]);
            }
            // An odd number of runs (`bounds` holds one more) leaves the last one to copy.
            if !(bounds.len() - 1).is_multiple_of(2) {
                let (from, to) = (bounds[bounds.len() - 2], keys.len());
                merged[from..to].copy_from_slice(&positions[from..to]);
                next_bounds.push(to);
            }
            std::mem::swap(&mut positions, &mut merged);
            bounds = next_bounds;
        }
    }
    // Equal triples are next to each other, the first quad's first.
    positions.dedup_by_key(|&mut i| triple(i));
    positions
}

/// Runs up to which [`distinct_triples`] merges rather than sorts: each pass reads every run
/// as a stream, a few streams at a time.
const MAX_MERGED_RUNS: usize = 8;

/// Merges the sorted `a` and `b` into `out` (as long as both), `a`'s first where `a_first`
/// says an item of `a` may come before one of `b`.
fn merge_by<T: Copy>(mut a: &[T], mut b: &[T], out: &mut [T], a_first: impl Fn(&T, &T) -> bool) {
    debug_assert_eq!(a.len() + b.len(), out.len());
    let mut slots = out.iter_mut();
    while let (Some(x), Some(y)) = (a.first(), b.first()) {
        let slot = slots.next().expect("out is as long as both");
        if a_first(x, y) {
            *slot = *x;
            a = &a[1..];
        } else {
            *slot = *y;
            b = &b[1..];
        }
    }
    for (slot, &rest) in slots.zip(a.iter().chain(b)) {
        *slot = rest;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The IRIs in the order of their forms, by sorting the forms.
    fn sorted_forms(iris: &[String]) -> Vec<String> {
        let mut forms: Vec<String> = iris.iter().map(|i| format!("<{i}>")).collect();
        forms.sort();
        forms.into_iter().map(|f| f[1..f.len() - 1].to_owned()).collect()
    }

    fn by_form(iris: &[String]) -> Vec<String> {
        let mut by_text: Vec<&String> = iris.iter().collect();
        by_text.sort();
        let mut out = Vec::new();
        iris_by_form(by_text.iter().map(|i| (iris.iter().position(|x| x == *i).unwrap() as u32, i.as_str())), &mut out);
        out.into_iter().map(|id| iris[id as usize].clone()).collect()
    }

    #[test]
    fn iris_that_prefix_others_go_where_their_forms_sort() {
        let iris: Vec<String> = ["a", "a/b", "a/b/c", "a-b", "ab", "a>", "a>b", "b", "a/c", "a/bz", "a/b~"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(by_form(&iris), sorted_forms(&iris));
        assert_eq!(by_form(&iris)[..5], ["a-b", "a/b/c", "a/b", "a/bz", "a/b~"]);
    }

    proptest! {
        /// Keys made of a few characters on both sides of '>' and long shared prefixes.
        #[test]
        fn iris_by_form_is_sorting_the_forms(set in proptest::collection::hash_set("[ab/>~-]{0,6}", 0..60)) {
            let iris: Vec<String> = set.into_iter().collect();
            prop_assert_eq!(by_form(&iris), sorted_forms(&iris));
        }
    }

    /// The distinct triples as first written: every quad's triple and position, sorted, the
    /// first of each run of equal triples kept.
    fn distinct_triples_by_sorting(keys: &[[u32; 4]]) -> Vec<u32> {
        let mut triples: Vec<[u32; 4]> =
            keys.iter().enumerate().map(|(i, &[_, s, p, o])| [s, p, o, i as u32]).collect();
        triples.sort_unstable();
        triples.dedup_by_key(|&mut [s, p, o, _]| [s, p, o]);
        triples.iter().map(|t| t[3]).collect()
    }

    proptest! {
        /// Quads over few terms in up to a dozen graphs (so that graphs share triples, and
        /// both the merging and the sorting path run): the same triples as sorting finds.
        #[test]
        fn distinct_triples_merge_as_sorting_finds(
            mut keys in proptest::collection::vec((0u32..12, 0u32..4, 0u32..3, 0u32..5).prop_map(|(g, s, p, o)| [g, s, p, o]), 0..400)
        ) {
            keys.sort_unstable();
            keys.dedup();
            prop_assert_eq!(distinct_triples(&keys), distinct_triples_by_sorting(&keys));
        }
    }

    /// Enough keys for the two-thread sort: each term's rank is its key's place among all keys.
    #[test]
    fn ranks_are_places_in_key_order() {
        let keys: Vec<String> =
            (0..70_000u32).map(|i| format!("k{}", i.wrapping_mul(2_654_435_761) % 100_003)).collect();
        let mut sorted: Vec<&str> = keys.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        let rank = ranks(keys.iter().zip(0..).map(|(k, id)| (k.as_str(), id)).collect());
        for (id, key) in keys.iter().enumerate() {
            assert_eq!(sorted[rank[id] as usize], key.as_str());
        }
        let mut distinct = rank.clone();
        distinct.sort_unstable();
        assert!(distinct.iter().copied().eq(0..70_000), "ranks are not a permutation");
    }

    /// Terms are numbered as the sorted quads first use them: subject, predicate, object,
    /// graph; a term no quad uses comes last.
    #[test]
    fn numbers_follow_first_use() {
        // Five terms whose ranks are 4, 3, 2, 1, 0 (term 0 ranks last).
        let order = Ranks::new(vec![4, 3, 2, 1, 0]);
        let key = |g: u32, s: u32, p: u32, o: u32| [g, s, p | 1 << 31, o];
        // Ranks (graph + 1, subject, predicate, object): (0; 3, 1, 2) then (rank 0 + 1; 3, 1, 3).
        let (new, old) = first_use(&[key(0, 3, 1, 2), key(1, 3, 1, 3)], &order);
        assert_eq!(new, [3, 1, 2, 0, 4]);
        assert_eq!(old, [1, 3, 2, 4, 0]);
    }
}
