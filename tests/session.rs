//! Incremental rebuilds (`serve`'s `Session`): after each kind of edit, the files in memory are
//! byte-identical to a full build of the same sources, and only what the edit touches is redone.

mod common;
use mianjing::search::NEVER;
use mianjing::{BuildOptions, Session};
use std::path::{Path, PathBuf};

struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
    session: Session,
}

impl Site {
    fn new() -> Site {
        Site::with(|_| {})
    }

    /// The basic fixture, changed by `prepare` before the first build.
    fn with(prepare: impl FnOnce(&Path)) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        common::copy_tree(&common::site("basic"), &root);
        prepare(&root);
        let mut session = Session::new(options(&root));
        let first = session.rebuild(&[]).unwrap_or_else(|e| panic!("{e}"));
        assert!(first.full && first.removed.is_empty());
        Site {
            _dir: dir,
            root,
            session,
        }
    }

    fn edit(&self, rel: &str, edit: impl FnOnce(String) -> String) -> PathBuf {
        let path = self.root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        std::fs::write(&path, edit(text)).unwrap();
        path
    }

    /// Rebuilds, then brings the search index up to date (as `serve` does after the reload).
    fn rebuild(&mut self, changed: &[PathBuf]) -> mianjing::Rebuilt {
        let mut rebuilt = self
            .session
            .rebuild(changed)
            .unwrap_or_else(|e| panic!("{e}"));
        if let Some(index) = self.session.refresh_search(NEVER) {
            assert!(!rebuilt.full, "a full rebuild leaves no index to refresh");
            assert!(
                index
                    .changed
                    .iter()
                    .all(|p| p.starts_with("search") || offline(p)),
                "{:?}",
                index.changed
            );
            rebuilt.changed.extend(index.changed);
        }
        assert!(self.session.refresh_search(NEVER).is_none());
        rebuilt
    }

    /// The session's files equal a fresh full build's.
    fn assert_like_a_full_build(&self) {
        let (_, full) = mianjing::generate(&options(&self.root)).unwrap_or_else(|e| panic!("{e}"));
        let ours = self.session.files();
        let differ: Vec<&PathBuf> = full
            .keys()
            .chain(ours.keys())
            .filter(|p| full.get(*p) != ours.get(*p))
            .collect();
        assert!(differ.is_empty(), "differ from a full build: {differ:?}");
    }
}

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: root.join("unused"),
        ..Default::default()
    }
}

/// `offline.json` or `sw.js`: they list every file's digest, so they change with any file.
fn offline(path: &Path) -> bool {
    path == Path::new("offline.json") || path == Path::new("sw.js")
}

fn paths(list: &[PathBuf]) -> Vec<&str> {
    list.iter().map(|p| p.to_str().unwrap()).collect()
}

#[test]
fn a_body_edit_redoes_that_page_and_the_search_index_only() {
    let mut site = Site::new();
    let path = site.edit("content/net/udp.md", |t| {
        t + "\n新加的一段：数据报没有连接。\n"
    });
    let rebuilt = site.rebuild(&[path]);
    assert!(!rebuilt.full);
    let changed = paths(&rebuilt.changed);
    assert!(changed.contains(&"net/udp/index.html"), "{changed:?}");
    assert!(changed.contains(&"offline.json") && changed.contains(&"sw.js"));
    assert!(
        changed.iter().all(|p| *p == "net/udp/index.html"
            || p.starts_with("search/")
            || offline(Path::new(p))),
        "{changed:?}"
    );
    assert!(rebuilt.removed.is_empty());
    assert!(
        String::from_utf8_lossy(&site.session.files()[Path::new("net/udp/index.html")])
            .contains("数据报没有连接")
    );
    site.assert_like_a_full_build();
}

