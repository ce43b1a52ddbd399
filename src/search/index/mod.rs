//! Builds the search index: per-page weighted term frequencies ([`count`]), BM25-style impacts
//! quantized to integers at build time ([`score`]), split into shards by term key so a query
//! fetches only the shards of its terms ([`write`], in the format of
//! [`crate::search::format`]). This file owns the page as the index sees it and the order of
//! the stages.

pub(super) mod codec;
mod count;
mod score;
mod write;

use super::segment::Segmenter;
use super::{check, format, Stop, Stopped};
use count::{count_run, count_words, Chunk, Counted};
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use score::Merged;
use std::collections::BTreeMap;

/// A page to index, borrowed from wherever its text lives (so the build copies no text).
#[derive(Debug, Clone, Copy)]
pub struct DocView<'a> {
    /// Title.
    pub title: &'a str,
    /// URL path without the base path.
    pub path: &'a str,
    /// Index into the section titles.
    pub section: usize,
    /// One-sentence description.
    pub description: &'a str,
    /// Other phrasings.
    pub also_asked: &'a [String],
    /// Tags.
    pub tags: &'a [String],
    /// Heading texts.
    pub headings: &'a [String],
    /// Per heading: where its section starts in `body`, and its id.
    pub anchors: &'a [(usize, String)],
    /// Prose.
    pub body: &'a str,
    /// Code.
    pub code: &'a str,
}

/// Field numbers: title 0, also_asked 1, tags 2 (and the URL's last segment), headings 3,
/// description 4, body, code.
const FIELDS: usize = 7;
const BODY: usize = 5;
const CODE: usize = 6;

impl<'a> DocView<'a> {
    /// Every text of the page with its field number. The URL's last segment counts as a tag:
    /// it is the page's English name (`/tcp/handshake/`), which the prose may never use.
    fn fields(&self) -> impl Iterator<Item = (usize, &'a str)> {
        let many = |f: usize, list: &'a [String]| list.iter().map(move |t| (f, t.as_str()));
        [(0, self.title)]
            .into_iter()
            .chain(many(1, self.also_asked))
            .chain(many(2, self.tags))
            .chain([(2, slug(self.path))])
            .chain(many(3, self.headings))
            .chain([(4, self.description), (BODY, self.body), (CODE, self.code)])
    }
}

/// The last segment of a URL path: `handshake` of `/tcp/handshake/`.
pub(crate) fn slug(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
}

