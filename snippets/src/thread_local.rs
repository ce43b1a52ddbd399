//! 线程局部变量：`thread_local!` 给每个线程一份独立的值，对应 Python 的 `threading.local()`。

use std::cell::RefCell;
use std::sync::Barrier;
use std::thread;

// ANCHOR: thread-local
thread_local! {
    /// 每个线程第一次访问时各自初始化一份；别的线程看不到，所以不用加锁（RefCell 就够）。
    static CURRENT_USER: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// 在请求入口处记下"当前用户"……
pub fn set_user(name: &str) {
    CURRENT_USER.with_borrow_mut(|u| *u = Some(name.to_owned()));
}

/// ……调用链深处直接取用，不必层层传参；取到的永远是本线程设的那个值。
pub fn greet() -> String {
    CURRENT_USER.with_borrow(|u| format!("hello {}", u.as_deref().unwrap_or("<nobody>")))
}

/// 每个名字一个线程：全部线程都写完自己的值之后再读（Barrier 保证交错发生）。
/// 如果这是一个普通的共享变量，大家会读到同一个（最后写入的）名字。
pub fn handle_all(names: &[&str]) -> Vec<String> {
    let barrier = Barrier::new(names.len());
    thread::scope(|s| {
        let handles: Vec<_> = names
            .iter()
            .map(|&name| {
                let barrier = &barrier;
                s.spawn(move || {
                    set_user(name);
                    barrier.wait();
                    greet()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}
// ANCHOR_END: thread-local

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};

    #[test]
    fn each_thread_reads_back_its_own_value() {
        let names = ["alice", "bob", "carol", "dave"];
        let got = within(LIMIT, move || handle_all(&names));
        assert_eq!(
            got,
            ["hello alice", "hello bob", "hello carol", "hello dave"]
        );
    }

    #[test]
    fn a_fresh_thread_starts_with_its_own_initial_value() {
        set_user("main");
        let other = thread::spawn(greet).join().unwrap();
        assert_eq!(other, "hello <nobody>");
        assert_eq!(greet(), "hello main", "other threads did not touch ours");
    }
}
