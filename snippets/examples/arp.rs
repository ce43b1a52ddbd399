//! 拼出页面上 tcpdump 抓到的那两帧，看长度为什么一个 42、一个 60：
//! `cargo run -p snippets --example arp`

use snippets::arp::{describe, pad, parse, reply, request};
use std::net::Ipv4Addr;

fn hex(f: &[u8]) -> String {
    f.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let host = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];
    let gw = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55];
    let req = request(
        host,
        Ipv4Addr::new(192, 168, 1, 23),
        Ipv4Addr::new(192, 168, 1, 1),
    );
    let asked = parse(&req).expect("an ARP frame");
    println!(
        "{}, length {}（帧 {} 字节）",
        describe(&asked),
        req.len() - 14,
        req.len()
    );
    println!("  {}", hex(&req));
    let rep = pad(reply(&asked, gw));
    let answered = parse(&rep).expect("an ARP frame");
    println!("{}（帧补齐到 {} 字节）", describe(&answered), rep.len());
    println!("  {}", hex(&rep));
}
