//! Watching the sources: `notify-debouncer-full` watches the site root and its source folders
//! and hands over each change once it is [`TIMEOUT`] old (merging an editor's rename of its
//! temporary file over the page into one event); the site's `.gitignore` and a built-in list
//! (editor swap files, `target/`, `node_modules/`, `.git/`), matched by the `ignore` crate, leave
//! out what no build reads; one burst of changes becomes one [`Batch`] for the builder.
//!
//! Why full and not mini: full keeps each event's kind (so access events and the folders that
//! appear can be told apart) and stitches renames; mini only names paths.

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use notify_debouncer_full::notify::{
    event::ModifyKind, EventKind, RecommendedWatcher, RecursiveMode,
};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A change is handed over once it is this old. Short: [`gather`] makes a burst one batch; this
/// only gives the debouncer time to pair a rename's two halves, which inotify reports together.
const TIMEOUT: Duration = Duration::from_millis(4);

/// How often the debouncer looks for changes old enough. Its thread wakes this often even when
/// nothing changes. Measured against the hand-written debouncer this replaced (which slept until
/// an event and ended a burst after 8 ms of quiet), real site, debug build, load 9 on 2 cores:
/// write → reload event median 23.6 ms instead of 18.7 ms (17.4 against 12.0 at a lighter load,
/// with a 6 ms [`QUIET`]), and about 1% of a core while idle (80–130 ms of CPU time in 10 s)
/// instead of none. Kept for what it does better: a save that renames a temporary file over the
/// page is one change of that page (`sed -i`: an incremental rebuild of 1 ms instead of a full
/// one of 7–38 ms). The goal of scripts/bench-serve.sh, a median under 30 ms, still holds.
const TICK: Duration = Duration::from_millis(4);

/// The debouncer emits what is old enough on each tick, so a burst that straddles a tick comes
/// in two parts: a batch goes on while parts keep coming this close together (two ticks: the
/// debouncer's thread may wake late on a loaded machine)…
const QUIET: Duration = Duration::from_millis(8);

/// …but a stream of changes that never goes quiet (a large checkout) is built at least this often.
const CAP: Duration = Duration::from_millis(100);

/// Top-level entries of the site root whose changes trigger a rebuild.
const SOURCES: [&str; 5] = ["site.toml", "content", "templates", "static", "snippets"];

/// Never sources, whatever the site's `.gitignore` says (gitignore syntax).
const NOISE: &[&str] = &[
    // Editors' swap, backup, lock and temporary files.
    "*.swp",
    "*.swo",
    "*.swx",
    "*.swn",
    "*~",
    ".#*",
    "\\#*#",
    "4913",
    "*.crswap",
    "*___jb_tmp___",
    "*___jb_old___",
    ".DS_Store",
    // Version control, build folders, caches.
    ".git/",
    "target/",
    "node_modules/",
    "__pycache__/",
    ".pytest_cache/",
];

/// The watcher and the bursts of changes it reports.
pub(super) struct Watch {
    /// Kept alive here; also watches a source folder that is created (or re-created).
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    results: mpsc::Receiver<DebounceEventResult>,
    filter: Filter,
}

/// One burst of source changes.
#[derive(Debug)]
pub(super) struct Batch {
    /// Changed sources (absolute), noise left out.
    pub(super) paths: BTreeSet<PathBuf>,
    /// The watcher lost track (queue overflow, error): anything may have changed.
    pub(super) everything: bool,
    /// Source folders that appeared and must be watched.
    new_folders: Vec<PathBuf>,
    /// When the first change of the burst happened.
    pub(super) first: Instant,
}

impl Watch {
    /// Watches the site root (for `site.toml` and source folders appearing) and each source
    /// folder recursively.
    pub(super) fn start(root: &Path) -> Result<Watch, String> {
        let (tx, results) = mpsc::channel();
        let mut debouncer = new_debouncer(TIMEOUT, Some(TICK), move |result| {
            let _ = tx.send(result);
        })
        .map_err(|e| format!("cannot watch files: {e}"))?;
        debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        for name in &SOURCES[1..] {
            let folder = root.join(name);
            if folder.is_dir() {
                debouncer
                    .watch(&folder, RecursiveMode::Recursive)
                    .map_err(|e| format!("cannot watch {}: {e}", folder.display()))?;
            }
        }
        Ok(Watch {
            debouncer,
            results,
            filter: Filter::new(root),
        })
    }

    /// Waits for the next burst of changes; `None` when the watcher is gone.
    pub(super) fn next_batch(&mut self) -> Option<Batch> {
        let batch = gather(&self.results, &self.filter, QUIET, CAP)?;
        for folder in &batch.new_folders {
            if let Err(e) = self.debouncer.watch(folder, RecursiveMode::Recursive) {
                eprintln!("warning: cannot watch {}: {e}", folder.display());
            }
        }
        Some(batch)
    }
}

