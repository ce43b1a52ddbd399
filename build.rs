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

/// Writes `jieba-dict.bin`: the dictionary's lines grouped by their first two characters (a
/// one-character word by itself), so a build picks the groups of the character pairs its text
/// has. Layout, little-endian: total frequency (u64), number of groups n (u32), n sorted keys
/// (u64: first char << 32 | second char, or 0 for one-character words), n + 1 offsets (u32) into
/// the text, then the text: `word freq\n` lines, group after group.
fn jieba_dictionary(out_dir: &Path) {
    let path = jieba_dict_path();
    println!("cargo::rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut total: u64 = 0;
    let mut groups: BTreeMap<u64, String> = BTreeMap::new();
    for line in text.lines() {
        let mut fields = line.split_ascii_whitespace();
        let (Some(word), Some(freq)) = (fields.next(), fields.next()) else {
            continue;
        };
        let freq: u64 = freq.parse().expect("a frequency");
        total += freq;
        let mut chars = word.chars();
        let first = chars.next().expect("a word") as u64;
        let second = chars.next().map_or(0, |c| c as u64);
        let group = groups.entry(first << 32 | second).or_default();
        group.push_str(word);
        group.push(' ');
        group.push_str(&freq.to_string());
        group.push('\n');
    }
    let mut blob = Vec::new();
    blob.extend(total.to_le_bytes());
    blob.extend((groups.len() as u32).to_le_bytes());
    for key in groups.keys() {
        blob.extend(key.to_le_bytes());
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
