//! 死锁：两个线程按相反顺序拿两把锁；用限时拿锁检测出来，以及三种修法。

use std::sync::{Barrier, Mutex, MutexGuard, TryLockError};
use std::thread;
use std::time::{Duration, Instant};

/// 桌上的面和叉子，各有一把锁；值记录用它吃了几口。
#[derive(Debug, Default)]
pub struct Table {
    pub noodle: Mutex<u32>,
    pub fork: Mutex<u32>,
}

/// 一个人这一口的结果。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ate,
    Deadlocked,
}

// ANCHOR: deadlock
/// 限时拿锁：std 的 `Mutex` 没有 `lock_timeout`，就用 `try_lock` 轮询到截止时间。
pub fn lock_within<T>(m: &Mutex<T>, patience: Duration) -> Option<MutexGuard<'_, T>> {
    let deadline = Instant::now() + patience;
    loop {
        match m.try_lock() {
            Ok(guard) => return Some(guard),
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(1));
            }
            Err(TryLockError::WouldBlock) => return None, // 等太久了：判定为死锁
            Err(TryLockError::Poisoned(e)) => panic!("{e}"),
        }
    }
}

/// ❌ 相反的加锁顺序：线程 1 先拿面再拿叉子（eat1），线程 2 先拿叉子再拿面（eat2）。
/// Barrier 保证两个线程都已握住第一把锁，于是互相等待对方手里的那把：循环等待，必然死锁。
/// 第二把锁限时去拿：等不到就报告死锁并放下手里的锁，而不是永远挂住。
pub fn deadlock(table: &Table, patience: Duration) -> [Outcome; 2] {
    let both_hold_one = Barrier::new(2);
    let eat = |first: &Mutex<u32>, second: &Mutex<u32>| {
        let mut a = first.lock().unwrap();
        both_hold_one.wait();
        match lock_within(second, patience) {
            Some(mut b) => {
                *a += 1;
                *b += 1;
                Outcome::Ate
            }
            None => Outcome::Deadlocked, // 返回时 a 被释放，对方这才可能拿到
        }
    };
    thread::scope(|s| {
        let t1 = s.spawn(|| eat(&table.noodle, &table.fork)); // 先面后叉
        let t2 = s.spawn(|| eat(&table.fork, &table.noodle)); // 先叉后面
        [t1.join().unwrap(), t2.join().unwrap()]
    })
}
// ANCHOR_END: deadlock

// ANCHOR: lock-ordering
/// ✅ 修法一：规定全局的加锁顺序——所有人都先拿面、再拿叉子（eat2 也改成这样）。
/// 没有人会"拿着叉子等面"，循环等待就不可能出现。
/// 锁没有天然顺序时，可以按某个固定的键（比如账户 id）排序后再依次加锁。
pub fn eat_in_order(table: &Table) {
    let mut noodle = table.noodle.lock().unwrap();
    let mut fork = table.fork.lock().unwrap();
    *noodle += 1;
    *fork += 1;
}
// ANCHOR_END: lock-ordering

// ANCHOR: try-lock
/// ✅ 修法二：顺序照旧相反，但第二把锁只 `try_lock`：拿不到就把第一把也放下，
/// 退避片刻再从头来。等于让线程自己"抢占"自己已持有的锁，打破"不可抢占"。
/// 每个线程退避的时长不同，以免两个线程同步地"一起放下、一起再拿"，一直让来让去（活锁）。
/// 返回重试次数。
pub fn eat_with_try_lock(first: &Mutex<u32>, second: &Mutex<u32>, id: u64) -> u32 {
    let mut retries = 0;
    loop {
        let mut a = first.lock().unwrap();
        match second.try_lock() {
            Ok(mut b) => {
                *a += 1;
                *b += 1;
                return retries;
            }
            Err(TryLockError::WouldBlock) => drop(a), // 放下已拿到的，让对方能吃完
            Err(TryLockError::Poisoned(e)) => panic!("{e}"),
        }
        retries += 1;
        thread::sleep(Duration::from_micros(20 * (id + 1)));
    }
}
// ANCHOR_END: try-lock