#[test]
fn a_search_refresh_that_gives_way_changes_nothing_and_comes_again() {
    let mut site = Site::new();
    let path = site.edit("content/net/udp.md", |t| t + "\n新加的一段：报文边界。\n");
    site.session
        .rebuild(&[path])
        .unwrap_or_else(|e| panic!("{e}"));
    let pages_only = site.session.files().clone();
    let asked = std::sync::atomic::AtomicUsize::new(0);
    let stop = || asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed) >= 3;
    assert!(site.session.refresh_search(&stop).is_none(), "gave way");
    assert!(asked.into_inner() > 3, "asked until it said so");
    assert!(
        *site.session.files() == pages_only,
        "nothing served changed"
    );
    let index = site.session.refresh_search(NEVER).expect("still stale");
    assert!(index.changed.iter().any(|p| p.starts_with("search")));
    assert!(site.session.refresh_search(NEVER).is_none());
    site.assert_like_a_full_build();
}

#[test]
fn a_snippet_edit_redoes_the_pages_that_include_it() {
    let mut site = Site::new();
    let path = site.edit("snippets/demo.rs", |t| {
        t.replace(
            "// ANCHOR_END: server",
            "let edited = 42;\n// ANCHOR_END: server",
        )
    });
    let rebuilt = site.rebuild(&[path]);
    assert!(!rebuilt.full);
    assert!(paths(&rebuilt.changed).contains(&"net/tcp-handshake/index.html"));
    assert!(!paths(&rebuilt.changed).contains(&"net/udp/index.html"));
    site.assert_like_a_full_build();
}

#[test]
fn static_files_are_copied_again_and_removed_ones_disappear() {
    let mut site = Site::new();
    let extra = site.edit("static/extra.txt", |_| "hello".into());
    let rebuilt = site.rebuild(std::slice::from_ref(&extra));
    assert!(!rebuilt.full);
    assert_eq!(
        paths(&rebuilt.changed),
        ["extra.txt", "offline.json", "sw.js"]
    );
    site.assert_like_a_full_build();
    std::fs::remove_file(&extra).unwrap();
    let rebuilt = site.rebuild(&[extra]);
    assert_eq!(paths(&rebuilt.removed), ["extra.txt"]);
    site.assert_like_a_full_build();
}

#[test]
fn front_matter_edits_and_new_pages_rebuild_everything() {
    let mut site = Site::new();
    let path = site.edit("content/net/udp.md", |t| {
        t.replace("UDP 是什么", "UDP 到底是什么")
    });
    let rebuilt = site.rebuild(&[path]);
    assert!(rebuilt.full);
    // The title shows in the neighbours' links and the section list too.
    assert!(paths(&rebuilt.changed).contains(&"net/index.html"));
    site.assert_like_a_full_build();

    let added = site.edit("content/net/dns.md", |_| {
        "---\ntitle: DNS\nweight: 30\n---\n域名解析。\n".into()
    });
    let rebuilt = site.rebuild(std::slice::from_ref(&added));
    assert!(rebuilt.full && paths(&rebuilt.changed).contains(&"net/dns/index.html"));
    site.assert_like_a_full_build();
    std::fs::remove_file(&added).unwrap();
    let rebuilt = site.rebuild(&[added]);
    assert!(paths(&rebuilt.removed).contains(&"net/dns/index.html"));
    site.assert_like_a_full_build();
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_until_it_is_fixed() {
    let mut site = Site::new();
    let before = site.session.files().clone();
    let path = site.edit("content/_index.md", |t| {
        t + "\n[坏链接](@/net/udp.md#no-such-anchor)\n"
    });
    let error = site
        .session
        .rebuild(std::slice::from_ref(&path))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("content/_index.md") && error.contains("no-such-anchor"),
        "{error}"
    );
    assert!(
        site.session.files() == &before,
        "a failed rebuild changed the site"
    );
    // The heading it points to appears: the link resolves, though only udp.md was named now.
    let udp = site.edit("content/net/udp.md", |t| {
        t + "\n## 新标题 {#no-such-anchor}\n"
    });
    let rebuilt = site.rebuild(&[udp]);
    assert!(
        paths(&rebuilt.changed).contains(&"index.html"),
        "the pending edit counts too"
    );
    site.assert_like_a_full_build();
}

/// The `search/s/<k>.json` shard files among `files`.
fn shards(files: &mianjing::output::Files) -> Vec<&Path> {
    files
        .keys()
        .map(PathBuf::as_path)
        .filter(|p| p.starts_with("search/s"))
        .collect()
}

