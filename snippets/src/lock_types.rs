//! 读写锁与信号量：`RwLock` 让读者并行、写者独占；用 `Mutex` + `Condvar` 手写一个计数信号量。

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, RwLock};

// ANCHOR: rwlock
/// 读多写少的配置表：`get` 拿读锁，多个线程可以同时读；`set` 拿写锁，独占。
#[derive(Default)]
pub struct Config {
    entries: RwLock<HashMap<String, String>>,
}

impl Config {
    pub fn get(&self, key: &str) -> Option<String> {
        // 读锁：同时持有读锁的线程可以有很多个，但有人持写锁时要等
        self.entries.read().unwrap().get(key).cloned()
    }

    pub fn set(&self, key: &str, value: &str) {
        // 写锁：等所有读者和写者都离开才拿得到，拿到后别人都进不来
        let mut entries = self.entries.write().unwrap();
        entries.insert(key.to_owned(), value.to_owned());
    }
}
// ANCHOR_END: rwlock

// ANCHOR: semaphore
/// 计数信号量：最多 `permits` 个线程同时在里面。Rust 标准库没有信号量，
/// 用一把锁保护计数、一个条件变量让没拿到许可的线程睡觉，就是它的全部。
pub struct Semaphore {
    permits: Mutex<usize>,
    released: Condvar,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        Self {
            permits: Mutex::new(permits),
            released: Condvar::new(),
        }
    }

    /// 对应 `acquire()`：计数为 0 就睡，直到有人 release；拿到后计数减一。
    /// 返回的许可离开作用域时自动 release，像 Python 的 `with sem:`。
    pub fn acquire(&self) -> Permit<'_> {
        let guard = self.permits.lock().unwrap();
        // wait_while 睡觉时会放开锁，醒来后重新检查条件（也顺带处理虚假唤醒）
        let mut permits = self.released.wait_while(guard, |n| *n == 0).unwrap();
        *permits -= 1;
        Permit(self)
    }

    /// 对应 `acquire(blocking=False)`：没有许可就立刻返回 `None`。
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        let mut permits = self.permits.lock().unwrap();
        if *permits == 0 {
            return None;
        }
        *permits -= 1;
        Some(Permit(self))
    }

    fn release(&self) {
        *self.permits.lock().unwrap() += 1;
        self.released.notify_one(); // 多了一个许可，叫醒一个等待者就够
    }
}

/// 一个许可；drop 时归还。
pub struct Permit<'a>(&'a Semaphore);

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.0.release();
    }
}
// ANCHOR_END: semaphore

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Barrier;
    use std::thread;

    #[test]
    fn readers_hold_the_read_lock_together() {
        // three readers meet at a barrier while each holds a read guard:
        // with a Mutex (one holder at a time) this would hang and time out
        let seen = within(LIMIT, || {
            let cfg = Config::default();
            cfg.set("mode", "fast");
            let all_inside = Barrier::new(3);
            thread::scope(|s| {
                let readers: Vec<_> = (0..3)
                    .map(|_| {
                        s.spawn(|| {
                            let entries = cfg.entries.read().unwrap();
                            all_inside.wait();
                            entries.get("mode").cloned()
                        })
                    })
                    .collect();
                readers
                    .into_iter()
                    .map(|r| r.join().unwrap())
                    .collect::<Vec<_>>()
            })
        });
        assert_eq!(seen, vec![Some("fast".to_owned()); 3]);
    }

    #[test]
    fn a_writer_excludes_readers() {
        let cfg = Config::default();
        let guard = cfg.entries.write().unwrap();
        assert!(cfg.entries.try_read().is_err(), "no reader while writing");
        drop(guard);
        cfg.set("k", "v");
        assert_eq!(cfg.get("k").as_deref(), Some("v"));
    }

    #[test]
    fn a_semaphore_of_two_lets_exactly_two_in() {
        let sem = Semaphore::new(2);
        let a = sem.try_acquire().expect("first permit");
        let b = sem.try_acquire().expect("second permit");
        assert!(sem.try_acquire().is_none(), "a third must wait");
        drop(a);
        let c = sem.try_acquire().expect("a permit came back");
        drop((b, c));
    }

    #[test]
    fn a_blocked_acquire_wakes_when_a_permit_is_released() {
        let got_in = within(LIMIT, || {
            let sem = Semaphore::new(1);
            let inside = AtomicUsize::new(0);
            let held = sem.acquire();
            thread::scope(|s| {
                let waiter = s.spawn(|| {
                    let _p = sem.acquire(); // blocks: the only permit is held
                    inside.fetch_add(1, Ordering::SeqCst)
                });
                assert_eq!(inside.load(Ordering::SeqCst), 0);
                drop(held); // the waiter can only get in after this
                waiter.join().unwrap();
            });
            inside.into_inner()
        });
        assert_eq!(got_in, 1);
    }

    #[test]
    fn never_more_than_n_inside_at_once() {
        let max_seen = within(LIMIT, || {
            let sem = Semaphore::new(3);
            let (inside, max_seen) = (AtomicUsize::new(0), AtomicUsize::new(0));
            thread::scope(|s| {
                for _ in 0..8 {
                    s.spawn(|| {
                        for _ in 0..200 {
                            let _p = sem.acquire();
                            let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                            max_seen.fetch_max(now, Ordering::SeqCst);
                            thread::yield_now();
                            inside.fetch_sub(1, Ordering::SeqCst);
                        }
                    });
                }
            });
            max_seen.into_inner()
        });
        assert!((1..=3).contains(&max_seen), "{max_seen}");
    }
}
