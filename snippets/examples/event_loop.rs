//! 一个线程、一个 poll 循环，同时服务三个一直开着的客户端：
//! `cargo run -p snippets --example event_loop`

use snippets::event_loop::serve;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::thread;

fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let server = thread::spawn(move || serve(&listener, 3));
    let mut clients = Vec::new();
    for _ in 0..3 {
        clients.push(TcpStream::connect(addr)?);
    }
    // 三条连接都开着，按 c、b、a 的顺序轮流提问
    for round in 1..=2 {
        for (name, s) in ["a", "b", "c"].iter().zip(clients.iter_mut()).rev() {
            let msg = format!("{name} 的第 {round} 个问题");
            s.write_all(msg.as_bytes())?;
            let mut back = vec![0; msg.len()];
            s.read_exact(&mut back)?;
            println!("{name} 收回：{}", String::from_utf8_lossy(&back));
        }
    }
    for s in &clients {
        s.shutdown(Shutdown::Write)?; // 说完了；服务器读到 EOF 就关掉这条连接
    }
    let stats = server.join().expect("server panicked")?;
    println!(
        "服务器只有一个线程：服务了 {} 个客户端，最多同时开着 {} 条连接，调用 poll {} 次",
        stats.served, stats.most_open, stats.polls
    );
    Ok(())
}
