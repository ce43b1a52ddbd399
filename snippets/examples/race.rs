//! `cargo run -p snippets --example race`：丢失更新，先确定地复现，再看看放任调度时丢了多少。
use snippets::race::{atomic_count, lost_updates, mutex_count, racy_count};

fn main() {
    for threads in [2, 4, 8] {
        println!(
            "{threads} 个线程各加 1，都先读后写：结果 {}",
            lost_updates(threads)
        );
    }
    let (threads, per) = (4, 1_000_000);
    println!("\n{threads} 个线程各加 {per} 次，期望 {}：", threads * per);
    for run in 1..=5 {
        println!("  不加控制，第 {run} 次：{}", racy_count(threads, per));
    }
    println!("  Mutex：{}", mutex_count(threads, per));
    println!("  fetch_add：{}", atomic_count(threads, per));
}
