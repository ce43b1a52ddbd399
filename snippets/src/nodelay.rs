//! Nagle 算法与延迟确认：写-写-读模式、`TcpStream::set_nodelay`（TCP_NODELAY），以及一次写完的改法。

use std::io::{self, Read, Write};
use std::net::TcpStream;

// ANCHOR: nodelay
/// 有问题的写法：请求头和请求体分两次 `write`，然后等响应。
/// 第一段立刻发出；第二段也很小，而第一段还没被确认，Nagle 算法把它扣下；
/// 对端在等完整请求、没有响应可捎带，于是推迟 ACK（Linux 至少 40 ms）。两边互等。
pub fn write_write_read(
    stream: &mut TcpStream,
    head: &[u8],
    body: &[u8],
    reply: &mut [u8],
) -> io::Result<()> {
    stream.write_all(head)?;
    stream.write_all(body)?;
    stream.read_exact(reply)
}

/// 改法一：在用户态拼好，一次写出。没有第二个小段，也就没有可扣的。
pub fn one_write_then_read(
    stream: &mut TcpStream,
    head: &[u8],
    body: &[u8],
    reply: &mut [u8],
) -> io::Result<()> {
    let mut request = Vec::with_capacity(head.len() + body.len());
    request.extend_from_slice(head);
    request.extend_from_slice(body);
    stream.write_all(&request)?;
    stream.read_exact(reply)
}

/// 改法二：关掉 Nagle（TCP_NODELAY），每次 write 的数据都立即发出。
/// 适合交互式、小请求多的协议；代价是小包变多。
pub fn disable_nagle(stream: &TcpStream) -> io::Result<()> {
    stream.set_nodelay(true)
}
// ANCHOR_END: nodelay

/// 服务端：每次读满一个 `request_len` 字节的请求，回一个字节。对端关闭时返回处理的请求数。
pub fn serve_fixed_requests(mut conn: TcpStream, request_len: usize) -> io::Result<usize> {
    let mut request = vec![0u8; request_len];
    let mut served = 0;
    loop {
        match conn.read_exact(&mut request) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(served),
            Err(e) => return Err(e),
        }
        conn.write_all(b"k")?;
        served += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{tcp_pair as pair, within, LIMIT};
    use socket2::SockRef;
    use std::thread;

    #[test]
    fn nagle_is_on_by_default_and_set_nodelay_turns_it_off() {
        let (client, _server) = pair();
        assert!(!client.nodelay().unwrap(), "Nagle is on by default");
        disable_nagle(&client).unwrap();
        assert!(client.nodelay().unwrap());
        // 同一个选项，从 socket2 读也一样
        assert!(SockRef::from(&client).tcp_nodelay().unwrap());
    }

    #[test]
    fn tcp_cork_reads_back() {
        let (client, _server) = pair();
        let socket = SockRef::from(&client);
        socket.set_tcp_cork(true).unwrap();
        assert!(socket.tcp_cork().unwrap());
        socket.set_tcp_cork(false).unwrap(); // 拔掉"塞子"，攒着的数据立即发出
        assert!(!socket.tcp_cork().unwrap());
    }

    #[test]
    fn both_patterns_deliver_the_same_requests() {
        let served = within(LIMIT, || {
            let (mut client, server) = pair();
            let worker = thread::spawn(move || serve_fixed_requests(server, 8));
            let mut reply = [0u8; 1];
            for _ in 0..3 {
                write_write_read(&mut client, b"HEAD", b"BODY", &mut reply).unwrap();
                assert_eq!(&reply, b"k");
                one_write_then_read(&mut client, b"HEAD", b"BODY", &mut reply).unwrap();
                assert_eq!(&reply, b"k");
            }
            drop(client);
            worker.join().unwrap().unwrap()
        });
        assert_eq!(served, 6);
    }
}
