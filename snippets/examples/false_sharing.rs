//! 伪共享的实测：同一条缓存行里的两个计数器 vs 各占一条缓存行。
//! 运行：cargo run -p snippets --release --example false_sharing

#[path = "common/bursts.rs"]
mod bursts;

use snippets::false_sharing::{line_of, SameLine, SeparateLines};
use std::sync::atomic::{AtomicU64, Ordering};

const BURSTS: usize = 10_000;
const PER_BURST: u64 = 2_000;

fn run(a: &AtomicU64, b: &AtomicU64) -> bursts::Measured {
    let counters = [a, b];
    let m = bursts::measure(2, BURSTS, PER_BURST, |t| {
        counters[t].fetch_add(1, Ordering::Relaxed);
    });
    // 计时之外，结果照样要对
    assert_eq!(a.load(Ordering::Relaxed), BURSTS as u64 * PER_BURST);
    assert_eq!(b.load(Ordering::Relaxed), BURSTS as u64 * PER_BURST);
    m
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
    println!(
        "2 threads, {BURSTS} bursts of {PER_BURST} fetch_add each; bursts where neither thread was preempted:"
    );
    let shared = run(&same.a, &same.b);
    let padded = run(&sep.a.0, &sep.b.0);
    println!(
        "  same cache line: {} ns per increment (median of {} bursts)",
        shared.show(6),
        shared.kept
    );
    println!(
        "  padded (64 B):   {} ns per increment (median of {} bursts)",
        padded.show(6),
        padded.kept
    );
    if shared.kept >= 20 && padded.kept >= 20 {
        println!("  ratio: {:.1}x", shared.ns_per_op / padded.ns_per_op);
    }
}
