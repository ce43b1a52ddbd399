//! Chinese word segmentation with jieba, loading only the dictionary words the text can contain.
//!
//! Loading jieba's whole dictionary (349,000 words into a trie) takes longer than the rest of a
//! build. But a word that never occurs in the text cannot change how the text is cut: jieba picks
//! the most probable path through the words that *do* occur, each scored by its frequency over
//! the dictionary's total. So [`Segmenter::for_pairs`] loads only the words whose every pair of
//! adjacent characters occurs in the text (a superset of the words that occur), plus one
//! placeholder entry that keeps the total frequency unchanged; the cut is then the same as with
//! the whole dictionary. `build.rs` groups the dictionary by first character pair for this.

use super::index::codec::get_varint;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::fmt::Write;

/// The dictionary as `build.rs` laid it out.
static DICTIONARY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/jieba-dict.bin"));

/// A private-use character: never part of a Han run, so the placeholder word never matches.
const PLACEHOLDER: char = '\u{E000}';

/// Cuts runs of Han characters into words.
pub struct Segmenter {
    jieba: jieba_rs::Jieba,
    /// The first three characters of every word of three or more, as [`triple`] packs them: a
    /// run without any of them cannot hold such a word, and is not cut (most of a page's runs).
    starts: FxHashSet<u64>,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.jieba.fmt(f)
    }
}

/// Three characters in 63 bits (21 each: every `char` fits).
fn triple(a: char, b: char, c: char) -> u64 {
    u64::from(a) << 42 | u64::from(b) << 21 | u64::from(c)
}

/// The dictionary as `build.rs` laid it out: blocks of groups of words, a block per first
/// character and a group per second character.
struct Groups {
    total: u64,
    /// First characters (u16 each), sorted, and where each one's block starts (u32, f + 1).
    firsts: &'static [u8],
    starts: &'static [u8],
    blocks: &'static [u8],
}

