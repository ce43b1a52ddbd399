//! The served state and the reload protocol's bookkeeping: the last good build's files as the
//! HTTP handlers read them, the generation counter, the last failure, the history of what recent
//! builds changed, and what a client that connects late must catch up on.

use crate::error::Errors;
use crate::{report, Rebuilt, Session};
use axum::body::Bytes;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard};
use tokio::sync::broadcast;

/// A build that changed more output files than this tells pages to reload, whatever they show.
const MAX_LISTED: usize = 1000;

/// Builds remembered for clients that catch up (reconnect, or connect late).
const HISTORY: usize = 64;

/// What the HTTP handlers read while the builder thread writes.
pub(super) struct Shared {
    /// Names this process in event ids, so a page served by an earlier `serve` reloads.
    pub(super) instance: String,
    site: RwLock<Site>,
    pub(super) events: broadcast::Sender<Message>,
}

/// The served site: the last good build and what the last builds changed.
#[derive(Default)]
pub(super) struct Site {
    /// Output files by path relative to the output root (`net/udp/index.html`), as built.
    pub(super) files: HashMap<String, Bytes>,
    /// Successful builds so far (0: none yet).
    pub(super) generation: u64,
    /// The diagnostics of the last build if it failed.
    pub(super) failure: Option<Arc<str>>,
    /// The last builds' changes, oldest first, for clients that catch up.
    history: VecDeque<Changes>,
}

/// Changed and removed output paths.
type Listed = (Vec<String>, Vec<String>);

/// What one successful build changed; `None`: too many to list.
struct Changes {
    generation: u64,
    paths: Option<Listed>,
}

/// One message for every open event stream.
#[derive(Clone)]
pub(super) enum Message {
    Reload { generation: u64, data: Arc<str> },
    Failed(Arc<str>),
}

impl Shared {
    pub(super) fn new() -> Shared {
        let (events, _) = broadcast::channel(64);
        Shared {
            instance: instance_id(),
            site: RwLock::new(Site::default()),
            events,
        }
    }

    /// The served site, for reading.
    pub(super) fn site(&self) -> RwLockReadGuard<'_, Site> {
        self.site.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Copies a successful build's changed files into the served site and announces it.
    pub(super) fn publish(&self, session: &Session, rebuilt: &Rebuilt) {
        let (changed, removed) = served_changes(session, rebuilt);
        // Pages that only link renamed stylesheets are not announced: the rename is, and an
        // open page swaps the stylesheet in (a page that catches up later reloads).
        let relinked: BTreeSet<String> = rebuilt.relinked.iter().map(|p| output_key(p)).collect();
        let announced: Vec<String> = changed
            .iter()
            .map(|(key, _)| key.clone())
            .filter(|key| !relinked.contains(key))
            .collect();
        let listed =
            (announced.len() + removed.len() <= MAX_LISTED).then(|| (announced, removed.clone()));
        let renamed: Vec<(String, String)> = rebuilt
            .renamed
            .iter()
            .map(|(was, now)| (output_key(was), output_key(now)))
            .collect();
        let data: Arc<str> = match (&listed, renamed.is_empty()) {
            (Some((changed, removed)), false) => serde_json::json!({
                "changed": changed,
                "removed": removed,
                "renamed": renamed.iter().cloned().collect::<BTreeMap<_, _>>(),
            })
            .to_string(),
            _ => reload_data(listed.as_ref()),
        }
        .into();
        let listed = listed.filter(|_| renamed.is_empty());
        let generation = {
            let mut site = self.site.write().unwrap_or_else(PoisonError::into_inner);
            for key in &removed {
                site.files.remove(key);
            }
            site.files.extend(changed);
            site.generation += 1;
            site.failure = None;
            let generation = site.generation;
            site.history.push_back(Changes {
                generation,
                paths: listed,
            });
            if site.history.len() > HISTORY {
                site.history.pop_front();
            }
            generation
        };
        let _ = self.events.send(Message::Reload { generation, data });
    }

    /// Serves the files of a rebuild that no open page shows (the search index) without
    /// announcing a new build: pages fetch them when they search.
    pub(super) fn update_quietly(&self, session: &Session, rebuilt: &Rebuilt) {
        let (changed, removed) = served_changes(session, rebuilt);
        let mut site = self.site.write().unwrap_or_else(PoisonError::into_inner);
        for key in &removed {
            site.files.remove(key);
        }
        site.files.extend(changed);
    }

    /// Reports a failed build in the terminal and to every open page; the site is left as it was.
    pub(super) fn fail(&self, errors: &Errors) {
        let text: Arc<str> = report::diagnostics(errors).into();
        let built = {
            let mut site = self.site.write().unwrap_or_else(PoisonError::into_inner);
            site.failure = Some(Arc::clone(&text));
            site.generation > 0
        };
        let _ = self.events.send(Message::Failed(Arc::clone(&text)));
        report::serve_failed(&text, errors.0.len(), built);
    }
}

