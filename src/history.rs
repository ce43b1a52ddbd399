//! When each source was last changed, from the git history: one `git log` over the site root
//! per build, parsed into a map from path to the last commit that touched it. A page's date is
//! the latest of its Markdown file's and its includes'.
//!
//! Only commits count: an uncommitted edit does not move a date, and a file never committed has
//! none, so the dates (and the sitemap and feed made from them) are a function of the checked-out
//! commit. Outside a git checkout, without git, or in a shallow clone (whose oldest commit would
//! lend its date to every older file) there are no dates, and [`History::note`] says why.

use serde::Serialize;
use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

/// The commit time of a change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Updated {
    /// Seconds since the Unix epoch; orders changes.
    pub timestamp: i64,
    /// RFC 3339, in the committer's time zone: `2026-12-07T14:03:00+08:00`.
    pub datetime: String,
    /// The committer's calendar date: `2026-12-07`.
    pub date: String,
}

/// The last commit time of every file under the site root that git knows.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Path relative to the site root, `/`-separated → its last change.
    files: HashMap<String, Updated>,
    /// The newest commit of all.
    latest: Option<Updated>,
    /// Why there are no dates, when git was asked and could not give them.
    note: Option<String>,
}

impl History {
    /// The history of the files under `root`, from `git` on the `PATH`.
    pub fn read(root: &Path) -> History {
        History::read_with(OsStr::new("git"), root)
    }

    /// The history of the files under `root`, from the git program `git`.
    pub fn read_with(git: &OsStr, root: &Path) -> History {
        match log(git, root) {
            Ok(out) => History::parse(&out),
            Err(why) => History {
                note: Some(format!(
                    "pages show no update dates and no feed is made: {why}"
                )),
                ..History::default()
            },
        }
    }

    /// Parses the output of [`log`]: each commit is `\x01<timestamp> <RFC 3339>\0`, then the
    /// paths it touched, each ending in `\0` (the first after a `\n`).
    fn parse(out: &[u8]) -> History {
        let mut history = History::default();
        let mut current: Option<Updated> = None;
        for field in out.split(|&b| b == 0) {
            if let Some(header) = field.strip_prefix(b"\x01") {
                current = std::str::from_utf8(header).ok().and_then(commit);
                if let Some(c) = &current {
                    if history.latest.as_ref().is_none_or(|l| c > l) {
                        history.latest = Some(c.clone());
                    }
                }
                continue;
            }
            let path = field.strip_prefix(b"\n").unwrap_or(field);
            let (Some(c), Ok(path)) = (&current, std::str::from_utf8(path)) else {
                continue;
            };
            if path.is_empty() {
                continue;
            }
            // The log is newest first, but merges and clock skew can break that: keep the max.
            match history.files.get_mut(path) {
                Some(known) if *known >= *c => {}
                Some(known) => *known = c.clone(),
                None => {
                    history.files.insert(path.to_string(), c.clone());
                }
            }
        }
        history
    }

    /// Whether any date is known (the site is a git checkout with commits).
    pub fn is_known(&self) -> bool {
        self.latest.is_some()
    }

    /// The newest commit under the root.
    pub fn latest(&self) -> Option<&Updated> {
        self.latest.as_ref()
    }

    /// Why there are no dates, for one line of the build's summary.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// The last change of the file at `path` (relative to the root).
    pub fn file(&self, path: &str) -> Option<&Updated> {
        self.files.get(&crate::session::normal(path))
    }

    /// The last change of a page: of its source file or any file it includes.
    pub fn page(&self, source: &Path, includes: &[String]) -> Option<&Updated> {
        let source = source.to_string_lossy();
        std::iter::once(source.as_ref())
            .chain(includes.iter().map(String::as_str))
            .filter_map(|path| self.file(path))
            .max()
    }
}

