//! 三条消息一次写进 TCP 连接，接收方每次只读几个字节，照样一条条拆开：
//! `cargo run -p snippets --example framing`

use snippets::framing::{read_frame, write_frame};
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

/// 每次最多交出 `max` 个字节的读端：模拟网络把字节流切得很碎。
struct Trickle<R> {
    inner: R,
    max: usize,
    reads: usize,
}

impl<R: Read> Read for Trickle<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.reads += 1;
        let n = buf.len().min(self.max);
        self.inner.read(&mut buf[..n])
    }
}

fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let sender = thread::spawn(move || -> io::Result<usize> {
        let mut wire = Vec::new();
        for msg in ["hello", "", "粘包与半包"] {
            write_frame(&mut wire, msg.as_bytes())?;
        }
        let mut s = TcpStream::connect(addr)?;
        s.write_all(&wire)?; // 三帧粘在一起，一次写出
        Ok(wire.len())
    });
    let (conn, _) = listener.accept()?;
    let sent = sender.join().expect("sender panicked")?;
    println!("发送方一次写出 {sent} 字节（三帧）");
    let mut r = Trickle {
        inner: conn,
        max: 3,
        reads: 0,
    };
    while let Some(frame) = read_frame(&mut r)? {
        println!("收到一帧：{:?}", String::from_utf8_lossy(&frame));
    }
    println!(
        "接收方每次最多读 3 字节，共调用 read {} 次；对端关闭，没有下一帧了",
        r.reads
    );
    Ok(())
}
