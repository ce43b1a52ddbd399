//! The template API: which templates a site has and every value they get (`site` and `nav` on
//! every template; `page` on pages, sections and home; `tag`/`tags` on tag pages; `p` and
//! `current` in the sidebar entry, `s` in the sidebar's section line). A template author finds the whole data model here. One function
//! too: `asset(path="css/site.css")`, the URL a page links a file of `static/` by (a stylesheet
//! or script under its content-hashed name; see [`crate::assets`]).

use crate::config::Config;
use crate::content::{Page, Site};
use crate::history::Updated;
use crate::markdown::{Rendered, TocEntry};
use serde::Serialize;

/// Templates every site must have.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "index.html",
    "section.html",
    "page.html",
    "404.html",
    "tag.html",
    "tags.html",
];

/// The optional template of one page in the sidebar's list (gets `p`, a [`PageSummary`], and
/// `current`, true on that page itself). Each page is rendered with it twice per build, not once
/// per page that shows the list: [`PageContext::nav_html`] is the list put together.
pub const NAV_ENTRY_TEMPLATE: &str = "partials/nav-page.html";

/// The optional template of one section's line in the sidebar, closed (gets `s`, a
/// [`NavSection`]). Each section is rendered with it once per build, not once per page: `nav`
/// ([`NavSections`]) hands every template the lines put together around the open section.
pub const NAV_SECTION_TEMPLATE: &str = "partials/nav-section.html";

/// The sidebar's list of sections, as every template gets it (`nav`): the lines
/// ([`NAV_SECTION_TEMPLATE`]) of the sections before the open one, the open one (the section the
/// page is in or is the index of), the lines after it. Without an open section every line is in
/// `before`; without that template the lines are empty.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NavSections<'a> {
    /// Lines of the sections before the open one (all of them when none is open).
    pub before: String,
    /// The open section.
    pub open: Option<&'a NavSection>,
    /// Lines of the sections after the open one.
    pub after: String,
}

impl<'a> NavSections<'a> {
    /// The sidebar of `sections`, whose lines are `lines` (none without the template), with
    /// section `open` (if any) open.
    pub(super) fn around(
        lines: &[String],
        sections: &'a [NavSection],
        open: Option<usize>,
    ) -> Self {
        match open.and_then(|i| Some((i, sections.get(i)?))) {
            Some((i, section)) => NavSections {
                before: lines.get(..i).unwrap_or_default().concat(),
                open: Some(section),
                after: lines.get(i + 1..).unwrap_or_default().concat(),
            },
            None => NavSections {
                before: lines.concat(),
                ..NavSections::default()
            },
        }
    }
}

/// A section with more pages than this does not list them all in every page's sidebar (that
/// would make every page's size grow with its section): only the [`NAV_AROUND`] pages before
/// and after the current one (the first ones on the section page), then [`NAV_MORE_TEMPLATE`].
pub const NAV_FULL_MAX: usize = 40;

/// Pages listed on each side of the current page in a section above [`NAV_FULL_MAX`] pages.
pub const NAV_AROUND: usize = 10;

/// The optional template after a shortened list (gets `url`, the section page's URL, `count`,
/// its number of pages, and `json`, the URL of the section's `nav.json`: `[[title, url, key],
/// …]` for every page, which site.js loads to show the whole list when the reader asks for it).
pub const NAV_MORE_TEMPLATE: &str = "partials/nav-more.html";

/// A link with its text.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Text to show.
    pub title: String,
    /// URL including the base path.
    pub url: String,
}

/// A page as listed in navigation, sections and tag pages.
#[derive(Debug, Clone, Serialize)]
pub struct PageSummary {
    /// Title.
    pub title: String,
    /// URL including the base path.
    pub url: String,
    /// One-sentence description.
    pub description: String,
    /// Source key, e.g. `tcp/handshake.md`; stable id for client-side features.
    pub key: String,
    /// Section title.
    pub section: String,
}

/// A section in the navigation.
#[derive(Debug, Clone, Serialize)]
pub struct NavSection {
    /// Folder name.
    pub name: String,
    /// Title.
    pub title: String,
    /// One-sentence description.
    pub description: String,
    /// URL including the base path.
    pub url: String,
    /// Number of its pages.
    pub count: usize,
    /// URL of its first page, empty when it has none.
    pub first_url: String,
}

/// Site-wide values every template gets as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteContext {
    /// Site title.
    pub title: String,
    /// Site description.
    pub description: String,
    /// Language tag.
    pub language: String,
    /// Author.
    pub author: String,
    /// Absolute base URL without trailing slash.
    pub base_url: String,
    /// Path prefix of every internal URL (`""` or `/sub`); prepend it to asset paths.
    pub base_path: String,
    /// All sections, in order (their pages are in `page.nav` for the current section only, so
    /// a page's size does not grow with the site).
    pub sections: Vec<NavSection>,
    /// Number of question pages.
    pub page_count: usize,
    /// URL of the Atom feed of recently changed questions, including the base path; empty when
    /// the build has no dates (and so no feed).
    pub feed_url: String,
}

