//! `mianjing new <section>/<slug>` on a copy of the `basic` fixture.

mod common;
use common::{copy_tree, site};
use mianjing::{scaffold, BuildOptions};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir(&root).unwrap();
    copy_tree(&site("basic"), &root);
    (dir, root)
}

fn new(root: &Path, page: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mianjing"))
        .arg("--root")
        .arg(root)
        .args(["new", page])
        .output()
        .unwrap()
}

#[test]
fn a_new_page_has_its_sections_weight_and_tags_and_the_site_still_builds() {
    let (_dir, root) = fixture();
    let made = scaffold::new_page(&root, "net/quic").unwrap();
    assert_eq!(made.path, Path::new("content/net/quic.md"));
    // net's pages weigh 10 and 20 (its draft, counted too, 0); two of its three have `network`.
    assert_eq!(made.weight, 30);
    assert_eq!(made.tags, ["network"]);
    let text = std::fs::read_to_string(root.join(&made.path)).unwrap();
    assert!(
        text.contains("\nweight: 30\n") && text.contains("\ntags: [network]\n"),
        "{text}"
    );
    for key in ["title:", "description:", "answer: |"] {
        assert!(text.contains(&format!("\n{key}")), "{key} missing:\n{text}");
    }
    // A page with placeholders still builds, so `serve` shows it while it is written.
    let options = BuildOptions {
        root: root.clone(),
        ..Default::default()
    };
    let (summary, files) = mianjing::generate(&options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(summary.pages, 4);
    assert!(files.contains_key(Path::new("net/quic/index.html")));
}

#[test]
fn an_existing_page_is_refused_and_left_alone() {
    let (_dir, root) = fixture();
    let path = root.join("content/net/udp.md");
    let before = std::fs::read(&path).unwrap();
    let out = new(&root, "net/udp.md");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: the page exists already"),
        "{stderr}"
    );
    assert!(stderr.contains("content/net/udp.md"), "{stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn an_unknown_section_or_a_bad_slug_is_refused_with_what_to_do() {
    let (_dir, root) = fixture();
    let out = new(&root, "tcp/quic");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("there is no section `tcp`"), "{stderr}");
    assert!(stderr.contains("the sections are: net, conc"), "{stderr}");
    let out = new(&root, "net/QUIC 协议");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is not a slug"), "{stderr}");
    assert!(!root.join("content/tcp").exists());
    assert_eq!(
        std::fs::read_dir(root.join("content/net")).unwrap().count(),
        4
    );
}

#[test]
fn the_command_says_what_it_made() {
    let (_dir, root) = fixture();
    let out = new(&root, "conc/semaphore");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("content/conc/semaphore.md"), "{stderr}");
    assert!(stderr.contains("replace every TODO"), "{stderr}");
    assert!(root.join("content/conc/semaphore.md").is_file());
}
