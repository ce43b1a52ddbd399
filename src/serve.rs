//! `serve`: builds the site into memory, serves it on a loopback port, rebuilds when a source
//! changes and reloads the open pages that the change touched, keeping their scroll position.
//! A failed rebuild keeps the last good site and shows the errors in the terminal and as an
//! overlay in every open page, so a contributor sees what to fix where they look.
//!
//! Threads: the HTTP server (tokio) reads the served files from [`Shared`]; one builder thread
//! owns the [`Session`] and the file watcher, debounces the watcher's events, rebuilds, copies
//! only the changed output files into [`Shared`] and announces the build on the event stream.
//!
//! The event stream (`/__livereload`, server-sent events), the protocol of the injected client:
//! * `reload`, id `INSTANCE.GENERATION`, data `{"changed":[output paths],"removed":[…]}` or
//!   `{"all":true}`: a build succeeded (GENERATION counts them; INSTANCE names this process).
//!   A page reloads only if its own HTML or a file it uses changed; a changed stylesheet is
//!   swapped in place. Every `reload` clears the error overlay.
//! * `failed`, data: the diagnostics text: a build failed; the last good site is still served.
//! * on connect: `?since=INSTANCE.GENERATION` (the generation the page was served at, injected
//!   into it) or the `Last-Event-ID` header of a reconnecting `EventSource` gets a catch-up
//!   `reload` of everything that changed since, then `failed` if the last build failed, else the
//!   comment `: ready`. So a page that connects late, reconnects, or was hidden (pages drop the
//!   connection while hidden: browsers allow only six per server) misses nothing.

use crate::error::Errors;
use crate::{BuildOptions, Rebuilt, Session};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::convert::Infallible;
use std::io::ErrorKind;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// Where the injected client listens for reload and error messages.
const EVENTS_PATH: &str = "/__livereload";

/// A burst of changes (an editor's temp file, rename and chmod) is over after this much quiet.
const QUIET: Duration = Duration::from_millis(8);

/// A stream of changes that never goes quiet (a large checkout) is built at least this often.
const CAP: Duration = Duration::from_millis(100);

/// A build that changed more output files than this tells pages to reload, whatever they show.
const MAX_LISTED: usize = 1000;

/// Builds remembered for clients that catch up (reconnect, or connect late).
const HISTORY: usize = 64;

/// At most this many diagnostics are shown; the rest are counted.
const MAX_SHOWN: usize = 50;

/// Top-level entries of the site root whose changes trigger a rebuild.
const SOURCES: [&str; 5] = ["site.toml", "content", "templates", "static", "snippets"];

