//! 流量控制：接收方不读，发送方写到阻塞，对方通告的窗口降到 0；接收方读走数据后恢复（仅 Linux）。

use crate::accept_queue::tcp_info;
use std::io::{self, ErrorKind, Write};
use std::net::TcpStream;

// ANCHOR: flow
/// 非阻塞地一直写，直到内核说"写不进去了"（WouldBlock），返回写进去的字节数。
/// 写进去只代表进了本机的发送缓冲区；对方不读，数据最终堆在对方的接收缓冲区和本机的发送缓冲区里。
pub fn write_until_blocked(sender: &mut TcpStream, chunk: &[u8]) -> io::Result<usize> {
    sender.set_nonblocking(true)?;
    let mut written = 0;
    let result = loop {
        match sender.write(chunk) {
            Ok(n) => written += n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => break Ok(written),
            Err(e) => break Err(e),
        }
    };
    sender.set_nonblocking(false)?;
    result
}

/// 发送方视角：对方最近一次通告的接收窗口（字节，已按窗口扩大因子换算）。
pub fn peer_window(sender: &TcpStream) -> io::Result<u32> {
    Ok(tcp_info(sender)?.tcpi_snd_wnd)
}
// ANCHOR_END: flow

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accept_queue::wait_until;
    use crate::test_support::{within, LIMIT};
    use std::io::Read;
    use std::net::TcpListener;
    use std::thread;

    #[test]
    fn a_receiver_that_does_not_read_closes_the_window_and_reading_reopens_it() {
        let (sent, received) = within(LIMIT, || {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let mut sender = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
            let (mut receiver, _) = listener.accept().unwrap();
            assert!(peer_window(&sender).unwrap() > 0);

            // 接收方不读：发送方很快就写不进去了
            let chunk = [7u8; 16 * 1024];
            let mut sent = write_until_blocked(&mut sender, &chunk).unwrap();
            assert!(sent > 0);
            // 接收缓冲区被填满后，接收方通告零窗口
            wait_until(|| peer_window(&sender).unwrap() == 0);

            // 接收方开始读：窗口重新打开，发送方剩下的数据都能发完
            let reader = thread::spawn(move || {
                let mut all = Vec::new();
                receiver.read_to_end(&mut all).unwrap();
                all.len()
            });
            sender.write_all(&chunk).unwrap();
            sent += chunk.len();
            drop(sender); // FIN：让接收方的 read_to_end 结束
            (sent, reader.join().unwrap())
        });
        assert_eq!(received, sent, "nothing lost while the window was closed");
    }
}