// ANCHOR: single-lock
/// 面和叉子放在同一把锁里。
#[derive(Debug, Default)]
pub struct Utensils {
    pub noodle: u32,
    pub fork: u32,
}

/// ✅ 修法三：面和叉子总是一起用，就用一把锁保护两者：一次拿到全部资源，
/// 不存在"拿着一半等另一半"的状态，打破"占有并等待"。
///
/// 常见的 RLock"修法"（`noodle_lock = fork_lock = RLock()`）能跑通，靠的其实就是这个：
/// 两个名字指向**同一把**锁，所有人排队串行地吃。"可重入"只是让同一线程第二次
/// acquire 同一把锁时不把自己卡死；换成两把独立的 RLock、按相反顺序拿，照样死锁。
pub fn eat_with_one_lock(table: &Mutex<Utensils>) {
    let mut t = table.lock().unwrap(); // 一次拿到全部资源
    t.noodle += 1;
    t.fork += 1;
}
// ANCHOR_END: single-lock

/// 四个线程同时开吃，每个吃 `bites` 口；`eat(i)` 是第 i 个线程吃一口。
pub fn dinner(bites: u32, eat: impl Fn(usize) + Sync) {
    thread::scope(|s| {
        for i in 0..4 {
            let eat = &eat;
            s.spawn(move || (0..bites).for_each(|_| eat(i)));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};

    const BITES: u32 = 500;

    #[test]
    fn opposite_lock_order_is_detected_as_a_deadlock_instead_of_hanging() {
        let (outcomes, table) = within(LIMIT, || {
            let table = Table::default();
            (deadlock(&table, Duration::from_millis(100)), table)
        });
        assert!(outcomes.contains(&Outcome::Deadlocked), "{outcomes:?}");
        // whoever did not give up may have eaten after the other let go: at most one bite
        let ate = outcomes.iter().filter(|&&o| o == Outcome::Ate).count() as u32;
        assert_eq!(*table.noodle.lock().unwrap(), ate);
        assert_eq!(*table.fork.lock().unwrap(), ate);
    }

    #[test]
    fn lock_ordering_completes() {
        let table = within(LIMIT, || {
            let table = Table::default();
            dinner(BITES, |_| eat_in_order(&table));
            table
        });
        assert_eq!(*table.noodle.lock().unwrap(), 4 * BITES);
        assert_eq!(*table.fork.lock().unwrap(), 4 * BITES);
    }

    #[test]
    fn try_lock_with_back_off_completes_despite_opposite_orders() {
        let table = within(LIMIT, || {
            let table = Table::default();
            dinner(BITES, |i| {
                // eaters 0 and 2 take the noodle first, 1 and 3 the fork: the deadlock-prone mix
                if i % 2 == 0 {
                    eat_with_try_lock(&table.noodle, &table.fork, i as u64);
                } else {
                    eat_with_try_lock(&table.fork, &table.noodle, i as u64);
                }
            });
            table
        });
        assert_eq!(*table.noodle.lock().unwrap(), 4 * BITES);
        assert_eq!(*table.fork.lock().unwrap(), 4 * BITES);
    }

    #[test]
    fn one_lock_for_both_completes() {
        let table = within(LIMIT, || {
            let table = Mutex::new(Utensils::default());
            dinner(BITES, |_| eat_with_one_lock(&table));
            table.into_inner().unwrap()
        });
        assert_eq!((table.noodle, table.fork), (4 * BITES, 4 * BITES));
    }

    #[test]
    fn lock_within_gets_a_free_lock_and_gives_up_on_a_held_one() {
        let m = Mutex::new(0);
        assert!(lock_within(&m, Duration::ZERO).is_some());
        let _held = m.lock().unwrap();
        let t0 = Instant::now();
        assert!(lock_within(&m, Duration::from_millis(20)).is_none());
        assert!(t0.elapsed() >= Duration::from_millis(20));
    }
}
