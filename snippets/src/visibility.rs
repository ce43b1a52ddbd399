//! 可见性：一个线程写的停止标志，另一个线程一定能看到——前提是它是原子变量。

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;

// ANCHOR: stop-flag
/// 工作线程一直转圈，直到看到主线程把 `stop` 置为 true，返回它转了多少圈。
///
/// 换成普通的 `bool` 并在另一个线程里赋值，安全 Rust 根本编译不过（见 send_sync 一页）；
/// 在 C/C++ 里那是数据竞争，编译器可以把 `while (!stop)` 里的读取提到循环外，变成死循环。
/// 原子变量的读取不能被这样合并掉：语言规定原子写入要在“合理的时间内”对原子读取可见。
/// 这里只需要“最终看到 true”，不需要借这个标志传递别的数据，所以 `Relaxed` 就够了。
pub fn run_until_stopped() -> u64 {
    let stop = AtomicBool::new(false);
    let started = AtomicBool::new(false);
    thread::scope(|s| {
        let worker = s.spawn(|| {
            started.store(true, Ordering::Relaxed);
            let mut spins = 0u64;
            while !stop.load(Ordering::Relaxed) {
                spins += 1;
                std::hint::spin_loop();
            }
            spins
        });
        // 等工作线程真的跑起来再叫停（让出 CPU，单核上也能推进）
        while !started.load(Ordering::Relaxed) {
            thread::yield_now();
        }
        stop.store(true, Ordering::Relaxed);
        worker.join().unwrap()
    })
}
// ANCHOR_END: stop-flag

// ANCHOR: torn
/// 原子性的另一面：一个 64 位原子变量只会被看到“整个旧值”或“整个新值”，
/// 不会看到高 32 位是新的、低 32 位是旧的（撕裂读，torn read）。
/// 写者在全 0 和全 1 之间来回切换，读者检查自己读到的每个值。
pub fn torn_reads(rounds: u64) -> u64 {
    let word = AtomicU64::new(0);
    let done = AtomicBool::new(false);
    thread::scope(|s| {
        s.spawn(|| {
            for i in 0..rounds {
                let v = if i % 2 == 0 { u64::MAX } else { 0 };
                word.store(v, Ordering::Relaxed);
            }
            done.store(true, Ordering::Relaxed);
        });
        let mut torn = 0;
        while !done.load(Ordering::Relaxed) {
            let v = word.load(Ordering::Relaxed);
            if v != 0 && v != u64::MAX {
                torn += 1;
            }
            thread::yield_now();
        }
        torn
    })
}
// ANCHOR_END: torn

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};

    #[test]
    fn the_worker_sees_the_stop_flag_and_finishes() {
        for _ in 0..5 {
            within(LIMIT, run_until_stopped);
        }
    }

    #[test]
    fn an_atomic_u64_is_never_seen_half_written() {
        assert_eq!(within(LIMIT, || torn_reads(200_000)), 0);
    }
}
