//! 打印一个网段的掩码、网络地址、广播地址和可用主机数，并可等分成更小的子网：
//! `cargo run -p snippets --example subnet -- 192.168.10.77/26`
//! `cargo run -p snippets --example subnet -- 192.168.10.0/24 26`

use snippets::cidr::{is_rfc1918, Ipv4Net};

fn describe(net: &Ipv4Net) {
    println!(
        "{net}: 掩码 {}，网络 {}，广播 {}，共 {} 个地址，可用 {} 个{}",
        net.mask(),
        net.network(),
        net.broadcast(),
        net.size(),
        net.usable_hosts(),
        if is_rfc1918(net.network()) {
            "（RFC 1918 私有地址）"
        } else {
            ""
        }
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let net: Ipv4Net = args
        .next()
        .unwrap_or_else(|| "192.168.10.77/26".to_string())
        .parse()
        .expect("形如 192.168.10.77/26");
    describe(&net);
    if let Some(prefix) = args.next() {
        let prefix: u8 = prefix.parse().expect("新的前缀长度是 0 到 32 的整数");
        println!("等分成 /{prefix}：");
        for sub in net.subnets(prefix) {
            describe(&sub);
        }
    }
}
