//! Search: the tokenizer agrees with the fixture the browser test also checks, the index is
//! deterministic, and the ranking finds the expected page in the top 3 on the real site.

use mianjing::search::parse::parse_query;
use mianjing::search::query::Index;
use mianjing::search::tokenize::{segments, shard_of, Segment};
use mianjing::search::{read_queries, title_matches};
use mianjing::BuildOptions;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The tokenizer's view of a string, in the shape `tests/data/tokenizer-cases.json` stores and
/// `tests/browser/search.test.mjs` recomputes with `search.js`.
fn describe(input: &str) -> Value {
    let q = parse_query(input);
    let terms = |list: &[mianjing::search::parse::QueryTerm]| {
        list.iter()
            .map(|t| {
                json!([
                    t.term,
                    t.prefix,
                    t.fuzzy,
                    shard_of(&t.term, 32),
                    shard_of(&t.term, 7)
                ])
            })
            .collect::<Vec<_>>()
    };
    json!({
        "input": input,
        "segments": segments(input).iter().map(|s| match s {
            Segment::Cjk(r) => format!("cjk:{r}"),
            Segment::Ascii(t) => format!("ascii:{t}"),
        }).collect::<Vec<_>>(),
        "clauses": terms(&q.clauses),
        "bonus": terms(&q.bonus),
        "runs": q.runs,
        "marks": q.marks,
    })
}

const CASES: &[&str] = &[
    "三次握手",
    "三次握",
    "TCP UDP 区别",
    "Rust 所有权",
    "HashMap 扩容",
    "TCP 粘包",
    "TCP粘包",
    "HashMap扩容",
    "epol",
    "epoll ",
    "TIME_WAIT",
    "time_wait 状态",
    "Content-Type",
    "thread_local!",
    "C++ 和 C#",
    "HTTP/2",
    "HTTP/2 与 HTTP/1.1",
    "2MSL",
    "304 Not Modified",
    "ＴＣＰ　粘包",
    "ｅｐｏｌｌ（边缘触发）",
    "get和post的区别",
    "锁",
    "死锁、活锁。",
    "x-forwarded-for:",
    "std::sync::Mutex<T>",
    "__init__",
    "...",
    "",
    "𠀀𠀁 extension-b",
    "Node.js 异步 I/O",
    "select()/poll()/epoll()",
    "192.168.1.1:8080",
    "SO_REUSEADDR 和 SO_REUSEPORT",
];

#[test]
fn tokenizer_matches_the_fixture_the_browser_checks() {
    let file = repo().join("tests/data/tokenizer-cases.json");
    let actual = Value::Array(CASES.iter().map(|c| describe(c)).collect());
    if std::env::var_os("UPDATE_TOKENIZER_CASES").is_some() {
        let text = serde_json::to_string_pretty(&actual).unwrap() + "\n";
        std::fs::write(&file, text).unwrap();
    }
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        actual, expected,
        "the tokenizer changed: check static/js/search.js does the same, then regenerate with UPDATE_TOKENIZER_CASES=1 cargo test --test search"
    );
}

#[test]
fn mixed_queries_keep_english_terms_whole() {
    for (q, english) in [
        ("Rust 所有权", "rust"),
        ("HashMap 扩容", "hashmap"),
        ("TCP 粘包", "tcp"),
        ("HashMap扩容", "hashmap"),
    ] {
        let parsed = parse_query(q);
        assert_eq!(parsed.clauses[0].term, english, "{q}");
        assert!(parsed.clauses[1..]
            .iter()
            .all(|t| t.term.chars().count() == 2));
    }
}

struct Built {
    _dir: tempfile::TempDir,
    path: PathBuf,
    index: Index,
}

/// The real site, built once for every ranking test.
fn real_site() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("public");
        mianjing::build(&BuildOptions {
            root: repo(),
            output: path.clone(),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("the real site does not build:\n{e}"));
        let index = Index::load(&path).unwrap();
        Built {
            _dir: dir,
            path,
            index,
        }
    })
}

