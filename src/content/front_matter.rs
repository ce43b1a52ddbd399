//! YAML front matter between `---` lines: split it from the body and check its fields.

use crate::error::{Diagnostic, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The fields a page or section may set. Unknown keys are errors, so a typo never goes unnoticed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// The question or section name; required.
    pub title: String,
    /// One sentence for `<meta name="description">`, listings and search results.
    #[serde(default)]
    pub description: String,
    /// Order inside the section: lower first; ties broken by title, then file name.
    #[serde(default)]
    pub weight: i64,
    /// Tags; each gets a page under `/tags/<tag>/`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Drafts are left out unless the build runs with `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Old URLs that redirect to this page.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The short interview answer, in Markdown, shown first and foldable.
    #[serde(default)]
    pub answer: Option<String>,
    /// Other phrasings of the same question.
    #[serde(default)]
    pub also_asked: Vec<String>,
}

/// Keys a front matter may have, for error hints.
pub const KEYS: &str = "title, description, weight, tags, draft, aliases, answer, also_asked";

/// A source file split into its front matter and body.
#[derive(Debug, Clone)]
pub struct Split<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// Everything after the closing fence.
    pub body: &'a str,
    /// 1-based line of the first body line.
    pub body_line: usize,
}

/// Splits `text` into front matter and body. `shown` names the file in errors.
pub fn split<'a>(text: &'a str, shown: &Path) -> Result<Split<'a>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Diagnostic::in_file(shown, "the file is empty")
            .line(1)
            .hint("start it with front matter: ---, title: …, --- and then the Markdown body")
            .into());
    }
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Err(Diagnostic::in_file(shown, "missing front matter")
            .line(1)
            .hint("the first line must be `---`, followed by YAML (at least `title:`) and a closing `---`")
            .into());
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut offset = yaml_start;
    for (line, raw) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        if raw.trim_end() == "---" {
            let body_start = offset + raw.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset += raw.len();
    }
    Err(Diagnostic::in_file(shown, "front matter is not closed")
        .line(1)
        .hint("add a line with only `---` after the last front-matter field")
        .into())
}

/// Parses and checks the YAML of a front matter; lines in errors are file lines.
pub fn parse(split: &Split<'_>, shown: &Path) -> Result<FrontMatter> {
    if split.yaml.trim().is_empty() {
        return Err(
            Diagnostic::in_file(shown, "front matter is empty: `title` is required")
                .line(2)
                .hint("add `title: …` between the `---` lines")
                .into(),
        );
    }
    let fm: FrontMatter = serde_yaml::from_str(split.yaml).map_err(|e| {
        let mut d = Diagnostic::in_file(shown, format!("front matter: {}", clean_yaml_message(&e)))
            .hint(format!(
                "front-matter keys are: {KEYS}; quote text that contains `: `"
            ));
        let message = e.to_string();
        let duplicate = between(&message, "duplicate field `", '`')
            .or_else(|| between(&message, "duplicate entry with key \"", '"'));
        if let Some(line) = duplicate.and_then(|key| second_key_line(split.yaml, &key)) {
            d = d.line(line + 1);
        } else if let Some(loc) = e.location() {
            // +1: the opening `---` line precedes the YAML. A problem noticed at the end of the
            // YAML (an unclosed list, say) is shown on its last line, not on the closing fence.
            let last = split.yaml.lines().count().max(1);
            if loc.line() > last {
                d = d.line(last + 1);
            } else {
                d = d.line(loc.line() + 1).column(loc.column());
            }
        } else {
            d = d.line(2);
        }
        d
    })?;
    if fm.title.trim().is_empty() {
        return Err(Diagnostic::in_file(shown, "front matter: `title` is empty")
            .line(2)
            .hint("every page needs a title")
            .into());
    }
    Ok(fm)
}

/// The file line of `value` in the list under `key` (the key's line if not found), so a
/// message about one entry can point at it.
pub fn line_of(split: &Split<'_>, key: &str, value: &str) -> usize {
    let lines: Vec<&str> = split.yaml.lines().collect();
    let Some(start) = lines.iter().position(|l| {
        l.strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with(':'))
    }) else {
        return 2;
    };
    let mut end = start + 1;
    while end < lines.len() && (lines[end].starts_with(' ') || lines[end].starts_with('-')) {
        end += 1;
    }
    let found = (start..end).find(|&i| {
        let line = if i == start {
            lines[i].split_once(':').map_or("", |(_, v)| v)
        } else {
            lines[i]
        };
        line.contains(value)
    });
    // +2: the opening `---` is line 1, the YAML's first line is line 2.
    found.unwrap_or(start) + 2
}

/// The text after `start` up to the next `end`.
fn between(text: &str, start: &str, end: char) -> Option<String> {
    let i = text.find(start)? + start.len();
    let j = text[i..].find(end)?;
    Some(text[i..i + j].to_string())
}

/// The 1-based YAML line of the second top-level `key:`.
fn second_key_line(yaml: &str, key: &str) -> Option<usize> {
    yaml.lines()
        .enumerate()
        .filter(|(_, l)| {
            l.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .nth(1)
        .map(|(i, _)| i + 1)
}

/// serde_yaml appends " at line L column C" to messages; the diagnostic carries that itself.
fn clean_yaml_message(e: &serde_yaml::Error) -> String {
    let message = e.to_string();
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("content/a.md")
    }

    #[test]
    fn splits_and_counts_body_line() {
        let s = split("---\ntitle: x\n---\nbody\n", p()).unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn unclosed_and_missing_and_empty() {
        assert!(split("---\ntitle: x\n", p()).unwrap_err().0[0]
            .message
            .contains("not closed"));
        assert!(split("# hi\n", p()).unwrap_err().0[0]
            .message
            .contains("missing"));
        assert!(split("\n  \n", p()).unwrap_err().0[0]
            .message
            .contains("empty"));
    }

    #[test]
    fn unknown_key_and_wrong_type_report_file_lines() {
        let s = split("---\ntitle: x\ntitel: y\n---\n", p()).unwrap();
        let e = parse(&s, p()).unwrap_err();
        assert!(e.0[0].message.contains("titel"), "{}", e.0[0].message);
        assert_eq!(e.0[0].line, Some(3));
        let s = split("---\ntitle: x\nweight: heavy\n---\n", p()).unwrap();
        let e = parse(&s, p()).unwrap_err();
        assert_eq!(e.0[0].line, Some(3), "{:?}", e);
    }

    #[test]
    fn a_duplicated_key_is_reported_where_it_repeats() {
        let s = split("---\ntitle: x\ntags: [a]\nweight: 1\ntags: [b]\n---\n", p()).unwrap();
        let e = parse(&s, p()).unwrap_err();
        assert!(e.0[0].message.contains("duplicate"), "{e}");
        assert_eq!(e.0[0].line, Some(5), "{e}");
    }

    #[test]
    fn list_entries_have_their_own_lines() {
        let s = split(
            "---\ntitle: x\ntags:\n  - a\n  - 拥塞\naliases: [old]\n---\n",
            p(),
        )
        .unwrap();
        assert_eq!(line_of(&s, "tags", "拥塞"), 5);
        assert_eq!(line_of(&s, "aliases", "old"), 6);
    }

    #[test]
    fn missing_title_is_an_error() {
        let s = split("---\ndescription: x\n---\n", p()).unwrap();
        assert!(parse(&s, p()).unwrap_err().0[0].message.contains("title"));
    }
}
