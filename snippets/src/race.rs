//! 竞态条件：非原子的"读-改-写"会丢失更新；用 `Mutex` 或 `fetch_add` 修好。

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Barrier, Mutex};
use std::thread;

// ANCHOR: race
/// `threads` 个线程各给计数器加 1，期望结果是 `threads`。
///
/// `load` 和 `store` 各自是原子的，没有数据竞争，这是安全 Rust；但"读-改-写"合起来不是原子的。
/// `Barrier` 把调度器偶尔才会排出的那种交错固定下来：所有线程都读完旧值，才有人写回。
/// 于是每个线程都写回"0 + 1"，不管开多少个线程，结果都是 1。
pub fn lost_updates(threads: usize) -> usize {
    let counter = AtomicUsize::new(0);
    let everyone_has_read = Barrier::new(threads);
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let v = counter.load(Ordering::SeqCst); // 读：大家读到的都是 0
                everyone_has_read.wait(); // 在读和写之间被别的线程插进来
                counter.store(v + 1, Ordering::SeqCst); // 写：覆盖了别人刚写的值
            });
        }
    });
    counter.into_inner()
}
// ANCHOR_END: race

/// 同样的读-改-写放进循环、不加任何控制：丢多少次更新全看调度，每次运行结果都可能不同。
/// 它只在示例程序里跑一跑、打印结果（`cargo run -p snippets --example race`），不做断言。
pub fn racy_count(threads: usize, per_thread: usize) -> usize {
    let counter = AtomicUsize::new(0);
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..per_thread {
                    let v = counter.load(Ordering::Relaxed);
                    counter.store(v + 1, Ordering::Relaxed);
                }
            });
        }
    });
    counter.into_inner()
}

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

    const THREADS: usize = 4;
    const PER_THREAD: usize = 100_000;

    #[test]
    fn when_everyone_reads_before_anyone_writes_all_but_one_increment_is_lost() {
        for threads in [2, 4, 8] {
            assert_eq!(within(LIMIT, move || lost_updates(threads)), 1, "{threads}");
        }
    }

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
}
