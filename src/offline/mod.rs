//! Offline reading: `offline.json`, the list of every file a reader's browser may load with its
//! digest, and `sw.js`, the service worker ([`WORKER_SOURCE`]) that keeps them, headed by the
//! build's version (the digest of that list) and the site's path. Made last, from the digests
//! of everything else the build wrote.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The list's output path.
pub const LIST: &str = "offline.json";
/// The worker's output path: at the site's root, so its scope is the whole site.
pub const WORKER: &str = "sw.js";
/// What the worker does (see the file).
pub const WORKER_SOURCE: &str = include_str!("sw.js");

/// Files a reader's browser never loads: for crawlers, or these two themselves.
const NOT_LISTED: &[&str] = &[LIST, WORKER, "sitemap.xml", "robots.txt"];

/// `offline.json` and `sw.js` for a build whose files have `digests` (output path → digest).
/// `plain`: paths a page never links (the unhashed copies of hashed assets), left out;
/// `shell`: paths the worker keeps from the first visit on.
pub fn files(
    digests: &BTreeMap<PathBuf, String>,
    base_path: &str,
    plain: &[&str],
    shell: &[&str],
) -> Vec<(PathBuf, Vec<u8>)> {
    // By URL (a sorted list, not a map: `serve` makes this after every edit, for every file).
    let mut listed: Vec<(String, &str)> = digests
        .iter()
        .filter(|(path, _)| {
            let p = path.to_string_lossy();
            !NOT_LISTED.contains(&p.as_ref()) && !plain.contains(&p.as_ref())
        })
        .map(|(path, digest)| (url_path(base_path, path), digest.as_str()))
        .collect();
    // Nearly in order already (paths sort by folder): the stable sort's runs make it quick.
    listed.sort();
    let mut lines = String::with_capacity(listed.len() * 64);
    for (url, digest) in &listed {
        for part in [url.as_str(), "\0", digest, "\n"] {
            lines.push_str(part);
        }
    }
    let version = crate::assets::digest(lines.as_bytes());
    let shell: Vec<String> = shell
        .iter()
        .map(|p| url_path(base_path, Path::new(p)))
        .filter(|url| listed.binary_search_by(|(u, _)| u.cmp(url)).is_ok())
        .collect();
    // Serialised as it is borrowed; the fields in the order of their names, as the list has
    // always been written.
    #[derive(serde::Serialize)]
    struct List<'a> {
        files: UrlMap<'a>,
        shell: &'a [String],
        version: &'a str,
    }
    let list = List {
        files: UrlMap(&listed),
        shell: &shell,
        version: &version,
    };
    let worker = format!(
        "const VERSION = {};\nconst BASE = {};\n{WORKER_SOURCE}",
        serde_json::Value::from(version.as_str()),
        serde_json::Value::from(base_path)
    );
    vec![
        (
            PathBuf::from(LIST),
            serde_json::to_vec(&list).unwrap_or_default(),
        ),
        (PathBuf::from(WORKER), worker.into_bytes()),
    ]
}

/// Sorted `(url, digest)` pairs, written as a JSON object.
struct UrlMap<'a>(&'a [(String, &'a str)]);

impl serde::Serialize for UrlMap<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(url, digest)| (url, digest)))
    }
}

/// The URL path (decoded) an output file is loaded by: `tcp/a/index.html` → `/notes/tcp/a/`.
fn url_path(base_path: &str, path: &Path) -> String {
    let p = path.to_string_lossy();
    let p = match p.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with(['/', '\\']) => dir,
        _ => &p,
    };
    let mut url = String::with_capacity(base_path.len() + 1 + p.len());
    url.push_str(base_path);
    url.push('/');
    url.push_str(p);
    if p.contains('\\') {
        url = url.replace('\\', "/");
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digests(paths: &[(&str, &str)]) -> BTreeMap<PathBuf, String> {
        paths
            .iter()
            .map(|(p, d)| (PathBuf::from(p), d.to_string()))
            .collect()
    }

    #[test]
    fn lists_pages_by_url_and_the_version_follows_the_content() {
        let a = digests(&[
            ("index.html", "01"),
            ("tcp/a/index.html", "02"),
            ("css/site.css", "03"),
            ("css/site.0123456789.css", "03"),
            ("sitemap.xml", "04"),
        ]);
        let out = files(
            &a,
            "/notes",
            &["css/site.css"],
            &["index.html", "missing.js"],
        );
        let list: serde_json::Value = serde_json::from_slice(&out[0].1).unwrap();
        let listed = list["files"].as_object().unwrap();
        let urls: Vec<&str> = listed.keys().map(String::as_str).collect();
        assert_eq!(
            urls,
            ["/notes/", "/notes/css/site.0123456789.css", "/notes/tcp/a/"]
        );
        assert_eq!(list["shell"], serde_json::json!(["/notes/"]));
        let worker = String::from_utf8(out[1].1.clone()).unwrap();
        let version = list["version"].as_str().unwrap();
        assert!(worker.starts_with(&format!(
            "const VERSION = \"{version}\";\nconst BASE = \"/notes\";\n"
        )));

        let mut b = a.clone();
        b.insert("tcp/a/index.html".into(), "05".into());
        let again = files(&b, "/notes", &["css/site.css"], &[]);
        let list_b: serde_json::Value = serde_json::from_slice(&again[0].1).unwrap();
        assert_ne!(list_b["version"], list["version"]);
        // Files no page loads do not make a new version.
        let mut c = a.clone();
        c.insert("sitemap.xml".into(), "06".into());
        c.insert("css/site.css".into(), "07".into());
        let list_c: serde_json::Value =
            serde_json::from_slice(&files(&c, "/notes", &["css/site.css"], &[])[0].1).unwrap();
        assert_eq!(list_c["version"], list["version"]);
    }
}
