//! 内存序：用 Release/Acquire 传递消息，以及 store buffering（Dekker）试验。

use std::cell::UnsafeCell;
use std::hint::spin_loop;
use std::sync::atomic::{fence, AtomicBool, AtomicU32, Ordering};
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
/// `step(mine, theirs)` 是每个线程做的那一步：先写自己的变量，再读对方的，返回读到的值。
/// 跑 `rounds` 轮，返回 r1 == 0 && r2 == 0 出现的次数。
pub fn count_both_zero(rounds: u32, step: impl Fn(&AtomicU32, &AtomicU32) -> u32 + Sync) -> u32 {
    let x = AtomicU32::new(0);
    let y = AtomicU32::new(0);
    let arrived = AtomicU32::new(0); // 两个线程共用的轮次栅栏
    let (r1s, r2s) = thread::scope(|s| {
        let a = s.spawn(|| {
            let mut seen = Vec::with_capacity(rounds as usize);
            for round in 0..rounds {
                rendezvous(&arrived, 4 * round + 2);
                seen.push(step(&x, &y));
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
                seen.push(step(&y, &x));
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

/// Release 写 + Acquire 读：允许两个线程都读到 0。
pub fn release_acquire(mine: &AtomicU32, theirs: &AtomicU32) -> u32 {
    mine.store(1, Ordering::Release);
    theirs.load(Ordering::Acquire)
}

/// 全部 SeqCst：语言保证不会两个都是 0。
pub fn seq_cst(mine: &AtomicU32, theirs: &AtomicU32) -> u32 {
    mine.store(1, Ordering::SeqCst);
    theirs.load(Ordering::SeqCst)
}

/// 读写都是 Relaxed，中间隔一道 SeqCst 栅栏（相当于 Linux 内核的 smp_mb()）：
/// 两道栅栏也参与 SeqCst 的全局顺序，同样不会两个都是 0。
pub fn relaxed_with_fence(mine: &AtomicU32, theirs: &AtomicU32) -> u32 {
    mine.store(1, Ordering::Relaxed);
    fence(Ordering::SeqCst);
    theirs.load(Ordering::Relaxed)
}
// ANCHOR_END: store-buffering

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

    /// SeqCst 的保证：store buffering 永远不会两边都读到 0，SeqCst 栅栏也一样。
    /// （反方向——Release/Acquire 时能观察到两个 0——是允许而非必然，不能断言，见示例程序。）
    #[test]
    fn seq_cst_forbids_both_zero() {
        assert_eq!(within(LIMIT, || count_both_zero(5_000, seq_cst)), 0);
    }

    #[test]
    fn seq_cst_fences_forbid_both_zero() {
        assert_eq!(
            within(LIMIT, || count_both_zero(5_000, relaxed_with_fence)),
            0
        );
    }

    /// 同一个信箱协议，改写成 loom 的类型，交给 loom 穷举所有允许的交错和读取结果
    /// （loom 按内存模型推演，而不是在真实的 CPU 上碰运气）。
    /// `publish` 是写“就绪”标志时用的内存序；读标志始终用 Acquire。
    fn mailbox_model(publish: Ordering) {
        use loom::cell::UnsafeCell;
        use loom::sync::atomic::AtomicBool;
        use loom::sync::Arc;

        loom::model(move || {
            let data = Arc::new(UnsafeCell::new(0u64));
            let ready = Arc::new(AtomicBool::new(false));
            let writer = {
                let (data, ready) = (data.clone(), ready.clone());
                loom::thread::spawn(move || {
                    data.with_mut(|p| unsafe { *p = 42 }); // ① 普通写
                    ready.store(true, publish); // ② 发布
                })
            };
            while !ready.load(Ordering::Acquire) {
                loom::thread::yield_now(); // ③
            }
            let seen = data.with(|p| unsafe { *p }); // ④
            assert_eq!(seen, 42);
            writer.join().unwrap();
        });
    }

    /// Release/Acquire：loom 走遍所有执行，④ 每次都读到 42，也没有数据竞争。
    #[test]
    fn loom_proves_release_acquire_message_passing() {
        mailbox_model(Ordering::Release);
    }

    /// 把 ② 换成 Relaxed：loom 找到一个执行，读者看到了标志，
    /// 但 ① 与 ④ 之间没有 happens-before，对 `data` 的读写构成数据竞争，loom 报告
    /// “Causality violation”。在 x86 上跑真实线程几乎测不出这个错误，模型检查能。
    #[test]
    #[should_panic(expected = "Causality violation")]
    fn loom_finds_the_race_when_the_flag_is_relaxed() {
        mailbox_model(Ordering::Relaxed);
    }
}
