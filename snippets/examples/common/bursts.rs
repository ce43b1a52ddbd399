//! 示例程序共用的计时方法：在一台还有别的负载的机器上，测“几个线程真的同时在跑”时的开销。
//!
//! 把工作分成许多小段。每段开头所有线程对齐，各自记下起止时刻，并用 getrusage(RUSAGE_THREAD)
//! 数一数这段时间里自己被抢占了几次（非自愿上下文切换）。只保留所有线程同时起步、
//! 而且谁都没被抢占的那些段，取它们的中位数。主动睡眠（例如在 futex 上等锁）不算抢占，
//! 照样计入。直接计总时间的话，线程被调度器错开的那部分时间里根本没有争用，差距会被冲淡。

use std::hint::spin_loop;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Instant;

pub struct Measured {
    /// 保留下来的段数
    pub kept: usize,
    /// 从所有线程一起起步到最后一个线程做完，平均每个线程每次操作花的时间（纳秒，中位数）
    pub ns_per_op: f64,
}

/// `threads` 个线程，每段每个线程调用 `op(线程编号)` `per_burst` 次，共 `bursts` 段。
impl Measured {
    /// 宽度为 `width` 的纳秒数；留下的段太少（机器太忙）时显示 n/a。
    pub fn show(&self, width: usize) -> String {
        if self.kept < 20 {
            format!("{:>width$}", "n/a")
        } else {
            format!("{:>width$.1}", self.ns_per_op)
        }
    }
}

/// 本线程到目前为止被抢占（非自愿上下文切换）的次数。
fn involuntary_switches() -> libc::c_long {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
    // SAFETY：getrusage 只写入我们传入的这块 rusage 内存
    let rc = unsafe { libc::getrusage(libc::RUSAGE_THREAD, usage.as_mut_ptr()) };
    assert_eq!(rc, 0, "getrusage failed");
    unsafe { usage.assume_init() }.ru_nivcsw
}

pub fn measure(
    threads: usize,
    bursts: usize,
    per_burst: u64,
    op: impl Fn(usize) + Sync,
) -> Measured {
    let arrived = AtomicUsize::new(0);
    let epoch = Instant::now();
    let spans: Vec<Vec<(u64, u64, bool)>> = thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (arrived, op) = (&arrived, &op);
                s.spawn(move || {
                    let mut spans = Vec::with_capacity(bursts);
                    for burst in 0..bursts {
                        arrived.fetch_add(1, Ordering::AcqRel);
                        let mut spins = 0u32;
                        while arrived.load(Ordering::Acquire) < threads * (burst + 1) {
                            spins += 1;
                            if spins < 1_000 {
                                spin_loop();
                            } else {
                                thread::yield_now();
                            }
                        }
                        let preempted_before = involuntary_switches();
                        let start = epoch.elapsed().as_nanos() as u64;
                        for _ in 0..per_burst {
                            op(t);
                        }
                        let end = epoch.elapsed().as_nanos() as u64;
                        let preempted = involuntary_switches() != preempted_before;
                        spans.push((start, end, preempted));
                    }
                    spans
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut per_op: Vec<f64> = (0..bursts)
        .filter_map(|b| {
            let first = spans.iter().map(|s| s[b].0).min().unwrap();
            let last_start = spans.iter().map(|s| s[b].0).max().unwrap();
            let end = spans.iter().map(|s| s[b].1).max().unwrap();
            let preempted = spans.iter().any(|s| s[b].2);
            // 起步相差不到这一段的 10%，并且没有任何线程被抢占
            let together = (last_start - first) * 10 <= end - first;
            (together && !preempted).then_some((end - first) as f64 / per_burst as f64)
        })
        .collect();
    per_op.sort_by(f64::total_cmp);
    Measured {
        kept: per_op.len(),
        ns_per_op: per_op.get(per_op.len() / 2).copied().unwrap_or(f64::NAN),
    }
}
