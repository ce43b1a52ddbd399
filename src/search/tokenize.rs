//! The tokenizer shared by the index (Rust) and the query (Rust here, JavaScript in
//! `static/js/search.js`). Both sides must produce the same terms, so the rules are small and
//! written out:
//!
//! 1. Normalize every character: full-width ASCII (`Ａ`–`～`) becomes ASCII, the ideographic space a
//!    space, ASCII letters lowercase. Nothing else changes, so positions stay one-to-one.
//! 2. Split into runs: a *CJK run* is a maximal run of Han characters; an *ASCII token* is a
//!    maximal run of `[a-z0-9]` and the connectors `_ - . / + # ! :`, with connectors trimmed
//!    from both ends (a trailing `!`, `+` or `#` after a letter or digit is kept: `thread_local!`,
//!    `c++`, `c#`). Everything else separates.
//! 3. Terms: a CJK run gives its character bigrams (a one-character run gives that character);
//!    an ASCII token gives its *parts* (split on connectors) and, when it has connectors, the
//!    whole token too (`time_wait`, `time`, `wait`).
//!
//! The index adds Chinese words of three or more characters found by jieba (the browser finds
//! them again by looking the query's substrings up in the index, never by segmenting); the
//! query's side (stock phrases, the prefix while typing) is in [`super::parse`].

/// Connectors kept at the end of a token when they follow a letter or digit.
const KEPT_AT_END: &[char] = &['!', '+', '#'];

/// One character after normalization.
pub fn normalize(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{ff01}'..='\u{ff5e}' => {
            char::from_u32(c as u32 - 0xfee0).map_or(c, |a| a.to_ascii_lowercase())
        }
        _ => c.to_ascii_lowercase(),
    }
}

pub use crate::markdown::is_cjk;

pub(super) fn is_word(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

pub(super) fn is_connector(c: char) -> bool {
    matches!(c, '_' | '-' | '.' | '/' | '+' | '#' | '!' | ':')
}

/// A run of the normalized text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Han characters.
    Cjk(String),
    /// An ASCII token (lowercase), possibly with connectors.
    Ascii(String),
}

/// The bigrams of a CJK run, or the run itself when it has one character.
pub fn bigrams(run: &str) -> Vec<String> {
    let chars: Vec<char> = run.chars().collect();
    if chars.len() < 2 {
        return vec![run.to_string()];
    }
    chars.windows(2).map(|w| w.iter().collect()).collect()
}

