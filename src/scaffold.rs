//! `mianjing new <section>/<slug>`: a new question page with every front-matter field a page
//! needs, filled in from its section where it can be (weight after the last page, the tags most
//! of the section's pages carry) and `TODO` where a person must write (which the content tests
//! refuse, so a page cannot ship half-written). It never replaces a file.

use crate::config::Config;
use crate::content::{self, slugify};
use crate::error::{Diagnostic, Result};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What [`new_page`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPage {
    /// The file, relative to the site root: `content/tcp/fast-open.md`.
    pub path: PathBuf,
    /// Its weight: the section's last page's plus [`WEIGHT_STEP`].
    pub weight: i64,
    /// Its tags, from the section.
    pub tags: Vec<String>,
}

/// Weights go up in tens, leaving room to put a page between two others.
pub const WEIGHT_STEP: i64 = 10;

/// Creates `content/<section>/<slug>.md` under `root` from `target` (`tcp/fast-open`, `.md`
/// optional). Refuses a malformed target, a section `site.toml` does not list and a file that
/// exists.
pub fn new_page(root: &Path, target: &str) -> Result<NewPage> {
    let (section, slug) = parse_target(target)?;
    let config = Config::load(&root.join("site.toml"), Path::new("site.toml"))?;
    let (site, _) = content::load(root, &config, true);
    let known: Vec<&str> = if config.sections.is_empty() {
        site.sections.iter().map(|s| s.name.as_str()).collect()
    } else {
        config.sections.iter().map(String::as_str).collect()
    };
    if !known.contains(&section) {
        return Err(Diagnostic::new(format!("there is no section `{section}`"))
            .hint(format!(
                "the sections are: {}; a new section needs content/<name>/_index.md and an entry in site.toml's `sections`",
                known.join(", ")
            ))
            .into());
    }
    let pages: Vec<&content::Page> = site
        .sections
        .iter()
        .filter(|s| s.name == section)
        .flat_map(|s| s.pages.iter().map(|&i| &site.pages[i]))
        .collect();
    let weight = pages.iter().map(|p| p.meta.weight).max().unwrap_or(0) + WEIGHT_STEP;
    let tags = common_tags(pages.iter().map(|p| p.meta.tags.as_slice()));
    let path = PathBuf::from("content")
        .join(section)
        .join(format!("{slug}.md"));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(root.join(&path))
        .map_err(|e| {
            let d = Diagnostic::in_file(&path, format!("cannot create the page: {e}"));
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Diagnostic::in_file(&path, "the page exists already")
                    .hint("edit that file, or choose another slug")
            } else {
                d
            }
        })?;
    file.write_all(page_text(weight, &tags).as_bytes())
        .map_err(|e| Diagnostic::in_file(&path, format!("cannot write the page: {e}")))?;
    Ok(NewPage { path, weight, tags })
}

/// `tcp/fast-open` or `tcp/fast-open.md` → (`tcp`, `fast-open`), the slug in ASCII kebab-case.
fn parse_target(target: &str) -> Result<(&str, &str)> {
    let bad = |why: &str| {
        Diagnostic::new(format!("`{target}`: {why}"))
            .hint("give the page as <section>/<slug>, the slug in lowercase ASCII letters, digits and `-`: e.g. `mianjing new tcp/fast-open`")
    };
    let trimmed = target.strip_suffix(".md").unwrap_or(target);
    let Some((section, slug)) = trimmed.split_once('/') else {
        return Err(bad("the section is missing").into());
    };
    if slug.is_empty() || slug.contains('/') {
        return Err(bad("expected one section and one slug").into());
    }
    if slugify(slug) != slug {
        return Err(bad(&format!(
            "`{slug}` is not a slug (its URL would be `{}`)",
            slugify(slug)
        ))
        .into());
    }
    Ok((section, slug))
}

/// The tags at least half of the pages carry, most used first (ties in the order they first
/// appear): what a page of the section is usually tagged with.
fn common_tags<'a>(pages: impl Iterator<Item = &'a [String]>) -> Vec<String> {
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut n = 0;
    for tags in pages {
        n += 1;
        for tag in tags {
            let next = counts.len();
            counts.entry(tag).or_insert((0, next)).0 += 1;
        }
    }
    let mut common: Vec<(&str, (usize, usize))> = counts
        .into_iter()
        .filter(|(_, (c, _))| 2 * c >= n)
        .collect();
    common.sort_by_key(|&(_, (count, first))| (std::cmp::Reverse(count), first));
    common.into_iter().map(|(t, _)| t.to_string()).collect()
}

/// A YAML scalar for a flow list: plain when that reads the same, JSON-quoted otherwise.
fn flow_scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text.trim() == text
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '+' | '/' | '.' | '_' | '-'))
        && serde_yaml::from_str::<String>(text).ok().as_deref() == Some(text);
    if plain {
        text.to_string()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

/// The new page: front matter in the order of the other pages, a body with the headings every
/// page has; every `TODO` is for the author.
fn page_text(weight: i64, tags: &[String]) -> String {
    let tags: Vec<String> = tags.iter().map(|t| flow_scalar(t)).collect();
    format!(
        "---
title: TODO 写下面试里的问题，以问号结尾？
description: TODO 一句话说明本页讲什么，用于搜索结果和分享。
weight: {weight}
tags: [{tags}]
answer: |
  TODO 30 秒回答：先给结论，再给两三个要点，能在面试里直接说出口。
---
## TODO 第一个小节

TODO 正文：讲清原理，配图或代码（代码用 include 引用 snippets/ 里经过测试的文件）。

## 延伸阅读

- TODO 一手来源：RFC、man page、官方文档或源码。
",
        tags = tags.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_a_section_and_a_kebab_case_slug() {
        assert_eq!(parse_target("tcp/fast-open").unwrap(), ("tcp", "fast-open"));
        assert_eq!(
            parse_target("tcp/fast-open.md").unwrap(),
            ("tcp", "fast-open")
        );
        for bad in [
            "fast-open",
            "tcp/",
            "tcp/Fast Open",
            "tcp/a/b",
            "tcp/快速打开",
            "tcp/-x",
        ] {
            let e = parse_target(bad).unwrap_err();
            assert!(e.0[0].message.contains(bad), "{e}");
            assert!(e.0[0].hint.as_deref().unwrap().contains("tcp/fast-open"));
        }
    }

    #[test]
    fn tags_are_those_of_at_least_half_the_pages_most_used_first() {
        let pages: Vec<Vec<String>> = [
            &["TCP", "Linux"][..],
            &["Linux", "TCP", "安全"],
            &["TCP"],
            &["UDP", "TCP"],
        ]
        .iter()
        .map(|t| t.iter().map(|s| s.to_string()).collect())
        .collect();
        assert_eq!(
            common_tags(pages.iter().map(Vec::as_slice)),
            ["TCP", "Linux"]
        );
        assert!(common_tags(std::iter::empty()).is_empty());
    }

    #[test]
    fn the_page_parses_with_the_tags_as_given() {
        let tags = ["I/O", "C++", "a, b", "yes", "拥塞控制"].map(String::from);
        let text = page_text(40, &tags);
        let split = content::front_matter::split(&text, Path::new("x.md")).unwrap();
        let meta = content::front_matter::parse(&split, Path::new("x.md")).unwrap();
        assert_eq!(meta.tags, tags);
        assert_eq!(meta.weight, 40);
        assert!(meta.title.contains("TODO") && meta.answer.unwrap().contains("TODO"));
        assert!(!meta.description.is_empty());
    }
}
