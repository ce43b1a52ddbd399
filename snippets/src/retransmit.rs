//! 累计确认与快速重传：接收方对每个到达的报文段回一个 ACK，发送方数到 3 个重复 ACK 就重传（RFC 5681）。

use std::collections::BTreeMap;

// ANCHOR: receiver
/// 接收方：记下已经到达的报文段，确认号永远是“下一个期望的字节”。
#[derive(Default)]
pub struct Receiver {
    /// 期望的下一个字节序号。
    next: u32,
    /// 先到的乱序段：起始序号 → 长度。
    out_of_order: BTreeMap<u32, u32>,
}

impl Receiver {
    pub fn new(isn: u32) -> Self {
        Receiver {
            next: isn,
            ..Default::default()
        }
    }

    /// 收到一个报文段，返回要回的确认号。缺口之后到达的段只能让确认号原地不动，
    /// 于是发送方会看到一串重复的 ACK。
    pub fn on_segment(&mut self, seq: u32, len: u32) -> u32 {
        if seq == self.next {
            self.next += len;
            // 缺口补上了：把紧接着的乱序段一并收下
            while let Some(len) = self.out_of_order.remove(&self.next) {
                self.next += len;
            }
        } else if seq > self.next {
            self.out_of_order.insert(seq, len);
        }
        self.next
    }
}
// ANCHOR_END: receiver

// ANCHOR: sender
/// 发送方：数重复 ACK，第 3 个重复 ACK 到来时重传缺口处的报文段。
#[derive(Default)]
pub struct DupAckCounter {
    last_ack: Option<u32>,
    dups: u32,
}

impl DupAckCounter {
    /// 返回 `Some(seq)` 表示现在就该重传从 `seq` 开始的报文段。
    pub fn on_ack(&mut self, ack: u32) -> Option<u32> {
        if self.last_ack == Some(ack) {
            self.dups += 1;
            if self.dups == 3 {
                return Some(ack); // 不等重传计时器到期
            }
        } else {
            self.last_ack = Some(ack);
            self.dups = 0;
        }
        None
    }
}
// ANCHOR_END: sender

/// 把页面上的例子跑一遍：五个 100 字节的段从 1000 开始连续发出，`lost` 那一段在路上丢了。
/// 返回按时间顺序发生的事件。
pub fn run(lost: u32) -> Vec<String> {
    let mut rx = Receiver::new(1000);
    let mut tx = DupAckCounter::default();
    let mut log = Vec::new();
    let mut acks = Vec::new();
    for seq in (1000..1500).step_by(100) {
        if seq == lost {
            log.push(format!("发 seq={seq}（丢失）"));
            continue;
        }
        log.push(format!("发 seq={seq}"));
        acks.push(rx.on_segment(seq, 100));
    }
    for ack in acks {
        log.push(format!("收 ack={ack}"));
        if let Some(seq) = tx.on_ack(ack) {
            log.push(format!("3 个重复 ACK，重传 seq={seq}"));
            let ack = rx.on_segment(seq, 100);
            log.push(format!("收 ack={ack}"));
        }
    }
    log
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_example_three_dup_acks_then_ack_1500() {
        assert_eq!(
            run(1100),
            [
                "发 seq=1000",
                "发 seq=1100（丢失）",
                "发 seq=1200",
                "发 seq=1300",
                "发 seq=1400",
                "收 ack=1100",
                "收 ack=1100",
                "收 ack=1100",
                "收 ack=1100",
                "3 个重复 ACK，重传 seq=1100",
                "收 ack=1500",
            ]
        );
    }

    #[test]
    fn losing_the_last_segment_gives_no_dup_acks_and_needs_the_timer() {
        // 尾部丢包：后面没有段再引出重复 ACK，快速重传无从触发，只能等 RTO（或 RACK-TLP）
        let log = run(1400);
        assert!(log.iter().all(|l| !l.contains("重传")), "{log:?}");
        assert_eq!(log.last().unwrap(), "收 ack=1400");
    }

    #[test]
    fn cumulative_ack_jumps_over_segments_that_arrived_early() {
        let mut rx = Receiver::new(0);
        assert_eq!(rx.on_segment(100, 100), 0);
        assert_eq!(rx.on_segment(200, 100), 0);
        assert_eq!(rx.on_segment(0, 100), 300); // 一个确认号覆盖了三段
        assert_eq!(rx.on_segment(0, 100), 300); // 重复到达的旧段不改变确认号
    }
}
