//! Tera templates → HTML: the [`Renderer`] renders one page at a time (home, a section page or
//! a question page), so pages stream to the output as they are done and no output depends on
//! thread timing. The values templates get are in [`context`] (the template API); the files
//! that are not pages (tags, aliases, sitemap…) in [`site_files`]; loading the templates in
//! [`templates`].

use crate::config::Config;
use crate::content::{Page, Site};
use crate::error::Result;
use crate::history::History;
use crate::markdown::Rendered;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tera::{Context, Tera};

pub mod context;
mod cycles;
mod feed;
mod site_files;
mod templates;
use context::{page_context, site_context};
pub use context::{
    Link, NavSection, NavSections, PageContext, PageSummary, SiteContext, NAV_AROUND,
    NAV_ENTRY_TEMPLATE, NAV_FULL_MAX, NAV_MORE_TEMPLATE, NAV_SECTION_TEMPLATE, REQUIRED_TEMPLATES,
};
use site_files::out_path;
pub use templates::{has_template, load_templates, tera_diagnostic};

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
    history: &'a History,
    base_path: String,
    /// A context holding `site` and `nav` (no section open), cloned for every page.
    base: Context,
    /// Every section as [`NavSections`] lists it.
    sections: Vec<NavSection>,
    /// Each section's sidebar line ([`NAV_SECTION_TEMPLATE`]), rendered once per build; an
    /// error shows when a page needs them.
    section_lines: Result<Vec<String>>,
    /// Each section's pages as the sidebar and the section page list them.
    nav: Vec<Vec<PageSummary>>,
    /// Each section's sidebar entries, rendered on first use.
    nav_entries: Vec<OnceLock<Result<NavList>>>,
    /// Page key → where it sits.
    places: HashMap<&'a str, Place>,
}

/// A section's sidebar list, rendered once per build.
struct NavList {
    /// `[listed, current]` per page.
    entries: Vec<[String; 2]>,
    /// What follows a shortened list ([`NAV_MORE_TEMPLATE`]; empty for a list never shortened).
    more: String,
}

/// Where the page list of the section whose page is at `path` (`/net/`) goes: `/net/nav.json`.
fn nav_json_path(path: &str) -> String {
    format!("{}/nav.json", path.trim_end_matches('/'))
}

impl<'a> Renderer<'a> {
    /// The renderer of `site` with the templates `tera` (loaded from `root`), its pages dated
    /// by `history`.
    pub fn new(
        config: &'a Config,
        site: &'a Site,
        tera: &'a Tera,
        root: &'a Path,
        history: &'a History,
    ) -> Self {
        let base_path = config.base_path();
        // Every page's summary, on every core: `serve` makes a renderer for each edit.
        let nav: Vec<Vec<PageSummary>> = site
            .sections
            .par_iter()
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
        let mut site_values = site_context(config, site, &base_path, &nav);
        if history.is_known() {
            site_values.feed_url = format!("{base_path}/{}", feed::ATOM_PATH);
        }
        base.insert("site", &site_values);
        let mut renderer = Renderer {
            config,
            site,
            tera,
            root,
            history,
            base_path,
            base,
            sections: site_values.sections,
            section_lines: Ok(Vec::new()),
            nav_entries: nav.iter().map(|_| OnceLock::new()).collect(),
            nav,
            places,
        };
        renderer.section_lines = renderer.render_section_lines();
        if let Ok(lines) = &renderer.section_lines {
            let nav = NavSections::around(lines, &renderer.sections, None);
            renderer.base.insert("nav", &nav);
        }
        renderer
    }

    /// Each section's closed sidebar line, none without [`NAV_SECTION_TEMPLATE`].
    fn render_section_lines(&self) -> Result<Vec<String>> {
        if !has_template(self.tera, NAV_SECTION_TEMPLATE) {
            return Ok(Vec::new());
        }
        let mut ctx = self.base.clone();
        self.sections
            .iter()
            .map(|s| {
                ctx.insert("s", s);
                self.render_str(NAV_SECTION_TEMPLATE, &ctx)
            })
            .collect()
    }

