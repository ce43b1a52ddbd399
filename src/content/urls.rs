//! What a source becomes in the output's URL space: page and section URLs from file names,
//! tag URLs from tag names (any script, percent-encoded in links), aliases checked to be plain
//! paths, and every URL claimed by exactly one source.

use super::Site;
use crate::error::{Diagnostic, Errors};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// URL path of a source given its parts under `content/`.
pub(super) fn url_path(parts: &[String]) -> std::result::Result<String, String> {
    let mut url = String::from("/");
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let stem = if last {
            part.trim_end_matches(".md")
        } else {
            part.as_str()
        };
        if last && stem == "_index" {
            break;
        }
        let slug = slugify(stem);
        if slug.is_empty() {
            return Err(format!("cannot make a URL from the name `{stem}`"));
        }
        url.push_str(&slug);
        url.push('/');
    }
    Ok(url)
}

/// `old/path` or `/old/path` → `/old/path/`.
pub fn normalize_alias(alias: &str) -> String {
    format!("/{}/", alias.trim_matches('/'))
}

/// An alias becomes a folder of the output: it must be a path of plain names.
pub(super) fn check_alias(alias: &str) -> std::result::Result<(), String> {
    let inner = alias.trim_matches('/');
    if inner.is_empty() {
        return Err("it names no path (the home page cannot be an alias)".into());
    }
    if let Some(c) = inner
        .chars()
        .find(|c| c.is_whitespace() || matches!(c, '?' | '#' | '%' | '"' | '<' | '>'))
    {
        return Err(format!(
            "it contains `{}`, which a URL path cannot hold as is",
            c.escape_debug()
        ));
    }
    inner
        .split('/')
        .try_for_each(crate::output::guard::check_name)
}

/// A tag becomes a folder of the output under `tags/`.
pub(super) fn check_tag(tag: &str) -> std::result::Result<(), String> {
    if tag.trim().is_empty() {
        return Err("it is empty".into());
    }
    let slug = tag_slug(tag);
    if slug.is_empty() {
        return Err("it has no letters or digits to make a URL from".into());
    }
    crate::output::guard::check_name(&slug)
}

/// ASCII kebab-case: lowercase letters and digits, runs of anything else become one `-`.
/// Page and section URLs are made from file names with it.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// A tag's URL segment: lowercase letters and digits of any script (so `拥塞控制` stays
/// readable), `+` and `_` kept (`c++`); runs of anything else become one `-`. The folder is
/// named with it as is; links percent-encode it ([`tag_url_segment`]).
pub fn tag_slug(tag: &str) -> String {
    let mut slug = String::new();
    for c in tag.trim().chars() {
        if c.is_alphanumeric() || c == '+' || c == '_' {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// A tag's slug as it appears in a URL: UTF-8, percent-encoded.
pub fn tag_url_segment(tag: &str) -> String {
    /// Everything but unreserved characters (RFC 3986 §2.3) is encoded.
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(&tag_slug(tag), SEGMENT).to_string()
}

/// Every URL a source claims (its page, its aliases, its tags' pages) against every other and
/// against the generator's own pages: two claims of one URL are an error naming both.
pub(super) fn check_unique_urls(site: &Site, errors: &mut Errors) {
    // URL → (what claims it, file, line).
    let mut seen: BTreeMap<String, (String, Option<(PathBuf, usize)>)> = BTreeMap::new();
    seen.insert("/tags/".into(), ("the tag index".into(), None));
    seen.insert("/search/".into(), ("the search page".into(), None));
    let mut claim = |url: String, what: String, file: &Path, line: usize, errors: &mut Errors| {
        match seen.get(&url) {
            // A tag on several pages claims its URL once per page: that's the same tag page.
            Some((first, _)) if *first == what && what.starts_with("tag ") => {}
            Some((first, at)) => {
                let place = at
                    .as_ref()
                    .filter(|_| !first.starts_with("the page "))
                    .map(|(f, l)| format!(" ({}:{l})", f.display()))
                    .unwrap_or_default();
                errors.push(
                    Diagnostic::in_file(
                        file,
                        format!("{what} has the URL `{url}`, which {first}{place} already has"),
                    )
                    .line(line)
                    .hint(
                        "rename the file, or change the alias or tag, so each URL has one source",
                    ),
                );
            }
            None => {
                seen.insert(url, (what, Some((file.to_path_buf(), line))));
            }
        }
    };
    for page in site.all_pages() {
        let file = page.source.as_path();
        claim(
            page.path.clone(),
            format!("the page {}", file.display()),
            file,
            1,
            errors,
        );
        for (alias, line) in page.meta.aliases.iter().zip(&page.lines.aliases) {
            claim(
                alias.clone(),
                format!("alias `{alias}`"),
                file,
                *line,
                errors,
            );
        }
    }
    for page in site.all_pages() {
        for (tag, line) in page.meta.tags.iter().zip(&page.lines.tags) {
            let url = format!("/tags/{}/", tag_slug(tag));
            claim(url, format!("tag `{tag}`"), &page.source, *line, errors);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_slugs_keep_every_script_and_urls_encode_it() {
        assert_eq!(tag_slug("拥塞控制"), "拥塞控制");
        assert_eq!(tag_slug("TCP"), "tcp");
        assert_eq!(tag_slug("C++"), "c++");
        assert_eq!(tag_slug(" Load Balancing "), "load-balancing");
        assert_eq!(tag_slug("../x"), "x");
        assert_eq!(
            tag_url_segment("拥塞控制"),
            "%E6%8B%A5%E5%A1%9E%E6%8E%A7%E5%88%B6"
        );
        assert_eq!(tag_url_segment("C++"), "c%2B%2B");
        assert!(check_tag("??").is_err());
        assert!(check_alias("../templates").is_err());
        assert!(check_alias("a/./b").is_err());
        assert!(check_alias("/").is_err());
        assert!(check_alias("old/page").is_ok());
    }

    #[test]
    fn slugs_are_ascii_kebab_case() {
        assert_eq!(slugify("tcp-handshake"), "tcp-handshake");
        assert_eq!(slugify("TCP_Handshake 2"), "tcp-handshake-2");
        assert_eq!(slugify("三次握手"), "");
    }

    #[test]
    fn url_paths_are_pretty() {
        let parts = |s: &[&str]| s.iter().map(|p| p.to_string()).collect::<Vec<_>>();
        assert_eq!(
            url_path(&parts(&["tcp", "handshake.md"])).unwrap(),
            "/tcp/handshake/"
        );
        assert_eq!(url_path(&parts(&["tcp", "_index.md"])).unwrap(), "/tcp/");
        assert_eq!(url_path(&parts(&["_index.md"])).unwrap(), "/");
        assert!(url_path(&parts(&["tcp", "握手.md"])).is_err());
    }
}
