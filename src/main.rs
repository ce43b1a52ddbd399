//! Command line: `build`, `check`, `serve`, `search`, `new`. Turns errors into messages on stderr and exit code 1.

use clap::{Parser, Subcommand};
use mianjing::{report, BuildOptions};
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
        /// Replace the output folder even if no earlier build wrote it (it lacks the
        /// `.mianjing-output` marker). Never allowed for the site root or a source folder.
        #[arg(long)]
        force: bool,
        /// Leave the search index out (the benchmark uses it to measure what search costs).
        #[arg(long)]
        no_search: bool,
        /// How to print errors: for a person, as GitHub annotations, or as JSON lines.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Check everything a build checks (front matter, links, anchors, includes, templates)
    /// without writing any output. For CI on pull requests.
    Check {
        /// Include pages whose front matter has `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// How to print errors: `human` (stderr); `github`, workflow commands on stdout that
        /// GitHub shows as annotations on the lines; `json`, one object a line on stdout
        /// (file, line, column, message, hint).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Build the site in memory (nothing is written), serve it on a loopback port and rebuild
    /// on every change, reloading the open pages it touched; build errors show in the terminal
    /// and as an overlay in the page while the last good build keeps being served.
    Serve {
        /// Port to listen on (0 picks a free one).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; e.g. 0.0.0.0 makes the preview reachable from other machines.
        #[arg(long, default_value = "127.0.0.1")]
        interface: std::net::IpAddr,
        /// Open the site in the default browser once it is built.
        #[arg(long)]
        open: bool,
        /// Include pages whose front matter has `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Create a question page, content/<SECTION>/<SLUG>.md, with its front matter filled in:
    /// weight after the section's last page, the tags most of its pages have, and TODO where
    /// you write. Never replaces a file.
    New {
        /// The page as <section>/<slug>, e.g. tcp/fast-open (the slug is its URL: lowercase
        /// ASCII letters, digits and `-`).
        page: String,
    },
    /// Search a built site's index with the browser's ranking and print the results.
    Search {
        /// The query, as typed into the search box.
        query: Option<String>,
        /// Built site folder holding search/.
        #[arg(long, short, default_value = "public")]
        output: PathBuf,
        /// How many results to print per query.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print JSON lines: {"query", "results": [{"title", "url", "score"}]}.
        #[arg(long)]
        json: bool,
        /// Run every query of this TSV file (first column; lines starting with # skipped).
        #[arg(long)]
        queries: Option<PathBuf>,
    },
}

/// `--format` of `build` and `check`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Github,
    Json,
}

impl From<Format> for report::Format {
    fn from(format: Format) -> Self {
        match format {
            Format::Human => report::Format::Human,
            Format::Github => report::Format::Github,
            Format::Json => report::Format::Json,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Ctrl-C or SIGTERM during a build: stop the writers, remove the half-written temporary
    // folder; the old output is untouched. (After SIGKILL, the next build removes it.)
    let _ = ctrlc::set_handler(|| {
        mianjing::output::abandon();
        std::process::exit(130);
    });
    if let Command::Search {
        query,
        output,
        limit,
        json,
        queries,
    } = &cli.command
    {
        return match mianjing::search::cli(
            output,
            query.as_deref(),
            queries.as_deref(),
            *limit,
            *json,
        ) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        };
    }
    if let Command::New { page } = &cli.command {
        return match mianjing::scaffold::new_page(&cli.root, page) {
            Ok(new) => {
                eprintln!(
                    "created {} (weight {}, tags [{}]): replace every TODO, and preview it with `serve`",
                    cli.root.join(&new.path).display(),
                    new.weight,
                    new.tags.join(", ")
                );
                ExitCode::SUCCESS
            }
            Err(errors) => {
                eprintln!("{}", report::diagnostics(&errors));
                ExitCode::FAILURE
            }
        };
    }
    if let Command::Serve {
        port,
        interface,
        open,
        drafts,
    } = &cli.command
    {
        let options = BuildOptions {
            root: cli.root.clone(),
            drafts: *drafts,
            git_dates: true,
            ..BuildOptions::default()
        };
        let serve = mianjing::serve::ServeOptions {
            interface: *interface,
            port: *port,
            open: *open,
        };
        return match mianjing::serve::serve(options, serve) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        };
    }
    let root = cli.root.clone();
    let (result, format, command) = match cli.command {
        Command::Build {
            output,
            base_url,
            drafts,
            force,
            no_search,
            format,
        } => {
            let options = BuildOptions {
                root: cli.root,
                output: output.clone(),
                base_url,
                drafts,
                force,
                git_dates: true,
                no_search,
            };
            let result =
                mianjing::build(&options).map(|s| report::summary("built", &s, Some(&output)));
            (result, format, "build")
        }
        Command::Check { drafts, format } => {
            let options = BuildOptions {
                root: cli.root,
                drafts,
                ..BuildOptions::default()
            };
            let result = mianjing::check(&options).map(|s| report::summary("checked", &s, None));
            (result, format, "check")
        }
        Command::Search { .. } | Command::Serve { .. } | Command::New { .. } => {
            (Ok(()), Format::Human, "")
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(errors) => {
            report::failed(&errors, format.into(), &root, command);
            ExitCode::FAILURE
        }
    }
}

// Pages render on every core and make many short-lived strings: jemalloc's per-thread caches cut
// a 1,000-page build's CPU time by about a tenth over glibc's malloc, for a few MiB of peak memory
// (mimalloc was as fast but took 22 MiB more).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings, read when it starts. One arena instead of four per core: the threads'
/// caches keep allocation as fast, and memory one thread frees serves the others, which takes
/// about 1.5 MiB off a 75-page build's peak.
#[allow(non_upper_case_globals)]
#[export_name = "_rjem_malloc_conf"]
pub static malloc_conf: &[u8; 10] = b"narenas:1\0";
