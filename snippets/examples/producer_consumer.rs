//! `cargo run -p snippets --example producer_consumer`：按题目的节奏（每 3 ms 生产、每 1 ms 消费）
//! 跑 1000 个数（约 3 秒），打印每个消费者拿到多少个、g_count 是多少。
//! `-- 10000` 跑完整的 10000 个（约 30 秒）。
use snippets::producer_consumer::{run, Config};
use std::time::Instant;

fn main() {
    let items = std::env::args()
        .nth(1)
        .map_or(1_000, |s| s.parse().expect("items"));
    let cfg = Config {
        items,
        ..Config::default()
    };
    let t0 = Instant::now();
    let report = run(&cfg);
    for (i, got) in report.per_consumer.iter().enumerate() {
        let head: Vec<_> = got.iter().take(5).collect();
        println!("消费者 {i}：{} 个，开头是 {head:?}", got.len());
    }
    println!("g_count = {}，用时 {:.1?}", report.g_count, t0.elapsed());
}
