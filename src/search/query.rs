//! The ranking of `static/js/search.js`, ported line by line, over a built index on disk: the
//! `search` command and the ranking tests use it, so ranking can be tuned without a browser.
//!
//! The query's typos are fixed and its stock phrases cut out first ([`Words`]). For each clause
//! (a query term), a page's value is the best of: the term's impact, half the impact of an index
//! term it is a prefix of (while typing, or a single CJK character), and — only when neither
//! exists — half the impact of an ASCII term one edit away. Pages whose title holds every word of
//! the query (or whose URL's last segment is the query) come first; then pages are ordered by
//! the sum of clause values plus bonuses (whole compound tokens, stock phrases, and index words
//! of three or more CJK characters inside the query's runs) times the square of the clauses they
//! match, then by reading order. Pages that match fewer than half the clauses the best page
//! matches are dropped.

use super::format::{self, Meta, Shard};
use super::parse::{parse_query_with, QueryTerm};
use super::tokenize::{is_cjk, normalize, shard_of};
use super::words::Words;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One row of a shard: a term and its postings `(doc, impact)`, deltas undone.
pub type Row = (String, Vec<(u32, u32)>);

/// A page in the index.
#[derive(Debug, Clone)]
pub struct DocMeta {
    /// Title.
    pub title: String,
    /// URL path without the base path.
    pub path: String,
    /// Section title.
    pub section: String,
    /// Description.
    pub description: String,
}

/// A built index loaded from `search/` of an output folder.
#[derive(Debug, Clone)]
pub struct Index {
    /// Number of shards.
    pub shards: u32,
    /// Pages, by id.
    pub docs: Vec<DocMeta>,
    /// Shard number → rows in file order.
    pub rows: BTreeMap<u32, Vec<Row>>,
    /// Stock phrases and typos.
    pub words: Words,
}

/// What a query finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Results {
    /// The query as searched, typos fixed.
    pub text: String,
    /// The clauses (terms a page can match) the query has.
    pub terms: u32,
    /// The pages, best first.
    pub hits: Vec<Hit>,
}

impl Results {
    /// Whether even the best page matches fewer than half of the query's terms: the results are
    /// only related, and the reader is told so.
    pub fn partial(&self) -> bool {
        self.hits
            .first()
            .is_some_and(|h| h.matched * 2 < self.terms)
    }
}

/// A ranked result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Page id.
    pub doc: u32,
    /// Clauses matched.
    pub matched: u32,
    /// Score.
    pub score: u64,
    /// The title holds every word of the query, or the URL's last segment is the query.
    pub exact: bool,
}

impl Index {
    /// Reads `dir/search/meta.json` and every shard.
    pub fn load(dir: &Path) -> std::io::Result<Index> {
        let bad = |e: String| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
        let meta: Meta<'_> = serde_json::from_slice(&std::fs::read(dir.join(format::META_PATH))?)
            .map_err(|e| bad(e.to_string()))?;
        if meta.version != format::VERSION {
            return Err(bad(format!(
                "index format version {}, this mianjing reads version {}",
                meta.version,
                format::VERSION
            )));
        }
        let mut rows = BTreeMap::new();
        for k in 0..meta.shards {
            let path = format::shard_path(k as usize);
            let shard: Shard<'_> = serde_json::from_slice(&std::fs::read(dir.join(&path))?)
                .map_err(|e| bad(format!("{path}: {e}")))?;
            let decoded = shard
                .into_iter()
                .map(|row| match row.postings() {
                    Some(postings) => Ok((row.0.into_owned(), postings)),
                    None => Err(bad(format!(
                        "{path}: the postings of {:?} are broken",
                        row.0
                    ))),
                })
                .collect::<std::io::Result<_>>()?;
            rows.insert(k, decoded);
        }
        let docs = meta
            .docs
            .into_iter()
            .map(|d| DocMeta {
                title: d.0.into_owned(),
                path: d.1.into_owned(),
                section: meta.sections.get(d.2).cloned().unwrap_or_default(),
                description: d.3.into_owned(),
            })
            .collect();
        Ok(Index {
            shards: meta.shards,
            docs,
            rows,
            words: meta.words.into_owned(),
        })
    }

    fn shard(&self, term: &str) -> &[Row] {
        self.rows
            .get(&shard_of(term, self.shards))
            .map_or(&[], Vec::as_slice)
    }

