//! tokio 写的 echo 服务器：每个连接一个任务，一个线程就能同时服务多个客户端。

use tokio::io::{self, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

// ANCHOR: server
/// 一直接受连接；每个连接交给一个新任务，主循环马上回去等下一个。
pub async fn serve(listener: TcpListener) -> io::Result<()> {
    loop {
        let (conn, _peer) = listener.accept().await?;
        tokio::spawn(async move {
            if let Err(e) = echo(conn).await {
                eprintln!("连接出错：{e}"); // 一条连接出错，不影响其他连接
            }
        });
    }
}

/// 把读到的字节原样写回，直到对端关闭写方向；然后关闭连接。
async fn echo(mut conn: TcpStream) -> io::Result<()> {
    let (mut rd, mut wr) = conn.split();
    io::copy(&mut rd, &mut wr).await?; // 等数据时让出线程，别的连接照常被服务
    Ok(())
}
// ANCHOR_END: server

// ANCHOR: client
/// 客户端：发完半关闭，再读到服务器关闭为止。
pub async fn request(addr: std::net::SocketAddr, msg: &[u8]) -> io::Result<Vec<u8>> {
    let mut sock = TcpStream::connect(addr).await?;
    sock.write_all(msg).await?;
    sock.shutdown().await?; // 发 FIN：告诉服务器“我说完了”
    let mut reply = Vec::new();
    sock.read_to_end(&mut reply).await?;
    Ok(reply)
}
// ANCHOR_END: client

#[cfg(test)]
mod tests {
    use super::*;

    /// 单线程运行时：并发来自任务切换，不是多个线程。
    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .unwrap()
    }

    #[test]
    fn one_thread_serves_clients_that_are_open_at_the_same_time() {
        runtime().block_on(async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            tokio::spawn(serve(listener));
            // 三条连接同时开着，交错着问
            let mut c = Vec::new();
            for _ in 0..3 {
                c.push(TcpStream::connect(addr).await.unwrap());
            }
            for round in 0..3 {
                for (i, s) in c.iter_mut().enumerate().rev() {
                    let msg = format!("client {i} round {round}");
                    s.write_all(msg.as_bytes()).await.unwrap();
                    let mut back = vec![0; msg.len()];
                    s.read_exact(&mut back).await.unwrap();
                    assert_eq!(back, msg.as_bytes());
                }
            }
        });
    }

    #[test]
    fn concurrent_requests_each_get_their_own_message_back() {
        runtime().block_on(async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            tokio::spawn(serve(listener));
            let big: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
            let (a, b, c) = tokio::join!(
                request(addr, b"hello"),
                request(addr, &big),
                request(addr, "你好".as_bytes()),
            );
            assert_eq!(a.unwrap(), b"hello");
            assert!(b.unwrap() == big);
            assert_eq!(c.unwrap(), "你好".as_bytes());
        });
    }
}
