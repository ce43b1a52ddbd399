//! The files of a site that are not pages: 404, the search page, the tag index and each tag's
//! page, alias redirects, `nav.json` (the list 随机一题 picks from), robots, and the sitemap and
//! feed of [`super::feed`].

use super::context::{tag_url, PageSummary};
use super::{feed, has_template, Renderer};
use crate::error::{Errors, Result};
use crate::markdown::RenderedSite;
use crate::output::OutFile;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;
use tera::Context;

impl Renderer<'_> {
    /// Every file that is not a page: 404, the search page, tags, aliases, sitemap, feed, robots
    /// and the list of pages that 随机一题 picks from (`rendered`: what each page includes, for
    /// its date). Each comes with what it is, for the message if another output takes its path.
    pub fn site_files(&self, rendered: &RenderedSite) -> Result<Vec<OutFile>> {
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
                    redirect_html(&self.config.language, &target).into_bytes(),
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
        for (section, pages) in self.site.sections.iter().zip(&self.nav) {
            if pages.len() > super::NAV_FULL_MAX {
                let list: Vec<[&str; 3]> = pages
                    .iter()
                    .map(|p| [p.title.as_str(), p.url.as_str(), p.key.as_str()])
                    .collect();
                files.push((
                    PathBuf::from(
                        super::nav_json_path(&section.index.path).trim_start_matches('/'),
                    ),
                    serde_json::to_vec(&list).unwrap_or_default(),
                    builtin("nav.json of a large section"),
                ));
            }
        }
        files.push((
            "nav.json".into(),
            serde_json::to_vec(&nav).unwrap_or_default(),
            builtin("nav.json"),
        ));
        files.push((
            "sitemap.xml".into(),
            feed::sitemap(self.config, self.site, rendered, self.history).into_bytes(),
            builtin("sitemap.xml"),
        ));
        if let Some(atom) = feed::atom(self.config, self.site, rendered, self.history) {
            files.push((feed::ATOM_PATH.into(), atom.into_bytes(), builtin("feed")));
        }
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

/// Output file of a URL path: `/tcp/handshake/` → `tcp/handshake/index.html`.
pub(super) fn out_path(url_path: &str) -> PathBuf {
    let trimmed = url_path.trim_matches('/');
    if trimmed.is_empty() {
        PathBuf::from("index.html")
    } else {
        PathBuf::from(trimmed).join("index.html")
    }
}

fn redirect_html(language: &str, target: &str) -> String {
    let t = crate::markdown::highlight::escape(target);
    let language = crate::markdown::highlight::escape(language);
    format!(
        "<!doctype html>\n<html lang=\"{language}\"><head><meta charset=\"utf-8\"><title>已移动</title><link rel=\"canonical\" href=\"{t}\"><meta http-equiv=\"refresh\" content=\"0; url={t}\"></head><body><p>本页已移动到 <a href=\"{t}\">{t}</a>。</p></body></html>\n"
    )
}
