//! The exports as independent jobs on every core: RDF files, DOT, CSV tables, one CSV per
//! query, the vocabulary. [`build_and_stage`] also makes the triples: numbering them is the
//! first job, so that the graph's own exports (DOT, CSV) keep the other core busy meanwhile, and
//! sorting them comes after those exports, when the graph is (mostly) freed. The queries run on
//! a thread of their own beside the RDF writers, which wait for the disk much of the time.

use super::outputs::{Output, Outputs};
use super::{Built, ListSummary, NamedQuery};
use crate::error::Error;
use crate::export::{self, dot::Dot, OutputFile, Staging};
use crate::extract::Gazetteer;
use crate::graph::KnowledgeGraph;
use crate::progress::Progress;
use crate::query;
use crate::rdf::{self, BaseIri, Dataset};
use crate::vocab::PREFIXES;
use oxigraph::model::Triple;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// Every export file of `built`, in memory, sorted by path: RDF, vocabulary, DOT, CSV and one
/// CSV per query. `exports/graph.svg` is not among them: see [`export::dot::render_svg`].
pub fn exports(built: &Built, queries: &[NamedQuery]) -> Result<Vec<OutputFile>, Error> {
    let files = Mutex::new(Vec::new());
    let sink = |path: &Path, write: &mut dyn FnMut(&mut dyn Write) -> Result<(), Error>| {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        files.lock().unwrap_or_else(PoisonError::into_inner).push(OutputFile::new(path, bytes));
        Ok(())
    };
    produce_exports(Graph::Borrowed(&built.graph), &Triples::Made(&built.dataset), queries, Outputs::all(), &sink)?;
    let mut files = files.into_inner().unwrap_or_else(PoisonError::into_inner);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Writes every export of `built` (see [`exports`]) into `staging`, each streamed to its
/// temporary file as it is made.
pub fn stage_exports(built: &Built, queries: &[NamedQuery], staging: &Staging) -> Result<(), Error> {
    let sink = |path: &Path, write: &mut dyn FnMut(&mut dyn Write) -> Result<(), Error>| staging.put_with(path, write);
    produce_exports(Graph::Borrowed(&built.graph), &Triples::Made(&built.dataset), queries, Outputs::all(), &sink)
}

/// What [`build_and_stage`] leaves once the exports are staged: the graph itself is freed as
/// soon as its last export job is done, so that it does not sit beside the dataset and the
/// SPARQL lookups (1.5 GB of 4.5 GB at a million entries).
#[derive(Debug)]
pub struct Staged {
    pub lists: Vec<ListSummary>,
    /// The graph's node count.
    pub nodes: usize,
    /// graph.dot, kept for drawing graph.svg when graph.dot is wanted and the graph has at
    /// most `max_svg_nodes` nodes.
    pub small_dot: Option<String>,
    /// The triples, unless no RDF file and no query was wanted.
    pub dataset: Option<Dataset>,
}

/// What [`build_and_stage`] is asked to write.
#[derive(Debug, Clone, Copy)]
pub struct Wanted<'q> {
    pub outputs: Outputs,
    /// The queries whose results go to queries/NAME.csv (run only if `outputs` holds
    /// [`Output::Queries`]).
    pub queries: &'q [NamedQuery],
    /// The most nodes a graph may have for graph.svg to be drawn.
    pub max_svg_nodes: usize,
}

/// Reads `inputs` and builds the graph (as [`super::build_with`]), then makes the triples (if
/// an RDF file or a query needs them) and the `wanted` exports into `staging` together: one
/// core numbers the triples while the other writes the exports that need only the graph; then
/// the triples are sorted and both cores write the rest, the queries answered beside them.
pub fn build_and_stage(
    inputs: &[PathBuf],
    gazetteer: &Gazetteer,
    base: &BaseIri,
    wanted: Wanted<'_>,
    staging: &Staging,
    progress: &mut Progress,
) -> Result<Staged, Error> {
    let (lists, graph) = super::read_graph(inputs, gazetteer, progress)?;
    let nodes = graph.node_count();
    let outputs = wanted.outputs;
    let small_dot = (outputs.contains(Output::Dot) && nodes <= wanted.max_svg_nodes).then(|| Dot(&graph).to_string());
    let queries = if outputs.contains(Output::Queries) { wanted.queries } else { &[] };
    let make_triples = needs_triples(outputs, queries);
    progress.stage(if make_triples { "making triples and exporting" } else { "exporting" });
    let graph = Arc::new(graph);
    let made = OnceLock::new();
    let to_number = make_triples.then(|| Arc::clone(&graph));
    let triples = Triples::ToMake { graph: Mutex::new(to_number), base, numbered: OnceLock::new(), made: &made };
    let sink = |path: &Path, write: &mut dyn FnMut(&mut dyn Write) -> Result<(), Error>| staging.put_with(path, write);
    produce_exports(Graph::Shared(graph), &triples, queries, outputs, &sink)?;
    // Every job succeeded; the triples jobs, if there were any, made the dataset.
    let dataset = made.into_inner().map(|made| made.map_err(|message| triples_error(&message))).transpose()?;
    Ok(Staged { lists, nodes, small_dot, dataset })
}

