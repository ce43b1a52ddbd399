//! The generator core on the `basic` fixture: every feature asserted on the produced files.

mod common;
use common::{between, build, read, site, snapshot};
use std::path::{Path, PathBuf};

#[test]
fn writes_every_kind_of_output_file() {
    let (_dir, out) = build("basic");
    for file in [
        "index.html",
        "net/index.html",
        "net/udp/index.html",
        "net/tcp-handshake/index.html",
        "conc/index.html",
        "conc/locks/index.html",
        "tags/index.html",
        "tags/tcp/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "css/style.css",
        "css/syntax-light.css",
        "css/syntax-dark.css",
        "old/handshake/index.html",
    ] {
        assert!(out.join(file).is_file(), "missing {file}");
    }
    assert!(
        !out.join("net/draft/index.html").exists(),
        "drafts are left out by default"
    );
}

#[test]
fn front_matter_fields_reach_the_page() {
    let (_dir, out) = build("basic");
    let html = read(&out, "net/tcp-handshake/index.html");
    assert!(html.contains("<title>三次握手</title>"));
    assert_eq!(
        between(&html, "<p id=\"description\">", "</p>"),
        "The handshake."
    );
    assert_eq!(between(&html, "<p id=\"section\">", "</p>"), "网络");
    assert!(between(&html, "<ul id=\"tags\">", "</ul>").contains("<a href=\"/tags/tcp/\">tcp</a>"));
    assert!(between(&html, "<ul id=\"also\">", "</ul>").contains("TCP 如何建立连接？"));
    assert!(between(&html, "<div id=\"answer\">", "</div>").contains("<strong>SYN</strong>"));
    assert!(
        html.contains("href=\"https://git.example.org/edit/main/content/net/tcp-handshake.md\"")
    );
    let crumbs = between(&html, "<ol id=\"breadcrumbs\">", "</ol>");
    assert_eq!(crumbs.matches("<li>").count(), 3);
    assert!(crumbs.contains("<a href=\"/net/\">网络</a>"));
}

#[test]
fn pages_are_ordered_by_weight_with_prev_and_next() {
    let (_dir, out) = build("basic");
    let section = read(&out, "net/index.html");
    let list = between(&section, "<ol id=\"pages\">", "</ol>");
    let udp = list.find("UDP 是什么").unwrap();
    let tcp = list.find("三次握手").unwrap();
    assert!(udp < tcp, "weight 10 comes before weight 20: {list}");
    let tcp_page = read(&out, "net/tcp-handshake/index.html");
    assert!(tcp_page.contains("<a id=\"prev\" href=\"/net/udp/\">UDP 是什么</a>"));
    assert!(
        !tcp_page.contains("id=\"next\""),
        "last page of its section has no next"
    );
    let udp_page = read(&out, "net/udp/index.html");
    assert!(udp_page.contains("<a id=\"next\" href=\"/net/tcp-handshake/\">三次握手</a>"));
    // Navigation follows site.toml's section order.
    let nav = between(&udp_page, "<nav id=\"nav\">", "</nav>");
    assert!(nav.find("网络").unwrap() < nav.find("并发").unwrap());
}

#[test]
fn toc_nests_and_chinese_heading_ids_are_stable_and_unique() {
    let (_dir, out) = build("basic");
    let html = read(&out, "net/tcp-handshake/index.html");
    let toc = between(&html, "<ul id=\"toc\">", "</ul></li><li");
    assert!(
        toc.starts_with("<li data-level=\"2\"><a href=\"#三次握手的过程\">三次握手的过程</a><ul>"),
        "{toc}"
    );
    assert!(toc.contains("<li data-level=\"3\"><a href=\"#第一次握手\">"));
    assert!(
        toc.contains("<li data-level=\"3\"><a href=\"#第一次握手-1\">"),
        "repeated headings get unique ids"
    );
    assert!(html.contains("<h2 id=\"三次握手的过程\">三次握手的过程<a class=\"heading-anchor\" href=\"#三次握手的过程\""));
    assert!(html.contains("<h3 id=\"第一次握手-1\">"));
    let udp = read(&out, "net/udp/index.html");
    assert!(
        udp.contains("<h2 id=\"datagram\">"),
        "explicit {{#id}} wins"
    );
}

#[test]
fn markdown_extensions_are_enabled() {
    let (_dir, out) = build("basic");
    let html = read(&out, "net/tcp-handshake/index.html");
    assert!(html.contains("<del>strike</del>"));
    assert!(html.contains("<table>"));
    assert!(html.contains("type=\"checkbox\" checked"));
    assert!(html.contains("class=\"footnote-definition\""));
}

