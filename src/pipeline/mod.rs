//! The stages strung together: files → lists → graph → triples → every export.

use crate::check::{Finding, Level, Stats};
use crate::error::Error;
use crate::extract::{self, Gazetteer};
use crate::graph::KnowledgeGraph;
use crate::model::List;
use crate::parse::{self, Document, LineIndex};
use crate::progress::Progress;
use crate::rdf::{self, BaseIri, Dataset};
use oxigraph::model::TripleRef;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

mod jobs;
mod outputs;
pub use jobs::{build_and_stage, exports, stage_exports, Staged, Wanted};
pub use outputs::{Output, Outputs};

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

/// Extracts the list of a parsed file.
pub fn extract_list(path: &Path, doc: &Document<'_>, gazetteer: &Gazetteer) -> List {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    extract::extract(doc, &stem, &display_path(path), gazetteer)
}

/// Reads one Markdown file and extracts its list.
pub fn read_list(path: &Path, gazetteer: &Gazetteer) -> Result<List, Error> {
    let text = read_text(path)?;
    Ok(extract_list(path, &parse::parse(&text), gazetteer))
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

/// A list that was read: the lists themselves move into the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSummary {
    pub title: String,
    pub source: String,
    pub entries: usize,
    pub links: usize,
}

impl ListSummary {
    fn of(list: &List) -> Self {
        ListSummary {
            title: list.title.clone(),
            source: list.source.clone(),
            entries: list.entries.len(),
            links: list.link_count(),
        }
    }
}

/// Everything built from the inputs.
pub struct Built {
    pub lists: Vec<ListSummary>,
    pub graph: KnowledgeGraph,
    /// Each list's triples in its named graph, shared ones in the default graph; and all of
    /// them merged (see [`Dataset::triples`]).
    /// SPARQL runs on it too (see [`crate::query`]).
    pub dataset: Dataset,
}

impl Built {
    /// The triples of every graph, merged: sorted, without duplicates.
    pub fn triples(&self) -> impl ExactSizeIterator<Item = TripleRef<'_>> + Clone {
        self.dataset.triples()
    }

    pub fn triple_count(&self) -> usize {
        self.dataset.triple_count()
    }
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

/// Reads `inputs` (files or folders) and builds the graph and its quads.
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
    let (lists, graph) = read_graph(inputs, gazetteer, progress)?;
    progress.stage("making triples");
    let dataset = rdf::quads(&graph, base)?;
    Ok(Built { lists, graph, dataset })
}

/// Reads `inputs` and builds their graph; the lists move into it, their counts stay.
fn read_graph(
    inputs: &[PathBuf],
    gazetteer: &Gazetteer,
    progress: &mut Progress,
) -> Result<(Vec<ListSummary>, KnowledgeGraph), Error> {
    let files = expand_inputs(inputs)?;
    progress.stage("reading lists");
    let lists = read_lists(&files, gazetteer, progress)?;
    progress.stage("building the graph");
    let summaries = lists.iter().map(ListSummary::of).collect();
    Ok((summaries, KnowledgeGraph::from_lists(lists, gazetteer.organizations())))
}

/// Reads and extracts `files` on every core, each worker taking the next file; the lists (and
/// the first error, by file order) come back in the order of `files`.
fn read_lists(files: &[PathBuf], gazetteer: &Gazetteer, progress: &mut Progress) -> Result<Vec<List>, Error> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let results: Vec<Mutex<Option<Result<List, Error>>>> = files.iter().map(|_| Mutex::new(None)).collect();
    let (next, done) = (AtomicUsize::new(0), AtomicUsize::new(0));
    // Reads the next file not yet taken; false when there is none.
    let read_next = || {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(path) = files.get(i) else { return false };
        *results[i].lock().unwrap_or_else(PoisonError::into_inner) = Some(read_list(path, gazetteer));
        done.fetch_add(1, Ordering::Relaxed);
        true
    };
    let workers = crate::threads::cores().clamp(1, files.len().max(1));
    std::thread::scope(|scope| {
        for _ in 1..workers {
            scope.spawn(|| while read_next() {});
        }
        // This thread works too, and reports progress between its files.
        while read_next() {
            progress.step(done.load(Ordering::Relaxed), files.len());
        }
    });
    results
        .into_iter()
        .map(|r| r.into_inner().unwrap_or_else(PoisonError::into_inner).expect("every file was read"))
        .collect()
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
                text: include_str!(concat!("../../queries/", $name, ".rq")).to_owned(),
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