/// Tells this process apart from an earlier `serve` (its pages reload on reconnect).
fn instance_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{:x}{:x}", std::process::id(), nanos & 0xffff_ffff_ffff)
}

/// A rebuild's changed files as the server keys and holds them, and its removed keys. Copied
/// outside the lock, so requests keep being served meanwhile.
fn served_changes(session: &Session, rebuilt: &Rebuilt) -> (Vec<(String, Bytes)>, Vec<String>) {
    let changed = rebuilt
        .changed
        .iter()
        .filter_map(|path| {
            let bytes = session.files().get(path)?;
            Some((output_key(path), Bytes::copy_from_slice(bytes)))
        })
        .collect();
    let removed = rebuilt.removed.iter().map(|p| output_key(p)).collect();
    (changed, removed)
}

/// An output path as the served site keys it: `/`-separated, relative.
fn output_key(path: &Path) -> String {
    let key = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        key.into_owned()
    } else {
        key.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// The data of a `reload` event: the changed and removed output paths, or "everything".
pub(super) fn reload_data(listed: Option<&Listed>) -> String {
    match listed {
        Some((changed, removed)) => {
            serde_json::json!({ "changed": changed, "removed": removed }).to_string()
        }
        None => serde_json::json!({ "all": true }).to_string(),
    }
}

/// What a client last saw at `since` (`INSTANCE.GENERATION`) must catch up on: `None` if
/// nothing, else the data of one `reload` event.
pub(super) fn catch_up(site: &Site, instance: &str, since: &str) -> Option<String> {
    let everything = || Some(reload_data(None));
    let Some((from, generation)) = since.rsplit_once('.') else {
        return everything();
    };
    let Ok(generation) = generation.parse::<u64>() else {
        return everything();
    };
    if from != instance || generation > site.generation {
        return everything();
    }
    if generation == site.generation {
        return None;
    }
    // The builds after `generation` must all still be in the history.
    let newer: Vec<&Changes> = site
        .history
        .iter()
        .filter(|c| c.generation > generation)
        .collect();
    if newer.len() as u64 != site.generation - generation {
        return everything();
    }
    let (mut changed, mut removed) = (BTreeSet::new(), BTreeSet::new());
    for change in newer {
        let Some((c, r)) = &change.paths else {
            return everything();
        };
        changed.extend(c.iter().cloned());
        removed.extend(r.iter().cloned());
    }
    if changed.len() + removed.len() > MAX_LISTED {
        return everything();
    }
    let listed = (changed.into_iter().collect(), removed.into_iter().collect());
    Some(reload_data(Some(&listed)))
}

#[cfg(test)]
mod tests {
    use super::*;

    type Entry<'a> = (u64, Option<(&'a [&'a str], &'a [&'a str])>);

    fn site_with(generation: u64, history: Vec<Entry>) -> Site {
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Site {
            generation,
            history: history
                .into_iter()
                .map(|(generation, paths)| Changes {
                    generation,
                    paths: paths.map(|(c, r)| (owned(c), owned(r))),
                })
                .collect(),
            ..Site::default()
        }
    }

    #[test]
    fn late_clients_catch_up_on_what_they_missed() {
        let all = Some(r#"{"all":true}"#.to_string());
        let site = site_with(
            3,
            vec![
                (2, Some((&["a/index.html"], &[]))),
                (
                    3,
                    Some((&["b/index.html", "a/index.html"], &["c/index.html"])),
                ),
            ],
        );
        assert_eq!(catch_up(&site, "x", "x.3"), None);
        assert_eq!(
            catch_up(&site, "x", "x.2"),
            Some(
                r#"{"changed":["a/index.html","b/index.html"],"removed":["c/index.html"]}"#.into()
            )
        );
        assert_eq!(
            catch_up(&site, "x", "x.1"),
            Some(
                r#"{"changed":["a/index.html","b/index.html"],"removed":["c/index.html"]}"#.into()
            )
        );
        assert_eq!(
            catch_up(&site, "x", "x.0"),
            all,
            "generation 1 is forgotten"
        );
        assert_eq!(catch_up(&site, "x", "y.3"), all, "another serve process");
        assert_eq!(catch_up(&site, "x", "x.4"), all);
        assert_eq!(catch_up(&site, "x", "nonsense"), all);
        let site = site_with(2, vec![(1, Some((&[], &[]))), (2, None)]);
        assert_eq!(
            catch_up(&site, "x", "x.1"),
            all,
            "a build that changed too much"
        );
    }
}
