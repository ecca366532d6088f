//! The 29 real lists of `../shared/corpus/`: per list, the number of entries, links and
//! sections and the title match the reviewed `tests/expected/corpus.tsv`; `check --stats`
//! finds under 1% of linked items missed; and all lists merge into one graph that answers the
//! cross-list queries. Skipped, with a message, when the corpus folder is absent.

use awesome_kg::extract::Gazetteer;
use awesome_kg::pipeline::{build, check, read_list};
use awesome_kg::query::{evaluate, Answer};
use awesome_kg::rdf::BaseIri;
use oxigraph::model::Term;
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.join("MANIFEST.tsv").is_file() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent", dir.display());
        None
    }
}

/// `file entries links sections title` rows of the reviewed expectation file.
fn expectations() -> Vec<(String, usize, usize, usize, String)> {
    let text = std::fs::read_to_string("tests/expected/corpus.tsv").unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].to_owned(), f[1].parse().unwrap(), f[2].parse().unwrap(), f[3].parse().unwrap(), f[4].to_owned())
        })
        .collect()
}

#[test]
fn every_corpus_list_matches_its_reviewed_counts() {
    let Some(dir) = corpus() else { return };
    let expected = expectations();
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let files: Vec<&str> = manifest.lines().skip(1).map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(files.len(), 29);
    assert_eq!(expected.len(), files.len(), "one expectation per corpus list");
    let gazetteer = Gazetteer::bundled();
    let mut mismatches = Vec::new();
    for (file, entries, links, sections, title) in &expected {
        assert!(files.contains(&file.as_str()), "{file} is in the manifest");
        let list = read_list(&dir.join(file), &gazetteer).unwrap();
        let got = (list.entries.len(), list.link_count(), list.sections.len(), list.title.as_str());
        if got != (*entries, *links, *sections, title.as_str()) {
            mismatches.push(format!("{file}: expected {entries}/{links}/{sections}/{title:?}, got {got:?}"));
        }
    }
    assert!(mismatches.is_empty(), "entries/links/sections/title:\n{}", mismatches.join("\n"));
}

#[test]
fn check_stats_miss_under_one_percent_everywhere() {
    let Some(dir) = corpus() else { return };
    let (findings, stats) = check(&[dir], &Gazetteer::bundled()).unwrap();
    assert_eq!(stats.len(), 30, "29 lists and the corpus README");
    for s in &stats {
        assert!(s.missed_percent() < 1.0, "{}: {} of {} linked items missed", s.file, s.missed, s.linked_items);
    }
    let linked: usize = stats.iter().map(|s| s.linked_items).sum();
    assert!(linked > 20_000, "{linked} linked items");
    let errors: Vec<String> =
        findings.iter().filter(|f| f.level == awesome_kg::check::Level::Error).map(|f| f.to_string()).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

fn column(answer: &Answer, var: &str) -> Vec<String> {
    let Answer::Solutions { variables, rows } = answer else { panic!("a SELECT") };
    let i = variables.iter().position(|v| v == var).unwrap();
    rows.iter()
        .map(|r| match &r[i] {
            Some(Term::Literal(l)) => l.value().to_owned(),
            Some(Term::NamedNode(n)) => n.as_str().to_owned(),
            Some(t) => t.to_string(),
            None => String::new(),
        })
        .collect()
}

#[test]
fn all_lists_merge_into_one_graph() {
    let Some(dir) = corpus() else { return };
    let built = build(&[dir], &Gazetteer::bundled(), &BaseIri::default()).unwrap();
    assert_eq!(built.lists.len(), 30);
    let entries: usize = built.lists.iter().map(|l| l.entries).sum();
    let expected_entries: usize = expectations().iter().map(|e| e.1).sum();
    assert_eq!(entries, expected_entries);

    let q = std::fs::read_to_string("queries/urls-in-several-lists.rq").unwrap();
    let shared = evaluate(&built.dataset, &q, "urls-in-several-lists.rq").unwrap();
    let urls = column(&shared, "url");
    let lists = column(&shared, "lists");
    assert!(urls.len() > 500, "{} URLs in several lists", urls.len());
    // PyTorch and TensorFlow are in the Python, LLMOps, C++, production-ML, deep-learning and
    // data-science lists (and one more each).
    for (url, n) in [("https://github.com/pytorch/pytorch", "7"), ("https://github.com/tensorflow/tensorflow", "7")] {
        let i = urls.iter().position(|u| u == url).unwrap_or_else(|| panic!("{url} is shared"));
        assert_eq!(lists[i], n, "{url}");
    }
    assert!(lists.iter().all(|n| n.parse::<usize>().unwrap() >= 2));

    let q = std::fs::read_to_string("queries/organizations-by-lists.rq").unwrap();
    let orgs = evaluate(&built.dataset, &q, "organizations-by-lists.rq").unwrap();
    let names = column(&orgs, "organization");
    let counts: Vec<usize> = column(&orgs, "lists").iter().map(|n| n.parse().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "most lists first");
    assert!(names[..3].contains(&"Google".to_owned()) && names[..3].contains(&"Amazon".to_owned()), "{names:?}");
    assert!(counts[0] >= 20 && counts[0] <= 30, "{counts:?}");

    // Each list is its own named graph.
    let graphs =
        evaluate(&built.dataset, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "g").unwrap();
    assert_eq!(column(&graphs, "n"), ["30"]);
}
