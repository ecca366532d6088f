//! Writers from the graph (and its RDF) to files: RDF syntaxes, Graphviz DOT, CSV; and the
//! all-or-nothing writing of a set of output files (Staging).

pub mod csv;
pub mod dot;
pub mod jsonld;
pub mod rdf;
pub mod rdfxml;
mod scan;
pub mod turtle;
mod uncached;

use crate::error::Error;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

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

/// Output files on their way into a folder: each is written at once to a temporary file beside
/// its target (so a large export need not stay in memory), and [`Staging::commit`] renames them
/// all into place. Until then no existing file is touched; dropped without a commit (an error
/// on the way), it removes its temporary files. Several threads may stage files at once.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    /// (temporary file, target), in the order staged.
    staged: Mutex<Vec<(PathBuf, PathBuf)>>,
    /// One thread per written file that replaces a file, bringing its bytes to disk (see
    /// [`Staging::commit`]).
    syncing: Mutex<Vec<std::thread::JoinHandle<Result<(), Error>>>>,
}

impl Staging {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Staging { dir: dir.into(), staged: Mutex::default(), syncing: Mutex::default() }
    }

    /// Writes `bytes` to a temporary file for `path` (relative to the folder).
    pub fn put(&self, path: impl AsRef<Path>, bytes: &[u8]) -> Result<(), Error> {
        self.put_with(path.as_ref(), &mut |w| w.write_all(bytes).map_err(|e| Error::io(path.as_ref(), e)))
    }

    /// Streams a temporary file for `path` (relative to the folder) through `write`.
    pub fn put_with(
        &self,
        path: &Path,
        write: &mut dyn FnMut(&mut dyn Write) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let target = self.dir.join(path);
        let parent = target.parent().unwrap_or(&self.dir);
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temp = parent.join(format!(".{name}.{}.tmp", std::process::id()));
        // Whether the rename will replace a file: see `commit`.
        let replaces = target.exists();
        // Record it first, so that a failed write is cleaned up too.
        self.staged.lock().unwrap_or_else(PoisonError::into_inner).push((temp.clone(), target));
        let file = fs::File::create(&temp).map_err(|e| Error::io(&temp, e))?;
        let mut out = uncached::Uncached::new(file);
        write(&mut out)?;
        let file = out.finish().map_err(|e| Error::io(&temp, e))?;
        if !replaces {
            return Ok(());
        }
        let path = temp.clone();
        let sync = file.try_clone().and_then(|file| {
            std::thread::Builder::new().spawn(move || file.sync_data().map_err(|e| Error::io(&path, e)))
        });
        match sync {
            Ok(sync) => self.syncing.lock().unwrap_or_else(PoisonError::into_inner).push(sync),
            // No thread to spare: synced here instead.
            Err(_) => file.sync_data().map_err(|e| Error::io(&temp, e))?,
        }
        Ok(())
    }

    /// Renames every staged file into place (a rename failing half-way leaves the earlier files
    /// replaced whole and removes the rest), once the files that replace others are on disk.
    ///
    /// ext4 writes a file out when it is renamed over another (`auto_da_alloc`): replacing a
    /// 100k-entry build's 1.3 GB of exports spent 0.56 s in the renames, at the very end. So
    /// each file that will replace one is synced on a thread of its own as soon as it is
    /// written, while the other exports are still being made (sync before rename is also the
    /// safe way to replace a file); a file with no predecessor is left to the kernel, as before.
    pub fn commit(self) -> Result<(), Error> {
        let syncing = std::mem::take(&mut *self.syncing.lock().unwrap_or_else(PoisonError::into_inner));
        for sync in syncing {
            sync.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        }
        let mut staged = std::mem::take(&mut *self.staged.lock().unwrap_or_else(PoisonError::into_inner));
        staged.sort_by(|a, b| a.1.cmp(&b.1));
        for (i, (temp, target)) in staged.iter().enumerate() {
            if let Err(e) = fs::rename(temp, target) {
                for (temp, _) in &staged[i..] {
                    let _ = fs::remove_file(temp);
                }
                return Err(Error::io(target, e));
            }
        }
        // The renames themselves reach the disk with their folders. Only where the file system
        // can sync a folder: the files are in place by now, so failing here would misreport.
        let mut folders: Vec<&Path> = staged.iter().filter_map(|(_, target)| target.parent()).collect();
        folders.sort_unstable();
        folders.dedup();
        for folder in folders {
            let _ = fs::File::open(folder).and_then(|f| f.sync_all());
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        for (temp, _) in self.staged.get_mut().unwrap_or_else(PoisonError::into_inner).iter() {
            let _ = fs::remove_file(temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn staged_files_appear_only_on_commit_and_vanish_when_dropped() {
        let dir = std::env::temp_dir().join(format!("awesome-kg-staging-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("a.txt"), "old").unwrap();

        let staging = Staging::new(&dir);
        staging.put("a.txt", b"new").unwrap();
        staging.put("sub/b.txt", b"b").unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.txt")).unwrap(), "old", "nothing replaced before the commit");
        drop(staging);
        assert_eq!(listing(&dir), ["a.txt", "sub"], "an abandoned staging leaves no temporary file");
        assert!(listing(&dir.join("sub")).is_empty());

        let staging = Staging::new(&dir);
        staging.put("a.txt", b"new").unwrap();
        staging.put("sub/b.txt", b"b").unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.txt")).unwrap(), "new");
        assert_eq!(fs::read_to_string(dir.join("sub/b.txt")).unwrap(), "b");
        assert_eq!(listing(&dir), ["a.txt", "sub"]);
        fs::remove_dir_all(&dir).unwrap();
    }
}