/// Whether anything of `outputs` and `queries` is made from the triples.
fn needs_triples(outputs: Outputs, queries: &[NamedQuery]) -> bool {
    outputs.any_rdf() || !queries.is_empty()
}

/// The graph as the export jobs hold it: borrowed, or shared so that the last job done with it
/// frees it.
#[derive(Clone)]
enum Graph<'a> {
    Borrowed(&'a KnowledgeGraph),
    Shared(Arc<KnowledgeGraph>),
}

impl std::ops::Deref for Graph<'_> {
    type Target = KnowledgeGraph;

    fn deref(&self) -> &KnowledgeGraph {
        match self {
            Graph::Borrowed(g) => g,
            Graph::Shared(g) => g,
        }
    }
}

/// The dataset the RDF and query exports read: made already, or made by two export jobs, one
/// numbering the graph's terms into quads (then letting go of the graph) and one sorting them.
enum Triples<'a> {
    Made(&'a Dataset),
    ToMake {
        graph: Mutex<Option<Arc<KnowledgeGraph>>>,
        base: &'a BaseIri,
        /// The quads once numbered, until the sorting takes them.
        numbered: OnceLock<Mutex<Option<Result<rdf::DatasetBuilder, String>>>>,
        made: &'a OnceLock<Result<Dataset, String>>,
    },
}

impl Triples<'_> {
    /// Numbers the graph's terms into quads (once; a caller that comes while another numbers
    /// waits for it).
    fn number(&self) {
        if let Triples::ToMake { graph, base, numbered, .. } = self {
            numbered.get_or_init(|| {
                let graph = graph.lock().unwrap_or_else(PoisonError::into_inner).take();
                let graph = graph.expect("the triples are numbered once");
                // The graph goes when the jobs that read it are done too.
                Mutex::new(Some(rdf::unsorted_quads(&graph, base).map_err(|e| e.to_string())))
            });
        }
    }

    /// The dataset; a job that asks while another makes it waits for it.
    fn get(&self) -> Result<&Dataset, Error> {
        match self {
            Triples::Made(d) => Ok(d),
            Triples::ToMake { numbered, made, .. } => made
                .get_or_init(|| {
                    self.number();
                    let numbered = numbered.get().expect("numbered just above");
                    let quads = numbered.lock().unwrap_or_else(PoisonError::into_inner).take();
                    Ok(quads.expect("the triples are sorted once")?.finish())
                })
                .as_ref()
                .map_err(|message| triples_error(message)),
        }
    }
}

fn triples_error(message: &str) -> Error {
    Error::Export { what: "triples".to_owned(), message: message.to_owned() }
}

/// Where an export goes: its path, and a function that writes its bytes.
type Sink<'s> = dyn Fn(&Path, &mut dyn FnMut(&mut dyn Write) -> Result<(), Error>) -> Result<(), Error> + Sync + 's;
/// An export job, named by what it makes.
type Job<'a> = (&'a str, Box<dyn FnOnce() -> Result<(), Error> + Send + 'a>);
/// A CSV export of the graph, written row by row.
type MakeTable = fn(&KnowledgeGraph, &mut dyn Write) -> Result<(), Error>;