/// The parts of an ASCII token: its `[a-z0-9]` runs.
pub fn parts(token: &str) -> Vec<String> {
    token
        .split(|c: char| !is_word(c))
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether an ASCII token has connectors (then the whole token is a term of its own).
pub fn is_compound(token: &str) -> bool {
    token.chars().any(|c| !is_word(c))
}

/// Splits text into CJK runs and ASCII tokens, in order.
pub fn segments(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut cjk = String::new();
    let mut ascii = String::new();
    let flush_ascii = |ascii: &mut String, out: &mut Vec<Segment>| {
        if let Some(token) = trim_token(ascii) {
            out.push(Segment::Ascii(token));
        }
        ascii.clear();
    };
    for c in text.chars().map(normalize) {
        if is_cjk(c) {
            flush_ascii(&mut ascii, &mut out);
            cjk.push(c);
        } else {
            if !cjk.is_empty() {
                out.push(Segment::Cjk(std::mem::take(&mut cjk)));
            }
            if is_word(c) || is_connector(c) {
                ascii.push(c);
            } else {
                flush_ascii(&mut ascii, &mut out);
            }
        }
    }
    flush_ascii(&mut ascii, &mut out);
    if !cjk.is_empty() {
        out.push(Segment::Cjk(cjk));
    }
    out
}

/// Trims connectors from both ends, keeping `!`, `+`, `#` right after a letter or digit.
fn trim_token(raw: &str) -> Option<String> {
    trimmed(raw).map(str::to_string)
}

/// The shard key of a term: its first character when that is CJK, else its first two.
pub fn shard_key(term: &str) -> &str {
    let mut chars = term.char_indices();
    match chars.next() {
        None => term,
        Some((_, c)) if is_cjk(c) => &term[..c.len_utf8()],
        Some(_) => chars.nth(1).map_or(term, |(i, _)| &term[..i]),
    }
}

/// 32-bit FNV-1a over the UTF-8 bytes.
pub fn fnv1a(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// Which of `shards` shards holds `term`.
pub fn shard_of(term: &str, shards: u32) -> u32 {
    fnv1a(shard_key(term)) % shards.max(1)
}

/// One index term as [`each_index_term`] finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexTerm<'t> {
    /// A Han bigram, or the only character of a one-character run, as [`han_key`] packs it.
    Han(u64),
    /// An ASCII part or a whole compound token (the index counts its jieba words as text too).
    Text(&'t str),
    /// A Han run of three or more characters, by its start and end in the text, after its
    /// bigrams: not a term, but where the index looks for jieba words
    /// ([`Segmenter::each_long_word`](super::segment::Segmenter::each_long_word)).
    LongRun(usize, usize),
}

/// The key of a Han bigram `a b`, or of the single character `a` (`b` = `None`): the characters'
/// code points side by side.
pub fn han_key(a: char, b: Option<char>) -> u64 {
    han_pair(a.into(), b.map_or(0, u32::from))
}

/// [`han_key`] of two code points, the second 0 for none.
fn han_pair(a: u32, b: u32) -> u64 {
    u64::from(a) << 32 | u64::from(b)
}

/// The text of a [`han_key`].
pub fn han_text(key: u64) -> String {
    let mut s = String::with_capacity(8);
    for c in [key >> 32, key & 0xffff_ffff] {
        if let Some(c) = char::from_u32(c as u32).filter(|_| c != 0) {
            s.push(c);
        }
    }
    s
}

/// Every index term of `text`, with repeats (term frequency counts them): Han bigrams (or the
/// character of a one-character run), ASCII parts and whole compound tokens, in text order; after
/// the bigrams of a Han run of three or more characters, the run itself ([`IndexTerm::LongRun`]),
/// for the jieba words in it. Hands each to `emit` without allocating. `ascii` is scratch space,
/// kept between calls.
///
/// The same terms as [`segments`] gives, read byte by byte, since this reads every page of the
/// site: an ASCII character or one below U+0800 (never Han, never made ASCII) is known by its
/// first byte, and the others are decoded here without the checks a `char` needs.
pub fn each_index_term(text: &str, ascii: &mut String, mut emit: impl FnMut(IndexTerm<'_>)) {
    fn flush(ascii: &mut String, emit: &mut impl FnMut(IndexTerm<'_>)) {
        if let Some(token) = trimmed(ascii) {
            let mut compound = false;
            for part in token.split(|c: char| {
                let sep = !is_word(c);
                compound |= sep;
                sep
            }) {
                if !part.is_empty() {
                    emit(IndexTerm::Text(part));
                }
            }
            if compound {
                emit(IndexTerm::Text(token));
            }
        }
        ascii.clear();
    }
    ascii.clear();
    let bytes = text.as_bytes();
    // The current Han run: its start in `text`, its length in characters, its last character.
    let mut run_start = 0;
    let mut run_chars = 0usize;
    let mut prev = 0u32;
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let b = bytes[i];
        // The character as `normalize` makes it when that is ASCII, else `None` (a Han character
        // is handled here and goes on to the next).
        let normalized = if b < 0x80 {
            i += 1;
            Some(b.to_ascii_lowercase())
        } else if b < 0xe0 {
            i += 2; // U+0080–U+07FF: neither Han nor made ASCII
            None
        } else {
            let (c, len) = if b < 0xf0 {
                let c = u32::from(b & 0x0f) << 12
                    | u32::from(bytes[i + 1] & 0x3f) << 6
                    | u32::from(bytes[i + 2] & 0x3f);
                (c, 3)
            } else {
                let c = u32::from(b & 0x07) << 18
                    | u32::from(bytes[i + 1] & 0x3f) << 12
                    | u32::from(bytes[i + 2] & 0x3f) << 6
                    | u32::from(bytes[i + 3] & 0x3f);
                (c, 4)
            };
            i += len;
            if is_cjk(c) {
                // No character `normalize` changes is Han: the Han characters skip it.
                if !ascii.is_empty() {
                    flush(ascii, &mut emit);
                }
                if run_chars == 0 {
                    run_start = start;
                } else {
                    emit(IndexTerm::Han(han_pair(prev, c)));
                }
                run_chars += 1;
                prev = c;
                continue;
            }
            // Only full-width ASCII (and the ideographic space, a separator) becomes ASCII.
            char::from_u32(c)
                .map(normalize)
                .filter(char::is_ascii)
                .map(|a| a as u8)
        };
        if run_chars > 0 {
            end_run(run_start, start, run_chars, prev, &mut emit);
            run_chars = 0;
        }
        match normalized {
            Some(a) if is_word(char::from(a)) || is_connector(char::from(a)) => {
                ascii.push(char::from(a))
            }
            _ if !ascii.is_empty() => flush(ascii, &mut emit),
            _ => {}
        }
    }
    if !ascii.is_empty() {
        flush(ascii, &mut emit);
    }
    if run_chars > 0 {
        end_run(run_start, text.len(), run_chars, prev, &mut emit);
    }
}

/// Ends a Han run of `chars` characters from `start` to `end` whose last character is `last`:
/// a one-character run is a term, a run of three or more is where jieba's words are.
fn end_run(
    start: usize,
    end: usize,
    chars: usize,
    last: u32,
    emit: &mut impl FnMut(IndexTerm<'_>),
) {
    if chars == 1 {
        emit(IndexTerm::Han(han_pair(last, 0)));
    } else if chars >= 3 {
        emit(IndexTerm::LongRun(start, end));
    }
}

/// [`trim_token`] as a slice of `raw`.
fn trimmed(raw: &str) -> Option<&str> {
    let start = raw.find(is_word)?;
    let s = &raw[start..];
    let mut end = s.rfind(is_word)? + 1;
    for c in s[end..].chars() {
        if KEPT_AT_END.contains(&c) {
            end += c.len_utf8();
        } else {
            break;
        }
    }
    Some(&s[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    use rustc_hash::FxHashSet;

    /// The terms the index counts for `text`, as text.
    fn index_terms(text: &str) -> Vec<String> {
        let mut keys = FxHashSet::default();
        crate::search::segment::han_pairs(text, &mut keys);
        let segmenter = crate::search::segment::Segmenter::for_pairs(&keys);
        let mut out = Vec::new();
        each_index_term(text, &mut String::new(), |t| match t {
            IndexTerm::Han(key) => out.push(han_text(key)),
            IndexTerm::Text(t) => out.push(t.to_string()),
            IndexTerm::LongRun(start, end) => {
                segmenter.each_long_word(&text[start..end], |w| out.push(w.to_string()))
            }
        });
        out
    }

    #[test]
    fn normalizes_full_width_and_case() {
        assert_eq!(normalize('Ｔ'), 't');
        assert_eq!(normalize('２'), '2');
        assert_eq!(normalize('\u{3000}'), ' ');
        assert_eq!(normalize('锁'), '锁');
    }

    #[test]
    fn identifiers_are_kept_whole_and_split() {
        assert_eq!(
            segments("TIME_WAIT Content-Type thread_local! C++ HTTP/2 2MSL 304"),
            [
                "time_wait",
                "content-type",
                "thread_local!",
                "c++",
                "http/2",
                "2msl",
                "304"
            ]
            .map(|s| Segment::Ascii(s.into()))
        );
        let t = index_terms("TIME_WAIT");
        assert_eq!(t, ["time", "wait", "time_wait"]);
        assert!(index_terms("thread_local!").contains(&"thread_local!".to_string()));
        assert!(index_terms("Content-Type").contains(&"content-type".to_string()));
    }

    #[test]
    fn partial_chinese_words_share_bigrams_with_the_index() {
        let index = index_terms("三次握手的过程");
        for t in &crate::search::parse::parse_query("三次握").clauses {
            assert!(index.contains(&t.term), "{}", t.term);
        }
        let words = index_terms("生产者和消费者");
        assert!(words.contains(&"生产者".to_string()), "{words:?}");
    }

    /// The index's terms of `text` as [`segments`] and the query's functions find them, a long
    /// run as `<run>`.
    fn terms_by_segments(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for segment in segments(text) {
            match segment {
                Segment::Cjk(run) => {
                    out.extend(bigrams(&run));
                    if run.chars().count() >= 3 {
                        out.push(format!("<{run}>"));
                    }
                }
                Segment::Ascii(token) => {
                    out.extend(parts(&token));
                    if is_compound(&token) {
                        out.push(token);
                    }
                }
            }
        }
        out
    }

    /// Text mixing every kind of character the tokenizer tells apart, and any other.
    fn any_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let kinds = prop::sample::select(
            "aZ09_-./+#!: (\nＡｚ１＿＋！（\u{ff5e}\u{ff5f}\u{ff00}\u{3000}。，“握手一\u{3400}\u{4dbf}\
             \u{9fff}\u{f900}\u{faff}\u{20000}\u{24e00}\u{2ffff}\u{30000}😀éЖ\u{7ff}\u{800}"
                .chars()
                .collect::<Vec<_>>(),
        );
        prop::collection::vec(prop_oneof![4 => kinds, 1 => any::<char>()], 0..40)
            .prop_map(|chars| chars.into_iter().collect())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// The index reads bytes, the query characters: both find the same terms, whatever the
        /// text (full-width forms, the ideographic space, Han beyond the BMP, other scripts).
        #[test]
        fn the_index_reads_text_as_segments_does(text in any_text()) {
            let mut indexed = Vec::new();
            each_index_term(&text, &mut String::new(), |t| indexed.push(match t {
                IndexTerm::Han(key) => han_text(key),
                IndexTerm::Text(t) => t.to_string(),
                IndexTerm::LongRun(start, end) => format!("<{}>", &text[start..end]),
            }));
            proptest::prop_assert_eq!(indexed, terms_by_segments(&text));
        }
    }

    #[test]
    fn shard_keys() {
        assert_eq!(shard_key("epoll"), "ep");
        assert_eq!(shard_key("三次握手"), "三");
        assert_eq!(shard_key("c"), "c");
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
    }
}
