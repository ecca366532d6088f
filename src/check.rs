//! `awesome-kg check`: a lint of lists for what the graph needs. Each finding names the file
//! and line; `stats` measures how many linked items became entries.

use crate::extract::{host_and_path, media_from_label};
use crate::model::List;
use crate::parse::{Document, ItemKind, Segment};
use serde::Serialize;
use std::collections::HashMap;

/// How serious a finding is; any `Error` makes `check` exit non-zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
}

/// One finding: `file:line: level: message [code]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub file: String,
    /// 1-based line; 0 when the finding is about the whole file.
    pub line: usize,
    pub level: Level,
    pub code: &'static str,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
        };
        if self.line == 0 {
            write!(f, "{}: {level}: {} [{}]", self.file, self.message, self.code)
        } else {
            write!(f, "{}:{}: {level}: {} [{}]", self.file, self.line, self.message, self.code)
        }
    }
}

/// How many linked items of a list became entries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub file: String,
    /// List items, table rows and HTML lines that carry an external, non-badge link.
    pub linked_items: usize,
    pub entries: usize,
    /// Linked items that did not become an entry.
    pub missed: usize,
    pub sections: usize,
    pub links: usize,
}

impl Stats {
    /// Share of linked items that did not become entries, in percent.
    pub fn missed_percent(&self) -> f64 {
        if self.linked_items == 0 {
            0.0
        } else {
            100.0 * self.missed as f64 / self.linked_items as f64
        }
    }
}

/// Section names that awesome lists keep without entries.
const HOUSEKEEPING: &[&str] = &[
    "contents",
    "table of contents",
    "license",
    "contributing",
    "contribute",
    "contributors",
    "footnotes",
    "credits",
    "sponsors",
    "backers",
    "related",
    "related lists",
    "acknowledgements",
    "acknowledgments",
    "about",
    "index",
];

/// Lines of `source` that start a list item or table row (outside fenced code) and carry an
/// external, non-badge, non-image http(s) link, found from the raw text alone so that they
/// measure the parser rather than repeat it.
pub fn raw_linked_lines(source: &str, table_rows: &std::collections::HashSet<usize>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    for (i, line) in source.lines().enumerate() {
        let t = line.trim_start();
        let marker = if t.starts_with("```") {
            Some("```")
        } else if t.starts_with("~~~") {
            Some("~~~")
        } else {
            None
        };
        if let Some(m) = marker {
            fence = match fence {
                Some(open) if open == m => None,
                None => Some(m),
                other => other,
            };
            continue;
        }
        if fence.is_some() {
            continue;
        }
        let t = t.trim_start_matches(['>', ' ']);
        let unstruck = strip_strikethrough(t);
        let t = unstruck.as_str();
        let list_item = t.starts_with(['-', '*', '+']) && t[1..].starts_with([' ', '\t'])
            || t.find(['.', ')']).is_some_and(|i| {
                i > 0 && i < 10 && t[..i].bytes().all(|b| b.is_ascii_digit()) && t[i + 1..].starts_with(' ')
            });
        let table_row = t.starts_with('|') || table_rows.contains(&(i + 1));
        if (list_item || table_row) && raw_urls(t).any(|u| crate::extract::is_resource(u, false)) {
            out.push(i + 1);
        }
    }
    out
}

/// The line without `~~struck-out~~` spans.
fn strip_strikethrough(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut parts = line.split("~~");
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    let rest: Vec<&str> = parts.collect();
    // Pairs of markers enclose struck text; an unpaired last marker is literal.
    for (i, part) in rest.iter().enumerate() {
        let struck = i % 2 == 0 && i + 1 < rest.len();
        if !struck {
            if i % 2 == 0 {
                out.push_str("~~");
            }
            out.push_str(part);
        }
    }
    out
}

/// The http(s) URLs in a raw Markdown line, leaving out images (`![…](url)`, `<img src>`).
fn raw_urls(line: &str) -> impl Iterator<Item = &str> {
    let mut from = 0;
    std::iter::from_fn(move || loop {
        let i = from + crate::parse::find_url_start(&line[from..])?;
        let before = &line[..i];
        let tail = &line[i..];
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | ']' | '>' | '"' | '\'' | '<' | '|'))
            .unwrap_or(tail.len());
        from = i + end.max(1);
        let image = is_image_target(before) || before.trim_end_matches(['"', '\'', '=']).ends_with("src");
        if !image {
            return Some(&tail[..end]);
        }
    })
}

/// Whether the URL after `before` is the target of an image (`![alt](url)`) or of a link that
/// wraps only an image (`[![badge](img)](url)`).
fn is_image_target(before: &str) -> bool {
    let Some(text_end) = before.strip_suffix("](") else { return false };
    let mut depth = 0usize;
    // Link texts are short; looking back further would make long lines quadratic.
    for (i, c) in text_end.char_indices().rev().take(2_000) {
        match c {
            ']' => depth += 1,
            '[' if depth == 0 => {
                let text = text_end[i + 1..].trim();
                let only_image = text.starts_with("![") && text.ends_with(')')
                    || text.starts_with("<img") && text.ends_with('>') && text.matches('<').count() == 1;
                return text_end[..i].ends_with('!') || only_image;
            }
            '[' => depth -= 1,
            _ => {}
        }
    }
    false
}

