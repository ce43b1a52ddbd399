//! 端口号按协议分开：同一个端口号可以同时被一个 TCP 套接字和一个 UDP 套接字占用。

use std::io;
use std::net::{TcpListener, UdpSocket};

// ANCHOR: ports
/// 先让内核给 TCP 挑一个空闲端口，再把 UDP 绑到同一个端口号上。
/// 两者不冲突：内核按协议分别查找端口，TCP 的 8080 和 UDP 的 8080 是两个不同的"地址"。
/// （极少数情况下这个号码恰好已被别的 UDP 套接字占用，就换一个再试。）
pub fn bind_tcp_and_udp_on_one_port() -> io::Result<(TcpListener, UdpSocket)> {
    let mut last_error = None;
    for _ in 0..20 {
        let tcp = TcpListener::bind("127.0.0.1:0")?;
        let port = tcp.local_addr()?.port();
        match UdpSocket::bind(("127.0.0.1", port)) {
            Ok(udp) => return Ok((tcp, udp)),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => last_error = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_error.unwrap_or_else(|| io::Error::other("no free port")))
}
// ANCHOR_END: ports

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};
    use std::io::{Read, Write};
    use std::net::TcpStream;

    #[test]
    fn tcp_and_udp_share_a_port_number_and_traffic_goes_to_the_right_socket() {
        within(LIMIT, || {
            let (tcp, udp) = bind_tcp_and_udp_on_one_port().unwrap();
            let port = tcp.local_addr().unwrap().port();
            assert_eq!(udp.local_addr().unwrap().port(), port);

            // 发往 UDP 端口的数据报只到 UDP 套接字
            let sender = UdpSocket::bind("127.0.0.1:0").unwrap();
            sender.send_to(b"datagram", ("127.0.0.1", port)).unwrap();
            let mut buf = [0u8; 16];
            let (n, _) = udp.recv_from(&mut buf).unwrap();
            assert_eq!(&buf[..n], b"datagram");

            // 连向 TCP 端口的连接只到 TCP 监听套接字
            let mut client = TcpStream::connect(("127.0.0.1", port)).unwrap();
            client.write_all(b"stream").unwrap();
            drop(client);
            let (mut conn, _) = tcp.accept().unwrap();
            let mut got = Vec::new();
            conn.read_to_end(&mut got).unwrap();
            assert_eq!(got, b"stream");
        });
    }

    #[test]
    fn a_second_tcp_listener_on_the_same_port_is_refused() {
        let (tcp, _udp) = bind_tcp_and_udp_on_one_port().unwrap();
        let port = tcp.local_addr().unwrap().port();
        let err = TcpListener::bind(("127.0.0.1", port)).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
    }
}
