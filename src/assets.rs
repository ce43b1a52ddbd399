//! The files of `static/` and the generated stylesheets, and their content-hashed names: every
//! stylesheet and script is written twice, as `css/site.css` and as `css/site.<hash>.css`, and
//! templates link the second through `asset(path="css/site.css")`. A changed file gets a new
//! name, so a browser never keeps a stale copy and a host may cache those names for ever.
//!
//! Known before any page renders (the names are in every page), written after the generated
//! files (a static file may not take a generated file's path).

use crate::error::{Diagnostic, Errors, Result};
use crate::output::Output;
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// What a `data:` URL must percent-encode to stay one attribute value: controls, space, quotes,
/// `#`, `%`, `<`, `>` (and every byte above ASCII).
const DATA_URL: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'\'')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>');

/// Extensions of the files that get a hashed name: the ones a page loads as it is shown.
const HASHED: &[&str] = &["css", "js"];

/// The static files and every asset's URL path.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Assets {
    /// Files read from `static/`: output path → bytes.
    pub statics: BTreeMap<PathBuf, Vec<u8>>,
    /// Every asset by its plain path (`css/site.css`, `favicon.svg`) → the path it is linked
    /// by (`css/site.0123456789.css`, `favicon.svg`).
    pub names: BTreeMap<String, String>,
}

impl Assets {
    /// Reads `root/static` and names its files and the `generated` ones (path, bytes).
    pub fn load(root: &Path, generated: &[(PathBuf, Vec<u8>)]) -> Result<Assets> {
        let statics = read_static(root)?;
        let names = statics
            .iter()
            .chain(generated.iter().map(|(p, b)| (p, b)))
            .map(|(path, bytes)| {
                let plain = slashed(path);
                let linked = hashed_name(path, bytes).unwrap_or_else(|| plain.clone());
                (plain, linked)
            })
            .collect();
        Ok(Assets { statics, names })
    }

    /// The output paths of the hashed copies (`css/site.0123456789.css`), plain path → hashed.
    pub fn hashed(&self) -> impl Iterator<Item = (&str, &str)> {
        self.names
            .iter()
            .filter(|(plain, linked)| plain != linked)
            .map(|(plain, linked)| (plain.as_str(), linked.as_str()))
    }

    /// Writes the static files and the hashed copies of the static ones; returns every path
    /// written. A static file with a generated file's path is an error naming it.
    pub fn write_static(&self, output: &Output) -> Result<Vec<PathBuf>> {
        let mut written = Vec::new();
        let mut errors = Errors::default();
        for (rel, bytes) in &self.statics {
            if output.contains(rel) {
                errors.push(
                    Diagnostic::in_file(
                        Path::new("static").join(rel),
                        "this file has the same path as a generated file",
                    )
                    .hint("rename or remove it from static/"),
                );
                continue;
            }
            let owner = format!("static/{}", rel.display());
            let mut put = |path: PathBuf| match output.put_as(path.clone(), bytes.clone(), &owner) {
                Ok(()) => written.push(path),
                Err(e) => errors.0.extend(e.0),
            };
            put(rel.clone());
            if let Some(hashed) = self
                .names
                .get(&slashed(rel))
                .filter(|h| **h != slashed(rel))
            {
                put(PathBuf::from(hashed));
            }
        }
        errors.into_result(written)
    }

    /// Registers the template functions `asset(path="css/site.css")`: the URL (base path
    /// included) a page links that asset by; and `data_url(path="favicon.svg")`: that SVG file
    /// as a `data:` URL. The icon is given that way because a browser fetches a linked icon on
    /// its own, after the page's script has run: through the offline worker, that fetch could
    /// restart an old deployment's worker just stopped to let the new one take over, and hold
    /// the handover back until the old one idles out (`src/offline/sw.js`).
    pub fn register(&self, tera: &mut tera::Tera, base_path: &str) {
        let svgs: HashMap<String, String> = self
            .statics
            .iter()
            .filter(|(path, _)| path.extension().is_some_and(|e| e == "svg"))
            .map(|(path, bytes)| {
                let url = percent_encoding::percent_encode(bytes, DATA_URL);
                (slashed(path), format!("data:image/svg+xml,{url}"))
            })
            .collect();
        tera.register_function(
            "data_url",
            move |args: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
                let path = args.get("path").and_then(|v| v.as_str()).unwrap_or_default();
                let url = svgs.get(path.trim_start_matches('/')).ok_or_else(|| {
                    tera::Error::msg(format!(
                        "data_url(path=\"{path}\"): there is no such SVG file under static/ (paths are relative to static/, e.g. favicon.svg)"
                    ))
                })?;
                Ok(url.clone().into())
            },
        );
        let names: HashMap<String, String> = self.names.clone().into_iter().collect();
        let base_path = base_path.to_string();
        tera.register_function(
            "asset",
            move |args: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
                let path = args.get("path").and_then(|v| v.as_str()).ok_or_else(|| {
                    tera::Error::msg("asset() takes path=\"…\", a file under static/")
                })?;
                let linked = names.get(path.trim_start_matches('/')).ok_or_else(|| {
                    tera::Error::msg(format!(
                        "asset(path=\"{path}\"): there is no such file under static/ (paths are relative to static/, e.g. css/site.css)"
                    ))
                })?;
                Ok(format!("{base_path}/{linked}").into())
            },
        );
    }
}

