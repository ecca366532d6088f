//! Micro-benchmarks of each stage on one generated list (`cargo bench`), with divan. The
//! input is `../shared/bench/gen_corpus.py --entries N --seed 1` (N from AWESOME_KG_BENCH_ENTRIES,
//! default 20,000), or, without the generator, the bundled list repeated to a similar size.
//! `parse_floor` is a bare pulldown-cmark pass over the same bytes with the same options: the
//! least any Markdown parse can cost, against which `parse` and `parse_and_extract` compare.

use awesome_kg::extract::{self, Gazetteer};
use awesome_kg::graph::KnowledgeGraph;
use awesome_kg::parse::{self, MARKDOWN_OPTIONS};
use awesome_kg::rdf::{self, BaseIri};
use divan::{black_box, Bencher};
use std::sync::LazyLock;

/// The allocator the awesome-kg binary uses, with its settings, so the figures are the tool's.
#[path = "../src/allocator.rs"]
mod allocator;

fn main() {
    allocator::return_freed_memory_sooner();
    eprintln!("input: {} bytes", INPUT.len());
    divan::Divan::from_args().sample_count(10).main();
}

static INPUT: LazyLock<String> = LazyLock::new(|| {
    let entries = std::env::var("AWESOME_KG_BENCH_ENTRIES").unwrap_or_else(|_| "20000".to_owned());
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::temp_dir().join(format!("awesome-kg-bench-{entries}.md"));
    let generated = std::process::Command::new("python3")
        .arg(root.join("../shared/bench/gen_corpus.py"))
        .args(["--entries", &entries, "--seed", "1", "--out"])
        .arg(&out)
        .output()
        .is_ok_and(|o| o.status.success());
    if generated {
        std::fs::read_to_string(&out).unwrap()
    } else {
        let seed = std::fs::read_to_string(root.join("data/ml-in-production.md")).unwrap();
        seed.repeat(entries.parse::<usize>().unwrap_or(20_000) / 11)
    }
});

fn gazetteer() -> Gazetteer {
    Gazetteer::bundled()
}

#[divan::bench]
fn parse_floor(bencher: Bencher) {
    bencher.bench(|| pulldown_cmark::Parser::new_ext(black_box(&INPUT), MARKDOWN_OPTIONS).into_offset_iter().count());
}

#[divan::bench]
fn parse(bencher: Bencher) {
    bencher.bench(|| parse::parse(black_box(&INPUT)));
}

#[divan::bench]
fn parse_and_extract(bencher: Bencher) {
    let g = gazetteer();
    bencher.bench(|| extract::extract(&parse::parse(black_box(&INPUT)), "bench", "bench.md", &g));
}

#[divan::bench]
fn extract_only(bencher: Bencher) {
    let g = gazetteer();
    let doc = parse::parse(&INPUT);
    bencher.bench(|| extract::extract(black_box(&doc), "bench", "bench.md", &g));
}

#[divan::bench]
fn graph(bencher: Bencher) {
    let g = gazetteer();
    let lists = vec![extract::extract(&parse::parse(&INPUT), "bench", "bench.md", &g)];
    bencher.bench(|| KnowledgeGraph::build(black_box(&lists), g.organizations()));
}

#[divan::bench]
fn quads(bencher: Bencher) {
    let g = gazetteer();
    let lists = vec![extract::extract(&parse::parse(&INPUT), "bench", "bench.md", &g)];
    let kg = KnowledgeGraph::build(&lists, g.organizations());
    bencher.bench(|| rdf::quads(black_box(&kg), &BaseIri::default()).unwrap());
}

/// Sorting the numbered quads ([`rdf::DatasetBuilder::finish`]): ranking the terms, sorting,
/// numbering the terms anew and writing their forms.
#[divan::bench]
fn sort_quads(bencher: Bencher) {
    let g = gazetteer();
    let lists = vec![extract::extract(&parse::parse(&INPUT), "bench", "bench.md", &g)];
    let kg = KnowledgeGraph::build(&lists, g.organizations());
    bencher
        .with_inputs(|| rdf::unsorted_quads(&kg, &BaseIri::default()).unwrap())
        .bench_values(rdf::DatasetBuilder::finish);
}

