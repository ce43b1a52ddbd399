//! 有界缓冲区：一把 `Mutex` 加"不满""不空"两个 `Condvar`，即 `queue.Queue(maxsize)` 的核心。

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};

// ANCHOR: bounded-buffer
pub struct BoundedBuffer<T> {
    items: Mutex<VecDeque<T>>, // 队列本身只能在锁里碰
    capacity: usize,
    not_full: Condvar,  // 生产者在这里等空位
    not_empty: Condvar, // 消费者在这里等数据
}

impl<T> BoundedBuffer<T> {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "容量为 0 的缓冲区谁也放不进去");
        Self {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            capacity,
            not_full: Condvar::new(),
            not_empty: Condvar::new(),
        }
    }

    /// 满了就睡，直到有消费者取走一个（背压）。
    pub fn put(&self, item: T) {
        let items = self.items.lock().unwrap();
        // wait_while 睡觉时放开锁，醒来重新拿锁并再查一遍条件：醒来时空位可能又被别人占了
        let mut items = self
            .not_full
            .wait_while(items, |q| q.len() >= self.capacity)
            .unwrap();
        items.push_back(item);
        self.not_empty.notify_one(); // 叫醒一个等数据的消费者
    }

    /// 空了就睡，直到有生产者放进一个。
    pub fn get(&self) -> T {
        let items = self.items.lock().unwrap();
        let mut items = self.not_empty.wait_while(items, |q| q.is_empty()).unwrap();
        let item = items.pop_front().expect("wait_while 保证了非空");
        self.not_full.notify_one(); // 叫醒一个等空位的生产者
        item
    }

    /// 不等待：满了就把东西原样还给调用方（对应 `put_nowait` 抛 `queue.Full`）。
    pub fn try_put(&self, item: T) -> Result<(), T> {
        let mut items = self.items.lock().unwrap();
        if items.len() >= self.capacity {
            return Err(item);
        }
        items.push_back(item);
        self.not_empty.notify_one();
        Ok(())
    }

    /// 不等待：空了返回 `None`（对应 `get_nowait` 抛 `queue.Empty`）。
    pub fn try_get(&self) -> Option<T> {
        let item = self.items.lock().unwrap().pop_front()?;
        self.not_full.notify_one();
        Some(item)
    }
}
// ANCHOR_END: bounded-buffer

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::thread;

    #[test]
    fn full_and_empty_are_refused_without_waiting() {
        let buf = BoundedBuffer::new(2);
        assert_eq!(buf.try_get(), None);
        assert_eq!(buf.try_put('a'), Ok(()));
        assert_eq!(buf.try_put('b'), Ok(()));
        assert_eq!(buf.try_put('c'), Err('c'), "full");
        assert_eq!(buf.try_get(), Some('a'), "first in, first out");
    }

    #[test]
    fn a_blocked_put_completes_only_after_a_get_makes_room() {
        let order = within(LIMIT, || {
            let buf = BoundedBuffer::new(1);
            buf.put("a");
            let got_room = AtomicBool::new(false);
            thread::scope(|s| {
                let putter = s.spawn(|| {
                    buf.put("b"); // full: sleeps until the get below
                    got_room.load(Ordering::SeqCst)
                });
                got_room.store(true, Ordering::SeqCst);
                let first = buf.get(); // makes room: only now can put("b") return
                let put_saw_room = putter.join().unwrap();
                (first, put_saw_room, buf.get())
            })
        });
        assert_eq!(order, ("a", true, "b"));
    }

    #[test]
    fn many_producers_and_consumers_each_item_exactly_once() {
        const ITEMS: u32 = 3_000;
        let mut all = within(LIMIT, || {
            let buf = BoundedBuffer::new(4);
            thread::scope(|s| {
                let producers: Vec<_> = (0..3)
                    .map(|p| {
                        let buf = &buf;
                        s.spawn(move || (p..ITEMS).step_by(3).for_each(|n| buf.put(Some(n))))
                    })
                    .collect();
                let consumers: Vec<_> = (0..3)
                    .map(|_| {
                        s.spawn(|| {
                            let mut got = Vec::new();
                            while let Some(n) = buf.get() {
                                got.push(n);
                            }
                            got
                        })
                    })
                    .collect();
                producers.into_iter().for_each(|p| p.join().unwrap());
                for _ in 0..3 {
                    buf.put(None); // one stop marker per consumer, behind every item (FIFO)
                }
                consumers
                    .into_iter()
                    .flat_map(|c| c.join().unwrap())
                    .collect::<Vec<_>>()
            })
        });
        all.sort_unstable();
        assert_eq!(all, (0..ITEMS).collect::<Vec<_>>());
    }
}
