//! The site generator as a library. The data flow is the module list:
//! `site.toml` → [`config`] → [`content`] → [`markdown`] → [`render`] → [`output`].

pub mod assets;
pub mod config;
pub mod content;
pub mod error;
pub mod history;
pub mod markdown;
pub mod offline;
pub mod output;
pub mod pipeline;
pub mod read;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod session;

pub use pipeline::Pipeline;
pub use session::{Rebuilt, Session};

use error::Result;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What to build and where.
#[derive(Debug, Clone, Default)]
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
    /// Date pages from the git history of their sources ([`history`]); off, pages have no
    /// dates and there is no feed.
    pub git_dates: bool,
    /// Leave the search index out (to measure what it costs).
    pub no_search: bool,
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
    /// Something the reader of the summary should know (why pages have no dates).
    pub note: Option<String>,
}

/// The whole pipeline, each output file handed to `output` as soon as it is made.
pub fn generate_into(options: &BuildOptions, output: &output::Output) -> Result<Summary> {
    Pipeline::run(options, output, false).map(|(summary, _)| summary)
}

/// The whole pipeline in memory: every output file, nothing written.
pub fn generate(options: &BuildOptions) -> Result<(Summary, output::Files)> {
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
