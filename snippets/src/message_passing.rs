//! 内存序：用 Release/Acquire 传递消息，以及 store buffering（Dekker）试验。

use std::cell::UnsafeCell;
use std::hint::spin_loop;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::thread;

// ANCHOR: message-passing
/// 一次性的“信箱”：数据是普通（非原子）内存，只靠 `ready` 这个原子标志来发布。
/// 这正是互斥锁、通道、`OnceLock` 内部用的模式：写完数据，再用 Release 写标志；
/// 读者用 Acquire 读到标志为 true，就一定能看到标志之前写下的数据。
pub struct Mailbox {
    data: UnsafeCell<u64>,
    ready: AtomicBool,
}

// SAFETY：`data` 只在 `ready` 为 false 时由唯一的写者写一次（`put` 需要调用方保证只调用一次），
// 只在读到 `ready == true`（Acquire）之后才被读，写和读之间有 happens-before，没有数据竞争。
unsafe impl Sync for Mailbox {}

impl Mailbox {
    pub const fn new() -> Self {
        Mailbox {
            data: UnsafeCell::new(0),
            ready: AtomicBool::new(false),
        }
    }

    /// # Safety
    /// 整个生命周期里只能调用一次，且只能由一个线程调用。
    pub unsafe fn put(&self, value: u64) {
        unsafe { *self.data.get() = value }; // ① 普通写
        self.ready.store(true, Ordering::Release); // ② 发布：①不会被排到②之后
    }

    /// 一直等到有消息，然后取出它。
    pub fn take(&self) -> u64 {
        while !self.ready.load(Ordering::Acquire) {
            // ③ 读到 true 的这次 Acquire 与②“同步”（synchronizes-with）
            thread::yield_now();
        }
        unsafe { *self.data.get() } // ④ ① happens-before ④，一定读到完整的值
    }
}

impl Default for Mailbox {
    fn default() -> Self {
        Self::new()
    }
}

/// 一个线程放、另一个线程取，返回取到的值。
pub fn send_once(value: u64) -> u64 {
    let mailbox = Mailbox::new();
    thread::scope(|s| {
        s.spawn(|| unsafe { mailbox.put(value) });
        s.spawn(|| mailbox.take()).join().unwrap()
    })
}
// ANCHOR_END: message-passing

// ANCHOR: store-buffering
/// Store buffering（Dekker 算法的核心）：
///   线程 A：x = 1; r1 = y        线程 B：y = 1; r2 = x
/// 跑 `rounds` 轮，返回 r1 == 0 && r2 == 0 出现的次数。
/// 只有四个操作全用 SeqCst 时，语言才保证这个次数是 0；
/// Release/Acquire 甚至 Relaxed 都允许两个线程都读到 0。
pub fn count_both_zero(rounds: u32, store: Ordering, load: Ordering) -> u32 {
    let x = AtomicU32::new(0);
    let y = AtomicU32::new(0);
    let arrived = AtomicU32::new(0); // 两个线程共用的轮次栅栏
    let (r1s, r2s) = thread::scope(|s| {
        let a = s.spawn(|| {
            let mut seen = Vec::with_capacity(rounds as usize);
            for round in 0..rounds {
                rendezvous(&arrived, 4 * round + 2);
                x.store(1, store);
                seen.push(y.load(load));
                rendezvous(&arrived, 4 * round + 4);
                // 两个线程都做完了这一轮，由 A 清零，B 在下一轮的栅栏处等着
                x.store(0, Ordering::Relaxed);
                y.store(0, Ordering::Relaxed);
            }
            seen
        });
        let b = s.spawn(|| {
            let mut seen = Vec::with_capacity(rounds as usize);
            for round in 0..rounds {
                rendezvous(&arrived, 4 * round + 2);
                y.store(1, store);
                seen.push(x.load(load));
                rendezvous(&arrived, 4 * round + 4);
            }
            seen
        });
        (a.join().unwrap(), b.join().unwrap())
    });
    r1s.iter()
        .zip(&r2s)
        .filter(|(&r1, &r2)| r1 == 0 && r2 == 0)
        .count() as u32
}

/// 两个线程的栅栏：各自把计数加 1，等计数到 `target`。
/// 先忙等一小会儿（两个线程在两个核上时，这样放行的时刻最接近），再让出 CPU（单核上也能推进）。
fn rendezvous(arrived: &AtomicU32, target: u32) {
    arrived.fetch_add(1, Ordering::AcqRel);
    let mut spins = 0u32;
    while arrived.load(Ordering::Acquire) < target {
        if spins < 200 {
            spins += 1;
            spin_loop();
        } else {
            thread::yield_now();
        }
    }
}
// ANCHOR_END: store-buffering

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};

    /// Release/Acquire 的保证：读者看到标志，就看到数据。每一轮都必须成立。
    #[test]
    fn acquire_always_sees_the_data_written_before_the_release() {
        within(LIMIT, || {
            for i in 1..=2_000u64 {
                let value = i * 0x0101_0101_0101;
                assert_eq!(send_once(value), value);
            }
        });
    }

    /// SeqCst 的保证：store buffering 永远不会两边都读到 0。
    /// （反方向——Release/Acquire 时能观察到两个 0——是允许而非必然，不能断言，见示例程序。）
    #[test]
    fn seq_cst_forbids_both_zero() {
        let n = within(LIMIT, || {
            count_both_zero(5_000, Ordering::SeqCst, Ordering::SeqCst)
        });
        assert_eq!(n, 0);
    }
}
