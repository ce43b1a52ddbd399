//! Writes the site: everything goes into a temporary folder next to the target, which is swapped
//! into place only when the whole build succeeded. A failed build leaves the old output as it was.

use crate::error::{Diagnostic, Errors, Result};
use crate::render::Files;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use walkdir::WalkDir;

/// The temporary folder being written, so an interrupt (Ctrl-C) can remove it.
static STAGING: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Removes the temporary folder of a build in progress, if any. Called on Ctrl-C.
pub fn abandon() {
    let staging = STAGING.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(dir) = staging {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Where a build's files go: straight into the temporary folder of a build (so a large site is
/// never held in memory whole), into memory (for `serve` and tests) or nowhere (`check`).
/// Written from many threads at once; each path may be written once.
pub struct Output {
    target: Target,
    written: Mutex<BTreeSet<PathBuf>>,
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
    /// place and [`Output::abandon`] (or Ctrl-C) removes.
    pub fn staging(out: &Path) -> Result<Output> {
        if out.exists() && !out.is_dir() {
            return Err(
                Diagnostic::in_file(out, "the output path exists and is not a folder")
                    .hint("remove it or choose another --output")
                    .into(),
            );
        }
        let dir = staging_dir(out);
        *STAGING.lock().unwrap_or_else(|e| e.into_inner()) = Some(dir.clone());
        let created = (|| {
            if dir.exists() {
                std::fs::remove_dir_all(&dir)?;
            }
            std::fs::create_dir_all(&dir)
        })();
        if let Err(e) = created {
            abandon();
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
            written: Mutex::new(BTreeSet::new()),
        }
    }

    /// Writes one file (`path` relative to the output root).
    pub fn put(&self, path: PathBuf, bytes: Vec<u8>) -> Result<()> {
        if !self
            .written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.clone())
        {
            return Err(Diagnostic::new(format!(
                "two outputs of the build have the same path `{}`",
                path.display()
            ))
            .hint("give one of the pages, aliases or static files another path")
            .into());
        }
        match &self.target {
            Target::Staging { dir, out } => {
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

    /// Whether `path` was written.
    pub fn contains(&self, path: &Path) -> bool {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(path)
    }

    /// How many files were written.
    pub fn len(&self) -> usize {
        self.written.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
        STAGING.lock().unwrap_or_else(|e| e.into_inner()).take();
        result
    }

    /// Removes a staging folder: the previous output stays as it was.
    pub fn abandon(self) {
        if let Target::Staging { dir, .. } = &self.target {
            let _ = std::fs::remove_dir_all(dir);
            STAGING.lock().unwrap_or_else(|e| e.into_inner()).take();
        }
    }
}

fn write_error(out: &Path, what: &str, e: std::io::Error) -> Errors {
    Diagnostic::in_file(out, format!("{what}: {e}"))
        .hint("check that the output folder's parent exists and is writable, or pass --output")
        .into()
}

/// Copies every file under `root/static` to `output` (a static file may not have the path of a
/// generated one); returns their output paths.
pub fn copy_static(root: &Path, output: &Output) -> Result<Vec<PathBuf>> {
    let dir = root.join("static");
    let mut copied = Vec::new();
    if !dir.is_dir() {
        return Ok(copied);
    }
    let mut errors = Errors::default();
    for entry in WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(Diagnostic::in_file("static/", format!("cannot read: {e}")));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .to_path_buf();
        if output.contains(&rel) {
            errors.push(
                Diagnostic::in_file(
                    Path::new("static").join(&rel),
                    "this file has the same path as a generated file",
                )
                .hint("rename or remove it from static/"),
            );
            continue;
        }
        match std::fs::read(entry.path()) {
            Ok(bytes) => match output.put(rel.clone(), bytes) {
                Ok(()) => copied.push(rel),
                Err(e) => errors.0.extend(e.0),
            },
            Err(e) => errors.push(Diagnostic::in_file(
                Path::new("static").join(&rel),
                format!("cannot read: {e}"),
            )),
        }
    }
    errors.into_result(copied)
}

/// The temporary folder a build of `out` writes into.
pub fn staging_dir(out: &Path) -> PathBuf {
    sibling(out, "tmp")
}

fn sibling(out: &Path, what: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
}

/// Renames `staging` to `out`, moving any old `out` aside first and deleting it afterwards.
fn swap_in(staging: &Path, out: &Path) -> std::io::Result<()> {
    if out.exists() {
        let old = sibling(out, "old");
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
