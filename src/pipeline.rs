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
use crate::rdf::{self, BaseIri, Dataset};
use oxigraph::model::{Triple, TripleRef};
use std::fs;
use std::io::Write;
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
    let lists = read_lists(&files, gazetteer, progress)?;
    progress.stage("building the graph");
    let summaries = lists.iter().map(ListSummary::of).collect();
    let graph = KnowledgeGraph::from_lists(lists, gazetteer.organizations());
    progress.stage("making triples");
    let dataset = rdf::quads(&graph, base)?;
    Ok(Built { lists: summaries, graph, dataset })
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
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, files.len().max(1));
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

/// Every export file of `built`, in memory, sorted by path: RDF, vocabulary, DOT, CSV and one
/// CSV per query. `exports/graph.svg` is not among them: see [`export::dot::render_svg`].
pub fn exports(built: &Built, queries: &[NamedQuery]) -> Result<Vec<OutputFile>, Error> {
    let files = Mutex::new(Vec::new());
    produce_exports(built, queries, &|path, write| {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        files.lock().unwrap_or_else(PoisonError::into_inner).push(OutputFile::new(path, bytes));
        Ok(())
    })?;
    let mut files = files.into_inner().unwrap_or_else(PoisonError::into_inner);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Writes every export of `built` (see [`exports`]) into `staging`, each streamed to its
/// temporary file as it is made.
pub fn stage_exports(built: &Built, queries: &[NamedQuery], staging: &Staging) -> Result<(), Error> {
    produce_exports(built, queries, &|path, write| staging.put_with(path, write))
}

/// Where an export goes: its path, and a function that writes its bytes.
type Sink<'s> = dyn Fn(&Path, &mut dyn FnMut(&mut dyn Write) -> Result<(), Error>) -> Result<(), Error> + Sync + 's;
/// An export job, named by what it makes.
type Job<'a> = (&'a str, Box<dyn FnOnce() -> Result<(), Error> + Send + 'a>);
/// A CSV export of the graph, written row by row.
type MakeTable = fn(&KnowledgeGraph, &mut dyn Write) -> Result<(), Error>;

/// Makes every export and hands each to `sink`. The exports are independent jobs, taken by one
/// worker per core, longest first (as measured at 100k entries), so the cores finish together.
fn produce_exports(built: &Built, queries: &[NamedQuery], sink: &Sink<'_>) -> Result<(), Error> {
    use export::rdf::{write_lines, write_quads, write_triples, FORMATS, QUAD_FORMATS};
    use oxigraph::io::RdfFormat;
    // One job per RDF file of FORMATS and QUAD_FORMATS; N-Triples and N-Quads are written in
    // line order straight from the dataset.
    let rdf = |&(name, format): &'static (&'static str, RdfFormat), with_graphs: bool| -> Job<'_> {
        let dataset = &built.dataset;
        let job = Box::new(move || {
            sink(Path::new(name), &mut |w| match format {
                RdfFormat::NQuads => write_lines(w, dataset.quad_lines()),
                RdfFormat::NTriples => write_lines(w, dataset.triple_lines()),
                _ if with_graphs => write_quads(w, dataset.quads(), format),
                _ => write_triples(w, dataset.triples(), format),
            })
        });
        (name, job)
    };
    let bytes = |name: &'static str, make: MakeTable| -> Job<'_> {
        let job = Box::new(move || sink(Path::new(name), &mut |w| make(&built.graph, w)));
        (name, job)
    };
    let mut jobs: Vec<Job<'_>> = vec![
        // The lookups SPARQL needs, for the queries near the end of the list: made on one core
        // while the other writes RDF (a query job that comes first waits for them).
        (
            "SPARQL lookups",
            Box::new(|| {
                built.dataset.prepare_lookups();
                Ok(())
            }),
        ),
    ];
    // The RDF files are the longest jobs (the quad files first), so they go first.
    jobs.extend(QUAD_FORMATS.iter().map(|f| rdf(f, true)).chain(FORMATS.iter().map(|f| rdf(f, false))));
    jobs.push((
        "graph.dot",
        Box::new(|| {
            sink(Path::new("graph.dot"), &mut |w| {
                write!(w, "{}", Dot(&built.graph)).map_err(|e| Error::io("graph.dot", e))
            })
        }),
    ));
    let tables: [(&'static str, MakeTable); 4] = [
        ("edges.csv", export::csv::write_edges),
        ("entries.csv", export::csv::write_entries),
        ("links.csv", export::csv::write_links),
        ("nodes.csv", export::csv::write_nodes),
    ];
    jobs.extend(tables.into_iter().map(|(name, make)| bytes(name, make)));
    for q in queries {
        jobs.push((
            &q.origin,
            Box::new(move || {
                let csv = query::evaluate(&built.dataset, &q.text, &q.origin)?.to_spreadsheet_csv()?;
                let path = Path::new("queries").join(format!("{}.csv", q.name));
                sink(&path, &mut |w| w.write_all(&csv).map_err(|e| Error::io(&path, e)))
            }),
        ));
    }
    jobs.push((
        "vocab.ttl",
        Box::new(|| {
            let vocab = rdf::vocabulary_triples();
            sink(Path::new("vocab.ttl"), &mut |w| write_triples(w, vocab.iter().map(Triple::as_ref), RdfFormat::Turtle))
        }),
    ));
    run_jobs(jobs)
}

/// Runs `jobs` on one worker per core, in order; the first error wins (the other workers stop
/// taking jobs). With `AWESOME_KG_TIMINGS` set, each job's wall time goes to stderr.
fn run_jobs(jobs: Vec<Job<'_>>) -> Result<(), Error> {
    let timings = std::env::var_os("AWESOME_KG_TIMINGS").is_some();
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, jobs.len().max(1));
    let queue = Mutex::new(jobs.into_iter());
    let failed = std::sync::atomic::AtomicBool::new(false);
    let work = || -> Result<(), Error> {
        while !failed.load(std::sync::atomic::Ordering::Relaxed) {
            let Some((name, job)) = queue.lock().unwrap_or_else(PoisonError::into_inner).next() else { break };
            let start = std::time::Instant::now();
            job().inspect_err(|_| failed.store(true, std::sync::atomic::Ordering::Relaxed))?;
            if timings {
                eprintln!("awesome-kg: timing:   {name} {:.3} s", start.elapsed().as_secs_f64());
            }
        }
        Ok(())
    };
    std::thread::scope(|scope| {
        let others: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        let mut result = work();
        for handle in others {
            let r = handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            result = result.and(r);
        }
        result
    })
}
