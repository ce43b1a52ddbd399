//! Builds the search index: per-page weighted term frequencies, BM25-style impacts quantized to
//! integers at build time (so the browser and the CLI only add integers), split into shards by
//! term key so a query fetches only the shards of its terms.
//!
//! Files (under `search/`):
//! - `meta.json`: `{"v":1,"n":<shards>,"f":<pages per d file>,"s":[section titles],"d":[[title, path, section, description], …]}`
//! - `s/<k>.json`: `[[term, [doc, impact, doc, impact, …]], …]`, terms sorted, doc ids as deltas
//! - `d/<k>.json`: the prose of pages `k·f` to `k·f + f - 1`, as a JSON list of strings, fetched
//!   for snippets of the results shown

use super::segment::{han_pairs, Segmenter};
use super::tokenize::{each_index_term, han_text, shard_of, IndexTerm};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;

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
    /// The page as [`build_views`] reads it.
    pub fn view(&self) -> DocView<'_> {
        DocView {
            title: &self.title,
            path: &self.path,
            section: self.section,
            description: &self.description,
            also_asked: &self.also_asked,
            tags: &self.tags,
            headings: &self.headings,
            body: &self.body,
            code: &self.code,
        }
    }
}

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
    /// Prose.
    pub body: &'a str,
    /// Code.
    pub code: &'a str,
}

/// Field numbers, in [`WEIGHTS`] order.
const FIELDS: usize = 7;
const BODY: usize = 5;
const CODE: usize = 6;

impl<'a> DocView<'a> {
    /// Every text of the page with its field number.
    fn fields(&self) -> impl Iterator<Item = (usize, &'a str)> {
        let many = |f: usize, list: &'a [String]| list.iter().map(move |t| (f, t.as_str()));
        [(0, self.title)]
            .into_iter()
            .chain(many(1, self.also_asked))
            .chain(many(2, self.tags))
            .chain(many(3, self.headings))
            .chain([(4, self.description), (BODY, self.body), (CODE, self.code)])
    }
}

/// The jieba segmenter for these docs: it loads only the words their Han runs can contain.
pub fn segmenter(docs: &[Doc]) -> Segmenter {
    let views: Vec<DocView<'_>> = docs.iter().map(Doc::view).collect();
    segmenter_for(&views)
}

fn segmenter_for(docs: &[DocView<'_>]) -> Segmenter {
    let keys = docs
        .par_iter()
        .fold(FxHashSet::default, |mut keys, doc| {
            for (_, text) in doc.fields() {
                han_pairs(text, &mut keys);
            }
            keys
        })
        .reduce(FxHashSet::default, |a, b| {
            let (mut a, b) = if a.len() < b.len() { (b, a) } else { (a, b) };
            a.extend(b);
            a
        });
    Segmenter::for_pairs(&keys)
}

/// Bytes of shard JSON (uncompressed) aimed at per shard; the shard count is the smallest power
/// of two that keeps the average below it (about 3 KB gzipped per query term). Larger shards would
/// save a small site a few dozen files but cost readers more bytes per query.
const SHARD_TARGET_BYTES: usize = 12 * 1024;
const MAX_SHARDS: usize = 256;
/// Longest term indexed, in bytes; longer ones are hashes, URLs and the like.
const MAX_TERM_BYTES: usize = 40;

fn keep(term: &str) -> bool {
    term.len() <= MAX_TERM_BYTES && !(term.len() > 6 && term.bytes().all(|b| b.is_ascii_digit()))
}

// ---- compact postings ----------------------------------------------------------------------
//
// While the pages are counted, a posting is a doc delta (varint) and the term's frequency per
// field in one byte when only the body or only the code has it fewer than 64 times (nearly
// always), else a byte with the fields' bit mask and a varint per field. Impacts need the
// document frequency and the average body length, known only once every page is counted.

fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn varint_len(v: u32) -> usize {
    match v {
        0..0x80 => 1,
        0x80..0x4000 => 2,
        0x4000..0x20_0000 => 3,
        0x20_0000..0x1000_0000 => 4,
        _ => 5,
    }
}

fn get_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let mut v = 0u32;
    let mut shift = 0;
    loop {
        let b = bytes[*at];
        *at += 1;
        v |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            return v;
        }
        shift += 7;
    }
}

fn put_tf(out: &mut Vec<u8>, tf: &[u32; FIELDS]) {
    let mask = (0..FIELDS).fold(0u8, |m, f| m | u8::from(tf[f] > 0) << f);
    if mask == 1 << BODY && tf[BODY] < 64 {
        out.push(tf[BODY] as u8);
    } else if mask == 1 << CODE && tf[CODE] < 64 {
        out.push(64 | tf[CODE] as u8);
    } else {
        out.push(0x80 | mask);
        for &t in tf.iter().filter(|&&t| t > 0) {
            put_varint(out, t);
        }
    }
}

