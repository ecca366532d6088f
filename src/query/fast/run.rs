//! Evaluation: each operator calls back with every row it finds, one row of term numbers
//! reused throughout (bindings are made and undone in place), so a solution costs no
//! allocation until a group or the answer keeps it.

use super::group::{Grouping, Made};
use super::{Node, Pos, Stop, Test, Triple, UNBOUND};
use crate::hash::HashMap;
use crate::rdf::{Dataset, InGraph};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Term, TermRef};
use oxigraph::sparql::CancellationToken;
use std::cell::{Cell, RefCell};
use std::cmp::Ordering;
use std::ops::ControlFlow::{self, Break, Continue};

pub(super) type Flow = ControlFlow<Stop>;

/// How many quads are read between two looks at the cancellation token.
const CHECK_EVERY: u32 = 1 << 16;

pub(super) struct Exec<'a> {
    pub(super) data: &'a Dataset,
    width: usize,
    cancel: Option<&'a CancellationToken>,
    /// The rows a GROUP BY may keep (see `GROUP_ROWS_MAX`).
    group_rows: usize,
    ticks: Cell<u32>,
    /// The values groups made (counts, concatenations), numbered after the dataset's terms.
    pub(super) made: RefCell<Made>,
}

impl<'a> Exec<'a> {
    pub(super) fn new(
        data: &'a Dataset,
        width: usize,
        cancel: Option<&'a CancellationToken>,
        group_rows: usize,
    ) -> Self {
        Exec { data, width, cancel, group_rows, ticks: Cell::new(0), made: RefCell::default() }
    }

    /// The answer: `node`'s rows (the first `limit` of them), each as the values of `columns`.
    pub(super) fn rows(&self, node: &Node, columns: &[usize], limit: usize) -> Result<Vec<Vec<Option<Term>>>, Stop> {
        let (mut ids, mut count) = (Vec::new(), 0usize);
        let mut row = vec![UNBOUND; self.width];
        if limit > 0 {
            match self.each(node, &mut row, &mut |row| {
                ids.extend(columns.iter().map(|&c| row[c]));
                count += 1;
                if count == limit {
                    Break(Stop::Found)
                } else {
                    Continue(())
                }
            }) {
                Continue(()) | Break(Stop::Found) => {}
                Break(stop) => return Err(stop),
            }
        }
        let made = self.made.borrow();
        let term = |id: u32| -> Option<Term> {
            match id {
                UNBOUND => None,
                id => Some(match self.data.term(id) {
                    Some(t) => t.into_owned(),
                    None => made.term(id as usize - self.data.term_count()),
                }),
            }
        };
        if columns.is_empty() {
            return Ok(vec![Vec::new(); count]);
        }
        Ok(ids.chunks(columns.len()).map(|r| r.iter().map(|&id| term(id)).collect()).collect())
    }

    fn tick(&self) -> Flow {
        let t = self.ticks.get().wrapping_add(1);
        self.ticks.set(t);
        if t % CHECK_EVERY == 1 && self.cancel.is_some_and(CancellationToken::is_cancelled) {
            return Break(Stop::Cancelled);
        }
        Continue(())
    }

