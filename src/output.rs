//! Writes the site: everything goes into a temporary folder next to the target, which is swapped
//! into place only when the whole build succeeded. A failed build leaves the old output as it was.

use crate::error::{Diagnostic, Errors, Result};
use crate::render::Files;
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

/// Adds every file under `root/static` to `files` (generated files with the same path win an error).
pub fn collect_static(root: &Path, files: &mut Files) -> Result<()> {
    let dir = root.join("static");
    if !dir.is_dir() {
        return Ok(());
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
        match std::fs::read(entry.path()) {
            Ok(bytes) => {
                if files.insert(rel.clone(), bytes).is_some() {
                    errors.push(
                        Diagnostic::in_file(
                            Path::new("static").join(&rel),
                            "this file has the same path as a generated file",
                        )
                        .hint("rename or remove it from static/"),
                    );
                }
            }
            Err(e) => errors.push(Diagnostic::in_file(
                Path::new("static").join(&rel),
                format!("cannot read: {e}"),
            )),
        }
    }
    errors.into_result(())
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

/// Writes `files` into `out` atomically: into a sibling temporary folder, then swapped in.
pub fn write_atomic(out: &Path, files: &Files) -> Result<()> {
    let fail = |what: String, e: std::io::Error| -> Errors {
        Diagnostic::in_file(out, format!("{what}: {e}"))
            .hint("check that the output folder's parent exists and is writable, or pass --output")
            .into()
    };
    if out.exists() && !out.is_dir() {
        return Err(
            Diagnostic::in_file(out, "the output path exists and is not a folder")
                .hint("remove it or choose another --output")
                .into(),
        );
    }
    let staging = staging_dir(out);
    *STAGING.lock().unwrap_or_else(|e| e.into_inner()) = Some(staging.clone());
    let result = (|| {
        if staging.exists() {
            std::fs::remove_dir_all(&staging)
                .map_err(|e| fail("cannot clear the temporary folder".into(), e))?;
        }
        std::fs::create_dir_all(&staging)
            .map_err(|e| fail("cannot create the temporary output folder".into(), e))?;
        for (path, bytes) in files {
            let full = staging.join(path);
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| fail(format!("cannot create {}", parent.display()), e))?;
            }
            std::fs::write(&full, bytes)
                .map_err(|e| fail(format!("cannot write {}", path.display()), e))?;
        }
        swap_in(&staging, out).map_err(|e| fail("cannot move the new output into place".into(), e))
    })();
    STAGING.lock().unwrap_or_else(|e| e.into_inner()).take();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
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
