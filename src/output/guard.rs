//! What a build may write and replace. The one place that decides it, so every path a user can
//! influence (`--output`, aliases, tags, page names, static files) meets the same rules:
//!
//! - the output folder is never the site root, a folder holding it, or a folder the build reads;
//! - an existing output folder is replaced only if a build wrote it ([`MARKER`]) or with `--force`;
//! - every path inside the output is made of plain names ([`check_relative`]);
//! - temporary folders of builds that were killed are removed by the next build.

use crate::error::{Diagnostic, Result};
use std::path::{Component, Path, PathBuf};

/// The file a build leaves in its output folder, so a later build knows it may replace it.
pub const MARKER: &str = ".mianjing-output";

/// Folders of the site root that a build reads (includes outside them are refused separately,
/// see [`crate::markdown::Context::output`]).
pub const READ_FOLDERS: &[&str] = &["content", "templates", "static", "snippets", "syntaxes"];

/// Refuses an output folder the build must not replace; returns it as it will be (absolute,
/// see [`absolute`]).
pub fn check(root: &Path, out: &Path, force: bool) -> Result<PathBuf> {
    let shown = out.display();
    let refuse = |message: String, hint: &str| -> Result<PathBuf> {
        Err(Diagnostic::in_file(out, message).hint(hint).into())
    };
    let root = root.canonicalize().map_err(|e| {
        Diagnostic::in_file(root, format!("cannot resolve the site root: {e}"))
            .hint("pass --root with the folder that holds site.toml")
    })?;
    let out_abs = absolute(out).map_err(|e| {
        Diagnostic::in_file(out, format!("cannot resolve the output folder: {e}"))
            .hint("pass --output with a folder path")
    })?;
    if out_abs == root {
        return refuse(
            format!(
                "the output folder `{shown}` is the site root: building would replace every source"
            ),
            "choose a folder of its own, e.g. --output public",
        );
    }
    if root.starts_with(&out_abs) {
        return refuse(
            format!(
                "the output folder `{shown}` contains the site root: building would replace it"
            ),
            "choose a folder of its own, e.g. --output public",
        );
    }
    for folder in READ_FOLDERS.iter().chain(&[".git"]) {
        if out_abs.starts_with(root.join(folder)) {
            return refuse(
                format!("the output folder `{shown}` is {folder}/ or lies inside it, and the build reads that folder"),
                "choose a folder outside the site's sources, e.g. --output public",
            );
        }
    }
    if out.exists() && !out.is_dir() {
        return refuse(
            format!("the output path `{shown}` exists and is not a folder"),
            "remove it or choose another --output",
        );
    }
    if out.is_dir() && !out.join(MARKER).is_file() && !force {
        let entries = std::fs::read_dir(out).map(|d| d.count()).unwrap_or(0);
        if entries > 0 {
            return refuse(
                format!(
                    "the output folder `{shown}` holds {entries} {} that no build wrote (it has no {MARKER} file); a build replaces its output folder whole",
                    if entries == 1 { "entry" } else { "entries" }
                ),
                "choose another --output, remove the folder, or pass --force to replace it",
            );
        }
    }
    Ok(out_abs)
}

/// `path` made absolute, with symlinks of its existing part resolved and `.`/`..` of the rest
/// applied: the folder it will be, whether or not it exists yet.
pub fn absolute(path: &Path) -> std::io::Result<PathBuf> {
    let abs = std::env::current_dir()?.join(path);
    let parts: Vec<Component> = abs.components().collect();
    for split in (1..=parts.len()).rev() {
        let prefix: PathBuf = parts[..split].iter().collect();
        if let Ok(mut resolved) = prefix.canonicalize() {
            for part in &parts[split..] {
                match part {
                    Component::ParentDir => {
                        resolved.pop();
                    }
                    Component::Normal(name) => resolved.push(name),
                    _ => {}
                }
            }
            return Ok(resolved);
        }
    }
    Ok(abs)
}

