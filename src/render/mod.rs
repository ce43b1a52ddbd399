//! Tera templates → HTML files: home, sections, pages, tags, 404, aliases, sitemap and robots.
//! The template set is loaded once; [`Renderer::page`] renders one page at a time, so pages
//! stream to the output as they are done; no output depends on thread timing.

use crate::config::Config;
use crate::content::{Page, Site};
use crate::error::{Errors, Result};
use crate::markdown::{Rendered, TocEntry};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tera::{Context, Tera};

mod templates;
pub use templates::{has_template, load_templates, tera_diagnostic};

/// Output files: path relative to the output folder → bytes.
pub type Files = BTreeMap<PathBuf, Vec<u8>>;

/// One output file with what it is ("the page content/a.md"), for messages.
pub type OutFile = (PathBuf, Vec<u8>, String);

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
    /// Home → section → page.
    pub breadcrumbs: Vec<Link>,
    /// Tags with their tag-page URLs.
    pub tags: Vec<Link>,
    /// "Edit this page" URL, empty when the site has none.
    pub edit_url: String,
    /// Estimated reading time in minutes.
    pub reading_time: usize,
    /// Pages of this section (for section pages; empty otherwise).
    pub pages: Vec<PageSummary>,
    /// The sidebar's list of the pages of the section the page is in or is the index of, as
    /// HTML: [`NAV_ENTRY_TEMPLATE`] for each (empty on home, or without that template).
    pub nav_html: String,
}

/// Where a page sits in the site, for its template values.
#[derive(Clone, Copy)]
enum Place {
    Home,
    Section(usize),
    /// Section index and position in the section.
    Page(usize, usize),
}

/// Renders pages and the site-wide files. Built once per build: the site-wide template values
/// are serialised once, and each page's values hold only what is its own (its section's page
/// list for the sidebar, its neighbours), so the work per page does not grow with the site.
pub struct Renderer<'a> {
    config: &'a Config,
    site: &'a Site,
    tera: &'a Tera,
    root: &'a Path,
    base_path: String,
    /// A context holding `site`, cloned for every page.
    base: Context,
    /// Each section's pages as the sidebar and the section page list them.
    nav: Vec<Vec<PageSummary>>,
    /// Each section's sidebar entries, rendered on first use: `[listed, current]` per page.
    nav_entries: Vec<OnceLock<Result<Vec<[String; 2]>>>>,
    /// Page key → where it sits.
    places: HashMap<&'a str, Place>,
}

impl<'a> Renderer<'a> {
    /// The renderer of `site` with the templates `tera` (loaded from `root`).
    pub fn new(config: &'a Config, site: &'a Site, tera: &'a Tera, root: &'a Path) -> Self {
        let base_path = config.base_path();
        let nav: Vec<Vec<PageSummary>> = site
            .sections
            .iter()
            .map(|s| {
                s.pages
                    .iter()
                    .map(|&i| {
                        let p = &site.pages[i];
                        PageSummary {
                            title: p.meta.title.clone(),
                            url: format!("{base_path}{}", p.path),
                            description: p.meta.description.clone(),
                            key: p.key.clone(),
                            section: s.index.meta.title.clone(),
                        }
                    })
                    .collect()
            })
            .collect();
        let mut places = HashMap::new();
        places.insert(site.home.key.as_str(), Place::Home);
        for (i, section) in site.sections.iter().enumerate() {
            places.insert(section.index.key.as_str(), Place::Section(i));
            for (j, &p) in section.pages.iter().enumerate() {
                places.insert(site.pages[p].key.as_str(), Place::Page(i, j));
            }
        }
        let mut base = Context::new();
        base.insert("site", &site_context(config, site, &base_path, &nav));
        Renderer {
            config,
            site,
            tera,
            root,
            base_path,
            base,
            nav_entries: nav.iter().map(|_| OnceLock::new()).collect(),
            nav,
            places,
        }
    }

    fn render(&self, template: &str, ctx: &Context) -> Result<Vec<u8>> {
        self.render_str(template, ctx).map(String::into_bytes)
    }

