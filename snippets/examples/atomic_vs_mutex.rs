//! 加 1 这件事，`fetch_add`、CAS 循环、`Mutex` 各花多少时间：1 个线程（没有争用）和
//! 2 个线程同时抢同一个计数器（有争用）。
//! 运行：cargo run -p snippets --release --example atomic_vs_mutex

#[path = "common/bursts.rs"]
mod bursts;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

const BURSTS: usize = 10_000;
const PER_BURST: u64 = 2_000;

/// 用 compare_exchange_weak 循环加 1，返回失败重试的次数。
fn cas_increment(counter: &AtomicU64) -> u64 {
    let mut retries = 0;
    let mut cur = counter.load(Ordering::Relaxed);
    while let Err(actual) =
        counter.compare_exchange_weak(cur, cur + 1, Ordering::Relaxed, Ordering::Relaxed)
    {
        cur = actual;
        retries += 1;
    }
    retries
}

fn main() {
    println!("ns per increment per thread, median of the bursts where no thread was preempted");
    println!("threads  fetch_add   CAS loop   Mutex     (CAS retries per increment)");
    for threads in [1, 2] {
        let total = threads as u64 * BURSTS as u64 * PER_BURST;

        let counter = AtomicU64::new(0);
        let fa = bursts::measure(threads, BURSTS, PER_BURST, |_| {
            counter.fetch_add(1, Ordering::Relaxed);
        });
        assert_eq!(counter.into_inner(), total);

        let counter = AtomicU64::new(0);
        let retries = AtomicUsize::new(0);
        let cas = bursts::measure(threads, BURSTS, PER_BURST, |_| {
            let r = cas_increment(&counter);
            if r > 0 {
                retries.fetch_add(r as usize, Ordering::Relaxed);
            }
        });
        assert_eq!(counter.into_inner(), total);

        let counter = Mutex::new(0u64);
        let mx = bursts::measure(threads, BURSTS, PER_BURST, |_| {
            *counter.lock().unwrap() += 1;
        });
        assert_eq!(counter.into_inner().unwrap(), total);

        println!(
            "{threads:>7} {} {} {}     ({:.2}; kept {}/{}/{} of {BURSTS} bursts)",
            fa.show(10),
            cas.show(10),
            mx.show(7),
            retries.into_inner() as f64 / total as f64,
            fa.kept,
            cas.kept,
            mx.kept
        );
    }
}
