//! The template set: read from `templates/` with the same bounded reader as every source,
//! checked for include, import and macro cycles (`cycles.rs`: they would overflow the stack while
//! rendering), and Tera's errors turned into diagnostics with the template and line.

use super::REQUIRED_TEMPLATES;
use crate::error::{Diagnostic, Errors, Result};
use std::path::Path;
use tera::Tera;

/// Loads every template under `root/templates` once and checks the required ones exist.
pub fn load_templates(root: &Path) -> Result<Tera> {
    let dir = root.join("templates");
    if !dir.is_dir() {
        return Err(
            Diagnostic::in_file("templates/", "the templates folder is missing")
                .hint(format!(
                    "create templates/ with {}",
                    REQUIRED_TEMPLATES.join(", ")
                ))
                .into(),
        );
    }
    let sources = read_templates(root, &dir)?;
    super::cycles::check_cycles(&sources)?;
    let mut tera = Tera::default();
    tera.add_raw_templates(
        sources
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str())),
    )
    .map_err(|e| tera_diagnostic(&e, root))?;
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's default escaper also escapes `/`, which makes every URL unreadable in the output.
    tera.set_escape_fn(crate::markdown::highlight::escape);
    let mut errors = Errors::default();
    for name in REQUIRED_TEMPLATES {
        if !has_template(&tera, name) {
            errors.push(
                Diagnostic::in_file(format!("templates/{name}"), "required template is missing")
                    .hint(format!(
                        "every site needs {}",
                        REQUIRED_TEMPLATES.join(", ")
                    )),
            );
        }
    }
    errors.into_result(tera)
}

/// Whether the site has the template `name` (path under `templates/`).
pub fn has_template(tera: &Tera, name: &str) -> bool {
    tera.get_template_names().any(|n| n == name)
}

/// A Tera error as a diagnostic naming the template and the line: Tera reports the line of a
/// syntax error itself; for a missing variable the line is found by searching the templates.
pub fn tera_diagnostic(error: &tera::Error, root: &Path) -> Diagnostic {
    let mut chain = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        chain.push(s.to_string());
        source = s.source();
    }
    let templates = root.join("templates");
    let strip = |s: &str| s.replace(&format!("{}/", templates.display()), "");
    let chain: Vec<String> = chain.iter().map(|s| strip(s)).collect();
    let deepest = chain.last().cloned().unwrap_or_default();
    let hint =
        "fix the template; every template gets `site` and `nav`, pages also `page` (the values are listed in src/render/context.rs)";

    // Syntax error: `Failed to parse "page.html"` followed by pest's ` --> L:C … = what`.
    if let Some(name) = chain.iter().find_map(|m| {
        between(m, "Failed to parse \"", "\"").or_else(|| between(m, "Failed to parse '", "'"))
    }) {
        let mut d = Diagnostic::in_file(Path::new("templates").join(name), "template syntax error");
        if let Some(at) = chain.iter().find_map(|m| between(m, "--> ", "\n")) {
            let mut parts = at.trim().split(':').map(|n| n.parse::<usize>().ok());
            if let (Some(Some(line)), Some(Some(column))) = (parts.next(), parts.next()) {
                d = d.line(line).column(column);
            }
        }
        let what = chain
            .iter()
            .flat_map(|m| m.lines())
            .find_map(|l| l.trim().strip_prefix("= "))
            .unwrap_or("");
        d.message = format!("template syntax error: {}", what.trim())
            .trim_end_matches(": ")
            .to_string();
        return d.hint(hint);
    }
    let rendering = chain
        .iter()
        .find_map(|m| {
            between(m, "rendering '", "'").or_else(|| between(m, "Failed to render '", "'"))
        })
        .map(str::to_string);
    let mut d = Diagnostic::new(format!(
        "template error: {}",
        deepest.split_whitespace().collect::<Vec<_>>().join(" ")
    ));
    if let Some(name) = &rendering {
        d.file = Some(Path::new("templates").join(name));
    }
    // A call of the `asset` function (crate::assets) names the file it did not find.
    if let Some(call) =
        between(&deepest, "", ": there is no such file").filter(|c| c.starts_with("asset("))
    {
        if let Some((file, line)) = find_in_templates(&templates, rendering.as_deref(), call) {
            d.file = Some(Path::new("templates").join(file));
            d.line = Some(line);
        }
        return d.hint("put the file under static/, or give asset() the path of one that is there");
    }
    if let Some(variable) = between(&deepest, "Variable `", "`") {
        d.message = format!("template error: variable `{variable}` is not defined");
        if let Some((file, line)) = find_in_templates(&templates, rendering.as_deref(), variable) {
            d.file = Some(Path::new("templates").join(file));
            d.line = Some(line);
        }
    }
    d.hint(hint)
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = text.find(start)? + start.len();
    let j = text[i..].find(end).map_or(text.len(), |j| i + j);
    Some(&text[i..j])
}

/// First line using `variable`, in `preferred` first, then in every template (it may be in a
/// parent or an included partial).
fn find_in_templates(
    dir: &Path,
    preferred: Option<&str>,
    variable: &str,
) -> Option<(String, usize)> {
    let mut names: Vec<String> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            e.path()
                .strip_prefix(dir)
                .ok()
                .map(|p| p.to_string_lossy().into_owned())
        })
        .collect();
    if let Some(p) = preferred {
        names.retain(|n| n != p);
        names.insert(0, p.to_string());
    }
    names.into_iter().find_map(|name| {
        let text = std::fs::read_to_string(dir.join(&name)).ok()?;
        let line = text.lines().position(|l| {
            l.match_indices(variable).any(|(i, _)| {
                let after = l[i + variable.len()..].chars().next();
                !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        })?;
        Some((name, line + 1))
    })
}

/// Every `*.html` under `dir` as (name relative to `dir`, text), in name order.
fn read_templates(root: &Path, dir: &Path) -> Result<Vec<(String, String)>> {
    let canonical = crate::read::canonical_root(root)
        .map_err(|e| Diagnostic::new(format!("cannot resolve the site root: {e}")))?;
    let mut sources = Vec::new();
    let mut errors = Errors::default();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().min_depth(1) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                errors.push(Diagnostic::in_file(
                    "templates/",
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        let path = entry.path();
        if entry.file_type().is_dir() || path.extension().and_then(|e| e.to_str()) != Some("html") {
            continue;
        }
        let name = path
            .strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let shown = Path::new("templates").join(&name);
        let text = crate::read::read_source(&canonical, path)
            .map_err(|e| Diagnostic::in_file(&shown, e.message).hint(e.hint))
            .and_then(|bytes| {
                String::from_utf8(bytes).map_err(|_| {
                    Diagnostic::in_file(&shown, "the file is not valid UTF-8")
                        .hint("save the file as UTF-8")
                })
            });
        match text {
            Ok(text) => sources.push((name, text)),
            Err(d) => errors.push(d),
        }
    }
    errors.into_result(sources)
}
