//! 页面上的 echo 服务器和客户端跑一次：`cargo run -p snippets --example socket_echo`

use snippets::socket_echo::{request, serve_once};
use std::io;
use std::net::TcpListener;
use std::thread;

fn main() -> io::Result<()> {
    // 端口 0：让内核挑一个空闲端口，再问它挑了哪个
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    println!("服务器在 {addr} 监听");
    let server = thread::spawn(move || serve_once(&listener));
    let reply = request(addr, b"hello world")?;
    let got = server.join().expect("server panicked")?;
    println!("服务器收到：{}", String::from_utf8_lossy(&got));
    println!("客户端收回：{}", String::from_utf8_lossy(&reply));
    Ok(())
}
