//! 超时重传：按 RFC 6298 第 2、3、5 节由 RTT 样本计算重传超时（RTO）。

use std::time::Duration;

// ANCHOR: rto
/// RFC 6298 的两个平滑系数：α = 1/8，β = 1/4；K = 4。
const ALPHA: f64 = 1.0 / 8.0;
const BETA: f64 = 1.0 / 4.0;
const K: f64 = 4.0;

/// 一条连接的 RTO 估算器（时间一律用毫秒的 f64 表示，方便和手算对照）。
#[derive(Debug, Clone)]
pub struct RtoEstimator {
    srtt: Option<f64>, // 平滑 RTT；还没有样本时为 None
    rttvar: f64,       // RTT 的平均偏差
    rto: f64,
    min_rto: f64,     // RFC 6298 建议 1 s；Linux 用 200 ms
    max_rto: f64,     // RFC 要求上限至少 60 s；Linux 是 120 s
    granularity: f64, // 时钟粒度 G
}

impl RtoEstimator {
    /// (2.1) 还没测到 RTT 时，RTO 取 1 秒。
    pub fn new(min_rto: Duration, max_rto: Duration, granularity: Duration) -> Self {
        RtoEstimator {
            srtt: None,
            rttvar: 0.0,
            rto: 1000.0,
            min_rto: ms(min_rto),
            max_rto: ms(max_rto),
            granularity: ms(granularity),
        }
    }

    /// RFC 6298 原样的参数：下限 1 s，上限 60 s，时钟粒度 1 ms。
    pub fn rfc6298() -> Self {
        Self::new(
            Duration::from_secs(1),
            Duration::from_secs(60),
            Duration::from_millis(1),
        )
    }

    /// 收到一个确认。`retransmitted` 表示被确认的报文段重传过：
    /// Karn 算法规定这种样本不能用，因为分不清 ACK 确认的是哪一次发送。
    pub fn on_ack(&mut self, rtt: Duration, retransmitted: bool) {
        if retransmitted {
            return;
        }
        let r = ms(rtt);
        match self.srtt {
            // (2.2) 第一个样本
            None => {
                self.srtt = Some(r);
                self.rttvar = r / 2.0;
            }
            // (2.3) 之后的样本：先用旧的 SRTT 更新 RTTVAR，再更新 SRTT
            Some(srtt) => {
                self.rttvar = (1.0 - BETA) * self.rttvar + BETA * (srtt - r).abs();
                self.srtt = Some((1.0 - ALPHA) * srtt + ALPHA * r);
            }
        }
        let srtt = self.srtt.unwrap_or(r);
        // RTO = SRTT + max(G, K*RTTVAR)，再按 (2.4)(2.5) 夹在上下限之间
        self.rto = (srtt + self.granularity.max(K * self.rttvar)).clamp(self.min_rto, self.max_rto);
    }

    /// (5.5) 计时器到期：RTO 加倍（指数退避），不超过上限。
    pub fn on_timeout(&mut self) {
        self.rto = (self.rto * 2.0).min(self.max_rto);
    }

    pub fn rto(&self) -> Duration {
        duration(self.rto)
    }

    pub fn srtt(&self) -> Option<Duration> {
        self.srtt.map(duration)
    }

    pub fn rttvar(&self) -> Duration {
        duration(self.rttvar)
    }
}

fn ms(d: Duration) -> f64 {
    d.as_nanos() as f64 / 1e6
}

fn duration(ms: f64) -> Duration {
    Duration::from_nanos((ms * 1e6).round() as u64)
}
// ANCHOR_END: rto

/// 和 Linux 取值相近的估算器：下限 200 ms，上限 120 s（算法仍是 RFC 6298 的）。
pub fn linux_like() -> RtoEstimator {
    RtoEstimator::new(
        Duration::from_millis(200),
        Duration::from_secs(120),
        Duration::from_millis(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 手算结果都是有限小数，换成整数微秒（或纳秒）后可以精确比较。
    fn micros(x: u64) -> Duration {
        Duration::from_micros(x)
    }

    fn millis(x: u64) -> Duration {
        Duration::from_millis(x)
    }

    #[test]
    fn before_any_sample_the_rto_is_one_second() {
        assert_eq!(RtoEstimator::rfc6298().rto(), Duration::from_secs(1));
        assert_eq!(linux_like().rto(), Duration::from_secs(1));
    }

    #[test]
    fn samples_follow_the_hand_computed_values() {
        let mut e = linux_like();
        // 第一个样本 100 ms：SRTT = 100，RTTVAR = 50，RTO = 100 + 4×50 = 300
        e.on_ack(millis(100), false);
        assert_eq!(e.srtt(), Some(millis(100)));
        assert_eq!(e.rttvar(), millis(50));
        assert_eq!(e.rto(), millis(300));
        // 120 ms：RTTVAR = 3/4×50 + 1/4×|100−120| = 42.5；SRTT = 7/8×100 + 1/8×120 = 102.5
        // RTO = 102.5 + 4×42.5 = 272.5
        e.on_ack(millis(120), false);
        assert_eq!(e.rttvar(), micros(42_500));
        assert_eq!(e.srtt(), Some(micros(102_500)));
        assert_eq!(e.rto(), micros(272_500));
        // 80 ms：RTTVAR = 3/4×42.5 + 1/4×22.5 = 37.5；SRTT = 7/8×102.5 + 10 = 99.6875
        // RTO = 99.6875 + 150 = 249.6875
        e.on_ack(millis(80), false);
        assert_eq!(e.rttvar(), micros(37_500));
        assert_eq!(e.srtt(), Some(Duration::from_nanos(99_687_500)));
        assert_eq!(e.rto(), Duration::from_nanos(249_687_500));
    }

    #[test]
    fn the_rfc_minimum_of_one_second_hides_small_rtos() {
        let mut e = RtoEstimator::rfc6298();
        e.on_ack(millis(100), false); // 算出来 300 ms，被抬到 1 s
        assert_eq!(e.rto(), Duration::from_secs(1));
    }

    #[test]
    fn timeouts_double_the_rto_up_to_the_maximum() {
        let mut e = linux_like();
        e.on_ack(millis(100), false); // 300 ms
        e.on_timeout();
        assert_eq!(e.rto(), millis(600));
        e.on_timeout();
        assert_eq!(e.rto(), millis(1200));
        for _ in 0..20 {
            e.on_timeout();
        }
        assert_eq!(e.rto(), Duration::from_secs(120));
    }

    #[test]
    fn karn_ignores_samples_of_retransmitted_segments() {
        let mut e = linux_like();
        e.on_ack(millis(100), false);
        e.on_timeout(); // 600 ms
                        // 这个 ACK 确认的是重传过的段：它测到的 5 ms 可能是"第二次发送"到 ACK 的时间
        e.on_ack(millis(5), true);
        assert_eq!(e.srtt(), Some(millis(100)));
        assert_eq!(e.rto(), millis(600), "backed-off RTO kept");
    }

    #[test]
    fn a_tiny_rttvar_is_replaced_by_the_clock_granularity() {
        let mut e = RtoEstimator::new(
            Duration::ZERO,
            Duration::from_secs(60),
            Duration::from_millis(10),
        );
        e.on_ack(millis(2), false); // RTTVAR = 1，4×1 < G = 10
        assert_eq!(e.rto(), millis(12));
    }
}
