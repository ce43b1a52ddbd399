//! 协程（async/await）：tokio 运行时里的 `sleep` 让出线程，多个协程并发等待。

use std::sync::Mutex;
use std::time::Duration;

// ANCHOR: async
/// 对应 Python 的 `async def func()`。调用 `func(..)` 只得到一个 Future，什么都还没执行；
/// 要 `.await`（或交给运行时）它才会跑。
pub async fn func(name: &str, delay: Duration, log: &Mutex<Vec<String>>) {
    // 锁不跨 .await 持有，std 的 Mutex 就够用
    log.lock().unwrap().push(format!("{name} start..."));
    // 让出线程、交还给事件循环；换成 std::thread::sleep 会卡住整个运行时
    tokio::time::sleep(delay).await;
    log.lock().unwrap().push(format!("{name} end..."));
}

/// 两个协程并发：都在 sleep 时，事件循环两边都等着，总耗时约等于一个 delay 而不是两个。
pub async fn two_at_once(delay: Duration) -> Vec<String> {
    let log = Mutex::new(Vec::new());
    tokio::join!(func("a", delay, &log), func("b", delay, &log));
    log.into_inner().unwrap()
}

/// 对应 `loop.run_until_complete(...)`：建一个单线程的运行时，阻塞到 Future 完成。
pub fn run_until_complete(delay: Duration) -> Vec<String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    rt.block_on(two_at_once(delay))
}
// ANCHOR_END: async

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};

    // paused clock: sleeps advance virtual time instantly, so the timing assertion is exact
    #[tokio::test(start_paused = true)]
    async fn both_coroutines_wait_concurrently() {
        let t0 = tokio::time::Instant::now();
        let log = two_at_once(Duration::from_secs(1)).await;
        assert_eq!(t0.elapsed(), Duration::from_secs(1), "one delay, not two");
        let (starts, ends) = log.split_at(2);
        assert!(starts.iter().all(|l| l.ends_with("start...")), "{log:?}");
        assert!(ends.iter().all(|l| l.ends_with("end...")), "{log:?}");
    }

    #[tokio::test]
    async fn func_completes() {
        let log = Mutex::new(Vec::new());
        tokio::time::timeout(LIMIT, func("x", Duration::from_millis(5), &log))
            .await
            .expect("finished in time");
        assert_eq!(log.into_inner().unwrap(), ["x start...", "x end..."]);
    }

    #[test]
    fn on_a_real_clock_both_start_before_either_ends() {
        // join! polls a, then b, before the runtime looks at any timer: so both "start"
        // lines come first however slow the machine is, which is what "concurrent" means here
        let log = within(LIMIT, || run_until_complete(Duration::from_millis(5)));
        let mut starts = log[..2].to_vec();
        let mut ends = log[2..].to_vec();
        starts.sort();
        ends.sort();
        assert_eq!(starts, ["a start...", "b start..."], "{log:?}");
        assert_eq!(ends, ["a end...", "b end..."], "{log:?}");
    }
}
