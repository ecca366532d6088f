//! The `awesome-kg` binary: parses the command line and hands over to the library.

use anyhow::{Context, Result};
use awesome_kg::check::{Finding, Level};
use awesome_kg::cli::{CheckFormat, Cli, Command, GraphArgs};
use awesome_kg::export::{self, dot};
use awesome_kg::extract::Gazetteer;
use awesome_kg::pipeline::{self, Output, Outputs, DEFAULT_INPUT};
use awesome_kg::progress::Progress;
use awesome_kg::rdf::BaseIri;
use awesome_kg::{push, serve};
use clap::Parser;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

mod allocator;

fn main() -> ExitCode {
    allocator::return_freed_memory_sooner();
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("awesome-kg: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build { files, out, queries, formats, graph } => {
            let outputs = if formats.is_empty() { Outputs::all() } else { formats.into_iter().collect() };
            build(files, out, queries, outputs, graph).map(|()| ExitCode::SUCCESS)
        }
        Command::Check { files, format, stats, level, graph } => check(files, format, stats, level, graph),
        Command::Serve { files, bind, timeout, max_body, max_rows, workers, queries, graph } => {
            let defaults = serve::Config::default();
            let config = serve::Config {
                bind,
                timeout: std::time::Duration::try_from_secs_f64(timeout)
                    .ok()
                    .filter(|t| !t.is_zero())
                    .context("--timeout must be a positive number of seconds")?,
                max_body,
                max_rows,
                workers: workers.unwrap_or(defaults.workers),
            };
            serve(files, config, queries, graph).map(|()| ExitCode::SUCCESS)
        }
        Command::Push { files, endpoint, graph_iri, protocol, user, batch, retries, graph } => {
            let (gazetteer, base) = graph_settings(&graph)?;
            let graph_iri = graph_iri.unwrap_or_else(|| format!("{}graph", base.as_str()));
            let graph_name = oxigraph::model::NamedNode::new(&graph_iri)
                .with_context(|| format!("--graph {graph_iri:?} is not an IRI"))?;
            let credentials = user.map(|user| match user.split_once(':') {
                Some((u, p)) => (u.to_owned(), p.to_owned()),
                None => (user, std::env::var("AWESOME_KG_PASSWORD").unwrap_or_default()),
            });
            let mut progress = Progress::for_stderr();
            let built = pipeline::build_with(&inputs_or_default(files), &gazetteer, &base, &mut progress)?;
            let target = push::Target {
                endpoint,
                graph: graph_name,
                protocol,
                credentials,
                batch,
                retries,
                backoff: std::time::Duration::from_millis(500),
            };
            progress.stage("pushing");
            let total = built.triple_count();
            let report = push::push(&built.triples().collect::<Vec<_>>(), &target, |sent| progress.step(sent, total))?;
            progress.finish();
            eprintln!(
                "awesome-kg: {} triples → graph <{}> at {} ({} request(s), {} retried)",
                report.triples, graph_iri, target.endpoint, report.requests, report.retries
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Query { query_file, sparql, inputs, format, graph } => {
            let (text, origin) = match (query_file, sparql) {
                (Some(path), _) => {
                    let text = std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
                    (text, path.display().to_string())
                }
                (None, Some(text)) => (text, "--sparql".to_owned()),
                (None, None) => unreachable!("clap requires a query"),
            };
            let (gazetteer, base) = graph_settings(&graph)?;
            let built = pipeline::build(&inputs_or_default(inputs), &gazetteer, &base)?;
            let answer = awesome_kg::query::evaluate(&built.dataset, &text, &origin)?;
            let bytes = answer.write(format)?;
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes).and_then(|()| stdout.flush()).context("writing to standard output")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn inputs_or_default(inputs: Vec<PathBuf>) -> Vec<PathBuf> {
    if inputs.is_empty() {
        vec![PathBuf::from(DEFAULT_INPUT)]
    } else {
        inputs
    }
}

fn graph_settings(args: &GraphArgs) -> Result<(Gazetteer, BaseIri)> {
    let gazetteer = match &args.orgs {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| path.display().to_string())?;
            Gazetteer::from_csv(&path.display().to_string(), &text)?
        }
        None => Gazetteer::bundled(),
    };
    Ok((gazetteer, BaseIri::new(&args.base)?))
}

fn build(files: Vec<PathBuf>, out: PathBuf, queries_dir: PathBuf, outputs: Outputs, graph: GraphArgs) -> Result<()> {
    let (gazetteer, base) = graph_settings(&graph)?;
    let mut progress = Progress::for_stderr();
    let queries = if !outputs.contains(Output::Queries) {
        Vec::new()
    } else if queries_dir.is_dir() {
        pipeline::read_queries(&queries_dir)?
    } else {
        progress.say(&format!("awesome-kg: no query folder {}; no query results written", queries_dir.display()));
        Vec::new()
    };
    let staging = export::Staging::new(&out);
    let inputs = inputs_or_default(files);
    let wanted = pipeline::Wanted { outputs, queries: &queries, max_svg_nodes: dot::MAX_SVG_NODES };
    let built = pipeline::build_and_stage(&inputs, &gazetteer, &base, wanted, &staging, &mut progress)?;
    let nodes = built.nodes;
    if !outputs.contains(Output::Dot) {
        // No graph.dot, no graph.svg.
    } else if let Some(dot_text) = &built.small_dot {
        progress.stage("drawing graph.svg");
        match dot::render_svg(dot_text) {
            Some(Ok(svg)) => staging.put("graph.svg", &svg)?,
            Some(Err(e)) => progress.say(&format!("awesome-kg: graph.svg not drawn: Graphviz said: {e}")),
            None => progress.say("awesome-kg: Graphviz `dot` not found; graph.svg left as it was"),
        }
    } else {
        progress.say(&format!(
            "awesome-kg: graph.svg not drawn: {nodes} nodes is more than a picture can show \
             (limit {}); graph.dot is written, and `sfdp -Tsvg` can lay it out",
            dot::MAX_SVG_NODES
        ));
    }
    progress.stage("moving files into place");
    staging.commit()?;
    progress.finish();
    let entries: usize = built.lists.iter().map(|l| l.entries).sum();
    let links: usize = built.lists.iter().map(|l| l.links).sum();
    let triples = built.dataset.as_ref().map(|d| format!(", {} triples", d.triple_count())).unwrap_or_default();
    eprintln!(
        "awesome-kg: {} list(s), {entries} entries, {links} links{triples} → {}",
        built.lists.len(),
        out.display()
    );
    // The process ends here: freeing millions of small allocations one by one would take
    // seconds on large graphs (2.7 s at 100k entries) and gives nothing back.
    std::mem::forget(built);
    Ok(())
}

fn serve(files: Vec<PathBuf>, config: serve::Config, queries: Option<PathBuf>, graph: GraphArgs) -> Result<()> {
    let (gazetteer, base) = graph_settings(&graph)?;
    let mut progress = Progress::for_stderr();
    let built = pipeline::build_with(&inputs_or_default(files), &gazetteer, &base, &mut progress)?;
    progress.finish();
    let examples = match queries {
        Some(dir) => pipeline::read_queries(&dir)?,
        None if std::path::Path::new(pipeline::DEFAULT_QUERIES).is_dir() => {
            pipeline::read_queries(std::path::Path::new(pipeline::DEFAULT_QUERIES))?
        }
        None => pipeline::bundled_queries(),
    };
    let triples = built.triple_count();
    let server = serve::Server::bind(config, serve::State::new(built, examples)?)?;
    let addr = server.local_addr();
    if !addr.ip().is_loopback() {
        eprintln!("awesome-kg: listening on {addr}, which other machines can reach: the graph is readable to them");
    }
    eprintln!("awesome-kg: serving {triples} triples at http://{addr}/ (SPARQL endpoint: http://{addr}/query)");
    server.run();
    Ok(())
}

fn check(files: Vec<PathBuf>, format: CheckFormat, stats: bool, max: Level, graph: GraphArgs) -> Result<ExitCode> {
    let (gazetteer, _) = graph_settings(&graph)?;
    let (findings, all_stats) = pipeline::check(&inputs_or_default(files), &gazetteer)?;
    let failed = findings.iter().any(|f| f.level == Level::Error);
    let shown: Vec<&Finding> = findings.iter().filter(|f| f.level <= max).collect();
    let mut out = String::new();
    match format {
        CheckFormat::Json => {
            let value = if stats {
                serde_json::json!({ "findings": shown, "stats": all_stats })
            } else {
                serde_json::json!({ "findings": shown })
            };
            out = serde_json::to_string_pretty(&value)?;
            out.push('\n');
        }
        CheckFormat::Text => {
            for f in &shown {
                out.push_str(&format!("{f}\n"));
            }
            if stats {
                out.push_str(&stats_table(&all_stats));
            }
        }
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes()).and_then(|()| stdout.flush()).context("writing to standard output")?;
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn stats_table(stats: &[awesome_kg::check::Stats]) -> String {
    let width = stats.iter().map(|s| s.file.chars().count()).max().unwrap_or(4).max(4);
    let mut out = format!("\n{:<width$}  linked items  entries  missed  missed %  sections  links\n", "file");
    for s in stats {
        out.push_str(&format!(
            "{:<width$}  {:>12}  {:>7}  {:>6}  {:>8.2}  {:>8}  {:>5}\n",
            s.file,
            s.linked_items,
            s.entries,
            s.missed,
            s.missed_percent(),
            s.sections,
            s.links
        ));
    }
    out
}
