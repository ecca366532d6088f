//! The graph as CSV for spreadsheets and graph tools: `entries.csv`, `links.csv`, and
//! `nodes.csv` + `edges.csv` in the column layout Gephi's spreadsheet importer reads
//! (`Id,Label` for nodes; `Source,Target,Type,Label` for edges).
//!
//! Every text cell goes through [`cell`], which neutralises what a spreadsheet would run as a
//! formula.

use crate::error::Error;
use crate::graph::{Edge, KnowledgeGraph, NodeKind};
use petgraph::graph::NodeIndex;
use serde::Serialize;
use std::borrow::Cow;
use std::io::Write;

/// A text cell made safe for spreadsheets: a cell starting with `=`, `+`, `-`, `@`, tab or
/// carriage return gets a leading `'`, so it is shown as text instead of being evaluated.
pub fn cell(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Writes rows with a header, RFC 4180 quoting, `\n` line ends.
pub fn to_csv<R: Serialize>(rows: impl IntoIterator<Item = R>) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    write_csv(&mut out, rows)?;
    Ok(out)
}

/// [`to_csv`] into a writer, a row at a time.
pub fn write_csv<R: Serialize>(out: &mut dyn Write, rows: impl IntoIterator<Item = R>) -> Result<(), Error> {
    let err = |e: csv::Error| Error::Export { what: "CSV".to_owned(), message: e.to_string() };
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
    for row in rows {
        w.serialize(row).map_err(err)?;
    }
    w.flush().map_err(|e| Error::Export { what: "CSV".to_owned(), message: e.to_string() })
}

/// The bytes `write` writes.
fn bytes(write: impl FnOnce(&mut dyn Write) -> Result<(), Error>) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    write(&mut out)?;
    Ok(out)
}

#[derive(Serialize)]
struct EntryRow<'a> {
    id: &'a str,
    title: Cow<'a, str>,
    description: Cow<'a, str>,
    section: String,
    organizations: String,
    media_types: String,
    urls: String,
    attributes: String,
    source: Cow<'a, str>,
    line: usize,
}

#[derive(Serialize)]
struct LinkRow<'a> {
    id: &'a str,
    entry: &'a str,
    position: usize,
    label: Cow<'a, str>,
    url: Cow<'a, str>,
    media_type: &'a str,
    site: Cow<'a, str>,
    publisher: Cow<'a, str>,
}

#[derive(Serialize)]
struct NodeRow<'a> {
    #[serde(rename = "Id")]
    id: &'a str,
    #[serde(rename = "Label")]
    label: Cow<'a, str>,
    #[serde(rename = "Kind")]
    kind: &'a str,
    #[serde(rename = "Url")]
    url: Cow<'a, str>,
    #[serde(rename = "Line")]
    line: Option<usize>,
}

#[derive(Serialize)]
struct EdgeRow<'a> {
    #[serde(rename = "Source")]
    source: &'a str,
    #[serde(rename = "Target")]
    target: &'a str,
    #[serde(rename = "Type")]
    direction: &'a str,
    #[serde(rename = "Label")]
    label: &'a str,
}

fn joined(kg: &KnowledgeGraph, nodes: &[NodeIndex]) -> String {
    nodes.iter().map(|&n| kg.node(n).label()).collect::<Vec<_>>().join("; ")
}

/// The section path of a section node, outermost first, joined with " > ".
fn section_path(kg: &KnowledgeGraph, section: Option<NodeIndex>) -> String {
    let mut names = Vec::new();
    let mut cur = section;
    while let Some(s) = cur {
        names.push(kg.node(s).label());
        cur = kg.targets(s, |e| e == Edge::SubsectionOf).first().copied();
    }
    names.reverse();
    names.join(" > ")
}

/// `entries.csv`: one row per entry.
pub fn entries(kg: &KnowledgeGraph) -> Result<Vec<u8>, Error> {
    bytes(|w| write_entries(kg, w))
}

