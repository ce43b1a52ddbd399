//! What a person reads on the terminal about a build, for `build`, `check` and `serve` alike:
//! the diagnostics (at most [`MAX_SHOWN`], the rest counted), the failure footers, and the
//! one-line summaries (`built N pages in M sections (F files) in T ms → out`, `rebuilt in …`).
//! Everything goes to stderr; the texts are the ones the tests and contributors rely on.

use crate::error::Errors;
use crate::Summary;
use std::path::Path;
use std::time::Duration;

/// At most this many diagnostics are shown; the rest are counted.
pub const MAX_SHOWN: usize = 50;

/// The diagnostics, blank lines between, at most [`MAX_SHOWN`] then `… and N more`; no
/// trailing newline. Also the text of the overlay `serve` shows in the page.
pub fn diagnostics(errors: &Errors) -> String {
    let mut text = String::new();
    for diagnostic in errors.0.iter().take(MAX_SHOWN) {
        text.push_str(&format!("{diagnostic}\n\n"));
    }
    if errors.0.len() > MAX_SHOWN {
        text.push_str(&format!("… and {} more\n", errors.0.len() - MAX_SHOWN));
    }
    text.trim_end().to_string()
}

/// `1 error`, `3 errors`.
pub fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// A failed `build` or `check`: the diagnostics, then `N errors found; the output folder was
/// not changed`.
pub fn build_failed(errors: &Errors) {
    eprintln!("{}\n", diagnostics(errors));
    eprintln!(
        "{} found; the output folder was not changed",
        plural(errors.0.len(), "error")
    );
}

/// `VERB N pages in M sections (F files) in T ms[ → OUTPUT]`.
pub fn summary_line(verb: &str, summary: &Summary, output: Option<&Path>) -> String {
    let target = output
        .map(|o| format!(" → {}", o.display()))
        .unwrap_or_default();
    format!(
        "{verb} {} pages in {} sections ({} files) in {:.0} ms{target}",
        summary.pages,
        summary.sections,
        summary.files,
        millis(summary.elapsed)
    )
}

/// Prints [`summary_line`].
pub fn summary(verb: &str, summary: &Summary, output: Option<&Path>) {
    eprintln!("{}", summary_line(verb, summary, output));
}

/// A failed `serve` rebuild: its diagnostics (already made by [`diagnostics`]) and what is
/// served meanwhile.
pub fn serve_failed(text: &str, errors: usize, built: bool) {
    let errors = plural(errors, "error");
    if built {
        eprintln!("{text}\n\nbuild failed ({errors}); still serving the last good build");
    } else {
        eprintln!(
            "{text}\n\nbuild failed ({errors}); pages show the errors until a build succeeds"
        );
    }
}

/// One `serve` rebuild that succeeded.
pub struct Rebuild<'a> {
    /// Time the pages took.
    pub pages: Duration,
    /// Time since the first change of the burst.
    pub after_change: Duration,
    pub changed: usize,
    pub removed: usize,
    /// The changed sources: `content/net/udp.md (+2 more)`.
    pub sources: &'a str,
    /// Time the search index took, if it was rebuilt.
    pub search: Option<Duration>,
}

/// `rebuilt in T ms (A ms after the change): C changed, R removed · SOURCES[; search index in S ms]`.
pub fn rebuilt(rebuild: &Rebuild) {
    eprintln!(
        "rebuilt in {:.0} ms ({:.0} ms after the change): {} changed, {} removed · {}{}",
        millis(rebuild.pages),
        millis(rebuild.after_change),
        rebuild.changed,
        rebuild.removed,
        rebuild.sources,
        rebuild.search.map_or_else(String::new, |search| format!(
            "; search index in {:.0} ms",
            millis(search)
        )),
    );
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Diagnostic;

    #[test]
    fn caps_the_diagnostics_shown() {
        let errors = Errors((0..53).map(|i| Diagnostic::new(format!("e{i}"))).collect());
        let text = diagnostics(&errors);
        assert!(text.contains("e49") && !text.contains("e50"), "{text}");
        assert!(text.ends_with("… and 3 more"), "{text}");
        let one = Errors(vec![Diagnostic::new("only")]);
        assert!(!diagnostics(&one).ends_with('\n'));
        assert_eq!(plural(1, "error"), "1 error");
        assert_eq!(plural(2, "error"), "2 errors");
    }

    #[test]
    fn summarises_a_build() {
        let summary = Summary {
            pages: 3,
            sections: 2,
            files: 40,
            elapsed: Duration::from_millis(12),
        };
        assert_eq!(
            summary_line("built", &summary, Some(Path::new("public"))),
            "built 3 pages in 2 sections (40 files) in 12 ms → public"
        );
        assert_eq!(
            summary_line("checked", &summary, None),
            "checked 3 pages in 2 sections (40 files) in 12 ms"
        );
    }
}
