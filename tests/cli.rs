//! The command line end to end: clear one-line errors naming the file, outputs never
//! half-written, and the query command's formats.

mod common;

use common::{awesome_kg, build_into, walk, TempDir};
use std::fs;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn missing_file_is_one_clear_line_and_a_failure() {
    let dir = TempDir::new("missing");
    let out = awesome_kg(&["build", "no/such/list.md", "--out", dir.path().to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("awesome-kg: no/such/list.md: "), "{err}");
    assert!(err.contains("No such file"), "{err}");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written");
}

#[test]
fn non_utf8_file_names_file_and_line() {
    let out = awesome_kg(&["build", "tests/fixtures/latin1.md", "--out", "/nonexistent/never-written"]);
    assert!(!out.status.success());
    assert_eq!(
        stderr(&out).trim_end(),
        "awesome-kg: tests/fixtures/latin1.md:3: not UTF-8 text (invalid byte at offset 21)"
    );
}

#[test]
fn folders_are_searched_for_lists() {
    let dir = TempDir::new("folder");
    let lists = dir.path().join("lists");
    fs::create_dir_all(lists.join("more")).unwrap();
    fs::write(lists.join("a.md"), "# A\n\n- [One](https://one.org) - first\n").unwrap();
    fs::write(lists.join("more/b.md"), "# B\n\n- [Two](https://two.org)\n- [One](https://one.org)\n").unwrap();
    fs::write(lists.join("notes.txt"), "not a list").unwrap();
    let out_dir = dir.path().join("out");
    let out =
        awesome_kg(&["build", lists.to_str().unwrap(), "--out", out_dir.to_str().unwrap(), "--queries", "queries"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("2 list(s), 3 entries, 3 links"), "{}", stderr(&out));
    let nq = fs::read_to_string(out_dir.join("graph.nq")).unwrap();
    assert!(nq.contains("<https://w3id.org/awesome-kg/id/list/a> .\n"), "list a has its named graph");
    assert!(nq.contains("<https://w3id.org/awesome-kg/id/list/b> .\n"), "list b has its named graph");

    let empty = dir.path().join("empty");
    fs::create_dir_all(&empty).unwrap();
    let out = awesome_kg(&["build", empty.to_str().unwrap(), "--out", out_dir.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no Markdown file"), "{}", stderr(&out));
}

#[test]
fn failed_build_keeps_existing_outputs() {
    let dir = TempDir::new("keep");
    build_into(dir.path());
    let before = fs::read(dir.path().join("graph.ttl")).unwrap();
    fs::write(dir.path().join("graph.ttl"), b"previous contents").unwrap();
    let out = awesome_kg(&[
        "build",
        "data/ml-in-production.md",
        "tests/fixtures/latin1.md",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert_eq!(fs::read(dir.path().join("graph.ttl")).unwrap(), b"previous contents");
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(!before.is_empty());
}

#[test]
fn unwritable_output_fails_cleanly() {
    let dir = TempDir::new("unwritable");
    let blocker = dir.path().join("file");
    fs::write(&blocker, b"x").unwrap();
    let out = awesome_kg(&["build", "--out", blocker.join("sub").to_str().unwrap()]);
    assert!(!out.status.success());
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert_eq!(fs::read(&blocker).unwrap(), b"x");
}

#[test]
fn bad_base_iri_and_bad_gazetteer_are_reported() {
    let out = awesome_kg(&["build", "--base", "not an iri", "--out", "/nonexistent/x"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("invalid IRI \"not an iri\""), "{}", stderr(&out));
    let out = awesome_kg(&["build", "--base", "https://example.org/kg", "--out", "/nonexistent/x"]);
    assert!(stderr(&out).contains("must end with '/' or '#'"), "{}", stderr(&out));

    let dir = TempDir::new("orgs");
    let orgs = dir.path().join("orgs.csv");
    fs::write(&orgs, "id,name,aliases,wikidata,domains\nacme,Acme,,Q42,acme.com\nacme,Acme again,,,\n").unwrap();
    let out = awesome_kg(&["build", "--orgs", orgs.to_str().unwrap(), "--out", "/nonexistent/x"]);
    assert!(!out.status.success());
    assert_eq!(stderr(&out).trim_end(), format!("awesome-kg: {}:3: duplicate id \"acme\"", orgs.display()));
}

#[test]
fn own_gazetteer_and_base_change_the_graph() {
    let dir = TempDir::new("own-orgs");
    let orgs = dir.path().join("orgs.csv");
    fs::write(&orgs, "id,name,aliases,wikidata,domains\nquora,Quora,,,quora.com;qr.ae\n").unwrap();
    let out = awesome_kg(&[
        "query",
        "--orgs",
        orgs.to_str().unwrap(),
        "--base",
        "http://example.org/kg/",
        "--format",
        "csv",
        "--sparql",
        "SELECT ?o (COUNT(?l) AS ?n) WHERE { ?l schema:publisher ?o } GROUP BY ?o",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "o,n\r\nhttp://example.org/kg/organization/quora,2\r\n");
}

#[test]
fn query_command_prints_a_table_or_a_results_format() {
    let out = awesome_kg(&["query", "queries/links-per-media-type.rq"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.starts_with("mediaType  | links\n-----------+------\nBlog       | 4\n"), "{table}");
    assert!(table.ends_with("(8 rows)\n"), "{table}");

    let out = awesome_kg(&["query", "--sparql", "ASK { ?x schema:mentions ?y }", "--format", "xml"]);
    assert!(String::from_utf8(out.stdout).unwrap().contains("<boolean>true</boolean>"));

    let out = awesome_kg(&[
        "query",
        "-i",
        "data/ml-in-production.md",
        "--sparql",
        "CONSTRUCT { ?o a schema:Organization } WHERE { ?o a schema:Organization }",
    ]);
    let turtle = String::from_utf8(out.stdout).unwrap();
    assert_eq!(turtle.matches(" a schema:Organization .").count(), 5, "{turtle}");

    let out = awesome_kg(&["query", "--sparql", "SELECT * WHERE { ?s ?p }"]);
    assert!(!out.status.success());
    assert!(stderr(&out).starts_with("awesome-kg: --sparql: "), "{}", stderr(&out));
}

#[test]
fn help_describes_every_option() {
    let out = awesome_kg(&["build", "--help"]);
    let help = String::from_utf8(out.stdout).unwrap();
    for option in ["--out", "--orgs", "--base", "--queries", "[FILES]..."] {
        assert!(help.contains(option), "build --help mentions {option}:\n{help}");
    }
    let out = awesome_kg(&["query", "--help"]);
    let help = String::from_utf8(out.stdout).unwrap();
    for option in ["--sparql", "--input", "--format", "- table:", "- csv:", "- tsv:", "- json:", "- xml:"] {
        assert!(help.contains(option), "query --help mentions {option}:\n{help}");
    }
}

#[test]
fn bad_inputs_give_a_graph_or_a_clear_error() {
    let dir = TempDir::new("bad-inputs");
    let p = |name: &str| dir.path().join(name);
    // A 50 MB single line: one entry, in bounded time and memory.
    let mut line = String::with_capacity(50_000_100);
    line.push_str("# Big\n\n- ");
    while line.len() < 50_000_000 {
        line.push_str("word ");
    }
    line.push_str("- [Blog](https://example.org/big)\n");
    fs::write(p("big.md"), &line).unwrap();
    // Thousands of nesting levels.
    let nested: String = (0..5000).map(|i| format!("{}- [n{i}](https://example.org/{i})\n", "  ".repeat(i))).collect();
    fs::write(p("nested.md"), nested).unwrap();
    fs::write(p("empty.md"), "").unwrap();
    fs::write(p("heading.md"), "# Only a heading\n").unwrap();
    let out_dir = dir.path().join("out");
    let out_s = out_dir.to_str().unwrap();
    for (file, entries) in [("big.md", 1), ("nested.md", 5000), ("empty.md", 0), ("heading.md", 0)] {
        let out = awesome_kg(&["build", p(file).to_str().unwrap(), "--out", out_s, "--queries", "queries"]);
        assert!(out.status.success(), "{file}: {}", stderr(&out));
        assert!(stderr(&out).contains(&format!("1 list(s), {entries} entries")), "{file}: {}", stderr(&out));
    }
    // Binary data is not UTF-8: one line naming the file.
    let binary: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8).collect();
    fs::write(p("binary.md"), &binary).unwrap();
    let out = awesome_kg(&["build", p("binary.md").to_str().unwrap(), "--out", out_s]);
    assert!(!out.status.success());
    assert!(stderr(&out).starts_with(&format!("awesome-kg: {}:", p("binary.md").display())), "{}", stderr(&out));
    assert!(stderr(&out).contains("not UTF-8 text"));
}

#[test]
fn check_reports_findings_and_stats() {
    let dir = TempDir::new("check");
    let list = dir.path().join("list.md");
    fs::write(
        &list,
        "# L\n\n## Tools\n\n- [A](https://a.org) - first\n- No link here\n- [B](ftp://b.org) and [A again](https://a.org)\n\n## Empty\n\nNothing.\n",
    )
    .unwrap();
    let out = awesome_kg(&["check", list.to_str().unwrap(), "--stats"]);
    assert!(out.status.success(), "warnings alone do not fail: {}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let l = list.display();
    for expected in [
        format!("{l}:6: warning: item has no link: \"No link here\" [no-link]"),
        format!("{l}:7: warning: link is not http(s): ftp://b.org [non-http-link]"),
        format!("{l}:7: warning: URL also listed at line 5: https://a.org [duplicate-url]"),
        format!("{l}:9: warning: section \"Empty\" has no entry [empty-section]"),
    ] {
        assert!(text.contains(&expected), "missing {expected:?} in:\n{text}");
    }
    assert!(text.contains("linked items"), "{text}");
    let out = awesome_kg(&["check", list.to_str().unwrap(), "--format", "json", "--level", "warning"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"].as_array().unwrap().len(), 4, "{json}");

    let bad = dir.path().join("bad.md");
    fs::write(&bad, b"# ok\n\xff\n").unwrap();
    let out = awesome_kg(&["check", bad.to_str().unwrap(), list.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "an unreadable file is an error");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with(&format!("{}:2: error: not UTF-8 text", bad.display())), "{text}");
}

/// Every file under `dir`, relative, with `/` separators, sorted.
fn files_under(dir: &std::path::Path) -> Vec<String> {
    walk(dir).iter().map(|p| p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/")).collect()
}

#[test]
fn formats_choose_which_files_are_written() {
    let dir = TempDir::new("formats");
    let all = dir.path().join("all");
    build_into(&all);
    let all_files = files_under(&all);
    let queries: Vec<&String> = all_files.iter().filter(|f| f.starts_with("queries/")).collect();
    let query_files =
        fs::read_dir("queries").unwrap().filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "rq"));
    assert_eq!(queries.len(), query_files.count(), "{all_files:?}");

    let cases: [(&[&str], &[&str]); 4] = [
        (
            &["--formats", "ttl,nt,csv,queries"],
            &["edges.csv", "entries.csv", "graph.nt", "graph.ttl", "links.csv", "nodes.csv", "vocab.ttl"],
        ),
        (&["--formats", "nq"], &["graph.nq", "vocab.ttl"]),
        (&["--formats", "trig", "--formats", "jsonld,rdf"], &["graph.jsonld", "graph.rdf", "graph.trig", "vocab.ttl"]),
        (&["--formats", "dot,csv"], &["edges.csv", "entries.csv", "graph.dot", "links.csv", "nodes.csv"]),
    ];
    for (i, (args, expected)) in cases.into_iter().enumerate() {
        let out_dir = dir.path().join(format!("some-{i}"));
        // A file of a kind not asked for, from an earlier build: left as it is.
        fs::create_dir_all(&out_dir).unwrap();
        fs::write(out_dir.join("graph.svg"), b"earlier").unwrap();
        let mut command = vec!["build", "--out", out_dir.to_str().unwrap()];
        command.extend_from_slice(args);
        let out = awesome_kg(&command);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let mut expected: Vec<String> = expected.iter().map(|f| f.to_string()).collect();
        if args.contains(&"ttl,nt,csv,queries") {
            expected.extend(queries.iter().map(|q| q.to_string()));
        }
        if !args.iter().any(|a| a.contains("dot")) {
            expected.push("graph.svg".to_owned());
            assert_eq!(fs::read(out_dir.join("graph.svg")).unwrap(), b"earlier", "{args:?}");
        }
        expected.sort();
        let written = files_under(&out_dir);
        if args.iter().any(|a| a.contains("dot")) && written.contains(&"graph.svg".to_owned()) {
            // Drawn where Graphviz is installed.
            expected.push("graph.svg".to_owned());
            expected.sort();
        }
        assert_eq!(written, expected, "{args:?}");
        // The same bytes as the full build's files.
        for file in written.iter().filter(|f| f.as_str() != "graph.svg") {
            assert!(fs::read(out_dir.join(file)).unwrap() == fs::read(all.join(file)).unwrap(), "{args:?}: {file}");
        }
        // Without RDF or queries, no triples are made, and the summary does not count them.
        let summary = stderr(&out);
        assert_eq!(summary.contains(" triples → "), args != ["--formats", "dot,csv"], "{args:?}: {summary}");
    }

    let out = awesome_kg(&["build", "--out", dir.path().join("x").to_str().unwrap(), "--formats", "ttl,svg"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("invalid value 'svg' for '--formats <KINDS>'"), "{}", stderr(&out));
}
