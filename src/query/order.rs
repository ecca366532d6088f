//! The outermost ORDER BY of a SELECT (under DISTINCT, OFFSET and LIMIT, if any), done here
//! rather than by spareval when it sorts on variables: spareval's comparator turns both rows' values back into owned terms at every
//! comparison (n log n allocations; half the time of some bundled queries at a million
//! entries), while this sorts once-made keys with the same comparisons, so the rows come out
//! in the same order, ties included (the same unstable sort over the same rows). Values this
//! does not compare the way spareval does (numbers other than integers, dates, booleans, other
//! typed literals) leave the query to spareval whole. One difference: a column mixing integers
//! with other literals, which spareval's comparison does not order (its sort panics when it
//! notices), is sorted with the integers first.

use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Term, Variable};
use spargebra::algebra::{Expression, GraphPattern, OrderExpression};
use spargebra::Query;
use std::cmp::Ordering;

/// A SELECT split into the query without its ORDER BY (and what comes after the ordering:
/// DISTINCT, OFFSET and LIMIT), and those.
pub(super) struct Split {
    /// The query without the ORDER BY, projecting the sort variables after its own.
    pub(super) query: Query,
    /// How many leading columns the query itself projects.
    projected: usize,
    /// Each sort key: its column in the rows, and whether it sorts descending.
    keys: Vec<(usize, bool)>,
    /// DISTINCT: each sorted row once, where it first comes (as spareval does it).
    distinct: bool,
    /// OFFSET and LIMIT, applied last.
    slice: Option<(usize, Option<usize>)>,
}

/// `query` split when it is `SELECT … ORDER BY` on variables only, with DISTINCT, OFFSET and
/// LIMIT or not. (REDUCED is left to spareval, which does not drop the rows in sorted order.)
pub(super) fn split(query: &Query) -> Option<Split> {
    let Query::Select { dataset, pattern, base_iri } = query else { return None };
    let (slice, pattern) = match pattern {
        GraphPattern::Slice { inner, start, length } => (Some((*start, *length)), inner.as_ref()),
        other => (None, other),
    };
    let (distinct, pattern) = match pattern {
        GraphPattern::Distinct { inner } => (true, inner.as_ref()),
        other => (false, other),
    };
    let GraphPattern::Project { inner, variables } = pattern else { return None };
    let GraphPattern::OrderBy { inner, expression } = inner.as_ref() else { return None };
    let mut columns: Vec<Variable> = variables.clone();
    let mut keys = Vec::with_capacity(expression.len());
    for order in expression {
        let (OrderExpression::Asc(Expression::Variable(v)) | OrderExpression::Desc(Expression::Variable(v))) = order
        else {
            return None;
        };
        let column = columns.iter().position(|c| c == v).unwrap_or_else(|| {
            columns.push(v.clone());
            columns.len() - 1
        });
        keys.push((column, matches!(order, OrderExpression::Desc(_))));
    }
    let pattern = GraphPattern::Project { inner: inner.clone(), variables: columns };
    Some(Split {
        query: Query::Select { dataset: dataset.clone(), pattern, base_iri: base_iri.clone() },
        projected: variables.len(),
        keys,
        distinct,
        slice,
    })
}

impl Split {
    /// How many leading columns the query itself projects.
    pub(super) fn projected(&self) -> usize {
        self.projected
    }

    /// Puts `rows` (the split query's solutions, in the order spareval gave them) in the order
    /// of the ORDER BY, drops the columns only the sort needed, then applies DISTINCT, OFFSET
    /// and LIMIT; `None` if a sort value is one this does not compare (the rows are then
    /// unchanged).
    pub(super) fn sort(&self, rows: &mut Vec<Vec<Option<Term>>>) -> Option<()> {
        let mut keyed: Vec<Keyed<'_>> = rows
            .iter()
            .enumerate()
            .map(|(row, values)| {
                let keys = self.keys.iter().map(|&(c, _)| Key::of(values.get(c).and_then(Option::as_ref)));
                Some(Keyed { keys: keys.collect::<Option<_>>()?, row })
            })
            .collect::<Option<_>>()?;
        // spareval compares integers by number and an integer with another literal by lexical
        // form: on a column holding both, that is not an order (9 < 10 < "5" < 9) and its sort
        // panics when it notices. On such a column integers come first here (by number), then
        // the other literals: an order, where SPARQL leaves numbers against strings unordered.
        let mixed: Vec<bool> = (0..self.keys.len())
            .map(|i| {
                let literal = |kind: fn(&Kind) -> bool| {
                    keyed.iter().any(|k| matches!(&k.keys[i], Key::Literal { kind: found, .. } if kind(found)))
                };
                literal(|k| matches!(k, Kind::Integer(_))) && literal(|k| !matches!(k, Kind::Integer(_)))
            })
            .collect();
        keyed.sort_unstable_by(|a, b| {
            for (i, &(_, descending)) in self.keys.iter().enumerate() {
                let ordering = a.keys[i].cmp(&b.keys[i], mixed[i]);
                if ordering != Ordering::Equal {
                    return if descending { ordering.reverse() } else { ordering };
                }
            }
            Ordering::Equal
        });
        let order: Vec<usize> = keyed.into_iter().map(|k| k.row).collect();
        let mut taken: Vec<Option<Vec<Option<Term>>>> = rows.drain(..).map(Some).collect();
        rows.extend(order.into_iter().map(|i| {
            let mut row = taken[i].take().expect("each row once");
            row.truncate(self.projected);
            row
        }));
        if self.distinct {
            let mut seen = crate::hash::HashSet::default();
            rows.retain(|row| seen.insert(row.clone()));
        }
        if let Some((start, length)) = self.slice {
            rows.drain(..start.min(rows.len()));
            rows.truncate(length.unwrap_or(usize::MAX));
        }
        Some(())
    }
}

