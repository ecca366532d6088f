//! The query page in a real browser: headless Chromium (Debian's), driven by playwright-core
//! (tests/browser/page.mjs), opens `/`, picks an example, runs it and reads the result table.
//! The screenshot is kept at target/browser/page.png. `.ci/run` installs Chromium and
//! playwright-core; elsewhere their absence skips the test.

mod common;

use common::{have, Serving};
use std::path::Path;
use std::process::Command;

#[test]
fn the_page_runs_an_example_and_shows_the_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    if !have("Chromium", Command::new(&chromium).arg("--version"))
        || !have(
            "node with playwright-core (npm ci in tests/browser)",
            Command::new("node")
                .current_dir(root.join("tests/browser"))
                .args(["-e", "require.resolve('playwright-core')"]),
        )
    {
        return;
    }
    let server = Serving::start(&[]);
    let shots = root.join("target/browser");
    std::fs::create_dir_all(&shots).unwrap();
    let screenshot = shots.join("page.png");
    let _ = std::fs::remove_file(&screenshot);
    let output = Command::new("node")
        .arg(root.join("tests/browser/page.mjs"))
        .arg(server.url("/"))
        .arg(&screenshot)
        .output()
        .expect("node runs");
    assert!(output.status.success(), "page.mjs failed: {}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let strings = |key: &str| -> Vec<String> { serde_json::from_value(report[key].clone()).unwrap() };

    assert_eq!(strings("counts")[..5], ["11entries", "3sections", "5organizations", "8media types", "19links"]);
    assert_eq!(strings("examples").len(), 12, "every file of queries/ is an example");
    assert!(report["query"].as_str().unwrap().contains("COUNT(?entry)"), "the example filled the editor");
    assert_eq!(strings("header"), ["list", "section", "entries"]);
    let rows: Vec<Vec<String>> = serde_json::from_value(report["rows"].clone()).unwrap();
    let sections: Vec<(&str, &str)> = rows.iter().map(|r| (r[1].as_str(), r[2].as_str())).collect();
    assert_eq!(
        sections,
        [
            ("First Thing First - What does it mean by ML In Production?", "5"),
            ("Use Cases & Papers", "4"),
            ("Best Practices", "2")
        ]
    );
    assert!(report["status"].as_str().unwrap().starts_with("3 rows"), "{}", report["status"]);
    assert_eq!(strings("downloads"), ["JSON", "XML", "CSV", "TSV"]);
    let error = report["errorStatus"].as_str().unwrap();
    assert!(error.starts_with("400 Bad Request: malformed query: error at 1:21"), "{error}");
    // The only failed request is the malformed query's, and the only console error its 400.
    assert_eq!(report["failedRequests"].as_array().unwrap().len(), 1, "{}", report["failedRequests"]);
    assert_eq!(report["consoleErrors"].as_array().unwrap().len(), 1, "{}", report["consoleErrors"]);
    if Command::new("dot").arg("-V").output().is_ok() {
        assert_eq!(report["pictureShown"], true, "the Graphviz picture loaded");
    }
    assert!(std::fs::metadata(&screenshot).unwrap().len() > 10_000, "a screenshot was taken");
}
