//! Counting: the terms of a run of consecutive pages, with each page's frequencies per field,
//! laid out by term as compact postings ([`super::codec`]). Each run has its own term ids, so
//! runs are counted in parallel and share nothing until [`super::score`] merges them.

use super::codec::{get_tf, get_varint, put_tf, put_varint, set_varint, tf_len, varint_len};
use super::{DocView, BODY, FIELDS};
use crate::search::segment::Segmenter;
use crate::search::tokenize::{each_index_term, han_text, IndexTerm};
use crate::search::{check, Stop, Stopped};
use rustc_hash::FxHashMap;

/// Longest term indexed, in bytes; longer ones are hashes, URLs and the like.
const MAX_TERM_BYTES: usize = 40;

/// Whether a term is worth indexing: not too long, and not a number of more than six digits.
fn keep(term: &str) -> bool {
    term.len() <= MAX_TERM_BYTES && !(term.len() > 6 && term.bytes().all(|b| b.is_ascii_digit()))
}

/// The postings of a run of consecutive pages, by term.
pub(super) struct Chunk {
    /// The run's first page.
    pub(super) first: u32,
    /// Local term id → term.
    pub(super) terms: Vec<String>,
    /// Local term id → pages that have it.
    pub(super) df: Vec<u32>,
    /// Local term id → start of its postings in `data` (and the end, at the next id).
    pub(super) offsets: Vec<usize>,
    /// Postings: page delta (from the run's first page) and frequencies, per term.
    pub(super) data: Vec<u8>,
    /// Terms in each page's body (the length BM25 normalises by).
    pub(super) body_lens: Vec<u32>,
}

impl Chunk {
    /// Hands `emit` each page of local term `l` (absolute) with its frequencies, in page order.
    pub(super) fn each_posting(&self, l: usize, mut emit: impl FnMut(u32, [u32; FIELDS])) {
        let (mut at, end) = (self.offsets[l], self.offsets[l + 1]);
        let mut doc = self.first;
        while at < end {
            doc += get_varint(&self.data, &mut at);
            emit(doc, get_tf(&self.data, &mut at));
        }
    }
}

/// A [`han_key`](crate::search::tokenize::han_key) in 32 bits, when both its characters are in
/// the BMP: the first in the high half, the second (or 0) in the low.
fn bmp_key(key: u64) -> Option<u32> {
    (key & 0xffff_0000_ffff_0000 == 0).then_some(((key >> 16) | (key & 0xffff)) as u32)
}

/// A run of consecutive pages counted without their jieba words, and what [`count_words`]
/// needs to count those.
pub(super) struct Counted<'a> {
    /// The postings; the body lengths still lack the jieba words.
    pub(super) chunk: Chunk,
    /// The Han terms seen, as [`han_pairs`](crate::search::segment::han_pairs) makes them: the
    /// keys the segmenter loads its words by.
    pub(super) pairs: Vec<u64>,
    /// Han runs of three or more characters, in order: the page (in the run), field and text.
    long_runs: Vec<(u32, u8, &'a str)>,
}

/// Counts one run of consecutive pages, the first of which is page `first`, all but the jieba
/// words: the segmenter is made from what this finds ([`Counted::pairs`]), which spares a pass
/// over every page to find the Han pairs beforehand. Gives up once `stop` says so.
pub(super) fn count_run<'a>(
    pages: &[DocView<'a>],
    first: u32,
    stop: Stop<'_>,
) -> Result<Counted<'a>, Stopped> {
    let mut counter = Counter::default();
    let mut long_runs = Vec::new();
    let mut ascii = String::new();
    for (p, doc) in pages.iter().enumerate() {
        check(stop)?;
        for (field, text) in doc.fields() {
            each_index_term(text, &mut ascii, |term| match term {
                IndexTerm::LongRun(start, end) => {
                    long_runs.push((p as u32, field as u8, &text[start..end]))
                }
                term => counter.count(field, term),
            });
        }
        counter.end_page();
    }
    let pairs = counter
        .han
        .keys()
        .map(|&k| u64::from(k >> 16) << 32 | u64::from(k & 0xffff)) // `bmp_key` undone
        .chain(counter.han_wide.keys().copied())
        .collect();
    Ok(Counted {
        chunk: counter.finish(first),
        pairs,
        long_runs,
    })
}

