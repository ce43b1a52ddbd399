//! 把一串 RTT 样本喂给 RFC 6298 的估算器，打印每一步的 SRTT、RTTVAR 和 RTO，
//! 再模拟两次超时的指数退避。
//!
//! cargo run -p snippets --example rto

use snippets::rto::linux_like;
use std::time::Duration;

fn main() {
    let mut e = linux_like();
    println!("样本(ms)\tSRTT(ms)\tRTTVAR(ms)\tRTO(ms)");
    println!("-\t\t-\t\t-\t\t{:.4}", e.rto().as_secs_f64() * 1000.0);
    for sample in [100, 120, 80, 300, 90] {
        e.on_ack(Duration::from_millis(sample), false);
        println!(
            "{sample}\t\t{:.4}\t{:.4}\t\t{:.4}",
            e.srtt().unwrap().as_secs_f64() * 1000.0,
            e.rttvar().as_secs_f64() * 1000.0,
            e.rto().as_secs_f64() * 1000.0
        );
    }
    for n in 1..=2 {
        e.on_timeout();
        println!(
            "第 {n} 次超时\t\t\t\t\t{:.4}",
            e.rto().as_secs_f64() * 1000.0
        );
    }
}
