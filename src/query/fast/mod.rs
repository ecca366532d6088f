//! A direct evaluator for the SELECT queries aggregate reports are made of: basic graph
//! patterns joined in written order, OPTIONAL and MINUS of a basic graph pattern, BIND of a
//! variable, GROUP BY with COUNT and GROUP_CONCAT, and HAVING comparisons with an integer, on
//! the union of all graphs. Solutions are rows of term numbers, joined by nested loops over the
//! dataset's lookups and grouped by sorting, with no value leaving the dataset as an owned
//! term until the answer is made.
//!
//! spareval allocates a tuple for every partial solution, a set per group for each DISTINCT
//! aggregate, and turns every value GROUP_CONCAT reads back into an owned string: on a million
//! entries the bundled reports took 1–3 s each there. Anything this does not evaluate exactly
//! as SPARQL defines it (other expressions and aggregates, property paths other than sequences
//! (the parser makes those patterns with blank nodes), GRAPH, FROM,
//! subqueries, patterns that share no variable with the ones before them, numbers other than
//! its own counts in a comparison) it declines, and spareval answers instead.
//!
//! Answers equal spareval's as multisets of rows. The order is its own: rows in the order the
//! nested loops find them, groups by their keys' term numbers, and GROUP_CONCAT's parts in the
//! order their rows come (SPARQL leaves all three open).

mod group;
mod run;
#[cfg(test)]
mod tests;

use crate::hash::HashMap;
use crate::rdf::Dataset;
use oxigraph::model::{Term, TermRef};
use oxigraph::sparql::CancellationToken;
use spargebra::algebra::{AggregateExpression, AggregateFunction, Expression, GraphPattern};
use spargebra::term::{NamedNodePattern, TermPattern, TriplePattern};
use spargebra::Query;

/// The value of an unbound variable in a row.
const UNBOUND: u32 = u32::MAX;

/// A SELECT's answer: the projected variables and the rows.
pub(super) struct Solutions {
    pub(super) variables: Vec<String>,
    pub(super) rows: Vec<Vec<Option<Term>>>,
}

/// Why an evaluation stopped without an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    /// A value this evaluator does not compare as SPARQL does: spareval answers instead.
    Declined,
    Cancelled,
    /// An existence test (MINUS) found what it looked for, or the rows reached their limit.
    Found,
}

/// `query` evaluated here, on the union of all graphs, up to `limit` rows (the server's cap: no
/// more are made); `None` when it is not a query this evaluates (or it met a value it does not
/// handle), `Some(Err(Stop::Cancelled))` when `cancel` stopped it.
pub(super) fn evaluate(
    data: &Dataset,
    query: &Query,
    cancel: Option<&CancellationToken>,
    limit: usize,
) -> Option<Result<Solutions, Stop>> {
    evaluate_within(data, query, cancel, limit, GROUP_ROWS_MAX)
}

/// The rows a GROUP BY keeps before it leaves the query to spareval: its memory grows with the
/// rows, spareval's with the groups (and their distinct values), which is less for a join that
/// makes billions of rows into a few counts. 2^24 rows of four values are 256 MiB; the bundled
/// reports group at most 2.5 million rows on a million entries.
const GROUP_ROWS_MAX: usize = 1 << 24;

/// [`evaluate`], with a GROUP BY keeping at most `group_rows` rows.
fn evaluate_within(
    data: &Dataset,
    query: &Query,
    cancel: Option<&CancellationToken>,
    limit: usize,
    group_rows: usize,
) -> Option<Result<Solutions, Stop>> {
    let Query::Select { dataset: None, pattern: GraphPattern::Project { inner, variables }, .. } = query else {
        return None;
    };
    let mut plan = Compiler { data, slots: HashMap::default() };
    let node = plan.node(inner)?;
    let columns: Vec<usize> = variables.iter().map(|v| plan.slot(v.as_str())).collect();
    let exec = run::Exec::new(data, plan.slots.len(), cancel, group_rows);
    match exec.rows(&node, &columns, limit) {
        Ok(rows) => Some(Ok(Solutions { variables: variables.iter().map(|v| v.as_str().to_owned()).collect(), rows })),
        Err(Stop::Declined) => None,
        Err(stop) => Some(Err(stop)),
    }
}

/// A position of a triple pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pos {
    /// A term of the dataset.
    Term(u32),
    /// A variable (or blank node) and its place in the rows.
    Var(usize),
    /// A term the dataset does not hold: the pattern matches nothing.
    Missing,
}

#[derive(Debug, Clone, Copy)]
struct Triple {
    s: Pos,
    p: Pos,
    o: Pos,
}