fn get_tf(bytes: &[u8], at: &mut usize) -> [u32; FIELDS] {
    let mut tf = [0; FIELDS];
    let b = bytes[*at];
    *at += 1;
    if b < 64 {
        tf[BODY] = u32::from(b);
    } else if b < 0x80 {
        tf[CODE] = u32::from(b & 63);
    } else {
        for (f, t) in tf.iter_mut().enumerate() {
            if b & 1 << f != 0 {
                *t = get_varint(bytes, at);
            }
        }
    }
    tf
}

/// The postings of a run of consecutive pages, by term.
struct Chunk {
    /// The run's first page.
    first: u32,
    /// Local term id → term.
    terms: Vec<String>,
    /// Local term id → pages that have it.
    df: Vec<u32>,
    /// Local term id → start of its postings in `data` (and the end, at the next id).
    offsets: Vec<usize>,
    data: Vec<u8>,
    /// Terms in each page's body (the length BM25 normalises by).
    body_lens: Vec<u32>,
}

/// Counts the terms of consecutive pages. Term ids are local to the chunk.
struct Counter<'s> {
    segmenter: &'s Segmenter,
    han: FxHashMap<u64, u32>,
    text: FxHashMap<Box<str>, u32>,
    terms: Vec<String>,
    /// Per term: its frequencies in the page being counted (all zero when absent).
    tf: Vec<[u32; FIELDS]>,
    /// Terms of the page being counted.
    touched: Vec<u32>,
    /// Per term: bytes of postings so far, pages so far, last page.
    size: Vec<usize>,
    df: Vec<u32>,
    last: Vec<u32>,
    /// Postings in page order: term id (varint) and frequencies; `ends` splits the pages.
    stream: Vec<u8>,
    ends: Vec<usize>,
    body_lens: Vec<u32>,
    ascii: String,
}

impl<'s> Counter<'s> {
    fn new(segmenter: &'s Segmenter) -> Self {
        Counter {
            segmenter,
            han: FxHashMap::default(),
            text: FxHashMap::default(),
            terms: Vec::new(),
            tf: Vec::new(),
            touched: Vec::new(),
            size: Vec::new(),
            df: Vec::new(),
            last: Vec::new(),
            stream: Vec::new(),
            ends: Vec::new(),
            body_lens: Vec::new(),
            ascii: String::new(),
        }
    }

    fn new_term(&mut self, term: String) -> u32 {
        let id = self.terms.len() as u32;
        self.terms.push(term);
        self.tf.push([0; FIELDS]);
        self.size.push(0);
        self.df.push(0);
        self.last.push(0);
        id
    }

    fn add(&mut self, doc: &DocView<'_>) {
        let mut body_len = 0u32;
        let mut ascii = std::mem::take(&mut self.ascii);
        let segmenter = self.segmenter;
        for (field, text) in doc.fields() {
            each_index_term(text, segmenter, &mut ascii, |term| {
                if field == BODY {
                    body_len += 1;
                }
                let id = match term {
                    IndexTerm::Han(key) => match self.han.get(&key) {
                        Some(&id) => id,
                        None => {
                            let id = self.new_term(han_text(key));
                            self.han.insert(key, id);
                            id
                        }
                    },
                    IndexTerm::Text(t) => match self.text.get(t) {
                        Some(&id) => id,
                        None if keep(t) => {
                            let id = self.new_term(t.to_string());
                            self.text.insert(t.into(), id);
                            id
                        }
                        None => return,
                    },
                };
                let tf = &mut self.tf[id as usize];
                if *tf == [0; FIELDS] {
                    self.touched.push(id);
                }
                tf[field] += 1;
            });
        }
        self.ascii = ascii;
        let d = self.body_lens.len() as u32;
        self.body_lens.push(body_len);
        for &id in &self.touched {
            let i = id as usize;
            let before = self.stream.len();
            put_tf(&mut self.stream, &self.tf[i]);
            self.size[i] += self.stream.len() - before + varint_len(d - self.last[i]);
            put_varint(&mut self.stream, id);
            self.last[i] = d;
            self.df[i] += 1;
            self.tf[i] = [0; FIELDS];
        }
        self.touched.clear();
        self.ends.push(self.stream.len());
    }

