//! 打印页面上 cwnd 图的数据：每一轮开始时的拥塞窗口。
//!
//! cargo run -p snippets --example congestion

fn main() {
    println!("轮次\tcwnd（MSS）");
    for (round, cwnd) in snippets::congestion::page_scenario().iter().enumerate() {
        let note = match round {
            9 => "  ← 本轮末收到 3 个重复 ACK",
            14 => "  ← 本轮末超时",
            _ => "",
        };
        println!("{round}\t{cwnd:>3} {}{note}", "#".repeat(*cwnd as usize));
    }
}
