//! 零拷贝：把文件发到 TCP socket 的两种写法。`read` + `write` 让数据经过用户缓冲区，
//! `sendfile(2)` 让内核直接从页缓存发出，数据不进入用户态。

use std::fs::File;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::os::fd::AsRawFd;

// ANCHOR: read_write
/// 传统写法：每一块数据都要从内核拷到 `buf`，再从 `buf` 拷回内核的 socket 发送缓冲区。
pub fn send_with_read_write(file: &mut File, sock: &mut TcpStream) -> io::Result<u64> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0;
    loop {
        // 页缓存 → 用户缓冲区：一次 CPU 拷贝，一次系统调用。
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(total);
        }
        // 用户缓冲区 → socket 发送缓冲区：又一次 CPU 拷贝，又一次（或几次）系统调用。
        sock.write_all(&buf[..n])?;
        total += n as u64;
    }
}
// ANCHOR_END: read_write

// ANCHOR: sendfile
/// `sendfile(2)`：告诉内核“把这个文件从 offset 开始的若干字节发到这个 socket”，
/// 数据从页缓存直接进入 socket，用户态一个字节也看不到。
pub fn send_with_sendfile(file: &File, sock: &TcpStream) -> io::Result<u64> {
    let len = file.metadata()?.len();
    let mut offset: libc::off_t = 0;
    while (offset as u64) < len {
        // Linux 上一次 sendfile 最多传 0x7ffff000 字节，大文件要循环。
        let count = (len - offset as u64).min(0x7fff_f000) as usize;
        // SAFETY: 两个描述符在调用期间都有效；offset 指向本函数栈上的变量，
        // 内核把它推进到已发送的位置，不会改动文件自己的读写位置。
        let n = unsafe { libc::sendfile(sock.as_raw_fd(), file.as_raw_fd(), &mut offset, count) };
        match n {
            -1 => {
                let err = io::Error::last_os_error();
                if err.kind() != io::ErrorKind::Interrupted {
                    return Err(err);
                }
            }
            0 => break, // 文件在发送途中被截短了
            _ => {}
        }
    }
    Ok(offset as u64)
}
// ANCHOR_END: sendfile

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};
    use std::io::{Seek, SeekFrom};
    use std::net::TcpListener;
    use std::thread;

    /// 一个确定的、不全是同一个字节的测试文件（xorshift 生成）。
    fn test_file(len: usize) -> (File, Vec<u8>) {
        let mut x: u32 = 0x9e37_79b9;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&bytes).unwrap();
        file.seek(SeekFrom::Start(0)).unwrap();
        (file, bytes)
    }

    /// 在回环地址上开一个接收端，把收到的全部字节交回来。
    fn receive_all(send: impl FnOnce(TcpStream) + Send + 'static) -> Vec<u8> {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let sender = thread::spawn(move || send(TcpStream::connect(addr).unwrap()));
        let (mut conn, _) = listener.accept().unwrap();
        let mut received = Vec::new();
        // 发送端发完后关闭连接，这里读到 EOF 才返回。
        conn.read_to_end(&mut received).unwrap();
        sender.join().unwrap();
        received
    }

    // ANCHOR: tests
    #[test]
    fn both_ways_deliver_the_same_bytes() {
        within(LIMIT, || {
            // 3 MiB 加一个零头：比 64 KiB 的缓冲区和 socket 缓冲区都大得多，最后一块不满。
            let len = 3 * 1024 * 1024 + 123;
            let (mut file, expected) = test_file(len);
            let got = receive_all(move |mut sock| {
                assert_eq!(
                    send_with_read_write(&mut file, &mut sock).unwrap(),
                    len as u64
                );
            });
            assert!(got == expected, "read + write 收到的字节不一致");

            let (file, expected) = test_file(len);
            let got = receive_all(move |sock| {
                assert_eq!(send_with_sendfile(&file, &sock).unwrap(), len as u64);
                // 传了 offset 参数时，sendfile 不移动文件自己的读写位置。
                assert_eq!((&file).stream_position().unwrap(), 0);
            });
            assert!(got == expected, "sendfile 收到的字节不一致");
        });
    }
    // ANCHOR_END: tests

    #[test]
    fn an_empty_file_sends_nothing() {
        within(LIMIT, || {
            let (file, _) = test_file(0);
            let got = receive_all(move |sock| {
                assert_eq!(send_with_sendfile(&file, &sock).unwrap(), 0);
            });
            assert!(got.is_empty());
        });
    }
}
