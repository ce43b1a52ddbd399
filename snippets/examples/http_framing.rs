//! 三条 HTTP/1.1 响应首尾相接，每次只到 3 个字节，照样一条条分开：
//! `cargo run -p snippets --example http_framing`

use snippets::http_framing::{read_response, Trickle, THREE_RESPONSES};
use std::io::BufReader;

fn main() -> std::io::Result<()> {
    println!("连接上收到的字节（{} 字节）：", THREE_RESPONSES.len());
    println!(
        "{}",
        String::from_utf8_lossy(THREE_RESPONSES).escape_debug()
    );
    let mut r = BufReader::with_capacity(
        4,
        Trickle {
            data: THREE_RESPONSES,
            n: 3,
        },
    );
    while let Some(resp) = read_response(&mut r)? {
        let how = resp
            .headers
            .iter()
            .find(|(n, _)| n == "transfer-encoding" || n == "content-length")
            .map_or("没有正文".to_string(), |(n, v)| format!("{n}: {v}"));
        println!(
            "响应 {}（{how}）：正文 {:?}",
            resp.status,
            String::from_utf8_lossy(&resp.body)
        );
    }
    Ok(())
}
