//! HTTP: a request path resolved to an output file of the in-memory site (percent-decoded, kept
//! inside the site), the redirect of a folder named without its slash, the response with its
//! content type, and the live-reload client injected into every HTML page served.

use super::state::Shared;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The client injected before `</body>` of every HTML page served (never into `build` output).
const CLIENT_JS: &str = include_str!("client.js");

/// What a path segment of a `Location` header keeps unencoded (RFC 3986's unreserved set).
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A request path resolved to an output file.
#[derive(Debug, PartialEq, Eq)]
struct Resolved {
    /// Output path: `net/udp/index.html` for `/net/udp/`.
    file: String,
    /// The path names no folder explicitly (`/net/udp`): redirect if it is one.
    bare: bool,
}

/// Decodes and checks a request path; `None` if it could leave the site (`..`, `.`, NUL,
/// backslash) or is not UTF-8.
fn resolve(path: &str) -> Option<Resolved> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\0', '\\']) {
        return None;
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment == "." || segment == ".." {
            return None;
        }
        segments.push(segment);
    }
    let folder = segments.is_empty() || decoded.ends_with('/');
    let mut file = segments.join("/");
    if folder {
        if !file.is_empty() {
            file.push('/');
        }
        file.push_str("index.html");
    }
    Some(Resolved {
        file,
        bare: !folder,
    })
}

enum Found {
    File(Bytes),
    Folder,
    Missing(Option<Bytes>),
}

/// Every path but the event stream: a file of the served site, a redirect, or the 404 page.
pub(super) async fn serve_file(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let Some(resolved) = resolve(uri.path()) else {
        return plain(
            StatusCode::BAD_REQUEST,
            "400 bad request: the path must stay inside the site\n",
        );
    };
    let (found, id, built) = {
        let site = shared.site();
        let id = format!("{}.{}", shared.instance, site.generation);
        let folder = format!("{}/index.html", resolved.file);
        let found = if let Some(bytes) = site.files.get(&resolved.file) {
            Found::File(bytes.clone())
        } else if resolved.bare && site.files.contains_key(&folder) {
            Found::Folder
        } else {
            Found::Missing(site.files.get("404.html").cloned())
        };
        (found, id, site.generation > 0)
    };
    match found {
        Found::File(bytes) => respond(StatusCode::OK, &resolved.file, bytes, &id, false),
        Found::Folder => redirect_to_folder(&resolved.file, uri.query()),
        Found::Missing(_) if !built => {
            let page = Bytes::from_static(
                b"<!doctype html><html><head><meta charset=\"utf-8\"><title>Build failed</title></head>\
                  <body><h1>The site has not built yet</h1><p>The errors are shown below and in the \
                  terminal; this page reloads when they are fixed.</p></body></html>",
            );
            respond(
                StatusCode::SERVICE_UNAVAILABLE,
                "index.html",
                page,
                &id,
                true,
            )
        }
        Found::Missing(Some(page)) => respond(StatusCode::NOT_FOUND, "404.html", page, &id, true),
        Found::Missing(None) => plain(StatusCode::NOT_FOUND, "404 not found\n"),
    }
}

/// `/net/udp` → `/net/udp/`, built from the cleaned path `file`, never the raw one: `//host`
/// would send the browser to another site.
fn redirect_to_folder(file: &str, query: Option<&str>) -> Response {
    let path: Vec<String> = file
        .split('/')
        .map(|s| percent_encoding::utf8_percent_encode(s, PATH_SEGMENT).to_string())
        .collect();
    let location = match query {
        Some(query) => format!("/{}/?{query}", path.join("/")),
        None => format!("/{}/", path.join("/")),
    };
    Response::builder()
        .status(StatusCode::TEMPORARY_REDIRECT)
        .header(header::LOCATION, location)
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::empty())
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// A response for output file `file`: its type, no caching, and the client in HTML pages.
fn respond(status: StatusCode, file: &str, bytes: Bytes, id: &str, missing: bool) -> Response {
    let extension = file.rsplit_once('.').map_or("", |(_, e)| e);
    let body = if extension == "html" {
        Bytes::from(inject(&bytes, id, missing))
    } else {
        bytes
    };
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type(extension))
        .header(header::CACHE_CONTROL, "no-store")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .body(Body::from(body))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from(text))
        .unwrap_or_else(|_| status.into_response())
}

