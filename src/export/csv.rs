//! The graph as CSV for spreadsheets and graph tools: `entries.csv`, `links.csv`, and
//! `nodes.csv` + `edges.csv` in the column layout Gephi's spreadsheet importer reads
//! (`Id,Label` for nodes; `Source,Target,Type,Label` for edges).
//!
//! Every text cell goes through [`cell`], which neutralises what a spreadsheet would run as a
//! formula.

use crate::error::Error;
use crate::graph::{Edge, KnowledgeGraph, NodeKind};
use petgraph::graph::NodeIndex;
use std::borrow::Cow;
use std::io::Write;

/// A text cell made safe for spreadsheets: a cell starting with `=`, `+`, `-`, `@`, tab or
/// carriage return gets a leading `'`, so it is shown as text instead of being evaluated.
pub fn cell(s: &str) -> Cow<'_, str> {
    if is_formula(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

fn is_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// The bytes `write` writes.
fn bytes(write: impl FnOnce(&mut dyn Write) -> Result<(), Error>) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    write(&mut out)?;
    Ok(out)
}

/// A table's rows as RFC 4180 CSV with `\n` line ends, gathered in a buffer handed to the
/// writer every 64 KiB: a field holding a comma, a double quote or a line break is quoted, its
/// quotes doubled. These are the bytes the csv crate writes with its default (necessary)
/// quoting, which a property test holds equal; the csv crate took each row through serde and
/// each field through a byte-at-a-time check (a million entries' four tables, three
/// alternating pairs: 4.7-5.3 s of the cores with it, 3.5-4.3 s without; most of what is left
/// is reading the graph's strings). A table without rows is its header alone (the csv crate
/// through serde left it empty, without its columns' names).
struct Rows<'w> {
    out: &'w mut dyn Write,
    buf: Vec<u8>,
    header: Option<&'static [&'static str]>,
    /// Whether the row being written has a field yet.
    started: bool,
}

impl<'w> Rows<'w> {
    /// Rows under `header` (at least two columns: a one-column row of an empty field would be
    /// written `""`).
    fn new(out: &'w mut dyn Write, header: &'static [&'static str]) -> Self {
        debug_assert!(header.len() > 1);
        Rows { out, buf: Vec::with_capacity(1 << 17), header: Some(header), started: false }
    }

    /// The next field, as it is.
    fn text(&mut self, s: &str) {
        self.begin_field();
        quoted(&mut self.buf, "", s);
    }

    /// The next field, made safe for spreadsheets (see [`cell`]).
    fn cell(&mut self, s: &str) {
        self.begin_field();
        quoted(&mut self.buf, if is_formula(s) { "'" } else { "" }, s);
    }

    fn number(&mut self, n: usize) {
        let mut digits = Default::default();
        self.text(crate::decimal::decimal(n, &mut digits));
    }

    /// Writes the header, unless it is written already.
    fn write_header(&mut self) {
        if let Some(header) = self.header.take() {
            for (i, name) in header.iter().enumerate() {
                if i > 0 {
                    self.buf.push(b',');
                }
                quoted(&mut self.buf, "", name);
            }
            self.buf.push(b'\n');
        }
    }

    fn begin_field(&mut self) {
        self.write_header();
        if self.started {
            self.buf.push(b',');
        }
        self.started = true;
    }

    /// Ends the row.
    fn end(&mut self) -> Result<(), Error> {
        self.buf.push(b'\n');
        self.started = false;
        if self.buf.len() >= 1 << 16 {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Error> {
        let written = self.out.write_all(&self.buf);
        self.buf.clear();
        written.map_err(write_error)
    }

    /// Hands on the last rows (the header, if there were none).
    fn finish(mut self) -> Result<(), Error> {
        debug_assert!(!self.started, "a row was left unended");
        self.write_header();
        self.flush()?;
        self.out.flush().map_err(write_error)
    }
}

fn write_error(e: std::io::Error) -> Error {
    Error::Export { what: "CSV".to_owned(), message: e.to_string() }
}

/// Appends `prefix` + `s` as one field, in double quotes (each quote doubled) if it holds a
/// comma, a quote or a line break (`prefix` holds none).
fn quoted(buf: &mut Vec<u8>, prefix: &str, s: &str) {
    let bytes = s.as_bytes();
    let special = |b: u8| (b == b',') | (b == b'"') | (b == b'\n') | (b == b'\r');
    let plain = super::scan::plain_run(bytes, special);
    if plain == bytes.len() {
        buf.extend_from_slice(prefix.as_bytes());
        buf.extend_from_slice(bytes);
        return;
    }
    buf.push(b'"');
    buf.extend_from_slice(prefix.as_bytes());
    let mut rest = bytes;
    while let Some(at) = rest.iter().position(|&b| b == b'"') {
        buf.extend_from_slice(&rest[..=at]);
        buf.push(b'"');
        rest = &rest[at + 1..];
    }
    buf.extend_from_slice(rest);
    buf.push(b'"');
}

/// `parts` joined with `separator`, in `out` (cleared first).
fn join_into<'a>(out: &mut String, parts: impl IntoIterator<Item = &'a str>, separator: &str) {
    out.clear();
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(part);
    }
}

/// The section path of a section node, outermost first, joined with " > ", in `out`.
fn section_path<'g>(kg: &'g KnowledgeGraph, section: Option<NodeIndex>, names: &mut Vec<&'g str>, out: &mut String) {
    names.clear();
    let mut cur = section;
    while let Some(s) = cur {
        names.push(kg.node(s).label());
        cur = kg.targets(s, |e| e == Edge::SubsectionOf).first().copied();
    }
    join_into(out, names.iter().rev().copied(), " > ");
}