/// A row's sort keys and its place, as large as spareval's rows and not `Copy` either: the
/// standard library's unstable sort may pick its methods by the element's size and kind, and
/// equal rows keep spareval's order only if the sort goes the same way (the tests compare).
struct Keyed<'a> {
    keys: Box<[Key<'a>]>,
    row: usize,
}

const _: () = assert!(std::mem::size_of::<Keyed<'static>>() == std::mem::size_of::<Vec<Option<u32>>>());

/// A sort value as spareval compares it.
#[derive(Debug)]
enum Key<'a> {
    Unbound,
    Blank(&'a str),
    Iri(&'a str),
    /// A literal: its value, datatype and language tag, and what compares it with literals of
    /// its own kind.
    Literal {
        value: &'a str,
        datatype: &'a str,
        language: Option<&'a str>,
        kind: Kind,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// xsd:string: by value.
    Simple,
    /// rdf:langString: by value, between equal tags.
    Tagged,
    /// xsd:integer in canonical form (as spareval writes an integer back) within i64: by number.
    Integer(i64),
}

impl<'a> Key<'a> {
    /// The key of a value; `None` for a literal spareval would compare otherwise (decimals,
    /// doubles, dates, booleans, other datatypes, integers not in canonical form).
    fn of(term: Option<&'a Term>) -> Option<Self> {
        Some(match term {
            None => Key::Unbound,
            Some(Term::BlankNode(b)) => Key::Blank(b.as_str()),
            Some(Term::NamedNode(n)) => Key::Iri(n.as_str()),
            Some(Term::Literal(l)) => {
                let (value, datatype) = (l.value(), l.datatype());
                let kind = if datatype == xsd::STRING {
                    Kind::Simple
                } else if datatype == rdf::LANG_STRING {
                    Kind::Tagged
                } else if datatype == xsd::INTEGER {
                    let n: i64 = value.parse().ok()?;
                    if n.to_string() != value {
                        return None;
                    }
                    Kind::Integer(n)
                } else {
                    return None;
                };
                Key::Literal { value, datatype: datatype.as_str(), language: l.language(), kind }
            }
            #[allow(unreachable_patterns)]
            Some(_) => return None,
        })
    }

    /// spareval's `cmp_terms`: unbound, then blank nodes, IRIs, literals; literals of one kind
    /// by value (or number); others by (value, datatype, language tag). In a `mixed` column
    /// (integers and other literals), integers before the other literals instead.
    fn cmp(&self, other: &Self, mixed: bool) -> Ordering {
        use Key::*;
        let rank = |k: &Key<'_>| match k {
            Unbound => 0,
            Blank(_) => 1,
            Iri(_) => 2,
            Literal { .. } => 3,
        };
        match (self, other) {
            (Blank(a), Blank(b)) | (Iri(a), Iri(b)) => a.cmp(b),
            (
                Literal { value: va, datatype: da, language: la, kind: ka },
                Literal { value: vb, datatype: db, language: lb, kind: kb },
            ) => match (ka, kb) {
                (Kind::Simple, Kind::Simple) => va.cmp(vb),
                (Kind::Tagged, Kind::Tagged) if la == lb => va.cmp(vb),
                (Kind::Integer(a), Kind::Integer(b)) => a.cmp(b),
                (Kind::Integer(_), _) if mixed => Ordering::Less,
                (_, Kind::Integer(_)) if mixed => Ordering::Greater,
                _ => (va, da, la).cmp(&(vb, db, lb)),
            },
            _ => rank(self).cmp(&rank(other)),
        }
    }
}

#[cfg(test)]
mod tests;
