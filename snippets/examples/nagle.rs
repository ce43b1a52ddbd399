//! 在回环地址上测三种写法的平均往返时间：写-写-读（Nagle 开）、写-写-读（TCP_NODELAY）、一次写。
//! 数字随机器而变，要看的是量级：第一种每次多出几十毫秒（延迟确认的定时器）。
//!
//! cargo run -p snippets --example nagle --release

use snippets::nodelay::*;
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Instant;

const ROUNDS: u32 = 20;

fn measure(label: &str, nodelay: bool, one_write: bool) -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let mut client = TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    let worker = thread::spawn(move || serve_fixed_requests(server, 200));
    if nodelay {
        disable_nagle(&client)?;
    }
    let (head, body) = ([b'h'; 100], [b'b'; 100]);
    let mut reply = [0u8; 1];
    // 先热身几轮：Linux 在连接刚建立时处于"快速确认"模式，交互几次后才开始延迟 ACK
    for _ in 0..5 {
        write_write_read(&mut client, &head, &body, &mut reply)?;
    }
    let start = Instant::now();
    for _ in 0..ROUNDS {
        if one_write {
            one_write_then_read(&mut client, &head, &body, &mut reply)?;
        } else {
            write_write_read(&mut client, &head, &body, &mut reply)?;
        }
    }
    let per_round = start.elapsed().as_secs_f64() * 1000.0 / f64::from(ROUNDS);
    println!("{label:<28} 平均每次请求 {per_round:8.3} ms");
    drop(client);
    worker.join().expect("server thread")?;
    Ok(())
}

fn main() -> std::io::Result<()> {
    measure("写-写-读，Nagle 开启", false, false)?;
    measure("写-写-读，TCP_NODELAY", true, false)?;
    measure("一次写完再读，Nagle 开启", false, true)?;
    Ok(())
}
