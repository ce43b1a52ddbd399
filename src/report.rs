//! What a person reads on the terminal about a build, for `build`, `check` and `serve` alike:
//! the diagnostics (at most [`MAX_SHOWN`], the rest counted), the failure footers, and the
//! one-line summaries (`built N pages in M sections (F files) in T ms → out`, `rebuilt in …`).
//! Everything goes to stderr; the texts are the ones the tests and contributors rely on.
//! `--format github` and `--format json` print the diagnostics to stdout instead, for CI and
//! other tools: GitHub workflow commands (inline annotations) or one JSON object a line.

use crate::error::{Diagnostic, Errors};
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

/// How `build` and `check` print their diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// For a person: [`diagnostics`] and the footer, on stderr.
    #[default]
    Human,
    /// GitHub workflow commands on stdout (`::error file=…,line=…::…`): inline annotations on
    /// the changed lines of a pull request. The footer stays on stderr.
    Github,
    /// One JSON object a line on stdout: `file`, `line`, `column`, `message`, `hint` (`null`
    /// when unknown). The footer stays on stderr.
    Json,
}

/// A failed `build` or `check` in `format`. `root` is the site root as given on the command
/// line: the machine formats name files relative to the working folder, so that a tool (or
/// GitHub, from the repository root) can open them. `command` (`check`, `build`) titles the
/// GitHub annotations.
pub fn failed(errors: &Errors, format: Format, root: &Path, command: &str) {
    match format {
        Format::Human => return build_failed(errors),
        Format::Github => print!("{}", github(errors, root, &format!("mianjing {command}"))),
        Format::Json => print!("{}", json(errors, root)),
    }
    eprintln!(
        "{} found; the output folder was not changed",
        plural(errors.0.len(), "error")
    );
}

/// Every diagnostic as a GitHub workflow command, one a line:
/// `::error file=F,line=L,col=C,title=T::MESSAGE%0Ahelp: HINT`.
pub fn github(errors: &Errors, root: &Path, title: &str) -> String {
    let mut text = String::new();
    for diagnostic in &errors.0 {
        let mut properties = Vec::new();
        if let Some(file) = located(diagnostic, root) {
            properties.push(format!("file={}", escape_property(&file)));
            if let Some(line) = diagnostic.line {
                properties.push(format!("line={line}"));
                if let Some(column) = diagnostic.column {
                    properties.push(format!("col={column}"));
                }
            }
        }
        properties.push(format!("title={}", escape_property(title)));
        let mut message = diagnostic.message.clone();
        if let Some(hint) = &diagnostic.hint {
            message.push_str("\nhelp: ");
            message.push_str(hint);
        }
        text.push_str(&format!(
            "::error {}::{}\n",
            properties.join(","),
            escape_data(&message)
        ));
    }
    text
}

/// Every diagnostic as one JSON object a line.
pub fn json(errors: &Errors, root: &Path) -> String {
    let mut text = String::new();
    for diagnostic in &errors.0 {
        let object = serde_json::json!({
            "file": located(diagnostic, root),
            "line": diagnostic.line,
            "column": diagnostic.column,
            "message": diagnostic.message,
            "hint": diagnostic.hint,
        });
        text.push_str(&object.to_string());
        text.push('\n');
    }
    text
}

/// The diagnostic's file as a path from the working folder: `root/file` for a file relative to
/// the site root, without a leading `./`; an absolute path inside the working folder made
/// relative to it.
fn located(diagnostic: &Diagnostic, root: &Path) -> Option<String> {
    let file = diagnostic.file.as_ref()?;
    let mut path = if file.is_absolute() {
        file.clone()
    } else {
        root.join(file)
    };
    if path.is_absolute() {
        if let Ok(cwd) = std::env::current_dir() {
            if let Ok(inside) = path.strip_prefix(&cwd) {
                path = inside.to_path_buf();
            }
        }
    }
    let path: std::path::PathBuf = path
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    Some(path.to_string_lossy().replace('\\', "/"))
}

/// GitHub's escaping of a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a workflow command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
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

/// Prints [`summary_line`], then the summary's note, if any.
pub fn summary(verb: &str, summary: &Summary, output: Option<&Path>) {
    eprintln!("{}", summary_line(verb, summary, output));
    if let Some(note) = &summary.note {
        eprintln!("note: {note}");
    }
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
    fn github_and_json_formats() {
        let errors = Errors(vec![
            Diagnostic::in_file("content/a,b:c.md", "50% off\r\nnext")
                .line(7)
                .column(3)
                .hint("fix it"),
            Diagnostic::new("no file"),
        ]);
        assert_eq!(
            github(&errors, Path::new("."), "mianjing"),
            "::error file=content/a%2Cb%3Ac.md,line=7,col=3,title=mianjing::50%25 off%0D%0Anext%0Ahelp: fix it\n\
             ::error title=mianjing::no file\n"
        );
        let lines: Vec<serde_json::Value> = json(&errors, Path::new("site"))
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["file"], "site/content/a,b:c.md");
        assert_eq!(lines[0]["line"], 7);
        assert_eq!(lines[0]["column"], 3);
        assert_eq!(lines[0]["hint"], "fix it");
        assert!(lines[1]["file"].is_null() && lines[1]["line"].is_null());
    }

    #[test]
    fn summarises_a_build() {
        let summary = Summary {
            pages: 3,
            sections: 2,
            files: 40,
            elapsed: Duration::from_millis(12),
            note: None,
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
