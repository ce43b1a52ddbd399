//! Runs the shortcodes of a page before Markdown parsing: each shortcode line becomes a one-line
//! placeholder (so line numbers stay right) and the HTML it stands for; the include shortcode
//! reads its file through the bounded source reader and records the path, so an edit to that
//! file rebuilds exactly the pages that include it.

use super::{figure, include, Caption, Context, PLACEHOLDER};
use crate::error::{Diagnostic, Errors, Result};
use std::path::{Path, PathBuf};

/// Markdown with shortcodes replaced by placeholders, each placeholder's (HTML, code text), and
/// the paths included.
type Expanded = (String, Vec<(String, String)>, Vec<String>);

/// Replaces each shortcode line by a one-line placeholder (so line numbers stay right) and returns
/// the HTML each placeholder stands for, with its code text.
pub(super) fn expand_shortcodes(
    markdown: &str,
    first_line: usize,
    source: &Path,
    ctx: &Context<'_>,
) -> Result<Expanded> {
    let mut out = String::with_capacity(markdown.len());
    let mut figures = Vec::new();
    let mut includes = Vec::new();
    let mut errors = Errors::default();
    let mut fence: Option<String> = None;
    for (i, line) in markdown.split_inclusive('\n').enumerate() {
        let line_no = first_line + i;
        let trimmed = line.trim_start();
        if let Some(open) = &fence {
            if trimmed.starts_with(open.as_str())
                && trimmed
                    .trim_end()
                    .chars()
                    .all(|c| c == open.chars().next().unwrap_or('`'))
            {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if line.len() - trimmed.len() < 4 {
            for marker in ["```", "~~~"] {
                if trimmed.starts_with(marker) {
                    let ch = marker.chars().next().unwrap_or('`');
                    fence = Some(trimmed.chars().take_while(|&c| c == ch).collect());
                }
            }
            if fence.is_some() {
                out.push_str(line);
                continue;
            }
        }
        match include::parse_line(line) {
            None => out.push_str(line),
            Some(parsed) => {
                let error = |message: String, hint: &str| {
                    Diagnostic::in_file(source, message)
                        .line(line_no)
                        .hint(hint.to_string())
                };
                let expanded = parsed.and_then(|sc| {
                    let fig = expand(&sc, ctx)?;
                    Ok((fig, sc.arg("path").map(str::to_string)))
                });
                match expanded {
                    Ok((fig, sc_path)) => {
                        let indent = &line[..line.len() - trimmed.len()];
                        out.push_str(&format!("{indent}{PLACEHOLDER}{}-->\n", figures.len()));
                        figures.push(fig);
                        includes.extend(sc_path);
                    }
                    Err(message) => errors.push(error(
                        message,
                        "shortcodes: {{ include(path=\"snippets/src/file.rs\", anchor=\"name\", run=\"command\") }}",
                    )),
                }
            }
        }
    }
    errors.into_result((out, figures, includes))
}

/// Runs one shortcode: `(html, code text)`.
fn expand(
    sc: &include::Shortcode,
    ctx: &Context<'_>,
) -> std::result::Result<(String, String), String> {
    if sc.name != "include" {
        return Err(format!("unknown shortcode `{}`", sc.name));
    }
    for (key, _) in &sc.args {
        if !["path", "anchor", "run"].contains(&key.as_str()) {
            return Err(format!(
                "include has no argument `{key}` (it takes path, anchor and run)"
            ));
        }
    }
    let path = sc.arg("path").ok_or("include needs a `path` argument")?;
    let full: PathBuf = include::resolve(ctx.root, path)?;
    if ctx.output.as_ref().is_some_and(|out| full.starts_with(out)) {
        return Err(format!(
            "include path `{path}` lies in the output folder, which the build replaces"
        ));
    }
    // `resolve` made `full` canonical and checked it lies inside the root.
    let bytes = crate::read::read_regular(&full)
        .map_err(|e| format!("cannot include `{path}`: {} ({})", e.message, e.hint))?;
    let source = String::from_utf8(bytes).map_err(|_| format!("`{path}` is not valid UTF-8"))?;
    let code =
        include::extract(&source, sc.arg("anchor")).map_err(|e| format!("{e} in `{path}`"))?;
    let lang = match Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
    {
        "rs" => "rust",
        "py" => "python",
        "sh" => "bash",
        other => other,
    };
    let caption = Caption {
        file: path,
        run: sc.arg("run"),
    };
    Ok((figure("include", lang, Some(caption), &code), code))
}