impl Triple {
    fn vars(&self) -> impl Iterator<Item = usize> {
        [self.s, self.p, self.o].into_iter().filter_map(|p| match p {
            Pos::Var(v) => Some(v),
            _ => None,
        })
    }
}

/// A comparison of HAVING or FILTER: a variable's value against an integer.
#[derive(Debug, Clone, Copy)]
struct Test {
    slot: usize,
    /// The orderings of (value, number) that pass.
    passes: [bool; 3],
    number: i64,
}

#[derive(Debug, Clone)]
enum Aggregate {
    /// COUNT(*)
    Rows,
    /// COUNT(?v), COUNT(DISTINCT ?v)
    Count { slot: usize, distinct: bool },
    /// GROUP_CONCAT(?v; SEPARATOR=…), with DISTINCT or not
    Concat { slot: usize, distinct: bool, separator: String },
}

#[derive(Debug)]
struct Group {
    inner: Node,
    keys: Vec<usize>,
    aggregates: Vec<(usize, Aggregate)>,
}

/// The operators, each evaluated for one row of bindings at a time.
#[derive(Debug)]
enum Node {
    /// Triple patterns, matched in written order.
    Bgp(Vec<Triple>),
    /// The left side's rows joined with a basic graph pattern.
    Join(Box<Node>, Vec<Triple>),
    /// OPTIONAL of a basic graph pattern.
    Optional(Box<Node>, Vec<Triple>),
    /// MINUS of a basic graph pattern; its variables.
    Minus(Box<Node>, Vec<Triple>, Vec<usize>),
    /// BIND(?src AS ?dst) (and a SELECT's `(?src AS ?dst)`).
    Copy(Box<Node>, usize, usize),
    /// Rows passing every test.
    Filter(Box<Node>, Vec<Test>),
    /// GROUP BY and aggregates, evaluated on their own (a subquery's scope).
    Group(Box<Group>),
}

struct Compiler<'a> {
    data: &'a Dataset,
    /// Each variable's place in the rows (numbered from 0 as they come).
    slots: HashMap<String, usize>,
}

