//! Reading the site's own files, for every stage that reads one (site.toml, content, templates,
//! includes): regular files only, inside the site root, and never more than a bounded number of
//! bytes, so a FIFO, a device or a symlink to `/dev/zero` can neither hang nor exhaust a build.

use std::io::Read;
use std::path::{Path, PathBuf};

/// Larger source files are refused: no real page, template or snippet comes near it, and it
/// bounds a build's memory and time.
pub const MAX_SOURCE_BYTES: u64 = 4 * 1024 * 1024;

/// What went wrong reading a source file, as a sentence (the caller names the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: &'static str,
}

/// The canonical site root, for [`read_source`]'s containment check.
pub fn canonical_root(root: &Path) -> std::io::Result<PathBuf> {
    root.canonicalize()
}

/// Reads `path`, which must resolve (through any symlinks) to a regular file under
/// `canonical_root`, and hold at most [`MAX_SOURCE_BYTES`].
pub fn read_source(canonical_root: &Path, path: &Path) -> Result<Vec<u8>, ReadError> {
    let full = path.canonicalize().map_err(|e| ReadError {
        message: format!("cannot read the file: {e}"),
        hint: "check that it exists and is readable",
    })?;
    if !full.starts_with(canonical_root) {
        return Err(ReadError {
            message: "the file is a symlink to a place outside the site root".into(),
            hint: "copy the file into the site instead of linking to it",
        });
    }
    read_regular(&full)
}

/// Reads `full`, a path already resolved inside the site root (as includes are): a regular
/// file of at most [`MAX_SOURCE_BYTES`].
pub fn read_regular(full: &Path) -> Result<Vec<u8>, ReadError> {
    // The type is checked before opening: opening a FIFO would block until a writer comes.
    let meta = std::fs::metadata(full).map_err(|e| ReadError {
        message: format!("cannot read the file: {e}"),
        hint: "check that it exists and is readable",
    })?;
    if !meta.is_file() {
        return Err(ReadError {
            message: "not a regular file (a folder, FIFO, socket or device)".into(),
            hint: "sources must be regular files; remove it or move it out of the site",
        });
    }
    let file = std::fs::File::open(full).map_err(|e| ReadError {
        message: format!("cannot read the file: {e}"),
        hint: "check that it is readable",
    })?;
    // Never trust the size in the metadata (it can change, or lie for special files): read
    // at most one byte past the limit.
    let mut bytes = Vec::with_capacity(meta.len().min(MAX_SOURCE_BYTES) as usize);
    file.take(MAX_SOURCE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError {
            message: format!("cannot read the file: {e}"),
            hint: "check that it is readable",
        })?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(ReadError {
            message: format!(
                "the file is too large (over {} MiB)",
                MAX_SOURCE_BYTES / 1048576
            ),
            hint: "split it into several files",
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_special_files_outside_files_and_oversized_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = canonical_root(dir.path()).unwrap();
        std::fs::write(root.join("ok.md"), "hi").unwrap();
        assert_eq!(read_source(&root, &root.join("ok.md")).unwrap(), b"hi");

        std::os::unix::fs::symlink("/dev/zero", root.join("zero.md")).unwrap();
        let e = read_source(&root, &root.join("zero.md")).unwrap_err();
        assert!(e.message.contains("outside the site root"), "{e:?}");

        std::fs::create_dir(root.join("inner")).unwrap();
        std::os::unix::fs::symlink(root.join("inner"), root.join("dir.md")).unwrap();
        let e = read_source(&root, &root.join("dir.md")).unwrap_err();
        assert!(e.message.contains("not a regular file"), "{e:?}");

        let status = std::process::Command::new("mkfifo")
            .arg(root.join("fifo.md"))
            .status()
            .unwrap();
        assert!(status.success());
        let e = read_source(&root, &root.join("fifo.md")).unwrap_err();
        assert!(e.message.contains("not a regular file"), "{e:?}");

        let big = vec![b'a'; MAX_SOURCE_BYTES as usize + 1];
        std::fs::write(root.join("big.md"), big).unwrap();
        let e = read_source(&root, &root.join("big.md")).unwrap_err();
        assert!(e.message.contains("too large"), "{e:?}");
    }
}
