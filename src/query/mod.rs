//! SPARQL over the dataset: SELECT, ASK, CONSTRUCT and DESCRIBE, directly on
//! [`rdf::Dataset`]'s lookups: the aggregate reports' SELECTs by `query/fast`, everything else by
//! spareval (the engine of oxigraph, see `query/view.rs`); results as an aligned table, the
//! SPARQL 1.1 result formats (CSV, TSV, JSON, XML), or Turtle for graphs.

mod fast;
mod order;
mod view;

use crate::error::Error;
use crate::export::csv::cell;
use crate::rdf;
use crate::vocab::PREFIXES;
use fast::Solutions;
use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults};
use spareval::QueryEvaluator;
use spargebra::SparqlParser;

/// How to print results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// An aligned text table (graphs: Turtle).
    #[default]
    Table,
    /// SPARQL 1.1 Query Results CSV (graphs: N-Triples).
    Csv,
    /// SPARQL 1.1 Query Results TSV (graphs: N-Triples).
    Tsv,
    /// SPARQL 1.1 Query Results JSON (graphs: JSON-LD).
    Json,
    /// SPARQL Query Results XML (graphs: RDF/XML).
    Xml,
}

/// A serialization of answers: SPARQL results formats for SELECT and ASK, RDF syntaxes for
/// CONSTRUCT and DESCRIBE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Results(QueryResultsFormat),
    Graph(RdfFormat),
}

impl Syntax {
    /// The IANA media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Syntax::Results(f) => f.media_type(),
            Syntax::Graph(f) => f.media_type(),
        }
    }
}

/// The answer to a query, fully evaluated.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Solutions { variables: Vec<String>, rows: Vec<Vec<Option<Term>>> },
    Boolean(bool),
    Graph(Vec<Triple>),
}

/// Why a query got no answer, sorted by who can fix it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The text is not a SPARQL query (the message has the parser's position).
    Syntax,
    /// The text is a SPARQL Update, which this store does not take.
    Update,
    /// The query was cancelled (it ran past its time limit).
    Cancelled,
    /// Evaluation failed.
    Evaluation,
}

/// A query that got no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    pub kind: FailureKind,
    pub message: String,
}

/// The graphs a query runs on, when the caller chooses them (the SPARQL protocol's
/// `default-graph-uri` and `named-graph-uri`) instead of the query's FROM clauses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dataset {
    pub default_graphs: Vec<NamedNode>,
    pub named_graphs: Vec<NamedNode>,
}

/// Bounds on one evaluation.
#[derive(Clone, Default)]
pub struct Limits {
    /// Cancelling this token stops the evaluation with [`FailureKind::Cancelled`].
    pub cancel: Option<CancellationToken>,
    /// Keep at most this many rows (or triples); the answer says it was truncated.
    pub max_rows: Option<usize>,
}

/// An answer, and whether [`Limits::max_rows`] cut it short.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluated {
    pub answer: Answer,
    pub truncated: bool,
}

/// Parses and evaluates `query` on `data`. The prefixes of [`PREFIXES`] are predeclared;
/// `origin` (a file name, or "--sparql") names the query in errors.
pub fn evaluate(data: &rdf::Dataset, query: &str, origin: &str) -> Result<Answer, Error> {
    run(data, query, None, &Limits::default())
        .map(|e| e.answer)
        .map_err(|f| Error::Query { origin: origin.to_owned(), message: f.message })
}

/// Parses and evaluates `query` on `data` within `limits`. Without `dataset` and without FROM
/// clauses, the default graph is the union of all graphs (each list is a named graph).
pub fn run(data: &rdf::Dataset, query: &str, dataset: Option<&Dataset>, limits: &Limits) -> Result<Evaluated, Failure> {
    run_in(data, query, dataset, limits, Engine::Direct)
}

