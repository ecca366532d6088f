//! Parsed Markdown → the [`model`](crate::model): sections from headings (and from list items
//! that group linked children), entries from list items, table rows and HTML lines, each link
//! classified by media type, site and publisher, each entry by the organizations it mentions.

mod entry;
mod media;
mod orgs;
mod url;

pub use entry::{has_resource, is_resource, trim_separators};
pub use media::{classify as classify_media, from_label as media_from_label, from_url as media_from_url};
pub use orgs::{contains_word, Gazetteer, BUNDLED_CSV};
pub use url::{host_and_path, is_http};

use crate::model::{Entry, List, Section};
use crate::parse::{Document, Item, ItemKind};

/// Level given to grouping items' sections, below any heading.
const GROUP_LEVEL: u8 = 7;

/// Builds the model of one list. `id` is the list's stable id (its file stem, also the title
/// when the document has none), `source` its file as named by the user.
pub fn extract(doc: &Document, id: &str, source: &str, gazetteer: &Gazetteer) -> List {
    extract_in_parts(doc, id, source, gazetteer, None)
}

/// [`extract`] with entries made in `parts` runs on as many threads (`None`: on every core when
/// there are many entries).
fn extract_in_parts(doc: &Document, id: &str, source: &str, gazetteer: &Gazetteer, parts: Option<usize>) -> List {
    // Which items are entries (every link's URL looked at: on every core for many items),
    // and which list items group entries below them.
    let in_parts =
        |len: usize| parts.unwrap_or_else(|| if len < ENTRIES_IN_PARTS_FROM { 1 } else { crate::threads::cores() });
    let is_entry = |item: &Item| match &item.kind {
        ItemKind::TableRow { .. } => item.cells.iter().any(|c| has_resource(c)),
        _ => has_resource(&item.segments),
    };
    let is_entry: Vec<bool> = match in_parts(doc.items.len()) {
        0 | 1 => doc.items.iter().map(is_entry).collect(),
        parts => {
            let runs: Vec<&[Item]> = doc.items.chunks(doc.items.len().div_ceil(parts)).collect();
            crate::threads::map_on_threads(&runs, |run| run.iter().map(is_entry).collect::<Vec<bool>>()).concat()
        }
    };
    let (title_heading, title) = title(doc, &is_entry);
    let title = title.unwrap_or_else(|| id.to_owned());

    let mut has_entry_below = vec![false; doc.items.len()];
    for i in (0..doc.items.len()).rev() {
        if let Some(p) = doc.items[i].parent {
            if is_entry[i] || has_entry_below[i] {
                has_entry_below[p] = true;
            }
        }
    }

    let mut sections: Vec<Section> = Vec::new();
    let mut section_of_heading: Vec<Option<usize>> = Vec::with_capacity(doc.headings.len());
    let mut open: Vec<usize> = Vec::new();
    let mut headings_done = 0;
    let mut add_headings_until =
        |upto: Option<usize>, sections: &mut Vec<Section>, open: &mut Vec<usize>, map: &mut Vec<Option<usize>>| {
            let end = upto.map_or(doc.headings.len(), |h| h + 1);
            while headings_done < end {
                let h = &doc.headings[headings_done];
                if Some(headings_done) == title_heading {
                    map.push(None);
                    open.clear();
                } else {
                    while open.last().is_some_and(|&s| sections[s].level >= h.level) {
                        open.pop();
                    }
                    sections.push(Section {
                        name: h.text.clone(),
                        level: h.level,
                        parent: open.last().copied(),
                        line: h.line,
                    });
                    map.push(Some(sections.len() - 1));
                    // A table of contents is a section of its own, never the parent of those
                    // that follow it ("## Table of Contents" then "### Books" in some lists).
                    if !is_table_of_contents(&h.text) {
                        open.push(sections.len() - 1);
                    }
                }
                headings_done += 1;
            }
        };

    // Section of each item: a grouping ancestor's section, else its heading's section.
    let mut item_section: Vec<Option<usize>> = vec![None; doc.items.len()];
    let mut group_section: Vec<Option<usize>> = vec![None; doc.items.len()];
    // The entry items with their sections, made into entries below.
    let mut entry_items = Vec::new();
    for (i, item) in doc.items.iter().enumerate() {
        add_headings_until(item.heading, &mut sections, &mut open, &mut section_of_heading);
        let heading_section = item.heading.and_then(|h| section_of_heading[h]);
        let section = match item.parent {
            Some(p) => group_section[p].or(item_section[p]),
            None => heading_section,
        };
        item_section[i] = section;
        if is_entry[i] {
            entry_items.push((item, section));
        } else if has_entry_below[i] {
            let name =
                crate::parse::collapse_whitespace(trim_separators(&crate::parse::strip_shortcodes(&item.plain_text())));
            if !name.is_empty() {
                sections.push(Section { name, level: GROUP_LEVEL, parent: section, line: item.line });
                group_section[i] = Some(sections.len() - 1);
            }
        }
    }
    add_headings_until(None, &mut sections, &mut open, &mut section_of_heading);
    let entries = entries_in_parts(&entry_items, gazetteer, in_parts(entry_items.len()));
    List { id: id.to_owned(), title, source: source.to_owned(), sections, entries }
}

