//! The real site's content: every page complete and linked, every seed question covered, every
//! code block either included from `snippets/` (so the tests run it) or marked as an illustration.

use mianjing::{content, markdown, markdown::is_cjk, output::Output};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const TAGS: &[&str] = &[
    "TCP",
    "UDP",
    "IP",
    "HTTP",
    "HTTPS",
    "DNS",
    "Socket",
    "I/O",
    "代理",
    "负载均衡",
    "网络",
    "进程",
    "线程",
    "协程",
    "异步",
    "锁",
    "进程间通信",
    "Python",
    "Rust",
    "操作系统",
    "内存模型",
    "原子操作",
    "TLS",
    "缓存",
    "安全",
    "Web",
    "Linux",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

struct Loaded {
    site: content::Site,
    rendered: markdown::RenderedSite,
}

fn load() -> Loaded {
    // The same pipeline as a build, keeping every page's HTML: every `@/` link, anchor and
    // include is resolved, and any failure is an error here.
    let options = mianjing::BuildOptions {
        root: root().to_path_buf(),
        ..Default::default()
    };
    let (_, pipeline) = mianjing::Pipeline::run(&options, &Output::nowhere(), true)
        .unwrap_or_else(|e| panic!("{e}"));
    Loaded {
        site: pipeline.site,
        rendered: pipeline.rendered,
    }
}

#[test]
fn the_real_site_builds_and_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let options = |out: &str| mianjing::BuildOptions {
        root: root().to_path_buf(),
        output: dir.path().join(out),
        ..Default::default()
    };
    let first = mianjing::generate(&options("a"))
        .unwrap_or_else(|e| panic!("{e}"))
        .1;
    let second = mianjing::generate(&options("b")).unwrap().1;
    assert!(first == second, "two builds of the same input differ");
    assert!(first.len() > 100);
}

