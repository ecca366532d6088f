//! The terms of a dataset, each stored once as text in one string (an owned `Term` holds its
//! text in a heap allocation of its own, beside tens of bytes of enum; here a term costs its
//! text and 16 bytes: the 1M-entry build's peak fell by 600 MiB when the terms moved here), and
//! finding a term's number from the term: a hash table of numbers into the store, so an IRI
//! already seen costs no allocation.

use hashbrown::HashTable;
use oxigraph::model::vocab::xsd;
use oxigraph::model::{BlankNodeRef, LiteralRef, NamedNodeRef, TermRef};
use std::hash::BuildHasher;

/// What a stored term is; the two-part kinds keep a literal's value, then its language tag
/// or datatype IRI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Iri,
    Blank,
    Simple,
    Language,
    Typed,
}

/// A stored term: where its text starts in [`TermStore::text`] (it ends where the next one
/// starts), its kind, and the length of a literal's value within it.
#[derive(Debug, Clone, Copy)]
struct Entry {
    start: usize,
    value_len: u32,
    kind: Kind,
}

/// Every term's text in one string.
#[derive(Debug, Default)]
pub(super) struct TermStore {
    text: String,
    entries: Vec<Entry>,
}

impl TermStore {
    /// Room for about `terms` terms (generated lists' terms average 65 bytes of text).
    pub(super) fn with_capacity(terms: usize) -> Self {
        TermStore { text: String::with_capacity(terms * 72), entries: Vec::with_capacity(terms) }
    }

    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The term numbered `id`, which must be below [`TermStore::len`].
    pub(super) fn get(&self, id: u32) -> TermRef<'_> {
        let id = id as usize;
        let entry = self.entries[id];
        let end = self.entries.get(id + 1).map_or(self.text.len(), |next| next.start);
        let text = &self.text[entry.start..end];
        let (value, rest) = text.split_at(entry.value_len as usize);
        match entry.kind {
            Kind::Iri => NamedNodeRef::new_unchecked(text).into(),
            Kind::Blank => BlankNodeRef::new_unchecked(text).into(),
            Kind::Simple => LiteralRef::new_simple_literal(text).into(),
            Kind::Language => LiteralRef::new_language_tagged_literal_unchecked(value, rest).into(),
            Kind::Typed => LiteralRef::new_typed_literal(value, NamedNodeRef::new_unchecked(rest)).into(),
        }
    }

    /// The same terms numbered anew: term `n` of the result is term `old[n]` of this store.
    /// `old` lists every number once.
    pub(super) fn renumbered(&self, old: &[u32]) -> TermStore {
        debug_assert_eq!(old.len(), self.entries.len());
        let mut store =
            TermStore { text: String::with_capacity(self.text.len()), entries: Vec::with_capacity(old.len()) };
        for &id in old {
            let id = id as usize;
            let entry = self.entries[id];
            let end = self.entries.get(id + 1).map_or(self.text.len(), |next| next.start);
            store.entries.push(Entry { start: store.text.len(), ..entry });
            store.text.push_str(&self.text[entry.start..end]);
        }
        store
    }

    /// Every term, in number order.
    pub(super) fn iter(&self) -> impl ExactSizeIterator<Item = TermRef<'_>> + Clone {
        (0..self.entries.len() as u32).map(|id| self.get(id))
    }

    /// Adds `term` (whose text is copied) as the next number, whether or not the store has it.
    pub(super) fn push(&mut self, term: TermRef<'_>) {
        let start = self.text.len();
        let (kind, value, rest) = match term {
            TermRef::NamedNode(n) => (Kind::Iri, n.as_str(), ""),
            TermRef::BlankNode(b) => (Kind::Blank, b.as_str(), ""),
            TermRef::Literal(l) => match l.language() {
                Some(language) => (Kind::Language, l.value(), language),
                None if l.datatype() == xsd::STRING => (Kind::Simple, l.value(), ""),
                None => (Kind::Typed, l.value(), l.datatype().as_str()),
            },
        };
        let value_len = u32::try_from(value.len()).expect("a literal shorter than 4 GB");
        self.text.push_str(value);
        self.text.push_str(rest);
        self.entries.push(Entry { start, value_len, kind });
    }
}

