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
/// one-character word by itself), so a build picks the groups of the character pairs its text
/// has. A group's lines leave out the characters its key gives, which halves the bytes a build
/// touches. Layout, little-endian, every number u32 unless said:
/// - total frequency (u64), number of first characters f, number of groups n;
/// - the f first characters, sorted, then f + 1 indexes of their first group;
/// - each group's second character (0 for the one-character word), sorted within a first
///   character, then n + 1 offsets into the text;
/// - the text: `rest freq\n` lines (`rest` is the word without its first two characters),
///   group after group.
fn jieba_dictionary(out_dir: &Path) {
    let path = jieba_dict_path();
    println!("cargo::rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut total: u64 = 0;
    let mut groups: BTreeMap<(u32, u32), String> = BTreeMap::new();
    for line in text.lines() {
        let mut fields = line.split_ascii_whitespace();
        let (Some(word), Some(freq)) = (fields.next(), fields.next()) else {
            continue;
        };
        let freq: u64 = freq.parse().expect("a frequency");
        total += freq;
        let mut chars = word.chars();
        let first = chars.next().expect("a word") as u32;
        let second = chars.next().map_or(0, |c| c as u32);
        let group = groups.entry((first, second)).or_default();
        group.push_str(chars.as_str());
        group.push(' ');
        group.push_str(&freq.to_string());
        group.push('\n');
    }
    let mut firsts: Vec<(u32, u32)> = Vec::new(); // (first character, index of its first group)
    for (i, &(first, _)) in groups.keys().enumerate() {
        if firsts.last().is_none_or(|&(f, _)| f != first) {
            firsts.push((first, i as u32));
        }
    }
    let mut blob = Vec::new();
    blob.extend(total.to_le_bytes());
    for n in [firsts.len(), groups.len()] {
        blob.extend((n as u32).to_le_bytes());
    }
    for &(first, _) in &firsts {
        blob.extend(first.to_le_bytes());
    }
    for &(_, start) in &firsts {
        blob.extend(start.to_le_bytes());
    }
    blob.extend((groups.len() as u32).to_le_bytes());
    for &(_, second) in groups.keys() {
        blob.extend(second.to_le_bytes());
    }
    let mut offset = 0u32;
    blob.extend(offset.to_le_bytes());
    for group in groups.values() {
        offset += group.len() as u32;
        blob.extend(offset.to_le_bytes());
    }
    for group in groups.values() {
        blob.extend(group.as_bytes());
    }
    std::fs::write(out_dir.join("jieba-dict.bin"), blob).expect("the dictionary is written");
}
