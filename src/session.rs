//! A site kept in memory between rebuilds, for `serve`: after an edit, only what the edit can
//! change is redone, and every file it yields is byte-identical to what a full build writes.
//!
//! - A page whose body (or `answer`) changed: its Markdown and template again, every `@/…#anchor`
//!   checked again, and then, in [`Session::refresh_search`], the search index.
//! - A file some pages include (a snippet): the same for exactly those pages.
//! - A file under `static/`: the static files again; a full rebuild if a stylesheet or script
//!   changed, since every page links those by a name made from their content.
//!
//! After each, `offline.json` and `sw.js` again (they list every file's digest).
//! - Anything else (`site.toml`, templates, a page added, removed or with other front matter,
//!   which can change listings, neighbours, tags and links): a full rebuild.

use crate::assets::{self, Assets};
use crate::error::Result;
use crate::output::Files;
use crate::output::Output;
use crate::{content, markdown, search, BuildOptions, Pipeline, Summary};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A site kept in memory between rebuilds.
pub struct Session {
    options: BuildOptions,
    files: Files,
    /// Each file's digest, kept with `files` (for the offline files' list).
    digests: BTreeMap<PathBuf, String>,
    built: Option<Pipeline>,
    /// Sources changed since the last good build (relative to the root).
    pending: BTreeSet<PathBuf>,
    /// The next rebuild must be a full one (nothing built yet, or the watcher lost track).
    everything: bool,
    /// Pages changed since the search index was built: [`Session::refresh_search`] rebuilds it.
    search_stale: bool,
}

/// What a [`Session::rebuild`] changed in the output.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    /// The build's summary.
    pub summary: Summary,
    /// Output paths whose bytes are new or changed, sorted.
    pub changed: Vec<PathBuf>,
    /// Output paths that no longer exist, sorted.
    pub removed: Vec<PathBuf>,
    /// Whether the whole site was rebuilt (rather than what the changes touch).
    pub full: bool,
    /// Assets whose content-hashed name changed: old output path → new.
    pub renamed: Vec<(PathBuf, PathBuf)>,
    /// Changed files (in `changed`) that differ only by linking those new names: an open page
    /// can take the new stylesheet without reloading.
    pub relinked: Vec<PathBuf>,
}

/// What a set of changed sources asks for.
#[derive(Debug, Default)]
struct Plan {
    /// Keys of pages whose source changed.
    pages: Vec<String>,
    /// Included files that changed, as include paths (relative to the root).
    includes: Vec<String>,
    /// Something under `static/` changed.
    statics: bool,
}

