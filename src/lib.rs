//! The site generator as a library. The data flow is the module list:
//! `site.toml` → [`config`] → [`content`] → [`markdown`] → [`render`] → [`output`].

pub mod config;
pub mod content;
pub mod error;
pub mod markdown;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;

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
                output.put(path, html)?;
            }
            rendered.html = String::new();
            rendered.answer_html = None;
            rendered.toc = Vec::new();
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
    output.put_all(renderer.site_files()?)?;
    if with_search {
        let mut files = render::Files::new();
        search::build(&site, &rendered, &mut files);
        output.put_all(files)?;
    }
    let (light, dark) = markdown::highlight::theme_css();
    output.put("css/syntax-light.css".into(), light.into_bytes())?;
    output.put("css/syntax-dark.css".into(), dark.into_bytes())?;
    output::copy_static(root, output)?;
    Ok(Summary {
        pages: site.pages.len(),
        sections: site.sections.len(),
        files: output.len(),
        elapsed: started.elapsed(),
    })
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
    let output = output::Output::staging(&options.output)?;
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

/// A site kept in memory between rebuilds, for `serve`: the last good output and what each stage
/// produced, so a rebuild after an edit redoes only what the edit can change. A rebuilt file is
/// byte-identical to what a full build writes.
pub struct Session {
    options: BuildOptions,
    files: render::Files,
}

/// What a [`Session::rebuild`] changed in the output.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    /// The build's summary.
    pub summary: Summary,
    /// Output paths whose bytes are new or changed, sorted.
    pub changed: Vec<PathBuf>,
    /// Output paths that no longer exist, sorted.
    pub removed: Vec<PathBuf>,
}

impl Session {
    /// A session with nothing built yet; the first [`rebuild`](Session::rebuild) builds it all.
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            files: render::Files::new(),
        }
    }

    /// The options the session builds with.
    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// The last good output, by path relative to the output root.
    pub fn files(&self) -> &render::Files {
        &self.files
    }

    /// Rebuilds after the sources `changed` (paths under the site root, absolute or relative;
    /// empty means "anything may have changed"). On failure the last good output is kept.
    pub fn rebuild(&mut self, _changed: &[PathBuf]) -> Result<Rebuilt> {
        let (summary, files) = generate(&self.options)?;
        let changed = files
            .iter()
            .filter(|(path, bytes)| self.files.get(*path) != Some(*bytes))
            .map(|(path, _)| path.clone())
            .collect();
        let removed = self
            .files
            .keys()
            .filter(|path| !files.contains_key(*path))
            .cloned()
            .collect();
        self.files = files;
        Ok(Rebuilt {
            summary,
            changed,
            removed,
        })
    }
}