    /// Lays the postings out by term.
    fn finish(self, first: u32) -> Chunk {
        let mut offsets = Vec::with_capacity(self.terms.len() + 1);
        let mut at = 0;
        for &s in &self.size {
            offsets.push(at);
            at += s;
        }
        offsets.push(at);
        let mut data = vec![0u8; at];
        let mut cursor = offsets.clone();
        let mut last = vec![0u32; self.terms.len()];
        let mut pos = 0;
        let mut scratch = Vec::with_capacity(16);
        for (d, &end) in self.ends.iter().enumerate() {
            let d = d as u32;
            while pos < end {
                let tf_at = pos;
                get_tf(&self.stream, &mut pos);
                let tf_bytes = &self.stream[tf_at..pos];
                let id = get_varint(&self.stream, &mut pos) as usize;
                scratch.clear();
                put_varint(&mut scratch, d - last[id]);
                scratch.extend_from_slice(tf_bytes);
                data[cursor[id]..cursor[id] + scratch.len()].copy_from_slice(&scratch);
                cursor[id] += scratch.len();
                last[id] = d;
            }
        }
        Chunk {
            first,
            terms: self.terms,
            df: self.df,
            offsets,
            data,
            body_lens: self.body_lens,
        }
    }
}

/// Every term of the site with where its postings are.
struct Merged<'c> {
    chunks: &'c [Chunk],
    /// Terms, sorted.
    terms: Vec<&'c str>,
    /// Term → its (chunk, local id) pairs in `parts`, from `starts[t]` to `starts[t + 1]`.
    starts: Vec<usize>,
    parts: Vec<(u32, u32)>,
    df: Vec<u32>,
    body_norm: Vec<f64>,
    n: f64,
}

impl<'c> Merged<'c> {
    fn new(chunks: &'c [Chunk]) -> Self {
        let mut all: Vec<(&str, u32, u32)> = chunks
            .iter()
            .enumerate()
            .flat_map(|(c, chunk)| {
                chunk
                    .terms
                    .iter()
                    .enumerate()
                    .map(move |(l, t)| (t.as_str(), c as u32, l as u32))
            })
            .collect();
        all.par_sort_unstable();
        let mut terms = Vec::new();
        let mut starts = Vec::new();
        let mut df = Vec::new();
        let mut parts = Vec::with_capacity(all.len());
        for (i, &(term, c, l)) in all.iter().enumerate() {
            if i == 0 || all[i - 1].0 != term {
                terms.push(term);
                starts.push(parts.len());
                df.push(0);
            }
            parts.push((c, l));
            *df.last_mut().expect("pushed above") += chunks[c as usize].df[l as usize];
        }
        starts.push(parts.len());
        let body_lens: Vec<u32> = chunks
            .iter()
            .flat_map(|c| c.body_lens.iter().copied())
            .collect();
        let n = body_lens.len().max(1) as f64;
        let avg_body = (body_lens.iter().map(|&b| b as usize).sum::<usize>() as f64 / n).max(1.0);
        let body_norm = body_lens
            .iter()
            .map(|&b| 0.25 + 0.75 * b as f64 / avg_body)
            .collect();
        Merged {
            chunks,
            terms,
            starts,
            parts,
            df,
            body_norm,
            n,
        }
    }

    /// Hands `emit` each page of term `t` with its impact, in page order.
    fn postings(&self, t: usize, mut emit: impl FnMut(u32, u32)) {
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
        let df = f64::from(self.df[t]);
        let idf = (1.0 + (self.n - df + 0.5) / (df + 0.5)).ln();
        for &(c, l) in &self.parts[self.starts[t]..self.starts[t + 1]] {
            let chunk = &self.chunks[c as usize];
            let (mut at, end) = (chunk.offsets[l as usize], chunk.offsets[l as usize + 1]);
            let mut doc = chunk.first;
            while at < end {
                doc += get_varint(&chunk.data, &mut at);
                let tf = get_tf(&chunk.data, &mut at);
                let body_norm = self.body_norm[doc as usize];
                let mut raw = 0.0;
                for f in 0..FIELDS {
                    if tf[f] == 0 {
                        continue;
                    }
                    let norm = if f == BODY { body_norm } else { 1.0 };
                    let t = f64::from(tf[f]);
                    raw += f64::from(weights[f]) / 2.0 * (t * 2.2 / (t + 1.2 * norm));
                }
                let impact = (10.0 * idf * raw).round().clamp(1.0, 65535.0) as u32;
                emit(doc, impact);
            }
        }
    }

    /// The shard row of term `t`: `["term",[delta,impact,…]]`.
    fn row(&self, t: usize, out: &mut Vec<u8>) {
        out.push(b'[');
        let _ = serde_json::to_writer(&mut *out, self.terms[t]);
        out.extend_from_slice(b",[");
        let mut prev = 0;
        let mut first = true;
        self.postings(t, |doc, impact| {
            if !first {
                out.push(b',');
            }
            first = false;
            put_decimal(out, doc - prev);
            out.push(b',');
            put_decimal(out, impact);
            prev = doc;
        });
        out.extend_from_slice(b"]]");
    }