/// The client injected before `</body>` of every HTML page served (never into `build` output).
/// Its `<script>` tag carries `data-mianjing="INSTANCE.GENERATION"`, and `data-missing` when it is
/// the 404 page (or the not-built-yet page) served for a path that has no file.
const CLIENT_JS: &str = r#"(function(){
var me=document.currentScript,id=me.getAttribute("data-mianjing"),missing=me.hasAttribute("data-missing");
var key="mianjing-scroll:"+location.pathname,es=null;
try{var y=sessionStorage.getItem(key);if(y!==null){sessionStorage.removeItem(key);var back=function(){scrollTo(0,+y)};back();addEventListener("load",back)}}catch(e){}
function out(p){try{p=decodeURIComponent(p)}catch(e){}p=p.replace(/^\/+/,"");return p===""||p.slice(-1)==="/"?p+"index.html":p}
function reload(){try{sessionStorage.setItem(key,String(scrollY))}catch(e){}location.reload()}
function used(){var u={};u[out(location.pathname)]=1;if(missing)u["404.html"]=1;
document.querySelectorAll('link[rel~="stylesheet"][href],link[rel~="icon"][href],script[src],img[src]').forEach(function(e){var a=new URL(e.href||e.src,location.href);if(a.origin===location.origin)u[out(a.pathname)]=1});return u}
function swap(css){document.querySelectorAll('link[rel~="stylesheet"][href]').forEach(function(l){var a=new URL(l.href,location.href);if(a.origin!==location.origin||css.indexOf(out(a.pathname))<0)return;a.searchParams.set("__v",Date.now());var n=l.cloneNode();n.href=a.href;n.onload=n.onerror=function(){l.remove()};l.after(n)})}
function overlay(text){var d=document.getElementById("__mianjing-errors");if(text===null){if(d)d.remove();return}
if(!d){d=document.createElement("pre");d.id="__mianjing-errors";d.setAttribute("role","alert");d.style.cssText="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;margin:0;padding:1em;background:#300;color:#fdd;font:13px/1.5 monospace;z-index:2147483647;white-space:pre-wrap";document.body.appendChild(d)}
d.textContent="Build failed; this page shows the last good build.\n\n"+text}
function onReload(e){if(e.lastEventId)id=e.lastEventId;overlay(null);var m={};try{m=JSON.parse(e.data)}catch(x){}if(m.all)return reload();
var u=used(),css=[],page=false;(m.changed||[]).forEach(function(p){if(u[p]){if(/\.css$/.test(p))css.push(p);else page=true}});(m.removed||[]).forEach(function(p){if(u[p])page=true});
if(page)reload();else if(css.length)swap(css)}
function connect(){if(es)return;es=new EventSource("/__livereload?since="+encodeURIComponent(id));es.addEventListener("reload",onReload);es.addEventListener("failed",function(e){overlay(e.data)})}
function disconnect(){if(es){es.close();es=null}}
document.addEventListener("visibilitychange",function(){if(document.hidden)disconnect();else connect()});
addEventListener("pagehide",disconnect);addEventListener("pageshow",function(){if(!document.hidden)connect()});
if(!document.hidden)connect();
})();"#;

/// Where and how `serve` listens.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on: loopback unless asked otherwise.
    pub interface: IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Open the site in the browser once it is built.
    pub open: bool,
}

/// What the HTTP handlers read while the builder thread writes.
struct Shared {
    /// Names this process in event ids, so a page served by an earlier `serve` reloads.
    instance: String,
    site: RwLock<Site>,
    events: broadcast::Sender<Message>,
}

/// The served site: the last good build and what the last builds changed.
#[derive(Default)]
struct Site {
    /// Output files by path relative to the output root (`net/udp/index.html`), as built.
    files: HashMap<String, Bytes>,
    /// Successful builds so far (0: none yet).
    generation: u64,
    /// The diagnostics of the last build if it failed.
    failure: Option<Arc<str>>,
    /// The last builds' changes, oldest first, for clients that catch up.
    history: VecDeque<Changes>,
}

/// Changed and removed output paths.
type Listed = (Vec<String>, Vec<String>);

/// What one successful build changed; `None`: too many to list.
struct Changes {
    generation: u64,
    paths: Option<Listed>,
}

/// One message for every open event stream.
#[derive(Clone)]
enum Message {
    Reload { generation: u64, data: Arc<str> },
    Failed(Arc<str>),
}

/// Builds `options` into memory and serves it until the process is interrupted.
pub fn serve(mut options: BuildOptions, serve: ServeOptions) -> Result<(), String> {
    options.root = options
        .root
        .canonicalize()
        .map_err(|e| format!("cannot open the site root {}: {e}", options.root.display()))?;
    let listener = bind(SocketAddr::new(serve.interface, serve.port))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let url = format!("http://{}/", browsable(address));
    // Links and absolute URLs (sitemap, canonical) must point at this server, whatever
    // site.toml's base_url says.
    options.base_url = Some(url.trim_end_matches('/').to_string());
    // Watch before the first build, so nothing saved during it is missed.
    let watch = Watch::start(&options.root)?;
    let (events, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        instance: instance_id(),
        site: RwLock::new(Site::default()),
        events,
    });
    let mut session = Session::new(options);
    let started = Instant::now();
    match session.rebuild(&[]) {
        Ok(rebuilt) => {
            let summary = &rebuilt.summary;
            eprintln!(
                "built {} pages in {} sections ({} files) in {:.0} ms",
                summary.pages,
                summary.sections,
                summary.files,
                millis(started.elapsed())
            );
            publish(&session, &shared, &rebuilt);
        }
        Err(errors) => fail(&shared, &errors),
    }
    {
        let shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("serve-builder".into())
            .spawn(move || builder(session, watch, &shared))
            .map_err(|e| format!("cannot start the builder thread: {e}"))?;
    }
    if !address.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone who can reach this machine can read the preview",
            address.ip()
        );
    }
    eprintln!("serving {url} (Ctrl-C to stop)");
    if serve.open {
        open_browser(&url);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| format!("cannot listen on {address}: {e}"))?;
        let app = Router::new()
            .route(EVENTS_PATH, get(live_events))
            .fallback(get(serve_file))
            .with_state(shared);
        axum::serve(listener, app)
            .await
            .map_err(|e| format!("server stopped: {e}"))
    })
}