/// The jieba words of `counted`'s long runs, as a chunk of its own (no term of it is a term of
/// `counted`'s: those are Han pairs and characters, ASCII); adds the words in the body to its
/// body lengths, and leaves the returned chunk's empty. Gives up once `stop` says so.
pub(super) fn count_words(
    segmenter: &Segmenter,
    counted: &mut Counted<'_>,
    stop: Stop<'_>,
) -> Result<Chunk, Stopped> {
    let mut counter = Counter::default();
    let mut runs = counted.long_runs.iter().peekable();
    for p in 0..counted.chunk.body_lens.len() as u32 {
        check(stop)?;
        while let Some(&(_, field, run)) = runs.next_if(|r| r.0 == p) {
            segmenter.each_long_word(run, |w| counter.count(field.into(), IndexTerm::Text(w)));
        }
        counter.end_page();
    }
    let mut words = counter.finish(counted.chunk.first);
    for (total, w) in counted.chunk.body_lens.iter_mut().zip(&words.body_lens) {
        *total += w;
    }
    words.body_lens.clear();
    Ok(words)
}

/// Counts the terms of consecutive pages. Term ids are local to the chunk.
///
/// Its tables are the search stage's largest, and counting is mostly waiting for them: a term's
/// entry in its map holds all an occurrence needs (its id, and where the page being counted keeps
/// its frequencies), so an occurrence reads one place of that memory, and a page's end one more
/// per term ([`Stats`]). Han bigrams of two BMP characters (nearly all) are keyed by 32 bits.
#[derive(Default)]
pub(super) struct Counter {
    /// Han bigrams and characters from the BMP, as [`bmp_key`] packs them.
    han: FxHashMap<u32, Slot>,
    /// The others (a character beyond the BMP), as [`han_key`](crate::search::tokenize::han_key).
    han_wide: FxHashMap<u64, Slot>,
    text: FxHashMap<Box<str>, Slot>,
    terms: Vec<String>,
    stats: Vec<Stats>,
    /// The terms of the page being counted, in the order first seen, with their frequencies (a
    /// count that would pass `u16::MAX` stays there), and its body's length so far.
    page_tf: Vec<(u32, [u16; FIELDS])>,
    body_len: u32,
    /// Postings in page order: term id (varint) and frequencies; `ends` splits the pages.
    stream: Vec<u8>,
    ends: Vec<usize>,
    body_lens: Vec<u32>,
}

/// A term's entry in a [`Counter`]'s maps: its id, and the last page that had it with the place
/// of its frequencies in [`Counter::page_tf`] (valid while that page is the one being counted).
#[derive(Clone, Copy)]
struct Slot {
    id: u32,
    page: u32,
    at: u32,
}

impl Slot {
    fn new(id: u32) -> Slot {
        Slot {
            id,
            page: u32::MAX, // no page yet
            at: 0,
        }
    }

    /// Counts one occurrence in field `field` of page `page` (the one being counted); returns
    /// the term's id.
    fn count(&mut self, page: u32, field: usize, page_tf: &mut Vec<(u32, [u16; FIELDS])>) -> u32 {
        if self.page != page {
            (self.page, self.at) = (page, page_tf.len() as u32);
            page_tf.push((self.id, [0; FIELDS]));
        }
        let tf = &mut page_tf[self.at as usize].1;
        tf[field] = tf[field].saturating_add(1);
        self.id
    }
}

/// Per term: bytes of postings so far, pages so far, last page.
#[derive(Clone, Copy, Default)]
struct Stats {
    size: usize,
    df: u32,
    last: u32,
}

impl Counter {
    /// Counts one term of field `field` of the page being counted. Inlined where the tokenizer
    /// hands it a term, each of which knows which kind of term it has.
    #[inline(always)]
    fn count(&mut self, field: usize, term: IndexTerm<'_>) {
        if let IndexTerm::LongRun(..) = term {
            return; // not a term: [`count_words`] counts the jieba words in it
        }
        // Every term counts toward the body's length, indexed or not.
        self.body_len += u32::from(field == BODY);
        let page = self.body_lens.len() as u32;
        let next = self.terms.len() as u32;
        let page_tf = &mut self.page_tf;
        match term {
            IndexTerm::Han(key) => {
                let slot = match bmp_key(key) {
                    Some(short) => self.han.entry(short).or_insert(Slot::new(next)),
                    None => self.han_wide.entry(key).or_insert(Slot::new(next)),
                };
                if slot.count(page, field, page_tf) == next {
                    self.new_term(han_text(key));
                }
            }
            IndexTerm::Text(t) => match self.text.get_mut(t) {
                Some(slot) => {
                    slot.count(page, field, page_tf);
                }
                None if keep(t) => {
                    let mut slot = Slot::new(next);
                    slot.count(page, field, page_tf);
                    self.text.insert(t.into(), slot);
                    self.new_term(t.to_string());
                }
                None => {}
            },
            IndexTerm::LongRun(..) => {}
        }
    }

    fn new_term(&mut self, term: String) {
        self.terms.push(term);
        self.stats.push(Stats::default());
    }

