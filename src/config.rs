//! `site.toml` → [`Config`]: a small typed struct with defaults; unknown keys and wrong types are
//! errors that name the file, the key and the line.

use crate::error::{line_col, Diagnostic, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The site's settings, as read from `site.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site title, shown in the header and the `<title>` of every page.
    pub title: String,
    /// One sentence about the site, used in `<meta name="description">`.
    #[serde(default)]
    pub description: String,
    /// Where the site is hosted, e.g. `https://example.org/notes`. A path part makes every
    /// link start with it, so the site works under a sub-path.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// BCP 47 language tag of the content.
    #[serde(default = "default_language")]
    pub language: String,
    /// Author shown in the footer and the page metadata.
    #[serde(default)]
    pub author: String,
    /// Prefix of "edit this page" links; the page's source path is appended. Empty: no link.
    #[serde(default)]
    pub edit_url: String,
    /// Order of the sections, by folder name under `content/`. Empty: by their `weight`.
    #[serde(default)]
    pub sections: Vec<String>,
}

fn default_base_url() -> String {
    "/".to_string()
}

fn default_language() -> String {
    "zh-CN".to_string()
}

impl Config {
    /// Reads and checks `site.toml` at `path`; `shown` is how the path appears in messages.
    pub fn load(path: &Path, shown: &Path) -> Result<Config> {
        let missing = |e: &dyn std::fmt::Display| {
            Diagnostic::in_file(shown, format!("cannot read the site configuration: {e}"))
                .hint("create site.toml at the site root (see README.md), or pass --root")
        };
        let root = path.parent().unwrap_or(Path::new("."));
        let root = crate::read::canonical_root(root).map_err(|e| missing(&e))?;
        let bytes = crate::read::read_source(&root, path).map_err(|e| {
            if path.exists() {
                Diagnostic::in_file(shown, e.message).hint(e.hint)
            } else {
                missing(&"the file does not exist")
            }
        })?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Diagnostic::in_file(shown, "the file is not valid UTF-8").hint("save it as UTF-8")
        })?;
        Self::parse(&text, shown)
    }

    /// Parses `site.toml` text.
    pub fn parse(text: &str, shown: &Path) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let mut message = e.message().trim().replace('\n', ": ");
            let mut d = Diagnostic::in_file(shown, "").hint(
                "keys are: title, description, base_url, language, author, edit_url, sections",
            );
            if let Some(span) = e.span() {
                let (line, column) = line_col(text, span.start);
                d = d.line(line).column(column);
                // Name the key whose value is wrong (toml points at the value).
                let line_text = text.lines().nth(line - 1).unwrap_or("");
                if let Some((key, _)) = line_text.split_once('=') {
                    if !message.contains('`') {
                        message = format!("{message} (key `{}`)", key.trim());
                    }
                }
            }
            d.message = message;
            d
        })?;
        if config.title.trim().is_empty() {
            return Err(Diagnostic::in_file(shown, "`title` is empty")
                .hint("give the site a title, e.g. title = \"面试笔记\"")
                .into());
        }
        Ok(config)
    }

    /// The path part of `base_url`, without a trailing slash: `""` or `"/notes"`.
    pub fn base_path(&self) -> String {
        let url = self.base_url.trim();
        let after_scheme = match url.find("://") {
            Some(i) => {
                let rest = &url[i + 3..];
                rest.find('/').map_or("", |j| &rest[j..])
            }
            None => url,
        };
        after_scheme.trim_end_matches('/').to_string()
    }

    /// `base_url` without a trailing slash, for absolute links (sitemap, canonical).
    pub fn absolute_base(&self) -> String {
        self.base_url.trim().trim_end_matches('/').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_of_absolute_and_relative_urls() {
        let mut c = Config::parse("title = \"t\"", Path::new("site.toml")).unwrap();
        assert_eq!(c.base_path(), "");
        c.base_url = "https://example.org/notes/".into();
        assert_eq!(c.base_path(), "/notes");
        c.base_url = "https://example.org".into();
        assert_eq!(c.base_path(), "");
        c.base_url = "/sub".into();
        assert_eq!(c.base_path(), "/sub");
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let err =
            Config::parse("title = \"t\"\n\ntitel = \"x\"\n", Path::new("site.toml")).unwrap_err();
        let d = &err.0[0];
        assert!(d.message.contains("titel"), "{}", d.message);
        assert_eq!(d.line, Some(3));
    }

    #[test]
    fn wrong_type_names_line() {
        let err = Config::parse(
            "title = \"t\"\nsections = \"tcp\"\n",
            Path::new("site.toml"),
        )
        .unwrap_err();
        assert_eq!(err.0[0].line, Some(2));
    }
}
