//! 向本机一个小小的“权威服务器”查 www.example.com：小应答走 UDP，超过 512 字节的应答被截断后改走 TCP。
//! `cargo run -p snippets --example dns_msg`

use snippets::dns_msg::{bind_server, build_query, lookup, serve_once, RData, Record, TYPE_A};
use std::net::Ipv4Addr;
use std::thread;

fn ask(records: Vec<Record>) -> std::io::Result<()> {
    let (udp, tcp) = bind_server()?;
    let addr = udp.local_addr()?;
    let server = thread::spawn(move || serve_once(&udp, &tcp, &records));
    let (transport, answers) = lookup(addr, "www.example.com")?;
    server.join().expect("server panicked")?;
    println!("经 {transport} 收到 {} 条记录：", answers.len());
    for r in answers.iter().take(3) {
        match &r.data {
            RData::A(ip) => println!("  {}  TTL {}  A      {ip}", r.name, r.ttl),
            RData::Cname(t) => println!("  {}  TTL {}  CNAME  {t}", r.name, r.ttl),
        }
    }
    if answers.len() > 3 {
        println!("  ……");
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let q = build_query(0x1234, "www.example.com", TYPE_A);
    let hex: Vec<String> = q.iter().map(|b| format!("{b:02x}")).collect();
    println!("查询报文 {} 字节：{}", q.len(), hex.join(" "));

    ask(vec![
        Record {
            name: "www.example.com".into(),
            ttl: 300,
            data: RData::Cname("web.example.net".into()),
        },
        Record {
            name: "web.example.net".into(),
            ttl: 60,
            data: RData::A(Ipv4Addr::new(203, 0, 113, 10)),
        },
    ])?;

    let many = (0..40)
        .map(|i| Record {
            name: "www.example.com".into(),
            ttl: 60,
            data: RData::A(Ipv4Addr::new(198, 51, 100, i)),
        })
        .collect();
    ask(many)
}
