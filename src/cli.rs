//! The command line: `awesome-kg build` and `awesome-kg query`.

use crate::check::Level;
use crate::push::Protocol;
use crate::query::OutputFormat;
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
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
        /// Write only these kinds of file, comma-separated [default: all of them]. vocab.ttl
        /// comes with any RDF format, graph.svg with dot. Files of other kinds already in the
        /// output folder are left as they are.
        #[arg(long, value_enum, value_name = "KINDS", value_delimiter = ',')]
        formats: Vec<crate::pipeline::Output>,
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
    /// Serve the graph over HTTP: a read-only SPARQL 1.1 endpoint at /query (alias /sparql), the
    /// data at /graph, a query page at /. Loopback only unless --bind says otherwise.
    Serve {
        /// Markdown lists or folders to serve [default: data/ml-in-production.md].
        #[arg(value_name = "FILES")]
        files: Vec<PathBuf>,
        /// Address and port to listen on (port 0 picks a free one). Anything but a loopback
        /// address makes the graph readable from other machines.
        #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:7878")]
        bind: SocketAddr,
        /// Seconds a query may run before it is stopped (answered 503).
        #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
        timeout: f64,
        /// Largest request body accepted, in bytes (413 beyond).
        #[arg(long, value_name = "BYTES", default_value_t = 1 << 20)]
        max_body: usize,
        /// Most rows (or triples) in one answer; longer answers are cut and carry an
        /// X-SPARQL-MaxRows header.
        #[arg(long, value_name = "N", default_value_t = 100_000)]
        max_rows: usize,
        /// Requests handled at once [default: twice the cores, at least 4].
        #[arg(long, value_name = "N")]
        workers: Option<usize>,
        /// Folder of SPARQL files (*.rq) offered as examples on the page [default: ./queries
        /// if present, else the queries built into the program].
        #[arg(long, value_name = "DIR")]
        queries: Option<PathBuf>,
        #[command(flatten)]
        graph: GraphArgs,
    },
    /// Send the graph to a triple store (Oxigraph server, Virtuoso, Fuseki, GraphDB, …) into one
    /// named graph, replacing what that graph held.
    Push {
        /// Markdown lists or folders to push [default: data/ml-in-production.md].
        #[arg(value_name = "FILES")]
        files: Vec<PathBuf>,
        /// The store's Graph Store Protocol URL (--protocol gsp), or its SPARQL Update URL
        /// (--protocol update).
        #[arg(long, value_name = "URL")]
        endpoint: String,
        /// The named graph to replace [default: BASE + "graph"].
        #[arg(long = "graph", value_name = "IRI")]
        graph_iri: Option<String>,
        /// How to write: Graph Store Protocol PUT/POST, or SPARQL Update INSERT DATA.
        #[arg(long, value_enum, default_value_t = Protocol::Gsp)]
        protocol: Protocol,
        /// HTTP Basic credentials as USER or USER:PASSWORD; without a password here, it is read
        /// from the AWESOME_KG_PASSWORD environment variable.
        #[arg(long, value_name = "USER[:PASSWORD]")]
        user: Option<String>,
        /// Triples per request.
        #[arg(long, value_name = "N", default_value_t = 50_000)]
        batch: usize,
        /// Retries of a request after a transient failure (connection error, 408, 429, 5xx),
        /// with exponential backoff from 0.5 s.
        #[arg(long, value_name = "N", default_value_t = 4)]
        retries: u32,
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
