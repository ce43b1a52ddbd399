//! Builds the syntax set once, at compile time, into a compact dump the generator loads with
//! one deserialisation (as bat does): two-face's curated set, with its Rust grammar (which predates
//! async/await) replaced by `syntaxes/Rust.sublime-syntax`.

use std::path::Path;
use syntect::parsing::{SyntaxDefinition, SyntaxSetBuilder};

fn main() {
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
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("syntaxes.packdump");
    syntect::dumps::dump_to_uncompressed_file(&set, out).expect("the dump is written");
}
