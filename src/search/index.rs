//! Builds the search index: per-page weighted term frequencies, BM25-style impacts quantized to
//! integers at build time (so the browser and the CLI only add integers), split into shards by
//! term key so a query fetches only the shards of its terms.
//!
//! Files (under `search/`):
//! - `meta.json`: `{"v":1,"n":<shards>,"s":[section titles],"d":[[title, path, section, description], …]}`
//! - `s/<k>.json`: `[[term, [doc, impact, doc, impact, …]], …]`, terms sorted, doc ids as deltas
//! - `d/<doc>.txt`: the page's prose, fetched for snippets of the results shown

use super::segment::{pairs, Segmenter};
use super::tokenize::{index_terms, segments, shard_of, Segment};
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Field weights, times two: title > also_asked > tags > headings > description > body > code.
pub const WEIGHTS: Weights = Weights {
    title: 20,
    also_asked: 12,
    tags: 10,
    headings: 8,
    description: 6,
    body: 2,
    code: 1,
};

/// Weight of each field, times two.
#[derive(Debug, Clone, Copy)]
pub struct Weights {
    /// Page title.
    pub title: u32,
    /// Other phrasings of the question.
    pub also_asked: u32,
    /// Tags.
    pub tags: u32,
    /// Headings.
    pub headings: u32,
    /// One-sentence description.
    pub description: u32,
    /// Prose, including the short answer.
    pub body: u32,
    /// Code blocks.
    pub code: u32,
}

/// A page to index.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// Title.
    pub title: String,
    /// URL path without the base path, e.g. `/tcp/handshake/`.
    pub path: String,
    /// Index into the section titles.
    pub section: usize,
    /// One-sentence description.
    pub description: String,
    /// Other phrasings.
    pub also_asked: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Heading texts.
    pub headings: Vec<String>,
    /// Prose.
    pub body: String,
    /// Code.
    pub code: String,
}

impl Doc {
    /// Every text of the page, field by field.
    fn texts(&self) -> impl Iterator<Item = &str> {
        [self.title.as_str()]
            .into_iter()
            .chain(self.also_asked.iter().map(String::as_str))
            .chain(self.tags.iter().map(String::as_str))
            .chain(self.headings.iter().map(String::as_str))
            .chain([self.description.as_str(), &self.body, &self.code])
    }
}

/// The jieba segmenter for these docs: it loads only the words their Han runs can contain.
pub fn segmenter(docs: &[Doc]) -> Segmenter {
    let keys = docs
        .par_iter()
        .fold(FxHashSet::default, |mut keys, doc| {
            for text in doc.texts() {
                for segment in segments(text) {
                    if let Segment::Cjk(run) = segment {
                        pairs(&run, &mut keys);
                    }
                }
            }
            keys
        })
        .reduce(FxHashSet::default, |mut a, b| {
            a.extend(b);
            a
        });
    Segmenter::for_pairs(&keys)
}

/// Bytes of shard JSON (uncompressed) aimed at per shard; the shard count is the smallest power
/// of two that keeps the average below it.
const SHARD_TARGET_BYTES: usize = 12 * 1024;
const MAX_SHARDS: usize = 256;
/// Longest term indexed, in bytes; longer ones are hashes, URLs and the like.
const MAX_TERM_BYTES: usize = 40;

struct DocTerms {
    /// term → weighted term frequency parts: (field weight, tf) summed into a float later.
    fields: BTreeMap<String, [u32; 7]>,
    body_len: usize,
}

fn keep(term: &str) -> bool {
    term.len() <= MAX_TERM_BYTES && !(term.len() > 6 && term.bytes().all(|b| b.is_ascii_digit()))
}

