//! Walks `content/`, parses front matter and builds the tree of sections and pages:
//! `content/_index.md` is the home page, `content/<section>/_index.md` a section page,
//! every other `content/<section>/<slug>.md` a page at `/<section>/<slug>/`.

pub mod front_matter;
mod urls;

use crate::config::Config;
use crate::error::{Diagnostic, Errors, Result};
pub use front_matter::FrontMatter;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use urls::{check_alias, check_tag, check_unique_urls, url_path};
pub use urls::{normalize_alias, slugify, tag_slug, tag_url_segment};
use walkdir::WalkDir;

/// One Markdown source: a page, a section page or the home page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// Source path relative to the site root, e.g. `content/tcp/handshake.md`.
    pub source: PathBuf,
    /// Path relative to `content/`, as `@/` links name it: `tcp/handshake.md`.
    pub key: String,
    /// URL path without the base path: `/tcp/handshake/`.
    pub path: String,
    /// Front matter.
    pub meta: FrontMatter,
    /// Markdown after the front matter.
    pub body: String,
    /// 1-based line of the body's first line in the source file.
    pub body_line: usize,
    /// Source lines of each of `meta.aliases` and `meta.tags`, for messages.
    pub lines: MetaLines,
}

/// Where the list entries of a front matter are, so a message can point at one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetaLines {
    /// Line of each alias.
    pub aliases: Vec<usize>,
    /// Line of each tag.
    pub tags: Vec<usize>,
}

/// A folder under `content/` with its `_index.md` and its pages, in reading order.
#[derive(Debug, Clone)]
pub struct Section {
    /// Folder name, which is also the URL segment.
    pub name: String,
    /// The section's own page (`_index.md`).
    pub index: Page,
    /// Indices into [`Site::pages`], ordered by weight, then title, then file name.
    pub pages: Vec<usize>,
}

/// Everything under `content/`, ordered.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// `content/_index.md`.
    pub home: Page,
    /// Sections in the order of `site.toml`'s `sections` (or by weight).
    pub sections: Vec<Section>,
    /// All pages; [`Section::pages`] indexes into this.
    pub pages: Vec<Page>,
    /// Keys (`tcp/handshake.md`) of sources that exist but failed to load: links to them are not
    /// reported as broken on top of their own error.
    pub unreadable: Vec<String>,
}

impl Site {
    /// The home page, every section page and every page, in reading order.
    pub fn all_pages(&self) -> impl Iterator<Item = &Page> {
        std::iter::once(&self.home).chain(self.sections.iter().flat_map(move |s| {
            std::iter::once(&s.index).chain(s.pages.iter().map(move |&i| &self.pages[i]))
        }))
    }
}

