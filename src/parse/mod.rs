//! Markdown → headings and items (list items at any depth, GFM table rows, lines of HTML
//! blocks) with their inline text and links, each with a 1-based source line. This stage knows
//! Markdown (through pulldown-cmark) and a little HTML, and nothing about entries, media types
//! or organizations: [`crate::extract`] interprets what it returns.

mod builder;
mod html;
mod inline;
mod lines;
mod parts;

pub use inline::{collapse_whitespace, find_url_start, strip_shortcodes, tidy};
pub use lines::LineIndex;

use std::borrow::Cow;

/// What a Markdown file holds, in document order. Its items' text is borrowed from the
/// Markdown where it stands there as it is (most of it), and owned where it was made (entities
/// decoded, whitespace folded, text joined across escapes): millions of strings fewer to
/// allocate, fill, zero fresh pages for and free on a long list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document<'a> {
    pub headings: Vec<Heading>,
    pub items: Vec<Item<'a>>,
    /// `<h1>`–`<h3>` of HTML blocks: candidates for the title of a list with no Markdown one.
    pub html_headings: Vec<Heading>,
}

/// A heading: `level` 1 for `#`, its plain text (without `:shortcode:` emoji), its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub line: usize,
}

/// Where an item comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemKind {
    /// A list item (bulleted or numbered); nested lists are items of their own.
    ListItem,
    /// A GFM table row, with the table's header cells.
    TableRow { header: Vec<String> },
    /// A line of an HTML block (split at newlines and `<br>`).
    HtmlLine,
}

/// A list item's own inline content, a table row, or a line of HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item<'a> {
    pub kind: ItemKind,
    pub line: usize,
    /// Index into [`Document::headings`] of the last heading before the item.
    pub heading: Option<usize>,
    /// Index into [`Document::items`] of the enclosing list item.
    pub parent: Option<usize>,
    /// Nesting depth: 0 for a top-level item.
    pub depth: usize,
    /// Inline content (for table rows: the cells, joined by `Segment::Text(" | ")`).
    pub segments: Vec<Segment<'a>>,
    /// Table rows only: each cell's segments.
    pub cells: Vec<Vec<Segment<'a>>>,
}

/// A run of an item's inline content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(Cow<'a, str>),
    /// A link; `image_only` when its content is only an image (a badge or a logo).
    Link {
        label: Cow<'a, str>,
        url: Cow<'a, str>,
        image_only: bool,
    },
}

impl Item<'_> {
    /// The item's text with links replaced by their labels.
    pub fn plain_text(&self) -> String {
        text_of(&self.segments)
    }
}

/// Text of segments (owned or borrowed) with links replaced by their labels.
pub fn text_of<'a, S: std::borrow::Borrow<Segment<'a>>>(segments: &[S]) -> String {
    segments
        .iter()
        .map(|s| match s.borrow() {
            Segment::Text(t) => &**t,
            Segment::Link { label, .. } => &**label,
        })
        .collect()
}

/// The pulldown-cmark extensions the parser turns on (GFM tables, strike-through, task lists).
pub const MARKDOWN_OPTIONS: pulldown_cmark::Options = pulldown_cmark::Options::ENABLE_TABLES
    .union(pulldown_cmark::Options::ENABLE_STRIKETHROUGH)
    .union(pulldown_cmark::Options::ENABLE_TASKLISTS);

/// From this many bytes on, a document is parsed in parts on every core (see [`parse_in_parts`]);
/// below it, starting threads costs more than it saves.
const PARTS_FROM: usize = 1 << 20;

/// Parses Markdown. Never fails: anything pulldown-cmark accepts (any UTF-8) is a document.
pub fn parse(source: &str) -> Document<'_> {
    parse_in_parts(source, if source.len() < PARTS_FROM { 1 } else { crate::threads::cores() })
}