fn hit_rate(index: &Index, file: &Path) -> (usize, usize, Vec<String>) {
    let queries = read_queries(&std::fs::read_to_string(file).unwrap());
    let mut misses = Vec::new();
    for (q, expected) in &queries {
        let hits = index.search(q).hits;
        let top: Vec<&str> = hits
            .iter()
            .take(3)
            .map(|h| index.docs[h.doc as usize].title.as_str())
            .collect();
        if !top.iter().any(|t| title_matches(t, expected)) {
            misses.push(format!("{q} → expected {expected}, got {top:?}"));
        }
    }
    (queries.len() - misses.len(), queries.len(), misses)
}

#[test]
fn shared_queries_find_the_page_in_the_top_3() {
    let built = real_site();
    let (ok, n, misses) = hit_rate(&built.index, &repo().join("tests/data/search-queries.tsv"));
    println!(
        "shared queries: {ok}/{n} in the top 3 ({:.1}%)",
        100.0 * ok as f64 / n as f64
    );
    assert!(
        ok * 100 >= n * 95,
        "top-3 hit rate below 95%:\n{}",
        misses.join("\n")
    );
}

#[test]
fn larger_query_set_hit_rate() {
    let built = real_site();
    let (ok, n, misses) = hit_rate(
        &built.index,
        &repo().join("tests/data/search-queries-extra.tsv"),
    );
    println!(
        "larger query set: {ok}/{n} in the top 3 ({:.1}%)\n{}",
        100.0 * ok as f64 / n as f64,
        misses.join("\n")
    );
    assert!(
        ok * 100 >= n * 90,
        "top-3 hit rate below 90%:\n{}",
        misses.join("\n")
    );
}

#[test]
fn partial_words_typos_and_prefixes_match() {
    let index = &real_site().index;
    let top = |q: &str| {
        index
            .search(q)
            .hits
            .first()
            .map(|h| index.docs[h.doc as usize].title.clone())
            .unwrap_or_default()
    };
    assert!(top("三次握").contains("三次握手"));
    assert!(top("epol").contains("epoll"));
    assert!(top("TIME_WAIT").contains("TIME_WAIT"));
    assert!(top("ngnix").contains("Nginx"));
    assert!(top("threading.local").contains("threading.local"));
    assert!(index.search("zzzzqqq").hits.is_empty());
}

/// Titles of the first `n` results of `q`.
fn top(q: &str, n: usize) -> Vec<String> {
    let index = &real_site().index;
    index
        .search(q)
        .hits
        .iter()
        .take(n)
        .map(|h| index.docs[h.doc as usize].title.clone())
        .collect()
}

#[test]
fn stock_phrases_weigh_less_than_the_real_terms() {
    // 有什么区别 used to count as four terms, so pages about any difference came first.
    let first = &top("进程和线程有什么区别", 1)[0];
    assert!(
        first.contains("多进程、多线程") || first.contains("多线程和多进程"),
        "{first}"
    );
    let q = mianjing::search::parse::parse_query_with(
        "进程和线程有什么区别",
        &mianjing::search::words::Words::builtin().stock,
    );
    let clauses: Vec<&str> = q.clauses.iter().map(|t| t.term.as_str()).collect();
    assert_eq!(clauses, ["进程", "线程"]);
    assert_eq!(q.words, ["进程", "线程"]);
    // A query of stock words alone still searches them.
    assert!(!real_site().index.search("为什么").hits.is_empty());
}

