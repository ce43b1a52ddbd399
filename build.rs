//! Builds the syntax set once, at compile time, into a compact dump the generator loads with
//! one deserialisation (as bat does): two-face's curated set, with its Rust grammar (which predates
//! async/await) replaced by `syntaxes/Rust.sublime-syntax`.
//!
//! It also regroups jieba's dictionary so that a build loads only the words its own text can
//! contain (see `src/search/segment.rs`): loading all 349,000 words costs more than the rest of a
//! whole build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use syntect::parsing::{SyntaxDefinition, SyntaxSetBuilder};

fn main() {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    syntaxes(&out_dir);
    jieba_dictionary(&out_dir);
}

fn syntaxes(out_dir: &Path) {
    println!("cargo::rerun-if-changed=syntaxes");
    let mut ours = Vec::new();
    for entry in std::fs::read_dir("syntaxes").expect("syntaxes/ exists") {
        let path = entry.expect("readable syntaxes/").path();
        if path.extension().and_then(|e| e.to_str()) == Some("sublime-syntax") {
            let text = std::fs::read_to_string(&path).expect("readable syntax");
            let def = SyntaxDefinition::load_from_str(&text, true, None)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            ours.push(def);
        }
    }
    // Bundled grammars refer to each other by index, so they stay as they are; ours are added last,
    // and syntect's lookups prefer the syntax added last for the same name or extension.
    let mut builder: SyntaxSetBuilder = two_face::syntax::extra_newlines().into_builder();
    for def in ours {
        builder.add(def);
    }
    let set = builder.build();
    syntect::dumps::dump_to_uncompressed_file(&set, out_dir.join("syntaxes.packdump"))
        .expect("the dump is written");
}

/// The dictionary jieba-rs ships (`src/data/dict.txt` of its package), from the package folder
/// of the version `Cargo.lock` resolves. jieba-rs keeps its copy private, and `cargo metadata`
/// would need every dev-dependency downloaded, so the folder is looked up where cargo unpacks
/// registry packages: `$CARGO_HOME/registry/src/<registry>/jieba-rs-<version>/`.
fn jieba_dict_path() -> PathBuf {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    println!("cargo::rerun-if-changed=Cargo.lock");
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).expect("Cargo.lock exists");
    let version = lock
        .split("[[package]]")
        .find(|p| p.contains("name = \"jieba-rs\""))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
        .map(|v| v.trim_matches('"').to_string())
        .expect("Cargo.lock lists jieba-rs");
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .expect("CARGO_HOME or HOME is set");
    let registries = cargo_home.join("registry/src");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&registries)
        .into_iter()
        .flatten()
        .flatten()
        .map(|r| {
            r.path()
                .join(format!("jieba-rs-{version}/src/data/dict.txt"))
        })
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    found.pop().unwrap_or_else(|| {
        panic!(
            "jieba-rs {version}'s dictionary is not under {}: run `cargo fetch`",
            registries.display()
        )
    })
}

/// Writes `jieba-dict.bin`: the dictionary's words grouped by their first two characters (a
/// one-character word by itself), so a build reads only the groups of the character pairs its
/// text has. Even a small site's groups lie on nearly every page of the file, and every page a
/// build reads counts in its peak memory: hence a compact layout (2.0 MB for 349,045 words; as
/// UTF-8 lines with u32 tables, 3.8 MB and 2.3 MiB more peak memory at 75 pages). Layout,
/// little-endian:
/// - total frequency (u64), number of first characters f (u32);
/// - the f first characters (u16), sorted, then f + 1 offsets (u32) of their blocks in the rest;
/// - a first character's block: its groups in order of their second character (0 for the
///   one-character word), each its second character (u16), the byte length of its words
///   (varint), then its words: the number of characters after the first two (u8), those
///   characters (u16 each), the frequency (varint of at most 32 bits).
///
/// Varints are LEB128 (seven bits a byte, low bits first), as the index's own: the reader in
/// `src/search/index/codec.rs` reads these too. Every character of the dictionary is in the
/// Basic Multilingual Plane, so 16 bits hold it (checked here).
fn jieba_dictionary(out_dir: &Path) {
    let path = jieba_dict_path();
    println!("cargo::rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let bmp = |c: char| {
        u16::try_from(u32::from(c)).unwrap_or_else(|_| {
            panic!(
                "{}: `{c}` is beyond the BMP: jieba-dict.bin stores 16 bits a character",
                path.display()
            )
        })
    };
    let mut total: u64 = 0;
    let mut groups: BTreeMap<(u16, u16), Vec<u8>> = BTreeMap::new();
    for line in text.lines() {
        let mut fields = line.split_ascii_whitespace();
        let (Some(word), Some(freq)) = (fields.next(), fields.next()) else {
            continue;
        };
        let freq: u32 = freq.parse().expect("a frequency of at most u32::MAX");
        total += u64::from(freq);
        let mut chars = word.chars();
        let first = bmp(chars.next().expect("a word"));
        let second = chars.next().map_or(0, bmp);
        let rest: Vec<u16> = chars.map(bmp).collect();
        let words = groups.entry((first, second)).or_default();
        words.push(u8::try_from(rest.len()).expect("a word of at most 257 characters"));
        for c in rest {
            words.extend(c.to_le_bytes());
        }
        put_varint(words, freq.into());
    }
    let mut firsts: Vec<u16> = Vec::new();
    let mut starts: Vec<u32> = Vec::new();
    let mut blocks = Vec::new();
    for (&(first, second), words) in &groups {
        if firsts.last() != Some(&first) {
            firsts.push(first);
            starts.push(blocks.len() as u32);
        }
        blocks.extend(second.to_le_bytes());
        put_varint(&mut blocks, words.len() as u64);
        blocks.extend(words);
    }
    starts.push(blocks.len() as u32);
    let mut blob = Vec::new();
    blob.extend(total.to_le_bytes());
    blob.extend((firsts.len() as u32).to_le_bytes());
    for first in firsts {
        blob.extend(first.to_le_bytes());
    }
    for start in starts {
        blob.extend(start.to_le_bytes());
    }
    blob.extend(blocks);
    std::fs::write(out_dir.join("jieba-dict.bin"), blob).expect("the dictionary is written");
}

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}
