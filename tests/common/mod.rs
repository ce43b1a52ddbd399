//! Helpers shared by the integration tests: build a fixture site and read what it wrote.
#![allow(dead_code)]

use mianjing::BuildOptions;
use std::path::{Path, PathBuf};

/// Path of a fixture site under `tests/sites/`.
pub fn site(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sites")
        .join(name)
}

/// Options that build fixture `name` into `out`.
pub fn options(name: &str, out: &Path) -> BuildOptions {
    BuildOptions {
        root: site(name),
        output: out.to_path_buf(),
        ..Default::default()
    }
}

/// Builds fixture `name` into a fresh temporary folder, panicking with the diagnostics on failure.
pub fn build(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    if let Err(e) = mianjing::build(&options(name, &out)) {
        panic!("build of {name} failed:\n{e}");
    }
    (dir, out)
}

/// Reads an output file as text.
pub fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// The text between `start` and the next `end` after it.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not in:\n{html}"))
        + start.len();
    let j = html[i..]
        .find(end)
        .unwrap_or_else(|| panic!("`{end}` not after `{start}`"))
        + i;
    &html[i..j]
}

/// Copies `from` into `to`, keeping symlinks as symlinks.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).min_depth(1) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if entry.file_type().is_symlink() {
            let _ = std::fs::remove_file(&target);
            std::os::unix::fs::symlink(std::fs::read_link(entry.path()).unwrap(), &target).unwrap();
        } else if entry.file_name() != "case.toml" {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