/// Reads `root/content`. Drafts are kept only when `drafts` is true. Returns what loaded and
/// every problem found, so later stages can still report their own independent errors.
pub fn load(root: &Path, config: &Config, drafts: bool) -> (Site, Errors) {
    let content = root.join("content");
    let mut errors = Errors::default();
    if !content.is_dir() {
        errors.push(
            Diagnostic::in_file("content/", "the content folder is missing")
                .hint("create content/ with _index.md (the home page) and one folder per section"),
        );
        return (Site::default(), errors);
    }
    let mut unreadable = Vec::new();
    let mut home = None;
    let mut section_pages: BTreeMap<String, Page> = BTreeMap::new();
    let mut pages_by_section: BTreeMap<String, Vec<Page>> = BTreeMap::new();

    // Walk first (cheap, in order), then read and parse every file in parallel.
    let mut sources = Vec::new();
    for entry in WalkDir::new(&content).sort_by_file_name().min_depth(1) {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let shown = e
                    .path()
                    .map(|p| shown_path(root, p))
                    .unwrap_or_else(|| "content/".into());
                errors.push(Diagnostic::in_file(shown, format!("cannot read: {e}")));
                continue;
            }
        };
        let path = entry.path();
        if entry.file_type().is_dir() || path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let rel = path.strip_prefix(&content).unwrap_or(path);
        let parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        sources.push((path.to_path_buf(), parts));
    }
    let canonical = match crate::read::canonical_root(root) {
        Ok(c) => c,
        Err(e) => {
            errors.push(Diagnostic::new(format!(
                "cannot resolve the site root {}: {e}",
                root.display()
            )));
            return (Site::default(), errors);
        }
    };
    let read: Vec<Result<Page>> = sources
        .par_iter()
        .map(|(path, parts)| read_page(&canonical, path, &shown_path(root, path), parts))
        .collect();
    for ((path, parts), page) in sources.into_iter().zip(read) {
        let shown = shown_path(root, &path);
        let page = match page {
            Ok(page) => page,
            Err(e) => {
                errors.0.extend(e.0);
                unreadable.push(parts.join("/"));
                // A stand-in keeps the section (or home) in place, so its own error is the only one.
                match parts.as_slice() {
                    [file] if file == "_index.md" => home = Some(placeholder_page()),
                    [dir, file] if file == "_index.md" => {
                        let mut stand_in = placeholder_page();
                        stand_in.key = format!("{dir}/_index.md");
                        stand_in.path = format!("/{dir}/");
                        stand_in.meta.title = dir.clone();
                        section_pages.insert(dir.clone(), stand_in);
                    }
                    _ => {}
                }
                continue;
            }
        };
        if page.meta.draft && !drafts {
            continue;
        }
        match parts.as_slice() {
            [file] if file == "_index.md" => home = Some(page),
            [file] => errors.push(
                Diagnostic::in_file(&shown, format!("`{file}` is outside any section"))
                    .hint("move it into a section folder, e.g. content/network/"),
            ),
            [dir, file] if file == "_index.md" => {
                section_pages.insert(dir.clone(), page);
            }
            [dir, _] => pages_by_section.entry(dir.clone()).or_default().push(page),
            _ => errors.push(
                Diagnostic::in_file(&shown, "nested folders inside a section are not supported")
                    .hint(
                        "put the page directly in its section folder: content/<section>/<page>.md",
                    ),
            ),
        }
    }

    let home = home.unwrap_or_else(|| {
        errors.push(
            Diagnostic::in_file("content/_index.md", "the home page is missing")
                .hint("create content/_index.md with a front matter `title`"),
        );
        placeholder_page()
    });
    for dir in pages_by_section.keys() {
        if !section_pages.contains_key(dir) {
            errors.push(
                Diagnostic::in_file(format!("content/{dir}/"), "this section has no _index.md")
                    .hint(format!(
                        "create content/{dir}/_index.md with the section's title"
                    )),
            );
        }
    }

    let order = section_order(config, &section_pages, &mut errors);
    let mut sections = Vec::new();
    let mut pages = Vec::new();
    for name in order {
        let Some(index) = section_pages.remove(&name) else {
            continue;
        };
        let mut members = pages_by_section.remove(&name).unwrap_or_default();
        members.sort_by(|a, b| {
            (a.meta.weight, &a.meta.title, &a.key).cmp(&(b.meta.weight, &b.meta.title, &b.key))
        });
        let start = pages.len();
        pages.extend(members);
        sections.push(Section {
            name,
            index,
            pages: (start..pages.len()).collect(),
        });
    }
    let site = Site {
        home,
        sections,
        pages,
        unreadable,
    };
    check_unique_urls(&site, &mut errors);
    (site, errors)
}

/// Path as shown in messages: relative to the site root.
fn shown_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn placeholder_page() -> Page {
    Page {
        source: PathBuf::from("content/_index.md"),
        key: "_index.md".into(),
        path: "/".into(),
        meta: FrontMatter::default(),
        body: String::new(),
        body_line: 1,
        lines: MetaLines::default(),
    }
}

/// Reads `page`'s source file again (under `root`), for a rebuild after it changed.
pub fn reload_page(root: &Path, page: &Page) -> Result<Page> {
    let parts: Vec<String> = page.key.split('/').map(str::to_string).collect();
    let canonical = crate::read::canonical_root(root)
        .map_err(|e| Diagnostic::new(format!("cannot resolve the site root: {e}")))?;
    read_page(&canonical, &root.join(&page.source), &page.source, &parts)
}

