//! The graph as Graphviz DOT: each list and section a cluster holding its entries and their
//! links; media types, organizations and sites around them; shape and colour by kind; a legend.
//! Every label and id passes through one escaper, [`escape`].

use crate::graph::{Edge, KnowledgeGraph, NodeKind};
use petgraph::graph::NodeIndex;
use std::fmt::{self, Write};

/// Escapes text for a double-quoted DOT string: `\` and `"` are escaped, line breaks become
/// `\n`, other control characters are dropped. Graphviz's own escapes (`\N`, `\l`, …) therefore
/// never appear by accident.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    escape_into(&mut out, s);
    out
}

/// [`escape`] appending to `out`; runs without anything to escape are copied whole.
fn escape_into(out: &mut String, s: &str) {
    let mut start = 0;
    loop {
        // Control characters are C0 (below 0x20), DEL and C1 (U+0080..U+009F, led by 0xC2).
        let special = |b: u8| (b < 0x20) | (b == b'\\') | (b == b'"') | (b == 0x7f) | (b == 0xc2);
        let at = start + super::scan::plain_run(&s.as_bytes()[start..], special);
        let Some(c) = s[at..].chars().next() else { break };
        let escaped = match c {
            '\\' => "\\\\",
            '"' => "\\\"",
            '\n' => "\\n",
            c if c.is_control() => "",
            // A character led by 0xC2 that is not a control character.
            c => {
                out.push_str(&s[start..at + c.len_utf8()]);
                start = at + c.len_utf8();
                continue;
            }
        };
        out.push_str(&s[start..at]);
        out.push_str(escaped);
        start = at + c.len_utf8();
    }
    out.push_str(&s[start..]);
}

/// DOT text on its way to the formatter: pieces are gathered into a buffer handed on every
/// 64 KiB, so a graph of millions of nodes is never held whole in memory; the first error is kept.
struct Out<'a, 'f> {
    buf: String,
    f: &'a mut fmt::Formatter<'f>,
    result: fmt::Result,
    /// Where a label is wrapped before it is escaped, kept from node to node.
    label: String,
}

impl Out<'_, '_> {
    /// Appends `s` escaped (see [`escape`]).
    fn escaped(&mut self, s: &str) {
        escape_into(&mut self.buf, s);
    }

    /// Hands the buffer on once it holds 64 KiB.
    fn flush_full(&mut self) {
        if self.buf.len() >= 1 << 16 {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.result.is_ok() {
            self.result = self.f.write_str(&self.buf);
        }
        self.buf.clear();
    }
}

impl Write for Out<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.buf.push_str(s);
        self.flush_full();
        Ok(())
    }
}

/// Longest label or tooltip written, in characters: Graphviz rejects strings over 16 KiB, and a
/// picture cannot show more anyway.
const MAX_LABEL_CHARS: usize = 160;

/// `text` cut to [`MAX_LABEL_CHARS`] characters, with "…" when cut.
fn shorten(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= MAX_LABEL_CHARS {
        return text.into(); // no more characters than bytes
    }
    match text.char_indices().nth(MAX_LABEL_CHARS) {
        Some((i, _)) => format!("{}…", &text[..i]).into(),
        None => text.into(),
    }
}

/// Breaks `text` (shortened) into lines of about `width` characters at spaces.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    wrap_into(&mut out, text, width);
    out
}

/// [`wrap`] into `out`, which is cleared first.
fn wrap_into(out: &mut String, text: &str, width: usize) {
    out.clear();
    let text = shorten(text);
    let mut line_len = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > width {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
    }
}

/// Node attributes by kind: shape, fill colour.
fn style(kind: &NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::List { .. } => ("folder", "#c9daf8"),
        NodeKind::Section { .. } => ("tab", "#eeeeee"),
        NodeKind::Entry { .. } => ("box", "#fff2cc"),
        NodeKind::Link { .. } => ("note", "#ffffff"),
        NodeKind::Url { .. } => ("plaintext", "#ffffff"),
        NodeKind::MediaType(_) => ("ellipse", "#d9ead3"),
        NodeKind::Organization { .. } => ("hexagon", "#f4cccc"),
        NodeKind::Site { .. } => ("component", "#e8e8f4"),
    }
}

/// Edge attributes by kind; `None` for edges that cluster membership already shows.
fn edge_style(edge: Edge) -> Option<&'static str> {
    match edge {
        // Cluster membership shows these; a link's URL is its tooltip.
        Edge::SectionOfList | Edge::SubsectionOf | Edge::EntryInSection | Edge::EntryInList | Edge::LinkToUrl => None,
        Edge::EntryHasLink(_) => Some("color=\"#888888\""),
        Edge::LinkMediaType => Some("color=\"#6aa84f\""),
        Edge::LinkOnSite => Some("color=\"#8e7cc3\", style=dashed"),
        Edge::EntryMentionsOrganization => Some("color=\"#cc0000\", penwidth=1.6"),
        Edge::LinkPublishedByOrganization => Some("color=\"#cc0000\", style=dashed"),
    }
}