/// Writes the marker into a new output folder.
pub fn write_marker(dir: &Path) -> std::io::Result<()> {
    std::fs::write(
        dir.join(MARKER),
        "This folder is written by `mianjing build`, which replaces it whole on every build.\n",
    )
}

/// `.<name>.<what>-<pid>` next to `out`: the temporary folders of a build.
pub fn sibling(out: &Path, what: &str, pid: u32) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.{what}-{pid}"))
}

/// Removes the temporary folders next to `out` of builds that no longer run (killed, or the
/// machine went down), if they carry the marker. Needs `/proc` to tell; elsewhere it leaves them.
pub fn remove_stale(out: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Some(name) = out.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let pid = ["tmp", "old"].iter().find_map(|what| {
            file_name
                .strip_prefix(&format!(".{name}.{what}-"))
                .and_then(|pid| pid.parse::<u32>().ok())
        });
        let Some(pid) = pid else { continue };
        let path = entry.path();
        let running = pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists();
        if !running && path.join(MARKER).is_file() {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Checks that a path inside the output is made of plain names: not empty, no `.` or `..`, no
/// root, no backslash or NUL, no name longer than file systems take.
pub fn check_relative(path: &Path) -> std::result::Result<(), String> {
    let Some(text) = path.to_str() else {
        return Err("it is not valid UTF-8".into());
    };
    if text.is_empty() {
        return Err("it is empty".into());
    }
    if text.starts_with('/') {
        return Err("it is absolute".into());
    }
    for part in text.split('/') {
        check_name(part)?;
    }
    Ok(())
}

/// One name of an output path (see [`check_relative`]).
pub fn check_name(part: &str) -> std::result::Result<(), String> {
    match part {
        "" => Err("it has an empty segment (`//`)".into()),
        "." | ".." => Err(format!("it has a `{part}` segment")),
        _ if part.contains('\\') => Err("it contains a backslash".into()),
        _ if part.contains('\0') => Err("it contains a NUL character".into()),
        _ if part.chars().any(char::is_control) => Err("it contains a control character".into()),
        _ if part.len() > 200 => Err(format!(
            "the segment `{}…` is {} bytes long; file systems take at most 255",
            part.chars().take(20).collect::<String>(),
            part.len()
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_pass() {
        for good in ["index.html", "tags/拥塞控制/index.html", "a/b.c/d"] {
            assert!(check_relative(Path::new(good)).is_ok(), "{good}");
        }
        for bad in [
            "",
            "/etc/x",
            "../x",
            "a/../../x",
            "a/./b",
            "a//b",
            "a\\b",
            "a\0b",
        ] {
            assert!(check_relative(Path::new(bad)).is_err(), "{bad:?}");
        }
        assert!(check_relative(Path::new(&"x".repeat(300))).is_err());
    }

    #[test]
    fn absolute_resolves_what_does_not_exist_yet() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        assert_eq!(absolute(&base.join("a/b/../c")).unwrap(), base.join("a/c"));
        assert_eq!(absolute(&base.join("x/..")).unwrap(), base);
    }

    #[test]
    fn stale_folders_of_dead_builds_go_and_others_stay() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // A process id that cannot be running: above the kernel's maximum.
        let dead = sibling(&out, "tmp", 4_194_305);
        std::fs::create_dir(&dead).unwrap();
        write_marker(&dead).unwrap();
        let unmarked = sibling(&out, "old", 4_194_306);
        std::fs::create_dir(&unmarked).unwrap();
        let alive = sibling(&out, "tmp", std::process::id());
        std::fs::create_dir(&alive).unwrap();
        write_marker(&alive).unwrap();
        remove_stale(&out);
        assert!(!dead.exists());
        assert!(unmarked.exists(), "a folder without the marker is not ours");
        assert!(alive.exists(), "a running build's folder stays");
    }
}
