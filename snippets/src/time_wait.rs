//! 谁先关，谁进 TIME_WAIT：在本机建一条连接，让一方先关，再从 /proc/net/tcp 看两端的状态（Linux）。

use std::io::{self, Read};
use std::net::{SocketAddr, SocketAddrV4, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

/// 哪一端先调用 close。
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Client,
    Server,
}

// ANCHOR: proc_state
/// 从 /proc/net/tcp 查本端 `local`、对端 `remote` 的那条 IPv4 TCP 连接处于什么状态；
/// 查不到（连接已经彻底释放）时返回 `None`。
pub fn tcp_state(local: SocketAddrV4, remote: SocketAddrV4) -> io::Result<Option<&'static str>> {
    // 内核按内存里的字节序打印地址，端口则是十六进制的主机字节序
    let hex = |a: SocketAddrV4| {
        format!(
            "{:08X}:{:04X}",
            u32::from_ne_bytes(a.ip().octets()),
            a.port()
        )
    };
    let (want_local, want_remote) = (hex(local), hex(remote));
    for line in std::fs::read_to_string("/proc/net/tcp")?.lines().skip(1) {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() > 3 && f[1] == want_local && f[2] == want_remote {
            return Ok(Some(match f[3] {
                "01" => "ESTABLISHED",
                "04" => "FIN_WAIT_1",
                "05" => "FIN_WAIT_2",
                "06" => "TIME_WAIT",
                "07" => "CLOSED",
                "08" => "CLOSE_WAIT",
                "09" => "LAST_ACK",
                "0B" => "CLOSING",
                _ => "OTHER",
            }));
        }
    }
    Ok(None)
}
// ANCHOR_END: proc_state

// ANCHOR: close_first
/// 建一条本机连接，让 `first` 先 close，另一端读到 EOF 后再 close；
/// 等挥手走完，返回（客户端那一端的状态，服务器那一端的状态）。
pub fn close_first(first: Side) -> io::Result<(Option<&'static str>, Option<&'static str>)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    let (c, s) = (v4(client.local_addr()?), v4(server.local_addr()?));
    let (closer, mut other) = match first {
        Side::Client => (client, server),
        Side::Server => (server, client),
    };
    drop(closer); // 先关的一方：发出第一个 FIN
    other.read_to_end(&mut Vec::new())?; // 另一方读到 EOF（收到了 FIN）
    drop(other); // 再关：发出第二个 FIN
                 // 等挥手在内核里走完：被动关闭方收到最后一个 ACK 就彻底消失
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let states = (tcp_state(c, s)?, tcp_state(s, c)?);
        let settled = |st: Option<&str>| st.is_none() || st == Some("TIME_WAIT");
        if settled(states.0) && settled(states.1) {
            return Ok(states);
        }
        if Instant::now() > deadline {
            return Err(io::Error::other(format!("still closing: {states:?}")));
        }
        thread::yield_now();
    }
}
// ANCHOR_END: close_first

fn v4(a: SocketAddr) -> SocketAddrV4 {
    match a {
        SocketAddr::V4(a) => a,
        SocketAddr::V6(_) => unreachable!("bound to 127.0.0.1"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};

    #[test]
    fn the_client_closing_first_ends_in_time_wait_on_the_client() {
        let states = within(LIMIT, || close_first(Side::Client).unwrap());
        assert_eq!(states, (Some("TIME_WAIT"), None));
    }

    #[test]
    fn the_server_closing_first_ends_in_time_wait_on_the_server() {
        let states = within(LIMIT, || close_first(Side::Server).unwrap());
        assert_eq!(states, (None, Some("TIME_WAIT")));
    }

    #[test]
    fn an_open_connection_is_established_on_both_ends() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        let (c, s) = (
            v4(client.local_addr().unwrap()),
            v4(server.local_addr().unwrap()),
        );
        assert_eq!(tcp_state(c, s).unwrap(), Some("ESTABLISHED"));
        assert_eq!(tcp_state(s, c).unwrap(), Some("ESTABLISHED"));
    }
}