/// Blocks until the debouncer reports a relevant change, then takes what it reports until
/// `quiet` passes without a report, or `cap` after the first. `None` when the channel is
/// closed and nothing is pending.
fn gather(
    results: &mpsc::Receiver<DebounceEventResult>,
    filter: &Filter,
    quiet: Duration,
    cap: Duration,
) -> Option<Batch> {
    let mut batch = Batch {
        paths: BTreeSet::new(),
        everything: false,
        new_folders: Vec::new(),
        first: Instant::now(),
    };
    loop {
        if add(&mut batch, results.recv().ok()?, filter) {
            break;
        }
    }
    let started = Instant::now();
    loop {
        let deadline = (Instant::now() + quiet).min(started + cap);
        let Some(wait) = deadline.checked_duration_since(Instant::now()) else {
            break;
        };
        match results.recv_timeout(wait) {
            Ok(result) => {
                add(&mut batch, result, filter);
            }
            Err(_) => break,
        }
    }
    Some(batch)
}

/// Adds what the debouncer reported to `batch`; true if it holds a change the site can depend on.
fn add(batch: &mut Batch, result: DebounceEventResult, filter: &Filter) -> bool {
    let events = match result {
        Ok(events) => events,
        Err(errors) => {
            for e in errors {
                eprintln!("warning: file watcher: {e}; rebuilding everything");
            }
            if batch.paths.is_empty() && !batch.everything {
                batch.first = Instant::now();
            }
            batch.everything = true;
            return true;
        }
    };
    let mut relevant = false;
    for event in events {
        if event.need_rescan() {
            batch.everything = true;
            relevant = true;
            continue;
        }
        if matches!(event.kind, EventKind::Access(_)) {
            continue;
        }
        let appeared = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_))
        );
        for path in &event.paths {
            let Some(source) = filter.source_of(path) else {
                continue;
            };
            if !relevant && batch.paths.is_empty() {
                batch.first = event.time;
            }
            batch.first = batch.first.min(event.time);
            relevant = true;
            if appeared
                && source != "site.toml"
                && path.parent() == Some(filter.root.as_path())
                && path.is_dir()
            {
                batch.new_folders.push(path.clone());
            }
            batch.paths.insert(path.clone());
        }
    }
    relevant
}

/// What counts as a change of the site's sources.
struct Filter {
    /// Canonical site root: every event path starts with it.
    root: PathBuf,
    /// The site's `.gitignore` and [`NOISE`].
    ignored: Gitignore,
}

impl Filter {
    fn new(root: &Path) -> Filter {
        let mut builder = GitignoreBuilder::new(root);
        let gitignore = root.join(".gitignore");
        if gitignore.is_file() {
            if let Some(e) = builder.add(&gitignore) {
                eprintln!("warning: {}: {e}", gitignore.display());
            }
        }
        // Last, so that no `!pattern` of the site's brings them back.
        for line in NOISE {
            let _ = builder.add_line(None, line);
        }
        let ignored = builder.build().unwrap_or_else(|e| {
            eprintln!(
                "warning: {}: {e}; ignoring only editor files",
                gitignore.display()
            );
            noise_only(root)
        });
        Filter {
            root: root.to_path_buf(),
            ignored,
        }
    }

    /// The top-level source (`content`, `site.toml`, …) `path` belongs to, if the site depends
    /// on it and it is not ignored.
    fn source_of(&self, path: &Path) -> Option<&'static str> {
        let relative = path.strip_prefix(&self.root).ok()?;
        let mut components = relative.components();
        let first = components.next()?.as_os_str();
        let top = SOURCES.into_iter().find(|s| first == *s)?;
        if top == "site.toml" && components.next().is_some() {
            return None;
        }
        let ignored = self
            .ignored
            .matched_path_or_any_parents(relative, path.is_dir())
            .is_ignore();
        (!ignored).then_some(top)
    }
}

