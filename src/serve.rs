//! `serve`: builds the site, serves it on a loopback port, rebuilds when a source changes and
//! reloads open pages. A failed rebuild keeps the last good output and shows the errors in the
//! page as an overlay (and in the terminal), so a contributor sees what to fix where they look.

use crate::{build, BuildOptions};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::sse::{Event, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use notify::{RecursiveMode, Watcher};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;
use tokio::sync::broadcast;

/// Where the injected script listens for reload and error messages.
const EVENTS_PATH: &str = "/__livereload";

/// Injected before `</body>` of every HTML page served: reload on a new build, show errors.
const CLIENT: &str = r#"<script>(function(){var s=new EventSource("/__livereload");s.addEventListener("reload",function(){location.reload()});s.addEventListener("failed",function(e){var d=document.getElementById("__build-errors")||document.body.appendChild(document.createElement("pre"));d.id="__build-errors";d.setAttribute("role","alert");d.style.cssText="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;margin:0;padding:1em;background:#300;color:#fdd;font:13px/1.5 monospace;z-index:9999;white-space:pre-wrap";d.textContent=e.data})})();</script>"#;

#[derive(Clone)]
struct AppState {
    site: PathBuf,
    events: broadcast::Sender<(String, String)>,
}

/// Builds, serves `options.output` on `127.0.0.1:port` (0: any free port) and watches sources.
pub fn serve(mut options: BuildOptions, port: u16) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e} (try another --port)"))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        // Links must work on the local server whatever base_url says.
        options.base_url = Some(format!("http://{address}"));
        rebuild(&options);
        let (events, _) = broadcast::channel(16);
        watch(options.clone(), events.clone())?;
        eprintln!("serving http://{address}/ (Ctrl-C to stop)");
        let state = AppState {
            site: options.output.clone(),
            events,
        };
        let app = Router::new()
            .route(EVENTS_PATH, get(live_events))
            .fallback(get(static_file))
            .with_state(state);
        axum::serve(listener, app).await.map_err(|e| e.to_string())
    })
}

/// Builds once and reports like `build` does; returns the diagnostics text on failure.
fn rebuild(options: &BuildOptions) -> Option<String> {
    match build(options) {
        Ok(summary) => {
            eprintln!(
                "built {} pages in {:.0} ms",
                summary.pages,
                summary.elapsed.as_secs_f64() * 1000.0
            );
            None
        }
        Err(errors) => {
            let text = errors.to_string();
            eprintln!("{text}build failed; still serving the last good build");
            Some(text)
        }
    }
}

/// Watches the site's sources on a thread; after a burst of changes settles, rebuilds and tells
/// every open page.
fn watch(options: BuildOptions, events: broadcast::Sender<(String, String)>) -> Result<(), String> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            let _ = tx.send(event.paths);
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    let root = &options.root;
    for name in ["site.toml", "content", "templates", "static", "snippets"] {
        let path = root.join(name);
        if path.exists() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        }
    }
    let output = options
        .output
        .canonicalize()
        .unwrap_or_else(|_| options.output.clone());
    std::thread::spawn(move || {
        let _watcher = watcher;
        while let Ok(first) = rx.recv() {
            let mut paths = first;
            // Editors write in bursts (temp file, rename, chmod): wait until it is quiet.
            while let Ok(more) = rx.recv_timeout(Duration::from_millis(80)) {
                paths.extend(more);
            }
            let relevant = paths
                .iter()
                .any(|p| !p.starts_with(&output) && !is_noise(p));
            if !relevant {
                continue;
            }
            let message = match rebuild(&options) {
                None => ("reload".to_string(), String::new()),
                Some(errors) => ("failed".to_string(), errors),
            };
            let _ = events.send(message);
        }
    });
    Ok(())
}

/// Editor swap files, build outputs and the like.
fn is_noise(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || path.components().any(|c| c.as_os_str() == "target")
}

async fn live_events(
    State(state): State<AppState>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.events.subscribe();
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok((kind, data)) => {
                    return Some((Ok(Event::default().event(kind).data(data)), receiver));
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(axum::response::sse::KeepAlive::default())
}

async fn static_file(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path();
    let decoded = percent_decode(path);
    let relative = Path::new(decoded.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return StatusCode::BAD_REQUEST.into_response();
    }
    let mut file = state.site.join(relative);
    if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, file) = if file.is_file() {
        (StatusCode::OK, file)
    } else {
        (StatusCode::NOT_FOUND, state.site.join("404.html"))
    };
    let Ok(mut bytes) = tokio::fs::read(&file).await else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let extension = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    if extension == "html" {
        let html = String::from_utf8_lossy(&bytes);
        let injected = match html.rfind("</body>") {
            Some(i) => format!("{}{CLIENT}{}", &html[..i], &html[i..]),
            None => format!("{html}{CLIENT}"),
        };
        bytes = injected.into_bytes();
    }
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type(extension))
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from(bytes))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

fn content_type(extension: &str) -> &'static str {
    match extension {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Decodes `%XX` escapes (Chinese heading ids and the like reach us encoded).
fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("/tcp/%E4%B8%89/"), "/tcp/三/");
        assert_eq!(percent_decode("/a%2"), "/a%2");
        assert_eq!(percent_decode("/a%zz"), "/a%zz");
    }
}