    /// The sidebar's sections with section `open` (if any) open.
    fn nav_sections(&self, open: Option<usize>) -> Result<NavSections<'_>> {
        let lines = self.section_lines.as_ref().map_err(Clone::clone)?;
        Ok(NavSections::around(lines, &self.sections, open))
    }

    /// The bytes of `template` rendered with `ctx`. Straight into bytes: [`Tera::render`] would
    /// check the whole page is UTF-8 again (1–2% of a build's CPU).
    fn render(&self, template: &str, ctx: &Context) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.tera
            .render_to(template, ctx, &mut out)
            .map_err(|e| tera_diagnostic(&e, self.root))?;
        Ok(out)
    }

    fn render_str(&self, template: &str, ctx: &Context) -> Result<String> {
        self.tera
            .render(template, ctx)
            .map_err(|e| tera_diagnostic(&e, self.root).into())
    }

    /// The sidebar's page list of section `section` as HTML, entry `current` marked as the
    /// page shown. The entries are rendered once per build; a page only puts them together.
    fn nav_html(&self, section: usize, current: Option<usize>) -> Result<String> {
        let list = self.nav_entries[section].get_or_init(|| {
            if !has_template(self.tera, NAV_ENTRY_TEMPLATE) {
                return Ok(NavList {
                    entries: Vec::new(),
                    more: String::new(),
                });
            }
            // One context for the section, its values replaced entry by entry: cloning `site`
            // for each would cost more than the rendering.
            let mut ctx = self.base.clone();
            let mut entries = Vec::with_capacity(self.nav[section].len());
            for p in &self.nav[section] {
                ctx.insert("p", p);
                let mut entry = |current: bool| {
                    ctx.insert("current", &current);
                    self.render_str(NAV_ENTRY_TEMPLATE, &ctx)
                };
                entries.push([entry(false)?, entry(true)?]);
            }
            let n = entries.len();
            let mut more = String::new();
            if n > NAV_FULL_MAX && has_template(self.tera, NAV_MORE_TEMPLATE) {
                let path = &self.site.sections[section].index.path;
                let mut ctx = self.base.clone();
                ctx.insert("url", &format!("{}{path}", self.base_path));
                ctx.insert(
                    "json",
                    &format!("{}{}", self.base_path, nav_json_path(path)),
                );
                ctx.insert("count", &n);
                more = self.render_str(NAV_MORE_TEMPLATE, &ctx)?;
            }
            Ok(NavList { entries, more })
        });
        let NavList { entries, more } = list.as_ref().map_err(Clone::clone)?;
        let n = entries.len();
        let listed = if n > NAV_FULL_MAX {
            let c = current.unwrap_or(0);
            c.saturating_sub(NAV_AROUND)..(c + NAV_AROUND + 1).min(n)
        } else {
            0..n
        };
        let mut html =
            String::with_capacity(entries[listed.clone()].iter().map(|[e, _]| e.len()).sum());
        for (i, [other, shown]) in entries
            .iter()
            .enumerate()
            .take(listed.end)
            .skip(listed.start)
        {
            html.push_str(if current == Some(i) { shown } else { other });
        }
        if listed.len() < n {
            html.push_str(more);
        }
        Ok(html)
    }

    /// The context of a page whose sidebar has section `open` open.
    fn with_page(&self, page: &PageContext, open: Option<usize>) -> Result<Context> {
        let mut ctx = self.base.clone();
        ctx.insert("page", page);
        ctx.insert("nav", &self.nav_sections(open)?);
        Ok(ctx)
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
        let (template, mut page_ctx) = match place {
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
        page_ctx.updated = self.history.page(&page.source, &rendered.includes).cloned();
        let open = match place {
            Some(Place::Section(i) | Place::Page(i, _)) => Some(i),
            None | Some(Place::Home) => None,
        };
        let html = self.render(template, &self.with_page(&page_ctx, open)?)?;
        Ok((out_path(&page.path), html))
    }
}