/// What SPARQL used to need: the quads loaded into an oxigraph in-memory store.
#[divan::bench]
fn oxigraph_store(bencher: Bencher) {
    let g = gazetteer();
    let lists = vec![extract::extract(&parse::parse(&INPUT), "bench", "bench.md", &g)];
    let quads = rdf::quads(&KnowledgeGraph::build(&lists, g.organizations()), &BaseIri::default()).unwrap();
    bencher.bench(|| rdf::load_store(black_box(&quads)).unwrap());
}

/// What SPARQL needs now: the dataset's pattern lookups (three sorted orders).
#[divan::bench]
fn lookups(bencher: Bencher) {
    let g = gazetteer();
    let lists = vec![extract::extract(&parse::parse(&INPUT), "bench", "bench.md", &g)];
    let kg = KnowledgeGraph::build(&lists, g.organizations());
    bencher.with_inputs(|| rdf::quads(&kg, &BaseIri::default()).unwrap()).bench_local_refs(|d| d.prepare_lookups());
}

/// The slowest bundled queries (each a GROUP BY over most of the graph) on the dataset.
#[divan::bench(args = [
    "entries-by-organization",
    "entries-with-several-media",
    "most-linked-sites",
    "papers-and-publishers",
    "sections-without-organization",
    "urls-in-several-lists",
])]
fn query(bencher: Bencher, name: &str) {
    let g = gazetteer();
    let lists = vec![extract::extract(&parse::parse(&INPUT), "bench", "bench.md", &g)];
    let d = rdf::quads(&KnowledgeGraph::build(&lists, g.organizations()), &BaseIri::default()).unwrap();
    d.prepare_lookups();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("queries").join(format!("{name}.rq"));
    let q = std::fs::read_to_string(path).unwrap();
    bencher.bench(|| awesome_kg::query::evaluate(black_box(&d), &q, name).unwrap());
}

/// Each RDF file as `build` writes it, from the dataset (graph.nq and graph.nt together, from
/// one walk of their sorted lines, as `build` writes them).
#[divan::bench(args = ["nq+nt", "trig", "ttl", "jsonld", "rdf"])]
fn serialize(bencher: Bencher, format: &str) {
    use awesome_kg::export::{jsonld, rdf::write_nquads_and_ntriples, rdfxml, turtle};
    use awesome_kg::vocab::PREFIXES;
    let g = gazetteer();
    let lists = vec![extract::extract(&parse::parse(&INPUT), "bench", "bench.md", &g)];
    let d = rdf::quads(&KnowledgeGraph::build(&lists, g.organizations()), &BaseIri::default()).unwrap();
    bencher.bench(|| {
        let mut out = Vec::new();
        let d = black_box(&d);
        match format {
            "nq+nt" => write_nquads_and_ntriples(Some(&mut out), Some(&mut Vec::new()), &d.lines()),
            "trig" => turtle::write_trig(&mut out, d, PREFIXES),
            "ttl" => turtle::write_turtle(&mut out, d, PREFIXES),
            "jsonld" => jsonld::write_jsonld(&mut out, d),
            _ => rdfxml::write_rdfxml(&mut out, d, PREFIXES),
        }
        .unwrap();
        out
    });
}

#[divan::bench]
fn dot(bencher: Bencher) {
    let g = gazetteer();
    let lists = vec![extract::extract(&parse::parse(&INPUT), "bench", "bench.md", &g)];
    let graph = KnowledgeGraph::build(&lists, g.organizations());
    bencher.bench(|| awesome_kg::export::dot::Dot(black_box(&graph)).to_string());
}

/// Each CSV table as `build` writes it, from the graph.
#[divan::bench(args = ["edges", "entries", "links", "nodes"])]
fn csv(bencher: Bencher, table: &str) {
    use awesome_kg::export::csv;
    let g = gazetteer();
    let lists = vec![extract::extract(&parse::parse(&INPUT), "bench", "bench.md", &g)];
    let graph = KnowledgeGraph::build(&lists, g.organizations());
    let write = match table {
        "edges" => csv::write_edges,
        "entries" => csv::write_entries,
        "links" => csv::write_links,
        _ => csv::write_nodes,
    };
    bencher.bench(|| {
        let mut out = Vec::new();
        write(black_box(&graph), &mut out).unwrap();
        out
    });
}