fn noise_only(root: &Path) -> Gitignore {
    let mut builder = GitignoreBuilder::new(root);
    for line in NOISE {
        let _ = builder.add_line(None, line);
    }
    builder.build().unwrap_or_else(|_| Gitignore::empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify_debouncer_full::notify::{self, Event};
    use notify_debouncer_full::DebouncedEvent;

    fn filter(root: &Path) -> Filter {
        Filter {
            root: root.to_path_buf(),
            ignored: noise_only(root),
        }
    }

    #[test]
    fn only_sources_count_as_changes() {
        let root = Path::new("/site");
        let sources = filter(root);
        let source = |p: &str| sources.source_of(Path::new(p));
        assert_eq!(source("/site/content/net/udp.md"), Some("content"));
        assert_eq!(source("/site/site.toml"), Some("site.toml"));
        assert_eq!(source("/site/templates/base.html"), Some("templates"));
        assert_eq!(source("/site/static/css/site.css"), Some("static"));
        assert_eq!(source("/site/snippets/src/echo.rs"), Some("snippets"));
        assert_eq!(source("/site/content/net/.udp.md.tmp"), Some("content"));
        assert_eq!(source("/site/content/net/a#b.md"), Some("content"));
        for noise in [
            "/site/public/index.html",
            "/site/target/debug/x",
            "/site/README.md",
            "/site/site.toml~",
            "/site/content/net/.udp.md.swp",
            "/site/content/net/udp.md~",
            "/site/content/net/.#udp.md",
            "/site/content/net/#udp.md#",
            "/site/content/net/4913",
            "/site/content/net/udp.md___jb_tmp___",
            "/site/snippets/python/__pycache__/echo.cpython-311.pyc",
            "/site/snippets/target/debug/x",
            "/site/static/node_modules/x/index.js",
            "/site/content/.git/HEAD",
            "/elsewhere/content/a.md",
        ] {
            assert_eq!(source(noise), None, "{noise}");
        }
        // A site under a folder named `target` still works.
        let root = Path::new("/home/target/site");
        assert_eq!(
            filter(root).source_of(Path::new("/home/target/site/content/a.md")),
            Some("content")
        );
    }

    #[test]
    fn honours_the_sites_gitignore() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".gitignore"), "*.bak\n/content/drafts/\n").unwrap();
        let filter = Filter::new(dir.path());
        let source = |p: &str| filter.source_of(&dir.path().join(p));
        assert_eq!(source("content/a.md"), Some("content"));
        assert_eq!(source("content/a.md.bak"), None);
        assert_eq!(source("content/drafts/a.md"), None);
        assert_eq!(
            source("content/net/.a.md.swp"),
            None,
            "and the built-in list"
        );
    }

    fn events(kinds: &[(EventKind, &str)]) -> DebounceEventResult {
        let now = Instant::now();
        Ok(kinds
            .iter()
            .map(|(kind, path)| {
                DebouncedEvent::new(Event::new(*kind).add_path(PathBuf::from(path)), now)
            })
            .collect())
    }

    fn modify(path: &str) -> DebounceEventResult {
        events(&[(EventKind::Modify(ModifyKind::Any), path)])
    }

    #[test]
    fn what_the_debouncer_reports_in_a_burst_is_one_batch() {
        let (tx, rx) = mpsc::channel();
        let filter = filter(Path::new("/site"));
        let access = EventKind::Access(notify::event::AccessKind::Any);
        tx.send(events(&[(access, "/site/content/a.md")])).unwrap();
        tx.send(modify("/site/content/.a.md.swp")).unwrap();
        tx.send(modify("/site/content/.a.md.tmp")).unwrap();
        tx.send(modify("/site/content/a.md")).unwrap();
        tx.send(modify("/site/public/a/index.html")).unwrap();
        tx.send(modify("/site/content/a.md")).unwrap();
        drop(tx);
        let batch = gather(&rx, &filter, Duration::from_secs(1), Duration::from_secs(5)).unwrap();
        let paths: Vec<_> = batch.paths.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(paths, ["/site/content/.a.md.tmp", "/site/content/a.md"]);
        assert!(!batch.everything);
        assert!(gather(&rx, &filter, QUIET, CAP).is_none());
    }

    #[test]
    fn quiet_ends_a_batch_and_the_cap_bounds_it() {
        let (tx, rx) = mpsc::channel();
        let filter = filter(Path::new("/site"));
        let sender = std::thread::spawn(move || {
            for _ in 0..50 {
                if tx.send(modify("/site/content/a.md")).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        let started = Instant::now();
        let batch = gather(
            &rx,
            &filter,
            Duration::from_secs(1),
            Duration::from_millis(50),
        )
        .unwrap();
        assert_eq!(batch.paths.len(), 1);
        let took = started.elapsed();
        assert!(
            took < Duration::from_millis(240),
            "{took:?}: the cap ends a batch"
        );
        sender.join().unwrap();
        // The watcher lost track: rebuild everything.
        let (tx, rx) = mpsc::channel();
        tx.send(Err(vec![notify::Error::generic("overflow")]))
            .unwrap();
        let batch = gather(&rx, &filter, Duration::from_millis(1), CAP).unwrap();
        assert!(batch.everything);
    }
}
