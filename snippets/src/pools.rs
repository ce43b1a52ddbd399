//! 线程池：手写一个 mpsc + `Mutex<Receiver>` 的线程池（Drop 时优雅关闭），以及 rayon。

use rayon::prelude::*;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::{self, JoinHandle};

/// 每个任务做的事：返回要打印的那一行，方便检查。
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

/// `submit` 的返回值，对应 Python 的 `Future`。
pub struct Future<T>(mpsc::Receiver<thread::Result<T>>);

impl<T> Future<T> {
    /// 对应 `Future.result()`：等任务做完。任务 panic 了就得到 `Err`（里面是 panic 的内容），
    /// 就像 Python 在 `result()` 里把任务的异常重新抛给调用方。
    pub fn result(self) -> thread::Result<T> {
        self.0
            .recv()
            .expect("每个任务都会回一个结果：panic 也被接住了")
    }
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
                    Ok(job) => job(), // job 自己接住 panic，worker 不会因此死掉
                    Err(_) => break,  // 队列已关闭且取空：下班
                }
            })
        };
        let workers = (0..size).map(worker).collect();
        Self {
            workers,
            jobs: Some(tx),
        }
    }

    /// 对应 `submit`：把任务排进队列，立即返回一个 Future。
    pub fn submit<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Future<T> {
        let (tx, rx) = mpsc::channel();
        let job: Job = Box::new(move || {
            // 任务 panic 时把它变成一个 Err 交给调用方；不接住的话，这个 worker 线程会跟着
            // 死掉，调用方只收到一个说明不了问题的 RecvError，池子也少了一个干活的线程
            let outcome = panic::catch_unwind(AssertUnwindSafe(f));
            let _ = tx.send(outcome); // 没人要结果（Future 已丢弃）也没关系
        });
        let jobs = self.jobs.as_ref().expect("pool is open");
        jobs.send(job).expect("workers alive");
        Future(rx)
    }
}

impl Drop for ThreadPool {
    /// 对应 `shutdown(wait=True)`：关闭队列，worker 做完已提交的任务后退出，逐个 join。
    fn drop(&mut self) {
        drop(self.jobs.take());
        for w in self.workers.drain(..) {
            w.join()
                .expect("worker 线程不会 panic：任务的 panic 都被接住了");
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
                .map(|f| f.result().unwrap())
                .collect::<Vec<_>>()
        });
        assert_eq!(got, expected());
    }

    #[test]
    fn pool_uses_at_most_size_threads() {
        let ids = within(LIMIT, || {
            let pool = ThreadPool::new(3);
            let futures: Vec<_> = (0..30)
                .map(|_| pool.submit(|| thread::current().id()))
                .collect();
            futures
                .into_iter()
                .map(|f| f.result().unwrap())
                .collect::<HashSet<_>>()
        });
        assert!(!ids.is_empty() && ids.len() <= 3, "{} threads", ids.len());
    }

    #[test]
    fn a_panicking_job_hands_its_panic_to_the_caller_and_the_worker_lives_on() {
        let (first, second, third) = within(LIMIT, || {
            let pool = ThreadPool::new(1); // 只有一个 worker：它要是死了，后面的任务就没人做
            let first = pool.submit(|| -> u32 { panic!("boom") }).result();
            let second = pool.submit(|| thread::current().id()).result();
            let third = pool.submit(|| thread::current().id()).result();
            (first, second.unwrap(), third.unwrap())
        });
        let payload = first.expect_err("the panic comes back as an Err");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));
        assert_eq!(second, third, "the same worker thread kept running jobs");
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
