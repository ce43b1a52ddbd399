//! Property test: no input of front matter + Markdown + shortcodes makes the generator panic.
//! Inputs are built from fragments that matter to the parsers (fences, shortcodes, `@/` links,
//! headings, YAML keys, CJK text) mixed with arbitrary text. `PROPTEST_CASES` raises the count.

use mianjing::content::front_matter;
use mianjing::markdown::{self, Context};
use proptest::prelude::*;
use std::path::Path;

const FRAGMENTS: &[&str] = &[
    "---\n",
    "title: ",
    "标题",
    "\n",
    "\n\n",
    "tags: [",
    "]",
    "weight: ",
    "-3",
    "answer: |\n  ",
    "also_asked:\n  - ",
    "draft: true\n",
    "aliases: [a/b]\n",
    ": ",
    "\"",
    "'",
    "{",
    "}",
    "{{ include(path=\"",
    "snippets/demo.rs",
    "\", anchor=\"",
    "server",
    "inner",
    "\") }}",
    "{{ ",
    " }}",
    "{{ youtube(id=\"x\") }}",
    "{{ include() }}",
    "[link](@/",
    "net/udp.md",
    "#datagram",
    ")",
    "## ",
    "### ",
    "###### ",
    " {#id}",
    "# ",
    "> ",
    ">>>>",
    "- ",
    "  - ",
    "1. ",
    "* [ ] ",
    "```",
    "```rust\n",
    "```text\n",
    "~~~",
    "    indented\n",
    "|a|b|\n|-|-|\n|1|2|\n",
    "[^1]",
    "[^1]: note\n",
    "<figure class=\"diagram\"><svg>",
    "</svg></figure>",
    "<!--shortcode:0-->",
    "<!--\u{E000}shortcode:7-->",
    "<!--",
    "-->",
    "~~x~~",
    "三次握手 TIME_WAIT",
    "`code`",
    "**",
    "_",
    "\\",
    "\t",
    "\u{feff}",
    "\r\n",
    "![img](/a.png)",
    "[x](/root/)",
    "&amp;",
    "<",
    ">",
];

fn input() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => proptest::sample::select(FRAGMENTS).prop_map(str::to_string),
        1 => "\\PC{0,12}",
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|parts| parts.concat())
}

static URLS: std::sync::LazyLock<std::collections::BTreeMap<String, String>> =
    std::sync::LazyLock::new(|| {
        [
            ("net/udp.md", "/net/udp/"),
            ("conc/locks.md", "/conc/locks/"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    });

fn context(root: &Path) -> Context<'_> {
    Context {
        output: None,
        heading_link_label: "本节链接".into(),
        root,
        base_path: "/sub".into(),
        urls: &URLS,
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1500),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn front_matter_and_markdown_never_panic(text in input()) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/basic");
        let shown = Path::new("content/net/fuzz.md");
        let ctx = context(&root);
        let (body, first_line) = match front_matter::split(&text, shown) {
            Ok(split) => {
                if let Ok(meta) = front_matter::parse(&split, shown) {
                    if let Some(answer) = &meta.answer {
                        let _ = markdown::render_markdown(answer, 2, shown, &ctx);
                    }
                }
                (split.body.to_string(), split.body_line)
            }
            Err(_) => (text.clone(), 1),
        };
        if let Ok(rendered) = markdown::render_markdown(&body, first_line, shown, &ctx) {
            // Heading ids are unique on the page.
            let ids: Vec<&str> = rendered.html.match_indices("<h").filter_map(|(i, _)| {
                let rest = &rendered.html[i..];
                rest.strip_prefix("<h")?.get(1..)?.strip_prefix(" id=\"")?.split('"').next()
            }).collect();
            let unique: std::collections::BTreeSet<&&str> = ids.iter().collect();
            prop_assert_eq!(unique.len(), ids.len());
        }
    }
}

/// Pieces of hostile aliases, tags and heading ids: path tricks, quotes, generated names.
const NAME_PIECES: &[&str] = &[
    "..",
    ".",
    "/",
    "//",
    "\\",
    "\0",
    "tags",
    "search",
    "css",
    "index.html",
    "404.html",
    "a",
    "拥塞控制",
    "TCP",
    "tcp",
    "C++",
    "C#",
    "%2e%2e",
    "\"",
    "'",
    "<",
    ">",
    "=",
    " ",
    "#",
    "?",
    "onfocus=",
    "autofocus",
    "-",
    "_",
    "\u{202e}",
];

fn hostile_name() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => proptest::sample::select(NAME_PIECES).prop_map(str::to_string),
        1 => "\\PC{0,6}",
        1 => Just("x".repeat(260)),
    ];
    proptest::collection::vec(piece, 1..6).prop_map(|parts| parts.concat())
}

/// YAML double-quoted string (serde_yaml reads `\0`, `\\` and `\"` escapes).
fn yaml_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(150),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Whatever aliases, tags and heading ids a page has, a build either reports errors or
    /// writes only plain paths inside its output, each once, and every id stays inside its
    /// attribute.
    #[test]
    fn hostile_aliases_tags_and_ids_never_escape(
        alias in hostile_name(),
        tag in hostile_name(),
        id in hostile_name(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/basic"), &root);
        let page = format!(
            "---\ntitle: T\ntags: [{}]\naliases: [{}]\n---\n## H {{#{}}}\n\ntext\n",
            yaml_quoted(&tag), yaml_quoted(&alias), id.replace(['}', '\n'], "")
        );
        std::fs::write(root.join("content/net/fuzz.md"), page).unwrap();
        let options = mianjing::BuildOptions {
            root: root.clone(),
            output: dir.path().join("public"),
            ..Default::default()
        };
        if let Ok((_, files)) = mianjing::generate(&options) {
            for path in files.keys() {
                let text = path.to_str().unwrap();
                prop_assert!(!text.starts_with('/') && !text.contains('\\'), "{text}");
                prop_assert!(text.split('/').all(|p| !p.is_empty() && p != "." && p != ".."), "{text}");
            }
            let html = String::from_utf8_lossy(&files[Path::new("net/fuzz/index.html")]).into_owned();
            let heading = html.find("<h2 id=\"").map(|i| &html[i..]).unwrap_or("");
            let attr_end = heading[8..].find('"').map(|j| j + 8).unwrap_or(0);
            prop_assert!(heading[8..attr_end].chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_'), "{heading}");
        }
    }
}

fn copy(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
