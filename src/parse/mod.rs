//! Markdown → headings and list items with their inline text and links, each with a 1-based
//! source line. This stage knows Markdown (through pulldown-cmark) and nothing about entries,
//! media types or organizations: [`crate::extract`] interprets what it returns.

mod lines;

pub use lines::LineIndex;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// What a Markdown file holds, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub headings: Vec<Heading>,
    pub items: Vec<Item>,
}

/// A heading: `level` 1 for `#`, its plain text, its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub line: usize,
}

/// A list item's own inline content (nested lists are items of their own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub line: usize,
    /// Index into [`Document::headings`] of the last heading before the item.
    pub heading: Option<usize>,
    /// Nesting depth: 0 for a top-level item.
    pub depth: usize,
    pub segments: Vec<Segment>,
}

/// A run of an item's inline content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Text(String),
    Link { label: String, url: String },
}

impl Item {
    /// The item's text with links replaced by their labels.
    pub fn plain_text(&self) -> String {
        let mut s = String::new();
        for seg in &self.segments {
            match seg {
                Segment::Text(t) => s.push_str(t),
                Segment::Link { label, .. } => s.push_str(label),
            }
        }
        s
    }
}

/// Parses Markdown. Never fails: anything pulldown-cmark accepts (any UTF-8) is a document.
pub fn parse(source: &str) -> Document {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let lines = LineIndex::new(source);
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut doc = Document::default();
    // Open items, innermost last, as indices into doc.items.
    let mut open_items: Vec<usize> = Vec::new();
    let mut heading: Option<(u8, String, usize)> = None;
    let mut link: Option<(String, String)> = None;

    for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level as u8, String::new(), lines.line_of(range.start)));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text, line)) = heading.take() {
                    let text = collapse_whitespace(&text);
                    doc.headings.push(Heading { level, text, line });
                }
            }
            Event::Start(Tag::Item) => {
                doc.items.push(Item {
                    line: lines.line_of(range.start),
                    heading: doc.headings.len().checked_sub(1),
                    depth: open_items.len(),
                    segments: Vec::new(),
                });
                open_items.push(doc.items.len() - 1);
            }
            Event::End(TagEnd::Item) => {
                open_items.pop();
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                link = Some((dest_url.into_string(), String::new()));
            }
            Event::End(TagEnd::Link) => {
                if let (Some((url, label)), Some(&i)) = (link.take(), open_items.last()) {
                    if heading.is_none() {
                        let label = collapse_whitespace(&label);
                        doc.items[i].segments.push(Segment::Link { label, url });
                    }
                }
            }
            Event::Text(text) | Event::Code(text) => push_text(&mut doc, &open_items, &mut heading, &mut link, &text),
            Event::SoftBreak | Event::HardBreak => push_text(&mut doc, &open_items, &mut heading, &mut link, " "),
            Event::End(TagEnd::Paragraph) => push_text(&mut doc, &open_items, &mut heading, &mut link, " "),
            _ => {}
        }
    }
    for item in &mut doc.items {
        normalize_segments(&mut item.segments);
    }
    doc
}

fn push_text(
    doc: &mut Document,
    open_items: &[usize],
    heading: &mut Option<(u8, String, usize)>,
    link: &mut Option<(String, String)>,
    text: &str,
) {
    if let Some((_, buf, _)) = heading {
        buf.push_str(text);
    } else if let Some((_, label)) = link {
        label.push_str(text);
    } else if let Some(&i) = open_items.last() {
        match doc.items[i].segments.last_mut() {
            Some(Segment::Text(buf)) => buf.push_str(text),
            _ => doc.items[i].segments.push(Segment::Text(text.to_owned())),
        }
    }
}

/// Collapses runs of whitespace in text segments and drops empty ones.
fn normalize_segments(segments: &mut Vec<Segment>) {
    for seg in segments.iter_mut() {
        if let Segment::Text(t) = seg {
            let trimmed_start = t.starts_with(char::is_whitespace);
            let trimmed_end = t.ends_with(char::is_whitespace);
            let mut c = collapse_whitespace(t);
            if !c.is_empty() {
                if trimmed_start {
                    c.insert(0, ' ');
                }
                if trimmed_end {
                    c.push(' ');
                }
            } else if !t.is_empty() {
                c.push(' ');
            }
            *t = c;
        }
    }
    segments.retain(|s| !matches!(s, Segment::Text(t) if t.is_empty()));
}

/// Trims and folds every run of whitespace into one space.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}
