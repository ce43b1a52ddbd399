//! Writes the site: everything goes into a temporary folder next to the target, which is swapped
//! into place only when the whole build succeeded. A failed build leaves the old output as it was.
//!
//! What a build may replace is decided here, once ([`guard`]): never the site root, a folder
//! holding it, or a folder the build reads; an existing folder only if an earlier build wrote
//! it (it holds [`guard::MARKER`]) or the user passed `--force`. Every output path is checked to
//! be made of plain components, and two outputs of one path are an error naming both.

pub mod guard;

/// Output files: path relative to the output folder → bytes.
pub type Files = BTreeMap<PathBuf, Vec<u8>>;

/// One output file with what it is ("the page content/a.md"), for messages.
pub type OutFile = (PathBuf, Vec<u8>, String);

use crate::error::{Diagnostic, Errors, Result};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, RwLock};

/// Temporary folders being written. Writers hold the read lock while they write; an interrupt
/// takes the write lock, so it removes the folders only after every write in flight ended.
static STAGING: RwLock<BTreeSet<PathBuf>> = RwLock::new(BTreeSet::new());
/// Set by an interrupt: no writer starts a write after it.
static STOPPING: AtomicBool = AtomicBool::new(false);

/// Stops every build writing to disk and removes its temporary folder. Called on Ctrl-C and
/// SIGTERM, before the process exits.
pub fn abandon() {
    STOPPING.store(true, Ordering::SeqCst);
    let mut staging = STAGING.write().unwrap_or_else(|e| e.into_inner());
    for dir in std::mem::take(&mut *staging) {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Where a build's files go: straight into the temporary folder of a build (so a large site is
/// never held in memory whole), into memory (for `serve` and tests) or nowhere (`check`).
/// Written from many threads at once; each path may be written once.
pub struct Output {
    target: Target,
    /// Every path written, with what wrote it (for the message when two outputs share a path)
    /// and its content's [`crate::assets::digest`] (for the offline files' list).
    written: Mutex<BTreeMap<PathBuf, Written>>,
}

/// What wrote a path, and the digest of what it wrote.
struct Written {
    owner: String,
    digest: String,
}

enum Target {
    Staging { dir: PathBuf, out: PathBuf },
    Memory(Mutex<Files>),
    Nowhere,
}

impl Output {
    /// Files kept in memory; [`Output::into_files`] returns them.
    pub fn memory() -> Output {
        Output::new(Target::Memory(Mutex::new(Files::new())))
    }

    /// Files counted and dropped.
    pub fn nowhere() -> Output {
        Output::new(Target::Nowhere)
    }

    /// Files written into a temporary folder next to `out`, which [`Output::commit`] swaps into
    /// place and [`Output::abandon`] (or Ctrl-C) removes. Refuses an `out` that is not safe to
    /// replace (see [`guard::check`]); `force` allows replacing a folder no build wrote.
    pub fn staging(root: &Path, out: &Path, force: bool) -> Result<Output> {
        // From here on, the folder as it will be: `.` or a path through symlinks both work.
        let out = &guard::check(root, out, force)?;
        guard::remove_stale(out);
        let dir = staging_dir(out);
        STAGING
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(dir.clone());
        let created = (|| {
            if dir.exists() {
                std::fs::remove_dir_all(&dir)?;
            }
            std::fs::create_dir_all(&dir)?;
            guard::write_marker(&dir)
        })();
        if let Err(e) = created {
            forget(&dir);
            return Err(write_error(
                out,
                "cannot create the temporary output folder",
                e,
            ));
        }
        Ok(Output::new(Target::Staging {
            dir,
            out: out.to_path_buf(),
        }))
    }

    fn new(target: Target) -> Output {
        Output {
            target,
            written: Mutex::new(BTreeMap::new()),
        }
    }

    /// The folder a staging output replaces (absolute), if any: the build reads nothing from it.
    pub fn destination(&self) -> Option<&Path> {
        match &self.target {
            Target::Staging { out, .. } => Some(out),
            _ => None,
        }
    }

    /// Writes one file (`path` relative to the output root) that the build generated.
    pub fn put(&self, path: PathBuf, bytes: Vec<u8>) -> Result<()> {
        self.put_as(path, bytes, "a file the generator makes")
    }

    /// Writes one file; `owner` says what it is for the message if another output has its path
    /// (e.g. "the page content/tcp/handshake.md").
    pub fn put_as(&self, path: PathBuf, bytes: Vec<u8>, owner: impl Into<String>) -> Result<()> {
        let owner = owner.into();
        if let Err(why) = guard::check_relative(&path) {
            return Err(Diagnostic::new(format!(
                "{owner} would be written outside the output folder or to an unsafe path `{}`: {why}",
                path.display()
            ))
            .hint("output paths are made of plain names: no `.`, `..`, `\\`, NUL or leading `/`")
            .into());
        }
        let digest = crate::assets::digest(&bytes);
        {
            let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
            // The same path, a file where this needs a folder, or a folder where this is a file.
            let taken = written.get(&path).or_else(|| {
                path.ancestors()
                    .skip(1)
                    .find_map(|a| written.get(a))
                    .or_else(|| {
                        use std::ops::Bound;
                        written
                            .range::<PathBuf, _>((Bound::Excluded(&path), Bound::Unbounded))
                            .next()
                            .filter(|(p, _)| p.starts_with(&path))
                            .map(|(_, w)| w)
                    })
            });
            if let Some(Written { owner: other, .. }) = taken {
                // Named in a fixed order: stages and pages write in parallel.
                let (a, b) = if *other <= owner {
                    (other, &owner)
                } else {
                    (&owner, other)
                };
                return Err(Diagnostic::new(format!(
                    "two outputs of the build collide at `{}`: {a}, and {b}",
                    path.display()
                ))
                .hint("give one of them another path (rename the file, or change the alias or tag)")
                .into());
            }
            written.insert(path.clone(), Written { owner, digest });
        }
        match &self.target {
            Target::Staging { dir, out } => {
                // The read lock keeps an interrupt from removing the folder under this write
                // (and a write from recreating it after an interrupt removed it).
                let _writing = STAGING.read().unwrap_or_else(|e| e.into_inner());
                if STOPPING.load(Ordering::SeqCst) {
                    return Err(Diagnostic::new("the build was interrupted").into());
                }
                let full = dir.join(&path);
                if let Some(parent) = full.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| {
                        write_error(out, &format!("cannot create {}", parent.display()), e)
                    })?;
                }
                std::fs::write(&full, bytes)
                    .map_err(|e| write_error(out, &format!("cannot write {}", path.display()), e))
            }
            Target::Memory(files) => {
                files
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(path, bytes);
                Ok(())
            }
            Target::Nowhere => Ok(()),
        }
    }

    /// Writes every file of `files` (in parallel: the search index alone has a file per page).
    pub fn put_all(&self, files: Files) -> Result<()> {
        files
            .into_par_iter()
            .try_for_each(|(path, bytes)| self.put(path, bytes))
    }

    /// Writes every file of `files`, each with what it is, in order (so which of two
    /// outputs of one path is named first never depends on thread timing).
    pub fn put_owned(&self, files: Vec<OutFile>) -> Result<()> {
        files
            .into_iter()
            .try_for_each(|(path, bytes, owner)| self.put_as(path, bytes, owner))
    }

    /// Whether `path` was written.
    pub fn contains(&self, path: &Path) -> bool {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(path)
    }

    /// Every path written with its content's digest.
    pub fn digests(&self) -> BTreeMap<PathBuf, String> {
        let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        written
            .iter()
            .map(|(path, w)| (path.clone(), w.digest.clone()))
            .collect()
    }

    /// How many files were written.
    pub fn count(&self) -> usize {
        self.written.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// The files of a [`Output::memory`] output (empty for the others).
    pub fn into_files(self) -> Files {
        match self.target {
            Target::Memory(files) => files.into_inner().unwrap_or_else(|e| e.into_inner()),
            _ => Files::new(),
        }
    }

    /// Swaps a staging folder into place (nothing to do for the others).
    pub fn commit(self) -> Result<()> {
        let Target::Staging { dir, out } = &self.target else {
            return Ok(());
        };
        let result = swap_in(dir, out)
            .map_err(|e| write_error(out, "cannot move the new output into place", e));
        if result.is_err() {
            let _ = std::fs::remove_dir_all(dir);
        }
        forget(dir);
        result
    }

    /// Removes a staging folder: the previous output stays as it was.
    pub fn abandon(self) {
        if let Target::Staging { dir, .. } = &self.target {
            let _ = std::fs::remove_dir_all(dir);
            forget(dir);
        }
    }
}

/// A temporary folder that is no longer being written.
fn forget(dir: &Path) {
    STAGING
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .remove(dir);
}

fn write_error(out: &Path, what: &str, e: std::io::Error) -> Errors {
    Diagnostic::in_file(out, format!("{what}: {e}"))
        .hint("check that the output folder's parent exists and is writable, or pass --output")
        .into()
}

/// The temporary folder a build of `out` writes into.
pub fn staging_dir(out: &Path) -> PathBuf {
    guard::sibling(out, "tmp", std::process::id())
}

/// Renames `staging` to `out`, moving any old `out` aside first and deleting it afterwards.
/// ([`guard::check`] made sure an existing `out` is a folder a build wrote, or `--force`.)
fn swap_in(staging: &Path, out: &Path) -> std::io::Result<()> {
    if out.exists() {
        let old = guard::sibling(out, "old", std::process::id());
        if old.exists() {
            std::fs::remove_dir_all(&old)?;
        }
        std::fs::rename(out, &old)?;
        if let Err(e) = std::fs::rename(staging, out) {
            std::fs::rename(&old, out)?;
            return Err(e);
        }
        std::fs::remove_dir_all(&old)
    } else {
        std::fs::rename(staging, out)
    }
}
