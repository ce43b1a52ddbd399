//! Store buffering（Dekker）试验：数一数两个线程都读到 0 的次数。
//! 运行：cargo run -p snippets --release --example store_buffering

use snippets::message_passing::{count_both_zero, relaxed_with_fence, release_acquire, seq_cst};
use std::sync::atomic::{AtomicU32, Ordering};

const ROUNDS: u32 = 1_000_000;

/// 每个线程做的那一步：写自己的变量，再读对方的。
type Step = fn(&AtomicU32, &AtomicU32) -> u32;

fn relaxed(mine: &AtomicU32, theirs: &AtomicU32) -> u32 {
    mine.store(1, Ordering::Relaxed);
    theirs.load(Ordering::Relaxed)
}

fn main() {
    let steps: [(&str, Step); 4] = [
        ("Relaxed               ", relaxed),
        ("Release/Acquire       ", release_acquire),
        ("SeqCst                ", seq_cst),
        ("Relaxed + SeqCst fence", relaxed_with_fence),
    ];
    for (name, step) in steps {
        let n = count_both_zero(ROUNDS, step);
        println!("{name} r1 == r2 == 0 in {n:>7} of {ROUNDS} rounds");
    }
}
