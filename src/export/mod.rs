//! Writers from the graph (and its RDF) to files: RDF syntaxes, Graphviz DOT, CSV; and the
//! all-or-nothing writing of a set of output files.

pub mod csv;
pub mod dot;
pub mod rdf;

use crate::error::Error;
use std::fs;
use std::path::{Path, PathBuf};

/// One file to write: its path relative to the output folder, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile { path: path.into(), bytes: bytes.into() }
    }
}

/// Writes every file into `dir`: first each to a temporary file beside its target, then, once
/// all are written, renames them into place. On failure the temporary files are removed and no
/// existing file has been touched (a rename failing half-way leaves earlier files replaced whole).
pub fn write_all(dir: &Path, files: &[OutputFile]) -> Result<(), Error> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(files.len());
    let result = (|| {
        for file in files {
            let target = dir.join(&file.path);
            let parent = target.parent().unwrap_or(dir);
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let temp = parent.join(format!(".{name}.{}.tmp", std::process::id()));
            fs::write(&temp, &file.bytes).map_err(|e| Error::io(&temp, e))?;
            staged.push((temp, target));
        }
        Ok(())
    })();
    if let Err(e) = result {
        for (temp, _) in &staged {
            let _ = fs::remove_file(temp);
        }
        return Err(e);
    }
    for (i, (temp, target)) in staged.iter().enumerate() {
        if let Err(e) = fs::rename(temp, target) {
            for (temp, _) in &staged[i..] {
                let _ = fs::remove_file(temp);
            }
            return Err(Error::io(target, e));
        }
    }
    Ok(())
}