/// Every page of `site` by key, mutably (home, section pages, question pages).
pub fn page_mut<'a>(site: &'a mut Site, key: &str) -> Option<&'a mut Page> {
    if site.home.key == key {
        return Some(&mut site.home);
    }
    if let Some(section) = site.sections.iter_mut().find(|s| s.index.key == key) {
        return Some(&mut section.index);
    }
    site.pages.iter_mut().find(|p| p.key == key)
}

fn read_page(root: &Path, path: &Path, shown: &Path, parts: &[String]) -> Result<Page> {
    let bytes = crate::read::read_source(root, path)
        .map_err(|e| Diagnostic::in_file(shown, e.message).hint(e.hint))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let (line, column) = crate::error::line_col(
            std::str::from_utf8(&e.as_bytes()[..valid]).unwrap_or_default(),
            valid,
        );
        Diagnostic::in_file(shown, "the file is not valid UTF-8")
            .line(line)
            .column(column)
            .hint("save the file as UTF-8")
    })?;
    let split = front_matter::split(&text, shown)?;
    let meta = front_matter::parse(&split, shown)?;
    let key = parts.join("/");
    let mut meta = meta;
    let lines = MetaLines {
        aliases: meta
            .aliases
            .iter()
            .map(|a| front_matter::line_of(&split, "aliases", a))
            .collect(),
        tags: meta
            .tags
            .iter()
            .map(|t| front_matter::line_of(&split, "tags", t))
            .collect(),
    };
    let mut errors = Errors::default();
    for (alias, &line) in meta.aliases.iter().zip(&lines.aliases) {
        if let Err(why) = check_alias(alias) {
            errors.push(
                Diagnostic::in_file(shown, format!("alias `{}`: {why}", alias.escape_debug()))
                    .line(line)
                    .hint("an alias is a path of this site, such as `old/tcp-handshake`: plain names separated by `/`"),
            );
        }
    }
    for (tag, &line) in meta.tags.iter().zip(&lines.tags) {
        if let Err(why) = check_tag(tag) {
            errors.push(
                Diagnostic::in_file(shown, format!("tag `{}`: {why}", tag.escape_debug()))
                    .line(line)
                    .hint("a tag is a short name such as `tcp` or `拥塞控制`"),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    meta.aliases = meta.aliases.iter().map(|a| normalize_alias(a)).collect();
    let path = url_path(parts).map_err(|message| {
        Diagnostic::in_file(shown, message)
            .hint("name files in ASCII kebab-case, e.g. tcp-handshake.md")
    })?;
    Ok(Page {
        source: shown.to_path_buf(),
        key,
        path,
        meta,
        body: split.body.to_string(),
        body_line: split.body_line,
        lines,
    })
}

fn section_order(
    config: &Config,
    sections: &BTreeMap<String, Page>,
    errors: &mut Errors,
) -> Vec<String> {
    if config.sections.is_empty() {
        let mut names: Vec<&String> = sections.keys().collect();
        names.sort_by_key(|n| (sections[*n].meta.weight, (*n).clone()));
        return names.into_iter().cloned().collect();
    }
    for name in &config.sections {
        if !sections.contains_key(name) {
            errors.push(
                Diagnostic::in_file(
                    "site.toml",
                    format!(
                        "section `{name}` is listed but content/{name}/_index.md does not exist"
                    ),
                )
                .hint("create the section or remove it from `sections`"),
            );
        }
    }
    for name in sections.keys() {
        if !config.sections.contains(name) {
            errors.push(
                Diagnostic::in_file(
                    "site.toml",
                    format!("section `{name}` is missing from `sections`"),
                )
                .hint(format!(
                    "add \"{name}\" to `sections` where it should appear in the navigation"
                )),
            );
        }
    }
    config.sections.clone()
}
