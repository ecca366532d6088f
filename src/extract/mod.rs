//! Parsed Markdown → the [`model`](crate::model): sections from headings, entries from list
//! items, each link classified by media type, site and publisher, each entry by the
//! organizations it mentions.

mod media;
mod orgs;
mod url;

pub use media::{classify as classify_media, from_label as media_from_label, from_url as media_from_url};
pub use orgs::{contains_word, Gazetteer, BUNDLED_CSV};
pub use url::{host_and_path, is_http};

use crate::model::{Entry, Link, List, Section};
use crate::parse::{Document, Segment};

/// Separators between title, description and links in the seed's style.
const DASHES: [&str; 3] = [" - ", " – ", " — "];

/// Builds the model of one list. `id` is the list's stable id, `source` its file as named by the
/// user; `fallback_title` is used when the document has no H1.
pub fn extract(doc: &Document, id: &str, source: &str, fallback_title: &str, gazetteer: &Gazetteer) -> List {
    let title_heading = doc.headings.iter().position(|h| h.level == 1);
    let title = title_heading
        .map(|i| doc.headings[i].text.clone())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| fallback_title.to_owned());

    // Heading index → section index; the title heading is no section.
    let mut section_of_heading: Vec<Option<usize>> = Vec::with_capacity(doc.headings.len());
    let mut sections: Vec<Section> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for (i, h) in doc.headings.iter().enumerate() {
        if Some(i) == title_heading {
            section_of_heading.push(None);
            open.clear();
            continue;
        }
        while open.last().is_some_and(|&s| sections[s].level >= h.level) {
            open.pop();
        }
        sections.push(Section {
            name: h.text.clone(),
            level: h.level,
            parent: open.last().copied(),
            line: h.line,
        });
        open.push(sections.len() - 1);
        section_of_heading.push(Some(sections.len() - 1));
    }

    let entries = doc
        .items
        .iter()
        .filter_map(|item| {
            let section = item.heading.and_then(|h| section_of_heading[h]);
            entry_from_segments(&item.segments, section, item.line, gazetteer)
        })
        .collect();

    List {
        id: id.to_owned(),
        title,
        source: source.to_owned(),
        sections,
        entries,
    }
}

/// Interprets one item's inline content; `None` when it has no http(s) link.
fn entry_from_segments(
    segments: &[Segment],
    section: Option<usize>,
    line: usize,
    gazetteer: &Gazetteer,
) -> Option<Entry> {
    let is_http_link = |s: &Segment| matches!(s, Segment::Link { url, .. } if is_http(url));
    let first = segments.iter().position(is_http_link)?;
    let prefix = text_of(&segments[..first]);
    let prefix = prefix.trim_matches(|c: char| c.is_whitespace() || c == '*' || c == '_');

    let (title, description, label_is_title) = if prefix.is_empty() {
        // "[Name](url) - text": the link names the entry.
        let Segment::Link { label, .. } = &segments[first] else {
            unreachable!()
        };
        let rest = text_of(&segments[first + 1..]);
        (label.clone(), non_empty(trim_separators(&rest)), true)
    } else {
        // "Title - description - [Label](url), [Label](url)".
        let mut parts = split_dashes(prefix)
            .into_iter()
            .map(trim_separators)
            .filter(|p| !p.is_empty());
        let title = parts.next().unwrap_or_default().to_owned();
        let description = parts.collect::<Vec<_>>().join(" - ");
        (title, non_empty(&description), false)
    };

    let links = segments
        .iter()
        .enumerate()
        .filter_map(|(i, seg)| match seg {
            Segment::Link { label, url } => {
                let (site, path) = host_and_path(url)?;
                let media_label = if label_is_title && i == first {
                    None
                } else {
                    Some(label.as_str())
                };
                Some(Link {
                    label: label.clone(),
                    url: url.clone(),
                    media_type: media::classify(media_label, &site, path),
                    publisher: gazetteer.publisher(&site, path).map(|o| o.id.clone()),
                    site,
                })
            }
            Segment::Text(_) => None,
        })
        .collect();

    let mut mentions = gazetteer.mentions(&title);
    if let Some(d) = &description {
        mentions.extend(gazetteer.mentions(d));
        mentions.sort();
        mentions.dedup();
    }
    let title = if title.is_empty() {
        "(untitled)".to_owned()
    } else {
        title
    };
    Some(Entry {
        title,
        description,
        section,
        line,
        links,
        mentions,
    })
}

/// Text of segments with links replaced by their labels.
fn text_of(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|s| match s {
            Segment::Text(t) => t.as_str(),
            Segment::Link { label, .. } => label.as_str(),
        })
        .collect()
}

fn split_dashes(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some((i, dash)) = DASHES.iter().filter_map(|d| rest.find(d).map(|i| (i, d))).min() {
        parts.push(&rest[..i]);
        rest = &rest[i + dash.len()..];
    }
    parts.push(rest);
    parts
}

/// Trims white space and leading or trailing separators ("-", "–", "—", ":", ",", "|").
fn trim_separators(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—' | ':' | ',' | '|' | '*' | '_'))
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}
