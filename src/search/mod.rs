//! The search stage: rendered site → index files under `search/` that `static/js/search.js`
//! loads on demand. See [`tokenize`] for the terms, [`format`] for the files (the one
//! definition the writer and the readers share), `index` for how they are built and [`query`]
//! for the ranking (shared with the browser).

pub mod format;
mod index;
pub mod parse;
pub mod query;
pub mod segment;
pub mod tokenize;
pub mod words;

use crate::content::Site;
use crate::markdown::RenderedSite;
use crate::output::Files;

/// Asked between and within the steps of the search stage: true when the index being built is
/// no longer wanted (`serve` has a newer edit to show first), and the stage gives up. Once true,
/// it must stay true for the rest of the stage.
pub type Stop<'a> = &'a (dyn Fn() -> bool + Sync);

/// For a build that wants its index whatever happens.
pub const NEVER: Stop<'static> = &|| false;

/// The search stage gave up because its [`Stop`] said so.
#[derive(Debug, PartialEq, Eq)]
pub struct Stopped;

/// `Err(Stopped)` once `stop` says so.
fn check(stop: Stop<'_>) -> Result<(), Stopped> {
    if stop() {
        Err(Stopped)
    } else {
        Ok(())
    }
}

/// Builds the index files and adds them to `files`, unless `stop` says to give up first. The
/// pages' text is read where it is, not copied.
pub fn build(
    site: &Site,
    rendered: &RenderedSite,
    files: &mut Files,
    stop: Stop<'_>,
) -> Result<(), Stopped> {
    let sections: Vec<String> = site
        .sections
        .iter()
        .map(|s| s.index.meta.title.clone())
        .collect();
    let mut views = Vec::new();
    for (s, section) in site.sections.iter().enumerate() {
        for &p in &section.pages {
            let page = &site.pages[p];
            let text = rendered.get(&page.key).map(|r| &r.text);
            views.push(index::DocView {
                title: &page.meta.title,
                path: &page.path,
                section: s,
                description: &page.meta.description,
                also_asked: &page.meta.also_asked,
                tags: &page.meta.tags,
                headings: text.map_or(&[], |t| t.headings.as_slice()),
                anchors: text.map_or(&[], |t| t.anchors.as_slice()),
                body: text.map_or("", |t| t.body.as_str()),
                code: text.map_or("", |t| t.code.as_str()),
            });
        }
    }
    for (path, bytes) in index::build(&sections, &views, stop)? {
        files.insert(path.into(), bytes);
    }
    Ok(())
}

/// The `search` command: ranks `query` (or every query of the TSV file `queries`) against the
/// index built into `dir` and returns what to print.
pub fn cli(
    dir: &std::path::Path,
    query: Option<&str>,
    queries: Option<&std::path::Path>,
    limit: usize,
    json: bool,
) -> Result<String, String> {
    let index = query::Index::load(dir).map_err(|e| {
        format!(
            "cannot read the search index in {}: {e} (build the site first: mianjing build --output {})",
            dir.display(),
            dir.display()
        )
    })?;
    let mut list: Vec<String> = query.map(str::to_string).into_iter().collect();
    if let Some(file) = queries {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        list.extend(read_queries(&text).into_iter().map(|(q, _)| q));
    }
    if list.is_empty() {
        return Err("give a query, e.g. mianjing search \"三次握手\", or --queries FILE".into());
    }
    let mut out = String::new();
    for q in &list {
        let found = index.search(q);
        let hits = &found.hits;
        if json {
            let results: Vec<serde_json::Value> = hits
                .iter()
                .take(limit)
                .map(|h| {
                    let d = &index.docs[h.doc as usize];
                    serde_json::json!({"title": d.title, "url": d.path, "score": h.score, "matched": h.matched})
                })
                .collect();
            out.push_str(
                &serde_json::json!({"query": q, "partial": found.partial(), "total": hits.len(), "results": results})
                    .to_string(),
            );
            out.push('\n');
        } else {
            out.push_str(&format!(
                "{q}: {} results{}\n",
                hits.len(),
                if found.partial() {
                    " (none matches half the terms: only related pages)"
                } else {
                    ""
                }
            ));
            for (i, h) in hits.iter().take(limit).enumerate() {
                let d = &index.docs[h.doc as usize];
                out.push_str(&format!(
                    "{:>3}. {}  {}  [{}] score {} ({} matched)\n",
                    i + 1,
                    d.title,
                    d.path,
                    d.section,
                    h.score,
                    h.matched
                ));
            }
        }
    }
    Ok(out)
}

/// Query lines of a TSV file: `query<TAB>expected`, `#` lines and blank lines skipped.
pub fn read_queries(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut cols = l.split('\t');
            let q = cols.next().unwrap_or_default().to_string();
            let e = cols.next().unwrap_or_default().trim().to_string();
            (q, e)
        })
        .collect()
}

/// Whether a title satisfies an expectation: every `|`-separated alternative is a group of
/// words that must all appear (case-insensitive); any alternative will do.
pub fn title_matches(title: &str, expected: &str) -> bool {
    let title = title.to_lowercase();
    expected.split('|').any(|alt| {
        alt.split_whitespace()
            .all(|w| title.contains(&w.to_lowercase()))
    })
}
