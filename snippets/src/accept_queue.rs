//! 全连接队列（accept queue）：小 backlog 的监听套接字，只连接不 accept，看队列满了会怎样。
//! 只适用于 Linux：队列长度从 `TCP_INFO` 读，溢出次数从 `/proc/net/netstat` 读。

use socket2::{Domain, Protocol, Socket, Type};
use std::io;
use std::mem;
use std::net::{SocketAddr, TcpListener};
use std::os::fd::AsRawFd;

// ANCHOR: queue
/// 在 127.0.0.1 的随机端口上监听，backlog 由调用方指定。
/// （内核会把它截到 `net.core.somaxconn` 以内。）
pub fn listen_with_backlog(backlog: i32) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    socket.bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())?;
    socket.listen(backlog)?;
    Ok(socket.into())
}

/// 监听套接字的全连接队列：(当前长度, 上限)，就是 `ss -lnt` 里的 Recv-Q 和 Send-Q。
/// 对 LISTEN 状态的套接字，内核在 TCP_INFO 的 tcpi_unacked / tcpi_sacked 里填的是这两个数。
pub fn accept_queue(listener: &TcpListener) -> io::Result<(u32, u32)> {
    let info = tcp_info(listener)?;
    Ok((info.tcpi_unacked, info.tcpi_sacked))
}

/// 本网络命名空间里"监听队列溢出"的累计次数：`netstat -s` 里的
/// "times the listen queue of a socket overflowed"，即 /proc/net/netstat 的 TcpExt: ListenOverflows。
pub fn listen_overflows() -> io::Result<u64> {
    let text = std::fs::read_to_string("/proc/net/netstat")?;
    let mut rows = text.lines().filter(|l| l.starts_with("TcpExt:"));
    let (names, values) = (rows.next(), rows.next());
    let missing = || io::Error::new(io::ErrorKind::NotFound, "TcpExt: ListenOverflows");
    let (names, values) = names.zip(values).ok_or_else(missing)?;
    names
        .split_whitespace()
        .zip(values.split_whitespace())
        .find(|(name, _)| *name == "ListenOverflows")
        .and_then(|(_, value)| value.parse().ok())
        .ok_or_else(missing)
}
// ANCHOR_END: queue

/// 连接状态，取值同内核的 include/net/tcp_states.h。
pub const TCP_ESTABLISHED: u8 = 1;
pub const TCP_SYN_SENT: u8 = 2;

/// 任意 TCP 套接字的当前状态（`ss` 的 State 列）。
pub fn tcp_state(socket: &impl AsRawFd) -> io::Result<u8> {
    Ok(tcp_info(socket)?.tcpi_state)
}

pub(crate) fn tcp_info(socket: &impl AsRawFd) -> io::Result<libc::tcp_info> {
    // SAFETY: tcp_info 是纯数据结构，全零是合法值；getsockopt 最多写 len 个字节。
    let mut info: libc::tcp_info = unsafe { mem::zeroed() };
    let mut len = mem::size_of::<libc::tcp_info>() as libc::socklen_t;
    let rc = unsafe {
        libc::getsockopt(
            socket.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_INFO,
            (&mut info as *mut libc::tcp_info).cast(),
            &mut len,
        )
    };
    if rc == 0 {
        Ok(info)
    } else {
        Err(io::Error::last_os_error())
    }
}

/// 非阻塞地发起连接（只发出 SYN，不等结果）。
pub fn start_connect(addr: SocketAddr) -> io::Result<Socket> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    socket.set_nonblocking(true)?;
    match socket.connect(&addr.into()) {
        Ok(()) => Ok(socket),
        Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => Ok(socket),
        Err(e) => Err(e),
    }
}

/// 反复检查一个条件直到成立（用在测试和示例里等内核处理完回环上的报文）。
pub fn wait_until(mut condition: impl FnMut() -> bool) {
    while !condition() {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::within;
    use std::net::TcpStream;
    use std::time::Duration;

    /// 第 4 个连接要靠客户端重传 SYN 才能建立：重传发生在第 1、3、7、15、31 秒。
    /// 机器很忙、accept 晚了几秒时会错过前几次重传，所以给这个测试留足时间。
    const SYN_RETRIES_LIMIT: Duration = Duration::from_secs(40);

    #[test]
    fn the_limit_is_the_backlog() {
        let listener = listen_with_backlog(5).unwrap();
        assert_eq!(accept_queue(&listener).unwrap(), (0, 5));
    }

    #[test]
    fn connect_succeeds_without_accept_until_the_queue_is_full() {
        within(SYN_RETRIES_LIMIT, || {
            let listener = listen_with_backlog(2).unwrap();
            let addr = listener.local_addr().unwrap();
            // Linux 的判满条件是"队列长度 > backlog"，所以能放下 backlog + 1 = 3 个连接：
            // 三次握手由内核完成，connect() 成功，而服务器一次 accept() 都没调用
            let _clients: Vec<TcpStream> =
                (0..3).map(|_| TcpStream::connect(addr).unwrap()).collect();
            wait_until(|| accept_queue(&listener).unwrap().0 == 3);

            // 第 4 个：队列已满，内核直接丢掉它的 SYN，并把 ListenOverflows 加一
            let before = listen_overflows().unwrap();
            let late = start_connect(addr).unwrap();
            wait_until(|| listen_overflows().unwrap() > before);
            assert_eq!(tcp_state(&late).unwrap(), TCP_SYN_SENT);
            assert_eq!(accept_queue(&listener).unwrap(), (3, 2));

            // accept 走一个，队列腾出位置；客户端约 1 秒后重传的 SYN 就能完成握手
            let (_first, _) = listener.accept().unwrap();
            wait_until(|| tcp_state(&late).unwrap() == TCP_ESTABLISHED);
            wait_until(|| accept_queue(&listener).unwrap().0 == 3);
        });
    }
}
