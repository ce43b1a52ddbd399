//! Build-time syntax highlighting with CSS classes (not inline colours), so the light and dark
//! themes are two generated stylesheets. The syntax set is two-face's curated set (bat's) with a
//! current Rust grammar, dumped at compile time by `build.rs` and loaded once per process.
//!
//! # Short classes
//!
//! A token's scope (e.g. `keyword.control.rust`) is a list of atoms. syntect would write every
//! atom as a class (`hl-keyword hl-control hl-rust`); the output instead keeps only the atoms that
//! can matter to a stylesheet and writes each as a short class:
//!
//! * The *compounds* are the class sets of the selectors of both generated themes (e.g.
//!   `.hl-keyword.hl-control` gives `{keyword, control}`). A span keeps an atom only when it is
//!   part of a compound that the span's atoms contain, that is of a compound that matches the
//!   span. Matching is unchanged, so are the colours.
//! * Every atom named by a compound gets a fixed code ([`class_map`]): the atoms of [`COMMON`]
//!   first, in that order, then the rest in byte order; the n-th atom gets the n-th name of
//!   `A`…`Z`, `Aa`…`Az`, `Ba`…, `Zz`, `Aaa`… (an upper-case first letter, so a code never meets a
//!   hand-written site class). The generated stylesheets use the same codes, and list the map
//!   in their header comment. The map only changes when the themes do.
//! * A span left with no class is dropped (its text stays), and two sibling spans with the same
//!   classes that touch are merged into one.
//!
//! `.hl-code`, the class of the `pre`, keeps its name. A site stylesheet that refines token
//! colours uses the codes too (see the end of `static/css/site.css`).

use super::classes::*;
use std::rc::Rc;
use std::sync::LazyLock;

use syntect::parsing::{BasicScopeStackOp, ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const DUMP: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/syntaxes.packdump"));

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(|| {
    syntect::dumps::from_uncompressed_data(DUMP).expect("the syntax dump built by build.rs loads")
});

/// Languages that are shown as plain text on purpose.
const PLAIN: &[&str] = &["", "text", "txt", "plain", "plaintext", "console-output"];

/// Finds the syntax for a fence's language or a file extension, if any.
fn syntax_for(lang: &str) -> Option<&'static SyntaxReference> {
    let lang = lang.trim().to_ascii_lowercase();
    if PLAIN.contains(&lang.as_str()) {
        return None;
    }
    let token = match lang.as_str() {
        "shell" | "console" => "bash",
        "py" | "python3" => "python",
        "rs" => "rust",
        other => other,
    };
    SYNTAXES.find_syntax_by_token(token)
}

/// True when `lang` has a grammar (otherwise the block renders as plain escaped text).
pub fn is_known(lang: &str) -> bool {
    syntax_for(lang).is_some()
}

/// Writes spans: drops class-less ones and merges touching siblings with the same classes.
struct SpanWriter {
    out: String,
    /// One entry per open scope: its classes, `None` when it writes no span.
    open: Vec<Option<Rc<str>>>,
    /// The classes and the output length before the `</span>` that was written last, while
    /// nothing else has been written since.
    just_closed: Option<(usize, Rc<str>)>,
}

impl SpanWriter {
    fn text(&mut self, text: &str) {
        if !text.is_empty() {
            self.just_closed = None;
            escape_into(&mut self.out, text);
        }
    }

    fn push(&mut self, classes: Option<Rc<str>>) {
        if let Some(classes) = &classes {
            match self.just_closed.take() {
                Some((at, closed)) if closed == *classes => self.out.truncate(at),
                _ => {
                    self.out.push_str("<span class=\"");
                    self.out.push_str(classes);
                    self.out.push_str("\">");
                }
            }
        }
        self.open.push(classes);
    }

    fn pop(&mut self) {
        if let Some(Some(classes)) = self.open.pop() {
            self.just_closed = Some((self.out.len(), classes));
            self.out.push_str("</span>");
        }
    }
}

/// Highlights `code` as `lang` into HTML spans with short classes (see the module
/// documentation); unknown languages and grammar failures fall back to escaped plain text,
/// never an error.
pub fn highlight(code: &str, lang: &str) -> String {
    if let Some(syntax) = syntax_for(lang) {
        if let Some(html) = highlight_with(code, syntax) {
            return html;
        }
    }
    escape(code)
}

