//! Store buffering（Dekker）试验：数一数两个线程都读到 0 的次数。
//! 运行：cargo run -p snippets --release --example store_buffering

use snippets::message_passing::count_both_zero;
use std::sync::atomic::Ordering;

const ROUNDS: u32 = 1_000_000;

fn main() {
    for (name, store, load) in [
        ("Relaxed         ", Ordering::Relaxed, Ordering::Relaxed),
        ("Release/Acquire ", Ordering::Release, Ordering::Acquire),
        ("SeqCst          ", Ordering::SeqCst, Ordering::SeqCst),
    ] {
        let n = count_both_zero(ROUNDS, store, load);
        println!("{name} r1 == r2 == 0 in {n:>7} of {ROUNDS} rounds");
    }
}
