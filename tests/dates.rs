//! Page dates from the git history: the `basic` fixture copied into a fresh repository whose
//! commits have fixed dates, then built with `git_dates`.

mod common;
use common::{between, copy_tree, read, site};
use mianjing::BuildOptions;
use std::path::{Path, PathBuf};
use std::process::Command;

const FIRST: &str = "2026-01-05T09:00:00+08:00";
const SECOND: &str = "2026-03-10T20:30:00+08:00";

/// Runs git in `dir` with fixed dates and identity, so every run makes the same commits.
fn git(dir: &Path, args: &[&str], date: &str) {
    let status = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=测试", "-c", "user.email=t@example.org"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// The basic fixture in a temporary folder; `commits` makes it a repository whose first commit
/// holds everything and whose second changes only the snippet the TCP page includes.
fn fixture(commits: bool) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir(&root).unwrap();
    copy_tree(&site("basic"), &root);
    if commits {
        git(&root, &["init", "-q"], FIRST);
        git(&root, &["add", "."], FIRST);
        git(&root, &["commit", "-q", "-m", "first"], FIRST);
        let demo = root.join("snippets/demo.rs");
        let text = std::fs::read_to_string(&demo).unwrap();
        std::fs::write(&demo, format!("{text}\n// 改过\n")).unwrap();
        git(&root, &["commit", "-q", "-am", "second"], SECOND);
    }
    (dir, root)
}

fn build(root: &Path) -> (mianjing::Summary, PathBuf) {
    let out = root.parent().unwrap().join("public");
    let options = BuildOptions {
        root: root.to_path_buf(),
        output: out.clone(),
        git_dates: true,
        ..Default::default()
    };
    let summary = mianjing::build(&options).unwrap_or_else(|e| panic!("{e}"));
    (summary, out)
}

fn updated(out: &Path, page: &str) -> String {
    between(&read(out, page), "<p id=\"updated\">", "</p>").to_string()
}

