//! The search index's files: the one definition both the writer (`index`) and the
//! readers (the `search` command's [`super::query`], and `static/js/search.js`) follow. Each
//! type serializes to exactly the bytes the browser reads; fields are written in declaration
//! order, so reordering them changes the files.
//!
//! Under `search/` of the output:
//! - `meta.json`: a [`Meta`], loaded by the browser on the first query.
//! - `s/<k>.json`: a [`Shard`], the terms whose [`shard_of`](super::tokenize::shard_of) is `k`;
//!   a query loads only the shards of its terms.
//! - `d/<k>.json`: [`Fragments`], the prose of a few pages, loaded for the snippets of the
//!   results shown.

use super::words::Words;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The only version there is; a reader refuses any other. 2: `meta.json` has the query words
/// (`w`), and the fragments mark the headings. 3: a row's postings are a string of
/// [`DIGITS`] instead of an array of numbers.
pub const VERSION: u32 = 3;

/// Path of the [`Meta`] file, relative to the output folder.
pub const META_PATH: &str = "search/meta.json";

/// Path of shard `k`, relative to the output folder.
pub fn shard_path(k: usize) -> String {
    format!("search/s/{k}.json")
}

/// Path of the fragments file `k`, relative to the output folder.
pub fn fragments_path(k: usize) -> String {
    format!("search/d/{k}.json")
}

/// `meta.json`: `{"d":[…],"f":2,"n":16,"s":[…],"v":3,"w":{…}}`. Borrowed when written, owned when read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta<'a> {
    /// `d`: every indexed page, by page id (the reading order); a posting's page id indexes
    /// this list. The browser shows a result's title, path, section and description from it.
    #[serde(rename = "d")]
    pub docs: Vec<DocEntry<'a>>,
    /// `f`: pages per fragments file: page `p`'s prose is item `p % f` of `d/<p / f>.json`.
    #[serde(rename = "f")]
    pub per_file: u32,
    /// `n`: the number of shards; the browser computes `shard_of(term, n)` to know which
    /// `s/<k>.json` to fetch.
    #[serde(rename = "n")]
    pub shards: u32,
    /// `s`: section titles, which the third item of a [`DocEntry`] indexes (shown next to each result).
    #[serde(rename = "s")]
    pub sections: Cow<'a, [String]>,
    /// `v`: [`VERSION`].
    #[serde(rename = "v")]
    pub version: u32,
    /// `w`: the stock phrases and typos both rankers apply to a query.
    #[serde(rename = "w")]
    pub words: Cow<'a, Words>,
}

/// A page in [`Meta::docs`]: `[title, path, section, description]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocEntry<'a>(
    /// The page's title: the result's link text (with the query's terms marked).
    pub Cow<'a, str>,
    /// The URL path without the base path, e.g. `/tcp/handshake/`: the browser prefixes the
    /// site's base path.
    pub Cow<'a, str>,
    /// Index into [`Meta::sections`].
    pub usize,
    /// The one-sentence description, shown when the page's prose has no snippet to show.
    pub Cow<'a, str>,
);

/// `s/<k>.json`: the rows of the terms of shard `k`, sorted by term.
pub type Shard<'a> = Vec<Row<'a>>;

/// One term of a [`Shard`]: `["term","<postings>"]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row<'a>(
    /// The term, as the tokenizer makes it (lowercase; the browser matches it exactly, as a
    /// prefix, or one edit away).
    pub Cow<'a, str>,
    /// The pages that have the term, in page order, as pairs of numbers: the page id minus the
    /// previous pair's (the first: minus 0), then the page's impact for the term (a BM25-style
    /// score quantized to 1..=65535, which the browser adds up per page). Each number is
    /// written as [`put_number`] does.
    pub Cow<'a, str>,
);

/// The characters of a row's numbers: character `i` stands for the digit `i`. None needs
/// escaping in JSON.
pub const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The digit of each ASCII character, 64 for those that are none.
const VALUES: [u8; 128] = {
    let mut values = [64; 128];
    let mut i = 0;
    while i < 64 {
        values[DIGITS[i] as usize] = i as u8;
        i += 1;
    }
    values
};