impl Session {
    /// A session with nothing built yet; the first [`rebuild`](Session::rebuild) builds it all.
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            files: Files::new(),
            digests: BTreeMap::new(),
            built: None,
            pending: BTreeSet::new(),
            everything: true,
            search_stale: false,
        }
    }

    /// The options the session builds with.
    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// The last good output, by path relative to the output root.
    pub fn files(&self) -> &Files {
        &self.files
    }

    /// Rebuilds after the sources `changed` (paths under the site root, absolute or relative;
    /// empty means "anything may have changed"). On failure the last good output is kept, and
    /// the changes count again at the next rebuild.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rebuilt> {
        if changed.is_empty() {
            self.everything = true;
        }
        for path in changed {
            let relative = path
                .strip_prefix(&self.options.root)
                .unwrap_or(path)
                .to_path_buf();
            self.pending.insert(relative);
        }
        let plan = match &self.built {
            Some(built) if !self.everything => plan(&self.options.root, built, &self.pending),
            _ => None,
        };
        let result = match plan {
            Some(plan) => self.incremental(plan),
            None => self.full(),
        };
        if result.is_ok() {
            self.pending.clear();
            self.everything = false;
        }
        result
    }

    fn full(&mut self) -> Result<Rebuilt> {
        let output = Output::memory();
        // The git history is read once, by the first good build: a commit changes no source,
        // so the pages the watcher would rebuild are not the ones whose dates it moves.
        let history = self.built.as_ref().map(|b| b.history.clone());
        let (summary, built) = Pipeline::run_with(&self.options, &output, true, history)?;
        self.digests = output.digests();
        let files = output.into_files();
        let changed: Vec<PathBuf> = files
            .iter()
            .filter(|(path, bytes)| self.files.get(*path) != Some(*bytes))
            .map(|(path, _)| path.clone())
            .collect();
        let renamed: Vec<(String, String)> = match &self.built {
            Some(old) => old
                .assets
                .names
                .iter()
                .filter_map(|(plain, was)| {
                    let now = built.assets.names.get(plain)?;
                    (now != was).then(|| (was.clone(), now.clone()))
                })
                .collect(),
            None => Vec::new(),
        };
        let relinked = changed
            .iter()
            .filter(|path| {
                let (Some(old), Some(new)) = (self.files.get(*path), files.get(*path)) else {
                    return false;
                };
                let mut old = String::from_utf8_lossy(old).into_owned();
                for (was, now) in &renamed {
                    old = old.replace(was.as_str(), now);
                }
                !renamed.is_empty() && old.as_bytes() == new.as_slice()
            })
            .cloned()
            .collect();
        let removed = self
            .files
            .keys()
            .filter(|path| !files.contains_key(*path))
            .cloned()
            .collect();
        self.files = files;
        self.built = Some(built);
        self.search_stale = false;
        Ok(Rebuilt {
            summary,
            changed,
            removed,
            full: true,
            renamed: renamed
                .into_iter()
                .map(|(was, now)| (was.into(), now.into()))
                .collect(),
            relinked,
        })
    }

    fn incremental(&mut self, plan: Plan) -> Result<Rebuilt> {
        let started = Instant::now();
        let root = self.options.root.clone();
        let built = self.built.as_mut().expect("a plan needs a build");

        // Pages again from their sources; a change to front matter other than `answer` can
        // change other pages, so it takes a full rebuild.
        let mut reread = Vec::new();
        for key in &plan.pages {
            let old = built
                .site
                .all_pages()
                .find(|p| p.key == *key)
                .expect("planned from this site");
            let new = content::reload_page(&root, old)?;
            let listing = |p: &content::Page| {
                let mut meta = p.meta.clone();
                meta.answer = None;
                meta
            };
            if listing(&new) != listing(old) {
                return self.full();
            }
            reread.push(new);
        }
        let mut dirty: BTreeSet<String> = plan.pages.iter().cloned().collect();
        for (key, r) in &built.rendered {
            if r.includes
                .iter()
                .any(|i| plan.includes.contains(&normal(i)))
            {
                dirty.insert(key.clone());
            }
        }

        // The new sources in, the old ones kept to put back if the pages don't build.
        let mut old_pages = Vec::new();
        for page in reread {
            let slot = content::page_mut(&mut built.site, &page.key).expect("same keys");
            old_pages.push(std::mem::replace(slot, page));
        }
        let output = Output::memory();
        let (rendered, mut errors) = built.render_pages(&dirty, Some(&output), None, true);
        let mut previous = Vec::new();
        if errors.is_empty() {
            for (key, r) in rendered {
                previous.push((key.clone(), built.rendered.insert(key, r)));
            }
            errors = markdown::check_anchors(&built.site, &built.rendered);
        }
        if !errors.is_empty() {
            for (key, r) in previous {
                match r {
                    Some(r) => built.rendered.insert(key, r),
                    None => built.rendered.remove(&key),
                };
            }
            for page in old_pages {
                let key = page.key.clone();
                *content::page_mut(&mut built.site, &key).expect("same keys") = page;
            }
            return Err(errors.sorted());
        }
        if !dirty.is_empty() {
            // The index waits for refresh_search: the edited page can reload without it.
            self.search_stale = true;
        }
        let mut statics = Files::new();
        if plan.statics {
            let assets = Assets::load(&root, &crate::pipeline::generated_assets())?;
            // A stylesheet or script with new content has a new name, which pages link (and a
            // page may link a file that is gone): a full rebuild. A new file is no one's link yet.
            let relinked = built
                .assets
                .names
                .iter()
                .any(|(plain, linked)| assets.names.get(plain) != Some(linked));
            if relinked {
                return self.full();
            }
            let copied = Output::memory();
            assets.write_static(&copied)?;
            statics = copied.into_files();
            // A static file that takes a generated file's path is an error a full build reports.
            if statics
                .keys()
                .any(|p| self.files.contains_key(p) && !built.statics.contains(p))
            {
                return self.full();
            }
            built.assets = assets;
        }

        let mut changed = Vec::new();
        let mut removed = Vec::new();
        if plan.statics {
            for path in std::mem::take(&mut built.statics) {
                if !statics.contains_key(&path) {
                    self.files.remove(&path);
                    self.digests.remove(&path);
                    removed.push(path);
                }
            }
            built.statics = statics.keys().cloned().collect();
        }
        changed.extend(absorb(
            &mut self.files,
            &mut self.digests,
            output.into_files().into_iter().chain(statics),
        ));
        changed.extend(absorb_offline(built, &mut self.files, &mut self.digests));
        changed.sort();
        removed.sort();
        Ok(Rebuilt {
            summary: built.summary(self.files.len(), started),
            changed,
            removed,
            full: false,
            renamed: Vec::new(),
            relinked: Vec::new(),
        })
    }
}

