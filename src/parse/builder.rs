//! The pulldown-cmark event walk behind [`super::parse`]: a small state machine that files
//! inline content under the open list item, table cell or HTML line.

use super::inline::{self, collapse_whitespace, strip_shortcodes};
use super::{html, Document, Heading, Item, ItemKind, LineIndex, Segment};
use pulldown_cmark::{BrokenLink, CowStr, Event, LinkType, Parser, Tag, TagEnd};
use std::borrow::Cow;

/// A walk over one text, and what [`super::parts`] needs to know to join it with walks over
/// the texts beside it.
pub(super) struct Walked<'a> {
    pub(super) doc: Document<'a>,
    /// The walk ended with nothing open: no list item, table, heading, HTML block or link
    /// (an `<a href>` never closed keeps taking text), and the last top-level block is not a
    /// code block or an HTML block (a fence or `<!--` never closed runs to the end of the text).
    pub(super) clean: bool,
    /// Labels of reference links that the text does not define.
    pub(super) undefined: Vec<String>,
    /// Labels the text defines (`[label]: url`).
    pub(super) defined: Vec<String>,
    /// The bytes that references added (destination and title of each reference link or
    /// image): pulldown-cmark stops resolving references once they reach the text's length.
    pub(super) added: usize,
    /// How many line breaks the text holds.
    pub(super) breaks: usize,
}

/// Walks the events of `source` into a document.
pub(super) fn walk(source: &str) -> Walked<'_> {
    let lines = LineIndex::new(source);
    let mut b = Builder::new(source);
    // Room for an item per line, about what a list holds (growing the array by doubling copied
    // it whole each time into fresh memory; room never used is address space, not memory),
    // but never more bytes than the text has: a file of blank lines must not ask for gigabytes.
    let room = (lines.breaks() + 1).min(source.len() / std::mem::size_of::<super::Item>() + 1);
    b.doc.items.reserve(room);
    let mut undefined = Vec::new();
    let mut record = |link: BrokenLink<'_>| {
        if matches!(link.link_type, LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut) {
            undefined.push(link.reference.into_string());
        }
        None
    };
    let mut events =
        Parser::new_with_broken_link_callback(source, super::MARKDOWN_OPTIONS, Some(&mut record)).into_offset_iter();
    // Depth of open blocks and inlines, and whether the last top-level block is code or HTML.
    let (mut depth, mut last_top_is_code_or_html) = (0usize, false);
    let mut added = 0;
    for (event, range) in events.by_ref() {
        match &event {
            Event::Start(
                Tag::Link { link_type, dest_url, title, .. } | Tag::Image { link_type, dest_url, title, .. },
            ) if matches!(link_type, LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut) => {
                added += dest_url.len() + title.len();
                depth += 1;
            }
            Event::Start(tag) => {
                if depth == 0 {
                    last_top_is_code_or_html = matches!(tag, Tag::CodeBlock(_) | Tag::HtmlBlock);
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ if depth == 0 => last_top_is_code_or_html = false,
            _ => {}
        }
        // Some ranges start on the whitespace before the construct (a tab-indented nested item
        // starts at the previous line's end): the line is that of its first visible character.
        let line = || {
            let skip = source[range.start..range.end].find(|c: char| !c.is_whitespace()).unwrap_or(0);
            lines.line_of(range.start + skip)
        };
        match event {
            Event::Start(Tag::Heading { level, .. }) => b.heading = Some((level as u8, String::new(), line())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text, line)) = b.heading.take() {
                    let text = collapse_whitespace(&strip_shortcodes(&text));
                    let text = text.trim_end_matches(|c: char| c == '|' || c.is_whitespace()).to_owned();
                    b.doc.headings.push(Heading { level, text, line });
                }
            }
            Event::Start(Tag::Item) => {
                let item = b.new_item(ItemKind::ListItem, line());
                b.open_items.push(item);
            }
            Event::End(TagEnd::Item) => {
                b.close_link();
                b.open_items.pop();
            }
            Event::Start(Tag::Table(_)) => b.table = Some(Table { header: Vec::new(), in_head: false, row: None }),
            Event::End(TagEnd::Table) => b.table = None,
            Event::Start(Tag::TableHead) => {
                if let Some(t) = &mut b.table {
                    t.in_head = true;
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = &mut b.table {
                    t.in_head = false;
                }
            }
            Event::Start(Tag::TableRow) => {
                let header = b.table.as_ref().map(|t| t.header.clone()).unwrap_or_default();
                let row = b.new_item(ItemKind::TableRow { header }, line());
                if let Some(t) = &mut b.table {
                    t.row = Some(row);
                }
            }
            Event::End(TagEnd::TableRow) => {
                b.close_link();
                if let Some(t) = &mut b.table {
                    t.row = None;
                }
            }
            Event::Start(Tag::TableCell) => match &mut b.table {
                Some(t) if t.in_head => t.header.push(String::new()),
                Some(Table { row: Some(r), .. }) => b.doc.items[*r].cells.push(Vec::new()),
                _ => {}
            },
            Event::End(TagEnd::TableCell) => b.close_link(),
            Event::Start(Tag::Link { dest_url, .. }) => b.open_link(cow(dest_url)),
            Event::End(TagEnd::Link) => b.close_link(),
            Event::Start(Tag::Image { .. }) => {
                b.image_depth += 1;
                if let Some(l) = &mut b.link {
                    l.has_image = true;
                }
            }
            Event::End(TagEnd::Image) => b.image_depth = b.image_depth.saturating_sub(1),
            Event::Start(Tag::Strikethrough) => b.strike_depth += 1,
            Event::End(TagEnd::Strikethrough) => b.strike_depth = b.strike_depth.saturating_sub(1),
            Event::Text(text) | Event::Code(text) => b.text(cow(text)),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => b.text(Cow::Borrowed(" ")),
            Event::InlineHtml(html) => b.inline_html(&html),
            Event::Start(Tag::HtmlBlock) => b.html_block = Some((String::new(), line())),
            Event::Html(html) => {
                if let Some((buf, _)) = &mut b.html_block {
                    buf.push_str(&html);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((html, first_line)) = b.html_block.take() {
                    b.html_lines(&html, first_line);
                }
            }
            _ => {}
        }
    }
    let definitions = events.reference_definitions();
    let defined = definitions.iter().map(|(label, _)| label.to_owned()).collect();
    drop(events);
    let clean = !last_top_is_code_or_html
        && b.open_items.is_empty()
        && b.heading.is_none()
        && b.link.is_none()
        && b.table.is_none()
        && b.html_block.is_none();
    for item in &mut b.doc.items {
        finish_item(item);
    }
    Walked { doc: b.doc, clean, undefined, defined, added, breaks: lines.breaks() }
}

/// pulldown-cmark's text as borrowed from the Markdown where it is (most text), else owned.
fn cow(text: CowStr<'_>) -> Cow<'_, str> {
    match text {
        CowStr::Borrowed(b) => Cow::Borrowed(b),
        other => Cow::Owned(other.into_string()),
    }
}

/// `a` and `b` as one slice of `source`, when they are slices of it with `b` right after `a`.
fn adjacent<'a>(source: &'a str, a: &str, b: &str) -> Option<&'a str> {
    let base = source.as_ptr() as usize;
    let start = (a.as_ptr() as usize).checked_sub(base)?;
    let end = start + a.len();
    if (b.as_ptr() as usize).checked_sub(base)? != end {
        return None;
    }
    source.get(start..end + b.len())
}