/// What `page.html`, `section.html` and `index.html` get as `page`.
#[derive(Debug, Clone, Serialize)]
pub struct PageContext {
    /// `home`, `section` or `page`.
    pub kind: &'static str,
    /// Title.
    pub title: String,
    /// One-sentence description.
    pub description: String,
    /// URL including the base path.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Source key, e.g. `tcp/handshake.md`.
    pub key: String,
    /// Body HTML.
    pub content: String,
    /// The short answer as HTML, if any.
    pub answer: Option<String>,
    /// Other phrasings of the question.
    pub also_asked: Vec<String>,
    /// Nested table of contents (levels 2–3).
    pub toc: Vec<TocEntry>,
    /// The section the page belongs to.
    pub section: Option<Link>,
    /// Previous page in the section.
    pub prev: Option<Link>,
    /// Next page in the section.
    pub next: Option<Link>,
    /// Section → page (templates put the link to home, in their own words, before them).
    pub breadcrumbs: Vec<Link>,
    /// Tags with their tag-page URLs.
    pub tags: Vec<Link>,
    /// "Edit this page" URL, empty when the site has none.
    pub edit_url: String,
    /// Estimated reading time in minutes.
    pub reading_time: usize,
    /// When the page last changed: the latest commit of its Markdown file or a file it
    /// includes (`updated.datetime`, RFC 3339; `updated.date`, `2026-12-07`). Absent when the
    /// build has no git history, or the page was never committed.
    pub updated: Option<Updated>,
    /// Pages of this section (for section pages; empty otherwise).
    pub pages: Vec<PageSummary>,
    /// The sidebar's list of the pages of the section the page is in or is the index of, as
    /// HTML: [`NAV_ENTRY_TEMPLATE`] for each (empty on home, or without that template).
    pub nav_html: String,
}

pub(super) fn site_context(
    config: &Config,
    site: &Site,
    base_path: &str,
    nav: &[Vec<PageSummary>],
) -> SiteContext {
    let sections = site
        .sections
        .iter()
        .zip(nav)
        .map(|(s, pages)| NavSection {
            name: s.name.clone(),
            title: s.index.meta.title.clone(),
            description: s.index.meta.description.clone(),
            url: format!("{base_path}{}", s.index.path),
            count: pages.len(),
            first_url: pages.first().map(|p| p.url.clone()).unwrap_or_default(),
        })
        .collect();
    SiteContext {
        title: config.title.clone(),
        description: config.description.clone(),
        language: config.language.clone(),
        author: config.author.clone(),
        base_url: config.absolute_base(),
        base_path: base_path.to_string(),
        sections,
        page_count: site.pages.len(),
        feed_url: String::new(),
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn page_context(
    config: &Config,
    base_path: &str,
    page: &Page,
    rendered: &Rendered,
    kind: &'static str,
    section: Option<(&str, &str)>,
    prev: Option<&Page>,
    next: Option<&Page>,
) -> PageContext {
    let link = |p: &Page| Link {
        title: p.meta.title.clone(),
        url: format!("{base_path}{}", p.path),
    };
    let section = section.map(|(title, path)| Link {
        title: title.to_string(),
        url: format!("{base_path}{path}"),
    });
    let mut breadcrumbs = Vec::new();
    breadcrumbs.extend(section.clone());
    breadcrumbs.push(link(page));
    PageContext {
        kind,
        title: page.meta.title.clone(),
        description: page.meta.description.clone(),
        url: format!("{base_path}{}", page.path),
        permalink: format!("{}{}", config.absolute_base(), page.path),
        key: page.key.clone(),
        content: rendered.html.clone(),
        answer: rendered.answer_html.clone(),
        also_asked: page.meta.also_asked.clone(),
        toc: rendered.toc.clone(),
        section,
        prev: prev.map(link),
        next: next.map(link),
        breadcrumbs,
        tags: page
            .meta
            .tags
            .iter()
            .map(|t| Link {
                title: t.clone(),
                url: tag_url(base_path, t),
            })
            .collect(),
        edit_url: if config.edit_url.is_empty() {
            String::new()
        } else {
            format!("{}{}", config.edit_url, page.source.display())
        },
        reading_time: reading_minutes(&rendered.text.body, &rendered.text.code),
        updated: None,
        pages: Vec::new(),
        nav_html: String::new(),
    }
}

pub(super) fn tag_url(base_path: &str, tag: &str) -> String {
    format!("{base_path}/tags/{}/", crate::content::tag_url_segment(tag))
}

/// Chinese is read at about 400 characters a minute, English at about 200 words; code slower.
fn reading_minutes(body: &str, code: &str) -> usize {
    let cjk = body.chars().filter(|c| crate::markdown::is_cjk(*c)).count();
    let words = body
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .count();
    let code_lines = code.lines().count();
    let minutes = cjk as f64 / 400.0 + words as f64 / 200.0 + code_lines as f64 / 60.0;
    (minutes.ceil() as usize).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(name: &str) -> NavSection {
        NavSection {
            name: name.into(),
            title: name.into(),
            description: String::new(),
            url: format!("/{name}/"),
            count: 0,
            first_url: String::new(),
        }
    }

    #[test]
    fn the_sidebar_puts_the_lines_together_around_the_open_section() {
        let sections = [section("a"), section("b"), section("c")];
        let lines = ["A\n".to_string(), "B\n".to_string(), "C\n".to_string()];
        let open = NavSections::around(&lines, &sections, Some(1));
        assert_eq!((open.before.as_str(), open.after.as_str()), ("A\n", "C\n"));
        assert_eq!(open.open.map(|s| s.name.as_str()), Some("b"));
        let none = NavSections::around(&lines, &sections, None);
        assert_eq!(
            (none.before.as_str(), none.after.as_str()),
            ("A\nB\nC\n", "")
        );
        assert!(none.open.is_none());
        // Without the line template a theme still learns which section is open.
        let bare = NavSections::around(&[], &sections, Some(2));
        assert_eq!(bare.open.map(|s| s.name.as_str()), Some("c"));
        assert_eq!((bare.before.as_str(), bare.after.as_str()), ("", ""));
    }
}
