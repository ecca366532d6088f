//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh, empty folder under the system temp dir, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("awesome-kg-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the awesome-kg binary from the project root.
pub fn awesome_kg(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_awesome-kg"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("awesome-kg runs")
}

/// Builds the bundled list into `out` and returns the run's output.
pub fn build_into(out: &Path) -> Output {
    let output = awesome_kg(&["build", "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "build failed: {}", String::from_utf8_lossy(&output.stderr));
    output
}

/// Builds `input` into `out` and returns the run's output.
pub fn build_into_from(out: &Path, input: &str) -> Output {
    let output = awesome_kg(&["build", input, "--out", out.to_str().unwrap(), "--queries", "queries"]);
    assert!(output.status.success(), "build failed: {}", String::from_utf8_lossy(&output.stderr));
    output
}
