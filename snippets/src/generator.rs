//! 用 `yield`/`send` 实现的"生成器协程"的 Rust 版：一个显式的状态机。

// ANCHOR: generator
/// Python 里的生成器：
///
/// ```text
/// def producer(limit):
///     for i in range(limit):
///         n = yield i
///         print("结果:", n)
/// ```
///
/// 稳定版 Rust 没有 `yield`，于是把"停在哪里"存进一个枚举，`send` 从那里接着跑到下一个 `yield`。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// 刚创建，函数体一行都没执行。
    NotStarted,
    /// 停在 `n = yield i` 上，等调用方 send 一个值进来。
    SuspendedAt(u32),
    /// for 循环已跑完：Python 这时抛 StopIteration。
    Done,
}

pub struct Producer {
    limit: u32,
    state: State,
}

impl Producer {
    pub fn new(limit: u32) -> Self {
        Self {
            limit,
            state: State::NotStarted,
        }
    }

    pub fn state(&self) -> State {
        self.state
    }

    /// 等价于 `g.send(value)`：返回下一个 `yield` 产出的值，生成器结束时返回 `None`。
    /// `screen` 收集 `print` 的输出。
    pub fn send(&mut self, value: Option<i64>, screen: &mut Vec<String>) -> Option<u32> {
        let next = match self.state {
            State::NotStarted => {
                // 和 Python 一样：还没有哪个 yield 在等值，只能 send(None)（"预激"）
                assert!(
                    value.is_none(),
                    "can't send non-None value to a just-started generator"
                );
                0 // 从函数开头跑到第一个 yield，i = 0
            }
            State::SuspendedAt(i) => {
                // send 进来的值成为 yield 表达式的值，也就是 n
                let n = value.map_or("None".to_owned(), |v| v.to_string());
                screen.push(format!("结果: {n}"));
                i + 1 // 回到 for 循环顶部
            }
            State::Done => return None,
        };
        if next < self.limit {
            self.state = State::SuspendedAt(next);
            Some(next) // yield next：把值和控制权交还调用方
        } else {
            self.state = State::Done;
            None
        }
    }
}

/// 调用方：先预激，再把 0..10 依次 send 进去，打印每次 yield 回来的值。
pub fn consumer(screen: &mut Vec<String>) {
    let mut g = Producer::new(100);
    g.send(None, screen); // 跑到第一个 yield，产出的 0 丢掉不用
    for i in 0..10 {
        let res = g.send(Some(i), screen).expect("limit 是 100，还远没到");
        screen.push(res.to_string());
    }
}
// ANCHOR_END: generator

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consumer_and_producer_take_turns_printing_what_python_prints() {
        let mut screen = Vec::new();
        consumer(&mut screen);
        let mut expected = Vec::new();
        for i in 0..10 {
            expected.push(format!("结果: {i}"));
            expected.push(format!("{}", i + 1));
        }
        assert_eq!(screen, expected);
    }

    #[test]
    fn the_state_records_where_the_generator_is_suspended() {
        let mut screen = Vec::new();
        let mut g = Producer::new(2);
        assert_eq!(g.state(), State::NotStarted);
        assert_eq!(g.send(None, &mut screen), Some(0));
        assert_eq!(g.state(), State::SuspendedAt(0));
        assert_eq!(g.send(Some(7), &mut screen), Some(1));
        assert_eq!(g.state(), State::SuspendedAt(1));
        assert_eq!(g.send(None, &mut screen), None, "StopIteration");
        assert_eq!(g.state(), State::Done);
        assert_eq!(g.send(Some(9), &mut screen), None, "stays finished");
        assert_eq!(screen, ["结果: 7", "结果: None"]);
    }

    #[test]
    #[should_panic(expected = "just-started generator")]
    fn first_send_must_be_none() {
        Producer::new(3).send(Some(1), &mut Vec::new());
    }
}