/// Appends `text` to `buf`: still borrowed when both are and `text` follows `buf` in `source`
/// (pulldown-cmark hands some runs of text over in pieces), or when `buf` is empty.
fn append<'a>(source: &'a str, buf: &mut Cow<'a, str>, text: Cow<'a, str>) {
    if buf.is_empty() {
        *buf = text;
        return;
    }
    if let (Cow::Borrowed(a), Cow::Borrowed(b)) = (&*buf, &text) {
        if let Some(joined) = adjacent(source, a, b) {
            *buf = Cow::Borrowed(joined);
            return;
        }
    }
    buf.to_mut().push_str(&text);
}

/// A link being read: its target, its label so far, whether it holds an image.
struct OpenLink<'a> {
    url: Cow<'a, str>,
    label: Cow<'a, str>,
    has_image: bool,
    /// Inside a heading: the heading text's length when the link opened.
    heading_start: Option<usize>,
}

struct Table {
    header: Vec<String>,
    in_head: bool,
    /// The row being read, as an index into the document's items.
    row: Option<usize>,
}

struct Builder<'a> {
    /// The text walked, which the items' text borrows from.
    source: &'a str,
    doc: Document<'a>,
    open_items: Vec<usize>,
    heading: Option<(u8, String, usize)>,
    link: Option<OpenLink<'a>>,
    image_depth: usize,
    /// Inside `~~…~~`: struck-out text and links, which a reader takes as withdrawn.
    strike_depth: usize,
    table: Option<Table>,
    html_block: Option<(String, usize)>,
}

impl<'a> Builder<'a> {
    fn new(source: &'a str) -> Self {
        Builder {
            source,
            doc: Document::default(),
            open_items: Vec::new(),
            heading: None,
            link: None,
            image_depth: 0,
            strike_depth: 0,
            table: None,
            html_block: None,
        }
    }