#[derive(Default)]
pub(super) struct TermTable {
    table: HashTable<u32>,
    state: foldhash::fast::RandomState,
}

impl std::fmt::Debug for TermTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TermTable").field("len", &self.table.len()).finish()
    }
}

impl TermTable {
    pub(super) fn with_capacity(terms: usize) -> Self {
        TermTable { table: HashTable::with_capacity(terms), state: Default::default() }
    }

    fn hash(&self, term: TermRef<'_>) -> u64 {
        self.state.hash_one(term)
    }

    /// The number of `term` in `terms`, if it is there.
    pub(super) fn find(&self, terms: &TermStore, term: TermRef<'_>) -> Option<u32> {
        self.table.find(self.hash(term), |&id| terms.get(id) == term).copied()
    }

    /// Follows the terms to their new numbers (`new[old]`, see [`TermStore::renumbered`]).
    pub(super) fn renumber(&mut self, new: &[u32]) {
        for id in self.table.iter_mut() {
            *id = new[*id as usize];
        }
    }

    /// The number of `term`, added to `terms` if new.
    pub(super) fn term(&mut self, terms: &mut TermStore, term: TermRef<'_>) -> u32 {
        let hash = self.hash(term);
        if let Some(&id) = self.table.find(hash, |&id| terms.get(id) == term) {
            return id;
        }
        // Below 2^31: the dataset packs a quad's four ranks and a flag into 128 bits.
        let id = u32::try_from(terms.len()).ok().filter(|&n| n < 1 << 31);
        let id = id.expect("fewer than 2 billion distinct terms");
        terms.push(term);
        let state = &self.state;
        self.table.insert_unique(hash, id, |&other| state.hash_one(terms.get(other)));
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{BlankNode, Literal, NamedNode, Term};
    use proptest::prelude::*;

    proptest! {
        /// Any mix of terms comes back from the store as it went in, each under one number.
        #[test]
        fn stored_terms_come_back_whole(parts in proptest::collection::vec(("\\PC{0,8}", "[a-z]{1,3}", 0u8..6), 0..40)) {
            let terms: Vec<Term> = parts
                .iter()
                .map(|(value, tag, kind)| match kind {
                    0 => NamedNode::new_unchecked(format!("http://example.org/{tag}")).into(),
                    1 => BlankNode::new_unchecked(format!("b{tag}")).into(),
                    2 => Literal::new_simple_literal(value).into(),
                    3 => Literal::new_language_tagged_literal_unchecked(value, tag).into(),
                    4 => Literal::new_typed_literal(value, xsd::STRING).into(),
                    _ => Literal::new_typed_literal(value, NamedNode::new_unchecked(format!("http://example.org/{tag}"))).into(),
                })
                .collect();
            let (mut store, mut table) = (TermStore::default(), TermTable::default());
            let ids: Vec<u32> = terms.iter().map(|t| table.term(&mut store, t.as_ref())).collect();
            for (t, &id) in terms.iter().zip(&ids) {
                prop_assert_eq!(store.get(id), t.as_ref());
                prop_assert_eq!(table.find(&store, t.as_ref()), Some(id));
            }
            let distinct: std::collections::HashSet<&Term> = terms.iter().collect();
            prop_assert_eq!(store.len(), distinct.len());
            // Numbered anew (here: backwards), each term is found under its new number.
            let old: Vec<u32> = (0..store.len() as u32).rev().collect();
            let mut new = vec![0; old.len()];
            for (n, &o) in old.iter().enumerate() {
                new[o as usize] = n as u32;
            }
            let renumbered = store.renumbered(&old);
            table.renumber(&new);
            for (t, &id) in terms.iter().zip(&ids) {
                prop_assert_eq!(renumbered.get(new[id as usize]), t.as_ref());
                prop_assert_eq!(table.find(&renumbered, t.as_ref()), Some(new[id as usize]));
            }
        }
    }
}
