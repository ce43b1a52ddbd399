//! Build-time syntax highlighting with CSS classes (not inline colours), so the light and dark
//! themes are two generated stylesheets. The syntax set is two-face's curated set (bat's) with a
//! current Rust grammar, dumped at compile time by `build.rs` and loaded once per process.

use std::sync::LazyLock;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(|| {
    syntect::dumps::from_uncompressed_data(include_bytes!(concat!(
        env!("OUT_DIR"),
        "/syntaxes.packdump"
    )))
    .expect("the syntax dump built by build.rs loads")
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
