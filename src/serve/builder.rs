//! The builder thread: owns the [`Session`] and the [`Watch`]; rebuilds after each burst of
//! changes, publishes the result into the served state, and reports it through [`report`].

use super::state::Shared;
use super::watch::{Batch, Pending, Watch};
use crate::{report, Session};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The first build, before the server listens: reported like `build`'s, or as a failure that
/// pages show until a build succeeds.
pub(super) fn first_build(session: &mut Session, shared: &Shared) {
    let started = Instant::now();
    match session.rebuild(&[]) {
        Ok(rebuilt) => {
            let summary = crate::Summary {
                elapsed: started.elapsed(),
                ..rebuilt.summary.clone()
            };
            report::summary("built", &summary, None);
            shared.publish(session, &rebuilt);
        }
        Err(errors) => shared.fail(&errors),
    }
}

/// Waits for a burst of changes, rebuilds, publishes; changes saved during a rebuild wait in
/// the watcher's channel and make the next round. Returns when the watcher is gone.
pub(super) fn run(mut session: Session, mut watch: Watch, shared: &Shared) {
    let pending = watch.pending();
    while let Some(batch) = watch.next_batch() {
        let started = Instant::now();
        let paths: Vec<PathBuf> = if batch.everything {
            Vec::new()
        } else {
            batch.paths.iter().cloned().collect()
        };
        match session.rebuild(&paths) {
            Ok(rebuilt) => {
                shared.publish(&session, &rebuilt);
                let (pages, after_change) = (started.elapsed(), batch.first.elapsed());
                // Open pages reload now; the search index follows.
                let search = refresh_search(&mut session, shared, &pending);
                report::rebuilt(&report::Rebuild {
                    pages,
                    after_change,
                    changed: rebuilt.changed.len(),
                    removed: rebuilt.removed.len(),
                    sources: &describe(&batch, session.options().root.as_path()),
                    search,
                });
            }
            Err(errors) => {
                shared.fail(&errors);
                // The last good site is still served: its index may lag its pages if the last
                // refresh gave way to this change.
                refresh_search(&mut session, shared, &pending);
            }
        }
    }
}

/// Brings the search index up to date with the pages and serves it; returns how long that
/// took. Gives up, leaving it for the next round, as soon as another change is waiting: that
/// change's pages reload first instead of waiting for an index it would make stale.
fn refresh_search(session: &mut Session, shared: &Shared, pending: &Pending) -> Option<Duration> {
    let index = session.refresh_search(&|| pending.any())?;
    shared.update_quietly(session, &index);
    Some(index.summary.elapsed)
}

/// The changed sources, for the terminal: `content/net/udp.md (+2 more)`.
fn describe(batch: &Batch, root: &Path) -> String {
    if batch.everything || batch.paths.is_empty() {
        return "everything".to_string();
    }
    // Name a file that is still there rather than an editor's renamed-away temporary file.
    let first = batch
        .paths
        .iter()
        .find(|p| p.is_file())
        .or_else(|| batch.paths.iter().next())
        .map_or_else(String::new, |p| {
            p.strip_prefix(root).unwrap_or(p).display().to_string()
        });
    match batch.paths.len() {
        1 => first,
        n => format!("{first} (+{} more)", n - 1),
    }
}
