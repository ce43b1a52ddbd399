//! `serve`: serves a copy of the basic fixture from memory, injects the live-reload client,
//! rebuilds on a change and announces it on the event stream, reports a broken edit while still
//! serving the last good build, and stops promptly on a signal.
//!
//! Every test starts its own `serve --port 0` and waits on what it expects (the printed address,
//! an event, a line on stderr) with generous timeouts rather than sleeping, so a slow, loaded
//! machine makes them slower, not flaky.

mod common;
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Longest wait for anything: far more than a rebuild of the fixture takes on a loaded machine.
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `serve`, killed when dropped.
struct Server {
    child: Child,
    address: String,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `serve --port 0` on `root` from `cwd` and waits for the address it prints.
    fn start(root: &Path, cwd: &Path) -> Server {
        Server::start_with(root, cwd, &[], None)
    }

    /// Like [`Server::start`], with more arguments and another `PATH`.
    fn start_with(root: &Path, cwd: &Path, args: &[&str], path: Option<&str>) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_mianjing"));
        command
            .arg("--root")
            .arg(root)
            .args(["serve", "--port", "0"])
            .args(args)
            .current_dir(cwd)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(path) = path {
            command.env("PATH", path);
        }
        let mut child = command.spawn().unwrap();
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let lines = Arc::clone(&stderr);
        let pipe = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                lines.lock().unwrap().push(line.unwrap_or_default());
            }
        });
        let mut server = Server {
            child,
            address: String::new(),
            stderr,
        };
        server.address = server.wait_for_line("the address", |l| l.starts_with("serving http://"))
            ["serving http://".len()..]
            .split('/')
            .next()
            .unwrap()
            .to_string();
        server
    }

    fn log(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    /// Waits for a line of stderr matching `condition` and returns it.
    fn wait_for_line(&mut self, what: &str, condition: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            if let Some(line) = self.stderr.lock().unwrap().iter().find(|l| condition(l)) {
                return line.clone();
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("serve exited ({status}) before {what}:\n{}", self.log());
            }
            assert!(
                started.elapsed() < PATIENCE,
                "timed out waiting for {what}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn count_lines(&self, prefix: &str) -> usize {
        let lines = self.stderr.lock().unwrap();
        lines.iter().filter(|l| l.starts_with(prefix)).count()
    }

    fn get(&self, path: &str) -> Fetched {
        fetch(&self.address, "GET", path)
    }

    fn events(&self, query: &str) -> Events {
        Events::connect(&self.address, query)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fixture copy in a temporary folder: `dir/site`, and `dir` as the server's working folder.
fn fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&common::site("basic"), &root);
    (dir, root)
}

struct Fetched {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Fetched {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 request, the path sent exactly as given (no normalisation).
fn fetch(address: &str, method: &str, path: &str) -> Fetched {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = String::from_utf8(response[..end].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Fetched {
        status: status.parse().unwrap(),
        headers,
        body: response[end + 4..].to_vec(),
    }
}

/// One server-sent event; a comment (`: ready`) has `kind` "comment" and its text as `data`.
#[derive(Debug, Clone)]
struct Sse {
    kind: String,
    data: String,
    id: String,
}

/// A client of `/__livereload`.
struct Events {
    received: mpsc::Receiver<Sse>,
    stream: TcpStream,
}

impl Events {
    fn connect(address: &str, query: &str) -> Events {
        let mut stream = TcpStream::connect(address).unwrap();
        write!(
            stream,
            "GET /__livereload{query} HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let mut chunked = false;
        let mut event_stream = false;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let line = line.trim_end().to_ascii_lowercase();
            if line.is_empty() {
                break;
            }
            chunked |= line == "transfer-encoding: chunked";
            event_stream |= line.starts_with("content-type: text/event-stream");
        }
        assert!(event_stream, "the event stream has its content type");
        let (tx, received) = mpsc::channel();
        std::thread::spawn(move || read_events(reader, chunked, tx));
        Events { received, stream }
    }

    /// The next event, comments included.
    fn next(&self, what: &str) -> Sse {
        self.received
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
    }

    /// The next event that is not a comment.
    fn next_event(&self, what: &str) -> Sse {
        loop {
            let event = self.next(what);
            if event.kind != "comment" {
                return event;
            }
        }
    }
}

impl Drop for Events {
    fn drop(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}

/// Decodes the (chunked) body into events until the connection ends.
fn read_events(mut reader: BufReader<TcpStream>, chunked: bool, tx: mpsc::Sender<Sse>) {
    let mut pending = Vec::new();
    let mut event = Sse {
        kind: String::new(),
        data: String::new(),
        id: String::new(),
    };
    let mut data_lines: Vec<String> = Vec::new();
    loop {
        let mut bytes = Vec::new();
        if chunked {
            let mut size = String::new();
            if reader.read_line(&mut size).unwrap_or(0) == 0 {
                return;
            }
            let size = size.trim().split(';').next().unwrap_or("");
            let Ok(size) = usize::from_str_radix(size, 16) else {
                return;
            };
            if size == 0 {
                return;
            }
            bytes.resize(size + 2, 0);
            if reader.read_exact(&mut bytes).is_err() {
                return;
            }
            bytes.truncate(size);
        } else {
            let mut buffer = [0; 4096];
            match reader.read(&mut buffer) {
                Ok(0) | Err(_) => return,
                Ok(n) => bytes.extend_from_slice(&buffer[..n]),
            }
        }
        pending.extend(bytes);
        while let Some(end) = pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line)
                .trim_end_matches(['\r', '\n'])
                .to_string();
            if line.is_empty() {
                if event.kind.is_empty() && !data_lines.is_empty() {
                    event.kind = "message".into();
                }
                if !event.kind.is_empty() {
                    event.data = data_lines.join("\n");
                    if tx.send(event.clone()).is_err() {
                        return;
                    }
                }
                event.kind.clear();
                data_lines.clear();
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((&line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value).to_string();
            match field {
                "" if event.kind.is_empty() => {
                    event.kind = "comment".into();
                    data_lines.push(value.trim().to_string());
                }
                "event" => event.kind = value,
                "data" => data_lines.push(value),
                "id" => event.id = value,
                _ => {}
            }
        }
    }
}

/// The paths listed under `key` ("changed" or "removed") in a `reload` event's data.
fn listed(event: &Sse, key: &str) -> BTreeSet<String> {
    let value: serde_json::Value = serde_json::from_str(&event.data).unwrap();
    value[key]
        .as_array()
        .map(|paths| {
            paths
                .iter()
                .map(|p| p.as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}

/// The `INSTANCE.GENERATION` a served page was built at (injected into it).
fn served_at(html: &str) -> String {
    common::between(html, "data-mianjing=\"", "\"").to_string()
}

#[test]
fn serves_the_site_from_memory() {
    let (dir, root) = fixture();
    std::fs::create_dir_all(root.join("static/js")).unwrap();
    std::fs::write(root.join("static/js/app.js"), "console.log(1);\n").unwrap();
    std::fs::create_dir_all(root.join("static/文件")).unwrap();
    std::fs::write(root.join("static/文件/说明.txt"), "中文路径\n").unwrap();
    let before = common::snapshot(dir.path());
    let server = Server::start(&root, dir.path());

    let page = server.get("/net/udp/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("cache-control"), Some("no-store"));
    let html = page.text();
    assert!(html.contains("UDP sends datagrams."));
    assert!(
        html.contains("/__livereload") && html.contains("data-mianjing="),
        "the live-reload client is injected"
    );
    let client = html.find("data-mianjing=").unwrap();
    assert!(client < html.rfind("</body>").unwrap(), "before </body>");
    assert!(server.get("/").text().contains("/__livereload"));

    let redirect = server.get("/net/udp?x=1");
    assert_eq!(redirect.status, 307, "a folder without its slash redirects");
    assert_eq!(redirect.header("location"), Some("/net/udp/?x=1"));
    // `//net/udp/` would be another host to a browser: the redirect is built from the clean path.
    let doubled = server.get("//net/udp");
    assert_eq!(doubled.status, 307);
    assert_eq!(doubled.header("location"), Some("/net/udp/"));

    let head = fetch(&server.address, "HEAD", "/net/udp/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    assert_eq!(
        head.header("content-length"),
        Some(page.body.len().to_string().as_str())
    );
    assert_eq!(fetch(&server.address, "POST", "/net/udp/").status, 405);

    for (path, content_type) in [
        ("/css/style.css", "text/css; charset=utf-8"),
        ("/js/app.js", "text/javascript; charset=utf-8"),
        ("/search/meta.json", "application/json"),
        ("/sitemap.xml", "application/xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let file = server.get(path);
        assert_eq!(file.status, 200, "{path}");
        assert_eq!(file.header("content-type"), Some(content_type), "{path}");
        assert!(!file.text().contains("__livereload"), "{path}: only HTML");
    }
    assert_eq!(server.get("/js/app.js").text(), "console.log(1);\n");
    let chinese = server.get("/%E6%96%87%E4%BB%B6/%E8%AF%B4%E6%98%8E.txt");
    assert_eq!(chinese.status, 200, "percent-encoded paths are decoded");
    assert_eq!(chinese.text(), "中文路径\n");
    assert!(
        server
            .get("/sitemap.xml")
            .text()
            .contains(&format!("<loc>http://{}/net/udp/</loc>", server.address)),
        "absolute URLs point at the local server"
    );

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("Not found"), "the site's 404 page");
    assert!(missing.text().contains("data-missing"));
    assert_eq!(server.get("/no-such-file.css").status, 404);
    for escape in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E%2FCargo.toml",
        "/css/../../Cargo.toml",
        "/..%2f..%2f..%2fetc/passwd",
    ] {
        let response = server.get(escape);
        assert!(
            [400, 404].contains(&response.status),
            "{escape}: {}",
            response.status
        );
        assert!(!response.text().contains("[package]"), "{escape}");
    }

    // Nothing is written: not into the site, not into the working folder.
    assert_eq!(
        common::snapshot(dir.path()),
        before,
        "serve writes no files"
    );
    drop(server);

    // `build` output never carries the client.
    let built = tempfile::tempdir().unwrap();
    let out = built.path().join("public");
    let mut options = common::options("basic", &out);
    options.root = root;
    mianjing::build(&options).unwrap();
    for (path, bytes) in common::snapshot(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("__livereload") && !text.contains("data-mianjing"),
            "{}: build output has no live-reload client",
            path.display()
        );
    }
}

#[test]
fn rebuilds_on_change_and_announces_what_changed() {
    let (dir, root) = fixture();
    let mut server = Server::start(&root, dir.path());
    let first = served_at(&server.get("/net/udp/").text());
    let events = server.events("");
    assert_eq!(events.next("the ready comment").kind, "comment");

    edit(
        &root.join("content/net/udp.md"),
        "UDP sends datagrams.",
        "UDP sends datagrams, edited.",
    );
    let reload = events.next_event("the reload after an edit");
    assert_eq!(reload.kind, "reload");
    assert!(
        listed(&reload, "changed").contains("net/udp/index.html"),
        "{}",
        reload.data
    );
    // The reload is sent once the new site is served.
    let page = server.get("/net/udp/").text();
    assert!(page.contains("datagrams, edited."));
    assert_eq!(
        served_at(&page),
        reload.id,
        "pages carry the build they show"
    );
    server.wait_for_line("the rebuilt line", |l| l.starts_with("rebuilt in "));

    // A new page appears, then disappears.
    let quic = root.join("content/net/quic.md");
    std::fs::write(&quic, "---\ntitle: QUIC\n---\nQUIC runs over UDP.\n").unwrap();
    let reload = events.next_event("the reload after a new page");
    assert!(
        listed(&reload, "changed").contains("net/quic/index.html"),
        "{}",
        reload.data
    );
    assert!(server
        .get("/net/quic/")
        .text()
        .contains("QUIC runs over UDP."));
    std::fs::remove_file(&quic).unwrap();
    let reload = events.next_event("the reload after a removed page");
    assert!(
        listed(&reload, "removed").contains("net/quic/index.html"),
        "{}",
        reload.data
    );
    assert_eq!(server.get("/net/quic/").status, 404);

    // A page served before those builds catches up on all of them when it connects.
    let late = server.events(&format!("?since={first}"));
    let catch_up = late.next("the catch-up");
    assert_eq!(catch_up.kind, "reload", "{catch_up:?}");
    assert!(listed(&catch_up, "changed").contains("net/udp/index.html"));
    assert!(listed(&catch_up, "removed").contains("net/quic/index.html"));
    // One that is up to date gets nothing to do; one from another `serve` reloads everything.
    let current = served_at(&server.get("/net/udp/").text());
    assert_eq!(
        server
            .events(&format!("?since={current}"))
            .next("ready")
            .kind,
        "comment"
    );
    let stale = server.events("?since=0.7").next("the catch-up");
    assert_eq!(
        (stale.kind.as_str(), stale.data.as_str()),
        ("reload", r#"{"all":true}"#)
    );
}

#[test]
fn reports_build_errors_and_keeps_serving_the_last_good_build() {
    let (dir, root) = fixture();
    let mut server = Server::start(&root, dir.path());
    let events = server.events("");
    assert_eq!(events.next("the ready comment").kind, "comment");

    let udp = root.join("content/net/udp.md");
    let good = std::fs::read_to_string(&udp).unwrap();
    std::fs::write(&udp, "---\ntitle: [unclosed\n---\n").unwrap();
    let failed = events.next_event("the failure");
    assert_eq!(failed.kind, "failed");
    assert!(
        failed.data.contains("content/net/udp.md"),
        "{}",
        failed.data
    );
    server.wait_for_line("the report on stderr", |l| {
        l.contains("build failed") && l.contains("still serving the last good build")
    });
    assert!(server.log().contains("content/net/udp.md"));
    let page = server.get("/net/udp/");
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("UDP sends datagrams."),
        "the last good build"
    );

    // A page opened after the failure is told at once.
    let late = server.events("");
    let failed = late.next("the failure, on connecting");
    assert_eq!(failed.kind, "failed");
    assert!(failed.data.contains("content/net/udp.md"));

    std::fs::write(&udp, good.replace("UDP sends datagrams.", "UDP, fixed.")).unwrap();
    for events in [&events, &late] {
        let reload = events.next_event("the reload after the fix");
        assert_eq!(reload.kind, "reload");
        assert!(listed(&reload, "changed").contains("net/udp/index.html"));
    }
    assert!(server.get("/net/udp/").text().contains("UDP, fixed."));
    assert_eq!(server.events("").next("the state").kind, "comment");
}

#[test]
fn a_site_broken_from_the_start_is_served_once_fixed() {
    let (dir, root) = fixture();
    let udp = root.join("content/net/udp.md");
    let good = std::fs::read_to_string(&udp).unwrap();
    std::fs::write(&udp, "---\ntitle: [unclosed\n---\n").unwrap();
    let server = Server::start(&root, dir.path());
    assert!(server.log().contains("build failed"));
    let page = server.get("/net/udp/");
    assert_eq!(page.status, 503);
    assert!(
        page.text().contains("/__livereload"),
        "the page reloads once fixed"
    );
    let events = server.events("");
    let failed = events.next("the failure");
    assert_eq!(failed.kind, "failed");
    assert!(failed.data.contains("content/net/udp.md"));

    std::fs::write(&udp, good).unwrap();
    assert_eq!(events.next_event("the reload").kind, "reload");
    let page = server.get("/net/udp/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("UDP sends datagrams."));
}

#[test]
fn a_burst_of_writes_rebuilds_once() {
    let (dir, root) = fixture();
    let server = Server::start(&root, dir.path());
    let events = server.events("");
    assert_eq!(events.next("the ready comment").kind, "comment");
    let udp = root.join("content/net/udp.md");
    let tcp = root.join("content/net/tcp-handshake.md");
    let text = std::fs::read_to_string(&udp).unwrap();
    let mut attempts = 0;
    loop {
        attempts += 1;
        // What an editor does on save: write a temporary file, rename it over the page, chmod.
        let temporary = root.join("content/net/.udp.md.tmp");
        let edited = text.replace("UDP sends datagrams.", &format!("Burst {attempts}."));
        let started = Instant::now();
        std::fs::write(&temporary, &edited).unwrap();
        std::fs::rename(&temporary, &udp).unwrap();
        let file = std::fs::File::open(&udp).unwrap();
        file.set_permissions(std::fs::Permissions::from_mode(0o644))
            .unwrap();
        drop(file);
        let burst = started.elapsed();

        let first = events.next_event("the burst's reload");
        assert_eq!(first.kind, "reload");
        assert!(listed(&first, "changed").contains("net/udp/index.html"));
        // A later, separate edit marks the end: every rebuild the burst caused is announced
        // before the one this edit causes.
        let marker = std::fs::read_to_string(&tcp).unwrap();
        std::fs::write(&tcp, format!("{marker}\nMarker {attempts}.\n")).unwrap();
        let mut rebuilds = 1;
        loop {
            let event = events.next_event("the marker's reload");
            assert_eq!(event.kind, "reload");
            if listed(&event, "changed").contains("net/tcp-handshake/index.html") {
                break;
            }
            rebuilds += 1;
        }
        assert!(server
            .get("/net/udp/")
            .text()
            .contains(&format!("Burst {attempts}.")));
        if rebuilds == 1 {
            break;
        }
        // The writes themselves were spread out (a descheduled test on a loaded machine): try
        // again; a burst that was really quick must give one rebuild.
        assert!(
            burst > Duration::from_millis(3) && attempts < 5,
            "a burst of writes within {burst:?} gave {rebuilds} rebuilds"
        );
    }
    let started = Instant::now();
    while server.count_lines("rebuilt in ") < 2 * attempts {
        assert!(started.elapsed() < PATIENCE, "{}", server.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(server.count_lines("rebuilt in "), 2 * attempts);
}

#[cfg(target_os = "linux")]
#[test]
fn open_starts_the_browser_and_failing_to_is_only_a_warning() {
    let (dir, root) = fixture();
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let opener = bin.join("xdg-open");
    let opened = dir.path().join("opened.txt");
    std::fs::write(
        &opener,
        format!("#!/bin/sh\necho \"$@\" > '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let server = Server::start_with(&root, dir.path(), &["--open"], Some(&path));
    let started = Instant::now();
    while std::fs::read_to_string(&opened).map_or(true, |t| !t.ends_with('\n')) {
        assert!(started.elapsed() < PATIENCE, "xdg-open was not run");
        std::thread::sleep(Duration::from_millis(20));
    }
    let url = format!("http://{}/\n", server.address);
    assert_eq!(std::fs::read_to_string(&opened).unwrap(), url);
    drop(server);

    std::fs::write(&opener, "#!/bin/sh\nexit 3\n").unwrap();
    let mut server = Server::start_with(&root, dir.path(), &["--open"], Some(&path));
    server.wait_for_line("the warning", |l| {
        l.starts_with("warning: could not open a browser")
    });
    assert_eq!(server.get("/").status, 200, "still serving");
}

/// Sends `signal` to `server` and waits for it to exit; returns how long that took.
fn stop(server: &mut Server, signal: &str) -> Duration {
    let status = Command::new("kill")
        .args(["-s", signal, &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    while server.child.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "serve still running after SIG{signal}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    started.elapsed()
}

#[test]
fn stops_on_ctrl_c_or_sigterm_and_releases_the_port() {
    let (dir, root) = fixture();
    for signal in ["INT", "TERM"] {
        let mut server = Server::start(&root, dir.path());
        let events = server.events("");
        assert_eq!(events.next("the ready comment").kind, "comment");
        let took = stop(&mut server, signal);
        assert!(took < Duration::from_secs(5), "SIG{signal}: {took:?}");
        TcpListener::bind(&server.address)
            .unwrap_or_else(|e| panic!("port still taken after SIG{signal}: {e}"));
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing left behind"
    );
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let (dir, root) = fixture();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_mianjing"))
        .arg("--root")
        .arg(&root)
        .args(["serve", "--port", &port])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("serve kept running on a busy port");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("port {port}")), "{stderr}");
    assert!(stderr.contains("already in use"), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
}
