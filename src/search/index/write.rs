//! Writing: the index's files, in the format [`crate::search::format`] defines, from the merged
//! terms ([`super::score`]) and the pages. Owns how many shards there are and how many pages
//! share a fragments file.

use super::score::Merged;
use super::DocView;
use crate::markdown::toc::heading_id;
use crate::search::format::{
    put_number, DocEntry, Fragments, Meta, Row, Shard, HEADING_MARK, VERSION,
};
use crate::search::tokenize::shard_of;
use crate::search::words::Words;
use crate::search::Stop;
use rayon::prelude::*;
use std::borrow::Cow;

/// Bytes of shard JSON (uncompressed) aimed at per shard; the shard count is the smallest power
/// of two that keeps the average below it (about 3 KB gzipped per query term). Larger shards would
/// save a small site a few dozen files but cost readers more bytes per query.
const SHARD_TARGET_BYTES: usize = 12 * 1024;
const MAX_SHARDS: usize = 256;

/// Pages whose prose shares one `d/<k>.json` file. Two pages a file made a fifth fewer files on
/// a 1,000-page build, but a query shows snippets for its first five results only, so half of
/// what it fetched was a neighbour's prose; since the prose also carries the headings results
/// link to, one page a file: the first query on the real site fetches about 8 KB less.
pub(super) const FRAGMENTS_PER_FILE: usize = 1;

/// The number of shards for `total` bytes of rows.
fn shard_count(total: usize) -> usize {
    let mut shards = 1;
    while shards < MAX_SHARDS && total / shards > SHARD_TARGET_BYTES {
        shards *= 2;
    }
    shards
}

/// An `io::Write` that only counts.
struct Count(usize);

impl std::io::Write for Count {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The bytes of `value`'s JSON.
fn json_len(value: &impl serde::Serialize) -> usize {
    let mut count = Count(0);
    let _ = serde_json::to_writer(&mut count, value);
    count.0
}

/// The bytes of a [`Row`]'s JSON, `["term","DoB"]`, with `postings` characters of postings.
fn row_len(term: &str, postings: usize) -> usize {
    json_len(&term) + postings + 5
}

/// Terms whose rows [`Packed`] keeps in one string (one string per task, not per term).
const TERMS_PER_BLOCK: usize = 1024;

/// Every term's postings as a [`Row`] writes them, a string per block of [`TERMS_PER_BLOCK`]
/// terms: the impacts are computed once, for sizing and for writing.
struct Packed {
    /// Per block: the postings, and where each of its terms' postings start (and the end).
    blocks: Vec<(String, Vec<u32>)>,
}

impl Packed {
    /// The packed rows of `merged`'s terms, and the bytes of their JSON rows with a comma each;
    /// once `stop` says so, the blocks not yet packed are left empty.
    fn new(merged: &Merged<'_>, stop: Stop<'_>) -> (Packed, usize) {
        let (blocks, sizes): (Vec<_>, Vec<usize>) = (0..merged.terms.len())
            .step_by(TERMS_PER_BLOCK)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|first| {
                if stop() {
                    return Default::default();
                }
                let last = (first + TERMS_PER_BLOCK).min(merged.terms.len());
                let (mut postings, mut starts, mut size) = (String::new(), Vec::new(), 0);
                for t in first..last {
                    let start = postings.len();
                    starts.push(start as u32);
                    let mut prev = 0;
                    merged.postings(t, |doc, impact| {
                        put_number(&mut postings, doc - prev);
                        put_number(&mut postings, impact);
                        prev = doc;
                    });
                    size += row_len(merged.terms[t], postings.len() - start) + 1;
                }
                starts.push(postings.len() as u32);
                postings.shrink_to_fit();
                ((postings, starts), size)
            })
            .unzip();
        (Packed { blocks }, sizes.into_iter().sum())
    }

    /// The postings of term `t`'s row.
    fn row(&self, t: usize) -> &str {
        let (postings, starts) = &self.blocks[t / TERMS_PER_BLOCK];
        let i = t % TERMS_PER_BLOCK;
        &postings[starts[i] as usize..starts[i + 1] as usize]
    }
}

/// The shard files, shard `k` at index `k`: every term's [`Row`], in as many shards as keep
/// them near [`SHARD_TARGET_BYTES`]; once `stop` says so, the shards not yet written are left
/// empty.
pub(super) fn shards(merged: &Merged<'_>, stop: Stop<'_>) -> Vec<Vec<u8>> {
    // Each row and the comma after it (one too many, as the files always were sized).
    let (packed, total) = Packed::new(merged, stop);
    if stop() {
        return Vec::new(); // some blocks may be empty (and [`Stop`] stays true)
    }
    let shards = shard_count(total);
    let mut by_shard: Vec<Vec<usize>> = vec![Vec::new(); shards];
    for (t, term) in merged.terms.iter().enumerate() {
        by_shard[shard_of(term, shards as u32) as usize].push(t);
    }
    by_shard
        .par_iter()
        .map(|terms| {
            if stop() {
                return Vec::new();
            }
            let shard: Shard<'_> = terms
                .iter()
                .map(|&t| Row(Cow::Borrowed(merged.terms[t]), Cow::Borrowed(packed.row(t))))
                .collect();
            serde_json::to_vec(&shard).unwrap_or_default()
        })
        .collect()
}

