//! 线程池：手写一个 mpsc + `Mutex<Receiver>` 的线程池（Drop 时优雅关闭），以及 rayon。

use rayon::prelude::*;
use std::sync::{mpsc, Arc, Mutex};
use std::thread::{self, JoinHandle};

/// 原文的 `func(x1, x2)`：这里返回要打印的那一行，方便检查。
pub fn func(x1: u32, x2: u32) -> String {
    format!("{x1} {x2}")
}

// ANCHOR: thread-pool
type Job = Box<dyn FnOnce() + Send>;

/// 固定 `size` 个工作线程，从同一个任务队列里取活干（对应 `ThreadPoolExecutor(size)`）。
pub struct ThreadPool {
    workers: Vec<JoinHandle<()>>,
    jobs: Option<mpsc::Sender<Job>>,
}

impl ThreadPool {
    pub fn new(size: usize) -> Self {
        let (tx, rx) = mpsc::channel::<Job>();
        // std 的 mpsc 只能有一个接收端：多个 worker 共享它就得套一层 Mutex
        let rx = Arc::new(Mutex::new(rx));
        let worker = |_| {
            let rx = Arc::clone(&rx);
            thread::spawn(move || loop {
                // 锁只在取任务时持有：临时的锁守卫在这条 let 语句结束时就释放了
                // （写成 `while let Ok(job) = rx.lock().unwrap().recv()` 会在干活时一直持锁）
                let job = rx.lock().unwrap().recv();
                match job {
                    Ok(job) => job(),
                    Err(_) => break, // 队列已关闭且取空：下班
                }
            })
        };
        let workers = (0..size).map(worker).collect();
        Self {
            workers,
            jobs: Some(tx),
        }
    }

    /// 对应 `submit`：返回的 Receiver 相当于 Future，`recv()` 即 `result()`。
    pub fn submit<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> mpsc::Receiver<T> {
        let (tx, rx) = mpsc::channel();
        let job: Job = Box::new(move || drop(tx.send(f()))); // 没人要结果也没关系
        let jobs = self.jobs.as_ref().expect("pool is open");
        jobs.send(job).expect("workers alive");
        rx
    }
}

impl Drop for ThreadPool {
    /// 对应 `shutdown(wait=True)`：关闭队列，worker 做完已提交的任务后退出，逐个 join。
    fn drop(&mut self) {
        drop(self.jobs.take());
        for w in self.workers.drain(..) {
            let _ = w.join(); // 某个任务 panic 只会带走那个 worker，这里不再传播
        }
    }
}
// ANCHOR_END: thread-pool

// ANCHOR: rayon
/// 用 rayon 做同样的事：`par_iter` 把活分给线程池（默认每核一个线程，工作窃取）。
/// Rust 没有 GIL，线程就能跑满多核，所以 CPU 密集的任务也用线程池，
/// 不必像 Python 那样换成 `ProcessPoolExecutor`。结果按输入顺序收集。
pub fn rayon_map(inputs: &[(u32, u32)]) -> Vec<String> {
    inputs.par_iter().map(|&(x1, x2)| func(x1, x2)).collect()
}

/// 想要固定大小（像 `ThreadPoolExecutor(5)`），就自建一个池，在里面 `install`。
pub fn rayon_map_with_5_threads(inputs: &[(u32, u32)]) -> Vec<String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(5)
        .build()
        .expect("pool");
    pool.install(|| rayon_map(inputs))
}
// ANCHOR_END: rayon

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};
    use std::collections::HashSet;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    fn expected() -> Vec<String> {
        (0..10).map(|i| format!("{i} {i}")).collect()
    }

    #[test]
    fn hand_rolled_pool_runs_every_job_and_returns_results() {
        let got = within(LIMIT, || {
            let pool = ThreadPool::new(5);
            let futures: Vec<_> = (0..10).map(|i| pool.submit(move || func(i, i))).collect();
            futures
                .into_iter()
                .map(|f| f.recv().unwrap())
                .collect::<Vec<_>>()
        });
        assert_eq!(got, expected());
    }

    #[test]
    fn pool_uses_at_most_size_threads() {
        let ids = within(LIMIT, || {
            let pool = ThreadPool::new(3);
            let futures: Vec<_> = (0..30)
                .map(|_| {
                    pool.submit(|| {
                        thread::sleep(Duration::from_millis(1));
                        thread::current().id()
                    })
                })
                .collect();
            futures
                .into_iter()
                .map(|f| f.recv().unwrap())
                .collect::<HashSet<_>>()
        });
        assert!(!ids.is_empty() && ids.len() <= 3, "{} threads", ids.len());
    }

    #[test]
    fn drop_waits_for_all_submitted_jobs() {
        let done = within(LIMIT, || {
            let done = Arc::new(AtomicUsize::new(0));
            let pool = ThreadPool::new(4);
            for _ in 0..100 {
                let done = Arc::clone(&done);
                // fire and forget: the result receiver is dropped at once
                pool.submit(move || done.fetch_add(1, Ordering::SeqCst));
            }
            drop(pool); // graceful shutdown: queued jobs still run
            done.load(Ordering::SeqCst)
        });
        assert_eq!(done, 100);
    }

    #[test]
    fn rayon_versions_give_results_in_input_order() {
        let inputs: Vec<(u32, u32)> = (0..10).map(|i| (i, i)).collect();
        assert_eq!(
            within(LIMIT, {
                let inputs = inputs.clone();
                move || rayon_map(&inputs)
            }),
            expected()
        );
        assert_eq!(
            within(LIMIT, move || rayon_map_with_5_threads(&inputs)),
            expected()
        );
    }
}