    fn new_item(&mut self, kind: ItemKind, line: usize) -> usize {
        self.doc.items.push(Item {
            kind,
            line,
            heading: self.doc.headings.len().checked_sub(1),
            parent: self.open_items.last().copied(),
            depth: self.open_items.len(),
            segments: Vec::new(),
            cells: Vec::new(),
        });
        self.doc.items.len() - 1
    }

    /// Where inline content goes now: the current table cell, else the innermost list item.
    fn segments(&mut self) -> Option<&mut Vec<Segment<'a>>> {
        match &self.table {
            Some(Table { in_head: true, .. }) => None,
            Some(Table { row: Some(r), .. }) => self.doc.items[*r].cells.last_mut(),
            _ => self.open_items.last().map(|&i| &mut self.doc.items[i].segments),
        }
    }

    fn text(&mut self, text: Cow<'a, str>) {
        if self.strike_depth > 0 && self.heading.is_none() {
            return;
        }
        if self.image_depth > 0 && self.link.is_none() {
            // Alt text of an image (a badge in a title, a logo): not part of anyone's words.
            return;
        }
        if let Some((_, buf, _)) = &mut self.heading {
            if self.image_depth > 0 {
                return;
            }
            buf.push_str(&text);
        } else if let Some(Table { in_head: true, header, .. }) = &mut self.table {
            if let Some(h) = header.last_mut() {
                h.push_str(&text);
            }
        } else if let Some(l) = &mut self.link {
            if self.image_depth == 0 {
                append(self.source, &mut l.label, text);
            }
        } else if self.image_depth > 0 {
            // Alt text of an image outside a link: not part of the item's words.
        } else {
            let source = self.source;
            if let Some(segs) = self.segments() {
                match segs.last_mut() {
                    Some(Segment::Text(buf)) => append(source, buf, text),
                    _ => segs.push(Segment::Text(text)),
                }
            }
        }
    }

    fn open_link(&mut self, url: Cow<'a, str>) {
        self.close_link();
        let url = inline::with_scheme(url);
        let heading_start = self.heading.as_ref().map(|(_, text, _)| text.len());
        self.link = Some(OpenLink { url, label: Cow::Borrowed(""), has_image: false, heading_start });
    }

    fn close_link(&mut self) {
        let Some(l) = self.link.take() else { return };
        if self.strike_depth > 0 && self.heading.is_none() {
            return;
        }
        if let Some((_, text, _)) = &mut self.heading {
            // "## Python [Back to Top](#contents)": an in-page link after the heading's own words
            // is navigation, not part of its name.
            if let Some(start) = l.heading_start.filter(|&s| l.url.starts_with('#') && !text[..s].trim().is_empty()) {
                text.truncate(start);
            }
            return;
        }
        let label = inline::tidy(l.label);
        let image_only = l.has_image && label.is_empty();
        if let Some(segs) = self.segments() {
            segs.push(Segment::Link { label, url: l.url, image_only });
        }
    }

    fn inline_html(&mut self, html: &str) {
        match html::inline_anchor(html) {
            Some(Some(href)) => self.open_link(Cow::Owned(href)),
            Some(None) => self.close_link(),
            None if html::is_img(html) => {
                if let Some(l) = &mut self.link {
                    l.has_image = true;
                }
            }
            None => {}
        }
    }

    /// Lines of an HTML block that hold a link become items (the `<br>`-separated lists of
    /// some awesome lists); inside a list item, the block's links join that item instead.
    fn html_lines(&mut self, html: &str, first_line: usize) {
        for (level, text, offset) in html::headings(html) {
            self.doc.html_headings.push(Heading { level, text: strip_shortcodes(&text), line: first_line + offset });
        }
        for l in html::block_lines(html) {
            if !l.segments.iter().any(|s| matches!(s, Segment::Link { .. })) {
                continue;
            }
            if self.table.is_none() && !self.open_items.is_empty() {
                let mut segments = l.segments;
                if let Some(segs) = self.segments() {
                    segs.push(Segment::Text(Cow::Borrowed(" ")));
                    segs.append(&mut segments);
                }
                continue;
            }
            let item = self.new_item(ItemKind::HtmlLine, first_line + l.line_offset);
            self.doc.items[item].segments = l.segments;
        }
    }
}

fn finish_item(item: &mut Item<'_>) {
    if item.cells.is_empty() {
        item.segments = inline::normalize(std::mem::take(&mut item.segments));
        return;
    }
    for cell in &mut item.cells {
        *cell = inline::normalize(std::mem::take(cell));
    }
    let mut joined = Vec::new();
    for (i, cell) in item.cells.iter().enumerate() {
        if i > 0 {
            joined.push(Segment::Text(Cow::Borrowed(" | ")));
        }
        joined.extend(cell.iter().cloned());
    }
    item.segments = joined;
}
