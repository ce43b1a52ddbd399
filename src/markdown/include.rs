//! Shortcodes on a line of their own, `{{ include(path="snippets/src/x.rs", anchor="server") }}`:
//! the included lines are those between `ANCHOR: server` and `ANCHOR_END: server`, with every
//! anchor marker line removed, so the page shows exactly the code the tests run.

use std::path::{Component, Path, PathBuf};

/// A parsed shortcode call: `name(key="value", …)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortcode {
    /// The shortcode's name, e.g. `include`.
    pub name: String,
    /// Arguments in the order written.
    pub args: Vec<(String, String)>,
}

impl Shortcode {
    /// The value of argument `key`, if given.
    pub fn arg(&self, key: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Recognises a shortcode line. `None`: not a shortcode line at all; `Some(Err)`: looks like one
/// but is malformed.
pub fn parse_line(line: &str) -> Option<Result<Shortcode, String>> {
    let inner = line.trim().strip_prefix("{{")?.strip_suffix("}}")?.trim();
    Some(parse_call(inner))
}

fn parse_call(inner: &str) -> Result<Shortcode, String> {
    let open = inner.find('(').ok_or_else(|| {
        format!("`{inner}` is not a shortcode call: expected name(key=\"value\")")
    })?;
    let name = inner[..open].trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("`{name}` is not a valid shortcode name"));
    }
    let rest = inner[open + 1..]
        .strip_suffix(')')
        .ok_or("the shortcode call is missing its closing `)`")?;
    let mut args = Vec::new();
    let mut s = rest.trim();
    while !s.is_empty() {
        let eq = s
            .find('=')
            .ok_or_else(|| format!("expected key=\"value\" in `{s}`"))?;
        let key = s[..eq].trim().to_string();
        let after = s[eq + 1..].trim_start();
        let quoted = after
            .strip_prefix('"')
            .ok_or_else(|| format!("the value of `{key}` must be in double quotes"))?;
        let end = quoted
            .find('"')
            .ok_or_else(|| format!("the value of `{key}` is missing its closing quote"))?;
        args.push((key, quoted[..end].to_string()));
        s = quoted[end + 1..].trim_start();
        s = s.strip_prefix(',').unwrap_or(s).trim_start();
    }
    Ok(Shortcode {
        name: name.to_string(),
        args,
    })
}

/// Resolves `path` (relative to `root`) and refuses anything that leaves `root`: absolute paths,
/// `..` that climbs out, and symlinks pointing outside.
pub fn resolve(root: &Path, path: &str) -> Result<PathBuf, String> {
    let relative = Path::new(path);
    if relative.is_absolute() || path.starts_with('/') || path.starts_with('\\') {
        return Err(format!(
            "include path `{path}` is absolute; paths are relative to the site root"
        ));
    }
    let mut depth = 0usize;
    for component in relative.components() {
        match component {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir if depth > 0 => depth -= 1,
            _ => return Err(format!("include path `{path}` leaves the site root")),
        }
    }
    let root = root
        .canonicalize()
        .map_err(|e| format!("cannot resolve the site root: {e}"))?;
    let full = root
        .join(relative)
        .canonicalize()
        .map_err(|e| format!("cannot read `{path}`: {e}"))?;
    if !full.starts_with(&root) {
        return Err(format!(
            "include path `{path}` points outside the site root (through a symlink)"
        ));
    }
    Ok(full)
}

/// The lines of `source` inside anchor `anchor` (or the whole file when `None`), with every
/// `ANCHOR:`/`ANCHOR_END:` marker line removed and the common indentation stripped.
pub fn extract(source: &str, anchor: Option<&str>) -> Result<String, String> {
    let mut lines = Vec::new();
    let mut inside = anchor.is_none();
    let mut found = false;
    for line in source.lines() {
        if let Some(name) = marker(line, "ANCHOR:") {
            if Some(name) == anchor {
                inside = true;
                found = true;
            }
            continue;
        }
        if let Some(name) = marker(line, "ANCHOR_END:") {
            if Some(name) == anchor {
                inside = false;
            }
            continue;
        }
        if inside {
            lines.push(line);
        }
    }
    if let Some(anchor) = anchor {
        if !found {
            return Err(format!("anchor `{anchor}` not found"));
        }
    }
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    while lines.first().is_some_and(|l| l.trim().is_empty()) {
        lines.remove(0);
    }
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for line in lines {
        out.push_str(line.get(indent..).unwrap_or("").trim_end());
        out.push('\n');
    }
    Ok(out)
}

/// The anchor name if `line` is a marker comment like `// ANCHOR: name` or `# ANCHOR_END: name`.
fn marker<'a>(line: &'a str, tag: &str) -> Option<&'a str> {
    let at = line.find(tag)?;
    let before = line[..at].trim();
    if !(before.is_empty()
        || before.starts_with("//")
        || before.starts_with('#')
        || before.starts_with("<!--"))
    {
        return None;
    }
    let name = line[at + tag.len()..].trim().trim_end_matches("-->").trim();
    name.split_whitespace().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_calls() {
        let sc = parse_line(r#"  {{ include(path="a/b.rs", anchor="x") }}"#)
            .unwrap()
            .unwrap();
        assert_eq!(sc.name, "include");
        assert_eq!(sc.arg("path"), Some("a/b.rs"));
        assert_eq!(sc.arg("anchor"), Some("x"));
        assert!(parse_line("text {{ x }}").is_none());
        assert!(parse_line("{{ include(path=a) }}").unwrap().is_err());
    }

    #[test]
    fn extracts_anchor_and_strips_all_markers() {
        let src = "// ANCHOR: all\nfn a() {}\n    // ANCHOR: inner\n    let x = 1;\n    // ANCHOR_END: inner\n// ANCHOR_END: all\n";
        assert_eq!(extract(src, Some("inner")).unwrap(), "let x = 1;\n");
        assert_eq!(
            extract(src, Some("all")).unwrap(),
            "fn a() {}\n    let x = 1;\n"
        );
        assert_eq!(extract(src, None).unwrap(), "fn a() {}\n    let x = 1;\n");
        assert!(extract(src, Some("missing")).is_err());
    }

    #[test]
    fn paths_may_not_leave_the_root() {
        let root = std::env::temp_dir();
        assert!(resolve(&root, "/etc/passwd")
            .unwrap_err()
            .contains("absolute"));
        assert!(resolve(&root, "../../etc/passwd")
            .unwrap_err()
            .contains("leaves"));
        assert!(resolve(&root, "a/../../x").unwrap_err().contains("leaves"));
    }
}
