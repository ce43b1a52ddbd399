//! 打印一个 IPv4 数据报按给定 MTU 分片的结果：
//! `cargo run -p snippets --example fragments -- <总长度> <MTU>`（默认 4000 1500）。

use snippets::mtu::{fragment, mss_ipv4};

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>());
    let total = args.next().unwrap_or(Ok(4000)).expect("总长度应是整数");
    let mtu = args.next().unwrap_or(Ok(1500)).expect("MTU 应是整数");
    let header = 20;
    let payload = total.checked_sub(header).expect("总长度至少 20 字节");
    println!("数据报总长 {total} 字节（首部 {header} + 数据 {payload}），MTU {mtu}");
    match fragment(payload, mtu, header) {
        Ok(frags) => {
            println!("片  片偏移  偏移字节  数据长度  总长度  MF");
            for (i, f) in frags.iter().enumerate() {
                println!(
                    "{:>2}  {:>6}  {:>8}  {:>8}  {:>6}  {}",
                    i + 1,
                    f.offset_units,
                    f.offset_bytes(),
                    f.data_len,
                    f.data_len + header,
                    u8::from(f.more_fragments)
                );
            }
        }
        Err(e) => println!("无法分片：{e:?}"),
    }
    if mtu >= 40 {
        println!("这条链路上 TCP 的 MSS（IPv4，无选项）：{}", mss_ipv4(mtu));
    }
}