/// The seed, the quirks fixture and three real lists of ../shared/corpus (where it is), built
/// together (shared URLs, organizations, many equal sort keys): what the engine tests compare on.
#[cfg(test)]
fn real_lists() -> crate::pipeline::Built {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut inputs = vec![root.join("data/ml-in-production.md"), root.join("tests/fixtures/quirks.md")];
    for name in
        ["EthicalML__awesome-production-machine-learning.md", "eugeneyan__applied-ml.md", "keon__awesome-nlp.md"]
    {
        let path = root.join("../shared/corpus").join(name);
        if path.exists() {
            inputs.push(path);
        }
    }
    let gazetteer = crate::extract::Gazetteer::bundled();
    crate::pipeline::build(&inputs, &gazetteer, &crate::rdf::BaseIri::default()).unwrap()
}

/// Who evaluates what in [`run_in`] (the tests compare them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Engine {
    /// What [`run`] does: the SELECTs `query/fast` evaluates are evaluated there, the others by
    /// spareval; ORDER BY on variables sorted here.
    Direct,
    /// spareval evaluates, ORDER BY on variables sorted here.
    #[cfg_attr(not(test), allow(dead_code))]
    SortHere,
    /// spareval does everything.
    Spareval,
}

/// [`run`], with the work shared as `engine` says.
fn run_in(
    data: &rdf::Dataset,
    query: &str,
    dataset: Option<&Dataset>,
    limits: &Limits,
    engine: Engine,
) -> Result<Evaluated, Failure> {
    let fail = |kind| move |e: &dyn std::fmt::Display| Failure { kind, message: e.to_string() };
    let mut parser = SparqlParser::new();
    for (prefix, iri) in PREFIXES {
        parser = parser.with_prefix(*prefix, *iri).map_err(|e| fail(FailureKind::Evaluation)(&e))?;
    }
    let mut evaluator = QueryEvaluator::new();
    if let Some(token) = &limits.cancel {
        evaluator = evaluator.with_cancellation_token(token.clone());
    }
    let parsed = match parser.clone().parse_query(query) {
        Ok(parsed) => parsed,
        Err(e) if parser.parse_update(query).is_ok() => {
            return Err(Failure {
                kind: FailureKind::Update,
                message: format!("SPARQL Update is not accepted here: the graph is read-only ({e})"),
            })
        }
        Err(e) => return Err(fail(FailureKind::Syntax)(&e)),
    };
    // A panic inside the engine (spareval's sort panics on an ORDER BY it cannot order, see
    // query/order.rs) fails this query, not the program or the server's worker.
    let answer = || -> Result<Evaluated, Failure> {
        let cancelled = || Failure { kind: FailureKind::Cancelled, message: "the query was cancelled".to_owned() };
        let evaluation = |e: QueryEvaluationError| match e {
            QueryEvaluationError::Cancelled => cancelled(),
            other => fail(FailureKind::Evaluation)(&other),
        };
        let execute = |query: &spargebra::Query| {
            let mut prepared = evaluator.prepare(query);
            match dataset {
                Some(d) => {
                    prepared
                        .dataset_mut()
                        .set_default_graph(d.default_graphs.iter().cloned().map(Into::into).collect());
                    let named: Vec<NamedOrBlankNode> = d.named_graphs.iter().cloned().map(Into::into).collect();
                    prepared.dataset_mut().set_available_named_graphs(named);
                }
                // Each list is a named graph; without FROM or GRAPH, a query sees all of them at once.
                None if prepared.dataset().is_default_dataset() => prepared.dataset_mut().set_default_graph_as_union(),
                None => {}
            }
            prepared.execute(view::View::new(data)).map_err(evaluation)
        };
        // The query evaluated directly, where `query/fast` can (only on the default dataset: the
        // union of all graphs).
        let direct = |query: &spargebra::Query, limit: usize| match (engine, dataset) {
            (Engine::Direct, None) => fast::evaluate(data, query, limits.cancel.as_ref(), limit),
            _ => None,
        };
        let max = limits.max_rows.unwrap_or(usize::MAX);
        // SELECT … ORDER BY on variables: the rows sorted here (see query/order.rs), unless a value
        // is one only spareval's comparison knows; then spareval runs the query whole.
        if let Some(split) = order::split(&parsed).filter(|_| engine != Engine::Spareval) {
            // Every row: the first `max` come after the sort.
            let solutions = match direct(&split.query, usize::MAX) {
                Some(Ok(s)) => Some((s.variables, s.rows)),
                Some(Err(_)) => return Err(cancelled()),
                None => match execute(&split.query)? {
                    QueryResults::Solutions(solutions) => {
                        let variables = solutions.variables().iter().map(|v| v.as_str().to_owned()).collect();
                        let mut rows = Vec::new();
                        for solution in solutions {
                            rows.push(solution.map_err(evaluation)?.values().to_vec());
                        }
                        Some((variables, rows))
                    }
                    _ => None,
                },
            };
            if let Some((mut variables, mut rows)) = solutions {
                variables.truncate(split.projected());
                if split.sort(&mut rows).is_some() {
                    let truncated = rows.len() > max;
                    rows.truncate(max);
                    return Ok(Evaluated { answer: Answer::Solutions { variables, rows }, truncated });
                }
            }
        }
        // One row past `max` tells that the answer was cut short.
        if let Some(found) = direct(&parsed, max.saturating_add(1)) {
            let Solutions { variables, mut rows } = found.map_err(|_| cancelled())?;
            let truncated = rows.len() > max;
            rows.truncate(max);
            return Ok(Evaluated { answer: Answer::Solutions { variables, rows }, truncated });
        }
        let mut truncated = false;
        let answer = match execute(&parsed)? {
            QueryResults::Solutions(solutions) => {
                let variables: Vec<String> = solutions.variables().iter().map(|v| v.as_str().to_owned()).collect();
                let mut rows = Vec::new();
                for solution in solutions {
                    if rows.len() == max {
                        truncated = true;
                        break;
                    }
                    rows.push(solution.map_err(evaluation)?.values().to_vec());
                }
                Answer::Solutions { variables, rows }
            }
            QueryResults::Boolean(b) => Answer::Boolean(b),
            QueryResults::Graph(triples) => {
                let mut out = Vec::new();
                for t in triples {
                    if out.len() == max {
                        truncated = true;
                        break;
                    }
                    out.push(t.map_err(evaluation)?);
                }
                crate::rdf::sort_triples(&mut out);
                Answer::Graph(out)
            }
        };
        Ok(Evaluated { answer, truncated })
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(answer)).unwrap_or_else(|panic| {
        let why = panic.downcast_ref::<&str>().copied().or_else(|| panic.downcast_ref::<String>().map(String::as_str));
        Err(Failure {
            kind: FailureKind::Evaluation,
            message: format!("the query engine failed on this query: {}", why.unwrap_or("it panicked")),
        })
    })
}