/// The page with the live-reload client before its last `</body>` (or at its end). The
/// `<script>` tag carries `data-mianjing="INSTANCE.GENERATION"`, and `data-missing` when the
/// page stands in for a path that has no file.
fn inject(html: &[u8], id: &str, missing: bool) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let tag = format!(
        "<script data-mianjing=\"{id}\"{}>{CLIENT_JS}</script>",
        if missing { " data-missing" } else { "" }
    );
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The `Content-Type` of a file by its extension: `mime_guess`'s first guess, text in UTF-8 (as
/// the site is written). A few of its first guesses are older names browsers treat worse, and
/// are set here to what the server sent before: `xml` (its `text/xml`), `mjs`, `map`, `md`
/// (shown, not downloaded), and the font types.
fn content_type(extension: &str) -> String {
    let extension = extension.to_ascii_lowercase();
    let mime = match extension.as_str() {
        "xml" => "application/xml",
        "mjs" => "text/javascript",
        "map" => "application/json",
        "md" => "text/plain",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        other => mime_guess::from_ext(other)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    };
    if mime.starts_with("text/") {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::super::events::EVENTS_PATH;
    use super::*;

    #[test]
    fn resolves_request_paths_inside_the_site_only() {
        let file = |f: &str, bare| {
            Some(Resolved {
                file: f.into(),
                bare,
            })
        };
        assert_eq!(resolve("/"), file("index.html", false));
        assert_eq!(resolve(""), file("index.html", false));
        assert_eq!(resolve("/net/udp/"), file("net/udp/index.html", false));
        assert_eq!(resolve("/net/udp"), file("net/udp", true));
        assert_eq!(resolve("/css/site.css"), file("css/site.css", true));
        assert_eq!(resolve("//css//site.css"), file("css/site.css", true));
        assert_eq!(resolve("/tcp/%E4%B8%89/"), file("tcp/三/index.html", false));
        assert_eq!(resolve("/a%41%2"), file("aA%2", true), "bad escapes stay");
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E%2FCargo.toml",
            "/css/../../Cargo.toml",
            "/./index.html",
            "/a%00b",
            "/..%5CCargo.toml",
            "/%FF",
        ] {
            assert_eq!(resolve(bad), None, "{bad}");
        }
    }

    #[test]
    fn redirects_from_the_cleaned_path() {
        let location = |file, query| {
            let response = redirect_to_folder(file, query);
            assert_eq!(response.status(), StatusCode::TEMPORARY_REDIRECT);
            response.headers()[header::LOCATION]
                .to_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(location("net/udp", Some("x=1")), "/net/udp/?x=1");
        assert_eq!(location("tcp/三", None), "/tcp/%E4%B8%89/");
    }

    #[test]
    fn injects_the_client_before_the_last_body_end() {
        let page = inject(b"<html><body><p>x</p></body></html>", "a.3", false);
        let page = String::from_utf8(page).unwrap();
        assert!(page.starts_with("<html><body><p>x</p><script data-mianjing=\"a.3\">"));
        assert!(page.ends_with("</script></body></html>"));
        assert!(page.contains(EVENTS_PATH));
        let page = String::from_utf8(inject(b"<p>no body</p>", "a.0", true)).unwrap();
        assert!(page.starts_with("<p>no body</p><script data-mianjing=\"a.0\" data-missing>"));
        let page = String::from_utf8(inject(b"<BODY>x</BODY>", "a.1", false)).unwrap();
        assert!(page.ends_with("</script></BODY>"));
        assert!(
            !CLIENT_JS.to_ascii_lowercase().contains("</script"),
            "the client cannot end its own tag"
        );
    }

    #[test]
    fn knows_the_content_types() {
        assert_eq!(content_type("html"), "text/html; charset=utf-8");
        assert_eq!(content_type("css"), "text/css; charset=utf-8");
        assert_eq!(content_type("js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("mjs"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("json"), "application/json");
        assert_eq!(content_type("xml"), "application/xml");
        assert_eq!(content_type("txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("SVG"), "image/svg+xml");
        assert_eq!(content_type("woff2"), "font/woff2");
        assert_eq!(content_type("webmanifest"), "application/manifest+json");
        assert_eq!(content_type("wasm"), "application/wasm");
        assert_eq!(content_type(""), "application/octet-stream");
    }
}