/// From this many entry items on, entries are made on every core (and from this many items,
/// which items are entries is decided there): each is made from its item and section alone
/// (links classified, organizations found), most of extraction's time.
const ENTRIES_IN_PARTS_FROM: usize = 10_000;

/// The entries of `items`, made in up to `parts` runs of items on as many threads.
fn entries_in_parts(items: &[(&Item, Option<usize>)], gazetteer: &Gazetteer, parts: usize) -> Vec<Entry> {
    // The entries of a run into an array with room for `room` (collecting them grew one by
    // doubling, copying them each time).
    let make = |items: &[(&Item, Option<usize>)], room: usize| -> Vec<Entry> {
        let entry = |&(item, section): &(&Item, Option<usize>)| match &item.kind {
            ItemKind::TableRow { header } => entry::from_row(&item.cells, header, section, item.line, gazetteer),
            _ => entry::from_segments(&item.segments, section, item.line, gazetteer),
        };
        let mut entries = Vec::with_capacity(room);
        entries.extend(items.iter().filter_map(entry));
        entries
    };
    if parts < 2 || items.len() < 2 {
        return make(items, items.len());
    }
    // The first run's array has room for every run's entries, which are moved in after it: one
    // copy of the later runs, where copying all of them into a new array took fresh memory for
    // all (a fifth of a second of a million entries on one core). Room never used is address
    // space, not memory.
    let runs: Vec<(&[_], usize)> = items
        .chunks(items.len().div_ceil(parts))
        .enumerate()
        .map(|(i, run)| (run, if i == 0 { items.len() } else { run.len() }))
        .collect();
    let made = crate::threads::map_on_threads(&runs, |&(run, room)| make(run, room));
    let mut made = made.into_iter();
    let mut entries = made.next().unwrap_or_default();
    for mut run in made {
        entries.append(&mut run);
    }
    entries
}

/// Whether a heading names a table of contents.
fn is_table_of_contents(name: &str) -> bool {
    let name = name.trim().trim_end_matches(':').to_lowercase();
    matches!(name.as_str(), "table of contents" | "contents" | "toc" | "index" | "目录" | "目次")
}

/// The list's title and the heading it comes from: the first heading when it is an H1 (a
/// table of contents before it is passed over, unless it is an H1 too: then H1s are sections);
/// else an "Awesome …" heading above every entry (a list titled by `## Awesome Vue.js`); else the first HTML `<h1>`–`<h3>`.
fn title(doc: &Document, is_entry: &[bool]) -> (Option<usize>, Option<String>) {
    let usable = |h: &crate::parse::Heading| !h.text.is_empty() && !is_table_of_contents(&h.text);
    if let Some(first) = doc.headings.iter().position(|h| !is_table_of_contents(&h.text)) {
        let h = &doc.headings[first];
        if h.level == 1
            && usable(h)
            && doc.headings[..first].iter().all(|t| t.level > 1 || is_table_of_contents(&t.text))
        {
            // ossu's "# Contents" then "# Summary": H1s used for sections, not a title.
            if !(first > 0 && doc.headings[..first].iter().any(|t| t.level == 1)) {
                return (Some(first), Some(h.text.clone()));
            }
        }
    }
    let first_entry_line = doc.items.iter().zip(is_entry).find(|(_, &e)| e).map_or(usize::MAX, |(item, _)| item.line);
    if let Some(i) = doc.headings.iter().position(|h| {
        h.level <= 3 && h.line < first_entry_line && usable(h) && h.text.to_lowercase().contains("awesome")
    }) {
        return (Some(i), Some(doc.headings[i].text.clone()));
    }
    (None, doc.html_headings.iter().find(|h| usable(h)).map(|h| h.text.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real lists of ../shared/corpus and the quirks fixture: entries made in parts on
    /// several threads are the entries made in one run, in the same order.
    #[test]
    fn entries_in_parts_are_the_entries_in_one_run() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![root.join("tests/fixtures/quirks.md"), root.join("data/ml-in-production.md")];
        if let Ok(dir) = std::fs::read_dir(root.join("../shared/corpus")) {
            files.extend(
                dir.map(|e| e.unwrap().path())
                    .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("README.md")),
            );
        }
        let gazetteer = Gazetteer::bundled();
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let doc = crate::parse::parse(&text);
            let one = extract_in_parts(&doc, "list", "list.md", &gazetteer, Some(1));
            assert!(!one.entries.is_empty(), "{}", path.display());
            for parts in [2, 3, 7] {
                let split = extract_in_parts(&doc, "list", "list.md", &gazetteer, Some(parts));
                assert_eq!(split, one, "{} in {parts} parts", path.display());
            }
        }
    }
}