/// A `Display` adapter writing `kg` as DOT.
pub struct Dot<'a>(pub &'a KnowledgeGraph);

impl Dot<'_> {
    /// Writes a node's line, piece by piece rather than through `write!` (with the changes beside
    /// it, graph.dot of a million entries took 2.57-3.27 s of CPU before, 2.00-2.54 s after).
    fn node(&self, f: &mut Out<'_, '_>, indent: &str, index: NodeIndex) {
        let node = self.0.node(index);
        let (shape, fill) = style(&node.kind);
        let (label, width) = match &node.kind {
            NodeKind::Entry { title, .. } => (title.as_str(), 32),
            NodeKind::Link { label, .. } => (label.as_str(), 24),
            _ => (node.label(), 32),
        };
        let tooltip = match &node.kind {
            NodeKind::Link { url, .. } => url.as_str(),
            _ => node.label(),
        };
        let mut wrapped = std::mem::take(&mut f.label);
        wrap_into(&mut wrapped, label, width);
        for piece in [indent, "\""] {
            f.buf.push_str(piece);
        }
        f.escaped(&node.key);
        f.buf.push_str("\" [label=\"");
        f.escaped(&wrapped);
        for piece in ["\", shape=", shape, ", fillcolor=\"", fill, "\", tooltip=\""] {
            f.buf.push_str(piece);
        }
        f.escaped(&shorten(tooltip));
        f.buf.push_str("\"];\n");
        f.label = wrapped;
        f.flush_full();
    }

    /// Writes the cluster of a list or section: its entries with their links, then subsections.
    fn cluster(&self, f: &mut Out<'_, '_>, depth: usize, index: NodeIndex) {
        let kg = self.0;
        let indent = "  ".repeat(depth);
        let node = kg.node(index);
        let (fill, pen) = if depth == 1 { ("#f7f9fc", "#6d9eeb") } else { ("#fbfbfb", "#b7b7b7") };
        let _ = writeln!(f, "{indent}subgraph \"cluster_{}\" {{", escape(&node.key));
        let _ = writeln!(
            f,
            "{indent}  label=\"{}\"; style=\"rounded,filled\"; fillcolor=\"{fill}\"; color=\"{pen}\"; fontsize={};",
            escape(&wrap(node.label(), 48)),
            if depth == 1 { 16 } else { 12 }
        );
        let members = kg.sources(index, |e| matches!(e, Edge::EntryInSection | Edge::EntryInList));
        let inner = format!("{indent}  ");
        for entry in members {
            self.node(f, &inner, entry);
            for link in kg.targets(entry, |e| matches!(e, Edge::EntryHasLink(_))) {
                self.node(f, &inner, link);
            }
        }
        for child in kg.sources(index, |e| matches!(e, Edge::SectionOfList | Edge::SubsectionOf)) {
            self.cluster(f, depth + 1, child);
        }
        let _ = writeln!(f, "{indent}}}");
    }

    fn legend(&self, f: &mut Out<'_, '_>) {
        let _ = f.write_str(
            "  subgraph cluster_legend {\n    label=\"Legend\"; style=\"rounded\"; color=\"#b7b7b7\"; fontsize=12;\n",
        );
        let samples = [
            NodeKind::Entry { title: String::new(), description: None, line: 0, attributes: Vec::new() },
            NodeKind::Link { label: String::new(), url: String::new() },
            NodeKind::MediaType(crate::model::MediaType::Blog),
            NodeKind::Organization { name: String::new(), wikidata: None },
            NodeKind::Site { host: String::new() },
        ];
        let mut previous: Option<&str> = None;
        for kind in &samples {
            let (shape, fill) = style(kind);
            let name = kind.name();
            let label = if name == "MediaType" { "Media type" } else { name };
            let _ = writeln!(f, "    \"legend/{name}\" [label=\"{label}\", shape={shape}, fillcolor=\"{fill}\"];");
            if let Some(p) = previous {
                let _ = writeln!(f, "    \"legend/{p}\" -> \"legend/{name}\" [style=invis];");
            }
            previous = Some(name);
        }
        let edges = [
            (Edge::EntryMentionsOrganization, "mentions"),
            (Edge::LinkPublishedByOrganization, "published by"),
            (Edge::LinkMediaType, "media type"),
            (Edge::LinkOnSite, "on site"),
        ];
        for (edge, label) in edges {
            let name = edge.name();
            let _ = writeln!(
                f,
                "    \"legend/{name}/a\" [label=\"\", shape=point, width=0.05];\n    \"legend/{name}/b\" [label=\"{label}\", shape=plaintext, style=\"\"];\n    \"legend/{name}/a\" -> \"legend/{name}/b\" [{}];",
                edge_style(edge).unwrap_or_default()
            );
        }
        let _ = f.write_str("  }\n");
    }
}

