//! `serve`: builds the site into memory, serves it on a loopback port, rebuilds when a source
//! changes and reloads the open pages that the change touched, keeping their scroll position.
//! A failed rebuild keeps the last good site and shows the errors in the terminal and as an
//! overlay in every open page, so a contributor sees what to fix where they look.
//!
//! This file owns start-up: the options, binding the port, the first build, the threads, and
//! opening the browser. The rest, one job a file:
//! * [`builder`]: the builder thread, which owns the [`Session`] and the watcher, rebuilds and
//!   reports through [`crate::report`];
//! * [`watch`]: the file watcher and its debouncing; [`sources`]: what counts as a source;
//! * [`state`]: the served files, the generation counter and the history clients catch up on;
//! * [`http`]: request paths, content types, redirects, the client injected into HTML;
//! * [`events`]: the event stream; `client.js`: the client itself.
//!
//! The event stream (`/__livereload`, server-sent events), the protocol of the injected client:
//! * `reload`, id `INSTANCE.GENERATION`, data `{"changed":[output paths],"removed":[…]}` or
//!   `{"all":true}`: a build succeeded (GENERATION counts them; INSTANCE names this process).
//!   A page reloads only if its own HTML or a file it uses changed; a changed stylesheet is
//!   swapped in place. With `"renamed":{old path: new path}` (stylesheets and scripts linked
//!   by content-hashed names that changed), the pages that differ only by those names are left
//!   out of `changed`, and a page swaps in a renamed stylesheet under its new name. Every
//!   `reload` clears the error overlay.
//! * `failed`, data: the diagnostics text: a build failed; the last good site is still served.
//! * on connect: `?since=INSTANCE.GENERATION` (the generation the page was served at, injected
//!   into it) or the `Last-Event-ID` header of a reconnecting `EventSource` gets a catch-up
//!   `reload` of everything that changed since, then `failed` if the last build failed, else the
//!   comment `: ready`. So a page that connects late, reconnects, or was hidden (pages drop the
//!   connection while hidden: browsers allow only six per server) misses nothing.

mod builder;
mod events;
mod http;
mod sources;
mod state;
mod watch;

use crate::{BuildOptions, Session};
use axum::routing::get;
use axum::Router;
use std::io::ErrorKind;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

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
    let watch = watch::Watch::start(&options.root)?;
    let shared = Arc::new(state::Shared::new());
    let mut session = Session::new(options);
    builder::first_build(&mut session, &shared);
    {
        let shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("serve-builder".into())
            .spawn(move || builder::run(session, watch, &shared))
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
            .route(events::EVENTS_PATH, get(events::live_events))
            .fallback(get(http::serve_file))
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

/// Opens `url` in the default browser, on a thread of its own; failing to is only a warning.
///
/// `opener` does it, except where the launcher is `xdg-open` (Linux and the BSDs): there
/// `opener` spawns it without waiting and so never learns that it failed (no desktop, no
/// browser), which a contributor must be told. So there `xdg-open` is run here and waited for,
/// and `opener` (with the copy of `xdg-open` it carries) only when none is installed.
fn open_browser(url: &str) {
    let url = url.to_string();
    let _ = std::thread::Builder::new()
        .name("serve-open".into())
        .spawn(move || {
            let failed = |why: String| {
                eprintln!("warning: could not open a browser ({why}); open {url} yourself");
            };
            if cfg!(any(target_os = "macos", windows)) {
                if let Err(e) = opener::open(&url) {
                    failed(e.to_string());
                }
                return;
            }
            let status = std::process::Command::new("xdg-open")
                .arg(&url)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status();
            match status {
                Ok(status) if status.success() => {}
                Ok(status) => failed(format!("xdg-open exited with {status}")),
                Err(e) if e.kind() == ErrorKind::NotFound => {
                    if let Err(e) = opener::open(&url) {
                        failed(e.to_string());
                    }
                }
                Err(e) => failed(format!("xdg-open: {e}")),
            }
        });
}