/// Appends `v` to a row's postings: five bits a character, low bits first, digits 32 to 63
/// on every character but the last (the continuation bit). Most page deltas and impacts take
/// one or two characters, where JSON numbers took two or three and a comma.
pub fn put_number(out: &mut String, mut v: u32) {
    while v >= 32 {
        out.push(DIGITS[32 | (v & 31) as usize] as char);
        v >>= 5;
    }
    out.push(DIGITS[v as usize] as char);
}

impl Row<'_> {
    /// The row's `(page id, impact)` pairs, deltas undone; `None` if the postings are not
    /// numbers as [`put_number`] writes them.
    pub fn postings(&self) -> Option<Vec<(u32, u32)>> {
        let mut numbers = Vec::new();
        let (mut v, mut shift) = (0u32, 0);
        for c in self.1.bytes() {
            let digit = VALUES.get(c as usize).copied().filter(|&d| d < 64)? as u32;
            v |= (digit & 31).checked_shl(shift)?;
            if digit < 32 {
                numbers.push(v);
                (v, shift) = (0, 0);
            } else {
                shift += 5;
            }
        }
        if shift != 0 || numbers.len() % 2 != 0 {
            return None;
        }
        let mut doc = 0u32;
        numbers
            .chunks(2)
            .map(|pair| {
                doc = doc.checked_add(pair[0])?;
                Some((doc, pair[1]))
            })
            .collect()
    }
}

/// `d/<k>.json`: the prose of pages `k·f` to `k·f + f - 1` ([`Meta::per_file`]), one string
/// each: lines trimmed, blank lines dropped. The browser cuts the snippet shown under a result
/// from it, and links the result to the heading above the snippet: each heading is a line of its
/// own that starts with [`HEADING_MARK`], then — only when the heading's id is not the one
/// `heading_id` derives from its text (`static/js/search.js` derives it the same way) — the id
/// and another [`HEADING_MARK`], then the heading's text.
pub type Fragments = Vec<String>;

/// Starts a heading's line in [`Fragments`]: a control character, never part of prose.
pub const HEADING_MARK: char = '\u{1e}';

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_keys_in_the_order_the_files_have() {
        let sections = ["网络".to_string()];
        let meta = Meta {
            docs: vec![DocEntry("UDP".into(), "/net/udp/".into(), 0, "报文".into())],
            per_file: 2,
            shards: 4,
            sections: Cow::Borrowed(&sections),
            version: VERSION,
            words: Cow::Owned(Words {
                stock: vec!["为什么".into()],
                typos: vec![("沾包".into(), "粘包".into())],
            }),
        };
        let bytes = serde_json::to_vec(&meta).unwrap();
        assert_eq!(
            String::from_utf8(bytes.clone()).unwrap(),
            r#"{"d":[["UDP","/net/udp/",0,"报文"]],"f":2,"n":4,"s":["网络"],"v":3,"w":{"q":["为什么"],"t":[["沾包","粘包"]]}}"#
        );
        assert_eq!(serde_json::from_slice::<Meta<'_>>(&bytes).unwrap(), meta);
    }

    #[test]
    fn rows_hold_page_deltas_and_impacts() {
        let mut postings = String::new();
        for v in [3, 40, 2, 7, 0, 65535] {
            put_number(&mut postings, v);
        }
        // 40 = 8 + 1·32: "o" (digit 40: 8, and more follows) then "B" (1); 65535 takes four.
        assert_eq!(postings, "DoBCHA___B");
        let row = Row("tcp".into(), Cow::Owned(postings));
        let bytes = serde_json::to_vec(&vec![row.clone()]).unwrap();
        assert_eq!(bytes, br#"[["tcp","DoBCHA___B"]]"#);
        let read: Shard<'_> = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(read, [row]);
        assert_eq!(read[0].postings(), Some(vec![(3, 40), (5, 7), (5, 65535)]));
    }

    #[test]
    fn broken_postings_are_refused() {
        for bad in ["D", "Do", "D!", "DoB_", "______________B"] {
            assert_eq!(Row("t".into(), bad.into()).postings(), None, "{bad}");
        }
    }
}
