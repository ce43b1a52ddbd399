//! Command line: `build`, `check`. Turns errors into messages on stderr and exit code 1.

use clap::{Parser, Subcommand};
use mianjing::{BuildOptions, Summary};
use std::path::PathBuf;
use std::process::ExitCode;

/// Static site generator for the interview notes: Markdown + YAML front matter + Tera templates.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Site root: the folder holding site.toml, content/, templates/ and static/.
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced only if the build succeeds).
    Build {
        /// Output folder.
        #[arg(long, short, default_value = "public")]
        output: PathBuf,
        /// Override base_url from site.toml, e.g. https://example.org/notes for a sub-path.
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages whose front matter has `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Check everything a build checks (front matter, links, anchors, includes, templates)
    /// without writing any output. For CI on pull requests.
    Check {
        /// Include pages whose front matter has `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            output,
            base_url,
            drafts,
        } => {
            let options = BuildOptions {
                root: cli.root,
                output: output.clone(),
                base_url,
                drafts,
            };
            mianjing::build(&options).map(|s| report("built", &s, Some(&output)))
        }
        Command::Check { drafts } => {
            let options = BuildOptions {
                root: cli.root,
                output: PathBuf::new(),
                base_url: None,
                drafts,
            };
            mianjing::check(&options).map(|s| report("checked", &s, None))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(errors) => {
            eprint!("{errors}");
            let n = errors.0.len();
            eprintln!(
                "\n{n} error{} found; nothing was written",
                if n == 1 { "" } else { "s" }
            );
            ExitCode::FAILURE
        }
    }
}

fn report(verb: &str, summary: &Summary, output: Option<&PathBuf>) {
    let target = output
        .map(|o| format!(" → {}", o.display()))
        .unwrap_or_default();
    eprintln!(
        "{verb} {} pages in {} sections ({} files) in {:.0} ms{target}",
        summary.pages,
        summary.sections,
        summary.files,
        summary.elapsed.as_secs_f64() * 1000.0
    );
}
