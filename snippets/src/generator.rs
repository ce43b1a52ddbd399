//! 用 `yield`/`send` 实现的"生成器协程"的 Rust 版：一个显式的状态机。

use std::fmt::Debug;

// ANCHOR: generator
/// 原文的 `producer()`：`for i in range(limit): n = yield i; print("结果:", n)`。
///
/// Rust 稳定版没有生成器（`yield` 仍是 nightly 特性），所以把"停在哪个 yield 上"
/// 存成字段，`send` = 从上次停下的地方继续跑，直到下一个 yield。
/// 只 yield、不 send 的生成器，在 Rust 里就是普通的 `Iterator`（如 `0..limit`）。
pub struct Producer {
    limit: u32,
    at: Option<u32>, // None：还没开始；Some(i)：停在 `n = yield i`；Some(limit)：已结束
}

impl Producer {
    pub fn new(limit: u32) -> Self {
        Self { limit, at: None }
    }

    /// 等价于 `g.send(value)`，`out` 是"屏幕"。返回 yield 出的值，结束后返回 `None`。
    pub fn send<T: Debug>(&mut self, value: Option<T>, out: &mut Vec<String>) -> Option<u32> {
        let next = match self.at {
            None => {
                // Python 同样规定：刚创建的生成器只能 send(None)，即"预激"
                assert!(
                    value.is_none(),
                    "can't send a value to a just-started generator"
                );
                0
            }
            Some(i) if i < self.limit => {
                out.push(format!("结果: {value:?}")); // n 就是 send 进来的值
                i + 1 // 回到 for 循环顶部
            }
            Some(_) => return None, // 已结束：Python 这里抛 StopIteration
        };
        self.at = Some(next.min(self.limit));
        (next < self.limit).then_some(next) // yield next，把控制权交还调用方
    }
}

/// 原文的 `consumer()`：先预激，再把 0..10 依次 send 进去，打印每次 yield 回来的值。
pub fn consumer(out: &mut Vec<String>) {
    let mut g = Producer::new(100);
    g.send(None::<i32>, out); // 跑到第一个 yield，交出 0（丢弃）
    for i in 0..10 {
        let res = g.send(Some(i), out);
        out.push(format!("{res:?}"));
    }
}
// ANCHOR_END: generator

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consumer_and_producer_take_turns_like_the_python_original() {
        let mut out = Vec::new();
        consumer(&mut out);
        let mut expected = Vec::new();
        for i in 0..10 {
            expected.push(format!("结果: Some({i})"));
            expected.push(format!("Some({})", i + 1));
        }
        assert_eq!(out, expected);
    }

    #[test]
    fn generator_finishes_after_its_last_yield() {
        let mut out = Vec::new();
        let mut g = Producer::new(2);
        assert_eq!(g.send(None::<u8>, &mut out), Some(0));
        assert_eq!(g.send(Some('a'), &mut out), Some(1));
        assert_eq!(g.send(Some('b'), &mut out), None, "StopIteration");
        assert_eq!(g.send(Some('c'), &mut out), None, "stays finished");
        assert_eq!(out, ["结果: Some('a')", "结果: Some('b')"]);
    }

    #[test]
    #[should_panic(expected = "just-started generator")]
    fn first_send_must_be_none() {
        Producer::new(3).send(Some(1), &mut Vec::new());
    }
}