/// Binds the listening socket, explaining the usual failures.
fn bind(address: SocketAddr) -> Result<std::net::TcpListener, String> {
    let listener = std::net::TcpListener::bind(address).map_err(|e| {
        let port = address.port();
        let ip = address.ip();
        match e.kind() {
            ErrorKind::AddrInUse => {
                let other = port
                    .checked_add(1)
                    .map(|p| format!("--port {p}, or "))
                    .unwrap_or_default();
                format!(
                    "port {port} on {ip} is already in use (another `serve` running?); choose \
                     another with {other}--port 0 for any free port"
                )
            }
            ErrorKind::AddrNotAvailable => {
                format!("cannot listen on {ip}: not an address of this machine ({e}); check --interface")
            }
            ErrorKind::PermissionDenied => format!(
                "not allowed to listen on port {port} ({e}); choose another with --port, e.g. --port 1111"
            ),
            _ => format!("cannot listen on {address}: {e}"),
        }
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("cannot listen on {address}: {e}"))?;
    Ok(listener)
}

/// The address a browser on this machine reaches `address` at (`0.0.0.0` is not one).
fn browsable(address: SocketAddr) -> SocketAddr {
    match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv4Addr::LOCALHOST.into(), address.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv6Addr::LOCALHOST.into(), address.port())
        }
        _ => address,
    }
}

/// Tells this process apart from an earlier `serve` (its pages reload on reconnect).
fn instance_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{:x}{:x}", std::process::id(), nanos & 0xffff_ffff_ffff)
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Opens `url` in the default browser; failing to is only a warning.
fn open_browser(url: &str) {
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    let url = url.to_string();
    let _ = std::thread::Builder::new()
        .name("serve-open".into())
        .spawn(move || {
            let status = std::process::Command::new(program)
                .args(args)
                .arg(&url)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status();
            match status {
                Ok(status) if status.success() => {}
                Ok(status) => eprintln!(
                    "warning: could not open a browser ({program} exited with {status}); open {url} yourself"
                ),
                Err(e) => eprintln!(
                    "warning: could not open a browser ({program}: {e}); open {url} yourself"
                ),
            }
        });
}

// --- building ------------------------------------------------------------------------------------

/// The builder thread: waits for a burst of changes, rebuilds, publishes; changes saved during a
/// rebuild wait in the channel and make the next round.
fn builder(mut session: Session, mut watch: Watch, shared: &Shared) {
    while let Some(batch) = watch.next_batch() {
        let started = Instant::now();
        let paths: Vec<PathBuf> = if batch.everything {
            Vec::new()
        } else {
            batch.paths.iter().cloned().collect()
        };
        match session.rebuild(&paths) {
            Ok(rebuilt) => {
                publish(&session, shared, &rebuilt);
                let (pages, after) = (started.elapsed(), batch.first.elapsed());
                // Open pages reload now; the search index follows.
                let index = session.refresh_search();
                if let Some(index) = &index {
                    update_quietly(&session, shared, index);
                }
                eprintln!(
                    "rebuilt in {:.0} ms ({:.0} ms after the change): {} changed, {} removed · {}{}",
                    millis(pages),
                    millis(after),
                    rebuilt.changed.len(),
                    rebuilt.removed.len(),
                    describe(&batch, session.options().root.as_path()),
                    index.map_or_else(String::new, |i| format!(
                        "; search index in {:.0} ms",
                        millis(i.summary.elapsed)
                    )),
                );
            }
            Err(errors) => fail(shared, &errors),
        }
    }
}