    /// The length of [`Merged::row`].
    fn row_len(&self, t: usize) -> usize {
        let mut len = serde_json::to_vec(self.terms[t]).map_or(0, |v| v.len()) + 5;
        let mut prev = 0;
        let mut count = 0;
        self.postings(t, |doc, impact| {
            len += decimal_len(doc - prev) + decimal_len(impact) + 1;
            count += 1;
            prev = doc;
        });
        len + count.max(1) - 1
    }
}

fn put_decimal(out: &mut Vec<u8>, mut v: u32) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

fn decimal_len(v: u32) -> usize {
    v.checked_ilog10().map_or(1, |l| l as usize + 1)
}

/// The index files, by path relative to the output folder.
pub fn build(sections: &[String], docs: &[Doc]) -> BTreeMap<String, Vec<u8>> {
    let views: Vec<DocView<'_>> = docs.iter().map(Doc::view).collect();
    build_views(sections, &views)
}

/// [`build`] over borrowed pages.
pub fn build_views(sections: &[String], docs: &[DocView<'_>]) -> BTreeMap<String, Vec<u8>> {
    let segmenter = segmenter_for(docs);
    // Runs of consecutive pages, a few per thread: each counts its own pages with its own
    // term ids, so the threads share nothing until the merge.
    let per_chunk = docs
        .len()
        .div_ceil(rayon::current_num_threads() * 4)
        .max(16);
    let chunks: Vec<Chunk> = docs
        .par_chunks(per_chunk)
        .enumerate()
        .map(|(i, pages)| {
            let mut counter = Counter::new(&segmenter);
            for doc in pages {
                counter.add(doc);
            }
            counter.finish((i * per_chunk) as u32)
        })
        .collect();
    // jieba's tables are the largest thing the index holds: freed here, their memory serves the
    // merge and the files instead of adding to the build's peak.
    drop(segmenter);
    let merged = Merged::new(&chunks);
    let total: usize = (0..merged.terms.len())
        .into_par_iter()
        .map(|t| merged.row_len(t) + 1)
        .sum();
    let mut shards = 1;
    while shards < MAX_SHARDS && total / shards > SHARD_TARGET_BYTES {
        shards *= 2;
    }
    let mut by_shard: Vec<Vec<usize>> = vec![Vec::new(); shards];
    for (t, term) in merged.terms.iter().enumerate() {
        by_shard[shard_of(term, shards as u32) as usize].push(t);
    }
    let shard_files: Vec<Vec<u8>> = by_shard
        .par_iter()
        .map(|terms| {
            let mut out = Vec::new();
            out.push(b'[');
            for (i, &t) in terms.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                merged.row(t, &mut out);
            }
            out.push(b']');
            out
        })
        .collect();
    drop(merged);
    drop(chunks);
    let mut files = BTreeMap::new();
    for (k, s) in shard_files.into_iter().enumerate() {
        files.insert(format!("search/s/{k}.json"), s);
    }
    files.insert("search/meta.json".into(), meta(shards, sections, docs));
    let fragments: Vec<Vec<u8>> = docs
        .par_chunks(FRAGMENTS_PER_FILE)
        .map(|group| {
            let texts: Vec<String> = group.iter().map(|d| fragment(d.body)).collect();
            serde_json::to_vec(&texts).unwrap_or_default()
        })
        .collect();
    for (k, f) in fragments.into_iter().enumerate() {
        files.insert(format!("search/d/{k}.json"), f);
    }
    files
}

/// Pages whose prose shares one `d/<k>.json` file. A file per page would double the files of a
/// build (creating files is much of a build's cost), while a query shows snippets for only its
/// first five results. Two pages a file halve those files and cost the first query on the real
/// site about 7 KB more (four pages: 18 KB more).
pub const FRAGMENTS_PER_FILE: usize = 2;

/// `meta.json`: `{"d":[[title, path, section, description], …],"f":pages per d file,"n":shards,"s":[sections],"v":1}`.
fn meta(shards: usize, sections: &[String], docs: &[DocView<'_>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(docs.len() * 160);
    out.extend_from_slice(b"{\"d\":[");
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let _ = serde_json::to_writer(&mut out, &(d.title, d.path, d.section, d.description));
    }
    out.extend_from_slice(b"],\"f\":");
    put_decimal(&mut out, FRAGMENTS_PER_FILE as u32);
    out.extend_from_slice(b",\"n\":");
    put_decimal(&mut out, shards as u32);
    out.extend_from_slice(b",\"s\":");
    let _ = serde_json::to_writer(&mut out, sections);
    out.extend_from_slice(b",\"v\":1}");
    out
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