#[test]
fn a_search_refresh_that_needs_fewer_shards_removes_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&common::site("basic"), &root);
    // Some 40 KB of distinct terms: the index splits its terms into several shards (it aims at
    // about 12 KB a shard), and the edit below takes the site back to one.
    let page = root.join("content/net/udp.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let words: Vec<String> = (0..3000).map(|i| format!("term{i:04}x")).collect();
    std::fs::write(&page, format!("{text}\n{}\n", words.join(" "))).unwrap();
    let mut site = Site {
        session: Session::new(options(&root)),
        root,
        _dir: dir,
    };
    site.session.rebuild(&[]).unwrap_or_else(|e| panic!("{e}"));
    let before: Vec<PathBuf> = shards(site.session.files())
        .into_iter()
        .map(Path::to_path_buf)
        .collect();
    assert!(before.len() >= 4, "{before:?}");
    site.assert_like_a_full_build();

    let path = site.edit("content/net/udp.md", |_| text.clone());
    let rebuilt = site
        .session
        .rebuild(std::slice::from_ref(&path))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!rebuilt.full);
    let index = site
        .session
        .refresh_search(NEVER)
        .expect("the index is stale");
    let after = shards(site.session.files());
    assert_eq!(after, [Path::new("search/s/0.json")]);
    let stale: Vec<&PathBuf> = before
        .iter()
        .filter(|p| !after.contains(&p.as_path()))
        .collect();
    assert_eq!(index.removed.iter().collect::<Vec<_>>(), stale);
    site.assert_like_a_full_build();
}

#[test]
fn a_stylesheet_edit_renames_it_and_rebuilds_every_page_that_links_it() {
    let mut site = Site::with(|root| {
        let base = root.join("templates/base.html");
        let text = std::fs::read_to_string(&base).unwrap();
        let linked = text.replace(
            "{{ site.base_path }}/css/style.css",
            "{{ asset(path=\"css/style.css\") }}",
        );
        assert_ne!(text, linked, "the fixture links css/style.css");
        std::fs::write(&base, linked).unwrap();
    });
    let page = |site: &Site| {
        String::from_utf8_lossy(&site.session.files()[Path::new("net/udp/index.html")]).into_owned()
    };
    let hashed = |html: &str| {
        let start = html.find("/css/style.").unwrap() + 1;
        html[start..start + html[start..].find('"').unwrap()].to_string()
    };
    let before = hashed(&page(&site));
    assert_ne!(before, "css/style.css");
    assert!(site.session.files().contains_key(Path::new(&before)));

    let css = site.edit("static/css/style.css", |t| t + "\nbody { color: red; }\n");
    let rebuilt = site.rebuild(&[css]);
    let after = hashed(&page(&site));
    assert_ne!(after, before);
    let changed = paths(&rebuilt.changed);
    for path in [
        after.as_str(),
        "css/style.css",
        "index.html",
        "net/udp/index.html",
        "404.html",
    ] {
        assert!(changed.contains(&path), "{path} not in {changed:?}");
    }
    assert_eq!(paths(&rebuilt.removed), [before.as_str()]);
    // The pages differ only by the new name: serve lets open pages swap the stylesheet in.
    assert_eq!(
        rebuilt.renamed,
        [(PathBuf::from(&before), PathBuf::from(&after))]
    );
    let relinked = paths(&rebuilt.relinked);
    assert!(relinked.contains(&"net/udp/index.html") && relinked.contains(&"index.html"));
    assert!(!relinked.contains(&"css/style.css") && !relinked.contains(&"offline.json"));
    site.assert_like_a_full_build();

    // A page edit and a stylesheet edit at once: that page is not just relinked.
    let css = site.edit("static/css/style.css", |t| t + "\nh1 { color: blue; }\n");
    let udp = site.edit("content/net/udp.md", |t| t + "\n又一段。\n");
    let rebuilt = site.rebuild(&[css, udp]);
    assert!(paths(&rebuilt.changed).contains(&"net/udp/index.html"));
    assert!(!paths(&rebuilt.relinked).contains(&"net/udp/index.html"));
    assert!(paths(&rebuilt.relinked).contains(&"index.html"));
    site.assert_like_a_full_build();
}
