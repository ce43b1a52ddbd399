//! Test-only helpers: run something that could hang under a time limit; a connected TCP pair.

use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

/// Runs `f` on its own thread and fails the test if it does not finish within `limit`
/// (a hung worker thread is left behind; the test has failed anyway).
pub fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(value) => value,
        Err(RecvTimeoutError::Timeout) => panic!("timed out after {limit:?} (hang?)"),
        Err(RecvTimeoutError::Disconnected) => panic!("the code under test panicked"),
    }
}

/// The default limit for one test: generous, but bounded.
pub const LIMIT: Duration = Duration::from_secs(10);

/// A connected TCP pair on loopback (port 0, so tests never fight over a port): (client, server).
pub fn tcp_pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    (client, server)
}