impl Session {
    /// Rebuilds the search index if pages changed since it was built (an incremental
    /// [`rebuild`](Session::rebuild) leaves it for later, so the edited page reloads sooner);
    /// afterwards the files are byte-identical to a full build's, index files that are no
    /// longer written included. `None` when it was up to date, or when `stop` said to give up
    /// (`serve` has a newer edit to show first): the index stays stale and nothing changes.
    pub fn refresh_search(&mut self, stop: search::Stop<'_>) -> Option<Rebuilt> {
        if !self.search_stale {
            return None;
        }
        let started = Instant::now();
        let built = self.built.as_mut()?;
        let output = Output::memory();
        let paths = built.write_search(&output, stop).ok()??;
        if stop() {
            return None; // taking the files in takes a while, and the newer edit redoes them
        }
        self.search_stale = false;
        let removed: Vec<PathBuf> = built.index.difference(&paths).cloned().collect();
        for path in &removed {
            self.files.remove(path);
            self.digests.remove(path);
        }
        built.index = paths;
        let mut changed = absorb(&mut self.files, &mut self.digests, output.into_files());
        changed.extend(absorb_offline(built, &mut self.files, &mut self.digests));
        changed.sort();
        Some(Rebuilt {
            summary: built.summary(self.files.len(), started),
            changed,
            removed,
            full: false,
            renamed: Vec::new(),
            relinked: Vec::new(),
        })
    }
}

/// Puts `new` into `files` (and its digests into `digests`); returns the paths whose bytes were
/// new or different.
fn absorb(
    files: &mut Files,
    digests: &mut BTreeMap<PathBuf, String>,
    new: impl IntoIterator<Item = (PathBuf, Vec<u8>)>,
) -> Vec<PathBuf> {
    let mut changed = Vec::new();
    for (path, bytes) in new {
        if files.get(&path) != Some(&bytes) {
            digests.insert(path.clone(), assets::digest(&bytes));
            files.insert(path.clone(), bytes);
            changed.push(path);
        }
    }
    changed
}

/// Rewrites the offline list and worker for the files as they now are (their digests changed);
/// returns the paths whose bytes changed.
fn absorb_offline(
    built: &Pipeline,
    files: &mut Files,
    digests: &mut BTreeMap<PathBuf, String>,
) -> Vec<PathBuf> {
    let offline = built.offline_files(digests);
    absorb(
        files,
        digests,
        offline.into_iter().map(|(path, bytes, _)| (path, bytes)),
    )
}

/// What rebuilding after `changed` needs, or `None` for a full rebuild.
fn plan(root: &Path, built: &Pipeline, changed: &BTreeSet<PathBuf>) -> Option<Plan> {
    let mut plan = Plan::default();
    for path in changed {
        let mut parts = path.components();
        let top = parts.next()?.as_os_str().to_str()?;
        match top {
            "content" => {
                let key = parts.as_path().to_str()?.replace('\\', "/");
                let exists = root.join(path).is_file();
                let known = built.site.all_pages().any(|p| p.key == key);
                // New, removed or renamed pages change listings: a full rebuild.
                if !(exists && known) {
                    return None;
                }
                plan.pages.push(key);
            }
            "static" => plan.statics = true,
            _ => {
                // Any other file matters only if a page includes it.
                let path = normal(path.to_str()?);
                let included = built
                    .rendered
                    .values()
                    .any(|r| r.includes.iter().any(|i| normal(i) == path));
                if root.join(&path).is_dir() {
                    return None;
                }
                if included {
                    plan.includes.push(path);
                } else if top != "snippets" {
                    // Not a snippet any page shows: it may be something the build reads in full.
                    return None;
                }
            }
        }
    }
    Some(plan)
}

/// An include path as a comparable key: `/` separators, no `./`.
pub(crate) fn normal(path: &str) -> String {
    let path = path.replace('\\', "/");
    path.split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect::<Vec<_>>()
        .join("/")
}
