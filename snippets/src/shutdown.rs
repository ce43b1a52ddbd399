//! 强制关闭连接：用 `TcpStream::shutdown` 立即断开，对端读到 EOF（`read` 返回 0）。

use std::io::{self, Read};
use std::net::{Shutdown, TcpStream};
use std::thread::{self, JoinHandle};

// ANCHOR: shutdown
/// 一个线程阻塞在 `read` 上处理连接；返回的克隆句柄就是“开关”。
///
/// 常见的写法是“循环检查一个全局标志，看到就 close”，可线程正卡在 `read` 里时根本不会去看标志；
/// 在 Linux 上，另一个线程 close 同一个描述符也唤不醒阻塞中的 `read`。
/// `shutdown` 作用在套接字本身（所有克隆共享同一个套接字），这两件事它都能做到。
pub fn spawn_reader(conn: TcpStream) -> io::Result<(TcpStream, JoinHandle<io::Result<usize>>)> {
    let switch = conn.try_clone()?; // 同一个套接字的第二个句柄
    let reader = thread::spawn(move || {
        let mut conn = conn;
        let (mut total, mut buf) = (0, [0u8; 1024]);
        loop {
            match conn.read(&mut buf)? {
                0 => return Ok(total), // EOF：对端关了，或者本端被 shutdown 了
                n => total += n,
            }
        }
    });
    Ok((switch, reader))
}

/// 强制断开：立刻向对端发 FIN，并让本端阻塞中的 `read` 返回 0。
pub fn force_close(switch: &TcpStream) -> io::Result<()> {
    switch.shutdown(Shutdown::Both)
}

/// 对端视角：`read` 返回 0（`read_to_end` 正常结束）就是“对方不会再发了”。
pub fn read_until_eof(peer: &mut TcpStream) -> io::Result<Vec<u8>> {
    let mut data = Vec::new();
    peer.read_to_end(&mut data)?;
    Ok(data)
}
// ANCHOR_END: shutdown

/// 粗暴关闭（abortive close）：接收缓冲区里还有没读的数据就 close，内核发的是 RST
/// 而不是 FIN，对端下一次 `read` 得到 `ConnectionReset` 而不是 EOF。
pub fn abort_with_unread_data(conn: TcpStream) -> io::Result<()> {
    let mut probe = [0u8; 1];
    conn.peek(&mut probe)?; // 等数据到达，但不取走它
    drop(conn); // 带着未读数据关闭 => RST
    Ok(())
}

// ANCHOR: linger
/// 把 SO_LINGER 设为“开启、0 秒”再关闭：不走四次挥手，直接发 RST，本端也不进 TIME_WAIT。
/// std 的 `TcpStream::set_linger` 还不稳定，这里直接调用 setsockopt(2)。
#[cfg(unix)]
pub fn reset(conn: TcpStream) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    let rc = unsafe {
        libc::setsockopt(
            conn.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&linger as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    drop(conn); // close(2)：发出 RST
    Ok(())
}
// ANCHOR_END: linger

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{tcp_pair as pair, within, LIMIT};
    use std::io::{ErrorKind, Write};

    /// Waits until some thread of this process is inside a blocking read on `fd`: Linux shows
    /// each thread's current system call and its first argument in /proc/self/task/*/syscall.
    #[cfg(target_os = "linux")]
    fn wait_until_blocked_in_read(fd: i32) {
        let reads = [libc::SYS_read, libc::SYS_recvfrom, libc::SYS_recvmsg];
        loop {
            for task in std::fs::read_dir("/proc/self/task").unwrap() {
                let path = task.unwrap().path().join("syscall");
                let Ok(line) = std::fs::read_to_string(path) else {
                    continue;
                };
                let mut fields = line.split_whitespace();
                let nr = fields.next().and_then(|n| n.parse::<libc::c_long>().ok());
                let arg0 = fields
                    .next()
                    .and_then(|a| i64::from_str_radix(a.trim_start_matches("0x"), 16).ok());
                if nr.is_some_and(|n| reads.contains(&n)) && arg0 == Some(i64::from(fd)) {
                    return;
                }
            }
            thread::yield_now();
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn force_close_wakes_the_blocked_reader_and_the_peer_sees_eof() {
        use std::os::fd::AsRawFd;
        let (reader_result, peer_saw) = within(LIMIT, || {
            let (mut client, server) = pair();
            let fd = server.as_raw_fd();
            let (switch, reader) = spawn_reader(server).unwrap();
            // the reader is really asleep in read(2) on this socket: shutdown must wake it up
            wait_until_blocked_in_read(fd);
            force_close(&switch).unwrap();
            let reader_result = reader.join().unwrap().unwrap();
            (reader_result, read_until_eof(&mut client).unwrap())
        });
        assert_eq!(
            reader_result, 0,
            "the reader ended with EOF, nothing received"
        );
        assert_eq!(
            peer_saw, b"",
            "the peer sees a clean EOF (FIN), not an error"
        );
    }

    #[test]
    fn plain_drop_is_a_graceful_close_the_peer_sees_eof() {
        let peer_saw = within(LIMIT, || {
            let (mut client, mut server) = pair();
            server.write_all(b"bye").unwrap();
            drop(server); // close(): FIN after the data
            read_until_eof(&mut client).unwrap()
        });
        assert_eq!(peer_saw, b"bye");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn linger_zero_resets_the_peer_and_leaves_no_time_wait_behind() {
        use crate::time_wait::tcp_state;
        use std::net::SocketAddr;
        let v4 = |a: SocketAddr| match a {
            SocketAddr::V4(a) => a,
            SocketAddr::V6(_) => unreachable!("bound to 127.0.0.1"),
        };
        let (kind, closer_after) = within(LIMIT, move || {
            let (mut client, server) = pair();
            let (c, s) = (
                v4(client.local_addr().unwrap()),
                v4(server.local_addr().unwrap()),
            );
            reset(server).unwrap(); // the server closes first, with linger 0
            let mut buf = [0u8; 16];
            let kind = client.read(&mut buf).map(|_| ()).unwrap_err().kind();
            // a graceful close would leave the server's end in TIME_WAIT; a reset leaves nothing
            (kind, tcp_state(s, c).unwrap())
        });
        assert_eq!(kind, ErrorKind::ConnectionReset);
        assert_eq!(closer_after, None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn closing_with_unread_data_resets_the_connection() {
        let kind = within(LIMIT, || {
            let (mut client, server) = pair();
            client.write_all(b"never read").unwrap();
            abort_with_unread_data(server).unwrap();
            let mut buf = [0u8; 16];
            client.read(&mut buf).map(|_| ()).unwrap_err().kind()
        });
        assert_eq!(kind, ErrorKind::ConnectionReset);
    }
}