/// The changed sources, for the terminal: `content/net/udp.md (+2 more)`.
fn describe(batch: &Batch, root: &Path) -> String {
    if batch.everything || batch.paths.is_empty() {
        return "everything".to_string();
    }
    // Name a file that is still there rather than an editor's renamed-away temporary file.
    let first = batch
        .paths
        .iter()
        .find(|p| p.is_file())
        .or_else(|| batch.paths.iter().next())
        .map_or_else(String::new, |p| {
            p.strip_prefix(root).unwrap_or(p).display().to_string()
        });
    match batch.paths.len() {
        1 => first,
        n => format!("{first} (+{} more)", n - 1),
    }
}

/// Copies a successful build's changed files into the served site and announces it.
fn publish(session: &Session, shared: &Shared, rebuilt: &Rebuilt) {
    let (changed, removed) = served_changes(session, rebuilt);
    let listed = (changed.len() + removed.len() <= MAX_LISTED).then(|| {
        (
            changed
                .iter()
                .map(|(key, _)| key.clone())
                .collect::<Vec<_>>(),
            removed.clone(),
        )
    });
    let data: Arc<str> = reload_data(listed.as_ref()).into();
    let generation = {
        let mut site = shared.site.write().unwrap_or_else(PoisonError::into_inner);
        for key in &removed {
            site.files.remove(key);
        }
        site.files.extend(changed);
        site.generation += 1;
        site.failure = None;
        let generation = site.generation;
        site.history.push_back(Changes {
            generation,
            paths: listed,
        });
        if site.history.len() > HISTORY {
            site.history.pop_front();
        }
        generation
    };
    let _ = shared.events.send(Message::Reload { generation, data });
}

/// A rebuild's changed files as the server keys and holds them, and its removed keys. Copied
/// outside the lock, so requests keep being served meanwhile.
fn served_changes(session: &Session, rebuilt: &Rebuilt) -> (Vec<(String, Bytes)>, Vec<String>) {
    let changed = rebuilt
        .changed
        .iter()
        .filter_map(|path| {
            let bytes = session.files().get(path)?;
            Some((output_key(path), Bytes::copy_from_slice(bytes)))
        })
        .collect();
    let removed = rebuilt.removed.iter().map(|p| output_key(p)).collect();
    (changed, removed)
}

/// Serves the files of a rebuild that no open page shows (the search index) without announcing
/// a new build: pages fetch them when they search.
fn update_quietly(session: &Session, shared: &Shared, rebuilt: &Rebuilt) {
    let (changed, removed) = served_changes(session, rebuilt);
    let mut site = shared.site.write().unwrap_or_else(PoisonError::into_inner);
    for key in &removed {
        site.files.remove(key);
    }
    site.files.extend(changed);
}

/// Reports a failed build in the terminal and to every open page; the site is left as it was.
fn fail(shared: &Shared, errors: &Errors) {
    let text: Arc<str> = diagnostics(errors).into();
    let built = {
        let mut site = shared.site.write().unwrap_or_else(PoisonError::into_inner);
        site.failure = Some(Arc::clone(&text));
        site.generation > 0
    };
    let _ = shared.events.send(Message::Failed(Arc::clone(&text)));
    let errors = plural(errors.0.len(), "error");
    if built {
        eprintln!("{text}\n\nbuild failed ({errors}); still serving the last good build");
    } else {
        eprintln!(
            "{text}\n\nbuild failed ({errors}); pages show the errors until a build succeeds"
        );
    }
}