/// Makes the exports of `outputs` and of `queries` and hands each to `sink`. The exports are
/// independent jobs, taken by one worker per core in order: numbering the triples (if they are
/// still to make and anything needs them), the exports of the graph alone (meanwhile), sorting
/// the triples, then the RDF files, longest first. The SPARQL lookups and the queries run in
/// turn on one more thread, from the start: it waits for the triples, then answers while the
/// RDF files are written. At a million entries, four alternating pairs of full builds:
/// exports 26.8–30.7 → 24.5–26.8 s (peak 2.05–2.28 → 2.25–2.43 GB); at 100k, the same time and
/// a peak of 247–251 → 272–283 MiB.
fn produce_exports(
    graph: Graph<'_>,
    triples: &Triples<'_>,
    queries: &[NamedQuery],
    outputs: Outputs,
    sink: &Sink<'_>,
) -> Result<(), Error> {
    use export::rdf::{
        copies_term_forms, write_nquads_and_ntriples, write_quads, write_triples, FORMATS, QUAD_FORMATS,
    };
    use oxigraph::io::RdfFormat;
    // graph.nq and graph.nt are the same lines in the same order (graph.nt's without their
    // graph, each once): graph.nq's job writes both, sorting the lines once and looking each
    // term up once (two jobs doing each half took 9.6 s of the cores at a million entries); it
    // runs when either file is wanted.
    let ntriples = FORMATS.iter().find(|(_, f)| matches!(f, RdfFormat::NTriples)).map_or("graph.nt", |&(name, _)| name);
    let (want_nq, want_nt) = (outputs.contains(Output::Nq), outputs.contains(Output::Nt));
    let rdf_formats = move || {
        QUAD_FORMATS.iter().chain(FORMATS).filter(move |&&(_, f)| match f {
            RdfFormat::NTriples => false,
            RdfFormat::NQuads => want_nq || want_nt,
            _ => outputs.contains_rdf(f),
        })
    };
    // The terms' forms go once the last writer that copies them is done.
    let form_users = AtomicUsize::new(rdf_formats().filter(|&&(_, f)| copies_term_forms(f)).count());
    let form_users = &form_users;
    // One job per RDF file of FORMATS and QUAD_FORMATS, each written by our own writer straight
    // from the dataset; a format without one would go through oxigraph's serializer.
    let rdf = |&(name, format): &'static (&'static str, RdfFormat)| -> Job<'_> {
        let job = Box::new(move || {
            let dataset = triples.get()?;
            let written = match format {
                RdfFormat::NQuads => {
                    let lines = dataset.lines();
                    let (nq, nt) = (Path::new(name), Path::new(ntriples));
                    match (want_nq, want_nt) {
                        (true, true) => sink(nq, &mut |w| {
                            sink(nt, &mut |t| write_nquads_and_ntriples(Some(&mut *w), Some(t), &lines))
                        }),
                        (true, false) => sink(nq, &mut |w| write_nquads_and_ntriples(Some(w), None, &lines)),
                        (false, _) => sink(nt, &mut |t| write_nquads_and_ntriples(None, Some(t), &lines)),
                    }
                }
                _ => sink(Path::new(name), &mut |w| match format {
                    RdfFormat::Turtle => export::turtle::write_turtle(w, dataset, PREFIXES),
                    RdfFormat::TriG => export::turtle::write_trig(w, dataset, PREFIXES),
                    RdfFormat::JsonLd { .. } => export::jsonld::write_jsonld(w, dataset),
                    RdfFormat::RdfXml => export::rdfxml::write_rdfxml(w, dataset, PREFIXES),
                    _ if format.supports_datasets() => write_quads(w, dataset.quads(), format),
                    _ => write_triples(w, dataset.triples(), format),
                }),
            };
            if copies_term_forms(format) && form_users.fetch_sub(1, Ordering::AcqRel) == 1 {
                dataset.release_forms();
            }
            written
        });
        let name = match format {
            RdfFormat::NQuads if want_nq && want_nt => "graph.nq + graph.nt",
            RdfFormat::NQuads if !want_nq => ntriples,
            _ => name,
        };
        (name, job)
    };
    let table = |name: &'static str, make: MakeTable| -> Job<'_> {
        let graph = graph.clone();
        let job = Box::new(move || sink(Path::new(name), &mut |w| make(&graph, w)));
        (name, job)
    };
    let make_triples = needs_triples(outputs, queries);
    let mut jobs: Vec<Job<'_>> = Vec::new();
    if make_triples {
        jobs.push((
            "triples (numbering)",
            Box::new(|| {
                triples.number();
                Ok(())
            }),
        ));
    }
    if outputs.contains(Output::Dot) {
        let dot_graph = graph.clone();
        jobs.push((
            "graph.dot",
            Box::new(move || {
                let dot = Dot(&dot_graph);
                sink(Path::new("graph.dot"), &mut |w| write!(w, "{dot}").map_err(|e| Error::io("graph.dot", e)))
            }),
        ));
    }
    if outputs.contains(Output::Csv) {
        let tables: [(&'static str, MakeTable); 4] = [
            ("edges.csv", export::csv::write_edges),
            ("entries.csv", export::csv::write_entries),
            ("links.csv", export::csv::write_links),
            ("nodes.csv", export::csv::write_nodes),
        ];
        jobs.extend(tables.into_iter().map(|(name, make)| table(name, make)));
    }
    // Each job above holds the graph; the last to finish frees it (when it is shared). The
    // triples are sorted after those jobs are taken (the graph mostly gone by then), on the
    // core that numbered them, unless the other core got there first.
    drop(graph);
    if make_triples {
        jobs.push(("triples (sorting)", Box::new(|| triples.get().map(drop))));
    }
    // The RDF files are the longest jobs (the quad files first).
    jobs.extend(rdf_formats().map(rdf));
    // The queries, and first the lookups SPARQL needs (without queries, none: 6-8 s of a core
    // at a million entries; a later query makes its own), go to a thread of their own: the
    // RDF writers spend much of their time waiting for the disk, and the queries fill it.
    let mut side: Vec<Job<'_>> = Vec::new();
    if !queries.is_empty() {
        side.push(("SPARQL lookups", Box::new(|| triples.get().map(Dataset::prepare_common_lookups))));
    }
    for q in queries {
        side.push((
            &q.origin,
            Box::new(move || {
                let csv = query::evaluate(triples.get()?, &q.text, &q.origin)?.to_spreadsheet_csv()?;
                let path = Path::new("queries").join(format!("{}.csv", q.name));
                sink(&path, &mut |w| w.write_all(&csv).map_err(|e| Error::io(&path, e)))
            }),
        ));
    }
    if outputs.any_rdf() {
        jobs.push((
            "vocab.ttl",
            Box::new(|| {
                let vocab = rdf::vocabulary_triples();
                sink(Path::new("vocab.ttl"), &mut |w| {
                    write_triples(w, vocab.iter().map(Triple::as_ref), RdfFormat::Turtle)
                })
            }),
        ));
    }
    run_jobs(jobs, side)
}