    /// Ranks the pages matching `query`, best first.
    pub fn search(&self, query: &str) -> Results {
        let text = self.words.fix_typos(query).into_owned();
        let q = parse_query_with(&text, &self.words.stock);
        let mut acc: BTreeMap<u32, (u32, u64)> = BTreeMap::new();
        for clause in &q.clauses {
            for (doc, value) in self.clause(clause, true) {
                let e = acc.entry(doc).or_default();
                e.0 += 1;
                e.1 += u64::from(value);
            }
        }
        let mut bonus: BTreeMap<u32, u64> = BTreeMap::new();
        for b in &q.bonus {
            for (doc, value) in self.clause(b, false) {
                *bonus.entry(doc).or_default() += u64::from(value);
            }
        }
        let mut words = BTreeSet::new();
        for run in &q.runs {
            let chars: Vec<char> = run.chars().collect();
            for i in 0..chars.len().saturating_sub(2) {
                let rest: String = chars[i..].iter().collect();
                for (term, postings) in self.shard(&chars[i].to_string()) {
                    if term.chars().count() >= 3
                        && term.chars().all(is_cjk)
                        && rest.starts_with(term.as_str())
                        && words.insert(term.clone())
                    {
                        for &(doc, impact) in postings {
                            *bonus.entry(doc).or_default() += u64::from(impact);
                        }
                    }
                }
            }
        }
        let slug = q.words.join("-");
        let mut hits: Vec<Hit> = acc
            .into_iter()
            .map(|(doc, (matched, score))| Hit {
                doc,
                matched,
                score: score + bonus.get(&doc).copied().unwrap_or(0),
                exact: !q.words.is_empty()
                    && self.docs.get(doc as usize).is_some_and(|d| {
                        let title: String = d.title.chars().map(normalize).collect();
                        q.words.iter().all(|w| title.contains(w.as_str()))
                            || super::index::slug(&d.path) == slug
                    }),
            })
            .collect();
        // Exact titles first; coverage counts twice: score × matched², then more clauses
        // matched, then reading order.
        let key = |h: &Hit| h.score * u64::from(h.matched) * u64::from(h.matched);
        hits.sort_by(|a, b| {
            b.exact
                .cmp(&a.exact)
                .then(key(b).cmp(&key(a)))
                .then(b.matched.cmp(&a.matched))
                .then(a.doc.cmp(&b.doc))
        });
        let top = hits.iter().map(|h| h.matched).max().unwrap_or(0);
        hits.retain(|h| h.matched * 2 >= top);
        Results {
            text,
            terms: q.clauses.len() as u32,
            hits,
        }
    }

    /// Best value per page for one term: exact, prefix (half), else fuzzy (half).
    fn clause(&self, t: &QueryTerm, fuzzy_allowed: bool) -> BTreeMap<u32, u32> {
        let mut best: BTreeMap<u32, u32> = BTreeMap::new();
        let mut put = |postings: &[(u32, u32)], half: bool| {
            for &(doc, impact) in postings {
                let v = if half { impact / 2 } else { impact };
                let e = best.entry(doc).or_default();
                *e = (*e).max(v);
            }
        };
        let rows = self.shard(&t.term);
        let mut found = false;
        for (term, postings) in rows {
            if *term == t.term {
                put(postings, false);
                found = true;
            } else if t.prefix && term.starts_with(t.term.as_str()) {
                put(postings, true);
                found = true;
            }
        }
        if !found && fuzzy_allowed && t.fuzzy {
            for (term, postings) in rows {
                if term.is_ascii() && one_edit(term, &t.term) {
                    put(postings, true);
                }
            }
        }
        best
    }
}

/// Whether two ASCII strings are exactly one substitution, insertion, deletion or adjacent
/// transposition apart.
pub fn one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 || a == b {
        return false;
    }
    let p = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        short[p + 1..] == long[p + 1..]
            || (p + 1 < short.len()
                && short[p] == long[p + 1]
                && short[p + 1] == long[p]
                && short[p + 2..] == long[p + 2..])
    } else {
        short[p..] == long[p + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_cases() {
        assert!(one_edit("epoll", "epol"));
        assert!(one_edit("epoll", "eplol"));
        assert!(one_edit("nginx", "ngnix"));
        assert!(one_edit("nginx", "nginz"));
        assert!(!one_edit("nginx", "nginx"));
        assert!(!one_edit("nginx", "ngxin"));
        assert!(one_edit("ab", "ba"));
    }
}
