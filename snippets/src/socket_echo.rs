//! 手写 socket 通信：一问一答的 TCP echo 服务器与客户端（std::net）。

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

// ANCHOR: server
/// 接受一个连接，把收到的字节原样发回去，然后关闭连接。返回收到的请求。
///
/// TCP 是字节流，没有“一条消息”的边界：一次 `read` 不保证读到完整的 `hello world`。
/// 这里约定客户端发完就半关闭（shutdown 写方向），服务器读到 EOF（`read` 返回 0）
/// 就知道请求完整了。同一条连接上要来回多次，就得给消息加长度前缀。
pub fn serve_once(listener: &TcpListener) -> io::Result<Vec<u8>> {
    // 阻塞，直到有客户端完成三次握手
    let (mut conn, _peer) = listener.accept()?;
    let mut request = Vec::new();
    conn.read_to_end(&mut request)?; // 读到对端 FIN 为止
                                     // 一次 write 可能只写出一部分，write_all 会循环写完
    conn.write_all(&request)?;
    Ok(request) // 返回时 conn 被 drop，相当于 conn.close()：发出 FIN
}
// ANCHOR_END: server

// ANCHOR: client
/// 连接服务器，发送 `msg`，读回完整的响应。
pub fn request(addr: SocketAddr, msg: &[u8]) -> io::Result<Vec<u8>> {
    let timeout = Duration::from_secs(10); // 对应 sock.settimeout(10)
    let mut sock = TcpStream::connect_timeout(&addr, timeout)?;
    sock.set_read_timeout(Some(timeout))?;
    sock.write_all(msg)?;
    // 半关闭：告诉服务器“我说完了”，但还能继续读
    sock.shutdown(Shutdown::Write)?;
    let mut reply = Vec::new();
    sock.read_to_end(&mut reply)?; // 读到服务器关闭连接为止
    Ok(reply)
}
// ANCHOR_END: client

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};
    use std::thread;

    #[test]
    fn echo_returns_exactly_hello_world_over_loopback() {
        let (reply, request) = within(LIMIT, || {
            // 端口 0：让内核分配一个空闲的临时端口，测试之间互不冲突
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap();
            let server = thread::spawn(move || serve_once(&listener).unwrap());
            let reply = request(addr, b"hello world").unwrap();
            (reply, server.join().unwrap())
        });
        assert_eq!(request, b"hello world");
        assert_eq!(reply, b"hello world");
    }

    #[test]
    fn echo_handles_a_message_larger_than_one_recv() {
        // far more than one recv(1024) can return: it must come back whole
        let msg: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let expected = msg.clone();
        let reply = within(LIMIT, move || {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap();
            let server = thread::spawn(move || serve_once(&listener).unwrap());
            let reply = request(addr, &msg).unwrap();
            server.join().unwrap();
            reply
        });
        assert_eq!(reply, expected);
    }
}