/// `meta.json`.
pub(super) fn meta(shards: usize, sections: &[String], docs: &[DocView<'_>]) -> Vec<u8> {
    let meta = Meta {
        docs: docs
            .iter()
            .map(|d| {
                DocEntry(
                    Cow::Borrowed(d.title),
                    Cow::Borrowed(d.path),
                    d.section,
                    Cow::Borrowed(d.description),
                )
            })
            .collect(),
        per_file: FRAGMENTS_PER_FILE as u32,
        shards: shards as u32,
        sections: Cow::Borrowed(sections),
        version: VERSION,
        words: Cow::Owned(Words::builtin()),
    };
    serde_json::to_vec(&meta).unwrap_or_default()
}

/// The fragments files, file `k` at index `k`; once `stop` says so, the files not yet written
/// are left empty.
pub(super) fn fragments(docs: &[DocView<'_>], stop: Stop<'_>) -> Vec<Vec<u8>> {
    docs.par_chunks(FRAGMENTS_PER_FILE)
        .map(|group| {
            if stop() {
                return Vec::new();
            }
            let texts: Fragments = group.iter().map(fragment).collect();
            serde_json::to_vec(&texts).unwrap_or_default()
        })
        .collect()
}

/// The prose shown in snippets: lines trimmed, blank lines dropped, each heading a line of its
/// own where its section starts (see [`Fragments`]).
fn fragment(doc: &DocView<'_>) -> String {
    let body = doc.body;
    let mut out = String::with_capacity(body.len());
    let prose = |from: usize, to: usize, out: &mut String| {
        let text = body.get(from..to).unwrap_or_default();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            out.push_str(line);
            out.push('\n');
        }
    };
    let mut at = 0;
    for ((start, id), text) in doc.anchors.iter().zip(doc.headings) {
        let start = (*start).clamp(at, body.len());
        prose(at, start, &mut out);
        at = start;
        out.push(HEADING_MARK);
        if heading_id(text) != *id {
            out.push_str(id);
            out.push(HEADING_MARK);
        }
        out.push_str(text);
        out.push('\n');
    }
    prose(at, body.len(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::page;
    use super::*;

    #[test]
    fn shards_double_until_each_holds_about_the_target() {
        assert_eq!(shard_count(0), 1);
        assert_eq!(shard_count(SHARD_TARGET_BYTES), 1);
        assert_eq!(shard_count(SHARD_TARGET_BYTES + 1), 2);
        assert_eq!(shard_count(5 * SHARD_TARGET_BYTES), 8);
        assert_eq!(shard_count(usize::MAX), MAX_SHARDS);
    }

    #[test]
    fn counting_agrees_with_writing() {
        for (term, postings) in [("三次握手", "DoBCHA___B"), ("a\"b", "H"), ("c++", "")] {
            let row = Row(term.into(), postings.into());
            let json = serde_json::to_vec(&row).unwrap();
            assert_eq!(row_len(term, postings.len()), json.len(), "{term}");
        }
    }

    #[test]
    fn meta_and_fragments_bytes() {
        let pages = [
            page("TCP", "  三次握手\n\n  四次挥手  \n", ""),
            page("UDP", "报文", ""),
            page("IP", "", ""),
        ];
        let meta = meta(4, &["网络".to_string()], &pages);
        assert_eq!(
            String::from_utf8(meta).unwrap(),
            r#"{"d":[["TCP","/tcp/",0,""],["UDP","/udp/",0,""],["IP","/ip/",0,""]],"f":1,"n":4,"s":["网络"],"v":3,"w":"#
                .to_string()
                + &serde_json::to_string(&Words::builtin()).unwrap()
                + "}"
        );
        let files: Vec<String> = fragments(&pages, crate::search::NEVER)
            .into_iter()
            .map(|f| String::from_utf8(f).unwrap())
            .collect();
        assert_eq!(
            files,
            [r#"["三次握手\n四次挥手\n"]"#, r#"["报文\n"]"#, r#"[""]"#]
        );
    }

    #[test]
    fn fragments_mark_headings_with_their_ids_only_when_not_derived() {
        let anchors = [(11, "过程".to_string()), (21, "why".to_string())];
        let headings = ["过程".to_string(), "为什么".to_string()];
        let mut doc = page("TCP", "开头。\n\n第一段\n第二段\n", "");
        doc.anchors = &anchors;
        doc.headings = &headings;
        assert_eq!(
            fragment(&doc),
            "开头。\n\u{1e}过程\n第一段\n\u{1e}why\u{1e}为什么\n第二段\n"
        );
    }
}
