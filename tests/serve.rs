//! `serve`: serves the built fixture, injects live reload, rebuilds on a change, and reports a
//! broken edit to open pages while still serving the last good build.

mod common;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(address: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, response)
}

fn wait_for(what: &str, mut condition: impl FnMut() -> bool) {
    let started = Instant::now();
    while !condition() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serves_rebuilds_and_reports_errors_live() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&common::site("basic"), &root);
    let out = dir.path().join("preview");
    let mut child = Command::new(env!("CARGO_BIN_EXE_mianjing"))
        .arg("--root")
        .arg(&root)
        .args(["serve", "--port", "0", "--output"])
        .arg(&out)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let server = Server(child);
    let (lines_tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let _ = lines_tx.send(line.unwrap_or_default());
        }
    });
    let address = loop {
        let line = lines
            .recv_timeout(Duration::from_secs(60))
            .expect("serve prints its address");
        if let Some(rest) = line.strip_prefix("serving http://") {
            break rest.split('/').next().unwrap().to_string();
        }
    };

    let (status, page) = get(&address, "/net/udp/");
    assert_eq!(status, 200);
    assert!(page.contains("UDP sends datagrams."));
    assert!(
        page.contains("/__livereload"),
        "the live-reload client is injected"
    );
    let (_, sitemap) = get(&address, "/sitemap.xml");
    assert!(
        sitemap.contains(&format!("<loc>http://{address}/net/udp/</loc>")),
        "absolute URLs point at the local server"
    );
    let (status, missing) = get(&address, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(
        missing.contains("Not found"),
        "the site's 404 page is served"
    );
    assert_eq!(get(&address, "/../etc/passwd").0, 400);

    // An edit is rebuilt and served.
    let udp = root.join("content/net/udp.md");
    let text = std::fs::read_to_string(&udp).unwrap();
    std::fs::write(
        &udp,
        text.replace("UDP sends datagrams.", "UDP sends datagrams, edited."),
    )
    .unwrap();
    wait_for("the rebuilt page", || {
        get(&address, "/net/udp/").1.contains("datagrams, edited.")
    });

    // A broken edit is reported, and the last good build keeps being served.
    std::fs::write(&udp, "---\ntitle: [unclosed\n---\n").unwrap();
    wait_for("the error report", || {
        lines
            .try_iter()
            .any(|l| l.contains("build failed; still serving the last good build"))
    });
    assert!(get(&address, "/net/udp/").1.contains("datagrams, edited."));
    drop(server);
}
