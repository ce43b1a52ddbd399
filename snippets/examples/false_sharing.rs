//! 伪共享的实测：同一条缓存行里的两个计数器 vs 各占一条缓存行。
//! 运行：cargo run -p snippets --release --example false_sharing

use snippets::false_sharing::{count_both, line_of, SameLine, SeparateLines};
use std::time::{Duration, Instant};

const N: u64 = 20_000_000;
const RUNS: usize = 5;

/// 跑 RUNS 次，取最快的一次（排除其他进程干扰造成的偏慢）。
fn best(mut f: impl FnMut() -> (u64, u64)) -> Duration {
    (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let totals = f();
            let elapsed = start.elapsed();
            assert_eq!(totals, (N, N));
            elapsed
        })
        .min()
        .unwrap()
}

fn main() {
    let same = SameLine::default();
    let sep = SeparateLines::default();
    println!(
        "same line:      a in line {:#x}, b in line {:#x}",
        line_of(&same.a),
        line_of(&same.b)
    );
    println!(
        "separate lines: a in line {:#x}, b in line {:#x}",
        line_of(&sep.a.0),
        line_of(&sep.b.0)
    );
    let shared = best(|| {
        same.a.store(0, std::sync::atomic::Ordering::Relaxed);
        same.b.store(0, std::sync::atomic::Ordering::Relaxed);
        count_both(&same.a, &same.b, N)
    });
    let padded = best(|| {
        sep.a.0.store(0, std::sync::atomic::Ordering::Relaxed);
        sep.b.0.store(0, std::sync::atomic::Ordering::Relaxed);
        count_both(&sep.a.0, &sep.b.0, N)
    });
    let per_op = |d: Duration| d.as_secs_f64() * 1e9 / N as f64;
    println!("2 threads x {N} fetch_add each, best of {RUNS} runs:");
    println!(
        "  same cache line: {:>8.1} ms  ({:.1} ns per increment)",
        shared.as_secs_f64() * 1e3,
        per_op(shared)
    );
    println!(
        "  padded (64 B):   {:>8.1} ms  ({:.1} ns per increment)",
        padded.as_secs_f64() * 1e3,
        per_op(padded)
    );
    println!(
        "  ratio: {:.1}x",
        shared.as_secs_f64() / padded.as_secs_f64()
    );
}
