//! The benchmark path in CI: a 10k-entry synthetic list from `../shared/bench/gen_corpus.py`
//! builds, and its entry count matches what the generator reports. Not a timing test (see
//! `bench/` for speed). Skipped, with a message, when the generator or python3 is absent.

mod common;

use common::{awesome_kg, TempDir};
use std::process::Command;

#[test]
fn generated_10k_list_builds_with_the_generators_counts() {
    let generator = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py");
    if !generator.is_file() {
        eprintln!("skipped: {} is absent", generator.display());
        return;
    }
    let dir = TempDir::new("scale");
    let list = dir.path().join("c10k.md");
    let Ok(gen) = Command::new("python3")
        .arg(&generator)
        .args(["--entries", "10000", "--seed", "7", "--out"])
        .arg(&list)
        .output()
    else {
        eprintln!("skipped: python3 is not installed");
        return;
    };
    assert!(gen.status.success(), "{}", String::from_utf8_lossy(&gen.stderr));
    let report = String::from_utf8_lossy(&gen.stderr);
    let expected: usize = report
        .split_whitespace()
        .find_map(|w| w.strip_prefix("entries="))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("the generator reports entries=K: {report}"));
    assert!(expected > 9_000, "{expected}");

    let out = awesome_kg(&["check", list.to_str().unwrap(), "--stats", "--format", "json", "--level", "error"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let stats = &json["stats"][0];
    assert_eq!(stats["entries"].as_u64(), Some(expected as u64), "entries = generator's count");
    assert_eq!(stats["missed"].as_u64(), Some(0), "{stats}");

    let out_dir = dir.path().join("out");
    let out =
        awesome_kg(&["build", list.to_str().unwrap(), "--out", out_dir.to_str().unwrap(), "--queries", "queries"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let entries = std::fs::read_to_string(out_dir.join("entries.csv")).unwrap();
    assert_eq!(csv::Reader::from_reader(entries.as_bytes()).records().count(), expected);
    let nt = std::fs::read_to_string(out_dir.join("graph.nt")).unwrap();
    let entry_types = nt.lines().filter(|l| l.ends_with("<http://schema.org/CreativeWork> .")).count();
    assert_eq!(entry_types, expected, "one schema:CreativeWork per entry in the RDF");
}