#[test]
fn include_shows_the_anchor_with_every_marker_stripped() {
    let (_dir, out) = build("basic");
    let html = read(&out, "net/tcp-handshake/index.html");
    let figure = between(
        &html,
        "<figure class=\"code\" data-code=\"include\"",
        "</figure>",
    );
    assert!(figure.contains("data-src=\"snippets/demo.rs\""));
    assert!(figure.contains(
        "<figcaption><span class=\"src\">snippets/demo.rs</span> <code class=\"run\">cargo run --example demo</code></figcaption>"
    ));
    assert!(figure.contains("data-lang=\"rust\""));
    assert!(figure.contains(">serve</span>"));
    assert!(figure.contains("accept"));
    assert!(
        !figure.contains("ANCHOR"),
        "markers of all anchors are removed: {figure}"
    );
    assert!(
        !figure.contains("TcpListener;"),
        "lines outside the anchor are left out"
    );
}

#[test]
fn internal_links_resolve_to_pretty_urls() {
    let (_dir, out) = build("basic");
    let html = read(&out, "net/tcp-handshake/index.html");
    assert!(html.contains("<a href=\"/net/udp/#datagram\">UDP datagrams</a>"));
    assert!(html.contains("<a href=\"/conc/locks/\">locks</a>"));
    assert!(read(&out, "index.html").contains("<a href=\"/net/tcp-handshake/\">handshake</a>"));
}

#[test]
fn code_is_highlighted_with_classes_and_unknown_languages_fall_back() {
    let (_dir, out) = build("basic");
    let html = read(&out, "net/tcp-handshake/index.html");
    let rust = between(
        &html,
        "data-code=\"inline\" data-lang=\"rust\">",
        "</figure>",
    );
    assert!(rust.contains("<span class=\"C\">async</span>"), "{rust}");
    assert!(!rust.contains("style="), "class-based, no inline colours");
    let unknown = between(&html, "data-lang=\"klingon\">", "</figure>");
    assert!(
        unknown.contains("&lt;qapla&#39;&gt; &amp; bye"),
        "{unknown}"
    );
    assert!(!unknown.contains("<span"));
    assert!(html.contains("data-code=\"illustration\" data-lang=\"text\""));
    let light = read(&out, "css/syntax-light.css");
    let dark = read(&out, "css/syntax-dark.css");
    // Short classes (C is `keyword`, see src/markdown/highlight.rs), the same in both themes.
    assert!(!rust.contains("hl-keyword"), "{rust}");
    assert!(light.contains(".hl-code {") && dark.contains(".hl-code {"));
    assert!(light.contains("\n.C {") && dark.contains(".C {"), "{light}");
    assert_ne!(light, dark);
}

#[test]
fn sitemap_lists_every_page_and_robots_points_to_it() {
    let (_dir, out) = build("basic");
    let sitemap = read(&out, "sitemap.xml");
    for path in [
        "/",
        "/net/",
        "/net/udp/",
        "/net/tcp-handshake/",
        "/conc/",
        "/conc/locks/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.org{path}</loc>")),
            "{path} missing:\n{sitemap}"
        );
    }
    assert_eq!(sitemap.matches("<loc>").count(), 6);
    assert!(read(&out, "robots.txt").contains("Sitemap: https://example.org/sitemap.xml"));
}

#[test]
fn tags_and_aliases() {
    let (_dir, out) = build("basic");
    let network = read(&out, "tags/network/index.html");
    let list = between(&network, "<ol id=\"pages\">", "</ol>");
    assert!(list.contains("/net/udp/") && list.contains("/net/tcp-handshake/"));
    assert!(read(&out, "tags/index.html").contains("<a href=\"/tags/lock/\">lock</a> 1"));
    let alias = read(&out, "old/handshake/index.html");
    assert!(alias.contains("url=/net/tcp-handshake/"));
}

