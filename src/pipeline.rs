//! The stages strung together: files → lists → graph → triples → every export.

use crate::check::{Finding, Level, Stats};
use crate::error::Error;
use crate::export::{self, dot::Dot, OutputFile, Staging};
use crate::extract::{self, Gazetteer};
use crate::graph::KnowledgeGraph;
use crate::model::List;
use crate::parse::{self, Document, LineIndex};
use crate::progress::Progress;
use crate::query;
use crate::rdf::{self, BaseIri};
use oxigraph::model::{Quad, Triple};
use oxigraph::store::Store;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// The bundled list, read when `build` or `query` is given no file.
pub const DEFAULT_INPUT: &str = "data/ml-in-production.md";
/// Where `build` writes by default.
pub const DEFAULT_OUT: &str = "exports";
/// Where `build` finds the SPARQL files it runs by default.
pub const DEFAULT_QUERIES: &str = "queries";

/// A path as written in outputs: as the user gave it, with `/` separators.
fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Reads one file as UTF-8 text.
pub fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = LineIndex::from_bytes(e.as_bytes()).line_of(offset);
        Error::NotUtf8 { path: path.to_owned(), line, offset }
    })
}

/// Reads and parses one Markdown file.
pub fn read_document(path: &Path) -> Result<Document, Error> {
    Ok(parse::parse(&read_text(path)?))
}

/// Extracts the list of a parsed file.
pub fn extract_list(path: &Path, doc: &Document, gazetteer: &Gazetteer) -> List {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    extract::extract(doc, &stem, &display_path(path), gazetteer)
}

/// Reads one Markdown file and extracts its list.
pub fn read_list(path: &Path, gazetteer: &Gazetteer) -> Result<List, Error> {
    Ok(extract_list(path, &read_document(path)?, gazetteer))
}

/// Lints `inputs` (files or folders): findings, and per file the share of linked items that
/// became entries. A file that cannot be read is an error finding, not a failure.
pub fn check(inputs: &[PathBuf], gazetteer: &Gazetteer) -> Result<(Vec<Finding>, Vec<Stats>), Error> {
    let mut findings = Vec::new();
    let mut stats = Vec::new();
    for path in expand_inputs(inputs)? {
        let file = display_path(&path);
        match read_text(&path) {
            Ok(text) => {
                let doc = parse::parse(&text);
                let list = extract_list(&path, &doc, gazetteer);
                let (f, s) = crate::check::check(&file, &text, &doc, &list);
                findings.extend(f);
                stats.push(s);
            }
            Err(e) => {
                let line = if let Error::NotUtf8 { line, .. } = e { line } else { 0 };
                let message = match &e {
                    Error::Io { error, .. } => error.to_string(),
                    Error::NotUtf8 { offset, .. } => format!("not UTF-8 text (invalid byte at offset {offset})"),
                    other => other.to_string(),
                };
                findings.push(Finding { file, line, level: Level::Error, code: "unreadable", message });
            }
        }
    }
    Ok((findings, stats))
}

/// Everything built from the inputs.
pub struct Built {
    pub lists: Vec<List>,
    pub graph: KnowledgeGraph,
    /// Each list's triples in its named graph, shared ones in the default graph.
    pub quads: Vec<Quad>,
    /// The same triples without graphs.
    pub triples: Vec<Triple>,
    pub store: Store,
}