/// [`entries`] into a writer.
pub fn write_entries(kg: &KnowledgeGraph, out: &mut dyn Write) -> Result<(), Error> {
    let rows = kg.nodes().filter_map(|(index, node)| {
        let NodeKind::Entry { title, description, line, attributes } = &node.kind else {
            return None;
        };
        let links = kg.targets(index, |e| matches!(e, Edge::EntryHasLink(_)));
        let mut media: Vec<&str> = Vec::new();
        let mut urls: Vec<&str> = Vec::new();
        for &l in &links {
            if let NodeKind::Link { url, .. } = &kg.node(l).kind {
                urls.push(url);
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
        let section = kg.targets(index, |e| e == Edge::EntryInSection).first().copied();
        let orgs = joined(kg, &kg.targets(index, |e| e == Edge::EntryMentionsOrganization));
        Some(EntryRow {
            id: &node.key,
            title: cell(title),
            description: cell(description.as_deref().unwrap_or("")),
            section: cell(&section_path(kg, section)).into_owned(),
            organizations: cell(&orgs).into_owned(),
            media_types: media.join("; "),
            urls: cell(&urls.join(" ")).into_owned(),
            attributes: cell(&attributes.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("; "))
                .into_owned(),
            source: cell(source),
            line: *line,
        })
    });
    write_csv(out, rows)
}

/// `links.csv`: one row per link of an entry.
pub fn links(kg: &KnowledgeGraph) -> Result<Vec<u8>, Error> {
    bytes(|w| write_links(kg, w))
}

/// [`links`] into a writer.
pub fn write_links(kg: &KnowledgeGraph, out: &mut dyn Write) -> Result<(), Error> {
    let entries = kg.nodes().filter(|(_, node)| matches!(node.kind, NodeKind::Entry { .. }));
    let rows = entries.flat_map(|(index, node)| {
        let links = kg.targets(index, |e| matches!(e, Edge::EntryHasLink(_)));
        links.into_iter().enumerate().filter_map(move |(i, l)| {
            let link = kg.node(l);
            let NodeKind::Link { label, url } = &link.kind else {
                return None;
            };
            let first = |edge: Edge| kg.targets(l, |e| e == edge).first().map(|&n| kg.node(n).label());
            Some(LinkRow {
                id: &link.key,
                entry: &node.key,
                position: i + 1,
                label: cell(label),
                url: cell(url),
                media_type: first(Edge::LinkMediaType).unwrap_or(""),
                site: cell(first(Edge::LinkOnSite).unwrap_or("")),
                publisher: cell(first(Edge::LinkPublishedByOrganization).unwrap_or("")),
            })
        })
    });
    write_csv(out, rows)
}

/// `nodes.csv`: every node with its kind.
pub fn nodes(kg: &KnowledgeGraph) -> Result<Vec<u8>, Error> {
    bytes(|w| write_nodes(kg, w))
}

/// [`nodes`] into a writer.
pub fn write_nodes(kg: &KnowledgeGraph, out: &mut dyn Write) -> Result<(), Error> {
    write_csv(
        out,
        kg.nodes().map(|(_, node)| {
            let (url, line): (Cow<'_, str>, Option<usize>) = match &node.kind {
                NodeKind::Link { url, .. } => (cell(url), None),
                NodeKind::Entry { line, .. } | NodeKind::Section { line, .. } => ("".into(), Some(*line)),
                NodeKind::Organization { wikidata: Some(q), .. } => {
                    (format!("{}{q}", crate::vocab::WIKIDATA).into(), None)
                }
                _ => ("".into(), None),
            };
            NodeRow { id: &node.key, label: cell(node.label()), kind: node.kind.name(), url, line }
        }),
    )
}

/// `edges.csv`: every edge, directed, labelled with its kind.
pub fn edges(kg: &KnowledgeGraph) -> Result<Vec<u8>, Error> {
    bytes(|w| write_edges(kg, w))
}

/// [`edges`] into a writer.
pub fn write_edges(kg: &KnowledgeGraph, out: &mut dyn Write) -> Result<(), Error> {
    write_csv(
        out,
        kg.edges().map(|(from, to, edge)| EdgeRow {
            source: &from.key,
            target: &to.key,
            direction: "Directed",
            label: edge.name(),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::cell;

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