#[test]
fn chinese_and_symbol_tags_get_their_own_readable_pages() {
    let (_dir, out) = build("basic");
    // Each tag has its own folder, named with the tag itself, and shows its own name.
    let lock = read(&out, "tags/并发控制/index.html");
    assert!(lock.contains("<h1>并发控制</h1>") && lock.contains("/conc/locks/"));
    let transport = read(&out, "tags/传输层/index.html");
    assert!(transport.contains("<h1>传输层</h1>") && transport.contains("/net/udp/"));
    assert!(!transport.contains("/conc/locks/"));
    assert!(read(&out, "tags/c++/index.html").contains("<h1>C++</h1>"));
    // Links percent-encode the UTF-8 path segment; the index is still the index.
    let index = read(&out, "tags/index.html");
    assert!(
        index.contains("<a href=\"/tags/%E5%B9%B6%E5%8F%91%E6%8E%A7%E5%88%B6/\">并发控制</a> 1"),
        "{index}"
    );
    assert!(
        index.contains("<a href=\"/tags/c%2B%2B/\">C++</a> 1"),
        "{index}"
    );
    assert!(index.contains("<ul id=\"tags\">"));
    let page = read(&out, "conc/locks/index.html");
    assert!(page.contains("<a href=\"/tags/%E5%B9%B6%E5%8F%91%E6%8E%A7%E5%88%B6/\">并发控制</a>"));
}

#[test]
fn sub_path_base_url_prefixes_every_internal_link() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let mut options = common::options("basic", &out);
    options.base_url = Some("https://example.org/notes/".into());
    mianjing::build(&options).unwrap();
    let html = read(&out, "net/tcp-handshake/index.html");
    assert!(html.contains("href=\"/notes/css/style.css\""));
    assert!(html.contains("<a href=\"/notes/net/udp/#datagram\">"));
    assert!(
        html.contains("<a href=\"/notes/static-page/\">root</a>"),
        "root-relative Markdown links too"
    );
    assert!(html.contains("<a id=\"prev\" href=\"/notes/net/udp/\">"));
    for file in snapshot(&out) {
        let text = String::from_utf8_lossy(&file.1);
        for attr in ["href=\"/", "src=\"/"] {
            for (i, _) in text.match_indices(attr) {
                assert!(
                    text[i + attr.len() - 1..].starts_with("/notes/"),
                    "{}: un-prefixed link near {}",
                    file.0.display(),
                    &text[i..(i + 40).min(text.len())]
                );
            }
        }
    }
    assert!(read(&out, "sitemap.xml").contains("<loc>https://example.org/notes/net/udp/</loc>"));
}

#[test]
fn drafts_flag_includes_drafts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let mut options = common::options("basic", &out);
    options.drafts = true;
    mianjing::build(&options).unwrap();
    assert!(read(&out, "net/draft/index.html").contains("Draft page"));
}

#[test]
fn output_is_byte_identical_across_builds() {
    let (_a, first) = build("basic");
    let (_b, second) = build("basic");
    assert_eq!(snapshot(&first), snapshot(&second));
}

#[test]
fn rebuild_replaces_the_output_and_leaves_no_temporary_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    std::fs::create_dir_all(&out).unwrap();
    // An earlier build's output: it carries the marker.
    std::fs::write(out.join(".mianjing-output"), "").unwrap();
    std::fs::write(out.join("stale.html"), "old").unwrap();
    mianjing::build(&common::options("basic", &out)).unwrap();
    assert!(
        !out.join("stale.html").exists(),
        "the new output replaces the old one"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
}

