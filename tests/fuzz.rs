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

fn context(root: &Path) -> Context<'_> {
    Context {
        output: None,
        root,
        base_path: "/sub",
        urls: [
            ("net/udp.md", "/net/udp/"),
            ("conc/locks.md", "/conc/locks/"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
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
