//! `Send` 与 `Sync`：编译器怎样在编译期拒绝数据竞争。
//!
//! 下面三段代码都编译不过（`cargo test -p snippets` 会以 doctest 的形式确认这一点）。
//!
//! `Rc` 的引用计数是普通整数，两个线程同时克隆、丢弃会丢失更新，所以 `Rc` 不是 `Send`：
//!
//! ```compile_fail,E0277
//! use std::cell::RefCell;
//! use std::rc::Rc;
//! let log = Rc::new(RefCell::new(Vec::<String>::new()));
//! let log2 = Rc::clone(&log);
//! std::thread::spawn(move || log2.borrow_mut().push("hi".into()));
//! ```
//!
//! `Cell` 允许通过 `&` 修改，而且不加任何同步，所以 `Cell` 不是 `Sync`：
//!
//! ```compile_fail,E0277
//! use std::cell::Cell;
//! let hits = Cell::new(0);
//! std::thread::scope(|s| {
//!     s.spawn(|| hits.set(hits.get() + 1));
//! });
//! ```
//!
//! 两个线程同时拿一个普通变量的可变借用：这一关由借用检查器把守（`&mut` 是独占的）：
//!
//! ```compile_fail,E0499
//! let mut n = 0;
//! std::thread::scope(|s| {
//!     s.spawn(|| n += 1);
//!     s.spawn(|| n += 1);
//! });
//! ```

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

// ANCHOR: arc-mutex
/// 能编译的版本：`Arc` 的引用计数是原子的（所以 `Arc<T>: Send`，只要 `T: Send + Sync`），
/// `Mutex` 让 `&Mutex<Vec<_>>` 可以安全地在线程间共享（`Mutex<T>: Sync`，只要 `T: Send`）。
/// `thread::spawn` 要求闭包是 `'static` 的，不能借用栈上的变量，所以每个线程拿一份 `Arc` 的克隆。
pub fn greetings(threads: usize) -> Vec<String> {
    let log = Arc::new(Mutex::new(Vec::new()));
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let log = Arc::clone(&log);
            thread::spawn(move || log.lock().unwrap().push(format!("hello from {i}")))
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let mut log = Arc::try_unwrap(log)
        .expect("every thread has dropped its clone")
        .into_inner()
        .unwrap();
    log.sort();
    log
}

/// `thread::scope` 里的线程可以借用栈上的值，不需要 `Arc`；
/// 共享的计数器换成 `Sync` 的 `AtomicUsize`，代替不是 `Sync` 的 `Cell`。
pub fn count_hits(threads: usize) -> usize {
    let hits = AtomicUsize::new(0);
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| hits.fetch_add(1, Ordering::Relaxed));
        }
    });
    hits.into_inner()
}
// ANCHOR_END: arc-mutex

// ANCHOR: cell-local
/// `Cell` 不是 `Sync`，但它是 `Send`：整个交给另一个线程独占使用完全没问题，
/// 只是不能让两个线程同时通过 `&Cell` 去改它。
pub fn cell_moved_to_another_thread() -> i32 {
    let c = Cell::new(1);
    thread::spawn(move || {
        c.set(c.get() * 42);
        c.get()
    })
    .join()
    .unwrap()
}
// ANCHOR_END: cell-local

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>() {}
    fn assert_sync<T: Sync>() {}

    #[test]
    fn the_working_versions_give_the_right_answers() {
        let log = greetings(4);
        assert_eq!(
            log,
            [
                "hello from 0",
                "hello from 1",
                "hello from 2",
                "hello from 3"
            ]
        );
        assert_eq!(count_hits(8), 8);
        assert_eq!(cell_moved_to_another_thread(), 42);
    }

    #[test]
    fn the_auto_traits_are_what_the_page_says() {
        assert_send::<Arc<Mutex<Vec<String>>>>();
        assert_sync::<Arc<Mutex<Vec<String>>>>();
        assert_sync::<Mutex<Cell<i32>>>(); // Mutex 能把 Send 但非 Sync 的东西变成 Sync
        assert_send::<Cell<i32>>();
        assert_sync::<AtomicUsize>();
    }
}
