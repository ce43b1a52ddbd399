//! tokio 的 echo 服务器跑在单线程运行时上，三个客户端同时请求：
//! `cargo run -p snippets --example tokio_echo`

use snippets::tokio_echo::{request, serve};
use tokio::net::TcpListener;

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    println!("服务器在 {addr} 监听，运行时只有一个线程");
    tokio::spawn(serve(listener));
    let big = vec![b'x'; 1 << 20];
    let (a, b, c) = tokio::join!(
        request(addr, b"hello"),
        request(addr, &big),
        request(addr, "你好".as_bytes()),
    );
    println!("客户端 1 收回：{}", String::from_utf8_lossy(&a?));
    println!("客户端 2 收回 {} 字节（发出 {} 字节）", b?.len(), big.len());
    println!("客户端 3 收回：{}", String::from_utf8_lossy(&c?));
    Ok(())
}
