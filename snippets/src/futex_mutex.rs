//! 一把玩具互斥锁：一个 32 位状态字，先短暂自旋，再用 futex(2) 睡眠和唤醒（仅 Linux）。

use std::cell::UnsafeCell;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU32, Ordering};

// ANCHOR: futex
/// futex(2) 的两个操作。`FUTEX_PRIVATE_FLAG`：这个字只在本进程内共享，内核可以走更快的路径。
/// FUTEX_WAIT：只有当 `*word == expected` 时才睡——检查和入睡在内核里是原子的，
/// 所以“我刚检查完、还没睡下，对方就解锁并唤醒了”这种丢失唤醒不会发生；不相等就立刻返回 EAGAIN。
fn futex_wait(word: &AtomicU32, expected: u32) {
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
            expected,
            std::ptr::null::<libc::timespec>(),
        );
    }
}

/// FUTEX_WAKE：最多唤醒 1 个睡在这个字上的线程。
fn futex_wake_one(word: &AtomicU32) {
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
            1,
        );
    }
}
// ANCHOR_END: futex

// ANCHOR: mutex
const UNLOCKED: u32 = 0;
const LOCKED: u32 = 1; // 已上锁，没有人在等
const CONTENDED: u32 = 2; // 已上锁，可能有人在 futex 上睡着

pub struct ToyMutex<T> {
    state: AtomicU32,
    data: UnsafeCell<T>,
    // 只为演示：数一数走慢路径时发了多少次系统调用
    waits: AtomicU32,
    wakes: AtomicU32,
}

// SAFETY：和 std::sync::Mutex 一样，锁保证同一时刻只有一个线程能拿到 &mut T，
// 所以只要 T 能被送到别的线程（Send），整把锁就能被多个线程共享（Sync）。
unsafe impl<T: Send> Sync for ToyMutex<T> {}

pub struct Guard<'a, T> {
    mutex: &'a ToyMutex<T>,
}

impl<T> ToyMutex<T> {
    pub const fn new(value: T) -> Self {
        ToyMutex {
            state: AtomicU32::new(UNLOCKED),
            data: UnsafeCell::new(value),
            waits: AtomicU32::new(0),
            wakes: AtomicU32::new(0),
        }
    }

    pub fn lock(&self) -> Guard<'_, T> {
        // 快路径：没人持有，一条 CAS 就拿到锁，不进内核
        if self
            .state
            .compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            self.lock_contended();
        }
        Guard { mutex: self }
    }

    #[cold]
    fn lock_contended(&self) {
        // 先自旋一小会儿：持有者很可能马上就放锁，睡眠再被唤醒要两次系统调用和一次上下文切换
        for _ in 0..100 {
            if self.state.load(Ordering::Relaxed) != LOCKED {
                break;
            }
            std::hint::spin_loop();
        }
        if self
            .state
            .compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
        {
            return;
        }
        // 慢路径：把状态标成 CONTENDED（告诉持有者“解锁时要叫醒人”），
        // 如果交换前是 UNLOCKED，就说明我们顺手拿到了锁；否则睡到状态不再是 CONTENDED
        while self.state.swap(CONTENDED, Ordering::Acquire) != UNLOCKED {
            self.waits.fetch_add(1, Ordering::Relaxed);
            futex_wait(&self.state, CONTENDED);
        }
    }

    fn unlock(&self) {
        // Release：临界区里的写入，对下一个 Acquire 拿到锁的线程可见
        if self.state.swap(UNLOCKED, Ordering::Release) == CONTENDED {
            // 只有可能有人在睡时才进内核
            self.wakes.fetch_add(1, Ordering::Relaxed);
            futex_wake_one(&self.state);
        }
    }
}
// ANCHOR_END: mutex

impl<T> ToyMutex<T> {
    /// 当前状态字（0 / 1 / 2），测试用来观察慢路径。
    pub fn state(&self) -> u32 {
        self.state.load(Ordering::Relaxed)
    }

    /// （FUTEX_WAIT 调用次数，FUTEX_WAKE 调用次数）
    pub fn syscalls(&self) -> (u32, u32) {
        (
            self.waits.load(Ordering::Relaxed),
            self.wakes.load(Ordering::Relaxed),
        )
    }

    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }
}

impl<T> Deref for Guard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY：Guard 存在就说明本线程持有锁
        unsafe { &*self.mutex.data.get() }
    }
}

impl<T> DerefMut for Guard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY：同上，而且 &mut self 保证这个 Guard 没有别的借用
        unsafe { &mut *self.mutex.data.get() }
    }
}

impl<T> Drop for Guard<'_, T> {
    fn drop(&mut self) {
        self.mutex.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};
    use std::thread;

    /// 互斥：临界区里同时最多一个线程，非原子的 `+= 1` 一次也不丢。
    #[test]
    fn only_one_thread_is_ever_inside() {
        let (total, max_inside) = within(LIMIT, || {
            let m = ToyMutex::new(0u64);
            let inside = AtomicU32::new(0);
            let max_inside = AtomicU32::new(0);
            thread::scope(|s| {
                for _ in 0..4 {
                    s.spawn(|| {
                        for _ in 0..20_000 {
                            let mut g = m.lock();
                            let now = inside.fetch_add(1, Ordering::Relaxed) + 1;
                            max_inside.fetch_max(now, Ordering::Relaxed);
                            *g += 1;
                            inside.fetch_sub(1, Ordering::Relaxed);
                        }
                    });
                }
            });
            (m.into_inner(), max_inside.into_inner())
        });
        assert_eq!(total, 80_000);
        assert_eq!(max_inside, 1);
    }

    /// 快路径：没有竞争时，加锁解锁一万次，一次系统调用也没有。
    #[test]
    fn uncontended_lock_and_unlock_never_enter_the_kernel() {
        let m = ToyMutex::new(0);
        for _ in 0..10_000 {
            *m.lock() += 1;
        }
        assert_eq!(m.syscalls(), (0, 0));
        assert_eq!(m.into_inner(), 10_000);
    }

    /// 慢路径：主线程持锁，另一个线程来抢，把状态标成 CONTENDED 后睡下；
    /// 主线程解锁时看到 CONTENDED，于是 FUTEX_WAKE。等待者醒来后是以 CONTENDED 状态拿到锁的，
    /// 它自己解锁时也会多做一次（其实没人需要的）唤醒：一共正好两次。
    #[test]
    fn a_contended_unlock_wakes_the_waiter() {
        let wakes = within(LIMIT, || {
            let m = ToyMutex::new(Vec::new());
            thread::scope(|s| {
                let mut guard = m.lock();
                guard.push("main");
                let waiter = s.spawn(|| m.lock().push("waiter"));
                while m.state() != CONTENDED {
                    thread::yield_now();
                }
                drop(guard);
                waiter.join().unwrap();
            });
            let wakes = m.syscalls().1;
            assert_eq!(m.into_inner(), vec!["main", "waiter"]);
            wakes
        });
        assert_eq!(wakes, 2);
    }
}