    /// Ends the page being counted: its postings join the stream.
    fn end_page(&mut self) {
        let d = self.body_lens.len() as u32;
        self.body_lens.push(std::mem::take(&mut self.body_len));
        for (id, tf) in self.page_tf.drain(..) {
            let stats = &mut self.stats[id as usize];
            let before = self.stream.len();
            put_tf(&mut self.stream, &tf.map(u32::from));
            stats.size += self.stream.len() - before + varint_len(d - stats.last);
            put_varint(&mut self.stream, id);
            stats.last = d;
            stats.df += 1;
        }
        self.ends.push(self.stream.len());
    }

    /// Lays the postings out by term; `first` is the id of the first page counted.
    pub(super) fn finish(self, first: u32) -> Chunk {
        let mut offsets = Vec::with_capacity(self.terms.len() + 1);
        let mut at = 0;
        for s in &self.stats {
            offsets.push(at);
            at += s.size;
        }
        offsets.push(at);
        let mut data = vec![0u8; at];
        // Per term: where its next posting goes and the page of its last one, side by side (the
        // terms of a page are scattered over `data`: one cache line per posting, not two).
        let mut next: Vec<(usize, u32)> = offsets[..self.terms.len()]
            .iter()
            .map(|&o| (o, 0))
            .collect();
        let mut pos = 0;
        for (d, &end) in self.ends.iter().enumerate() {
            let d = d as u32;
            while pos < end {
                let tf = pos..pos + tf_len(&self.stream, pos);
                pos = tf.end;
                let id = get_varint(&self.stream, &mut pos) as usize;
                let (cursor, last) = &mut next[id];
                let mut at = set_varint(&mut data, *cursor, d - *last);
                // Byte by byte: nearly every posting has one byte of frequencies, too few for a
                // call to memcpy.
                for &b in &self.stream[tf] {
                    data[at] = b;
                    at += 1;
                }
                (*cursor, *last) = (at, d);
            }
        }
        Chunk {
            first,
            terms: self.terms,
            df: self.stats.iter().map(|s| s.df).collect(),
            offsets,
            data,
            body_lens: self.body_lens,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::page;
    use super::*;

    #[test]
    fn counts_frequencies_per_field_and_page() {
        let chunk = count_run(
            &[
                page("TCP", "tcp tcp udp", ""),
                page("UDP", "udp", "udp_send()"),
            ],
            10,
            crate::search::NEVER,
        )
        .unwrap()
        .chunk;
        assert_eq!(chunk.body_lens, [3, 1]);
        let id = |t: &str| chunk.terms.iter().position(|x| x == t).unwrap();
        let postings = |t: &str| {
            let mut all = Vec::new();
            chunk.each_posting(id(t), |doc, tf| all.push((doc, tf)));
            all
        };
        assert_eq!(
            postings("tcp"),
            [(10, [1, 0, 1, 0, 0, 2, 0])],
            "title once, the URL (/tcp/) as a tag once, body twice"
        );
        assert_eq!(
            postings("udp"),
            [(10, [0, 0, 0, 0, 0, 1, 0]), (11, [1, 0, 1, 0, 0, 1, 1])]
        );
        assert_eq!(postings("udp_send"), [(11, [0, 0, 0, 0, 0, 0, 1])]);
        assert_eq!(chunk.df[id("udp")], 2);
    }

    #[test]
    fn han_terms_beyond_the_bmp_count_apart_from_their_bmp_lookalikes() {
        use crate::search::tokenize::han_key;
        assert_eq!(bmp_key(han_key('握', Some('手'))), Some(0x63e1_624b));
        assert_eq!(bmp_key(han_key('握', None)), Some(0x63e1_0000));
        let wide = '\u{24e00}';
        assert_eq!(bmp_key(han_key(wide, Some('手'))), None);
        // U+24E00 and U+4E00 (一) share their low 16 bits: one must not count as the other.
        let body = format!("{wide}手 一手 一手");
        let counted = count_run(
            &[page("A", Box::leak(body.into_boxed_str()), "")],
            0,
            crate::search::NEVER,
        )
        .unwrap();
        let mut pairs = counted.pairs.clone();
        pairs.sort_unstable();
        assert_eq!(
            pairs,
            [han_key('一', Some('手')), han_key(wide, Some('手'))]
        );
        let chunk = counted.chunk;
        let body = |t: &str| {
            let id = chunk.terms.iter().position(|x| x == t).unwrap();
            let mut tf = 0;
            chunk.each_posting(id, |_, f| tf = f[BODY]);
            tf
        };
        assert_eq!((body(&format!("{wide}手")), body("一手")), (1, 2));
    }

    #[test]
    fn long_terms_and_long_numbers_are_left_out() {
        assert!(keep("content-type") && keep("123456"));
        assert!(!keep("1234567") && !keep(&"a".repeat(41)));
    }
}