/// Parses Markdown as [`parse`] does, in up to `parts` parts on as many threads: the text is
/// cut before headings that follow a blank line, each part is parsed on its own, and the parts
/// are joined. Where the joined document could differ from one pass over the whole text (a
/// part ends inside a code block, or uses a reference defined in another part), the text is
/// parsed in one pass instead; the result is always the one-pass document.
pub fn parse_in_parts(source: &str, parts: usize) -> Document<'_> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    if parts > 1 {
        if let Some(doc) = parts::parse(source, parts) {
            return doc;
        }
    }
    builder::walk(source).doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn link<'a>(label: &'a str, url: &'a str) -> Segment<'a> {
        Segment::Link { label: label.into(), url: url.into(), image_only: false }
    }

    #[test]
    fn tables_become_rows_with_headers() {
        let doc = parse("| Name | Description |\n|---|---|\n| [A](https://a.org) | Does *a* |\n");
        assert_eq!(doc.items.len(), 1);
        let row = &doc.items[0];
        assert_eq!(row.kind, ItemKind::TableRow { header: vec!["Name".into(), "Description".into()] });
        assert_eq!(row.line, 3);
        assert_eq!(row.cells, vec![vec![link("A", "https://a.org")], vec![Segment::Text("Does a".into())]]);
    }

    #[test]
    fn badges_references_html_and_bare_urls() {
        let doc = parse(
            "- [![badge](https://img.shields.io/x.svg)](https://ci.org) [Ref][r] see https://bare.org.\n\
             - <a href=\"https://h.org\">H</a> - html\n\n[r]: https://ref.org\n",
        );
        assert_eq!(
            doc.items[0].segments,
            vec![
                Segment::Link { label: "".into(), url: "https://ci.org".into(), image_only: true },
                Segment::Text(" ".into()),
                link("Ref", "https://ref.org"),
                Segment::Text(" see ".into()),
                link("https://bare.org", "https://bare.org"),
                Segment::Text(".".into()),
            ]
        );
        assert_eq!(doc.items[1].segments, vec![link("H", "https://h.org"), Segment::Text(" - html".into())]);
    }

    #[test]
    fn tab_indented_items_have_their_own_line() {
        let doc =
            parse("- P [P](https://p.org)\n\t- [A](https://a.org)\n\t- [B](https://b.org)\n- [C](https://c.org)\n");
        let lines: Vec<usize> = doc.items.iter().map(|i| i.line).collect();
        assert_eq!(lines, [1, 2, 3, 4]);
    }

    #[test]
    fn nested_items_know_their_parent() {
        let doc = parse("- Group\n  - [A](https://a.org)\n  - [B](https://b.org)\n- [C](https://c.org)\n");
        let parents: Vec<Option<usize>> = doc.items.iter().map(|i| i.parent).collect();
        assert_eq!(parents, [None, Some(0), Some(0), None]);
        assert_eq!(doc.items[0].plain_text(), "Group");
    }

    #[test]
    fn html_block_lines_are_items() {
        let doc = parse("## Tools\n\n<p>\n&nbsp; <a href=\"https://x.org\"><b>x</b></a> - does x<br>\n</p>\n");
        assert_eq!(doc.items.len(), 1);
        assert_eq!(doc.items[0].kind, ItemKind::HtmlLine);
        assert_eq!(doc.items[0].line, 4);
        assert_eq!(doc.items[0].plain_text(), " x - does x");
    }

    /// Text that stands in the Markdown as it is comes back borrowed from it, however
    /// pulldown-cmark cut it up; decoded entities and folded whitespace are owned.
    #[test]
    fn text_is_borrowed_where_it_stands_as_it_is() {
        let source = "- [Name :x](https://a.org) - does [x] and https://b.org/y.\n- A &amp; B  [x](https://c.org/a\\_b) - two\n  lines\n";
        let doc = parse(source);
        let borrowed = |c: &Cow<'_, str>| matches!(c, Cow::Borrowed(b) if source.contains(*b));
        let kinds = |item: &Item<'_>| -> Vec<(bool, bool)> {
            item.segments
                .iter()
                .map(|s| match s {
                    Segment::Text(t) => (borrowed(t), true),
                    Segment::Link { label, url, .. } => (borrowed(label), borrowed(url)),
                })
                .collect()
        };
        assert_eq!(doc.items[0].plain_text(), "Name :x - does [x] and https://b.org/y.");
        assert_eq!(kinds(&doc.items[0]), [(true, true), (true, true), (true, true), (true, true)]);
        assert_eq!(doc.items[1].plain_text(), "A & B x - two lines");
        assert_eq!(kinds(&doc.items[1]), [(false, true), (true, false), (false, true)]);
    }

    #[test]
    fn headings_drop_shortcodes() {
        let doc = parse("## :anger: &nbsp;Table of Contents\n### Python | [Back to Top](#contents)\n## [Go](#go)\n");
        assert_eq!(doc.headings[0].text, "Table of Contents");
        assert_eq!(doc.headings[1].text, "Python");
        assert_eq!(doc.headings[2].text, "Go");
        let doc = parse("# Awesome C++ [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n");
        assert_eq!(doc.headings[0].text, "Awesome C++");
    }
}