impl fmt::Display for Dot<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kg = self.0;
        let mut s = Out { buf: String::with_capacity(1 << 17), f, result: Ok(()), label: String::new() };
        let _ = s.write_str("digraph \"awesome-kg\" {\n");
        let _ = s.write_str("  graph [rankdir=LR, fontname=\"Helvetica\", nodesep=0.12, ranksep=0.9, newrank=true, outputorder=edgesfirst, tooltip=\"awesome-kg\"];\n");
        let _ = s.write_str("  node [fontname=\"Helvetica\", fontsize=10, style=filled, color=\"#666666\", margin=\"0.08,0.03\", height=0.3];\n");
        let _ = s.write_str("  edge [arrowsize=0.6];\n");
        for (index, node) in kg.nodes() {
            if let NodeKind::List { .. } = node.kind {
                self.cluster(&mut s, 1, index);
            }
        }
        // The shared nodes by kind, found in one pass over the nodes rather than one per kind.
        let kinds = ["MediaType", "Organization", "Site"];
        let mut shared: [Vec<NodeIndex>; 3] = Default::default();
        for (index, node) in kg.nodes() {
            if let Some(k) = kinds.iter().position(|&kind| kind == node.kind.name()) {
                shared[k].push(index);
            }
        }
        for (kind, nodes) in kinds.iter().zip(shared) {
            let _ = writeln!(s, "  subgraph \"kind_{kind}\" {{ rank=same;");
            for index in nodes {
                self.node(&mut s, "    ", index);
            }
            let _ = s.write_str("  }\n");
        }
        for (from, to, edge) in kg.edges() {
            if let Some(style) = edge_style(edge) {
                let _ = s.write_str("  \"");
                s.escaped(&from.key);
                let _ = s.write_str("\" -> \"");
                s.escaped(&to.key);
                for piece in ["\" [", style, "];\n"] {
                    let _ = s.write_str(piece);
                }
            }
        }
        self.legend(&mut s);
        let _ = s.write_str("}\n");
        s.flush();
        s.result
    }
}

/// Largest graph `build` draws as SVG: Graphviz's `dot` layout takes minutes beyond this.
pub const MAX_SVG_NODES: usize = 2_000;

/// Renders DOT to SVG with Graphviz's `dot`, if it is installed: `None` when it is not.
pub fn render_svg(dot: &str) -> Option<Result<Vec<u8>, String>> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let input = dot.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output();
    let wrote = writer.join();
    Some(match (output, wrote) {
        (Ok(out), Ok(Ok(()))) if out.status.success() => Ok(out.stdout),
        (Ok(out), _) => Err(String::from_utf8_lossy(&out.stderr).trim().to_owned()),
        (Err(e), _) => Err(e.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_quotes_backslashes_and_breaks() {
        assert_eq!(escape(r#"a "b" \N c"#), r#"a \"b\" \\N c"#);
        assert_eq!(escape("x\ny\u{7}"), "x\\ny");
    }

    proptest::proptest! {
        #[test]
        fn escaping_equals_one_character_at_a_time(s in "([a-z ]{0,40}[\"\\\\\x00-\x1f\x7f\u{80}-\u{a0}é¢\u{2028}]?){0,5}") {
            let reference: String = s
                .chars()
                .filter_map(|c| match c {
                    '\\' => Some("\\\\".to_owned()),
                    '"' => Some("\\\"".to_owned()),
                    '\n' => Some("\\n".to_owned()),
                    c if c.is_control() => None,
                    c => Some(c.to_string()),
                })
                .collect();
            proptest::prop_assert_eq!(escape(&s), reference);
        }
    }

    #[test]
    fn long_labels_are_shortened() {
        let long = "word ".repeat(10_000);
        let wrapped = wrap(&long, 32);
        assert!(wrapped.chars().count() <= MAX_LABEL_CHARS + 1, "{}", wrapped.len());
        assert!(wrapped.ends_with('…'));
    }

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(wrap("aa bb cc dd", 5), "aa bb\ncc dd");
        assert_eq!(wrap("averyveryverylongword x", 5), "averyveryverylongword\nx");
    }
}
