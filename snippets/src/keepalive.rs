//! TCP keepalive：用 socket2 给单个连接打开保活并设置 TCP_KEEPIDLE / TCP_KEEPINTVL / TCP_KEEPCNT。

use socket2::{SockRef, TcpKeepalive};
use std::io;
use std::net::TcpStream;
use std::time::Duration;

// ANCHOR: keepalive
/// 打开 SO_KEEPALIVE：连接空闲 `idle` 后开始探测，每隔 `interval` 探一次，
/// 连续 `probes` 次没有回应就断开，此后读写返回 ETIMEDOUT。
/// 三个值只作用于这个套接字，不用改全局的 net.ipv4.tcp_keepalive_* 。
pub fn enable_keepalive(
    stream: &TcpStream,
    idle: Duration,
    interval: Duration,
    probes: u32,
) -> io::Result<()> {
    let params = TcpKeepalive::new()
        .with_time(idle) // TCP_KEEPIDLE
        .with_interval(interval) // TCP_KEEPINTVL
        .with_retries(probes); // TCP_KEEPCNT
    SockRef::from(stream).set_tcp_keepalive(&params) // 同时打开 SO_KEEPALIVE
}

/// TCP_USER_TIMEOUT：已发出的数据最多多久得不到确认就放弃连接。
/// 它管的是"正在发数据却没人回"的情形，keepalive 管的是"双方都不说话"的情形。
pub fn set_user_timeout(stream: &TcpStream, timeout: Duration) -> io::Result<()> {
    SockRef::from(stream).set_tcp_user_timeout(Some(timeout))
}
// ANCHOR_END: keepalive

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};
    use std::io::Read;
    use std::net::TcpListener;

    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (client, server)
    }

    #[test]
    fn keepalive_is_off_until_the_application_turns_it_on() {
        let (client, _server) = pair();
        let socket = SockRef::from(&client);
        assert!(
            !socket.keepalive().unwrap(),
            "SO_KEEPALIVE is off by default"
        );

        enable_keepalive(&client, Duration::from_secs(60), Duration::from_secs(10), 3).unwrap();
        assert!(socket.keepalive().unwrap());
        assert_eq!(
            socket.tcp_keepalive_time().unwrap(),
            Duration::from_secs(60)
        );
        assert_eq!(
            socket.tcp_keepalive_interval().unwrap(),
            Duration::from_secs(10)
        );
        assert_eq!(socket.tcp_keepalive_retries().unwrap(), 3);
    }

    #[test]
    fn the_user_timeout_reads_back() {
        let (client, _server) = pair();
        set_user_timeout(&client, Duration::from_secs(30)).unwrap();
        assert_eq!(
            SockRef::from(&client).tcp_user_timeout().unwrap(),
            Some(Duration::from_secs(30))
        );
    }

    #[test]
    fn when_the_peer_process_goes_away_its_kernel_sends_fin() {
        // 进程退出（包括崩溃、被 kill -9）时，内核替它关闭所有套接字，和这里 drop 一样：
        // 对端读到 EOF（read 返回 0），而不是一直等下去
        let n = within(LIMIT, || {
            let (mut client, server) = pair();
            drop(server);
            client.read(&mut [0u8; 16]).unwrap()
        });
        assert_eq!(n, 0);
    }
}
