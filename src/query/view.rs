//! The dataset as spareval sees it: terms are their numbers in the [`Dataset`], and quads come
//! from its pattern lookups, so a query runs on the dataset as built, with no copy into a
//! store. Terms a query makes (a `BIND`, a `COUNT`) that the dataset does not hold get numbers
//! after the dataset's own, for this query only.

use crate::hash::HashMap;
use crate::rdf::{Dataset, InGraph};
use oxigraph::model::Term;
use spareval::{InternalQuad, QueryableDataset};
use std::cell::RefCell;
use std::convert::Infallible;

pub(super) struct View<'a> {
    data: &'a Dataset,
    made: RefCell<Made>,
}

/// Terms a query made that the dataset does not hold, numbered from the dataset's term count;
/// and every term already looked up, so each is hashed and searched once.
#[derive(Default)]
struct Made {
    terms: Vec<Term>,
    ids: HashMap<Term, u32>,
}

impl<'a> View<'a> {
    pub(super) fn new(data: &'a Dataset) -> Self {
        View { data, made: RefCell::default() }
    }
}

impl<'a> QueryableDataset<'a> for View<'a> {
    type InternalTerm = u32;
    type Error = Infallible;

    fn internal_quads_for_pattern(
        &self,
        subject: Option<&u32>,
        predicate: Option<&u32>,
        object: Option<&u32>,
        graph_name: Option<Option<&u32>>,
    ) -> impl Iterator<Item = Result<InternalQuad<u32>, Infallible>> + use<'a> {
        // As oxigraph's store does: without a graph, every graph, the default graph included
        // (spareval drops the default graph itself where SPARQL asks for named graphs only).
        let graph = match graph_name {
            None => InGraph::Any,
            Some(None) => InGraph::Default,
            Some(Some(&g)) => InGraph::Named(g),
        };
        self.data.matching(subject.copied(), predicate.copied(), object.copied(), graph).map(|q| {
            Ok(InternalQuad { subject: q.subject, predicate: q.predicate, object: q.object, graph_name: q.graph })
        })
    }

    fn internal_named_graphs(&self) -> impl Iterator<Item = Result<u32, Infallible>> + use<'a> {
        self.data.graph_ids().iter().map(|&g| Ok(g))
    }

    fn contains_internal_graph_name(&self, graph_name: &u32) -> Result<bool, Infallible> {
        Ok(self.data.graph_ids().contains(graph_name))
    }

    fn internalize_term(&self, term: Term) -> Result<u32, Infallible> {
        let mut made = self.made.borrow_mut();
        if let Some(&id) = made.ids.get(&term) {
            return Ok(id);
        }
        let id = match self.data.id_of(term.as_ref()) {
            Some(id) => id,
            None => {
                let id = self.data.term_count() + made.terms.len();
                made.terms.push(term.clone());
                u32::try_from(id).expect("fewer than 4 billion distinct terms")
            }
        };
        made.ids.insert(term, id);
        Ok(id)
    }

    fn externalize_term(&self, term: u32) -> Result<Term, Infallible> {
        Ok(match self.data.term(term) {
            Some(t) => t.into_owned(),
            None => self.made.borrow().terms[term as usize - self.data.term_count()].clone(),
        })
    }
}
