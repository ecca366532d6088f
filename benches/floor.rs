//! The parse floor of one file: a bare pulldown-cmark pass (same options as the parser) against
//! awesome-kg's parse and parse + extraction, best of 5 runs each. Used by bench/compare.py:
//!
//!     cargo bench --bench floor -- FILE
//!
//! prints `floor_s=… parse_one_core_s=… parse_s=… parse_extract_s=… ratio=…` (ratio: parse +
//! extraction ÷ floor). The floor and `parse_one_core` are one pass on one core; `parse` and
//! `parse_extract` are what `build` does: from 1 MiB on, parts of the list on every core.

use awesome_kg::extract::{self, Gazetteer};
use awesome_kg::parse::{self, MARKDOWN_OPTIONS};
use std::hint::black_box;
use std::time::Instant;

/// The allocator the awesome-kg binary uses, with its settings, so the figures are the tool's.
#[path = "../src/allocator.rs"]
mod allocator;

fn best_of(runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    allocator::return_freed_memory_sooner();
    let Some(path) = std::env::args().skip(1).find(|a| !a.starts_with("--")) else {
        eprintln!("usage: cargo bench --bench floor -- FILE");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let gazetteer = Gazetteer::bundled();
    let floor = best_of(5, || {
        black_box(pulldown_cmark::Parser::new_ext(black_box(&text), MARKDOWN_OPTIONS).into_offset_iter().count());
    });
    let parse_one_core = best_of(5, || {
        black_box(parse::parse_in_parts(black_box(&text), 1));
    });
    let parse = best_of(5, || {
        black_box(parse::parse(black_box(&text)));
    });
    let parse_extract = best_of(5, || {
        black_box(extract::extract(&parse::parse(black_box(&text)), "bench", &path, &gazetteer));
    });
    println!(
        "floor_s={floor:.4} parse_one_core_s={parse_one_core:.4} parse_s={parse:.4} parse_extract_s={parse_extract:.4} \
         ratio={:.2}",
        parse_extract / floor
    );
}
