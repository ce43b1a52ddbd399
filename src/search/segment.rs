//! Chinese word segmentation with jieba, loading only the dictionary words the text can contain.
//!
//! Loading jieba's whole dictionary (349,000 words into a trie) takes longer than the rest of a
//! build. But a word that never occurs in the text cannot change how the text is cut: jieba picks
//! the most probable path through the words that *do* occur, each scored by its frequency over
//! the dictionary's total. So [`Segmenter::for_texts`] loads only the words whose every pair of
//! adjacent characters occurs in the text (a superset of the words that occur), plus one
//! placeholder entry that keeps the total frequency unchanged; the cut is then the same as with
//! the whole dictionary. `build.rs` groups the dictionary by first character pair for this.

use rustc_hash::FxHashSet;

/// The dictionary as `build.rs` laid it out.
static DICTIONARY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/jieba-dict.bin"));

/// A private-use character: never part of a Han run, so the placeholder word never matches.
const PLACEHOLDER: char = '\u{E000}';

/// Cuts runs of Han characters into words.
pub struct Segmenter(jieba_rs::Jieba);

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

struct Groups {
    total: u64,
    keys: &'static [u8],
    offsets: &'static [u8],
    text: &'static [u8],
}

fn read_u64(bytes: &[u8], i: usize) -> u64 {
    let mut b = [0; 8];
    b.copy_from_slice(&bytes[i * 8..i * 8 + 8]);
    u64::from_le_bytes(b)
}

fn read_u32(bytes: &[u8], i: usize) -> usize {
    let mut b = [0; 4];
    b.copy_from_slice(&bytes[i * 4..i * 4 + 4]);
    u32::from_le_bytes(b) as usize
}

impl Groups {
    fn get() -> Groups {
        let total = read_u64(DICTIONARY, 0);
        let n = read_u32(&DICTIONARY[8..], 0);
        let keys = &DICTIONARY[12..12 + 8 * n];
        let offsets = &DICTIONARY[12 + 8 * n..12 + 8 * n + 4 * (n + 1)];
        let text = &DICTIONARY[12 + 8 * n + 4 * (n + 1)..];
        Groups {
            total,
            keys,
            offsets,
            text,
        }
    }

    fn len(&self) -> usize {
        self.keys.len() / 8
    }

    /// The `word freq\n` lines of the group with this key.
    fn lines(&self, key: u64) -> &'static str {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match read_u64(self.keys, mid).cmp(&key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    let bytes =
                        &self.text[read_u32(self.offsets, mid)..read_u32(self.offsets, mid + 1)];
                    return std::str::from_utf8(bytes).unwrap_or_default();
                }
            }
        }
        ""
    }

    fn all(&self) -> &'static str {
        std::str::from_utf8(self.text).unwrap_or_default()
    }
}

fn pair(a: char, b: Option<char>) -> u64 {
    u64::from(a) << 32 | b.map_or(0, u64::from)
}

/// The keys of a text's groups: every character by itself and every pair of adjacent characters.
pub fn pairs(run: &str, into: &mut FxHashSet<u64>) {
    let mut chars = run.chars().peekable();
    while let Some(c) = chars.next() {
        into.insert(pair(c, None));
        if let Some(&next) = chars.peek() {
            into.insert(pair(c, Some(next)));
        }
    }
}

/// [`pairs`] of every Han run of `text` (which may hold anything else too).
pub fn han_pairs(text: &str, into: &mut FxHashSet<u64>) {
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if crate::search::tokenize::is_cjk(c) {
            into.insert(pair(c, None));
            if let Some(p) = prev {
                into.insert(pair(p, Some(c)));
            }
            prev = Some(c);
        } else {
            prev = None;
        }
    }
}

impl Segmenter {
    /// jieba with the whole dictionary (for long-running processes that cut text not known yet).
    pub fn full() -> Segmenter {
        Segmenter::load(Groups::get().all().to_string())
    }

    /// jieba with the words the texts whose [`pairs`] are `keys` can contain: cuts those texts
    /// exactly as [`Segmenter::full`] does.
    pub fn for_pairs(keys: &FxHashSet<u64>) -> Segmenter {
        let groups = Groups::get();
        let mut sorted: Vec<u64> = keys.iter().copied().collect();
        sorted.sort_unstable();
        let mut dict = String::new();
        let mut kept: u64 = 0;
        for key in sorted {
            for line in groups.lines(key).lines() {
                let Some((word, freq)) = line.split_once(' ') else {
                    continue;
                };
                let chars: Vec<char> = word.chars().collect();
                if chars
                    .windows(2)
                    .all(|w| keys.contains(&pair(w[0], Some(w[1]))))
                {
                    kept += freq.parse::<u64>().unwrap_or(0);
                    dict.push_str(line);
                    dict.push('\n');
                }
            }
        }
        dict.push(PLACEHOLDER);
        dict.push_str(&format!(" {}\n", groups.total.saturating_sub(kept)));
        Segmenter::load(dict)
    }

    /// [`Segmenter::for_pairs`] of the Han runs of `texts`.
    pub fn for_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Segmenter {
        let mut keys = FxHashSet::default();
        for text in texts {
            pairs(text, &mut keys);
        }
        Segmenter::for_pairs(&keys)
    }

    fn load(dict: String) -> Segmenter {
        let jieba = jieba_rs::Jieba::with_dict(&mut dict.as_bytes())
            .unwrap_or_else(|_| jieba_rs::Jieba::empty());
        Segmenter(jieba)
    }

    /// Hands `emit` the words of three or more characters of a run of Han characters, in order.
    pub fn each_long_word<'a>(&self, run: &'a str, mut emit: impl FnMut(&'a str)) {
        for t in self.0.cut(run, false) {
            if t.word.chars().nth(2).is_some() {
                emit(t.word);
            }
        }
    }

    /// The words of a run of Han characters, in order (jieba without its HMM for unknown words).
    pub fn cut<'a>(&self, run: &'a str) -> Vec<&'a str> {
        self.0.cut(run, false).into_iter().map(|t| t.word).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static FULL: LazyLock<Segmenter> = LazyLock::new(Segmenter::full);

    #[test]
    fn the_whole_dictionary_is_there() {
        let groups = Groups::get();
        assert!(groups.len() > 100_000, "{} groups", groups.len());
        assert_eq!(groups.all().lines().count(), 349_045);
        assert!(groups.lines(pair('握', Some('手'))).contains("握手 "));
        assert_eq!(groups.lines(pair('\u{E000}', None)), "");
    }

    #[test]
    fn cuts_like_the_whole_dictionary() {
        let text = "三次握手的过程中客户端和服务器交换序列号，生产者和消费者通过条件变量协作，\
                    负载均衡器把请求分发到后端服务器，南京市长江大桥";
        let small = Segmenter::for_texts([text]);
        assert!(small.0.has_word("握手") && !small.0.has_word("熊猫"));
        for run in text.split('，') {
            assert_eq!(small.cut(run), FULL.cut(run), "{run}");
        }
        assert!(FULL.cut("生产者和消费者").contains(&"生产者"));
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
        let small = Segmenter::for_texts(runs.iter().map(String::as_str));
        let mut words = 0;
        for run in &runs {
            let cut = small.cut(run);
            assert_eq!(cut, FULL.cut(run), "{run}");
            words += cut.len();
        }
        assert!(words > 10_000, "{words} words");
    }
}