fn count(doc: &Doc, segmenter: &Segmenter) -> DocTerms {
    let mut fields: BTreeMap<String, [u32; 7]> = BTreeMap::new();
    let mut add = |text: &str, field: usize| -> usize {
        let terms = index_terms(text, segmenter);
        let n = terms.len();
        for t in terms {
            if keep(&t) {
                fields.entry(t).or_default()[field] += 1;
            }
        }
        n
    };
    add(&doc.title, 0);
    for a in &doc.also_asked {
        add(a, 1);
    }
    for t in &doc.tags {
        add(t, 2);
    }
    for h in &doc.headings {
        add(h, 3);
    }
    add(&doc.description, 4);
    let body_len = add(&doc.body, 5);
    add(&doc.code, 6);
    DocTerms { fields, body_len }
}

/// The index files, by path relative to the output folder.
pub fn build(sections: &[String], docs: &[Doc]) -> BTreeMap<String, Vec<u8>> {
    let segmenter = segmenter(docs);
    let counted: Vec<DocTerms> = docs.par_iter().map(|d| count(d, &segmenter)).collect();
    let n = docs.len().max(1) as f64;
    let avg_body = (counted.iter().map(|c| c.body_len).sum::<usize>() as f64 / n).max(1.0);
    let mut postings: BTreeMap<&str, Vec<(u32, [u32; 7])>> = BTreeMap::new();
    for (d, c) in counted.iter().enumerate() {
        for (term, tf) in &c.fields {
            postings.entry(term).or_default().push((d as u32, *tf));
        }
    }
    let w = WEIGHTS;
    let weights = [
        w.title,
        w.also_asked,
        w.tags,
        w.headings,
        w.description,
        w.body,
        w.code,
    ];
    let mut rows: Vec<(&str, String)> = Vec::with_capacity(postings.len());
    for (term, list) in &postings {
        let df = list.len() as f64;
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        let mut row = String::new();
        let _ = write!(
            row,
            "[{},[",
            serde_json::to_string(term).unwrap_or_default()
        );
        let mut prev = 0;
        for (i, (d, tf)) in list.iter().enumerate() {
            let body_norm = 0.25 + 0.75 * counted[*d as usize].body_len as f64 / avg_body;
            let mut raw = 0.0;
            for f in 0..7 {
                if tf[f] == 0 {
                    continue;
                }
                let norm = if f == 5 { body_norm } else { 1.0 };
                let t = f64::from(tf[f]);
                raw += f64::from(weights[f]) / 2.0 * (t * 2.2 / (t + 1.2 * norm));
            }
            let impact = (10.0 * idf * raw).round().clamp(1.0, 65535.0) as u32;
            if i > 0 {
                row.push(',');
            }
            let _ = write!(row, "{},{}", d - prev, impact);
            prev = *d;
        }
        row.push_str("]]");
        rows.push((term, row));
    }
    let total: usize = rows.iter().map(|(_, r)| r.len() + 1).sum();
    let mut shards = 1;
    while shards < MAX_SHARDS && total / shards > SHARD_TARGET_BYTES {
        shards *= 2;
    }
    let mut shard_text: Vec<String> = vec![String::from("["); shards];
    for (term, row) in &rows {
        let s = &mut shard_text[shard_of(term, shards as u32) as usize];
        if s.len() > 1 {
            s.push(',');
        }
        s.push_str(row);
    }
    let mut files = BTreeMap::new();
    for (k, mut s) in shard_text.into_iter().enumerate() {
        s.push(']');
        files.insert(format!("search/s/{k}.json"), s.into_bytes());
    }
    let meta = serde_json::json!({
        "v": 1,
        "n": shards,
        "s": sections,
        "d": docs
            .iter()
            .map(|d| serde_json::json!([d.title, d.path, d.section, d.description]))
            .collect::<Vec<_>>(),
    });
    files.insert(
        "search/meta.json".into(),
        serde_json::to_string(&meta)
            .unwrap_or_default()
            .into_bytes(),
    );
    for (i, d) in docs.iter().enumerate() {
        files.insert(format!("search/d/{i}.txt"), fragment(&d.body).into_bytes());
    }
    files
}

/// The prose shown in snippets: lines trimmed, blank lines dropped.
fn fragment(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        out.push_str(line);
        out.push('\n');
    }
    out
}