/// Every page's terms, counted in runs of `per_run` consecutive pages on as many threads: the
/// Han pairs, characters and ASCII terms first, then the jieba words of the long Han runs, with a
/// segmenter loading only the words those pairs can make.
fn count_pages(
    docs: &[DocView<'_>],
    per_run: usize,
    stop: Stop<'_>,
) -> Result<Vec<Chunk>, Stopped> {
    let mut counted: Vec<Counted> = docs
        .par_chunks(per_run)
        .enumerate()
        .map(|(i, pages)| count_run(pages, (i * per_run) as u32, stop))
        .collect::<Result<_, _>>()?;
    let mut pairs = FxHashSet::default();
    for c in &mut counted {
        pairs.extend(std::mem::take(&mut c.pairs));
    }
    let segmenter = Segmenter::for_pairs(&pairs);
    drop(pairs);
    check(stop)?;
    let words: Vec<Chunk> = counted
        .par_iter_mut()
        .map(|c| count_words(&segmenter, c, stop))
        .collect::<Result<_, _>>()?;
    // jieba's tables are the largest thing the index holds: freed here, their memory serves the
    // merge and the files instead of adding to the build's peak.
    drop(segmenter);
    // Chunks of words come after the others: no term is in both, and each term's chunks must
    // be in page order.
    Ok(counted.into_iter().map(|c| c.chunk).chain(words).collect())
}

/// The index files of `docs` (in reading order), by path relative to the output folder; gives
/// up between steps, and within the long ones, once `stop` says so.
pub fn build(
    sections: &[String],
    docs: &[DocView<'_>],
    stop: Stop<'_>,
) -> Result<BTreeMap<String, Vec<u8>>, Stopped> {
    // Runs of consecutive pages, one per thread: each counts its own pages with its own term
    // ids, so the threads share nothing until the merge. Fewer, longer runs learn each term
    // fewer times (a term new to a run is an allocation, a map insert and a row to merge).
    let per_run = docs.len().div_ceil(rayon::current_num_threads()).max(16);
    let chunks = count_pages(docs, per_run, stop)?;
    let merged = Merged::new(&chunks);
    check(stop)?;
    let shards = write::shards(&merged, stop);
    drop(merged);
    drop(chunks);
    check(stop)?;
    let mut files = BTreeMap::new();
    files.insert(
        format::META_PATH.to_string(),
        write::meta(shards.len(), sections, docs),
    );
    for (k, s) in shards.into_iter().enumerate() {
        files.insert(format::shard_path(k), s);
    }
    for (k, f) in write::fragments(docs, stop).into_iter().enumerate() {
        files.insert(format::fragments_path(k), f);
    }
    check(stop)?;
    Ok(files)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::search::format::{Meta, Shard};
    use crate::search::tokenize::shard_of;

    /// A page with a title, a body and code, at `/<title>/` in section 0.
    pub(crate) fn page(
        title: &'static str,
        body: &'static str,
        code: &'static str,
    ) -> DocView<'static> {
        let path = Box::leak(format!("/{}/", title.to_lowercase()).into_boxed_str());
        DocView {
            title,
            path,
            section: 0,
            description: "",
            also_asked: &[],
            tags: &[],
            headings: &[],
            anchors: &[],
            body,
            code,
        }
    }

    #[test]
    fn counting_finds_the_han_pairs_the_segmenter_loads_its_words_by() {
        use crate::search::segment::han_pairs;
        // One-character runs, a character beyond the BMP, full-width letters and Han in code.
        let pages = [
            page(
                "三次握手",
                "握 手，TCP 的三次握手\u{24e00}手 ＡＢＣ一。",
                "let s = \"中文\";",
            ),
            page("UDP", "数据报没有连接 a握b", ""),
        ];
        let mut expected = FxHashSet::default();
        for doc in &pages {
            for (_, text) in doc.fields() {
                han_pairs(text, &mut expected);
            }
        }
        let mut found = FxHashSet::default();
        for (i, run) in pages.chunks(1).enumerate() {
            found.extend(
                count::count_run(run, i as u32, crate::search::NEVER)
                    .unwrap()
                    .pairs,
            );
        }
        assert_eq!(found, expected);
        assert!(expected.len() > 15, "{expected:?}");
    }

    #[test]
    fn gives_up_at_whichever_check_stop_first_says_so() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let body: &'static str = "三次握手的第三个报文可以携带数据 tcp handshake";
        let pages: Vec<_> = (0..40)
            .map(|_| page("握手", body, "fn main() {}"))
            .collect();
        let asked = |from: usize| {
            let calls = AtomicUsize::new(0);
            let stop = || calls.fetch_add(1, Ordering::Relaxed) >= from;
            let result = build(&["网络".to_string()], &pages, &stop);
            (result, calls.into_inner())
        };
        let (whole, checks) = asked(usize::MAX);
        assert_eq!(
            whole,
            build(&["网络".to_string()], &pages, crate::search::NEVER)
        );
        assert!(checks > 40, "checked {checks} times: at least once a page");
        for from in 0..checks {
            assert_eq!(
                asked(from).0,
                Err(Stopped),
                "stop says so from check {from}"
            );
        }
    }

    #[test]
    fn every_term_is_in_its_shard_and_every_page_in_meta() {
        let words: Vec<String> = (0..3000).map(|i| format!("w{i}")).collect();
        let body: &'static str = Box::leak(words.join(" ").into_boxed_str());
        let pages = [
            page("三次握手", body, "fn main() {}"),
            page("UDP", "数据报没有连接", ""),
        ];
        let files = build(&["网络".to_string()], &pages, crate::search::NEVER).unwrap();
        let meta: Meta<'_> = serde_json::from_slice(&files[format::META_PATH]).unwrap();
        assert_eq!(meta.docs.len(), 2);
        assert!(meta.shards > 1, "{} shards", meta.shards);
        let mut terms = 0;
        for k in 0..meta.shards {
            let shard: Shard<'_> =
                serde_json::from_slice(&files[&format::shard_path(k as usize)]).unwrap();
            assert!(shard.windows(2).all(|w| w[0].0 < w[1].0));
            for row in &shard {
                assert_eq!(shard_of(&row.0, meta.shards), k, "{}", row.0);
            }
            terms += shard.len();
        }
        assert!(terms > 3000);
        // meta, the shards, and a fragments file per `per_file` pages.
        let fragments = pages.len().div_ceil(meta.per_file as usize);
        assert_eq!(files.len(), 1 + meta.shards as usize + fragments);
    }
}