impl Compiler<'_> {
    fn slot(&mut self, name: &str) -> usize {
        if let Some(&s) = self.slots.get(name) {
            return s;
        }
        let s = self.slots.len();
        self.slots.insert(name.to_owned(), s);
        s
    }

    fn term(&self, term: TermRef<'_>) -> Pos {
        self.data.id_of(term).map_or(Pos::Missing, Pos::Term)
    }

    fn pos(&mut self, t: &TermPattern) -> Option<Pos> {
        Some(match t {
            TermPattern::Variable(v) => Pos::Var(self.slot(v.as_str())),
            // A blank node in a pattern is a variable no one can project (`_:` keeps it apart).
            TermPattern::BlankNode(b) => Pos::Var(self.slot(&format!("_:{}", b.as_str()))),
            TermPattern::NamedNode(n) => self.term(n.as_ref().into()),
            TermPattern::Literal(l) => self.term(l.as_ref().into()),
            #[allow(unreachable_patterns)]
            _ => return None,
        })
    }

    /// The patterns of a BGP; `None` if one shares no variable with those before it (or with
    /// `bound`), where nested loops would make a cross product spareval's hash joins avoid.
    fn bgp(&mut self, patterns: &[TriplePattern], bound: &mut Vec<usize>) -> Option<Vec<Triple>> {
        let mut triples = Vec::with_capacity(patterns.len());
        for t in patterns {
            let p = match &t.predicate {
                NamedNodePattern::NamedNode(n) => self.term(n.as_ref().into()),
                NamedNodePattern::Variable(v) => Pos::Var(self.slot(v.as_str())),
            };
            let triple = Triple { s: self.pos(&t.subject)?, p, o: self.pos(&t.object)? };
            let vars: Vec<usize> = triple.vars().collect();
            if !bound.is_empty() && !vars.is_empty() && !vars.iter().any(|v| bound.contains(v)) {
                return None;
            }
            bound.extend(vars);
            triples.push(triple);
        }
        Some(triples)
    }

    fn node(&mut self, pattern: &GraphPattern) -> Option<Node> {
        self.node_in(pattern, &mut Vec::new())
    }

    /// `bound`: the variables bound by what comes before (for the cross-product check).
    fn node_in(&mut self, pattern: &GraphPattern, bound: &mut Vec<usize>) -> Option<Node> {
        Some(match pattern {
            GraphPattern::Bgp { patterns } => Node::Bgp(self.bgp(patterns, bound)?),
            GraphPattern::Join { left, right } => {
                let GraphPattern::Bgp { patterns } = right.as_ref() else { return None };
                let left = self.node_in(left, bound)?;
                Node::Join(Box::new(left), self.bgp(patterns, bound)?)
            }
            GraphPattern::LeftJoin { left, right, expression: None } => {
                let GraphPattern::Bgp { patterns } = right.as_ref() else { return None };
                let left = self.node_in(left, bound)?;
                Node::Optional(Box::new(left), self.bgp(patterns, bound)?)
            }
            GraphPattern::Minus { left, right } => {
                let GraphPattern::Bgp { patterns } = right.as_ref() else { return None };
                let blank = |t: &TermPattern| matches!(t, TermPattern::BlankNode(_));
                if patterns.iter().any(|t| blank(&t.subject) || blank(&t.object)) {
                    return None;
                }
                let left = self.node_in(left, bound)?;
                // The right side is its own scope: evaluated with the shared variables only.
                let triples = self.bgp(patterns, &mut Vec::new())?;
                let mut vars: Vec<usize> = triples.iter().flat_map(Triple::vars).collect();
                vars.sort_unstable();
                vars.dedup();
                Node::Minus(Box::new(left), triples, vars)
            }
            GraphPattern::Extend { inner, variable, expression: Expression::Variable(source) } => {
                let inner = self.node_in(inner, bound)?;
                let (to, from) = (self.slot(variable.as_str()), self.slot(source.as_str()));
                bound.push(to);
                Node::Copy(Box::new(inner), to, from)
            }
            GraphPattern::Filter { expr, inner } => {
                let mut tests = Vec::new();
                self.tests(expr, &mut tests)?;
                Node::Filter(Box::new(self.node_in(inner, bound)?), tests)
            }
            GraphPattern::Group { inner, variables, aggregates } => {
                // Nothing is bound inside a group but what its own patterns bind.
                let inner = self.node_in(inner, &mut Vec::new())?;
                let keys: Vec<usize> = variables.iter().map(|v| self.slot(v.as_str())).collect();
                let mut made = Vec::with_capacity(aggregates.len());
                for (variable, aggregate) in aggregates {
                    made.push((self.slot(variable.as_str()), self.aggregate(aggregate)?));
                }
                bound.extend(&keys);
                bound.extend(made.iter().map(|(s, _)| *s));
                Node::Group(Box::new(Group { inner, keys, aggregates: made }))
            }
            _ => return None,
        })
    }

    fn aggregate(&mut self, aggregate: &AggregateExpression) -> Option<Aggregate> {
        Some(match aggregate {
            AggregateExpression::CountSolutions { distinct: false } => Aggregate::Rows,
            AggregateExpression::FunctionCall { name, expr: Expression::Variable(v), distinct } => {
                let slot = self.slot(v.as_str());
                match name {
                    AggregateFunction::Count => Aggregate::Count { slot, distinct: *distinct },
                    AggregateFunction::GroupConcat { separator } => Aggregate::Concat {
                        slot,
                        distinct: *distinct,
                        separator: separator.clone().unwrap_or_else(|| " ".to_owned()),
                    },
                    _ => return None,
                }
            }
            _ => return None,
        })
    }

    /// `expr` as comparisons that must all hold: `?v > 1`, `2 <= ?v`, joined by `&&`.
    fn tests(&mut self, expr: &Expression, tests: &mut Vec<Test>) -> Option<()> {
        use std::cmp::Ordering::{Equal, Greater, Less};
        let (a, b, passes): (_, _, fn(std::cmp::Ordering) -> bool) = match expr {
            Expression::And(a, b) => {
                self.tests(a, tests)?;
                return self.tests(b, tests);
            }
            Expression::Greater(a, b) => (a, b, |o| o == Greater),
            Expression::GreaterOrEqual(a, b) => (a, b, |o| o != Less),
            Expression::Less(a, b) => (a, b, |o| o == Less),
            Expression::LessOrEqual(a, b) => (a, b, |o| o != Greater),
            _ => return None,
        };
        let integer = |e: &Expression| match e {
            Expression::Literal(l) if l.datatype() == oxigraph::model::vocab::xsd::INTEGER => {
                let n: i64 = l.value().parse().ok()?;
                (n.to_string() == l.value()).then_some(n)
            }
            _ => None,
        };
        // (value, number) as written, or the mirror: `1 < ?v` is `?v > 1`.
        let (v, number, flipped) = match (a.as_ref(), b.as_ref()) {
            (Expression::Variable(v), n) => (v, integer(n)?, false),
            (n, Expression::Variable(v)) => (v, integer(n)?, true),
            _ => return None,
        };
        let mut pass = [false; 3];
        for (i, o) in [Less, Equal, Greater].into_iter().enumerate() {
            pass[i] = passes(if flipped { o.reverse() } else { o });
        }
        tests.push(Test { slot: self.slot(v.as_str()), passes: pass, number });
        Some(())
    }
}