/// The Markdown files named by `inputs`: files as given, folders searched (recursively, sorted)
/// for `*.md` and `*.markdown` files.
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found = Vec::new();
            collect_markdown(input, &mut found)?;
            if found.is_empty() {
                return Err(Error::Input {
                    path: input.clone(),
                    message: "no Markdown file (*.md) in this folder".to_owned(),
                });
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

fn collect_markdown(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    for entry in fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.is_dir() {
            collect_markdown(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "md" || x == "markdown") {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads `inputs` (files or folders) and builds the graph, its quads and the store.
pub fn build(inputs: &[PathBuf], gazetteer: &Gazetteer, base: &BaseIri) -> Result<Built, Error> {
    build_with(inputs, gazetteer, base, &mut Progress::silent())
}

/// [`build`], reporting its stages to `progress`.
pub fn build_with(
    inputs: &[PathBuf],
    gazetteer: &Gazetteer,
    base: &BaseIri,
    progress: &mut Progress,
) -> Result<Built, Error> {
    let files = expand_inputs(inputs)?;
    progress.stage("reading lists");
    let mut lists = Vec::with_capacity(files.len());
    for (i, path) in files.iter().enumerate() {
        lists.push(read_list(path, gazetteer)?);
        progress.step(i + 1, files.len());
    }
    progress.stage("building the graph");
    let graph = KnowledgeGraph::build(&lists, gazetteer.organizations());
    progress.stage("making triples");
    let quads = rdf::quads(&graph, base)?;
    let triples = rdf::triples_of(&quads);
    progress.stage("loading the store");
    let store = rdf::load_store(&quads)?;
    Ok(Built { lists, graph, quads, triples, store })
}

/// A named SPARQL query read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedQuery {
    /// File stem ("entries-per-section").
    pub name: String,
    pub origin: String,
    pub text: String,
}

/// The queries of the project's `queries/` folder, built into the program, sorted by name: the
/// examples `serve` offers when there is no folder to read.
pub fn bundled_queries() -> Vec<NamedQuery> {
    macro_rules! bundled {
        ($($name:literal),* $(,)?) => {
            vec![$(NamedQuery {
                name: $name.to_owned(),
                origin: concat!("queries/", $name, ".rq").to_owned(),
                text: include_str!(concat!("../queries/", $name, ".rq")).to_owned(),
            }),*]
        };
    }
    bundled![
        "entries-by-organization",
        "entries-per-section",
        "entries-with-several-media",
        "has-organization-mentions",
        "links-per-media-type",
        "most-linked-sites",
        "organization-media-matrix",
        "organizations-by-lists",
        "organizations-with-wikidata",
        "papers-and-publishers",
        "sections-without-organization",
        "urls-in-several-lists",
    ]
}

/// The `.rq` files of `dir`, sorted by name.
pub fn read_queries(dir: &Path) -> Result<Vec<NamedQuery>, Error> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rq"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = fs::read_to_string(&p).map_err(|e| Error::io(&p, e))?;
            let name = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            Ok(NamedQuery { name, origin: display_path(&p), text })
        })
        .collect()
}

/// Every export file of `built`, in memory: RDF, vocabulary, DOT, CSV and one CSV per query.
/// `exports/graph.svg` is not among them: see [`export::dot::render_svg`].
pub fn exports(built: &Built, queries: &[NamedQuery]) -> Result<Vec<OutputFile>, Error> {
    let files = Mutex::new(Vec::new());
    produce_exports(built, queries, &|file| {
        files.lock().unwrap_or_else(PoisonError::into_inner).push(file);
        Ok(())
    })?;
    let mut files = files.into_inner().unwrap_or_else(PoisonError::into_inner);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Writes every export of `built` (see [`exports`]) into `staging` as soon as it is made, so
/// that no more than one or two of them are in memory at once.
pub fn stage_exports(built: &Built, queries: &[NamedQuery], staging: &Staging) -> Result<(), Error> {
    produce_exports(built, queries, &|file| staging.put(&file.path, &file.bytes))
}

/// Makes every export and hands each to `sink`: the RDF syntaxes on one core, the rest (DOT,
/// CSV, queries) on the other.
fn produce_exports(
    built: &Built,
    queries: &[NamedQuery],
    sink: &(dyn Fn(OutputFile) -> Result<(), Error> + Sync),
) -> Result<(), Error> {
    std::thread::scope(|scope| {
        let rdf = scope.spawn(|| rdf_exports(built, sink));
        let others = graph_exports(built, sink).and_then(|()| {
            for q in queries {
                let answer = query::evaluate(&built.store, &q.text, &q.origin)?;
                let path = Path::new("queries").join(format!("{}.csv", q.name));
                sink(OutputFile::new(path, answer.to_spreadsheet_csv()?))?;
            }
            Ok(())
        });
        let rdf = rdf.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        others.and(rdf)
    })
}

fn rdf_exports(built: &Built, sink: &dyn Fn(OutputFile) -> Result<(), Error>) -> Result<(), Error> {
    for (name, format) in export::rdf::FORMATS {
        sink(OutputFile::new(*name, export::rdf::serialize(&built.triples, *format)?))?;
    }
    for (name, format) in export::rdf::QUAD_FORMATS {
        sink(OutputFile::new(*name, export::rdf::serialize_quads(&built.quads, *format)?))?;
    }
    let vocab = export::rdf::serialize(&rdf::vocabulary_triples(), oxigraph::io::RdfFormat::Turtle)?;
    sink(OutputFile::new("vocab.ttl", vocab))
}

fn graph_exports(built: &Built, sink: &dyn Fn(OutputFile) -> Result<(), Error>) -> Result<(), Error> {
    sink(OutputFile::new("graph.dot", Dot(&built.graph).to_string()))?;
    sink(OutputFile::new("entries.csv", export::csv::entries(&built.graph)?))?;
    sink(OutputFile::new("links.csv", export::csv::links(&built.graph)?))?;
    sink(OutputFile::new("nodes.csv", export::csv::nodes(&built.graph)?))?;
    sink(OutputFile::new("edges.csv", export::csv::edges(&built.graph)?))
}