const ENTRY_COLUMNS: &[&str] =
    &["id", "title", "description", "section", "organizations", "media_types", "urls", "attributes", "source", "line"];

/// `entries.csv`: one row per entry.
pub fn entries(kg: &KnowledgeGraph) -> Result<Vec<u8>, Error> {
    bytes(|w| write_entries(kg, w))
}

/// [`entries`] into a writer.
pub fn write_entries(kg: &KnowledgeGraph, out: &mut dyn Write) -> Result<(), Error> {
    let mut rows = Rows::new(out, ENTRY_COLUMNS);
    let (mut names, mut media, mut urls) = (Vec::new(), Vec::new(), Vec::new());
    let mut joined = String::new();
    for (index, node) in kg.nodes() {
        let NodeKind::Entry { title, description, line, attributes } = &node.kind else {
            continue;
        };
        media.clear();
        urls.clear();
        for l in kg.targets(index, |e| matches!(e, Edge::EntryHasLink(_))) {
            if let NodeKind::Link { url, .. } = &kg.node(l).kind {
                urls.push(url.as_str());
            }
            for m in kg.targets(l, |e| e == Edge::LinkMediaType) {
                let label = kg.node(m).label();
                if !media.contains(&label) {
                    media.push(label);
                }
            }
        }
        let source = match kg.list_of(index).map(|l| &kg.node(l).kind) {
            Some(NodeKind::List { source, .. }) => source.as_str(),
            _ => "",
        };
        rows.text(&node.key);
        rows.cell(title);
        rows.cell(description.as_deref().unwrap_or(""));
        let section = kg.targets(index, |e| e == Edge::EntryInSection).first().copied();
        section_path(kg, section, &mut names, &mut joined);
        rows.cell(&joined);
        let orgs = kg.targets(index, |e| e == Edge::EntryMentionsOrganization);
        join_into(&mut joined, orgs.iter().map(|&o| kg.node(o).label()), "; ");
        rows.cell(&joined);
        join_into(&mut joined, media.iter().copied(), "; ");
        rows.text(&joined);
        join_into(&mut joined, urls.iter().copied(), " ");
        rows.cell(&joined);
        joined.clear();
        for (i, (name, value)) in attributes.iter().enumerate() {
            if i > 0 {
                joined.push_str("; ");
            }
            joined.push_str(name);
            joined.push_str(": ");
            joined.push_str(value);
        }
        rows.cell(&joined);
        rows.cell(source);
        rows.number(*line);
        rows.end()?;
    }
    rows.finish()
}

const LINK_COLUMNS: &[&str] = &["id", "entry", "position", "label", "url", "media_type", "site", "publisher"];

/// `links.csv`: one row per link of an entry.
pub fn links(kg: &KnowledgeGraph) -> Result<Vec<u8>, Error> {
    bytes(|w| write_links(kg, w))
}

/// [`links`] into a writer.
pub fn write_links(kg: &KnowledgeGraph, out: &mut dyn Write) -> Result<(), Error> {
    let mut rows = Rows::new(out, LINK_COLUMNS);
    for (index, node) in kg.nodes() {
        if !matches!(node.kind, NodeKind::Entry { .. }) {
            continue;
        }
        for (i, l) in kg.targets(index, |e| matches!(e, Edge::EntryHasLink(_))).into_iter().enumerate() {
            let link = kg.node(l);
            let NodeKind::Link { label, url } = &link.kind else {
                continue;
            };
            let first = |edge: Edge| kg.targets(l, |e| e == edge).first().map_or("", |&n| kg.node(n).label());
            rows.text(&link.key);
            rows.text(&node.key);
            rows.number(i + 1);
            rows.cell(label);
            rows.cell(url);
            rows.text(first(Edge::LinkMediaType));
            rows.cell(first(Edge::LinkOnSite));
            rows.cell(first(Edge::LinkPublishedByOrganization));
            rows.end()?;
        }
    }
    rows.finish()
}

/// Gephi's node table: `Id` and `Label`, then our own columns.
const NODE_COLUMNS: &[&str] = &["Id", "Label", "Kind", "Url", "Line"];

