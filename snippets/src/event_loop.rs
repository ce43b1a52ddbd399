//! 一个线程、一个 `poll(2)` 循环，同时服务好几个 echo 客户端。

use std::collections::HashMap;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::{AsRawFd, RawFd};

/// 循环结束时的统计：一共服务了几个客户端，最多时同时开着几条连接，调用了几次 `poll`。
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub served: usize,
    pub most_open: usize,
    pub polls: usize,
}

// ANCHOR: event_loop
/// 一条连接：套接字，加上读到了、还没来得及写回去的字节。
struct Conn {
    stream: TcpStream,
    pending: Vec<u8>,
}

/// 单线程 echo 服务器：接受 `clients` 个客户端，等它们都断开后返回。
pub fn serve(listener: &TcpListener, clients: usize) -> io::Result<Stats> {
    // 非阻塞：poll 说“就绪”只是提示，真去读写时宁可拿到 WouldBlock，也不能卡住整个循环
    listener.set_nonblocking(true)?;
    let mut conns: HashMap<RawFd, Conn> = HashMap::new();
    let mut stats = Stats::default();
    while stats.served < clients || !conns.is_empty() {
        // poll 不记得上一轮关心过什么：每一轮都把整张表交给内核
        let mut fds = Vec::with_capacity(conns.len() + 1);
        if stats.served < clients {
            fds.push(pollfd(listener.as_raw_fd(), libc::POLLIN));
        }
        for (&fd, conn) in &conns {
            // 有没写完的数据就等“可写”，否则等“可读”：对端不读，我们也不再多收
            let want = if conn.pending.is_empty() {
                libc::POLLIN
            } else {
                libc::POLLOUT
            };
            fds.push(pollfd(fd, want));
        }
        // 整个循环里唯一会阻塞的地方；-1 表示不设超时
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, -1) };
        stats.polls += 1;
        if n < 0 {
            let err = io::Error::last_os_error();
            if err.kind() == ErrorKind::Interrupted {
                continue;
            }
            return Err(err);
        }
        for p in fds.iter().filter(|p| p.revents != 0) {
            if p.fd == listener.as_raw_fd() {
                accept_all(listener, &mut conns, &mut stats)?;
            } else if let Some(conn) = conns.get_mut(&p.fd) {
                if !serve_one(conn) {
                    conns.remove(&p.fd); // drop 即 close
                }
            }
        }
        stats.most_open = stats.most_open.max(conns.len());
    }
    Ok(stats)
}

fn pollfd(fd: RawFd, events: libc::c_short) -> libc::pollfd {
    libc::pollfd {
        fd,
        events,
        revents: 0,
    }
}

/// 监听套接字可读：把已经完成握手的连接都取出来，直到 WouldBlock。
fn accept_all(
    listener: &TcpListener,
    conns: &mut HashMap<RawFd, Conn>,
    stats: &mut Stats,
) -> io::Result<()> {
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                stream.set_nonblocking(true)?;
                let pending = Vec::new();
                conns.insert(stream.as_raw_fd(), Conn { stream, pending });
                stats.served += 1;
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}

/// 某条连接就绪：能写就先把欠的写出去，否则读一块。返回 false 表示该关掉它了。
fn serve_one(conn: &mut Conn) -> bool {
    if !conn.pending.is_empty() {
        return match conn.stream.write(&conn.pending) {
            Ok(n) => {
                conn.pending.drain(..n); // 可能只写出一部分，剩下的等下一次“可写”
                true
            }
            Err(e) => e.kind() == ErrorKind::WouldBlock,
        };
    }
    let mut buf = [0u8; 4096];
    match conn.stream.read(&mut buf) {
        Ok(0) => false, // 对端关闭
        Ok(n) => {
            conn.pending.extend_from_slice(&buf[..n]);
            true
        }
        // 就绪是假的就下轮再来；其他错误（如对端 RST）关掉连接
        Err(e) => e.kind() == ErrorKind::WouldBlock,
    }
}
// ANCHOR_END: event_loop

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};
    use std::net::Shutdown;
    use std::thread;

    fn echo(stream: &mut TcpStream, msg: &[u8]) -> Vec<u8> {
        stream.write_all(msg).unwrap();
        let mut back = vec![0; msg.len()];
        stream.read_exact(&mut back).unwrap();
        back
    }

    #[test]
    fn one_thread_serves_three_clients_that_are_open_at_the_same_time() {
        let stats = within(LIMIT, || {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap();
            let server = thread::spawn(move || serve(&listener, 3).unwrap());
            let mut c: Vec<TcpStream> = (0..3).map(|_| TcpStream::connect(addr).unwrap()).collect();
            // 交错着问：每个回答都要求服务器在其他连接还开着时照顾到这一条
            for round in 0..3 {
                for (i, s) in c.iter_mut().enumerate().rev() {
                    let msg = format!("client {i} round {round}");
                    assert_eq!(echo(s, msg.as_bytes()), msg.as_bytes());
                }
            }
            for s in &c {
                s.shutdown(Shutdown::Write).unwrap();
            }
            for s in &mut c {
                let mut rest = Vec::new();
                s.read_to_end(&mut rest).unwrap();
                assert!(rest.is_empty(), "the server closes after our FIN");
            }
            server.join().unwrap()
        });
        assert_eq!(stats.served, 3);
        assert_eq!(
            stats.most_open, 3,
            "all three connections were open at once"
        );
    }

    #[test]
    fn a_large_message_is_echoed_whole_even_when_writes_are_partial() {
        let msg: Vec<u8> = (0..4_000_000u32).map(|i| (i % 251) as u8).collect();
        let expected = msg.clone();
        let got = within(LIMIT, move || {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap();
            let server = thread::spawn(move || serve(&listener, 1).unwrap());
            let mut s = TcpStream::connect(addr).unwrap();
            let mut w = s.try_clone().unwrap();
            // 一边写一边读：4 MB 超过两边的缓冲区，只写不读会互相等死
            let writer = thread::spawn(move || {
                w.write_all(&msg).unwrap();
                w.shutdown(Shutdown::Write).unwrap();
            });
            let mut got = Vec::new();
            s.read_to_end(&mut got).unwrap();
            writer.join().unwrap();
            server.join().unwrap();
            got
        });
        assert!(got == expected, "echo differs ({} bytes back)", got.len());
    }
}