fn read_u16(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn read_u32(bytes: &[u8], i: usize) -> u32 {
    let mut b = [0; 4];
    b.copy_from_slice(&bytes[i * 4..i * 4 + 4]);
    u32::from_le_bytes(b)
}

/// The words of one group: those starting with its key's two characters (or the one-character
/// word).
#[derive(Clone, Copy)]
struct Group {
    /// The second character, 0 for the one-character word.
    second: u16,
    words: &'static [u8],
}

impl Group {
    /// Hands `emit` each word's characters after the first two, and its frequency.
    fn each_word(&self, mut emit: impl FnMut(Chars, u64)) {
        let mut at = 0;
        while at < self.words.len() {
            let n = usize::from(self.words[at]);
            let rest = at + 1..at + 1 + 2 * n;
            at = rest.end;
            let freq = u64::from(get_varint(self.words, &mut at));
            emit(chars(&self.words[rest]), freq);
        }
    }
}

/// Characters stored as u16 each.
type Chars = std::iter::FilterMap<std::slice::ChunksExact<'static, u8>, fn(&[u8]) -> Option<char>>;

fn chars(units: &'static [u8]) -> Chars {
    units
        .chunks_exact(2)
        .filter_map(|u| char::from_u32(u32::from(read_u16(u, 0))))
}

impl Groups {
    fn get() -> Groups {
        let mut total = [0; 8];
        total.copy_from_slice(&DICTIONARY[..8]);
        let f = read_u32(DICTIONARY, 2) as usize;
        let (firsts, rest) = DICTIONARY[12..].split_at(2 * f);
        let (starts, blocks) = rest.split_at(4 * (f + 1));
        Groups {
            total: u64::from_le_bytes(total),
            firsts,
            starts,
            blocks,
        }
    }

    /// The groups of the words starting with `first`, in order of their second character.
    fn block(&self, first: char) -> impl Iterator<Item = Group> {
        let found = u16::try_from(u32::from(first)).ok().and_then(|first| {
            let (firsts, _) = self.firsts.as_chunks::<2>();
            let i = firsts
                .binary_search_by_key(&first, |c| u16::from_le_bytes(*c))
                .ok()?;
            let (start, end) = (read_u32(self.starts, i), read_u32(self.starts, i + 1));
            Some(&self.blocks[start as usize..end as usize])
        });
        let block = found.unwrap_or_default();
        let mut at = 0;
        std::iter::from_fn(move || {
            if at >= block.len() {
                return None;
            }
            let second = read_u16(block, at);
            at += 2;
            let len = get_varint(block, &mut at) as usize;
            let words = &block[at..at + len];
            at += len;
            Some(Group { second, words })
        })
    }

    /// Appends to `dict` the `word freq` lines of the words of the groups `run` (their keys,
    /// sorted) whose every pair of adjacent characters is in `keys`; returns the sum of their
    /// frequencies. A block's groups are in key order too: one walk through it finds them all.
    fn kept_lines(&self, run: &[u64], keys: &FxHashSet<u64>, dict: &mut String) -> u64 {
        let mut kept = 0;
        for same_first in run.chunk_by(|a, b| a >> 32 == b >> 32) {
            let first = char::from_u32((same_first[0] >> 32) as u32).unwrap_or_default();
            let mut groups = self.block(first).peekable();
            for &key in same_first {
                let second = key as u32;
                while groups.next_if(|g| u32::from(g.second) < second).is_some() {}
                let Some(group) = groups.next_if(|g| u32::from(g.second) == second) else {
                    continue;
                };
                let second = char::from_u32(second).filter(|&c| c != '\0');
                group.each_word(|mut rest, freq| {
                    let line = dict.len();
                    dict.push(first);
                    dict.extend(second);
                    // The pair `first second` is the key itself; the others must occur too.
                    let mut prev = second;
                    let occurs = rest.all(|c| {
                        dict.push(c);
                        let ok = prev.is_some_and(|p| keys.contains(&pair(p, Some(c))));
                        prev = Some(c);
                        ok
                    });
                    if occurs {
                        kept += freq;
                        let _ = writeln!(dict, " {freq}");
                    } else {
                        dict.truncate(line);
                    }
                });
            }
        }
        kept
    }
}

fn pair(a: char, b: Option<char>) -> u64 {
    u64::from(a) << 32 | b.map_or(0, u64::from)
}

/// The keys of the groups of `text`'s Han runs (`text` may hold anything else too): every pair of
/// adjacent Han characters, and the character of a one-character run ([`Segmenter::for_pairs`]
/// adds every character of the pairs itself). These are the index's Han terms too, so the build
/// takes them from its counting instead of reading every page for them.
pub fn han_pairs(text: &str, into: &mut FxHashSet<u64>) {
    let mut prev: Option<char> = None;
    let mut run = 0usize;
    for c in text.chars() {
        if crate::search::tokenize::is_cjk(c) {
            if let Some(p) = prev {
                into.insert(pair(p, Some(c)));
            }
            prev = Some(c);
            run += 1;
        } else {
            if let (1, Some(p)) = (run, prev) {
                into.insert(pair(p, None));
            }
            prev = None;
            run = 0;
        }
    }
    if let (1, Some(p)) = (run, prev) {
        into.insert(pair(p, None));
    }
}

impl Segmenter {
    /// jieba with the words the texts whose [`han_pairs`] are `keys` can contain: cuts those
    /// texts' Han runs exactly as jieba with the whole dictionary does.
    pub fn for_pairs(keys: &FxHashSet<u64>) -> Segmenter {
        let groups = Groups::get();
        // Every character of the pairs is a group key too (a one-character word).
        let mut sorted: Vec<u64> = keys
            .iter()
            .flat_map(|&k| [k, k & !0xffff_ffff, k << 32])
            .filter(|&k| k != 0)
            .collect();
        sorted.par_sort_unstable();
        sorted.dedup();
        // A run of keys per thread, joined in key order: the dictionary comes out the same.
        let per_thread = sorted
            .len()
            .div_ceil(rayon::current_num_threads())
            .max(1024);
        let parts: Vec<(String, u64)> = sorted
            .par_chunks(per_thread)
            .map(|run| {
                let mut dict = String::new();
                let kept = groups.kept_lines(run, keys, &mut dict);
                (dict, kept)
            })
            .collect();
        let kept: u64 = parts.iter().map(|(_, k)| k).sum();
        let mut dict =
            String::with_capacity(parts.iter().map(|(d, _)| d.len()).sum::<usize>() + 32);
        for (part, _) in &parts {
            dict.push_str(part);
        }
        dict.push(PLACEHOLDER);
        dict.push_str(&format!(" {}\n", groups.total.saturating_sub(kept)));
        Segmenter::load(dict)
    }

    fn load(dict: String) -> Segmenter {
        let starts = dict
            .lines()
            .filter_map(|line| {
                let mut chars = line.split_once(' ')?.0.chars();
                Some(triple(chars.next()?, chars.next()?, chars.next()?))
            })
            .collect();
        let jieba = jieba_rs::Jieba::with_dict(&mut dict.as_bytes())
            .unwrap_or_else(|_| jieba_rs::Jieba::empty());
        Segmenter { jieba, starts }
    }

    /// Hands `emit` the words of three or more characters of a run of Han characters, in order.
    pub fn each_long_word<'a>(&self, run: &'a str, mut emit: impl FnMut(&'a str)) {
        let mut chars = run.chars();
        let (Some(mut a), Some(mut b)) = (chars.next(), chars.next()) else {
            return;
        };
        if !chars.any(|c| {
            let found = self.starts.contains(&triple(a, b, c));
            (a, b) = (b, c);
            found
        }) {
            return;
        }
        for t in self.jieba.cut(run, false) {
            if t.word.chars().nth(2).is_some() {
                emit(t.word);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static FULL: LazyLock<Segmenter> = LazyLock::new(|| Segmenter::load(all(&Groups::get())));

    /// Every group, with its first character.
    fn every_group(groups: &Groups) -> Vec<(char, Group)> {
        (0..groups.firsts.len() / 2)
            .map(|i| char::from_u32(u32::from(read_u16(groups.firsts, 2 * i))).unwrap())
            .flat_map(|first| groups.block(first).map(move |g| (first, g)))
            .collect()
    }

    /// The `rest freq\n` lines of a group (`rest`: the word after its first two characters).
    fn lines_of(group: Group) -> String {
        let mut out = String::new();
        group.each_word(|rest, freq| {
            out.extend(rest);
            let _ = writeln!(out, " {freq}");
        });
        out
    }

    /// The lines of the group of `first` and `second`, or of the one-character word `first`.
    fn lines(groups: &Groups, first: char, second: Option<char>) -> String {
        let second = second.map_or(0, u32::from);
        groups
            .block(first)
            .find(|g| u32::from(g.second) == second)
            .map_or_else(String::new, lines_of)
    }

    /// Every `word freq\n` line of the dictionary, words whole.
    fn all(groups: &Groups) -> String {
        let mut out = String::new();
        for (first, group) in every_group(groups) {
            let second = char::from_u32(group.second.into()).filter(|&c| c != '\0');
            for line in lines_of(group).lines() {
                out.push(first);
                out.extend(second);
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }

    /// jieba with the words the Han runs of `texts` can contain.
    fn for_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Segmenter {
        let mut keys = FxHashSet::default();
        for text in texts {
            han_pairs(text, &mut keys);
        }
        Segmenter::for_pairs(&keys)
    }

    /// The words of a run of Han characters, in order (jieba without its HMM for unknown words).
    fn cut<'a>(segmenter: &Segmenter, run: &'a str) -> Vec<&'a str> {
        segmenter
            .jieba
            .cut(run, false)
            .into_iter()
            .map(|t| t.word)
            .collect()
    }

    #[test]
    fn the_whole_dictionary_is_there() {
        let groups = Groups::get();
        assert_eq!(every_group(&groups).len(), 189_812);
        let all = all(&groups);
        assert_eq!(all.lines().count(), 349_045);
        assert!(all.lines().any(|l| l == "生产者 629"));
        assert!(all.lines().any(|l| l == "握 2268"));
        // A group's lines hold what follows its two characters.
        assert!(lines(&groups, '生', Some('产'))
            .lines()
            .any(|l| l == "者 629"));
        assert!(lines(&groups, '握', Some('手'))
            .lines()
            .any(|l| l == " 381"));
        assert_eq!(lines(&groups, '握', None), " 2268\n");
        assert_eq!(lines(&groups, '\u{E000}', None), "");
        assert_eq!(lines(&groups, '\u{24e00}', None), "");
    }

    #[test]
    fn cuts_like_the_whole_dictionary() {
        let text = "三次握手的过程中客户端和服务器交换序列号，生产者和消费者通过条件变量协作，\
                    负载均衡器把请求分发到后端服务器，南京市长江大桥";
        let small = for_texts([text]);
        assert!(small.jieba.has_word("握手") && !small.jieba.has_word("熊猫"));
        for run in text.split('，') {
            assert_eq!(cut(&small, run), cut(&FULL, run), "{run}");
        }
        assert!(cut(&FULL, "生产者和消费者").contains(&"生产者"));
    }

    #[test]
    fn cuts_the_real_content_like_the_whole_dictionary() {
        let mut texts = Vec::new();
        for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content"))
            .sort_by_file_name()
        {
            let entry = entry.expect("readable content/");
            if entry.path().extension().is_some_and(|e| e == "md") {
                texts.push(std::fs::read_to_string(entry.path()).expect("readable page"));
            }
        }
        assert!(texts.len() > 50);
        let runs: Vec<String> = texts
            .iter()
            .flat_map(|t| crate::search::tokenize::segments(t))
            .filter_map(|s| match s {
                crate::search::tokenize::Segment::Cjk(run) => Some(run),
                crate::search::tokenize::Segment::Ascii(_) => None,
            })
            .collect();
        let small = for_texts(runs.iter().map(String::as_str));
        let (mut words, mut long_words) = (0, 0);
        for run in &runs {
            let words_of_run = cut(&small, run);
            assert_eq!(words_of_run, cut(&FULL, run), "{run}");
            words += words_of_run.len();
            // What the index takes: the words of three or more characters, runs without one
            // skipped.
            let mut long = Vec::new();
            small.each_long_word(run, |w| long.push(w));
            let expected: Vec<&str> = words_of_run
                .iter()
                .copied()
                .filter(|w| w.chars().count() >= 3)
                .collect();
            assert_eq!(long, expected, "{run}");
            long_words += long.len();
        }
        assert!(words > 10_000, "{words} words");
        assert!(long_words > 1_000, "{long_words} words of three or more");
    }
}
