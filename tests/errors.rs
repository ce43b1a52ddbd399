//! Bad input: every case under `tests/sites/bad-*` must fail with exit code 1, a message naming the
//! file and line, no panic, and a previous output folder left byte-for-byte as it was.

mod common;
use common::{copy_tree, site, snapshot};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    #[serde(default)]
    remove: Vec<String>,
    expect: Vec<Expect>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    message: String,
    location: String,
}

fn run(args: &[&str], root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mianjing"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap()
}

/// A work folder with `site/` (basic + overlay) and `public/` holding a previous build.
fn prepare(case_dir: &Path, case: &Case) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = dir.path().join("public");
    copy_tree(&site("basic"), &root);
    copy_tree(case_dir, &root);
    for path in &case.remove {
        std::fs::remove_dir_all(root.join(path)).unwrap();
    }
    std::fs::create_dir_all(out.join("old")).unwrap();
    // A folder an earlier build wrote carries the marker; a build may replace only such a folder.
    std::fs::write(out.join(".mianjing-output"), "").unwrap();
    std::fs::write(out.join("index.html"), "previous build").unwrap();
    std::fs::write(out.join("old/page.html"), "previous page").unwrap();
    (dir, root, out)
}

fn assert_reported(name: &str, what: &str, output: &Output, case: &Case) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{name} {what}: exit code; stderr:\n{stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{name}: panic:\n{stderr}"
    );
    for expect in &case.expect {
        assert!(
            stderr.contains(&expect.message),
            "{name} {what}: message `{}` missing in:\n{stderr}",
            expect.message
        );
        assert!(
            stderr.contains(&format!("--> {}", expect.location)),
            "{name} {what}: location `{}` missing in:\n{stderr}",
            expect.location
        );
    }
    // Every diagnostic, not just one of them, says what to do.
    let errors = stderr.lines().filter(|l| l.starts_with("error: ")).count();
    let helps = stderr.matches("\n  = help: ").count();
    assert!(
        errors > 0 && errors == helps,
        "{name} {what}: {errors} errors but {helps} say what to do:\n{stderr}"
    );
}

#[test]
fn every_bad_fixture_fails_cleanly_and_keeps_the_previous_output() {
    let sites = site("");
    let mut names: Vec<String> = std::fs::read_dir(&sites)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("bad-"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 20,
        "the bad fixtures are all there: {names:?}"
    );
    for name in names {
        let case_dir = sites.join(&name);
        let case: Case =
            toml::from_str(&std::fs::read_to_string(case_dir.join("case.toml")).unwrap()).unwrap();
        let (dir, root, out) = prepare(&case_dir, &case);
        let before = snapshot(&out);

        let build = run(&["build", "--output", out.to_str().unwrap()], &root);
        assert_reported(&name, "build", &build, &case);
        assert_eq!(
            snapshot(&out),
            before,
            "{name}: the previous output changed"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            leftovers.len(),
            2,
            "{name}: a temporary folder was left behind: {leftovers:?}"
        );

        let check = run(&["check"], &root);
        assert_reported(&name, "check", &check, &case);
        // The whole message, so a change to any word of it shows as a diff in review.
        insta::assert_snapshot!(name.clone(), String::from_utf8_lossy(&check.stderr));
    }
}

#[test]
fn the_basic_fixture_itself_builds_and_checks() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let build = run(
        &["build", "--output", out.to_str().unwrap()],
        &site("basic"),
    );
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let summary = String::from_utf8_lossy(&build.stderr);
    assert!(summary.contains("built 3 pages in 2 sections"), "{summary}");
    let check = run(&["check"], &site("basic"));
    assert!(check.status.success());
    assert!(String::from_utf8_lossy(&check.stderr).starts_with("checked 3 pages"));
}

#[test]
fn check_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_tree(&site("basic"), &root);
    let check = run(&["check"], &root);
    assert!(check.status.success());
    assert!(!root.join("public").exists());
    let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(entries.len(), 1);
}