/// `<timestamp> <RFC 3339>` → the commit time.
fn commit(header: &str) -> Option<Updated> {
    let (timestamp, datetime) = header.split_once(' ')?;
    Some(Updated {
        timestamp: timestamp.parse().ok()?,
        date: datetime.get(..10)?.to_string(),
        datetime: datetime.to_string(),
    })
}

/// One `git log` of everything under `root`: every commit's time and the files it touched, paths
/// relative to `root`. With `-z` paths come verbatim (never quoted, whatever `core.quotePath`
/// says), so Chinese file names match the sources' names.
fn log(git: &OsStr, root: &Path) -> Result<Vec<u8>, String> {
    let run = |args: &[&str]| {
        let out = Command::new(git)
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => "git is not installed".to_string(),
                _ => format!("cannot run git: {e}"),
            })?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let first = stderr.lines().next().unwrap_or("").trim();
            let first = first.strip_prefix("fatal: ").unwrap_or(first);
            if first.starts_with("not a git repository") {
                Err("not a git checkout".to_string())
            } else {
                Err(format!("git failed: {first}"))
            }
        }
    };
    if run(&["rev-parse", "--is-shallow-repository"])?.trim_ascii() == b"true" {
        return Err("this is a shallow clone, without the older history (fetch it: `git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)".into());
    }
    run(&[
        "-c",
        "core.quotePath=false",
        "log",
        "-z",
        "--root",
        "--relative",
        "--no-renames",
        "--no-show-signature",
        "--name-only",
        "--format=%x01%ct %cI",
        "--",
        ".",
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commits_and_keeps_each_files_latest() {
        let out = b"\x012000 2026-01-02T10:00:00+08:00\0\nb.rs\0content/\xe4\xb8\xad.md\0\
\x013000 2026-01-03T10:00:00+08:00\0\x011000 2026-01-01T10:00:00+08:00\0\na.md\0b.rs\0";
        let h = History::parse(out);
        assert_eq!(h.file("b.rs").unwrap().timestamp, 2000);
        assert_eq!(h.file("./content/中.md").unwrap().date, "2026-01-02");
        assert_eq!(h.file("a.md").unwrap().timestamp, 1000);
        // The merge (no files) still counts as the newest commit.
        assert_eq!(h.latest().unwrap().timestamp, 3000);
        let page = h.page(Path::new("a.md"), &["b.rs".into(), "missing.rs".into()]);
        assert_eq!(page.unwrap().timestamp, 2000);
        assert!(h.page(Path::new("new.md"), &[]).is_none());
    }

    #[test]
    fn chinese_file_names_match_whatever_core_quote_path_says() {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| {
            let status = Command::new("git")
                .current_dir(dir.path())
                .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
                .args(args)
                .env("GIT_AUTHOR_DATE", "2026-12-07T08:00:00+08:00")
                .env("GIT_COMMITTER_DATE", "2026-12-07T08:00:00+08:00")
                .status()
                .unwrap();
            assert!(status.success(), "git {args:?}");
        };
        git(&["init", "-q"]);
        git(&["config", "core.quotePath", "true"]);
        std::fs::create_dir(dir.path().join("片段")).unwrap();
        std::fs::write(dir.path().join("片段/锁 1.rs"), "fn main() {}\n").unwrap();
        git(&["add", "."]);
        git(&["commit", "-q", "-m", "x"]);
        let h = History::read(&dir.path().join("片段"));
        assert_eq!(h.note(), None);
        let u = h.file("锁 1.rs").expect("dated, path relative to the root");
        assert_eq!(u.datetime, "2026-12-07T08:00:00+08:00");
        assert_eq!(u.date, "2026-12-07");
    }

    #[test]
    fn without_git_there_are_no_dates_and_one_note() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::read_with(OsStr::new("mianjing-no-such-git"), dir.path());
        assert!(!h.is_known());
        assert!(
            h.note().unwrap().contains("git is not installed"),
            "{:?}",
            h.note()
        );
    }
}