/// Lints one parsed and extracted list; `source` is the file's text.
pub fn check(file: &str, source: &str, doc: &Document, list: &List) -> (Vec<Finding>, Stats) {
    let mut findings = Vec::new();
    let mut add = |line: usize, level: Level, code: &'static str, message: String| {
        findings.push(Finding { file: file.to_owned(), line, level, code, message });
    };

    // Headings with at least one entry below them (for "no link" and "empty section").
    let mut entries_per_section = vec![0usize; list.sections.len()];
    for e in &list.entries {
        let mut s = e.section;
        while let Some(i) = s {
            entries_per_section[i] += 1;
            s = list.sections[i].parent;
        }
    }
    let mut has_child = vec![false; doc.items.len()];
    for item in &doc.items {
        if let Some(p) = item.parent {
            has_child[p] = true;
        }
    }
    let heading_has_entries: HashMap<usize, bool> = list
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.level <= 6)
        .map(|(i, s)| (s.line, entries_per_section[i] > 0))
        .collect();

    for (i, item) in doc.items.iter().enumerate() {
        let in_entry_section = item
            .heading
            .map(|h| doc.headings[h].line)
            .and_then(|l| heading_has_entries.get(&l))
            .copied()
            .unwrap_or(true);
        let links: Vec<(&str, &str)> = item
            .segments
            .iter()
            .filter_map(|s| match s {
                Segment::Link { label, url, .. } => Some((&**label, &**url)),
                Segment::Text(_) => None,
            })
            .collect();
        if item.kind == ItemKind::ListItem && links.is_empty() && !has_child[i] && in_entry_section {
            let text = item.plain_text();
            if !text.trim().is_empty() {
                add(item.line, Level::Warning, "no-link", format!("item has no link: {:?}", truncate(text.trim(), 60)));
            }
        }
        for (_, url) in &links {
            let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
            let external = scheme.as_deref().is_some_and(|s| s.chars().all(|c| c.is_ascii_alphanumeric() || c == '+'));
            if external && !matches!(scheme.as_deref(), Some("http" | "https")) {
                add(item.line, Level::Warning, "non-http-link", format!("link is not http(s): {url}"));
            } else if matches!(scheme.as_deref(), Some("http" | "https")) && host_and_path(url).is_none() {
                add(item.line, Level::Warning, "bad-url", format!("link has no valid host: {url}"));
            }
        }
    }

    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    for entry in &list.entries {
        for link in &entry.links {
            match first_seen.get(link.url.as_str()) {
                Some(&line) if line != entry.line => add(
                    entry.line,
                    Level::Warning,
                    "duplicate-url",
                    format!("URL also listed at line {line}: {}", link.url),
                ),
                Some(_) => {}
                None => {
                    first_seen.insert(&link.url, entry.line);
                }
            }
            let is_title_link = link.label == entry.title;
            if !is_title_link && link.label.split_whitespace().count() <= 4 && media_from_label(&link.label).is_none() {
                add(
                    entry.line,
                    Level::Info,
                    "unknown-media-label",
                    format!("label {:?} names no media type; typed {} from its URL", link.label, link.media_type),
                );
            }
        }
        if entry.links.first().is_some_and(|l| l.url == entry.title) {
            add(
                entry.line,
                Level::Warning,
                "untitled-entry",
                format!("entry has no title but its URL: {}", entry.title),
            );
        }
    }

    if !list.entries.is_empty() {
        for (i, s) in list.sections.iter().enumerate() {
            let housekeeping = HOUSEKEEPING.contains(&s.name.to_lowercase().trim_end_matches(':'));
            if entries_per_section[i] == 0 && s.level <= 6 && !housekeeping {
                add(s.line, Level::Warning, "empty-section", format!("section {:?} has no entry", s.name));
            }
        }
    }

    let entry_lines: std::collections::HashSet<usize> = list.entries.iter().map(|e| e.line).collect();
    let table_rows = doc.items.iter().filter(|i| matches!(i.kind, ItemKind::TableRow { .. })).map(|i| i.line).collect();
    let raw = raw_linked_lines(source, &table_rows);
    let mut missed = 0;
    for &line in &raw {
        if !entry_lines.contains(&line) {
            missed += 1;
            add(line, Level::Error, "not-interpreted", "item has an external link but became no entry".to_owned());
        }
    }
    let linked_items = raw.len();
    findings.sort_by(|a, b| (a.line, a.level, a.code, &a.message).cmp(&(b.line, b.level, b.code, &b.message)));
    let stats = Stats {
        file: file.to_owned(),
        linked_items,
        entries: list.entries.len(),
        missed,
        sections: list.sections.len(),
        links: list.link_count(),
    };
    (findings, stats)
}

fn truncate(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::raw_linked_lines;

    #[test]
    fn raw_lines_with_links() {
        let md =
            "- [A](https://a.org)\n- ![img](https://i.org/x.png)\n- [![b](https://img.shields.io/x)](https://ci.org)\n\
                  ```\n- [C](https://c.org)\n```\n| [D](https://d.org) | x |\n1. see https://e.org\n- [F](#f)\n";
        assert_eq!(raw_linked_lines(md, &Default::default()), [1, 7, 8]);
        let html = "| [<img src=\"https://i.org/a.png\" />](https://i.org/a.png) |\nA | [B](https://b.org)\n";
        assert_eq!(raw_linked_lines(html, &Default::default()), Vec::<usize>::new());
        assert_eq!(raw_linked_lines(html, &[2].into_iter().collect()), [2]);
    }
}
