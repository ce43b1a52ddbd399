//! CAS：`compare_exchange` / `compare_exchange_weak` 循环。

use std::sync::atomic::{AtomicU32, Ordering};

// ANCHOR: cas-loop
/// 最多发出 `limit` 张许可的计数器（无锁的“信号量 try_acquire”）。
/// `fetch_add` 做不到“加 1，但不能超过上限”，这种带条件的读-改-写就要写成 CAS 循环。
pub struct Permits {
    used: AtomicU32,
    limit: u32,
}

impl Permits {
    pub const fn new(limit: u32) -> Self {
        Permits {
            used: AtomicU32::new(0),
            limit,
        }
    }

    pub fn try_acquire(&self) -> bool {
        let mut current = self.used.load(Ordering::Relaxed);
        loop {
            if current == self.limit {
                return false;
            }
            // 只有当 used 仍等于我刚才看到的 current 时，才把它改成 current + 1
            match self.used.compare_exchange_weak(
                current,
                current + 1,
                Ordering::Acquire, // 成功：拿到许可，之后的操作不能被排到它前面
                Ordering::Relaxed, // 失败：只是拿回最新值，再算一次
            ) {
                Ok(_) => return true,
                // 被别的线程抢先改了（或 weak 版本的伪失败）：用它返回的新值重试
                Err(actual) => current = actual,
            }
        }
    }

    pub fn release(&self) {
        self.used.fetch_sub(1, Ordering::Release);
    }

    /// 同一件事用 `fetch_update` 写：它内部就是上面那个 compare_exchange_weak 循环。
    pub fn try_acquire_with_fetch_update(&self) -> bool {
        self.used
            .fetch_update(Ordering::Acquire, Ordering::Relaxed, |n| {
                (n < self.limit).then_some(n + 1)
            })
            .is_ok()
    }
}
// ANCHOR_END: cas-loop

// ANCHOR: claim
/// 只尝试一次的 CAS 要用强版本 `compare_exchange`：
/// `_weak` 允许在值相等时也“伪失败”（spurious failure，LL/SC 架构上会发生），
/// 放在循环里无所谓，单次判断却会把“没人抢”误当成“被抢了”。
/// 返回 Ok 表示 `me` 成了所有者；Err 里是已经占住它的那一位。
pub fn claim(owner: &AtomicU32, me: u32) -> Result<(), u32> {
    const NOBODY: u32 = 0;
    owner
        .compare_exchange(NOBODY, me, Ordering::AcqRel, Ordering::Acquire)
        .map(|_| ())
}
// ANCHOR_END: claim

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};
    use std::sync::atomic::AtomicUsize;
    use std::thread;

    #[test]
    fn never_more_permits_than_the_limit() {
        let granted = within(LIMIT, || {
            let permits = Permits::new(100);
            let granted = AtomicUsize::new(0);
            thread::scope(|s| {
                for t in 0..8 {
                    let (permits, granted) = (&permits, &granted);
                    s.spawn(move || {
                        for _ in 0..1_000 {
                            let ok = if t % 2 == 0 {
                                permits.try_acquire()
                            } else {
                                permits.try_acquire_with_fetch_update()
                            };
                            if ok {
                                granted.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    });
                }
            });
            granted.into_inner()
        });
        assert_eq!(granted, 100);
    }

    #[test]
    fn released_permits_can_be_taken_again() {
        let permits = Permits::new(1);
        assert!(permits.try_acquire());
        assert!(!permits.try_acquire());
        permits.release();
        assert!(permits.try_acquire_with_fetch_update());
    }

    #[test]
    fn exactly_one_thread_claims() {
        let winners = within(LIMIT, || {
            let owner = AtomicU32::new(0);
            thread::scope(|s| {
                let handles: Vec<_> = (1..=8)
                    .map(|me| {
                        let owner = &owner;
                        s.spawn(move || claim(owner, me).is_ok())
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap())
                    .filter(|&won| won)
                    .count()
            })
        });
        assert_eq!(winners, 1);
    }
}
