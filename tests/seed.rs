//! The bundled list gives exactly the figures the foundation issue states.

use awesome_kg::extract::Gazetteer;
use awesome_kg::model::{List, MediaType};
use awesome_kg::pipeline::read_list;
use std::collections::BTreeMap;
use std::path::Path;

fn seed() -> List {
    read_list(Path::new("data/ml-in-production.md"), &Gazetteer::bundled()).expect("the seed parses")
}

#[test]
fn data_file_is_the_shared_seed_byte_for_byte() {
    let shared = Path::new("../shared/seed/ml-in-production.md");
    if !shared.exists() {
        eprintln!("skipped: {} is absent", shared.display());
        return;
    }
    assert_eq!(std::fs::read(shared).unwrap(), std::fs::read("data/ml-in-production.md").unwrap());
}

#[test]
fn title_sections_entries_links() {
    let list = seed();
    assert_eq!(list.title, "Machine Learning In Production");
    let names: Vec<&str> = list.sections.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["First Thing First - What does it mean by ML In Production?", "Use Cases & Papers", "Best Practices"]
    );
    assert!(list.sections.iter().all(|s| s.parent.is_none()));
    assert_eq!(list.entries.len(), 11);
    assert_eq!(list.link_count(), 19);
    let per_section: Vec<usize> =
        (0..3).map(|s| list.entries.iter().filter(|e| e.section == Some(s)).count()).collect();
    assert_eq!(per_section, [5, 4, 2]);
}

#[test]
fn organization_mentions_are_exactly_the_four() {
    let list = seed();
    let mentions: Vec<(&str, &str)> =
        list.entries.iter().flat_map(|e| e.mentions.iter().map(move |m| (m.as_str(), e.title.as_str()))).collect();
    assert_eq!(
        mentions,
        [
            ("uber", "Michelangelo: Uber’s Machine Learning Platform"),
            ("google", "TFX: A TensorFlow-Based Production-Scale Machine Learning Platform (by Google)"),
            ("netflix", "Meson: Workflow Orchestration for Netflix Recommendations"),
            ("airbnb", "Airbnb's End-to-End Machine Learning Infrastructure"),
        ]
    );
}

#[test]
fn media_types_of_links() {
    let list = seed();
    let mut counts: BTreeMap<MediaType, usize> = BTreeMap::new();
    for link in list.entries.iter().flat_map(|e| &e.links) {
        *counts.entry(link.media_type).or_default() += 1;
    }
    let expected = BTreeMap::from([
        (MediaType::Blog, 4),
        (MediaType::Paper, 3),
        (MediaType::Video, 3),
        (MediaType::Slides, 2),
        (MediaType::Talk, 2),
        (MediaType::Answer, 2),
        (MediaType::Discussion, 2),
        (MediaType::Document, 1),
    ]);
    assert_eq!(counts, expected);
    // The two "Part" links are Blog by their URL, not by their label.
    let quest = &list.entries[4];
    assert_eq!(
        quest.links.iter().map(|l| (l.label.as_str(), l.media_type)).collect::<Vec<_>>(),
        [("Part 1", MediaType::Blog), ("Part 2", MediaType::Blog)]
    );
}

#[test]
fn entry_five_title_and_description() {
    let list = seed();
    let e = &list.entries[4];
    assert_eq!(e.title, "Quest to understand Machine Learning in Production & Notes");
    assert_eq!(e.description.as_deref(), Some("Towards Data Science Blog"));
    assert_eq!(e.line, 13);
}

#[test]
fn sites_publishers_and_source_lines() {
    let list = seed();
    let michelangelo = &list.entries[5];
    assert_eq!(michelangelo.line, 18);
    assert_eq!(michelangelo.links[0].site, "eng.uber.com");
    assert_eq!(michelangelo.links[0].publisher.as_deref(), Some("uber"));
    assert_eq!(michelangelo.links[1].publisher, None);
    let meson = &list.entries[7];
    assert_eq!(meson.links[0].site, "medium.com");
    assert_eq!(meson.links[0].publisher.as_deref(), Some("netflix"));
    // sites.google.com serves anyone: never attributed to Google.
    let rules = &list.entries[9];
    assert_eq!(rules.links[1].site, "sites.google.com");
    assert_eq!(rules.links[1].publisher, None);
    let lines: Vec<usize> = list.entries.iter().map(|e| e.line).collect();
    assert_eq!(lines, [5, 7, 9, 11, 13, 18, 20, 22, 24, 27, 29]);
    assert!(list.entries.iter().all(|e| e.description.is_none() || e.line == 13));
}