/// The diagnostics as `build` prints them: at most [`MAX_SHOWN`], blank lines between.
fn diagnostics(errors: &Errors) -> String {
    let mut text = String::new();
    for diagnostic in errors.0.iter().take(MAX_SHOWN) {
        text.push_str(&format!("{diagnostic}\n\n"));
    }
    if errors.0.len() > MAX_SHOWN {
        text.push_str(&format!("… and {} more\n", errors.0.len() - MAX_SHOWN));
    }
    text.trim_end().to_string()
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// An output path as the served site keys it: `/`-separated, relative.
fn output_key(path: &Path) -> String {
    let key = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        key.into_owned()
    } else {
        key.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// The data of a `reload` event: the changed and removed output paths, or "everything".
fn reload_data(listed: Option<&Listed>) -> String {
    match listed {
        Some((changed, removed)) => {
            serde_json::json!({ "changed": changed, "removed": removed }).to_string()
        }
        None => serde_json::json!({ "all": true }).to_string(),
    }
}

// --- watching ------------------------------------------------------------------------------------

/// The file watcher and the events it sends.
struct Watch {
    /// Kept alive here; also re-watches a source folder that is created (or re-created).
    watcher: notify::RecommendedWatcher,
    events: mpsc::Receiver<notify::Result<notify::Event>>,
    /// Canonical site root: every event path starts with it.
    root: PathBuf,
}

/// One burst of source changes.
#[derive(Debug)]
struct Batch {
    /// Changed sources (absolute), noise left out.
    paths: BTreeSet<PathBuf>,
    /// The watcher lost track (queue overflow, error): anything may have changed.
    everything: bool,
    /// Source folders that appeared and must be watched.
    new_folders: Vec<PathBuf>,
    /// When the first change of the burst arrived.
    first: Instant,
}

impl Watch {
    /// Watches the site root (for `site.toml` and source folders appearing) and each source
    /// folder recursively.
    fn start(root: &Path) -> Result<Watch, String> {
        let (tx, events) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |event| {
            let _ = tx.send(event);
        })
        .map_err(|e| format!("cannot watch files: {e}"))?;
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        for name in &SOURCES[1..] {
            let folder = root.join(name);
            if folder.is_dir() {
                watcher
                    .watch(&folder, RecursiveMode::Recursive)
                    .map_err(|e| format!("cannot watch {}: {e}", folder.display()))?;
            }
        }
        Ok(Watch {
            watcher,
            events,
            root: root.to_path_buf(),
        })
    }

    /// Waits for the next burst of changes; `None` when the watcher is gone.
    fn next_batch(&mut self) -> Option<Batch> {
        let batch = collect(&self.events, &self.root, QUIET, CAP)?;
        for folder in &batch.new_folders {
            if let Err(e) = self.watcher.watch(folder, RecursiveMode::Recursive) {
                eprintln!("warning: cannot watch {}: {e}", folder.display());
            }
        }
        Some(batch)
    }
}

/// Blocks until a relevant change arrives, then gathers changes until `quiet` passes without
/// one, or `cap` after the first. `None` when the channel is closed and nothing is pending.
fn collect(
    events: &mpsc::Receiver<notify::Result<notify::Event>>,
    root: &Path,
    quiet: Duration,
    cap: Duration,
) -> Option<Batch> {
    let mut batch = Batch {
        paths: BTreeSet::new(),
        everything: false,
        new_folders: Vec::new(),
        first: Instant::now(),
    };
    loop {
        let event = events.recv().ok()?;
        if add(&mut batch, event, root) {
            break;
        }
    }
    batch.first = Instant::now();
    let mut last = batch.first;
    loop {
        let deadline = (last + quiet).min(batch.first + cap);
        let Some(wait) = deadline.checked_duration_since(Instant::now()) else {
            break;
        };
        match events.recv_timeout(wait) {
            Ok(event) => {
                if add(&mut batch, event, root) {
                    last = Instant::now();
                }
            }
            Err(_) => break,
        }
    }
    Some(batch)
}

/// Adds a watcher event to `batch`; true if it is a change the site can depend on.
fn add(batch: &mut Batch, event: notify::Result<notify::Event>, root: &Path) -> bool {
    let event = match event {
        Ok(event) => event,
        Err(e) => {
            eprintln!("warning: file watcher: {e}; rebuilding everything");
            batch.everything = true;
            return true;
        }
    };
    if event.need_rescan() {
        batch.everything = true;
        return true;
    }
    if matches!(event.kind, EventKind::Access(_)) {
        return false;
    }
    let mut relevant = false;
    for path in event.paths {
        let Some(source) = source_of(&path, root) else {
            continue;
        };
        relevant = true;
        if source != "site.toml"
            && path.parent() == Some(root)
            && matches!(
                event.kind,
                EventKind::Create(_) | EventKind::Modify(notify::event::ModifyKind::Name(_))
            )
            && path.is_dir()
        {
            batch.new_folders.push(path.clone());
        }
        batch.paths.insert(path);
    }
    relevant
}

/// The top-level source (`content`, `site.toml`, …) `path` belongs to, if the site depends on it
/// and it is not an editor's or tool's scratch file.
fn source_of(path: &Path, root: &Path) -> Option<&'static str> {
    let relative = path.strip_prefix(root).ok()?;
    let mut components = relative.components();
    let first = components.next()?.as_os_str();
    let top = SOURCES.into_iter().find(|s| first == *s)?;
    if top == "site.toml" && components.next().is_some() {
        return None;
    }
    (!is_noise(relative)).then_some(top)
}

