//! 拥塞控制：按 RTT 一轮一轮地模拟 Reno 的拥塞窗口（cwnd）与慢启动阈值（ssthresh）。

// ANCHOR: reno
/// 一轮（一个 RTT）结束时发送方观察到的情况。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// 这一轮发出的数据全部被确认。
    AllAcked,
    /// 收到 3 个重复 ACK：快速重传，再经快速恢复回到拥塞避免。
    TripleDupAck,
    /// 重传计时器超时（RTO）。
    Timeout,
}

/// Reno 发送方的两个状态变量，单位是报文段（MSS）。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reno {
    pub cwnd: u32,
    pub ssthresh: u32,
}

impl Reno {
    pub fn new(initial_window: u32, ssthresh: u32) -> Self {
        Reno {
            cwnd: initial_window,
            ssthresh,
        }
    }

    /// 处理一轮的结果，返回下一轮的 cwnd。
    ///
    /// 模型假设发送方总有数据可发，每轮恰好发满 cwnd，所以 RFC 5681 公式里的
    /// FlightSize（在途数据量）就等于 cwnd。
    pub fn on_round(&mut self, event: Event) -> u32 {
        match event {
            Event::AllAcked if self.cwnd < self.ssthresh => {
                // 慢启动：每个 ACK 加 1 个 MSS，一轮下来翻倍；不越过 ssthresh
                self.cwnd = (self.cwnd * 2).min(self.ssthresh);
            }
            Event::AllAcked => {
                // 拥塞避免：每个 ACK 加 MSS*MSS/cwnd，一轮下来约加 1 个 MSS
                self.cwnd += 1;
            }
            Event::TripleDupAck => {
                // 快速重传 + 快速恢复：阈值减半，恢复结束时 cwnd 回到新阈值
                self.ssthresh = (self.cwnd / 2).max(2);
                self.cwnd = self.ssthresh;
            }
            Event::Timeout => {
                // 超时说明 ACK 流断了：阈值减半，cwnd 回到 1，重新慢启动
                self.ssthresh = (self.cwnd / 2).max(2);
                self.cwnd = 1;
            }
        }
        self.cwnd
    }
}

/// 从初始状态开始，依次喂入每一轮的事件，返回每一轮开始时的 cwnd（第 0 轮是初始窗口）。
pub fn trace(mut sender: Reno, events: &[Event]) -> Vec<u32> {
    let mut cwnds = vec![sender.cwnd];
    for &event in events {
        cwnds.push(sender.on_round(event));
    }
    cwnds
}
// ANCHOR_END: reno

/// 页面上那张图所画的场景：第 9 轮末收到 3 个重复 ACK，第 14 轮末超时。
pub fn page_scenario() -> Vec<u32> {
    let events: Vec<Event> = (0..22)
        .map(|round| match round {
            9 => Event::TripleDupAck,
            14 => Event::Timeout,
            _ => Event::AllAcked,
        })
        .collect();
    trace(Reno::new(1, 32), &events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slow_start_doubles_each_round_up_to_ssthresh() {
        let cwnds = trace(Reno::new(1, 32), &[Event::AllAcked; 5]);
        assert_eq!(cwnds, [1, 2, 4, 8, 16, 32]);
    }

    #[test]
    fn slow_start_stops_at_ssthresh_instead_of_overshooting() {
        // 从 1 翻倍：1, 2, 4, 8，下一步本该 16，但阈值是 11
        let cwnds = trace(Reno::new(1, 11), &[Event::AllAcked; 5]);
        assert_eq!(cwnds, [1, 2, 4, 8, 11, 12]);
    }

    #[test]
    fn congestion_avoidance_adds_one_segment_per_round() {
        let cwnds = trace(Reno::new(32, 32), &[Event::AllAcked; 4]);
        assert_eq!(cwnds, [32, 33, 34, 35, 36]);
    }

    #[test]
    fn three_duplicate_acks_halve_the_window_and_skip_slow_start() {
        let mut sender = Reno::new(36, 32);
        assert_eq!(sender.on_round(Event::TripleDupAck), 18);
        assert_eq!(sender.ssthresh, 18);
        // 之后直接是线性增长，不是从 1 重新翻倍
        assert_eq!(sender.on_round(Event::AllAcked), 19);
    }

    #[test]
    fn a_timeout_drops_the_window_to_one_and_restarts_slow_start() {
        let mut sender = Reno::new(22, 18);
        assert_eq!(sender.on_round(Event::Timeout), 1);
        assert_eq!(sender.ssthresh, 11);
        assert_eq!(sender.on_round(Event::AllAcked), 2);
    }

    #[test]
    fn ssthresh_never_goes_below_two_segments() {
        let mut sender = Reno::new(3, 64);
        sender.on_round(Event::TripleDupAck);
        assert_eq!(sender.ssthresh, 2);
    }

    #[test]
    fn the_plotted_scenario() {
        assert_eq!(
            page_scenario(),
            [
                1, 2, 4, 8, 16, 32, 33, 34, 35, 36, // 慢启动，然后拥塞避免
                18, 19, 20, 21, 22, // 3 个重复 ACK：减半
                1, 2, 4, 8, 11, 12, 13, 14, // 超时：回到 1，新阈值 11
            ]
        );
    }
}