/// The lexical form a spreadsheet or table shows: IRIs and literal values as they are.
fn plain(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => n.as_str().to_owned(),
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
        Term::Literal(l) => l.value().to_owned(),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

impl Answer {
    /// Writes the answer in `format`.
    pub fn write(&self, format: OutputFormat) -> Result<Vec<u8>, Error> {
        let results_format = match format {
            OutputFormat::Table => None,
            OutputFormat::Csv => Some(QueryResultsFormat::Csv),
            OutputFormat::Tsv => Some(QueryResultsFormat::Tsv),
            OutputFormat::Json => Some(QueryResultsFormat::Json),
            OutputFormat::Xml => Some(QueryResultsFormat::Xml),
        };
        match (self, results_format) {
            (Answer::Solutions { variables, rows }, None) => Ok(table(variables, rows).into_bytes()),
            (Answer::Boolean(b), None) => Ok(format!("{b}\n").into_bytes()),
            (Answer::Graph(_), _) => self.write_as(Syntax::Graph(match format {
                OutputFormat::Table => RdfFormat::Turtle,
                OutputFormat::Csv | OutputFormat::Tsv => RdfFormat::NTriples,
                OutputFormat::Json => RdfFormat::JsonLd { profile: oxigraph::io::JsonLdProfileSet::empty() },
                OutputFormat::Xml => RdfFormat::RdfXml,
            })),
            (_, Some(f)) => self.write_as(Syntax::Results(f)),
        }
    }

    /// Serializes the answer in `syntax`, which must fit it: a results format for solutions and
    /// booleans, an RDF syntax for graphs.
    pub fn write_as(&self, syntax: Syntax) -> Result<Vec<u8>, Error> {
        let err = |e: std::io::Error| Error::Export { what: "query results".to_owned(), message: e.to_string() };
        match (self, syntax) {
            (Answer::Solutions { variables, rows }, Syntax::Results(f)) => {
                let vars =
                    variables.iter().map(|v| oxigraph::model::Variable::new_unchecked(v.clone())).collect::<Vec<_>>();
                let mut w = QueryResultsSerializer::from_format(f)
                    .serialize_solutions_to_writer(Vec::new(), vars.clone())
                    .map_err(err)?;
                for row in rows {
                    w.serialize(vars.iter().zip(row).filter_map(|(v, t)| t.as_ref().map(|t| (v, t)))).map_err(err)?;
                }
                w.finish().map_err(err)
            }
            (Answer::Boolean(b), Syntax::Results(f)) => {
                QueryResultsSerializer::from_format(f).serialize_boolean_to_writer(Vec::new(), *b).map_err(err)
            }
            (Answer::Graph(triples), Syntax::Graph(f)) => crate::export::rdf::serialize(triples, f),
            (_, syntax) => Err(Error::Export {
                what: "query results".to_owned(),
                message: format!("{} cannot hold this kind of answer", syntax.media_type()),
            }),
        }
    }

    /// True for CONSTRUCT and DESCRIBE answers.
    pub fn is_graph(&self) -> bool {
        matches!(self, Answer::Graph(_))
    }

    /// The answer as a CSV file for spreadsheets: a header of variable names, then each value's
    /// lexical form, with formula-like cells neutralised (see [`cell`]). Booleans give one
    /// `result` column; graphs `subject,predicate,object`.
    pub fn to_spreadsheet_csv(&self) -> Result<Vec<u8>, Error> {
        let (header, rows): (Vec<String>, Vec<Vec<String>>) = match self {
            Answer::Solutions { variables, rows } => (
                variables.clone(),
                rows.iter().map(|r| r.iter().map(|t| t.as_ref().map(plain).unwrap_or_default()).collect()).collect(),
            ),
            Answer::Boolean(b) => (vec!["result".to_owned()], vec![vec![b.to_string()]]),
            Answer::Graph(triples) => (
                vec!["subject".to_owned(), "predicate".to_owned(), "object".to_owned()],
                triples
                    .iter()
                    .map(|t| vec![t.subject.to_string(), t.predicate.as_str().to_owned(), plain(&t.object)])
                    .collect(),
            ),
        };
        let mut all = vec![header];
        all.extend(rows.into_iter().map(|r| r.iter().map(|c| cell(c).into_owned()).collect()));
        let err = |e: csv::Error| Error::Export { what: "CSV".to_owned(), message: e.to_string() };
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
        for r in &all {
            w.write_record(r).map_err(err)?;
        }
        w.into_inner().map_err(|e| Error::Export { what: "CSV".to_owned(), message: e.to_string() })
    }
}

/// An aligned text table with a header rule; columns sized by characters.
fn table(variables: &[String], rows: &[Vec<Option<Term>>]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|t| t.as_ref().map(plain).unwrap_or_default().replace(['\n', '\r', '\t'], " ")).collect())
        .collect();
    let mut widths: Vec<usize> = variables.iter().map(|v| v.chars().count()).collect();
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |values: &mut dyn Iterator<Item = &str>| -> String {
        let mut s = String::new();
        for (i, (v, w)) in values.zip(&widths).enumerate() {
            if i > 0 {
                s.push_str(" | ");
            }
            s.push_str(v);
            s.extend(std::iter::repeat_n(' ', w - v.chars().count()));
        }
        s.truncate(s.trim_end().len());
        s.push('\n');
        s
    };
    let mut out = line(&mut variables.iter().map(String::as_str));
    out.push_str(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("-+-"));
    out.push('\n');
    for row in &cells {
        out.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    out.push_str(&format!("({} row{})\n", rows.len(), if rows.len() == 1 { "" } else { "s" }));
    out
}