    fn render_str(&self, template: &str, ctx: &Context) -> Result<String> {
        self.tera
            .render(template, ctx)
            .map_err(|e| tera_diagnostic(&e, self.root).into())
    }

    /// The sidebar's page list of section `section` as HTML, entry `current` marked as the
    /// page shown. The entries are rendered once per build; a page only puts them together.
    fn nav_html(&self, section: usize, current: Option<usize>) -> Result<String> {
        let entries = self.nav_entries[section].get_or_init(|| {
            if !has_template(self.tera, NAV_ENTRY_TEMPLATE) {
                return Ok(Vec::new());
            }
            self.nav[section]
                .iter()
                .map(|p| {
                    let entry = |current: bool| {
                        let mut ctx = self.base.clone();
                        ctx.insert("p", p);
                        ctx.insert("current", &current);
                        self.render_str(NAV_ENTRY_TEMPLATE, &ctx)
                    };
                    Ok([entry(false)?, entry(true)?])
                })
                .collect()
        });
        let entries = entries.as_ref().map_err(Clone::clone)?;
        let mut html = String::with_capacity(entries.iter().map(|[e, _]| e.len()).sum());
        for (i, [listed, shown]) in entries.iter().enumerate() {
            html.push_str(if current == Some(i) { shown } else { listed });
        }
        Ok(html)
    }

    fn with_page(&self, page: &PageContext) -> Context {
        let mut ctx = self.base.clone();
        ctx.insert("page", page);
        ctx
    }

    /// The output path and HTML of one page of the site (home, a section page or a question
    /// page), from its rendered Markdown.
    pub fn page(&self, page: &Page, rendered: &Rendered) -> Result<(PathBuf, Vec<u8>)> {
        let place = self.places.get(page.key.as_str()).copied();
        let ctx = |kind, section: Option<usize>, prev: Option<&Page>, next: Option<&Page>| {
            let section_link = section.map(|i| {
                let s = &self.site.sections[i];
                (s.index.meta.title.as_str(), s.index.path.as_str())
            });
            page_context(
                self.config,
                &self.base_path,
                page,
                rendered,
                kind,
                section_link,
                prev,
                next,
            )
        };
        let (template, page_ctx) = match place {
            None | Some(Place::Home) => {
                let mut home = ctx("home", None, None, None);
                home.breadcrumbs.clear();
                ("index.html", home)
            }
            Some(Place::Section(i)) => {
                let mut section = ctx("section", None, None, None);
                section.pages = self.nav[i].clone();
                section.nav_html = self.nav_html(i, None)?;
                ("section.html", section)
            }
            Some(Place::Page(i, j)) => {
                let order = &self.site.sections[i].pages;
                let prev = j.checked_sub(1).map(|k| &self.site.pages[order[k]]);
                let next = order.get(j + 1).map(|&k| &self.site.pages[k]);
                let mut p = ctx("page", Some(i), prev, next);
                p.nav_html = self.nav_html(i, Some(j))?;
                ("page.html", p)
            }
        };
        let html = self.render(template, &self.with_page(&page_ctx))?;
        Ok((out_path(&page.path), html))
    }