#[test]
fn every_page_is_complete() {
    let Loaded { site, rendered } = load();
    assert!(site.pages.len() >= 55, "{} pages", site.pages.len());
    let mut problems = Vec::new();
    for page in &site.pages {
        let m = &page.meta;
        let name = page.source.display();
        if m.description.trim().is_empty() {
            problems.push(format!("{name}: no description"));
        }
        if m.tags.is_empty() {
            problems.push(format!("{name}: no tags"));
        }
        for tag in &m.tags {
            if !TAGS.contains(&tag.as_str()) {
                problems.push(format!("{name}: tag `{tag}` is not in the controlled set"));
            }
        }
        match &m.answer {
            Some(a) if a.chars().filter(|c| is_cjk(*c)).count() >= 40 => {}
            _ => problems.push(format!("{name}: no 30-second answer")),
        }
        let text = &rendered[&page.key].text;
        let prose = text.body.chars().filter(|c| is_cjk(*c)).count();
        if prose < 400 {
            problems.push(format!("{name}: only {prose} Chinese characters of prose"));
        }
        let headings: Vec<&str> = text.headings.iter().map(String::as_str).collect();
        if !headings.contains(&"延伸阅读") {
            problems.push(format!("{name}: no 延伸阅读 section"));
        }
    }
    for page in site.all_pages() {
        let raw = std::fs::read_to_string(root().join(&page.source)).unwrap();
        for banned in ["TODO", "TBD", "FIXME", "XXX"] {
            if raw.contains(banned) {
                problems.push(format!("{}: contains {banned}", page.source.display()));
            }
        }
        for host in [
            "cnblogs.com",
            "csdn.net",
            "jianshu.com",
            "zhihu.com",
            "baike.baidu.com",
        ] {
            if raw.contains(host) {
                problems.push(format!(
                    "{}: links to the seed's references ({host})",
                    page.source.display()
                ));
            }
        }
        let html = &rendered[&page.key].html;
        for attr in ["href=\"http", "src=\"http", "href=\"//", "src=\"//"] {
            if html.contains(attr) {
                problems.push(format!(
                    "{}: external link or resource; link to pages of this site with @/",
                    page.source.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_seed_question_maps_to_an_existing_page() {
    let Loaded { site, .. } = load();
    let keys: BTreeSet<&str> = site.pages.iter().map(|p| p.key.as_str()).collect();
    let coverage = std::fs::read_to_string(root().join("content/coverage.tsv")).unwrap();
    let mut rows = 0;
    let mut covered = BTreeSet::new();
    for (n, line) in coverage.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (question, page) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("coverage.tsv:{}: no tab", n + 1));
        assert!(
            !question.trim().is_empty(),
            "coverage.tsv:{}: empty question",
            n + 1
        );
        assert!(
            keys.contains(page),
            "coverage.tsv:{}: {page} does not exist",
            n + 1
        );
        covered.insert(page);
        rows += 1;
    }
    assert!(rows >= 70, "{rows} seed questions listed");
    // A page that answers no seed question must say which questions it answers, so search
    // finds it by the way people ask.
    let unasked: Vec<&str> = site
        .pages
        .iter()
        .filter(|p| !covered.contains(p.key.as_str()) && p.meta.also_asked.is_empty())
        .map(|p| p.key.as_str())
        .collect();
    assert!(
        unasked.is_empty(),
        "pages that answer no seed question and list no also_asked: {unasked:?}"
    );
    // Where the seed notes are present (next to the repository), every question in them is listed.
    let seed = root().join("../shared/seed/interview-notes.zh.txt");
    let Ok(seed) = std::fs::read_to_string(&seed) else {
        // Said out loud rather than passed silently: without the notes, only the mapping to
        // pages above is checked.
        eprintln!(
            "note: {} is not next to the repository; the check that every listed question is a seed question was skipped",
            seed.display()
        );
        return;
    };
    {
        for line in coverage.lines().filter(|l| !l.starts_with('#')) {
            let question = line.split('\t').next().unwrap();
            assert!(seed.contains(question), "not a seed question: {question}");
        }
    }
}

#[test]
fn every_code_block_is_tested_code_or_an_illustration() {
    let Loaded { site, rendered } = load();
    let mut problems = Vec::new();
    let mut included: BTreeMap<String, usize> = BTreeMap::new();
    for page in site.all_pages() {
        let html = &rendered[&page.key].html;
        for (i, _) in html.match_indices("<figure class=\"code\"") {
            let tag = &html[i..i + html[i..].find('>').unwrap()];
            let kind = tag
                .split("data-code=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or("");
            match kind {
                "illustration" => {}
                "include" => {
                    let attr = |name: &str| {
                        tag.split(&format!("{name}=\""))
                            .nth(1)
                            .and_then(|s| s.split('"').next())
                            .unwrap_or("")
                            .to_string()
                    };
                    let file = attr("data-src");
                    if !file.starts_with("snippets/") {
                        problems.push(format!(
                            "{}: include from {file}, outside snippets/",
                            page.source.display()
                        ));
                    }
                    let caption = &html[i..i + html[i..].find("</figcaption>").unwrap_or(0)];
                    let run = caption
                        .split("<code class=\"run\">")
                        .nth(1)
                        .unwrap_or("")
                        .trim_end_matches("</code>");
                    if let Err(why) = run_command_shows(&file, run) {
                        problems.push(format!(
                            "{}: the code from {file} {why}",
                            page.source.display()
                        ));
                    }
                    *included.entry(file).or_default() += 1;
                }
                other => problems.push(format!(
                    "{}: code block `{other}` is neither included nor an illustration",
                    page.source.display()
                )),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Every Rust port is shown somewhere.
    for entry in std::fs::read_dir(root().join("snippets/src")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name == "lib.rs" || name == "test_support.rs" {
            continue;
        }
        let path = format!("snippets/src/{name}");
        assert!(
            included.contains_key(&path),
            "{path} is not shown on any page"
        );
    }
}

/// Whether `run`, the command under an included block, really runs the code from `file`: an
/// example that uses the file's module, the file's own tests, or the Python file itself.
fn run_command_shows(file: &str, run: &str) -> Result<(), String> {
    let stem = std::path::Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    if run.is_empty() {
        return Err("has no run command (include(…, run=\"…\"))".into());
    }
    if let Some(example) = run.strip_prefix("cargo run -p snippets --example ") {
        let source =
            std::fs::read_to_string(root().join(format!("snippets/examples/{example}.rs")))
                .map_err(|_| format!("names example `{example}`, which does not exist"))?;
        return if source.contains(&format!("snippets::{stem}")) {
            Ok(())
        } else {
            Err(format!(
                "names example `{example}`, which does not use `snippets::{stem}`"
            ))
        };
    }
    if let Some(filter) = run.strip_prefix("cargo test -p snippets ") {
        return if filter == format!("{stem}::") {
            Ok(())
        } else {
            Err(format!("runs the tests `{filter}`, not `{stem}::`"))
        };
    }
    match run.strip_prefix("python3 ") {
        Some(rest) if rest.split(' ').next() == Some(file) => Ok(()),
        _ => Err(format!("shows the command `{run}`, which does not run it")),
    }
}