#[test]
fn a_page_is_dated_by_its_latest_source_or_include_commit() {
    let (_dir, root) = fixture(true);
    let (summary, out) = build(&root);
    assert_eq!(summary.note, None);
    // The TCP page includes snippets/demo.rs, changed by the second commit.
    assert_eq!(
        updated(&out, "net/tcp-handshake/index.html"),
        format!("<time datetime=\"{SECOND}\">2026-03-10</time>")
    );
    assert_eq!(
        updated(&out, "net/udp/index.html"),
        format!("<time datetime=\"{FIRST}\">2026-01-05</time>")
    );
    assert!(read(&out, "index.html")
        .contains("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/atom.xml\">"));

    let sitemap = read(&out, "sitemap.xml");
    assert!(
        sitemap.contains(&format!(
            "<loc>https://example.org/net/tcp-handshake/</loc><lastmod>{SECOND}</lastmod>"
        )),
        "{sitemap}"
    );
    assert!(sitemap.contains(&format!(
        "<loc>https://example.org/conc/locks/</loc><lastmod>{FIRST}</lastmod>"
    )));
    assert_eq!(sitemap.matches("<lastmod>").count(), 6, "{sitemap}");

    // Newest first, ties by source key: tcp-handshake, then conc/locks before net/udp.
    let atom = read(&out, "atom.xml");
    let entries: Vec<&str> = atom.split("<entry>").skip(1).collect();
    assert_eq!(entries.len(), 3, "{atom}");
    let ids: Vec<&str> = entries
        .iter()
        .map(|e| between(e, "<id>", "</id>"))
        .collect();
    assert_eq!(
        ids,
        [
            "https://example.org/net/tcp-handshake/",
            "https://example.org/conc/locks/",
            "https://example.org/net/udp/",
        ]
    );
    assert_eq!(between(entries[0], "<updated>", "</updated>"), SECOND);
    assert!(entries[0].contains("<link rel=\"alternate\" type=\"text/html\" href=\"https://example.org/net/tcp-handshake/\"/>"));
    assert!(
        entries[0].contains("<title>三次握手</title>"),
        "{}",
        entries[0]
    );
    assert!(entries[0].contains("<summary>"), "{}", entries[0]);
    let head = atom.split("<entry>").next().unwrap();
    assert!(head.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert!(head.contains(&format!("<updated>{SECOND}</updated>")));
    assert!(head.contains("<id>https://example.org/</id>"));
    assert!(head.contains(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/atom.xml\"/>"
    ));
    assert!(head.contains("<author><name>"));
}

#[test]
fn uncommitted_edits_leave_the_dates_and_the_output_alone() {
    let (_dir, root) = fixture(true);
    let (_, out) = build(&root);
    let before = common::snapshot(&out);
    // Only commits count: an edit in the working tree, even of an included file, moves nothing.
    let demo = root.join("snippets/demo.rs");
    let text = std::fs::read_to_string(&demo).unwrap();
    std::fs::write(&demo, text.replace("// 改过", "// 又改过")).unwrap();
    let (_, out) = build(&root);
    let after = common::snapshot(&out);
    let dated = |files: &[(PathBuf, Vec<u8>)], name: &str| {
        files
            .iter()
            .find(|(p, _)| p == Path::new(name))
            .map(|(_, b)| b.clone())
    };
    for name in ["sitemap.xml", "atom.xml", "net/udp/index.html"] {
        assert_eq!(dated(&before, name), dated(&after, name), "{name}");
    }
    assert!(updated(&out, "net/tcp-handshake/index.html").contains(SECOND));
}

#[test]
fn outside_a_git_checkout_there_are_no_dates_no_feed_and_one_note() {
    let (_dir, root) = fixture(false);
    let (summary, out) = build(&root);
    let note = summary.note.expect("a note says why pages have no dates");
    assert!(note.contains("not a git checkout"), "{note}");
    assert_eq!(updated(&out, "net/tcp-handshake/index.html"), "");
    assert!(!out.join("atom.xml").exists());
    assert!(!read(&out, "index.html").contains("atom+xml"));
    let sitemap = read(&out, "sitemap.xml");
    assert!(
        !sitemap.contains("lastmod") && sitemap.contains("<loc>"),
        "{sitemap}"
    );
}

#[test]
fn a_shallow_clone_gives_no_dates_rather_than_wrong_ones() {
    let (dir, root) = fixture(true);
    let clone = dir.path().join("clone");
    let source = format!("file://{}", root.display());
    let status = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &source])
        .arg(&clone)
        .status()
        .unwrap();
    assert!(status.success());
    let (summary, out) = build(&clone);
    assert!(summary.note.unwrap().contains("shallow"));
    assert!(!out.join("atom.xml").exists());
}

#[test]
fn serve_reads_the_history_once_and_dates_pages_as_a_build_does() {
    let (_dir, root) = fixture(true);
    let (_, out) = build(&root);
    let mut session = mianjing::Session::new(BuildOptions {
        root: root.clone(),
        git_dates: true,
        ..Default::default()
    });
    session.rebuild(&[]).unwrap();
    // A later commit does not reach a running session: it keeps the dates it started with,
    // even through a full rebuild (an edit to front matter takes one).
    let page = root.join("content/net/udp.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("About UDP.", "About UDP!")).unwrap();
    git(
        &root,
        &["commit", "-q", "-am", "third"],
        "2026-05-01T00:00:00Z",
    );
    let rebuilt = session.rebuild(&[page]).unwrap();
    assert!(rebuilt.full);
    let served = |name: &str| String::from_utf8(session.files()[Path::new(name)].clone()).unwrap();
    assert!(served("atom.xml").contains("About UDP!"));
    assert_eq!(
        served("atom.xml").replace("About UDP!", "About UDP."),
        read(&out, "atom.xml")
    );
    assert!(served("net/tcp-handshake/index.html").contains(SECOND));
}
