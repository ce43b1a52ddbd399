//! 接收方不读：发送方写到阻塞，对方窗口降到 0，坚持计时器开始探测；接收方读走后窗口重新打开。
//! 运行期间另开一个终端执行 `ss -tno`，发送方那条连接会显示 timer:(persist,…)。
//!
//! cargo run -p snippets --example zero_window

use snippets::accept_queue::wait_until;
use snippets::flow_control::*;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let mut sender = TcpStream::connect(listener.local_addr()?)?;
    let (mut receiver, _) = listener.accept()?;
    println!(
        "刚建立连接：对方通告的窗口 = {} 字节",
        peer_window(&sender)?
    );

    let written = write_until_blocked(&mut sender, &[0u8; 16 * 1024])?;
    println!("接收方不读，发送方写了 {written} 字节后写不进去了（WouldBlock）");
    let start = Instant::now();
    wait_until(|| peer_window(&sender).map(|w| w == 0).unwrap_or(false));
    println!(
        "{:.0} ms 后对方通告零窗口",
        start.elapsed().as_secs_f64() * 1000.0
    );
    // 这 3 秒里发送方的坚持计时器在工作：`ss -tno` 能看到 timer:(persist,…)
    thread::sleep(Duration::from_secs(3));
    println!(
        "又过了 3 秒：窗口仍是 {}，连接没有断开（发送方在定期探测）",
        peer_window(&sender)?
    );

    let mut buf = vec![0u8; 1 << 20];
    let n = receiver.read(&mut buf)?;
    wait_until(|| peer_window(&sender).map(|w| w > 0).unwrap_or(false));
    println!(
        "接收方读走 {n} 字节后，对方通告的窗口 = {} 字节",
        peer_window(&sender)?
    );
    Ok(())
}