fn highlight_with(code: &str, syntax: &SyntaxReference) -> Option<String> {
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut writer = SpanWriter {
        out: String::with_capacity(code.len() * 2),
        open: Vec::new(),
        just_closed: None,
    };
    for line in LinesWithEndings::from(code) {
        let ops = state.parse_line(line, &SYNTAXES).ok()?;
        let mut at = 0;
        for (i, op) in ops {
            writer.text(&line[at..i]);
            at = i;
            stack
                .apply_with_hook(&op, |basic, _| match basic {
                    BasicScopeStackOp::Push(scope) => writer.push(classes_for(scope)),
                    BasicScopeStackOp::Pop => writer.pop(),
                })
                .ok()?;
        }
        writer.text(&line[at..]);
    }
    while !writer.open.is_empty() {
        writer.pop();
    }
    Some(writer.out)
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_into(&mut out, text);
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeSet, HashMap};
    use syntect::parsing::syntax_definition::Pattern;

    /// syntect's own classed HTML, with every atom as an `hl-` class.
    fn long_highlight(code: &str, lang: &str) -> String {
        let syntax = syntax_for(lang).unwrap();
        let mut generator = syntect::html::ClassedHTMLGenerator::new_with_class_style(
            syntax,
            &SYNTAXES,
            CLASS_STYLE,
        );
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .unwrap();
        }
        generator.finalize()
    }

    fn code(atoms: &str) -> String {
        atoms
            .split('.')
            .map(|a| CLASSES.codes[a].clone())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn rust_with_async_gets_short_classes() {
        let html = highlight("async fn f() { x.await; }\n", "rust");
        let keyword = format!("<span class=\"{}\">async</span>", code("keyword"));
        assert!(html.contains(&keyword), "{html}");
        let function = format!("<span class=\"{}\">f</span>", code("entity.name.function"));
        assert!(html.contains(&function), "{html}");
        assert!(!html.contains("hl-"), "{html}");
    }

    #[test]
    fn codes_are_short_unique_and_fixed() {
        let map = class_map();
        assert!(map.len() > 26 && map.len() < 26 * 27, "{}", map.len());
        let codes: BTreeSet<_> = map.iter().map(|(_, c)| c.as_str()).collect();
        assert_eq!(codes.len(), map.len());
        assert!(map.iter().all(|(_, c)| (1..=3).contains(&c.len())));
        assert_eq!(code_name(0), "A");
        assert_eq!(code_name(26), "Aa");
        assert_eq!(code_name(26 + 676), "Aaa");
        assert_eq!(CLASSES.codes["punctuation"], "A");
        assert_eq!(CLASSES.codes["keyword"], "C");
    }

    #[test]
    fn touching_spans_with_the_same_classes_merge() {
        // `format` and `!` are two `support.function.macro` tokens side by side.
        let html = highlight("let s = format!(\"x\");\n", "rust");
        assert!(
            html.contains(&format!(
                "<span class=\"{}\">format!</span>",
                code("support.function")
            )),
            "{html}"
        );
        assert!(!html.contains("</span><span class=\"E\">"), "{html}");
    }

    #[test]
    fn stylesheets_use_the_codes_and_every_class_is_known() {
        let (light, dark) = theme_css();
        for css in [&light, &dark] {
            assert!(css.contains(".hl-code {"), "{css}");
            assert!(!css.contains(".hl-keyword"), "{css}");
            assert!(css.contains(&format!(".{} {{", code("keyword"))), "{css}");
        }
        let html = highlight(
            "fn main() { let x: u8 = 1; println!(\"{x}\"); } // c\n",
            "rust",
        );
        let known: BTreeSet<&String> = CLASSES.codes.values().collect();
        for part in html.split("class=\"").skip(1) {
            let classes = &part[..part.find('"').unwrap()];
            for class in classes.split(' ') {
                assert!(known.contains(&class.to_string()), "{class} in {html}");
            }
        }
    }

    #[test]
    fn site_stylesheet_refines_compounds_of_the_themes() {
        // static/css/site.css raises a few token colours; each of its compounds must be one the
        // themes have, or spans would lose the atoms it names.
        let site = include_str!("../../static/css/site.css");
        let map: HashMap<&str, &str> = CLASSES
            .codes
            .iter()
            .map(|(a, c)| (c.as_str(), a.as_str()))
            .collect();
        let mut found = 0;
        for line in site.lines().filter(|l| l.contains(".hl-code .")) {
            for part in line.split(".hl-code ").skip(1) {
                let compound = part
                    .split([' ', ',', '{'])
                    .next()
                    .unwrap()
                    .trim_start_matches('.');
                let mut atoms: Vec<String> = compound
                    .split('.')
                    .map(|c| map.get(c).unwrap_or_else(|| panic!("{c}")).to_string())
                    .collect();
                atoms.sort();
                assert!(CLASSES.compounds.contains(&atoms), "{compound}");
                found += 1;
            }
        }
        assert!(found > 5, "{found}");
    }

    #[test]
    fn rust_spans_stay_the_same() {
        // Many kinds of token, at various places in a line: the Rust grammar takes up to three
        // tokens per search, each place with its own capture groups. The expected spans (with
        // syntect's long classes, every atom of every scope) are those of the grammar before it
        // was shaped for speed.
        let code = concat!(
            "#[derive(Debug)]\n",
            "pub struct Pair<'a> { name: &'a str, n: u8, ok: bool }\n",
            "fn len(p: &Pair) -> usize { p.name.len() + 0x1F + b'x' as usize }\n",
            "let s = format!(\"{}\", r#\"raw\"#); // done\n",
        );
        let expected = concat!(
            "<span class=\"hl-source hl-rust\"><span class=\"hl-meta hl-annotation hl-rust\"><span class=\"hl-punctuation hl-definition hl-annotation hl-rust\">#[</span>derive(Debug)<span class=\"hl-punctuation hl-definition hl-annotation hl-rust\">]</span></span>\n",
            "<span class=\"hl-storage hl-modifier hl-rust\">pub</span> <span class=\"hl-storage hl-type hl-rust\">struct</span> <span class=\"hl-entity hl-name hl-type hl-rust\">Pair</span><span class=\"hl-keyword hl-operator hl-rust\">&lt;</span><span class=\"hl-storage hl-modifier hl-lifetime hl-rust\">&#39;a</span><span class=\"hl-keyword hl-operator hl-rust\">&gt;</span> { name: <span class=\"hl-keyword hl-operator hl-rust\">&amp;</span><span class=\"hl-storage hl-modifier hl-lifetime hl-rust\">&#39;a</span> <span class=\"hl-storage hl-type hl-primitive hl-rust\">str</span><span class=\"hl-punctuation hl-separator hl-rust\">,</span> n: <span class=\"hl-storage hl-type hl-primitive hl-rust\">u8</span><span class=\"hl-punctuation hl-separator hl-rust\">,</span> ok: <span class=\"hl-storage hl-type hl-primitive hl-rust\">bool</span> }\n",
            "<span class=\"hl-storage hl-type hl-function hl-rust\">fn</span> <span class=\"hl-entity hl-name hl-function hl-rust\">len</span>(p: <span class=\"hl-keyword hl-operator hl-rust\">&amp;</span><span class=\"hl-support hl-type hl-rust\">Pair</span>) <span class=\"hl-keyword hl-operator hl-rust\">-&gt;</span> <span class=\"hl-storage hl-type hl-primitive hl-rust\">usize</span> { p.name.<span class=\"hl-variable hl-function hl-rust\">len</span>() <span class=\"hl-keyword hl-operator hl-rust\">+</span> <span class=\"hl-constant hl-numeric hl-rust\">0x1F</span> <span class=\"hl-keyword hl-operator hl-rust\">+</span> b<span class=\"hl-string hl-quoted hl-single hl-rust\">&#39;x&#39;</span> <span class=\"hl-storage hl-modifier hl-rust\">as</span> <span class=\"hl-storage hl-type hl-primitive hl-rust\">usize</span> }\n",
            "<span class=\"hl-storage hl-type hl-rust\">let</span> s <span class=\"hl-keyword hl-operator hl-rust\">=</span> <span class=\"hl-support hl-function hl-macro hl-rust\">format</span><span class=\"hl-support hl-function hl-macro hl-rust\">!</span>(<span class=\"hl-string hl-quoted hl-double hl-rust\"><span class=\"hl-punctuation hl-definition hl-string hl-begin hl-rust\">&quot;</span>{}<span class=\"hl-punctuation hl-definition hl-string hl-end hl-rust\">&quot;</span></span><span class=\"hl-punctuation hl-separator hl-rust\">,</span> <span class=\"hl-string hl-quoted hl-double hl-raw hl-rust\"><span class=\"hl-punctuation hl-definition hl-string hl-begin hl-rust\">r#&quot;</span>raw<span class=\"hl-punctuation hl-definition hl-string hl-end hl-rust\">&quot;#</span></span>)<span class=\"hl-punctuation hl-separator hl-rust\">;</span> <span class=\"hl-comment hl-line hl-double-slash hl-rust\">// done\n",
            "</span></span>",
        );
        assert_eq!(long_highlight(code, "rust"), expected);
    }

    #[test]
    fn rust_token_copies_have_the_same_scopes() {
        // `main` repeats the `token` regex three times, each copy with its own capture groups:
        // the three blocks of `captures` must give the same scopes, in the same order.
        let set: SyntaxSet = syntect::dumps::from_uncompressed_data(DUMP).unwrap();
        let builder = set.into_builder();
        let rust = builder
            .syntaxes()
            .iter()
            .rev()
            .find(|s| s.name == "Rust")
            .unwrap();
        let Pattern::Match(tokens) = &rust.contexts["main"].patterns[0] else {
            panic!("the first pattern of main is a match")
        };
        let captures = tokens.captures.as_ref().expect("captures");
        let n = captures.len() / 3;
        assert_eq!(captures.len(), 3 * n);
        for (i, (group, scopes)) in captures.iter().enumerate() {
            assert_eq!(*group, i + 1, "groups are numbered 1, 2, 3, …");
            assert_eq!(scopes, &captures[i % n].1, "group {group}");
        }
    }

    #[test]
    fn required_languages_are_known() {
        for lang in [
            "rust", "python", "bash", "toml", "json", "http", "nginx", "yaml", "c",
        ] {
            assert!(is_known(lang), "{lang}");
        }
        assert!(!is_known("no-such-language"));
    }

    #[test]
    fn unknown_language_is_escaped_plain_text() {
        assert_eq!(highlight("<a & b>\n", "klingon"), "&lt;a &amp; b&gt;\n");
    }
}
