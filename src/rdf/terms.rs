//! Finding a term's number from the term: a hash table of numbers into the term list, so each
//! term's text is stored once (a map from strings would hold every IRI a second time: hundreds
//! of megabytes on a million entries) and an IRI already seen costs no allocation.

use hashbrown::HashTable;
use oxigraph::model::{NamedNode, NamedNodeRef, Term, TermRef};
use std::hash::BuildHasher;

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
    pub(super) fn find(&self, terms: &[Term], term: TermRef<'_>) -> Option<u32> {
        self.table.find(self.hash(term), |&id| terms[id as usize].as_ref() == term).copied()
    }

    /// The number of the IRI `iri`, added to `terms` if new.
    pub(super) fn iri(&mut self, terms: &mut Vec<Term>, iri: &str) -> u32 {
        let term = TermRef::NamedNode(NamedNodeRef::new_unchecked(iri));
        if let Some(id) = self.find(terms, term) {
            return id;
        }
        self.insert(terms, Term::NamedNode(NamedNodeRef::new_unchecked(iri).into_owned()))
    }

    /// The number of the IRI `iri`, taken as the term if new.
    pub(super) fn named_node(&mut self, terms: &mut Vec<Term>, iri: NamedNode) -> u32 {
        match self.find(terms, iri.as_ref().into()) {
            Some(id) => id,
            None => self.insert(terms, Term::NamedNode(iri)),
        }
    }

    /// The number of `term`, added to `terms` if new.
    pub(super) fn term(&mut self, terms: &mut Vec<Term>, term: Term) -> u32 {
        match self.find(terms, term.as_ref()) {
            Some(id) => id,
            None => self.insert(terms, term),
        }
    }

    fn insert(&mut self, terms: &mut Vec<Term>, term: Term) -> u32 {
        // Below 2^31: the dataset packs a quad's four ranks and a flag into 128 bits.
        let id = u32::try_from(terms.len()).ok().filter(|&n| n < 1 << 31);
        let id = id.expect("fewer than 2 billion distinct terms");
        let hash = self.hash(term.as_ref());
        terms.push(term);
        let state = &self.state;
        self.table.insert_unique(hash, id, |&other| state.hash_one(terms[other as usize].as_ref()));
        id
    }
}
