//! `cargo run -p snippets --example async_demo`：两个协程各 sleep 1 秒，总共只用 1 秒左右。
use snippets::async_demo::run_until_complete;
use std::time::{Duration, Instant};

fn main() {
    let t0 = Instant::now();
    for line in run_until_complete(Duration::from_secs(1)) {
        println!("{line}");
    }
    println!("用时 {:.2?}", t0.elapsed());
}