/// `nodes.csv`: every node with its kind.
pub fn nodes(kg: &KnowledgeGraph) -> Result<Vec<u8>, Error> {
    bytes(|w| write_nodes(kg, w))
}

/// [`nodes`] into a writer.
pub fn write_nodes(kg: &KnowledgeGraph, out: &mut dyn Write) -> Result<(), Error> {
    let mut rows = Rows::new(out, NODE_COLUMNS);
    let mut wikidata = String::new();
    for (_, node) in kg.nodes() {
        rows.text(&node.key);
        rows.cell(node.label());
        rows.text(node.kind.name());
        let line = match &node.kind {
            NodeKind::Link { url, .. } => {
                rows.cell(url);
                None
            }
            NodeKind::Entry { line, .. } | NodeKind::Section { line, .. } => {
                rows.text("");
                Some(*line)
            }
            NodeKind::Organization { wikidata: Some(q), .. } => {
                join_into(&mut wikidata, [crate::vocab::WIKIDATA, q.as_str()], "");
                rows.text(&wikidata);
                None
            }
            _ => {
                rows.text("");
                None
            }
        };
        match line {
            Some(line) => rows.number(line),
            None => rows.text(""),
        }
        rows.end()?;
    }
    rows.finish()
}

/// Gephi's edge table: `Source`, `Target`, `Type` (directed) and `Label`.
const EDGE_COLUMNS: &[&str] = &["Source", "Target", "Type", "Label"];

/// `edges.csv`: every edge, directed, labelled with its kind.
pub fn edges(kg: &KnowledgeGraph) -> Result<Vec<u8>, Error> {
    bytes(|w| write_edges(kg, w))
}

/// [`edges`] into a writer.
pub fn write_edges(kg: &KnowledgeGraph, out: &mut dyn Write) -> Result<(), Error> {
    let mut rows = Rows::new(out, EDGE_COLUMNS);
    for (from, to, edge) in kg.edges() {
        rows.text(&from.key);
        rows.text(&to.key);
        rows.text("Directed");
        rows.text(edge.name());
        rows.end()?;
    }
    rows.finish()
}

#[cfg(test)]
mod tests {
    use super::{cell, Rows};
    use proptest::prelude::*;

    const HEADER: &[&str] = &["a", "b,c", "d\"e"];

    /// What the csv crate writes for `rows` under [`HEADER`], with the same line ends.
    fn csv_crate(rows: &[Vec<String>]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
        w.write_record(HEADER).unwrap();
        for row in rows {
            w.write_record(row).unwrap();
        }
        w.into_inner().unwrap()
    }

    proptest! {
        /// Any text, commas, quotes and line breaks included: the csv crate's bytes.
        #[test]
        fn rows_are_written_as_the_csv_crate_writes_them(
            rows in proptest::collection::vec(proptest::collection::vec("[a,\"\r\n=é ]{0,6}|\\PC{0,40}", 3), 0..6)
        ) {
            let mut ours = Vec::new();
            let mut w = Rows::new(&mut ours, HEADER);
            for row in &rows {
                w.text(&row[0]);
                w.cell(&row[1]);
                w.number(row[2].len());
                w.end().unwrap();
            }
            w.finish().unwrap();
            let expected: Vec<Vec<String>> =
                rows.iter().map(|r| vec![r[0].clone(), cell(&r[1]).into_owned(), r[2].len().to_string()]).collect();
            prop_assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(csv_crate(&expected)).unwrap());
        }
    }

    /// A list without entries: entries.csv and links.csv are their headers alone.
    #[test]
    fn a_table_without_rows_is_its_header() {
        let gazetteer = crate::extract::Gazetteer::bundled();
        let document = crate::parse::parse("# Empty\n\nNothing listed yet.\n");
        let lists = vec![crate::extract::extract(&document, "empty", "empty.md", &gazetteer)];
        let kg = crate::graph::KnowledgeGraph::build(&lists, gazetteer.organizations());
        let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
        assert_eq!(text(super::entries(&kg).unwrap()), format!("{}\n", super::ENTRY_COLUMNS.join(",")));
        assert_eq!(text(super::links(&kg).unwrap()), "id,entry,position,label,url,media_type,site,publisher\n");
        assert_eq!(text(super::nodes(&kg).unwrap()).lines().count(), 2, "the header and the list");
    }

    #[test]
    fn quotes_fields_that_need_it() {
        let mut out = Vec::new();
        let mut w = Rows::new(&mut out, HEADER);
        for field in ["plain", "", "a,b", "say \"hi\"", "two\nlines", "=1+\"2\""] {
            w.cell(field);
        }
        w.end().unwrap();
        w.finish().unwrap();
        let expected = "a,\"b,c\",\"d\"\"e\"\nplain,,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"'=1+\"\"2\"\"\"\n";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("Plain = text"), "Plain = text");
    }
}