/// Runs `jobs` on one worker per core, in order, and `side` in order on a thread of its own
/// beside them; the first error wins (the other workers stop taking jobs). With
/// `AWESOME_KG_TIMINGS` set, each job's wall time and when it started (after the first job's
/// start) go to stderr.
fn run_jobs(jobs: Vec<Job<'_>>, side: Vec<Job<'_>>) -> Result<(), Error> {
    let timings = std::env::var_os("AWESOME_KG_TIMINGS").is_some();
    let workers = crate::threads::cores().clamp(1, jobs.len().max(1));
    let queue = Mutex::new(jobs.into_iter());
    let failed = std::sync::atomic::AtomicBool::new(false);
    let began = std::time::Instant::now();
    let run = |(name, job): Job<'_>| -> Result<(), Error> {
        let start = std::time::Instant::now();
        job().inspect_err(|_| failed.store(true, std::sync::atomic::Ordering::Relaxed))?;
        if timings {
            let (from, took) = (start - began, start.elapsed());
            eprintln!("awesome-kg: timing:   {name} {:.3} s (from {:.3} s)", took.as_secs_f64(), from.as_secs_f64());
        }
        Ok(())
    };
    let work = || -> Result<(), Error> {
        while !failed.load(std::sync::atomic::Ordering::Relaxed) {
            let Some(job) = queue.lock().unwrap_or_else(PoisonError::into_inner).next() else { break };
            run(job)?;
        }
        Ok(())
    };
    let side_work = || -> Result<(), Error> {
        for job in side {
            if failed.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            run(job)?;
        }
        Ok(())
    };
    std::thread::scope(|scope| {
        let mut others: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        others.push(scope.spawn(side_work));
        let mut result = work();
        for handle in others {
            let r = handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            result = result.and(r);
        }
        result
    })
}
