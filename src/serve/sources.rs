//! What counts as a change of the site's sources: a path under one of [`SOURCES`] that neither
//! the site's `.gitignore` nor a built-in list ([`NOISE`]: editor swap files, `target/`,
//! `node_modules/`, `.git/`), matched by the `ignore` crate, leaves out.

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::path::{Path, PathBuf};

/// Top-level entries of the site root whose changes trigger a rebuild.
pub(super) const SOURCES: [&str; 5] = ["site.toml", "content", "templates", "static", "snippets"];

/// Never sources, whatever the site's `.gitignore` says (gitignore syntax).
const NOISE: &[&str] = &[
    // Editors' swap, backup, lock and temporary files.
    "*.swp",
    "*.swo",
    "*.swx",
    "*.swn",
    "*~",
    ".#*",
    "\\#*#",
    "4913",
    "*.crswap",
    "*___jb_tmp___",
    "*___jb_old___",
    ".DS_Store",
    // Version control, build folders, caches.
    ".git/",
    "target/",
    "node_modules/",
    "__pycache__/",
    ".pytest_cache/",
];

/// What counts as a change of the site's sources.
pub(super) struct Filter {
    /// Canonical site root: every event path starts with it.
    pub(super) root: PathBuf,
    /// The site's `.gitignore` and [`NOISE`].
    ignored: Gitignore,
}

impl Filter {
    /// The site's `.gitignore` (if any) and [`NOISE`], for the site at `root`.
    pub(super) fn new(root: &Path) -> Filter {
        let mut builder = GitignoreBuilder::new(root);
        let gitignore = root.join(".gitignore");
        if gitignore.is_file() {
            if let Some(e) = builder.add(&gitignore) {
                eprintln!("warning: {}: {e}", gitignore.display());
            }
        }
        // Last, so that no `!pattern` of the site's brings them back.
        for line in NOISE {
            let _ = builder.add_line(None, line);
        }
        let ignored = builder.build().unwrap_or_else(|e| {
            eprintln!(
                "warning: {}: {e}; ignoring only editor files",
                gitignore.display()
            );
            noise_only(root)
        });
        Filter {
            root: root.to_path_buf(),
            ignored,
        }
    }

    /// The top-level source (`content`, `site.toml`, …) `path` belongs to, if the site depends
    /// on it and it is not ignored.
    pub(super) fn source_of(&self, path: &Path) -> Option<&'static str> {
        let relative = path.strip_prefix(&self.root).ok()?;
        let mut components = relative.components();
        let first = components.next()?.as_os_str();
        let top = SOURCES.into_iter().find(|s| first == *s)?;
        if top == "site.toml" && components.next().is_some() {
            return None;
        }
        let ignored = self
            .ignored
            .matched_path_or_any_parents(relative, path.is_dir())
            .is_ignore();
        (!ignored).then_some(top)
    }
}

fn noise_only(root: &Path) -> Gitignore {
    let mut builder = GitignoreBuilder::new(root);
    for line in NOISE {
        let _ = builder.add_line(None, line);
    }
    builder.build().unwrap_or_else(|_| Gitignore::empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_count_as_changes() {
        let root = Path::new("/site");
        let sources = Filter::new(root);
        let source = |p: &str| sources.source_of(Path::new(p));
        assert_eq!(source("/site/content/net/udp.md"), Some("content"));
        assert_eq!(source("/site/site.toml"), Some("site.toml"));
        assert_eq!(source("/site/templates/base.html"), Some("templates"));
        assert_eq!(source("/site/static/css/site.css"), Some("static"));
        assert_eq!(source("/site/snippets/src/echo.rs"), Some("snippets"));
        assert_eq!(source("/site/content/net/.udp.md.tmp"), Some("content"));
        assert_eq!(source("/site/content/net/a#b.md"), Some("content"));
        for noise in [
            "/site/public/index.html",
            "/site/target/debug/x",
            "/site/README.md",
            "/site/site.toml~",
            "/site/content/net/.udp.md.swp",
            "/site/content/net/udp.md~",
            "/site/content/net/.#udp.md",
            "/site/content/net/#udp.md#",
            "/site/content/net/4913",
            "/site/content/net/udp.md___jb_tmp___",
            "/site/snippets/python/__pycache__/echo.cpython-311.pyc",
            "/site/snippets/target/debug/x",
            "/site/static/node_modules/x/index.js",
            "/site/content/.git/HEAD",
            "/elsewhere/content/a.md",
        ] {
            assert_eq!(source(noise), None, "{noise}");
        }
        // A site under a folder named `target` still works.
        let root = Path::new("/home/target/site");
        assert_eq!(
            Filter::new(root).source_of(Path::new("/home/target/site/content/a.md")),
            Some("content")
        );
    }

    #[test]
    fn honours_the_sites_gitignore() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".gitignore"), "*.bak\n/content/drafts/\n").unwrap();
        let filter = Filter::new(dir.path());
        let source = |p: &str| filter.source_of(&dir.path().join(p));
        assert_eq!(source("content/a.md"), Some("content"));
        assert_eq!(source("content/a.md.bak"), None);
        assert_eq!(source("content/drafts/a.md"), None);
        assert_eq!(
            source("content/net/.a.md.swp"),
            None,
            "and the built-in list"
        );
    }
}
