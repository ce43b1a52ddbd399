//! Watching the sources: `notify-debouncer-full` watches the site root and its source folders
//! and hands over each change once it is [`TIMEOUT`] old (merging an editor's rename of its
//! temporary file over the page into one event); [`Filter`] leaves out what no build reads; one
//! burst of changes becomes one [`Batch`] for the builder. The builder can ask whether a change
//! is waiting ([`Pending`]) while it works, and give up work that the change would redo.
//!
//! Why full and not mini: full keeps each event's kind (so access events and the folders that
//! appear can be told apart) and stitches renames; mini only names paths.

use super::sources::{Filter, SOURCES};
use notify_debouncer_full::notify::{
    event::ModifyKind, EventKind, RecommendedWatcher, RecursiveMode,
};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
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

/// The watcher and the bursts of changes it reports.
pub(super) struct Watch {
    /// Kept alive here; also watches a source folder that is created (or re-created).
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    /// What the debouncer reported, each report's relevant part (noise left out).
    parts: mpsc::Receiver<Batch>,
    pending: Pending,
}

/// How many reports of changes are waiting in the channel, not yet taken into a batch. Only
/// [`Watch::next_batch`] takes them, so while the builder works the count never falls.
#[derive(Clone, Debug, Default)]
pub(super) struct Pending(Arc<AtomicUsize>);

impl Pending {
    /// Whether a change is waiting for the next batch.
    pub(super) fn any(&self) -> bool {
        self.0.load(Ordering::Acquire) > 0
    }
}

/// Sends the relevant part of the debouncer's `result` on `parts`, counted in `pending`;
/// nothing when it holds no change the site can depend on.
fn forward(
    result: DebounceEventResult,
    filter: &Filter,
    parts: &mpsc::Sender<Batch>,
    pending: &Pending,
) {
    let mut part = Batch::new();
    if add(&mut part, result, filter) {
        // Counted before it is sent: the count is never below what waits in the channel.
        pending.0.fetch_add(1, Ordering::AcqRel);
        if parts.send(part).is_err() {
            pending.0.fetch_sub(1, Ordering::AcqRel);
        }
    }
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
        let (tx, parts) = mpsc::channel();
        let (filter, pending) = (Filter::new(root), Pending::default());
        let counted = pending.clone();
        let mut debouncer = new_debouncer(TIMEOUT, Some(TICK), move |result| {
            forward(result, &filter, &tx, &counted);
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
            parts,
            pending,
        })
    }

    /// Tells whether a change is waiting, for as long as the watcher lives.
    pub(super) fn pending(&self) -> Pending {
        self.pending.clone()
    }

    /// Waits for the next burst of changes; `None` when the watcher is gone.
    pub(super) fn next_batch(&mut self) -> Option<Batch> {
        let batch = gather(&self.parts, &self.pending, QUIET, CAP)?;
        for folder in &batch.new_folders {
            if let Err(e) = self.debouncer.watch(folder, RecursiveMode::Recursive) {
                eprintln!("warning: cannot watch {}: {e}", folder.display());
            }
        }
        Some(batch)
    }
}

/// Blocks until a relevant change is reported, then takes what is reported until `quiet` passes
/// without a report, or `cap` after the first. `None` when the channel is closed and nothing is
/// pending.
fn gather(
    parts: &mpsc::Receiver<Batch>,
    pending: &Pending,
    quiet: Duration,
    cap: Duration,
) -> Option<Batch> {
    let take = |part| {
        pending.0.fetch_sub(1, Ordering::AcqRel);
        part
    };
    let mut batch = take(parts.recv().ok()?);
    let started = Instant::now();
    loop {
        let deadline = (Instant::now() + quiet).min(started + cap);
        let Some(wait) = deadline.checked_duration_since(Instant::now()) else {
            break;
        };
        match parts.recv_timeout(wait) {
            Ok(part) => batch.merge(take(part)),
            Err(_) => break,
        }
    }
    Some(batch)
}

impl Batch {
    fn new() -> Batch {
        Batch {
            paths: BTreeSet::new(),
            everything: false,
            new_folders: Vec::new(),
            first: Instant::now(),
        }
    }

    fn merge(&mut self, part: Batch) {
        self.paths.extend(part.paths);
        self.everything |= part.everything;
        self.new_folders.extend(part.new_folders);
        self.first = self.first.min(part.first);
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use notify_debouncer_full::notify::{self, Event};
    use notify_debouncer_full::DebouncedEvent;

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
        let (filter, pending) = (Filter::new(Path::new("/site")), Pending::default());
        let send = |result| forward(result, &filter, &tx, &pending);
        let access = EventKind::Access(notify::event::AccessKind::Any);
        send(events(&[(access, "/site/content/a.md")]));
        send(modify("/site/content/.a.md.swp"));
        send(modify("/site/public/a/index.html"));
        assert!(!pending.any(), "noise is not a change");
        send(modify("/site/content/.a.md.tmp"));
        assert!(pending.any());
        send(modify("/site/content/a.md"));
        send(modify("/site/public/a/index.html"));
        send(modify("/site/content/a.md"));
        drop(tx);
        let batch = gather(
            &rx,
            &pending,
            Duration::from_secs(1),
            Duration::from_secs(5),
        )
        .unwrap();
        let paths: Vec<_> = batch.paths.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(paths, ["/site/content/.a.md.tmp", "/site/content/a.md"]);
        assert!(!batch.everything);
        assert!(!pending.any(), "all taken");
        assert!(gather(&rx, &pending, QUIET, CAP).is_none());
        // A report the builder is gone for is not waiting.
        let (tx, rx) = mpsc::channel();
        drop(rx);
        forward(modify("/site/content/a.md"), &filter, &tx, &pending);
        assert!(!pending.any());
    }

    #[test]
    fn quiet_ends_a_batch_and_the_cap_bounds_it() {
        let (tx, rx) = mpsc::channel();
        let pending = Pending::default();
        let sender = {
            let pending = pending.clone();
            std::thread::spawn(move || {
                let filter = Filter::new(Path::new("/site"));
                for _ in 0..50 {
                    forward(modify("/site/content/a.md"), &filter, &tx, &pending);
                    std::thread::sleep(Duration::from_millis(5));
                }
            })
        };
        let started = Instant::now();
        let batch = gather(
            &rx,
            &pending,
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
        drop(rx);
        sender.join().unwrap();
        // The watcher lost track: rebuild everything.
        let (tx, rx) = mpsc::channel();
        let pending = Pending::default();
        forward(
            Err(vec![notify::Error::generic("overflow")]),
            &Filter::new(Path::new("/site")),
            &tx,
            &pending,
        );
        let batch = gather(&rx, &pending, Duration::from_millis(1), CAP).unwrap();
        assert!(batch.everything);
    }
}
