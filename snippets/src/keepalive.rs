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
    use crate::test_support::{tcp_pair as pair, within, LIMIT};
    use std::io::Read;

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
    fn when_the_peer_process_is_killed_its_kernel_sends_fin() {
        use std::io::ErrorKind;
        use std::os::fd::AsRawFd;
        use std::os::unix::process::CommandExt;
        use std::process::Command;

        let (n, before_kill) = within(LIMIT, || {
            let (mut client, server) = pair();
            // 把服务端这一头交给一个子进程：在 exec 之前把它复制成子进程的 fd 3
            // （dup2 得到的描述符不带 close-on-exec），子进程 `sleep` 就持有这条连接
            let fd = server.as_raw_fd();
            let mut command = Command::new("sleep");
            command.arg("60");
            // SAFETY: pre_exec 里只调用 dup2，它是异步信号安全的。
            unsafe {
                command.pre_exec(move || match libc::dup2(fd, 3) {
                    -1 => Err(std::io::Error::last_os_error()),
                    _ => Ok(()),
                });
            }
            let mut peer = command.spawn().unwrap();
            drop(server); // 现在只有子进程持有这条连接

            // 对端进程还活着：没有 FIN，非阻塞读只会得到"暂时没数据"
            client.set_nonblocking(true).unwrap();
            let before_kill = client.read(&mut [0u8; 16]).unwrap_err().kind();
            client.set_nonblocking(false).unwrap();

            // kill -9：进程来不及做任何事，是它的内核替它关闭套接字、发出 FIN
            peer.kill().unwrap();
            peer.wait().unwrap();
            (client.read(&mut [0u8; 16]).unwrap(), before_kill)
        });
        assert_eq!(before_kill, ErrorKind::WouldBlock);
        assert_eq!(n, 0, "EOF: the peer's kernel closed the connection");
    }
}