    /// Calls `f` with each row of `node` that extends `row`; `row` is as it was on return.
    pub(super) fn each(&self, node: &Node, row: &mut [u32], f: &mut dyn FnMut(&mut [u32]) -> Flow) -> Flow {
        match node {
            Node::Bgp(triples) => self.bgp(triples, row, f),
            Node::Join(left, right) => self.each(left, row, &mut |row| self.bgp(right, row, f)),
            Node::Optional(left, right) => self.each(left, row, &mut |row| {
                let mut found = false;
                self.bgp(right, row, &mut |row| {
                    found = true;
                    f(row)
                })?;
                if found {
                    Continue(())
                } else {
                    f(row)
                }
            }),
            Node::Minus(left, right, vars) => {
                // Whether the right side has a solution, by the values of its variables in a row.
                let mut known: HashMap<Vec<u32>, bool> = HashMap::default();
                self.each(left, row, &mut |row| {
                    // A row sharing no variable with the right side is kept.
                    if vars.iter().all(|&v| row[v] == UNBOUND) {
                        return f(row);
                    }
                    let key: Vec<u32> = vars.iter().map(|&v| row[v]).collect();
                    let removed = match known.get(&key) {
                        Some(&removed) => removed,
                        None => {
                            let removed = match self.bgp(right, row, &mut |_| Break(Stop::Found)) {
                                Break(Stop::Found) => true,
                                Break(stop) => return Break(stop),
                                Continue(()) => false,
                            };
                            known.insert(key, removed);
                            removed
                        }
                    };
                    if removed {
                        Continue(())
                    } else {
                        f(row)
                    }
                })
            }
            Node::Copy(inner, to, from) => self.each(inner, row, &mut |row| {
                row[*to] = row[*from];
                let flow = f(row);
                row[*to] = UNBOUND;
                flow
            }),
            Node::Filter(inner, tests) => self.each(inner, row, &mut |row| {
                for test in tests {
                    if !self.passes(test, row[test.slot])? {
                        return Continue(());
                    }
                }
                f(row)
            }),
            Node::Group(group) => {
                let mut grouping = Grouping::new(group);
                let mut fresh = vec![UNBOUND; self.width];
                self.each(&group.inner, &mut fresh, &mut |r| {
                    if grouping.rows() == self.group_rows {
                        return Break(Stop::Declined);
                    }
                    grouping.add(r);
                    Continue(())
                })?;
                let slots: Vec<usize> =
                    group.keys.iter().chain(group.aggregates.iter().map(|(s, _)| s)).copied().collect();
                let (groups, values) = match grouping.finish(self) {
                    Ok(done) => done,
                    Err(stop) => return Break(stop),
                };
                for g in 0..groups {
                    let values = &values[g * slots.len()..(g + 1) * slots.len()];
                    for (&s, &v) in slots.iter().zip(values) {
                        row[s] = v;
                    }
                    let flow = f(row);
                    for &s in &slots {
                        row[s] = UNBOUND;
                    }
                    flow?;
                }
                Continue(())
            }
        }
    }

    /// The triple patterns matched in order, each with the bindings of those before it.
    fn bgp(&self, triples: &[Triple], row: &mut [u32], f: &mut dyn FnMut(&mut [u32]) -> Flow) -> Flow {
        let Some((t, rest)) = triples.split_first() else { return f(row) };
        let value = |p: Pos| match p {
            Pos::Term(id) => Some(Some(id)),
            Pos::Var(v) => Some((row[v] != UNBOUND).then_some(row[v])),
            Pos::Missing => None,
        };
        let (Some(s), Some(p), Some(o)) = (value(t.s), value(t.p), value(t.o)) else { return Continue(()) };
        for quad in self.data.matching(s, p, o, InGraph::Any) {
            self.tick()?;
            // Bind the free variables; one that comes twice in the pattern must match itself.
            let mut bound = [usize::MAX; 3];
            let mut fits = true;
            for (i, (pos, value)) in
                [(t.s, quad.subject), (t.p, quad.predicate), (t.o, quad.object)].into_iter().enumerate()
            {
                if let Pos::Var(v) = pos {
                    if row[v] == UNBOUND {
                        row[v] = value;
                        bound[i] = v;
                    } else if row[v] != value {
                        fits = false;
                    }
                }
            }
            let flow = if fits { self.bgp(rest, row, f) } else { Continue(()) };
            for v in bound.into_iter().filter(|&v| v != usize::MAX) {
                row[v] = UNBOUND;
            }
            flow?;
        }
        Continue(())
    }

    /// Whether `value` passes `test` as SPARQL compares: an unbound value, or one that is not a
    /// number, fails (a type error); numbers other than the counts made here are declined.
    fn passes(&self, test: &Test, value: u32) -> ControlFlow<Stop, bool> {
        if value == UNBOUND {
            return Continue(false);
        }
        let n = match self.data.term(value) {
            None => match self.made.borrow().integer(value as usize - self.data.term_count()) {
                Some(n) => n,
                None => return Continue(false),
            },
            Some(TermRef::Literal(l)) if l.datatype() == xsd::STRING || l.datatype() == rdf::LANG_STRING => {
                return Continue(false)
            }
            Some(TermRef::Literal(_)) => return Break(Stop::Declined),
            Some(_) => return Continue(false),
        };
        let i = match n.cmp(&test.number) {
            Ordering::Less => 0,
            Ordering::Equal => 1,
            Ordering::Greater => 2,
        };
        Continue(test.passes[i])
    }
}
