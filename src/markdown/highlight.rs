//! Build-time syntax highlighting with CSS classes (not inline colours), so the light and dark
//! themes are two generated stylesheets. The syntax set is two-face's curated set (bat's) with a
//! current Rust grammar, dumped at compile time by `build.rs` and loaded once per process.

use std::sync::LazyLock;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const DUMP: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/syntaxes.packdump"));

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(|| {
    syntect::dumps::from_uncompressed_data(DUMP).expect("the syntax dump built by build.rs loads")
});

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

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

/// Highlights `code` as `lang` into HTML spans with `hl-` classes; unknown languages and
/// grammar failures fall back to escaped plain text, never an error.
pub fn highlight(code: &str, lang: &str) -> String {
    if let Some(syntax) = syntax_for(lang) {
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
        let ok = LinesWithEndings::from(code).all(|line| {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .is_ok()
        });
        if ok {
            return generator.finalize();
        }
    }
    escape(code)
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
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
    out
}

/// The two highlight stylesheets: `(light, dark)`.
pub fn theme_css() -> (String, String) {
    let themes = two_face::theme::extra();
    let css = |name| {
        css_for_theme_with_class_style(themes.get(name), CLASS_STYLE)
            .expect("the embedded themes produce CSS")
    };
    (
        css(two_face::theme::EmbeddedThemeName::InspiredGithub),
        css(two_face::theme::EmbeddedThemeName::OneHalfDark),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use syntect::parsing::syntax_definition::Pattern;

    #[test]
    fn rust_with_async_gets_classes() {
        let html = highlight("async fn f() { x.await; }\n", "rust");
        assert!(
            html.contains("<span class=\"hl-keyword hl-control hl-rust\">async</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-keyword hl-control hl-rust\">await</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-entity hl-name hl-function hl-rust\">f</span>"),
            "{html}"
        );
    }

    #[test]
    fn rust_spans_stay_the_same() {
        // Many kinds of token, at various places in a line: the Rust grammar takes up to three
        // tokens per search, each place with its own capture groups. The expected spans are
        // those of the grammar before it was shaped for speed.
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
        assert_eq!(highlight(code, "rust"), expected);
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
