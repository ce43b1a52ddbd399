//! The one pipeline: a build's state and one method per stage, in the order of the data flow
//! (config → content → markdown → render → search → output). A full build ([`crate::build`],
//! [`crate::check`], [`crate::generate`]) runs every stage once; the incremental
//! [`crate::Session`] keeps the state between edits and runs the stages again for what changed.

use crate::assets::Assets;
use crate::config::Config;
use crate::content::{self, Page, Site};
use crate::error::{Errors, Result};
use crate::history::History;
use crate::markdown::{self, Rendered, RenderedSite};
use crate::output::{self, OutFile, Output};
use crate::render::{self, Renderer};
use crate::{offline, search, BuildOptions, Summary};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// The stylesheets the build makes (the highlighting themes), by output path.
pub(crate) fn generated_assets() -> Vec<(PathBuf, Vec<u8>)> {
    let (light, dark) = markdown::classes::theme_css();
    vec![
        ("css/syntax-light.css".into(), light.into_bytes()),
        ("css/syntax-dark.css".into(), dark.into_bytes()),
    ]
}

/// Everything a build has made so far: each stage's output, for the next stage and for an
/// incremental rebuild.
pub struct Pipeline {
    /// What to build.
    pub options: BuildOptions,
    /// `site.toml`, with `--base-url` applied.
    pub config: Config,
    /// The template set.
    pub templates: tera::Tera,
    /// The content tree.
    pub site: Site,
    /// Every page's rendered Markdown (its HTML only if the pipeline was asked to keep it).
    pub rendered: RenderedSite,
    /// The files of `static/` and the names every asset is linked by.
    pub assets: Assets,
    /// Output paths copied from `static/` (the hashed copies included).
    pub statics: Vec<PathBuf>,
    /// Output paths of the search index.
    pub index: BTreeSet<PathBuf>,
    /// When each source was last committed (empty without `git_dates`).
    pub history: Arc<History>,
    /// Every page's URL path by `@/` link target, for the Markdown stage: made once, as `serve`
    /// renders with it after each edit (one that moves a page rebuilds everything).
    pub urls: BTreeMap<String, String>,
}

impl Pipeline {
    /// The whole pipeline, each output file handed to `output` as soon as it is made. With
    /// `keep`, pages' HTML stays in [`Pipeline::rendered`] (for an incremental rebuild).
    pub fn run(options: &BuildOptions, output: &Output, keep: bool) -> Result<(Summary, Pipeline)> {
        Pipeline::run_with(options, output, keep, None)
    }

    /// [`Pipeline::run`] with the git history already read (`serve` reads it once at start),
    /// or `None` to read it now if `options.git_dates` asks for it.
    pub fn run_with(
        options: &BuildOptions,
        output: &Output,
        keep: bool,
        history: Option<Arc<History>>,
    ) -> Result<(Summary, Pipeline)> {
        let started = Instant::now();
        let root = options.root.as_path();
        let mut config = Config::load(&root.join("site.toml"), Path::new("site.toml"))?;
        if let Some(base_url) = &options.base_url {
            config.base_url = base_url.clone();
        }
        // Templates, content and Markdown fail independently: run all three and report every
        // error, but render pages only over a site that loaded whole.
        let mut errors = Errors::default();
        let mut templates = render::load_templates(root)
            .map_err(|e| errors.0.extend(e.0))
            .ok();
        // Every page links the assets by their hashed names: those come first.
        let assets = Assets::load(root, &generated_assets())
            .map_err(|e| errors.0.extend(e.0))
            .unwrap_or_default();
        if let Some(tera) = &mut templates {
            assets.register(tera, &config.base_path());
        }
        let (site, content_errors) = content::load(root, &config, options.drafts);
        errors.0.extend(content_errors.0);
        let whole = errors.is_empty();
        let history = history.unwrap_or_else(|| {
            Arc::new(if options.git_dates {
                History::read(root)
            } else {
                History::default()
            })
        });
        let urls = site
            .all_pages()
            .map(|p| (p.key.clone(), p.path.clone()))
            .chain(site.unreadable.iter().map(|key| (key.clone(), "/".into())))
            .collect();
        let mut pipeline = Pipeline {
            urls,
            options: options.clone(),
            config,
            templates: templates.unwrap_or_default(),
            site,
            rendered: RenderedSite::new(),
            assets,
            statics: Vec::new(),
            index: BTreeSet::new(),
            history,
        };
        let keys: BTreeSet<String> = pipeline.site.all_pages().map(|p| p.key.clone()).collect();
        let to = whole.then_some(output);
        let (rendered, page_errors) = pipeline.render_pages(&keys, to, output.destination(), keep);
        errors.0.extend(page_errors.0);
        pipeline.rendered = rendered.into_iter().collect();
        errors
            .0
            .extend(markdown::check_anchors(&pipeline.site, &pipeline.rendered).0);
        if !errors.is_empty() {
            return Err(errors.sorted());
        }
        // Parts of the search stage run on one core (its dictionary, its merge): the other
        // files are written meanwhile.
        let (statics, index) = rayon::join(
            || {
                pipeline.write_site_files(output)?;
                pipeline.assets.write_static(output)
            },
            || match options.no_search {
                true => Ok(BTreeSet::new()),
                false => pipeline
                    .write_search(output, search::NEVER)
                    .map(Option::unwrap_or_default),
            },
        );
        (pipeline.statics, pipeline.index) = (statics?, index?);
        output.put_owned(pipeline.offline_files(&output.digests()))?;
        Ok((pipeline.summary(output.count(), started), pipeline))
    }

