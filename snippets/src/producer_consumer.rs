//! 非阻塞的生产者-消费者：1 个生产者每 3 ms 生产 1..=10000，3 个消费者每 1 ms 取一次，共享计数 `g_count`。

use crossbeam_channel::RecvTimeoutError;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

/// 题目的参数；`Default` 就是题目原样的设置（跑完约 30 秒），测试里把间隔调小。
#[derive(Debug, Clone)]
pub struct Config {
    pub items: u32,
    pub consumers: usize,
    pub produce_every: Duration,
    pub consume_every: Duration,
    /// 队列容量：满了生产者才会等（背压），内存不会无限涨。
    pub capacity: usize,
    /// 消费者没货时最多等这么久就回来看看（可以在这里做点别的），不会无限期挂起。
    pub patience: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            items: 10_000,
            consumers: 3,
            produce_every: Duration::from_millis(3),
            consume_every: Duration::from_millis(1),
            capacity: 100,
            patience: Duration::from_millis(100),
        }
    }
}

/// 结果：全局计数，以及每个消费者按顺序消费到的数字。
#[derive(Debug)]
pub struct Report {
    pub g_count: usize,
    pub per_consumer: Vec<Vec<u32>>,
}

// ANCHOR: producer-consumer
pub fn run(cfg: &Config) -> Report {
    // 有界的多生产者多消费者（MPMC）通道：三个消费者直接共享同一个接收端，
    // 每个数字只会被其中一个取走。std 的 mpsc 只允许一个接收者，要共享得再套 Mutex。
    let (tx, rx) = crossbeam_channel::bounded::<u32>(cfg.capacity);
    let g_count = AtomicUsize::new(0); // 全局计数：原子加 1，多个线程同时加也不会丢
    let per_consumer = thread::scope(|s| {
        s.spawn(move || {
            for n in 1..=cfg.items {
                tx.send(n).expect("consumers alive"); // 只有队列满时才会等
                thread::sleep(cfg.produce_every);
            }
        }); // tx 在这里被 drop：通道关闭，消费者取完剩下的就会收到 Disconnected
        let consumers: Vec<_> = (0..cfg.consumers)
            .map(|_| {
                let (rx, g_count) = (rx.clone(), &g_count);
                s.spawn(move || {
                    let mut consumed = Vec::new();
                    loop {
                        // 没货时线程睡在通道上（不占 CPU），有货立刻醒；最多睡 patience 这么久
                        match rx.recv_timeout(cfg.patience) {
                            Ok(n) => {
                                consumed.push(n); // 换成 println! 就是"输出至屏幕"
                                g_count.fetch_add(1, Ordering::Relaxed);
                                thread::sleep(cfg.consume_every); // 题目要求的消费节奏
                            }
                            Err(RecvTimeoutError::Timeout) => {} // 这段时间没货：可以做点别的
                            Err(RecvTimeoutError::Disconnected) => return consumed,
                        }
                    }
                })
            })
            .collect();
        consumers.into_iter().map(|h| h.join().unwrap()).collect()
    });
    Report {
        g_count: g_count.into_inner(),
        per_consumer,
    }
}
// ANCHOR_END: producer-consumer

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};

    fn check(report: &Report, items: u32) {
        assert_eq!(report.g_count, items as usize);
        let mut all: Vec<u32> = report.per_consumer.iter().flatten().copied().collect();
        assert_eq!(
            all.len(),
            items as usize,
            "nothing lost, nothing duplicated"
        );
        all.sort_unstable();
        assert_eq!(
            all,
            (1..=items).collect::<Vec<_>>(),
            "every item exactly once"
        );
        for (i, got) in report.per_consumer.iter().enumerate() {
            // a single producer sends in order, so each consumer sees an increasing sequence
            assert!(
                got.windows(2).all(|w| w[0] < w[1]),
                "consumer {i} out of order"
            );
        }
    }

    #[test]
    fn ten_thousand_items_three_consumers_each_consumed_exactly_once() {
        let cfg = Config {
            produce_every: Duration::ZERO,
            consume_every: Duration::from_micros(1),
            ..Config::default()
        };
        assert_eq!((cfg.items, cfg.consumers), (10_000, 3));
        let report = within(LIMIT, move || run(&cfg));
        check(&report, 10_000);
        assert_eq!(report.per_consumer.len(), 3);
    }

    #[test]
    fn the_3ms_1ms_configuration_works_on_a_short_run() {
        let cfg = Config {
            items: 50,
            ..Config::default()
        };
        assert_eq!(cfg.produce_every, Duration::from_millis(3));
        assert_eq!(cfg.consume_every, Duration::from_millis(1));
        let report = within(LIMIT, move || run(&cfg));
        check(&report, 50);
    }

    #[test]
    fn a_tiny_queue_applies_back_pressure_without_losing_items() {
        let cfg = Config {
            items: 2_000,
            capacity: 1,
            produce_every: Duration::ZERO,
            consume_every: Duration::ZERO,
            ..Config::default()
        };
        let report = within(LIMIT, move || run(&cfg));
        check(&report, 2_000);
    }
}
