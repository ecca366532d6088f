//! One small file with the quirks of real lists (`tests/fixtures/quirks.md`: a byte-order mark,
//! CRLF line ends, a badge in the title, a table of contents, emoji codes, bold and em-dash
//! styles, "Name [Link](url)", "Blog : **Title**", reference links, bare URLs, `<a href>`, a
//! grouping item, Japanese text, a repeated title, a struck-out link, a numbered list, a table
//! without outer pipes, one URL in two entries) and the entries a careful reader would list.

mod common;

use awesome_kg::extract::Gazetteer;
use awesome_kg::graph::{Edge, KnowledgeGraph, NodeKind};
use awesome_kg::pipeline::read_list;
use common::{build_into_from, TempDir};
use std::path::Path;

#[test]
fn entries_are_what_a_reader_would_list() {
    let dir = TempDir::new("quirks");
    build_into_from(dir.path(), "tests/fixtures/quirks.md");
    let got = std::fs::read_to_string(dir.path().join("entries.csv")).unwrap();
    let expected = std::fs::read_to_string("tests/expected/quirks-entries.csv").unwrap();
    assert_eq!(got, expected);
}

#[test]
fn title_sections_and_shared_url() {
    let gazetteer = Gazetteer::bundled();
    let list = read_list(Path::new("tests/fixtures/quirks.md"), &gazetteer).unwrap();
    assert_eq!(list.title, "Awesome Quirks", "the badge's alt text is not part of the title");
    let names: Vec<&str> = list.sections.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Contents", "Tools", "Frameworks", "Papers"]);
    assert_eq!(list.sections[2].parent, Some(1), "the grouping item sits in its section");
    assert_eq!(list.sections[3].parent, None, "a table of contents parents nothing");

    let kg = KnowledgeGraph::build(&[list], gazetteer.organizations());
    let shared: Vec<_> = kg
        .nodes()
        .filter(|(_, n)| matches!(&n.kind, NodeKind::Url { url } if url == "https://shared.example.org"))
        .collect();
    assert_eq!(shared.len(), 1, "one node for the URL listed twice");
    let links = kg.sources(shared[0].0, |e| e == Edge::LinkToUrl);
    assert_eq!(links.len(), 2, "reached from both entries' links");
    assert_eq!(kg.count("Url"), 15);
    assert_eq!(kg.count("Link"), 16);
}
