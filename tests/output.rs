//! What `build` may write, replace and read: never a source folder or the site root, an existing
//! folder only if a build wrote it (or `--force`), no temporary folder left after an interrupt,
//! no read that never ends.

mod common;
use common::{copy_tree, site, snapshot};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mianjing"))
}

fn build(root: &Path, out: &Path, extra: &[&str]) -> Output {
    bin()
        .arg("--root")
        .arg(root)
        .arg("build")
        .arg("--output")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

/// The basic fixture copied into `<tmp>/site`, as a user's checkout with a `.git` folder.
fn checkout() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_tree(&site("basic"), &root);
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(root.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    (dir, root)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn an_output_that_would_replace_sources_is_refused_and_nothing_changes() {
    let (dir, root) = checkout();
    let before = snapshot(dir.path());
    let cases: Vec<(PathBuf, &str)> = vec![
        (root.clone(), "is the site root"),
        (root.join("."), "is the site root"),
        (dir.path().to_path_buf(), "contains the site root"),
        (root.join("content"), "is content/ or lies inside it"),
        (root.join("templates"), "is templates/ or lies inside it"),
        (root.join("static"), "is static/ or lies inside it"),
        (root.join("static/gen"), "is static/ or lies inside it"),
        (root.join("snippets"), "is snippets/ or lies inside it"),
        (root.join(".git"), "is .git/ or lies inside it"),
        (root.join("content/net/../../templates"), "is templates/"),
    ];
    for (out, expected) in cases {
        let result = build(&root, &out, &[]);
        let message = stderr(&result);
        assert_eq!(
            result.status.code(),
            Some(1),
            "{}: {message}",
            out.display()
        );
        assert!(message.contains(expected), "{}: {message}", out.display());
        assert!(message.contains("= help: "), "{message}");
        // --force never overrides these.
        let forced = build(&root, &out, &["--force"]);
        assert_eq!(forced.status.code(), Some(1), "{}", out.display());
        assert_eq!(snapshot(dir.path()), before, "{}", out.display());
    }
}

#[test]
fn a_folder_no_build_wrote_is_replaced_only_with_force() {
    let (dir, root) = checkout();
    let out = dir.path().join("mine");
    std::fs::create_dir_all(out.join("notes")).unwrap();
    std::fs::write(out.join("notes/todo.txt"), "my own file").unwrap();
    let refused = build(&root, &out, &[]);
    let message = stderr(&refused);
    assert_eq!(refused.status.code(), Some(1), "{message}");
    assert!(message.contains("no build wrote"), "{message}");
    assert!(message.contains("--force"), "{message}");
    assert_eq!(
        std::fs::read_to_string(out.join("notes/todo.txt")).unwrap(),
        "my own file"
    );

    // An empty folder is fine; so is a folder with the marker of an earlier build.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert!(build(&root, &empty, &[]).status.success());
    assert!(empty.join(".mianjing-output").is_file());
    assert!(empty.join("index.html").is_file());
    assert!(build(&root, &empty, &[]).status.success(), "a rebuild");

    let forced = build(&root, &out, &["--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(!out.join("notes").exists());
    assert!(out.join(".mianjing-output").is_file());
    assert!(build(&root, &out, &[]).status.success(), "now it is ours");
}

#[test]
fn temporary_folders_of_killed_builds_are_removed_by_the_next_build() {
    let (dir, root) = checkout();
    let out = dir.path().join("public");
    // What `kill -9` during a build leaves: the temporary folder of a process that is gone
    // (process ids above the kernel's maximum, 2^22, can't be running).
    let stale = [
        dir.path().join(".public.tmp-4194305"),
        dir.path().join(".public.old-4194306"),
    ];
    for folder in &stale {
        std::fs::create_dir_all(folder.join("tcp")).unwrap();
        std::fs::write(folder.join(".mianjing-output"), "").unwrap();
        std::fs::write(folder.join("tcp/index.html"), "half written").unwrap();
    }
    // A folder with such a name that no build wrote stays.
    let foreign = dir.path().join(".public.tmp-4194307");
    std::fs::create_dir_all(&foreign).unwrap();
    let result = build(&root, &out, &[]);
    assert!(result.status.success(), "{}", stderr(&result));
    for folder in &stale {
        assert!(!folder.exists(), "{} is left", folder.display());
    }
    assert!(foreign.exists());
}

/// Waits for `child`, killing it after `limit`.
fn wait_at_most(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("the process did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn temporary_folders(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect()
}

/// Interrupts a build of the real site (large enough to take a while) as soon as its temporary
/// folder appears. Whenever the signal lands, nothing temporary may remain afterwards.
fn interrupt(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let mut child = bin()
        .arg("--root")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg("build")
        .arg("--output")
        .arg(&out)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while temporary_folders(dir.path()).is_empty()
        && child.try_wait().unwrap().is_none()
        && started.elapsed() < Duration::from_secs(120)
    {
        std::thread::sleep(Duration::from_millis(1));
    }
    let sent = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(sent.success());
    let status = wait_at_most(&mut child, Duration::from_secs(120));
    assert!(
        temporary_folders(dir.path()).is_empty(),
        "{signal}: {:?} left behind (exit {status:?})",
        temporary_folders(dir.path())
    );
    // Either it finished before the signal (a complete output) or nothing was written.
    if out.exists() {
        assert!(out.join("index.html").is_file() && out.join(".mianjing-output").is_file());
    }
}

#[test]
fn ctrl_c_during_a_build_leaves_no_temporary_folder() {
    interrupt("INT");
}

#[test]
fn sigterm_during_a_build_leaves_no_temporary_folder() {
    interrupt("TERM");
}

#[test]
fn a_fifo_or_a_device_in_the_sources_is_an_error_not_a_hang() {
    let (dir, root) = checkout();
    let fifo = root.join("content/net/pipe.md");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let fifo_template = root.join("templates/partials/pipe.html");
    assert!(Command::new("mkfifo")
        .arg(&fifo_template)
        .status()
        .unwrap()
        .success());
    std::os::unix::fs::symlink("/dev/zero", root.join("snippets/zero.rs")).unwrap();
    let page = root.join("content/net/udp.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        format!("{text}\n{{{{ include(path=\"snippets/zero.rs\") }}}}\n"),
    )
    .unwrap();
    let out = dir.path().join("public");
    let mut child = bin()
        .arg("--root")
        .arg(&root)
        .arg("build")
        .arg("--output")
        .arg(&out)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_at_most(&mut child, Duration::from_secs(60));
    let mut message = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut message).unwrap();
    assert_eq!(status.code(), Some(1), "{message}");
    assert!(
        message.contains("not a regular file") && message.contains("--> content/net/pipe.md"),
        "{message}"
    );
    assert!(
        message.contains("--> templates/partials/pipe.html"),
        "{message}"
    );
    assert!(
        message.contains("include path `snippets/zero.rs` points outside the site root"),
        "{message}"
    );
    assert!(!out.exists());
}

#[test]
fn an_include_from_the_output_folder_is_refused() {
    let (dir, root) = checkout();
    let out = root.join("generated");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join(".mianjing-output"), "").unwrap();
    std::fs::write(out.join("x.rs"), "fn main() {}\n").unwrap();
    let page = root.join("content/net/udp.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        format!("{text}\n{{{{ include(path=\"generated/x.rs\") }}}}\n"),
    )
    .unwrap();
    let result = build(&root, &out, &[]);
    let message = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{message}");
    assert!(
        message.contains("lies in the output folder, which the build replaces"),
        "{message}"
    );
    assert!(out.join("x.rs").is_file());
    drop(dir);
}
