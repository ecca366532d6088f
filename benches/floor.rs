//! The parse floor of one file: a bare pulldown-cmark pass (same options as the parser) against
//! awesome-kg's parse and parse + extraction, in 7 rounds of one run each. Used by
//! bench/compare.py:
//!
//!     cargo bench --bench floor -- FILE
//!
//! prints `floor_s=… parse_one_core_s=… parse_s=… parse_extract_s=… ratio=…`: the best time of
//! each, and the median over the rounds of parse + extraction ÷ the floor in the same round.
//! The floor and `parse_one_core` are one pass on one core; `parse` and `parse_extract` are
//! what `build` does: from 1 MiB on, parts of the list on every core. The four run in turn
//! within each round, because this VM's speed drifts by half within a minute: best-of loops
//! run one after the other compared different machines (ratios of 1.9 to 4.3 in one hour).

use awesome_kg::extract::{self, Gazetteer};
use awesome_kg::parse::{self, MARKDOWN_OPTIONS};
use std::hint::black_box;
use std::time::Instant;

/// The allocator the awesome-kg binary uses, with its settings, so the figures are the tool's.
#[path = "../src/allocator.rs"]
mod allocator;

/// Seconds taken by `f`.
fn time(f: impl FnOnce()) -> f64 {
    let started = Instant::now();
    f();
    started.elapsed().as_secs_f64()
}

const ROUNDS: usize = 7;

fn main() {
    allocator::return_freed_memory_sooner();
    let Some(path) = std::env::args().skip(1).find(|a| !a.starts_with("--")) else {
        eprintln!("usage: cargo bench --bench floor -- FILE");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let gazetteer = Gazetteer::bundled();
    // Per round: floor, parse + extraction (next to each other: their ratio is the figure),
    // parse on one core, parse.
    let rounds: Vec<[f64; 4]> = (0..ROUNDS)
        .map(|_| {
            let floor = time(|| {
                black_box(
                    pulldown_cmark::Parser::new_ext(black_box(&text), MARKDOWN_OPTIONS).into_offset_iter().count(),
                );
            });
            // The list is what extraction makes: it is dropped after the clock stops, as `build`
            // keeps it (moved into the graph). The parsed document is dropped within the time,
            // as `build` drops it after extraction.
            let mut list = None;
            let parse_extract = time(|| {
                list = Some(black_box(extract::extract(&parse::parse(black_box(&text)), "bench", &path, &gazetteer)));
            });
            drop(list);
            let parse_one_core = time(|| {
                black_box(parse::parse_in_parts(black_box(&text), 1));
            });
            let parse = time(|| {
                black_box(parse::parse(black_box(&text)));
            });
            [floor, parse_one_core, parse, parse_extract]
        })
        .collect();
    let best = |k: usize| rounds.iter().map(|r| r[k]).fold(f64::INFINITY, f64::min);
    let (floor, parse_one_core, parse, parse_extract) = (best(0), best(1), best(2), best(3));
    let mut ratios: Vec<f64> = rounds.iter().map(|r| r[3] / r[0]).collect();
    ratios.sort_by(f64::total_cmp);
    let ratio = ratios[ROUNDS / 2];
    println!(
        "floor_s={floor:.4} parse_one_core_s={parse_one_core:.4} parse_s={parse:.4} parse_extract_s={parse_extract:.4} \
         ratio={ratio:.2}"
    );
}