#[test]
fn navigation_lists_only_the_current_sections_pages_and_nav_json_lists_all() {
    let (_dir, out) = build("basic");
    let nav = |file: &str| between(&read(&out, file), "<nav id=\"nav\">", "</nav>").to_string();
    let in_net = nav("net/udp/index.html");
    assert!(in_net.contains("/net/tcp-handshake/") && !in_net.contains("/conc/locks/"));
    let in_conc = nav("conc/index.html");
    assert!(in_conc.contains("/conc/locks/") && !in_conc.contains("/net/udp/"));
    // The page shown is marked in the list, and only it; a section page marks none.
    assert_eq!(in_net.matches("aria-current").count(), 1);
    assert!(in_net.contains(r#"<a class="nav-page" href="/net/udp/" aria-current="page">"#));
    let other = nav("net/tcp-handshake/index.html");
    assert!(
        other.contains(r#"<a class="nav-page" href="/net/tcp-handshake/" aria-current="page">"#)
    );
    assert!(other.contains(r#"<a class="nav-page" href="/net/udp/">"#));
    assert!(!in_conc.contains("aria-current"));
    // Every section is still listed, and the home page lists no page.
    let home = nav("index.html");
    assert!(home.contains("/net/") && home.contains("/conc/") && !home.contains("nav-page"));
    let all: Vec<[String; 2]> = serde_json::from_str(&read(&out, "nav.json")).unwrap();
    let urls: Vec<&str> = all.iter().map(|[_, url]| url.as_str()).collect();
    assert_eq!(urls, ["/net/udp/", "/net/tcp-handshake/", "/conc/locks/"]);
    assert_eq!(all[2][0], "conc/locks.md");
}

#[test]
fn output_is_the_same_on_one_thread_and_on_many() {
    // The real site: enough pages for threads to finish in different orders.
    let dir = tempfile::tempdir().unwrap();
    let build = |threads: &str| {
        let out = dir.path().join(format!("out-{threads}"));
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_mianjing"))
            .args(["--root", env!("CARGO_MANIFEST_DIR"), "build", "--output"])
            .arg(&out)
            .env("RAYON_NUM_THREADS", threads)
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        snapshot(&out)
    };
    let one = build("1");
    assert!(one.len() > 100);
    assert!(one == build("8"), "the output depends on the thread count");
}

/// Every HTML page of the basic fixture, so a change to any page shows as a diff in review.
#[test]
fn basic_fixture_pages_snapshot() {
    let (_dir, out) = build("basic");
    let mut all = String::new();
    for (path, bytes) in snapshot(&out) {
        if path.extension().is_some_and(|e| e == "html") {
            all.push_str(&format!("==> {}\n", path.display()));
            all.push_str(&String::from_utf8_lossy(&bytes));
            all.push('\n');
        }
    }
    insta::assert_snapshot!("basic_fixture_pages", all);
}

/// The real site built without its search index, at `base_url` instead of site.toml's if given.
fn build_real(base_url: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let options = mianjing::BuildOptions {
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        output: out.clone(),
        base_url: base_url.map(Into::into),
        no_search: true,
        ..Default::default()
    };
    mianjing::build(&options).unwrap_or_else(|e| panic!("{e}"));
    (dir, out)
}

/// Every HTML page under `out` but the redirects, as (output path, HTML).
fn html_pages(out: &Path) -> Vec<(String, String)> {
    snapshot(out)
        .into_iter()
        .map(|(path, bytes)| {
            let html = String::from_utf8_lossy(&bytes).into_owned();
            (path.display().to_string(), html)
        })
        .filter(|(name, html)| name.ends_with(".html") && !html.contains("http-equiv=\"refresh\""))
        .collect()
}

/// The real sidebar on every page: each section once, in the site's order, and the section the
/// page is in or is the index of open (its lines are rendered once per build and put together
/// around that one).
#[test]
fn every_real_page_lists_each_section_once_with_its_own_open() {
    let (_dir, out) = build_real(None);
    let pages = html_pages(&out);
    let list = |html: &str| {
        between(
            html,
            "<ul class=\"nav-sections\">",
            "<p class=\"sidebar-foot\">",
        )
        .to_string()
    };
    // Section URLs in order: closed lines, and the open section's overview link.
    let sections = |list: &str| -> Vec<String> {
        list.lines()
            .filter(|l| {
                (l.starts_with("<li><a href=\"") && l.contains("class=\"progress\""))
                    || l.starts_with("<li><a class=\"nav-overview\" href=\"")
            })
            .map(|l| between(l, "href=\"", "\"").to_string())
            .collect()
    };
    let home = list(&read(&out, "index.html"));
    let order = sections(&home);
    assert_eq!(order.len(), 11, "{home}");
    assert!(!home.contains("<details open>"));
    let mut opened = 0;
    for (name, html) in &pages {
        let list = list(html);
        assert_eq!(sections(&list), order, "{name}");
        let own = order
            .iter()
            .find(|url| name.starts_with(url.trim_start_matches('/')));
        match own {
            Some(url) => {
                opened += 1;
                assert_eq!(list.matches("<details open>").count(), 1, "{name}");
                let open = between(&list, "<details open>", "</details>");
                assert!(
                    open.contains(&format!("class=\"nav-overview\" href=\"{url}\"")),
                    "{name}: {open}"
                );
                // The page shown is marked, in its own section's list.
                assert_eq!(list.matches("aria-current=\"page\"").count(), 1, "{name}");
                assert!(open.contains("aria-current=\"page\""), "{name}");
            }
            None => assert!(!list.contains("<details"), "{name}"),
        }
    }
    assert!(opened > 100, "{opened} pages in a section");
}

/// The real site's templates, built for a sub-path: every page carries the tags that sharing a
/// link and adding the site to a home screen read, with absolute URLs under the sub-path.
#[test]
fn every_real_page_has_share_tags_with_absolute_urls() {
    let (_dir, out) = build_real(Some("https://example.org/notes/"));
    let attr = |html: &str, start: &str| between(html, start, "\"").to_string();
    let mut pages = 0;
    for (name, html) in html_pages(&out) {
        pages += 1;
        let canonical = attr(&html, "<link rel=\"canonical\" href=\"");
        let og_url = attr(&html, "<meta property=\"og:url\" content=\"");
        let image = attr(&html, "<meta property=\"og:image\" content=\"");
        for url in [&canonical, &og_url, &image] {
            assert!(
                url.starts_with("https://example.org/notes/"),
                "{name}: {url}"
            );
        }
        assert_eq!(canonical, og_url, "{name}");
        assert_eq!(image, "https://example.org/notes/share.png", "{name}");
        if let Some(dir) = name.strip_suffix("index.html") {
            if !name.starts_with("404") {
                // Non-ASCII folder names (Chinese tags) appear percent-encoded in URLs.
                let encoded: String = dir
                    .bytes()
                    .map(|b| {
                        if b.is_ascii() {
                            (b as char).to_string()
                        } else {
                            format!("%{b:02X}")
                        }
                    })
                    .collect();
                assert_eq!(
                    canonical,
                    format!("https://example.org/notes/{encoded}"),
                    "{name}"
                );
            }
        }
        for tag in [
            "<meta property=\"og:title\" content=\"",
            "<meta property=\"og:description\" content=\"",
        ] {
            assert!(!attr(&html, tag).trim().is_empty(), "{name}: {tag}");
        }
        let kind = attr(&html, "<meta property=\"og:type\" content=\"");
        assert!(kind == "article" || kind == "website", "{name}: {kind}");
        for needle in [
            "<meta name=\"twitter:card\" content=\"summary_large_image\">",
            "<meta name=\"theme-color\" content=\"#ffffff\" media=\"(prefers-color-scheme: light)\">",
            "<meta name=\"theme-color\" content=\"#14161a\" media=\"(prefers-color-scheme: dark)\">",
            "<link rel=\"manifest\" href=\"/notes/manifest.webmanifest\">",
            "<link rel=\"icon\" href=\"data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22%20",
            "<link rel=\"apple-touch-icon\" href=\"/notes/icons/apple-touch-icon.png\">",
        ] {
            assert!(html.contains(needle), "{name}: no {needle}");
        }
    }
    assert!(pages > 50, "{pages} pages");
    let page = read(&out, "tcp/close/index.html");
    assert!(page.contains("<meta property=\"og:type\" content=\"article\">"));
    // The manifest's URLs are relative to it, so it works under any sub-path.
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&out, "manifest.webmanifest")).unwrap();
    assert_eq!(manifest["start_url"], "./");
    assert_eq!(manifest["scope"], "./");
    assert_eq!(manifest["display"], "standalone");
    for icon in manifest["icons"].as_array().unwrap() {
        let src = icon["src"].as_str().unwrap();
        assert!(!src.starts_with('/') && out.join(src).is_file(), "{src}");
    }
    // The raster images have the sizes the tags and the manifest promise (PNG's IHDR).
    for (file, size) in [
        ("share.png", (1200, 630)),
        ("icons/icon-192.png", (192, 192)),
        ("icons/icon-512.png", (512, 512)),
        ("icons/apple-touch-icon.png", (180, 180)),
    ] {
        let png = std::fs::read(out.join(file)).unwrap();
        assert_eq!(&png[1..4], b"PNG", "{file}");
        let be = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
        assert_eq!((be(16), be(20)), size, "{file}");
    }
}

/// A site with the repo's templates and static files and one section of `n` pages; returns its output folder.
fn build_section_of(n: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["templates", "static"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
        common::copy_tree(&repo.join(dir), &root.join(dir));
    }
    std::fs::copy(site("basic").join("site.toml"), root.join("site.toml")).unwrap();
    let toml =
        read(&root, "site.toml").replace("sections = [\"net\", \"conc\"]", "sections = [\"big\"]");
    std::fs::write(root.join("site.toml"), toml).unwrap();
    let big = root.join("content/big");
    std::fs::create_dir_all(&big).unwrap();
    std::fs::write(
        root.join("content/_index.md"),
        "---\ntitle: Home\n---\nHome.\n",
    )
    .unwrap();
    std::fs::write(big.join("_index.md"), "---\ntitle: 大节\n---\nIntro.\n").unwrap();
    for i in 0..n {
        std::fs::write(
            big.join(format!("q{i:03}.md")),
            format!("---\ntitle: 第 {i} 题\nweight: {i}\n---\nAnswer {i}.\n"),
        )
        .unwrap();
    }
    let out = dir.path().join("public");
    let options = mianjing::BuildOptions {
        root,
        output: out.clone(),
        ..Default::default()
    };
    if let Err(e) = mianjing::build(&options) {
        panic!("build failed:\n{e}");
    }
    (dir, out)
}

#[test]
fn a_large_section_lists_the_neighbourhood_not_every_page() {
    let (_small_dir, small) = build_section_of(20);
    let (_large_dir, large) = build_section_of(120);
    let page = "big/q060/index.html";
    let (small_len, large_len) = (
        read(&small, "big/q010/index.html").len(),
        read(&large, page).len(),
    );
    assert!(
        (large_len as f64) < small_len as f64 * 1.1,
        "a page of a 120-page section is {large_len} bytes, of a 20-page one {small_len}"
    );
    let html = read(&large, page);
    let sidebar = between(&html, "<nav id=\"sidebar\"", "</nav>");
    assert!(
        sidebar.contains("href=\"/big/q060/\" data-key=\"big/q060.md\" aria-current=\"page\""),
        "{sidebar}"
    );
    for i in (50..=70).filter(|&i| i != 60) {
        assert!(
            sidebar.contains(&format!("href=\"/big/q{i:03}/\"")),
            "q{i:03}: {sidebar}"
        );
    }
    for i in [0, 49, 71, 119] {
        assert!(
            !sidebar.contains(&format!("href=\"/big/q{i:03}/\"")),
            "q{i:03}: {sidebar}"
        );
    }
    assert!(
        sidebar
            .contains("<a href=\"/big/\" data-nav-all=\"/big/nav.json\">查看本节全部 120 题</a>"),
        "{sidebar}"
    );
    // The first page lists itself and the 10 after it.
    let first = read(&large, "big/q000/index.html");
    assert!(first.contains("href=\"/big/q010/\"") && !first.contains("href=\"/big/q011/\""));
    let list: Vec<[String; 3]> = serde_json::from_str(&read(&large, "big/nav.json")).unwrap();
    assert_eq!(list.len(), 120);
    assert_eq!(
        list[7],
        [
            "第 7 题".to_string(),
            "/big/q007/".into(),
            "big/q007.md".into()
        ]
    );
    // A small section lists every page and has no nav.json of its own.
    let small_page = read(&small, "big/q010/index.html");
    assert!(
        small_page.contains("href=\"/big/q000/\"") && small_page.contains("href=\"/big/q019/\"")
    );
    assert!(!small_page.contains("data-nav-all"));
    assert!(!small.join("big/nav.json").exists());
}

#[test]
fn styles_and_scripts_are_linked_by_names_made_from_their_content() {
    let (_dir, out) = build_section_of(2);
    let html = read(&out, "big/q000/index.html");
    let mut linked = 0;
    for part in html
        .split(['"'])
        .filter(|p| p.ends_with(".css") || p.ends_with(".js"))
    {
        let rel = part.trim_start_matches('/');
        let bytes = std::fs::read(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let digest = mianjing::assets::digest(&bytes);
        let (stem, ext) = rel.rsplit_once('.').unwrap();
        assert!(
            stem.ends_with(&format!(".{}", &digest[..10])),
            "{rel} is not named after its content ({digest})"
        );
        // The plain name holds the same bytes, for templates that link it directly.
        let plain = format!("{}.{ext}", &stem[..stem.len() - 11]);
        assert_eq!(std::fs::read(out.join(&plain)).unwrap(), bytes, "{plain}");
        linked += 1;
    }
    assert_eq!(linked, 6, "four stylesheets and two scripts in {html}");
    // The offline list names the hashed files, not the plain copies, and sw.js its version.
    let list: serde_json::Value = serde_json::from_str(&read(&out, "offline.json")).unwrap();
    let files = list["files"].as_object().unwrap();
    assert!(files.contains_key("/big/q000/") && files.contains_key("/"));
    assert!(!files.contains_key("/css/site.css") && !files.contains_key("/sw.js"));
    assert!(files
        .keys()
        .any(|k| k.starts_with("/css/site.") && k != "/css/site.css"));
    let version = list["version"].as_str().unwrap();
    assert!(read(&out, "sw.js").starts_with(&format!("const VERSION = \"{version}\";")));
}