#[test]
fn a_title_holding_the_whole_query_wins() {
    // 线程池 put the digit-printing page (线程 in its title and 池 nowhere near) among the thread
    // pool pages. Now every page whose title holds the query comes before every page whose title
    // does not, for every query of both sets.
    let index = &real_site().index;
    let mut wrong = Vec::new();
    for file in ["search-queries.tsv", "search-queries-extra.tsv"] {
        let text = std::fs::read_to_string(repo().join("tests/data").join(file)).unwrap();
        for (q, _) in read_queries(&text) {
            let hits = index.search(&q).hits;
            let holds: Vec<bool> = hits
                .iter()
                .map(|h| title_holds(&index.docs[h.doc as usize].title, &q))
                .collect();
            if holds.windows(2).any(|w| !w[0] && w[1]) {
                wrong.push(q);
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:?}");
    assert!(top("线程池", 2).iter().all(|t| t.contains("线程池")));
}

/// Whether `title` holds every word of `q` (stock phrases left out), as the ranking sees it.
fn title_holds(title: &str, q: &str) -> bool {
    let words = &real_site().index.words;
    let parsed = mianjing::search::parse::parse_query_with(&words.fix_typos(q), &words.stock);
    let title: String = title
        .chars()
        .map(mianjing::search::tokenize::normalize)
        .collect();
    !parsed.words.is_empty() && parsed.words.iter().all(|w| title.contains(w.as_str()))
}

#[test]
fn the_url_slug_is_an_english_keyword() {
    let index = &real_site().index;
    let hits = index.search("handshake").hits;
    assert_eq!(index.docs[hits[0].doc as usize].path, "/tcp/handshake/");
    let hits = index.search("keepalived").hits;
    assert_eq!(index.docs[hits[0].doc as usize].path, "/proxy/keepalived/");
}

#[test]
fn common_typos_find_the_page() {
    let index = &real_site().index;
    let found = index.search("TCP 沾包");
    assert_eq!(found.text, "TCP 粘包");
    assert!(top("沾包", 1)[0].contains("粘包"));
}

#[test]
fn weak_matches_are_partial_and_the_long_tail_is_dropped() {
    let index = &real_site().index;
    // No page is about Bloom filters: the firewall page matches one term of four.
    let bloom = index.search("布隆过滤器");
    assert!(bloom.partial(), "{bloom:?}");
    assert!(!index.search("内存屏障").partial());
    // Pages matching one term of three (内存) used to follow the memory-ordering page by dozens.
    let barrier = index.search("内存屏障");
    assert!(barrier.hits.len() < 10, "{} results", barrier.hits.len());
    assert!(barrier.hits.iter().all(|h| h.matched >= 2));
    // 缺页中断 found the URL page through 页中, a pair spanning two words (网页中).
    let fault = index.search("缺页中断");
    assert!(fault
        .hits
        .iter()
        .all(|h| index.docs[h.doc as usize].path != "/http/url/"));
}

#[test]
fn index_is_deterministic() {
    let build = || {
        let (_, files) = mianjing::generate(&BuildOptions {
            root: repo(),
            output: PathBuf::from("unused"),
            ..Default::default()
        })
        .unwrap();
        files
            .into_iter()
            .filter(|(p, _)| p.starts_with("search"))
            .collect::<Vec<_>>()
    };
    let a = build();
    assert!(a.len() > 3);
    assert!(a == build(), "two builds wrote different search files");
    let written = &real_site().path;
    for (path, bytes) in &a {
        if path.starts_with("search/s") || path.ends_with("meta.json") {
            assert_eq!(
                &std::fs::read(written.join(path)).unwrap(),
                bytes,
                "{}",
                path.display()
            );
        }
    }
}

/// Snippets come from `search/d/<k>.json`: each page's prose sits at its place in its file
/// (`doc / f`, item `doc % f`), so a result never shows a neighbour's text.
#[test]
fn every_page_has_its_own_prose_for_snippets() {
    let dir = &real_site().path;
    let read = |p: &str| -> Value {
        serde_json::from_slice(&std::fs::read(dir.join(p)).unwrap()).unwrap()
    };
    let meta = read("search/meta.json");
    let per_file = meta["f"].as_u64().unwrap() as usize;
    assert!(per_file >= 1);
    let docs = meta["d"].as_array().unwrap();
    let files = std::fs::read_dir(dir.join("search/d")).unwrap().count();
    assert_eq!(files, docs.len().div_ceil(per_file));
    for (i, doc) in docs.iter().enumerate() {
        let texts = read(&format!("search/d/{}.json", i / per_file));
        let text = texts[i % per_file].as_str().unwrap();
        // The longest run of Han characters of the prose's first line is on the page itself.
        let first = text.lines().next().unwrap_or_default();
        let run = first
            .split(|c: char| !('\u{4e00}'..='\u{9fff}').contains(&c))
            .max_by_key(|r| r.chars().count())
            .unwrap_or_default();
        assert!(run.chars().count() >= 4, "page {i}: no prose in {first:?}");
        let path = doc[1].as_str().unwrap().trim_start_matches('/');
        let html = std::fs::read_to_string(dir.join(path).join("index.html")).unwrap();
        assert!(
            html.contains(run),
            "page {i} ({path}): {run:?} is not on the page"
        );
    }
}
