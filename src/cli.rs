//! The command line: `awesome-kg build` and `awesome-kg query`.

use crate::check::Level;
use crate::query::OutputFormat;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Turn curated Markdown link lists ("awesome lists") into a knowledge graph: RDF and SPARQL,
/// Graphviz DOT and CSV.
#[derive(Debug, Parser)]
#[command(name = "awesome-kg", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every command that builds the graph.
#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// Organization gazetteer (CSV with columns id,name,aliases,wikidata,domains) instead of the
    /// bundled data/organizations.csv.
    #[arg(long, value_name = "CSV")]
    pub orgs: Option<PathBuf>,
    /// Base IRI of the generated resources; must end with '/' or '#'.
    #[arg(long, value_name = "IRI", default_value = crate::vocab::DEFAULT_BASE)]
    pub base: String,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the graph from Markdown lists and write every export (RDF, DOT, SVG, CSV, query
    /// results) into the output folder.
    Build {
        /// Markdown lists to read [default: data/ml-in-production.md].
        #[arg(value_name = "FILES")]
        files: Vec<PathBuf>,
        /// Output folder; files already there are replaced only once every export is ready.
        #[arg(long, value_name = "DIR", default_value = crate::pipeline::DEFAULT_OUT)]
        out: PathBuf,
        /// Folder of SPARQL files (*.rq) to run; each result goes to OUT/queries/NAME.csv.
        #[arg(long, value_name = "DIR", default_value = crate::pipeline::DEFAULT_QUERIES)]
        queries: PathBuf,
        #[command(flatten)]
        graph: GraphArgs,
    },
    /// Lint lists for what the graph needs: items without links, links that are not http(s),
    /// duplicated URLs, empty sections, unknown media labels, items that could not be
    /// interpreted. Prints `file:line: level: message [code]`; exits 1 when any error is found.
    Check {
        /// Markdown lists or folders to check [default: data/ml-in-production.md].
        #[arg(value_name = "FILES")]
        files: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// Also report, per file, how many linked items became entries.
        #[arg(long)]
        stats: bool,
        /// Hide findings below this level.
        #[arg(long, value_enum, default_value_t = Level::Info)]
        level: Level,
        #[command(flatten)]
        graph: GraphArgs,
    },
    /// Run a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE) on the graph of the input lists.
    /// Common prefixes (schema, skos, dcterms, owl, rdf, rdfs, xsd, akg, wd) are predeclared.
    Query {
        /// File holding the query (or use --sparql).
        #[arg(value_name = "QUERY_FILE", required_unless_present = "sparql", conflicts_with = "sparql")]
        query_file: Option<PathBuf>,
        /// The query text itself.
        #[arg(long, value_name = "QUERY")]
        sparql: Option<String>,
        /// Markdown list to read; repeat for several [default: data/ml-in-production.md].
        #[arg(short, long = "input", value_name = "FILE")]
        inputs: Vec<PathBuf>,
        /// Output format: a table, or a SPARQL 1.1 results format. CONSTRUCT and DESCRIBE print
        /// Turtle as a table, N-Triples as csv/tsv, JSON-LD as json, RDF/XML as xml.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
        #[command(flatten)]
        graph: GraphArgs,
    },
}

/// Output of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// One `file:line: level: message [code]` line per finding.
    Text,
    /// A JSON object with `findings` and (with --stats) `stats`.
    Json,
}