/// The first 16 hex digits of the SHA-256 of `bytes`: how the build names a file's content.
pub fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `css/site.css` with its content's digest → `css/site.0123456789.css`; `None` for a file that
/// keeps its name.
fn hashed_name(path: &Path, bytes: &[u8]) -> Option<String> {
    let ext = path.extension()?.to_str()?;
    if !HASHED.contains(&ext) {
        return None;
    }
    let plain = slashed(path);
    let stem = plain.strip_suffix(ext)?;
    Some(format!("{stem}{}.{ext}", &digest(bytes)[..10]))
}

/// A relative path with `/` separators, as URLs and templates write it.
fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Every file under `root/static`, by its path relative to that folder.
fn read_static(root: &Path) -> Result<BTreeMap<PathBuf, Vec<u8>>> {
    let dir = root.join("static");
    let mut files = BTreeMap::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    let mut errors = Errors::default();
    for entry in WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(Diagnostic::in_file("static/", format!("cannot read: {e}")));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .to_path_buf();
        match std::fs::read(entry.path()) {
            Ok(bytes) => {
                files.insert(rel, bytes);
            }
            Err(e) => errors.push(Diagnostic::in_file(
                Path::new("static").join(&rel),
                format!("cannot read: {e}"),
            )),
        }
    }
    errors.into_result(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stylesheets_and_scripts_get_the_digest_in_their_name() {
        let name = hashed_name(Path::new("css/site.css"), b"body{}").unwrap();
        assert!(
            name.starts_with("css/site.") && name.ends_with(".css"),
            "{name}"
        );
        assert_eq!(name.len(), "css/site.".len() + 10 + ".css".len());
        assert_ne!(
            name,
            hashed_name(Path::new("css/site.css"), b"body{ }").unwrap()
        );
        assert_eq!(hashed_name(Path::new("favicon.svg"), b"<svg/>"), None);
        assert_eq!(hashed_name(Path::new("LICENSE"), b"x"), None);
    }

    #[test]
    fn the_template_function_links_the_hashed_name_and_names_a_missing_file() {
        let generated = vec![(PathBuf::from("css/a.css"), b"a{}".to_vec())];
        let dir = tempfile::tempdir().unwrap();
        let assets = Assets::load(dir.path(), &generated).unwrap();
        let mut tera = tera::Tera::default();
        assets.register(&mut tera, "/sub");
        let html = tera
            .render_str("{{ asset(path=\"css/a.css\") }}", &tera::Context::new())
            .unwrap();
        assert_eq!(html, format!("/sub/{}", assets.names["css/a.css"]));
        assert!(html.starts_with("/sub/css/a.") && html != "/sub/css/a.css");
        let err = tera
            .render_str("{{ asset(path=\"css/b.css\") }}", &tera::Context::new())
            .unwrap_err();
        let chain = format!("{err:?}");
        assert!(chain.contains("css/b.css"), "{chain}");
    }

    #[test]
    fn an_svg_becomes_a_data_url_that_stays_one_attribute_value() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("static")).unwrap();
        let svg = "<svg viewBox=\"0 0 2 2\"><path fill=\"#0969da\" d='M0 0h2'/>图</svg>\n";
        std::fs::write(dir.path().join("static/i.svg"), svg).unwrap();
        std::fs::write(dir.path().join("static/i.png"), b"png").unwrap();
        let assets = Assets::load(dir.path(), &[]).unwrap();
        let mut tera = tera::Tera::default();
        assets.register(&mut tera, "");
        let url = tera
            .render_str("{{ data_url(path=\"i.svg\") }}", &tera::Context::new())
            .unwrap();
        let data = url.strip_prefix("data:image/svg+xml,").unwrap();
        assert!(
            !data.contains(['"', '\'', ' ', '#', '<', '>', '\n']),
            "{data}"
        );
        let decoded = percent_encoding::percent_decode_str(data)
            .decode_utf8()
            .unwrap();
        assert_eq!(decoded, svg);
        for missing in ["i.png", "none.svg"] {
            let err = tera
                .render_str(
                    &format!("{{{{ data_url(path=\"{missing}\") }}}}"),
                    &tera::Context::new(),
                )
                .unwrap_err();
            assert!(format!("{err:?}").contains(missing), "{err:?}");
        }
    }
}
