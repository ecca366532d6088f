//! GROUP BY: the rows sorted by their keys, each run of equal keys a group, and each aggregate
//! made from its run (no set or string per group while the rows come).

use super::run::Exec;
use super::{Aggregate, Group, Stop, UNBOUND};
use crate::hash::HashSet;
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Literal, Term, TermRef};

/// Values a query made: counts and concatenations.
#[derive(Default)]
pub(super) struct Made {
    values: Vec<Value>,
    /// Each count's number, so equal counts are one term (as the dataset's terms are).
    integers: crate::hash::HashMap<i64, usize>,
}

enum Value {
    Integer(i64),
    Text { value: String, language: Option<String> },
}

impl Made {
    fn integer_at(&mut self, n: i64) -> usize {
        *self.integers.entry(n).or_insert_with(|| {
            self.values.push(Value::Integer(n));
            self.values.len() - 1
        })
    }

    fn text_at(&mut self, value: String, language: Option<String>) -> usize {
        self.values.push(Value::Text { value, language });
        self.values.len() - 1
    }

    /// The `i`th value made, as a term.
    pub(super) fn term(&self, i: usize) -> Term {
        match &self.values[i] {
            Value::Integer(n) => Literal::new_typed_literal(n.to_string(), xsd::INTEGER).into(),
            Value::Text { value, language: None } => Literal::new_simple_literal(value).into(),
            Value::Text { value, language: Some(l) } => {
                Literal::new_language_tagged_literal_unchecked(value.clone(), l.clone()).into()
            }
        }
    }

    /// The `i`th value made, if it is a count.
    pub(super) fn integer(&self, i: usize) -> Option<i64> {
        match self.values[i] {
            Value::Integer(n) => Some(n),
            Value::Text { .. } => None,
        }
    }
}

/// The rows a group reads, kept until all have come, then sorted by key: groups are runs of
/// equal keys. (A hash table of groups costs a cache miss or three per row once it outgrows
/// the caches, and a million groups do; sorting reads and writes in order.)
pub(super) struct Grouping<'g> {
    group: &'g Group,
    /// Per row, the key values, then each aggregate's input value.
    rows: Vec<u32>,
    width: usize,
}

impl<'g> Grouping<'g> {
    pub(super) fn new(group: &'g Group) -> Self {
        Grouping { group, rows: Vec::new(), width: group.keys.len() + group.aggregates.len() }
    }

    /// The rows kept so far.
    pub(super) fn rows(&self) -> usize {
        self.rows.len() / self.width.max(1)
    }

    pub(super) fn add(&mut self, row: &[u32]) {
        self.rows.extend(self.group.keys.iter().map(|&k| row[k]));
        self.rows.extend(self.group.aggregates.iter().map(|(_, a)| match a {
            Aggregate::Rows => 0,
            Aggregate::Count { slot, .. } | Aggregate::Concat { slot, .. } => row[*slot],
        }));
    }

    /// The rows in group order, each group's in the order they came: row numbers.
    fn order(&self) -> Vec<u32> {
        let (k, n) = (self.group.keys.len(), self.rows.len() / self.width.max(1));
        let row = |i: usize| &self.rows[i * self.width..i * self.width + k];
        let number = |i: usize| u32::try_from(i).expect("fewer than 4 billion rows in a group");
        if k <= 3 {
            // Keys and row number in one integer, sorted as integers.
            let mut packed: Vec<u128> = (0..n)
                .map(|i| row(i).iter().fold(0u128, |acc, &v| acc << 32 | u128::from(v)) << 32 | u128::from(number(i)))
                .collect();
            packed.sort_unstable();
            packed.into_iter().map(|p| p as u32).collect()
        } else {
            let mut order: Vec<u32> = (0..n).map(number).collect();
            order.sort_by(|&a, &b| row(a as usize).cmp(row(b as usize)));
            order
        }
    }

    /// The number of groups, and each group's keys and aggregate values, one group after another.
    pub(super) fn finish(self, exec: &Exec<'_>) -> Result<(usize, Vec<u32>), Stop> {
        let k = self.group.keys.len();
        let order = self.order();
        let row = |i: u32| &self.rows[i as usize * self.width..(i as usize + 1) * self.width];
        let mut runs: Vec<&[u32]> = order.chunk_by(|&a, &b| row(a)[..k] == row(b)[..k]).collect();
        // Without GROUP BY there is one group, even with no rows.
        if k == 0 && runs.is_empty() {
            runs.push(&[]);
        }
        let base = exec.data.term_count();
        let mut made = exec.made.borrow_mut();
        let id = |at: usize| u32::try_from(base + at).map_err(|_| Stop::Declined);
        let mut out = Vec::with_capacity(runs.len() * self.width);
        let (mut values, mut seen) = (Vec::new(), HashSet::default());
        for run in &runs {
            out.extend_from_slice(run.first().map_or(&[][..], |&i| &row(i)[..k]));
            for (a, (_, aggregate)) in self.group.aggregates.iter().enumerate() {
                values.clear();
                values.extend(run.iter().map(|&i| row(i)[k + a]));
                out.push(match aggregate {
                    Aggregate::Rows => id(made.integer_at(count(values.len())?))?,
                    Aggregate::Count { distinct, .. } => {
                        values.retain(|&v| v != UNBOUND);
                        if *distinct {
                            values.sort_unstable();
                            values.dedup();
                        }
                        id(made.integer_at(count(values.len())?))?
                    }
                    Aggregate::Concat { distinct, separator, .. } => {
                        if *distinct {
                            seen.clear();
                            values.retain(|&v| seen.insert(v));
                        }
                        match concat(exec, &values, separator) {
                            Some((value, language)) => id(made.text_at(value, language))?,
                            None => UNBOUND,
                        }
                    }
                });
            }
        }
        Ok((runs.len(), out))
    }
}

/// A count as a SPARQL integer (spareval's are i64 too).
fn count(n: usize) -> Result<i64, Stop> {
    i64::try_from(n).map_err(|_| Stop::Declined)
}

/// GROUP_CONCAT of one group's values as spareval makes it: strings joined by `separator`,
/// tagged with their language if all share one; no value (`None`) if one is unbound or not a
/// string.
fn concat(exec: &Exec<'_>, parts: &[u32], separator: &str) -> Option<(String, Option<String>)> {
    let mut value = String::new();
    let mut language: Option<Option<&str>> = None;
    for (i, &id) in parts.iter().enumerate() {
        let Some(TermRef::Literal(l)) = exec.data.term(id) else { return None };
        if l.datatype() != xsd::STRING && l.datatype() != rdf::LANG_STRING {
            return None;
        }
        if i > 0 {
            value.push_str(separator);
        }
        value.push_str(l.value());
        match language {
            None => language = Some(l.language()),
            Some(tag) if tag != l.language() => language = Some(None),
            Some(_) => {}
        }
    }
    Some((value, language.flatten().map(str::to_owned)))
}