#[test]
fn unwritable_output_is_an_error_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    // A regular file where the output's parent folder should be: no user can create it.
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, "keep me").unwrap();
    let out = blocker.join("public");
    let build = run(
        &["build", "--output", out.to_str().unwrap()],
        &site("basic"),
    );
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert_eq!(build.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("--> {}", out.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains("cannot create the temporary output folder"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&blocker).unwrap(), "keep me");
}

#[test]
fn huge_files_are_refused_and_hostile_markdown_stays_fast() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_tree(&site("basic"), &root);
    let net = root.join("content/net");
    let body = |title: &str, text: String| format!("---\ntitle: {title}\n---\n{text}\n");
    std::fs::write(
        net.join("quotes.md"),
        body("q", ">".repeat(100_000) + " deep"),
    )
    .unwrap();
    let list: String = (0..2000)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    std::fs::write(net.join("list.md"), body("l", list)).unwrap();
    std::fs::write(
        net.join("line.md"),
        body("line", "三次握手 `x` *y* [z](@/net/udp.md) ".repeat(30_000)),
    )
    .unwrap();
    std::fs::write(
        net.join("brackets.md"),
        body(
            "b",
            "[".repeat(50_000) + &"*a".repeat(50_000) + &"`".repeat(20_000),
        ),
    )
    .unwrap();
    std::fs::write(
        net.join("headings.md"),
        body("h", "## 标题\n\ntext\n\n".repeat(20_000)),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let check = run(&["check"], &root);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // Generous bound for a shared 2-core machine; the point is no quadratic blow-up (minutes).
    assert!(
        started.elapsed().as_secs() < 60,
        "took {:?}",
        started.elapsed()
    );

    std::fs::write(
        net.join("huge.md"),
        body("huge", "x".repeat(5 * 1024 * 1024)),
    )
    .unwrap();
    let check = run(&["check"], &root);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stderr.contains("the file is too large") && stderr.contains("--> content/net/huge.md"),
        "{stderr}"
    );
}

#[test]
fn check_prints_github_annotations_and_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_tree(&site("basic"), &root);
    copy_tree(&site("bad-link-missing-page"), &root);
    let file = root.join("content/net/udp.md");
    // The annotation names the file as GitHub sees it: from the working folder.
    let github = Command::new(env!("CARGO_BIN_EXE_mianjing"))
        .current_dir(dir.path())
        .args(["--root", "site", "check", "--format", "github"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&github.stdout);
    assert_eq!(github.status.code(), Some(1), "{stdout}");
    let annotation = stdout
        .lines()
        .find(|l| l.contains("nope.md"))
        .unwrap_or_else(|| panic!("no annotation in:\n{stdout}"));
    assert!(
        annotation.starts_with("::error file=site/content/net/udp.md,line=7,"),
        "{annotation}"
    );
    assert!(
        annotation.contains(",title=mianjing check::")
            && annotation.contains("::link to `@/net/nope.md`: no such page")
            && annotation.contains("%0Ahelp: `@/` links name a file"),
        "{annotation}"
    );
    assert!(!annotation.contains('\r'));

    let json = run(&["check", "--format", "json"], &root);
    assert_eq!(json.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&json.stdout);
    let objects: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let link = objects
        .iter()
        .find(|o| {
            o["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("link to `@/net/nope.md`: no such page"))
        })
        .unwrap_or_else(|| panic!("no such object in:\n{stdout}"));
    assert_eq!(link["file"], file.to_str().unwrap());
    assert_eq!(link["line"], 7);
    assert!(
        link["hint"].as_str().is_some_and(|h| !h.is_empty()),
        "{link}"
    );
    assert!(link.get("column").is_some());

    // The default stays the human format, on stderr.
    let human = run(&["check"], &root);
    assert_eq!(human.status.code(), Some(1));
    assert!(human.stdout.is_empty());
    assert!(String::from_utf8_lossy(&human.stderr).contains("--> content/net/udp.md:7"));
}
