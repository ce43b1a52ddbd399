//! The site generator as a library. The data flow is the module list:
//! `site.toml` → [`config`] → [`content`] → [`markdown`] → [`render`] → [`output`].

pub mod config;
pub mod content;
pub mod error;
pub mod markdown;
pub mod output;
pub mod read;
pub mod render;
pub mod search;
pub mod serve;
pub mod session;

pub use session::{Rebuilt, Session};

use error::Result;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Site root: the folder with `site.toml`, `content/`, `templates/`, `static/`.
    pub root: PathBuf,
    /// Output folder; relative paths are relative to the current directory.
    pub output: PathBuf,
    /// Overrides `base_url` of `site.toml`.
    pub base_url: Option<String>,
    /// Include pages with `draft: true`.
    pub drafts: bool,
    /// Replace an existing output folder even if no build wrote it (it has no marker file).
    pub force: bool,
}

/// What a build produced.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Question pages (not counting home and section pages).
    pub pages: usize,
    /// Sections.
    pub sections: usize,
    /// Files written (or that would be written).
    pub files: usize,
    /// Wall time of the whole pipeline.
    pub elapsed: Duration,
}

/// The whole pipeline, each output file handed to `output` as soon as it is made.
pub fn generate_into(options: &BuildOptions, output: &output::Output) -> Result<Summary> {
    run(options, output, false).map(|(summary, _)| summary)
}

/// What a build leaves for an incremental rebuild: every stage's output, pages' HTML included.
pub(crate) struct Built {
    pub config: config::Config,
    pub templates: tera::Tera,
    pub site: content::Site,
    pub rendered: markdown::RenderedSite,
    /// Output paths copied from `static/`.
    pub statics: Vec<PathBuf>,
}

/// The pipeline; with `keep`, it also returns what [`Built`] holds.
pub(crate) fn run(
    options: &BuildOptions,
    output: &output::Output,
    keep: bool,
) -> Result<(Summary, Option<Built>)> {
    let started = Instant::now();
    // MIANJING_NO_SEARCH=1 leaves the search stage out (for measuring what it costs).
    let with_search = std::env::var_os("MIANJING_NO_SEARCH").is_none();
    let root = options.root.as_path();
    let mut config = config::Config::load(&root.join("site.toml"), Path::new("site.toml"))?;
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.clone();
    }
    // Templates, content and Markdown fail independently: run all three and report every error.
    let mut errors = error::Errors::default();
    let templates = render::load_templates(root)
        .map_err(|e| errors.0.extend(e.0))
        .ok();
    let (site, content_errors) = content::load(root, &config, options.drafts);
    errors.0.extend(content_errors.0);
    let base_path = config.base_path();
    let ctx = markdown::Context {
        root,
        output: output.destination().map(Path::to_path_buf),
        base_path: &base_path,
        urls: site
            .all_pages()
            .map(|p| (p.key.clone(), p.path.clone()))
            .chain(
                site.unreadable
                    .iter()
                    .map(|key| (key.clone(), "/".to_string())),
            )
            .collect(),
    };
    // Pages are rendered only over a site that loaded whole.
    let renderer = templates
        .as_ref()
        .filter(|_| errors.is_empty())
        .map(|t| render::Renderer::new(&config, &site, t, root));
    // Markdown, then the page's template, then out: a page's HTML is dropped once written, and
    // only what later stages need is kept (ids for anchor checks, text for search).
    let pages: Vec<&content::Page> = site.all_pages().collect();
    let results: Vec<Result<markdown::Rendered>> = pages
        .par_iter()
        .map(|page| {
            let mut rendered = markdown::render_page(page, &ctx)?;
            if let Some(renderer) = &renderer {
                let (path, html) = renderer.page(page, &rendered)?;
                output.put_as(path, html, format!("the page {}", page.source.display()))?;
            }
            if !keep {
                rendered.html = String::new();
                rendered.answer_html = None;
                rendered.toc = Vec::new();
            }
            Ok(rendered)
        })
        .collect();
    let mut rendered = markdown::RenderedSite::new();
    for (page, result) in pages.iter().zip(results) {
        match result {
            Ok(r) => {
                rendered.insert(page.key.clone(), r);
            }
            Err(e) => errors.0.extend(e.0),
        }
    }
    errors.0.extend(markdown::check_anchors(&site, &rendered).0);
    let (Some(renderer), true) = (renderer, errors.is_empty()) else {
        return Err(errors.sorted());
    };
    output.put_owned(renderer.site_files()?)?;
    drop(renderer);
    if with_search {
        let mut files = render::Files::new();
        search::build(&site, &rendered, &mut files);
        output.put_all(files)?;
    }
    let (light, dark) = markdown::highlight::theme_css();
    output.put("css/syntax-light.css".into(), light.into_bytes())?;
    output.put("css/syntax-dark.css".into(), dark.into_bytes())?;
    let statics = output::copy_static(root, output)?;
    let summary = Summary {
        pages: site.pages.len(),
        sections: site.sections.len(),
        files: output.count(),
        elapsed: started.elapsed(),
    };
    let built = keep.then(|| Built {
        config,
        templates: templates.expect("templates loaded"),
        site,
        rendered,
        statics,
    });
    Ok((summary, built))
}

/// The whole pipeline in memory: every output file, nothing written.
pub fn generate(options: &BuildOptions) -> Result<(Summary, render::Files)> {
    let output = output::Output::memory();
    let summary = generate_into(options, &output)?;
    Ok((summary, output.into_files()))
}

/// Builds the site into a temporary folder and swaps it into `options.output` only if
/// everything succeeded.
pub fn build(options: &BuildOptions) -> Result<Summary> {
    let started = Instant::now();
    let output = output::Output::staging(&options.root, &options.output, options.force)?;
    let mut summary = match generate_into(options, &output) {
        Ok(summary) => summary,
        Err(errors) => {
            output.abandon();
            return Err(errors);
        }
    };
    output.commit()?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Runs the whole pipeline (parsing, links, anchors, includes, templates) without writing.
pub fn check(options: &BuildOptions) -> Result<Summary> {
    generate_into(options, &output::Output::nowhere())
}