    /// Every file that is not a page: 404, the search page, tags, aliases, sitemap, robots and
    /// the list of pages that 随机一题 picks from.
    /// Each comes with what it is, for the message if another output takes its path.
    pub fn site_files(&self) -> Result<Vec<OutFile>> {
        let mut jobs: Vec<(PathBuf, &'static str, Context, String)> = vec![(
            "404.html".into(),
            "404.html",
            self.base.clone(),
            "the 404 page".into(),
        )];
        if has_template(self.tera, "search.html") {
            jobs.push((
                "search/index.html".into(),
                "search.html",
                self.base.clone(),
                "the search page".into(),
            ));
        }
        // Tags: name → pages, sorted by name; pages keep reading order.
        let mut tags: BTreeMap<&str, Vec<&PageSummary>> = BTreeMap::new();
        for (section, nav) in self.site.sections.iter().zip(&self.nav) {
            for (&p, summary) in section.pages.iter().zip(nav) {
                for tag in &self.site.pages[p].meta.tags {
                    tags.entry(tag.as_str()).or_default().push(summary);
                }
            }
        }
        let base_path = &self.base_path;
        let tag_list: Vec<serde_json::Value> = tags
            .iter()
            .map(|(name, pages)| serde_json::json!({"name": name, "url": tag_url(base_path, name), "count": pages.len()}))
            .collect();
        let mut ctx = self.base.clone();
        ctx.insert("tags", &tag_list);
        jobs.push((
            "tags/index.html".into(),
            "tags.html",
            ctx,
            "the tag index".into(),
        ));
        for (name, pages) in &tags {
            let mut ctx = self.base.clone();
            ctx.insert(
                "tag",
                &serde_json::json!({"name": name, "url": tag_url(base_path, name), "pages": pages}),
            );
            jobs.push((
                PathBuf::from(format!(
                    "tags/{}/index.html",
                    crate::content::tag_slug(name)
                )),
                "tag.html",
                ctx,
                format!("the page of tag `{name}`"),
            ));
        }
        let results: Vec<(PathBuf, Result<Vec<u8>>, String)> = jobs
            .into_par_iter()
            .map(|(path, template, ctx, owner)| (path, self.render(template, &ctx), owner))
            .collect();
        let mut files = Vec::new();
        let mut errors = Errors::default();
        for (path, result, owner) in results {
            match result {
                Ok(html) => files.push((path, html, owner)),
                Err(e) => errors.0.extend(e.0),
            }
        }
        for page in self.site.all_pages() {
            for alias in &page.meta.aliases {
                let target = format!("{base_path}{}", page.path);
                files.push((
                    out_path(alias),
                    redirect_html(&target).into_bytes(),
                    format!("alias `{alias}` of {}", page.source.display()),
                ));
            }
        }
        let nav: Vec<[&str; 2]> = self
            .nav
            .iter()
            .flatten()
            .map(|p| [p.key.as_str(), p.url.as_str()])
            .collect();
        let builtin = |name: &str| format!("the generator's {name}");
        files.push((
            "nav.json".into(),
            serde_json::to_vec(&nav).unwrap_or_default(),
            builtin("nav.json"),
        ));
        files.push((
            "sitemap.xml".into(),
            sitemap(self.config, self.site).into_bytes(),
            builtin("sitemap.xml"),
        ));
        files.push((
            "robots.txt".into(),
            format!(
                "User-agent: *\nAllow: /\nSitemap: {}/sitemap.xml\n",
                self.config.absolute_base()
            )
            .into_bytes(),
            builtin("robots.txt"),
        ));
        errors.into_result(files)
    }
}

fn site_context(
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
    }
}

#[allow(clippy::too_many_arguments)]
fn page_context(
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
    let mut breadcrumbs = vec![Link {
        title: "首页".into(),
        url: format!("{base_path}/"),
    }];
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
        pages: Vec::new(),
        nav_html: String::new(),
    }
}

fn tag_url(base_path: &str, tag: &str) -> String {
    format!("{base_path}/tags/{}/", crate::content::tag_url_segment(tag))
}

/// Output file of a URL path: `/tcp/handshake/` → `tcp/handshake/index.html`.
fn out_path(url_path: &str) -> PathBuf {
    let trimmed = url_path.trim_matches('/');
    if trimmed.is_empty() {
        PathBuf::from("index.html")
    } else {
        PathBuf::from(trimmed).join("index.html")
    }
}

fn redirect_html(target: &str) -> String {
    let t = crate::markdown::highlight::escape(target);
    format!(
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>已移动</title><link rel=\"canonical\" href=\"{t}\"><meta http-equiv=\"refresh\" content=\"0; url={t}\"></head><body><p>本页已移动到 <a href=\"{t}\">{t}</a>。</p></body></html>\n"
    )
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

fn sitemap(config: &Config, site: &Site) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for page in site.all_pages() {
        let loc =
            crate::markdown::highlight::escape(&format!("{}{}", config.absolute_base(), page.path));
        xml.push_str(&format!("  <url><loc>{loc}</loc></url>\n"));
    }
    xml.push_str("</urlset>\n");
    xml
}
