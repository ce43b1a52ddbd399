//! 10 个线程打印 1..=1000：线程 k 只打印个位是 k 的数。

use std::sync::{Condvar, Mutex};
use std::thread;

// ANCHOR: digit-threads
/// 做法一：把活分好，不靠调度的运气——线程 k 只拿 k, k+10, k+20, …（线程 0 从 10 开始）。
/// 返回第 k 个元素 = 线程 k 打印的数（把 collect 换成 println! 就是"打印"）。
pub fn by_last_digit(max: u32) -> Vec<Vec<u32>> {
    thread::scope(|s| {
        let handles: Vec<_> = (0..10)
            .map(|k| s.spawn(move || (if k == 0 { 10 } else { k }..=max).step_by(10).collect()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

/// 做法二：还要按 1, 2, 3, … 的顺序打印：轮流来，`next` 的个位是谁就该谁。返回 `(线程号, 数字)`。
pub fn in_order(max: u32) -> Vec<(u32, u32)> {
    struct Turn {
        next: u32,
        printed: Vec<(u32, u32)>,
    }
    let turn = Mutex::new(Turn {
        next: 1,
        printed: Vec::new(),
    });
    let cv = Condvar::new();
    thread::scope(|s| {
        for k in 0..10 {
            let (turn, cv) = (&turn, &cv);
            s.spawn(move || loop {
                // 睡到"轮到我"或"全部打完"为止；wait_while 会处理虚假唤醒
                let mut t = cv
                    .wait_while(turn.lock().unwrap(), |t| t.next <= max && t.next % 10 != k)
                    .unwrap();
                if t.next > max {
                    return;
                }
                let n = t.next;
                t.printed.push((k, n)); // 这里 println! 就是"打印"：在锁内，顺序有保证
                t.next += 1;
                cv.notify_all(); // 叫醒所有人；只有下一个数的主人会继续，其余的接着睡
            });
        }
    });
    turn.into_inner().unwrap().printed
}
// ANCHOR_END: digit-threads

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};

    #[test]
    fn thread_k_gets_exactly_the_numbers_ending_in_k() {
        let per_thread = within(LIMIT, || by_last_digit(1000));
        assert_eq!(per_thread.len(), 10);
        for (k, nums) in per_thread.iter().enumerate() {
            let expected: Vec<u32> = (1..=1000).filter(|n| n % 10 == k as u32).collect();
            assert_eq!(nums, &expected, "thread {k}");
        }
    }

    #[test]
    fn in_order_prints_1_to_1000_in_order_each_by_its_digit_thread() {
        let printed = within(LIMIT, || in_order(1000));
        let numbers: Vec<u32> = printed.iter().map(|&(_, n)| n).collect();
        assert_eq!(numbers, (1..=1000).collect::<Vec<_>>());
        for &(k, n) in &printed {
            assert_eq!(n % 10, k, "{n} printed by thread {k}");
        }
    }

    #[test]
    fn small_max_leaves_some_threads_idle_but_terminates() {
        assert_eq!(within(LIMIT, || in_order(3)), [(1, 1), (2, 2), (3, 3)]);
        assert_eq!(within(LIMIT, || by_last_digit(3))[0], Vec::<u32>::new());
    }
}
