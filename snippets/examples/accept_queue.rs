//! 在回环地址上监听（backlog = 2），只连接不 accept，打印全连接队列和溢出计数。
//!
//! cargo run -p snippets --example accept_queue

use snippets::accept_queue::*;
use std::net::TcpStream;
use std::time::Instant;

fn main() -> std::io::Result<()> {
    let listener = listen_with_backlog(2)?;
    let addr = listener.local_addr()?;
    println!("监听 {addr}，backlog = 2");
    let mut clients = Vec::new();
    for n in 1..=3 {
        clients.push(TcpStream::connect(addr)?);
        wait_until(|| accept_queue(&listener).map(|q| q.0).ok() == Some(n));
        let (len, max) = accept_queue(&listener)?;
        println!("第 {n} 个 connect() 成功；Recv-Q = {len}，Send-Q = {max}");
    }
    let before = listen_overflows()?;
    let late = start_connect(addr)?;
    wait_until(|| listen_overflows().map(|n| n > before).unwrap_or(false));
    println!(
        "第 4 个：SYN 被丢弃，ListenOverflows {before} → {}，客户端状态 SYN_SENT = {}",
        listen_overflows()?,
        tcp_state(&late)? == TCP_SYN_SENT
    );
    let started = Instant::now();
    let _accepted = listener.accept()?;
    println!("accept() 取走一个连接，腾出位置……");
    wait_until(|| tcp_state(&late).ok() == Some(TCP_ESTABLISHED));
    println!(
        "第 4 个连接靠重传的 SYN 建立，accept 之后又等了 {:.2} 秒",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
