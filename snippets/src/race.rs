//! 竞态条件：非原子的"读-改-写"会丢失更新；用 `Mutex` 或 `fetch_add` 修好。

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;

// ANCHOR: race
/// 丢失更新（lost update）：`load` 和 `store` 各自是原子的，但"读-改-写"合起来不是。
/// 两个线程可能读到同一个旧值，各自加 1 再写回——两次加法只留下一次。
/// 这是安全 Rust（没有数据竞争的未定义行为），但结果是错的：逻辑上的竞态条件。
/// Python 的 `x += 1` 也一样不是原子的，GIL 并不能阻止这种交错。
pub fn racy_count(threads: usize, per_thread: usize) -> usize {
    let counter = AtomicUsize::new(0);
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..per_thread {
                    let v = counter.load(Ordering::Relaxed); // 读
                    counter.store(v + 1, Ordering::Relaxed); // 写：中间可能已被别人改过
                }
            });
        }
    });
    counter.into_inner()
}
// ANCHOR_END: race

// ANCHOR: mutex
/// 互斥锁把整个"读-改-写"变成临界区：同一时刻只有一个线程在里面。
pub fn mutex_count(threads: usize, per_thread: usize) -> usize {
    let counter = Mutex::new(0usize);
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..per_thread {
                    *counter.lock().unwrap() += 1; // 拿锁、加 1、语句结束时自动解锁
                }
            });
        }
    });
    counter.into_inner().unwrap()
}

/// 只是计数的话，一条原子的读-改-写指令（fetch_add）就够了，不用锁。
pub fn atomic_count(threads: usize, per_thread: usize) -> usize {
    let counter = AtomicUsize::new(0);
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..per_thread {
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    counter.into_inner()
}
// ANCHOR_END: mutex

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};
    use std::sync::Barrier;

    const THREADS: usize = 4;
    const PER_THREAD: usize = 100_000;

    #[test]
    fn mutex_and_fetch_add_always_give_the_exact_total() {
        for _ in 0..3 {
            assert_eq!(
                within(LIMIT, || mutex_count(THREADS, PER_THREAD)),
                THREADS * PER_THREAD
            );
            assert_eq!(
                within(LIMIT, || atomic_count(THREADS, PER_THREAD)),
                THREADS * PER_THREAD
            );
        }
    }

    #[test]
    fn racy_count_never_exceeds_the_total() {
        // how many updates get lost depends on scheduling; it can only lose, never gain
        let n = within(LIMIT, || racy_count(THREADS, PER_THREAD));
        assert!((1..=THREADS * PER_THREAD).contains(&n), "{n}");
    }

    /// The unlucky interleaving, forced with a barrier: both threads read 0 before either
    /// writes, so two increments leave the counter at 1.
    #[test]
    fn the_lost_update_interleaving_loses_one_increment() {
        let counter = AtomicUsize::new(0);
        let both_have_read = Barrier::new(2);
        thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| {
                    let v = counter.load(Ordering::SeqCst);
                    both_have_read.wait();
                    counter.store(v + 1, Ordering::SeqCst);
                });
            }
        });
        assert_eq!(counter.into_inner(), 1);
    }
}