/// Editor swap, backup and lock files, caches and build folders: never sources.
fn is_noise(relative: &Path) -> bool {
    let name = relative
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let scratch = name.starts_with(".#")
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || name.ends_with('~')
        || [
            ".swp",
            ".swo",
            ".swx",
            ".swn",
            ".crswap",
            "___jb_tmp___",
            "___jb_old___",
        ]
        .iter()
        .any(|suffix| name.ends_with(suffix))
        || name == "4913"
        || name == ".DS_Store";
    scratch
        || relative.components().any(|c| {
            [
                ".git",
                "target",
                "node_modules",
                "__pycache__",
                ".pytest_cache",
            ]
            .iter()
            .any(|folder| c.as_os_str() == *folder)
        })
}

// --- serving -------------------------------------------------------------------------------------

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
    let decoded = String::from_utf8(percent_decode(path)).ok()?;
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

async fn serve_file(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let Some(resolved) = resolve(uri.path()) else {
        return plain(
            StatusCode::BAD_REQUEST,
            "400 bad request: the path must stay inside the site\n",
        );
    };
    let (found, id, built) = {
        let site = shared.site.read().unwrap_or_else(PoisonError::into_inner);
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
        Found::Folder => {
            // From the cleaned path, never the raw one: `//host` would send the browser to
            // another site.
            let path: Vec<String> = resolved
                .file
                .split('/')
                .map(|s| percent_encoding::utf8_percent_encode(s, PATH_SEGMENT).to_string())
                .collect();
            let location = match uri.query() {
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

enum Found {
    File(Bytes),
    Folder,
    Missing(Option<Bytes>),
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

/// The page with the live-reload client before its last `</body>` (or at its end).
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

fn content_type(extension: &str) -> &'static str {
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Decodes `%XX` escapes (Chinese slugs and heading ids reach us encoded).
fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
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
    out
}

/// The event stream: catch-up and current state first, then every build as it happens.
async fn live_events(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    use futures_util::StreamExt;
    // Subscribe before reading the state: a build in between is then seen twice, never missed.
    let receiver = shared.events.subscribe();
    let since = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| {
            uri.query()?
                .split('&')
                .find_map(|pair| pair.strip_prefix("since="))
                .and_then(|v| String::from_utf8(percent_decode(v)).ok())
        });
    let mut first = Vec::new();
    let seen = {
        let site = shared.site.read().unwrap_or_else(PoisonError::into_inner);
        if let Some(data) = since.and_then(|since| catch_up(&site, &shared.instance, &since)) {
            first.push(reload_event(&shared.instance, site.generation, &data));
        }
        match &site.failure {
            Some(text) => first.push(Event::default().event("failed").data(&**text)),
            None if first.is_empty() => first.push(Event::default().comment("ready")),
            None => {}
        }
        site.generation
    };
    let instance = shared.instance.clone();
    let live = futures_util::stream::unfold(
        (receiver, seen, instance),
        |(mut receiver, mut seen, instance)| async move {
            loop {
                let event = match receiver.recv().await {
                    Ok(Message::Reload { generation, data }) => {
                        if generation <= seen {
                            continue;
                        }
                        seen = generation;
                        reload_event(&instance, generation, &data)
                    }
                    Ok(Message::Failed(text)) => Event::default().event("failed").data(&*text),
                    // Too slow a reader: it missed builds, so everything may have changed.
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        Event::default().event("reload").data(reload_data(None))
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                };
                return Some((Ok(event), (receiver, seen, instance)));
            }
        },
    );
    let stream = futures_util::stream::iter(first.into_iter().map(Ok)).chain(live);
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn reload_event(instance: &str, generation: u64, data: &str) -> Event {
    Event::default()
        .event("reload")
        .id(format!("{instance}.{generation}"))
        .data(data)
}

/// What a client last saw at `since` (`INSTANCE.GENERATION`) must catch up on: `None` if
/// nothing, else the data of one `reload` event.
fn catch_up(site: &Site, instance: &str, since: &str) -> Option<String> {
    let everything = || Some(reload_data(None));
    let Some((from, generation)) = since.rsplit_once('.') else {
        return everything();
    };
    let Ok(generation) = generation.parse::<u64>() else {
        return everything();
    };
    if from != instance || generation > site.generation {
        return everything();
    }
    if generation == site.generation {
        return None;
    }
    // The builds after `generation` must all still be in the history.
    let newer: Vec<&Changes> = site
        .history
        .iter()
        .filter(|c| c.generation > generation)
        .collect();
    if newer.len() as u64 != site.generation - generation {
        return everything();
    }
    let (mut changed, mut removed) = (BTreeSet::new(), BTreeSet::new());
    for change in newer {
        let Some((c, r)) = &change.paths else {
            return everything();
        };
        changed.extend(c.iter().cloned());
        removed.extend(r.iter().cloned());
    }
    if changed.len() + removed.len() > MAX_LISTED {
        return everything();
    }
    let listed = (changed.into_iter().collect(), removed.into_iter().collect());
    Some(reload_data(Some(&listed)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("/tcp/%E4%B8%89/"), "/tcp/三/".as_bytes());
        assert_eq!(percent_decode("/a%2"), b"/a%2");
        assert_eq!(percent_decode("/a%zz"), b"/a%zz");
        assert_eq!(percent_decode("/a%41"), b"/aA");
    }

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
    }

    #[test]
    fn knows_the_content_types() {
        assert_eq!(content_type("html"), "text/html; charset=utf-8");
        assert_eq!(content_type("css"), "text/css; charset=utf-8");
        assert_eq!(content_type("js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("json"), "application/json");
        assert_eq!(content_type("SVG"), "image/svg+xml");
        assert_eq!(content_type("woff2"), "font/woff2");
        assert_eq!(content_type(""), "application/octet-stream");
    }

    #[test]
    fn only_sources_count_as_changes() {
        let root = Path::new("/site");
        let source = |p: &str| source_of(Path::new(p), root);
        assert_eq!(source("/site/content/net/udp.md"), Some("content"));
        assert_eq!(source("/site/site.toml"), Some("site.toml"));
        assert_eq!(source("/site/templates/base.html"), Some("templates"));
        assert_eq!(source("/site/static/css/site.css"), Some("static"));
        assert_eq!(source("/site/snippets/src/echo.rs"), Some("snippets"));
        assert_eq!(source("/site/content/net/.udp.md.tmp"), Some("content"));
        for noise in [
            "/site/public/index.html",
            "/site/target/debug/x",
            "/site/README.md",
            "/site/site.toml~",
            "/site/content/net/.udp.md.swp",
            "/site/content/net/udp.md~",
            "/site/content/net/.#udp.md",
            "/site/content/net/#udp.md#",
            "/site/content/net/4913",
            "/site/content/net/udp.md___jb_tmp___",
            "/site/snippets/python/__pycache__/echo.cpython-311.pyc",
            "/site/snippets/target/debug/x",
            "/elsewhere/content/a.md",
        ] {
            assert_eq!(source(noise), None, "{noise}");
        }
        // A site under a folder named `target` still works.
        let root = Path::new("/home/target/site");
        assert_eq!(
            source_of(Path::new("/home/target/site/content/a.md"), root),
            Some("content")
        );
    }

    fn modify(path: &str) -> notify::Result<notify::Event> {
        Ok(
            notify::Event::new(EventKind::Modify(notify::event::ModifyKind::Any))
                .add_path(PathBuf::from(path)),
        )
    }

    #[test]
    fn a_burst_of_changes_is_one_batch() {
        let (tx, rx) = mpsc::channel();
        let root = Path::new("/site");
        tx.send(Ok(notify::Event::new(EventKind::Access(
            notify::event::AccessKind::Any,
        ))
        .add_path("/site/content/a.md".into())))
            .unwrap();
        tx.send(modify("/site/content/.a.md.swp")).unwrap();
        tx.send(modify("/site/content/.a.md.tmp")).unwrap();
        tx.send(modify("/site/content/a.md")).unwrap();
        tx.send(modify("/site/public/a/index.html")).unwrap();
        tx.send(modify("/site/content/a.md")).unwrap();
        drop(tx);
        let batch = collect(&rx, root, Duration::from_secs(1), Duration::from_secs(5)).unwrap();
        let paths: Vec<_> = batch.paths.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(paths, ["/site/content/.a.md.tmp", "/site/content/a.md"]);
        assert!(!batch.everything);
        assert!(collect(&rx, root, QUIET, CAP).is_none());
    }

    #[test]
    fn quiet_ends_a_batch_and_the_cap_bounds_it() {
        let (tx, rx) = mpsc::channel();
        let root = Path::new("/site");
        let sender = std::thread::spawn(move || {
            for _ in 0..50 {
                tx.send(modify("/site/content/a.md")).unwrap();
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        let started = Instant::now();
        let batch = collect(&rx, root, Duration::from_secs(1), Duration::from_millis(50)).unwrap();
        assert_eq!(batch.paths.len(), 1);
        let took = started.elapsed();
        assert!(
            took < Duration::from_millis(240),
            "{took:?}: the cap ends a batch"
        );
        sender.join().unwrap();
        // The watcher lost track: rebuild everything.
        let (tx, rx) = mpsc::channel();
        tx.send(Err(notify::Error::generic("overflow"))).unwrap();
        let batch = collect(&rx, root, Duration::from_millis(1), CAP).unwrap();
        assert!(batch.everything);
    }

    type Entry<'a> = (u64, Option<(&'a [&'a str], &'a [&'a str])>);

    fn site_with(generation: u64, history: Vec<Entry>) -> Site {
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Site {
            generation,
            history: history
                .into_iter()
                .map(|(generation, paths)| Changes {
                    generation,
                    paths: paths.map(|(c, r)| (owned(c), owned(r))),
                })
                .collect(),
            ..Site::default()
        }
    }

    #[test]
    fn late_clients_catch_up_on_what_they_missed() {
        let all = Some(r#"{"all":true}"#.to_string());
        let site = site_with(
            3,
            vec![
                (2, Some((&["a/index.html"], &[]))),
                (
                    3,
                    Some((&["b/index.html", "a/index.html"], &["c/index.html"])),
                ),
            ],
        );
        assert_eq!(catch_up(&site, "x", "x.3"), None);
        assert_eq!(
            catch_up(&site, "x", "x.2"),
            Some(
                r#"{"changed":["a/index.html","b/index.html"],"removed":["c/index.html"]}"#.into()
            )
        );
        assert_eq!(
            catch_up(&site, "x", "x.1"),
            Some(
                r#"{"changed":["a/index.html","b/index.html"],"removed":["c/index.html"]}"#.into()
            )
        );
        assert_eq!(
            catch_up(&site, "x", "x.0"),
            all,
            "generation 1 is forgotten"
        );
        assert_eq!(catch_up(&site, "x", "y.3"), all, "another serve process");
        assert_eq!(catch_up(&site, "x", "x.4"), all);
        assert_eq!(catch_up(&site, "x", "nonsense"), all);
        let site = site_with(2, vec![(1, Some((&[], &[]))), (2, None)]);
        assert_eq!(
            catch_up(&site, "x", "x.1"),
            all,
            "a build that changed too much"
        );
    }
}