    /// The Markdown stage's view of the site: where it is and the URL of every page. `output`
    /// is the folder a build replaces, from which nothing may be included.
    pub fn markdown_context(&self, output: Option<&Path>) -> markdown::Context<'_> {
        markdown::Context {
            root: &self.options.root,
            output: output.map(Path::to_path_buf),
            base_path: self.config.base_path(),
            heading_link_label: self.config.heading_link_label.clone(),
            urls: &self.urls,
        }
    }

    /// Markdown, then the page's template, then out, for the pages `keys`, in parallel. A
    /// page's HTML is dropped once written unless `keep`: only what later stages need stays
    /// (ids for anchor checks, text for search, includes for rebuilds). Pages are rendered
    /// into HTML only when `to` is given (a site that loaded whole).
    pub fn render_pages(
        &self,
        keys: &BTreeSet<String>,
        to: Option<&Output>,
        destination: Option<&Path>,
        keep: bool,
    ) -> (Vec<(String, Rendered)>, Errors) {
        let ctx = self.markdown_context(destination);
        let renderer = to.map(|_| {
            Renderer::new(
                &self.config,
                &self.site,
                &self.templates,
                &self.options.root,
                &self.history,
            )
        });
        let pages: Vec<&Page> = self
            .site
            .all_pages()
            .filter(|p| keys.contains(&p.key))
            .collect();
        let results: Vec<Result<Rendered>> = pages
            .par_iter()
            .map(|page| {
                let mut rendered = markdown::render_page(page, &ctx)?;
                if let (Some(renderer), Some(to)) = (&renderer, to) {
                    let (path, html) = renderer.page(page, &rendered)?;
                    to.put_as(path, html, format!("the page {}", page.source.display()))?;
                }
                if !keep {
                    rendered.html = String::new();
                    rendered.answer_html = None;
                    rendered.toc = Vec::new();
                }
                Ok(rendered)
            })
            .collect();
        let mut done = Vec::new();
        let mut errors = Errors::default();
        for (page, result) in pages.iter().zip(results) {
            match result {
                Ok(r) => done.push((page.key.clone(), r)),
                Err(e) => errors.0.extend(e.0),
            }
        }
        (done, errors)
    }

    /// Every file that is not a page (tags, aliases, 404, sitemap…) and the highlighting themes
    /// (under their plain and their hashed names).
    pub fn write_site_files(&self, output: &Output) -> Result<()> {
        let renderer = Renderer::new(
            &self.config,
            &self.site,
            &self.templates,
            &self.options.root,
            &self.history,
        );
        output.put_owned(renderer.site_files(&self.rendered)?)?;
        for (path, bytes) in generated_assets() {
            let plain = path.to_string_lossy().into_owned();
            if let Some(hashed) = self.assets.names.get(&plain).filter(|h| **h != plain) {
                output.put(hashed.into(), bytes.clone())?;
            }
            output.put(path, bytes)?;
        }
        Ok(())
    }

    /// The search index; returns the paths of its files, or `None` if `stop` said to give up
    /// (nothing is written then).
    pub fn write_search(
        &self,
        output: &Output,
        stop: search::Stop<'_>,
    ) -> Result<Option<BTreeSet<PathBuf>>> {
        let mut files = output::Files::new();
        if search::build(&self.site, &self.rendered, &mut files, stop).is_err() {
            return Ok(None);
        }
        let paths = files.keys().cloned().collect();
        output.put_all(files)?;
        Ok(Some(paths))
    }

    /// `offline.json` and `sw.js`, for a build whose every other file has `digests`.
    pub fn offline_files(&self, digests: &BTreeMap<PathBuf, String>) -> Vec<OutFile> {
        let plain: Vec<&str> = self.assets.hashed().map(|(plain, _)| plain).collect();
        // What every page loads, and the pages a reader may need first.
        let mut shell: Vec<&str> = self.assets.hashed().map(|(_, hashed)| hashed).collect();
        shell.extend(self.assets.names.keys().map(String::as_str).filter(|p| {
            p.starts_with("favicon.") || p.starts_with("icons/") || p.ends_with(".webmanifest")
        }));
        shell.extend(["index.html", "404.html", "search/index.html"]);
        offline::files(digests, &self.config.base_path(), &plain, &shell)
            .into_iter()
            .map(|(path, bytes)| (path, bytes, "the generator's offline files".to_string()))
            .collect()
    }

    /// What the build produced, `files` files since `started`.
    pub fn summary(&self, files: usize, started: Instant) -> Summary {
        Summary {
            pages: self.site.pages.len(),
            sections: self.site.sections.len(),
            files,
            elapsed: started.elapsed(),
            note: self.history.note().map(str::to_string),
        }
    }
}
