//! ABA 问题：Treiber 无锁栈建在一个按下标复用槽位的数组上，用脚本化的交错确定性地复现；
//! 再给栈顶加上版本号，同一段交错里 CAS 就会失败。

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Mutex;

const NIL: u32 = u32::MAX;

// ANCHOR: stack
struct Node {
    value: AtomicU64,
    next: AtomicU32,
}

/// 栈顶 `head` 是一个 64 位原子变量：低 32 位是槽位下标，高 32 位是版本号（tag）。
/// `tagged == false` 时版本号永远是 0，就是最朴素的 Treiber 栈。
pub struct Stack {
    nodes: Vec<Node>,
    /// 空闲槽位。后进先出：刚释放的槽位最先被复用，和真实的内存分配器一样。
    /// （为了把注意力放在栈顶的 CAS 上，分配器用了一把锁，这不影响 ABA 的成因。）
    free: Mutex<Vec<u32>>,
    head: AtomicU64,
    tagged: bool,
}

fn pack(tag: u32, index: u32) -> u64 {
    (u64::from(tag) << 32) | u64::from(index)
}
fn index(word: u64) -> u32 {
    word as u32
}
fn tag(word: u64) -> u32 {
    (word >> 32) as u32
}

/// `pop_finish` 的 CAS 失败：栈顶已经不是读到的那个了。
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StaleHead;

/// 一次出栈的前半段：读到的栈顶、它的下一个节点、它的值。
#[derive(Clone, Copy, Debug)]
pub struct PopSnapshot {
    head: u64,
    next: u32,
    value: u64,
}

impl Stack {
    pub fn new(capacity: u32, tagged: bool) -> Self {
        Stack {
            nodes: (0..capacity)
                .map(|_| Node {
                    value: AtomicU64::new(0),
                    next: AtomicU32::new(NIL),
                })
                .collect(),
            free: Mutex::new((0..capacity).rev().collect()),
            head: AtomicU64::new(pack(0, NIL)),
            tagged,
        }
    }

    /// 新的栈顶字：带版本号时每次成功修改都把版本号加 1。
    fn next_head(&self, old: u64, index: u32) -> u64 {
        let t = if self.tagged {
            tag(old).wrapping_add(1)
        } else {
            0
        };
        pack(t, index)
    }

    pub fn push(&self, value: u64) {
        let slot = self.free.lock().unwrap().pop().expect("arena full");
        let node = &self.nodes[slot as usize];
        node.value.store(value, Ordering::Relaxed);
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            node.next.store(index(head), Ordering::Relaxed);
            let new = self.next_head(head, slot);
            // Release：别的线程 Acquire 读到新栈顶时，也能看到上面写的 value 和 next
            match self
                .head
                .compare_exchange_weak(head, new, Ordering::Release, Ordering::Relaxed)
            {
                Ok(_) => return,
                Err(actual) => head = actual,
            }
        }
    }

    /// 出栈第一步：读栈顶和它的 next。真实的线程可能恰好在这之后被调度走。
    pub fn pop_begin(&self) -> Option<PopSnapshot> {
        let head = self.head.load(Ordering::Acquire);
        let top = index(head);
        if top == NIL {
            return None;
        }
        let node = &self.nodes[top as usize];
        Some(PopSnapshot {
            head,
            next: node.next.load(Ordering::Relaxed),
            value: node.value.load(Ordering::Relaxed),
        })
    }

    /// 出栈第二步：CAS 栈顶，从“我读到的那个栈顶”换成“它的 next”。成功后释放槽位。
    pub fn pop_finish(&self, snap: PopSnapshot) -> Result<u64, StaleHead> {
        let new = self.next_head(snap.head, snap.next);
        self.head
            .compare_exchange(snap.head, new, Ordering::AcqRel, Ordering::Acquire)
            .map_err(|_| StaleHead)?;
        self.free.lock().unwrap().push(index(snap.head));
        Ok(snap.value)
    }

    pub fn pop(&self) -> Option<u64> {
        loop {
            let snap = self.pop_begin()?;
            if let Ok(value) = self.pop_finish(snap) {
                return Some(value);
            }
        }
    }

    /// 把栈弹空，按出栈顺序返回。
    pub fn drain(&self) -> Vec<u64> {
        std::iter::from_fn(|| self.pop()).collect()
    }
}
// ANCHOR_END: stack

// ANCHOR: script
/// 按固定顺序走一遍两个线程的交错，返回（线程 1 的出栈结果，线程 2 弹出的值，最后栈里剩下的值）。
///
/// 栈：A(1) → B(2) → C(3)
/// 1. 线程 1：pop_begin，读到 head = A，next = B，值 1；然后被调度走。
/// 2. 线程 2：pop 弹出 1，A 的槽位被释放；push(9) 立刻复用了这个槽位，栈变成 A(9) → B → C。
/// 3. 线程 1：pop_finish，CAS(head: A → B)。head 的确“还是 A”……
pub fn scripted_interleaving(tagged: bool) -> (Result<u64, StaleHead>, Vec<u64>, Vec<u64>) {
    let stack = Stack::new(8, tagged);
    for v in [3, 2, 1] {
        stack.push(v);
    }
    let t1 = stack.pop_begin().unwrap(); // 1
    let t2_popped = vec![stack.pop().unwrap()]; // 2
    stack.push(9);
    let t1_result = stack.pop_finish(t1); // 3
    (t1_result, t2_popped, stack.drain())
}
// ANCHOR_END: script

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};
    use std::thread;

    #[test]
    fn without_a_tag_the_stale_cas_succeeds_and_corrupts_the_stack() {
        let (t1, t2, rest) = scripted_interleaving(false);
        // 线程 1 的 CAS 成功了，拿走的却是线程 2 已经弹出过的 1 ……
        assert_eq!(t1, Ok(1));
        assert_eq!(t2, vec![1]);
        // …… 而后来压入的 9 连同它的槽位一起从栈上消失了
        assert_eq!(rest, vec![2, 3]);
    }

    #[test]
    fn with_a_tag_the_stale_cas_fails_and_a_retry_is_correct() {
        let (t1, t2, rest) = scripted_interleaving(true);
        assert_eq!(t1, Err(StaleHead));
        assert_eq!(t2, vec![1]);
        assert_eq!(rest, vec![9, 2, 3]);
    }

    #[test]
    fn the_tagged_stack_loses_and_duplicates_nothing_under_threads() {
        let mut popped = within(LIMIT, || {
            let stack = Stack::new(64, true);
            let mut popped: Vec<u64> = thread::scope(|s| {
                let handles: Vec<_> = (0..4u64)
                    .map(|t| {
                        let stack = &stack;
                        s.spawn(move || {
                            let mut mine = Vec::new();
                            for i in 0..5_000 {
                                stack.push(t * 1_000_000 + i);
                                mine.extend(stack.pop());
                            }
                            mine
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap())
                    .collect()
            });
            popped.extend(stack.drain());
            popped
        });
        popped.sort_unstable();
        let mut expected: Vec<u64> = (0..4u64)
            .flat_map(|t| (0..5_000).map(move |i| t * 1_000_000 + i))
            .collect();
        expected.sort_unstable();
        assert_eq!(popped, expected);
    }
}
