//! 有界线程池：核心线程数、最大线程数、有界队列、空闲存活时间和拒绝策略，
//! 任务流转规则照 Java 的 `ThreadPoolExecutor.execute`：核心线程 → 队列 → 额外线程 → 拒绝。

use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

type Task = Box<dyn FnOnce() + Send + 'static>;

// ANCHOR: config
/// 队列和线程都满了之后怎么办（与 Java 的四个内置策略一一对应）。
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RejectPolicy {
    /// `AbortPolicy`（Java 的默认值）：拒绝并报错，由提交者决定怎么办。
    Abort,
    /// `CallerRunsPolicy`：让提交任务的线程自己执行，提交者被拖慢，形成天然的背压。
    CallerRuns,
    /// `DiscardPolicy`：悄悄丢掉新任务。
    Discard,
    /// `DiscardOldestPolicy`：丢掉队列里最老的任务，再把新任务放进队列。
    DiscardOldest,
}

/// 线程池的五个参数。
#[derive(Clone, Debug)]
pub struct PoolConfig {
    /// 核心线程数：来任务时线程数少于它，就直接新建线程，哪怕别的线程正闲着。
    pub core: usize,
    /// 最大线程数：队列满了之后，最多还能扩到多少个线程。
    pub max: usize,
    /// 队列容量：有界才有意义，无界队列让 `max` 形同虚设。
    pub queue_capacity: usize,
    /// 超过核心数的线程空闲这么久就退出。
    pub keep_alive: Duration,
    pub policy: RejectPolicy,
}

/// `execute` 把任务交给了谁：测试用它证明流转顺序。
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// 新建了一个核心线程，任务是它的第一个任务（不经过队列）。
    CoreThread,
    /// 放进了队列，等空闲线程来取。
    Queued,
    /// 队列已满，新建了一个非核心线程，新任务是它的第一个任务。
    ExtraThread,
    /// 被拒绝，按策略在提交者线程里执行了。
    RanInCaller,
    /// 被拒绝并丢弃了。
    Discarded,
    /// 丢掉了队首最老的任务，新任务进了队尾。
    DiscardedOldest,
}

/// `RejectPolicy::Abort` 的错误，相当于 Java 的 `RejectedExecutionException`。
#[derive(Debug, PartialEq, Eq)]
pub struct Rejected;
// ANCHOR_END: config

struct State {
    queue: VecDeque<Task>,
    /// 活着的工作线程数（包括正在干活的和空闲等待的）。
    threads: usize,
    shutdown: bool,
}

struct Shared {
    config: PoolConfig,
    state: Mutex<State>,
    /// 队列里来了任务，或者要关闭了。
    work: Condvar,
    /// 线程数变了（只用来观察收缩）。
    resized: Condvar,
}

/// 有界线程池。drop 时像 Java 的 `shutdown()` 后 `awaitTermination`：
/// 不再接收任务，队列里已有的任务做完，再等所有线程退出。
pub struct BoundedPool {
    shared: Arc<Shared>,
    handles: Mutex<Vec<JoinHandle<()>>>,
}

impl BoundedPool {
    pub fn new(config: PoolConfig) -> Self {
        assert!(
            config.max >= 1 && config.max >= config.core,
            "need 1 <= max, core <= max"
        );
        Self {
            shared: Arc::new(Shared {
                config,
                state: Mutex::new(State {
                    queue: VecDeque::new(),
                    threads: 0,
                    shutdown: false,
                }),
                work: Condvar::new(),
                resized: Condvar::new(),
            }),
            handles: Mutex::new(Vec::new()),
        }
    }

    // ANCHOR: execute
    /// 提交一个任务。判断顺序和 `ThreadPoolExecutor.execute` 相同。
    pub fn execute(&self, task: impl FnOnce() + Send + 'static) -> Result<Outcome, Rejected> {
        let task: Task = Box::new(task);
        let cfg = &self.shared.config;
        let mut st = self.shared.state.lock().unwrap();
        // 1. 线程数不到核心数：新建线程，任务直接交给它，不进队列
        if st.threads < cfg.core {
            st.threads += 1;
            drop(st);
            self.spawn_worker(Some(task));
            return Ok(Outcome::CoreThread);
        }
        // 2. 核心线程都有了：先排队（哪怕还没到最大线程数）
        if st.queue.len() < cfg.queue_capacity {
            st.queue.push_back(task);
            let no_thread = st.threads == 0; // core = 0 时得保证至少有一个线程来取
            if no_thread {
                st.threads += 1;
            }
            drop(st);
            self.shared.work.notify_one();
            if no_thread {
                self.spawn_worker(None);
            }
            return Ok(Outcome::Queued);
        }
        // 3. 队列满了：还没到最大线程数，就新建一个非核心线程，先跑这个新任务
        if st.threads < cfg.max {
            st.threads += 1;
            drop(st);
            self.spawn_worker(Some(task));
            return Ok(Outcome::ExtraThread);
        }
        // 4. 队列满、线程也到了上限：拒绝
        match cfg.policy {
            RejectPolicy::Abort => Err(Rejected),
            RejectPolicy::Discard => Ok(Outcome::Discarded),
            RejectPolicy::DiscardOldest => {
                if cfg.queue_capacity == 0 {
                    return Ok(Outcome::Discarded); // 没有队列可挤，只能丢掉新任务
                }
                drop(st.queue.pop_front()); // 被挤掉的任务永远不会执行
                st.queue.push_back(task);
                drop(st);
                self.shared.work.notify_one();
                Ok(Outcome::DiscardedOldest)
            }
            RejectPolicy::CallerRuns => {
                drop(st); // 千万别拿着池的锁跑任务
                task();
                Ok(Outcome::RanInCaller)
            }
        }
    }
    // ANCHOR_END: execute

    /// 当前线程数（Java 的 `getPoolSize()`）。
    pub fn pool_size(&self) -> usize {
        self.shared.state.lock().unwrap().threads
    }

    /// 阻塞到线程数变成 `n`：用来观察空闲的非核心线程在 keep-alive 之后退出。
    pub fn wait_for_pool_size(&self, n: usize) {
        let st = self.shared.state.lock().unwrap();
        let _st = self
            .shared
            .resized
            .wait_while(st, |st| st.threads != n)
            .unwrap();
    }

    fn spawn_worker(&self, first: Option<Task>) {
        let shared = Arc::clone(&self.shared);
        let handle = thread::spawn(move || worker_loop(&shared, first));
        self.handles.lock().unwrap().push(handle);
    }
}

// ANCHOR: worker
fn worker_loop(shared: &Shared, mut next: Option<Task>) {
    let cfg = &shared.config;
    loop {
        if let Some(task) = next.take() {
            // 任务 panic 不能带走线程计数：捕获后继续取下一个任务
            let _ = panic::catch_unwind(AssertUnwindSafe(task));
        }
        let mut st = shared.state.lock().unwrap();
        loop {
            if let Some(task) = st.queue.pop_front() {
                next = Some(task);
                break;
            }
            if st.shutdown {
                return exit(shared, st);
            }
            if st.threads > cfg.core {
                // 非核心线程：最多等 keep_alive，等不到任务就退出
                let (guard, timeout) = shared.work.wait_timeout(st, cfg.keep_alive).unwrap();
                st = guard;
                if timeout.timed_out() && st.queue.is_empty() && st.threads > cfg.core {
                    return exit(shared, st);
                }
            } else {
                // 核心线程：一直等（Java 里 allowCoreThreadTimeOut(true) 才会让它们也超时）
                st = shared.work.wait(st).unwrap();
            }
        }
    }
}
// ANCHOR_END: worker

fn exit(shared: &Shared, mut st: std::sync::MutexGuard<'_, State>) {
    st.threads -= 1;
    drop(st);
    shared.resized.notify_all();
}

impl Drop for BoundedPool {
    fn drop(&mut self) {
        self.shared.state.lock().unwrap().shutdown = true;
        self.shared.work.notify_all();
        for h in self.handles.get_mut().unwrap().drain(..) {
            let _ = h.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};
    use std::sync::mpsc;

    /// 一道闸门：任务先报告"我开始了"，然后卡在闸门上，直到测试把闸门打开。
    #[derive(Clone)]
    struct Gate(Arc<(Mutex<bool>, Condvar)>);

    impl Gate {
        fn new() -> Self {
            Gate(Arc::new((Mutex::new(false), Condvar::new())))
        }
        fn wait(&self) {
            let (open, cv) = &*self.0;
            let _g = cv.wait_while(open.lock().unwrap(), |o| !*o).unwrap();
        }
        fn open(&self) {
            let (open, cv) = &*self.0;
            *open.lock().unwrap() = true;
            cv.notify_all();
        }
    }

    fn config(policy: RejectPolicy) -> PoolConfig {
        PoolConfig {
            core: 2,
            max: 3,
            queue_capacity: 2,
            keep_alive: Duration::from_millis(20),
            policy,
        }
    }

    /// 一个会卡在闸门上的任务：开始时报告编号，闸门打开后报告完成。
    struct Probe {
        gate: Gate,
        started: mpsc::Sender<u32>,
        done: mpsc::Sender<u32>,
    }

    impl Probe {
        fn task(&self, i: u32) -> impl FnOnce() + Send + 'static {
            let (gate, started, done) =
                (self.gate.clone(), self.started.clone(), self.done.clone());
            move || {
                started.send(i).unwrap();
                gate.wait();
                done.send(i).unwrap();
            }
        }
    }

    type Submitted = Result<Outcome, Rejected>;
    type Received = mpsc::Receiver<u32>;

    /// 提交任务 1..=5，把池塞满：2 个核心线程 + 队列 2 个 + 1 个额外线程，都卡在闸门上。
    /// 返回每次提交的结果，以及"已开始"和"已完成"两个接收端。
    fn saturate(pool: &BoundedPool) -> (Probe, Vec<Submitted>, Received, Received) {
        let (started, started_rx) = mpsc::channel();
        let (done, done_rx) = mpsc::channel();
        let probe = Probe {
            gate: Gate::new(),
            started,
            done,
        };
        let outcomes = (1..=5).map(|i| pool.execute(probe.task(i))).collect();
        (probe, outcomes, started_rx, done_rx)
    }

    /// 打开闸门、关闭线程池（drop 会等队列做完），返回完成了的任务编号（排序后）。
    fn finish(pool: BoundedPool, probe: Probe, done: mpsc::Receiver<u32>) -> Vec<u32> {
        probe.gate.open();
        drop(pool);
        drop(probe);
        let mut all: Vec<u32> = done.iter().collect();
        all.sort();
        all
    }

    // ANCHOR: flow-test
    #[test]
    fn core_threads_first_then_queue_then_extra_threads_then_reject() {
        let (outcomes, first_three, all_done) = within(LIMIT, || {
            let pool = BoundedPool::new(config(RejectPolicy::Abort));
            let (probe, mut outcomes, started, done) = saturate(&pool);
            outcomes.push(pool.execute(probe.task(6)));
            assert_eq!(pool.pool_size(), 3);
            // 三个线程各拿着自己的第一个任务：1、2（核心线程）和 5（额外线程）
            let mut first_three: Vec<u32> = (0..3).map(|_| started.recv().unwrap()).collect();
            first_three.sort();
            (outcomes, first_three, finish(pool, probe, done))
        });
        use Outcome::*;
        assert_eq!(
            outcomes,
            vec![
                Ok(CoreThread),
                Ok(CoreThread),
                Ok(Queued),
                Ok(Queued),
                Ok(ExtraThread),
                Err(Rejected)
            ]
        );
        // 后到的任务 5 比排队的 3、4 先执行：额外线程带着新任务启动，不去队列里取
        assert_eq!(first_three, vec![1, 2, 5]);
        assert_eq!(all_done, vec![1, 2, 3, 4, 5]);
    }
    // ANCHOR_END: flow-test

    #[test]
    fn caller_runs_executes_the_rejected_task_on_the_submitting_thread() {
        let (outcome, same_thread, all_done) = within(LIMIT, || {
            let pool = BoundedPool::new(config(RejectPolicy::CallerRuns));
            let (probe, _, _started, done) = saturate(&pool);
            let me = thread::current().id();
            let (tx, rx) = mpsc::channel();
            // 这个任务不碰闸门：它就在 execute 里、在提交者线程上跑完
            let outcome = pool.execute(move || tx.send(thread::current().id()).unwrap());
            let same_thread = rx.try_recv() == Ok(me); // execute 返回时已经执行过了
            (outcome, same_thread, finish(pool, probe, done))
        });
        assert_eq!(outcome, Ok(Outcome::RanInCaller));
        assert!(same_thread);
        assert_eq!(all_done, vec![1, 2, 3, 4, 5]);
    }

    #[test]
    fn discard_drops_the_new_task_silently() {
        let (outcome, all_done) = within(LIMIT, || {
            let pool = BoundedPool::new(config(RejectPolicy::Discard));
            let (probe, _, _started, done) = saturate(&pool);
            let outcome = pool.execute(probe.task(6));
            (outcome, finish(pool, probe, done))
        });
        assert_eq!(outcome, Ok(Outcome::Discarded));
        assert_eq!(all_done, vec![1, 2, 3, 4, 5]); // 6 从未执行
    }

    #[test]
    fn discard_oldest_drops_the_head_of_the_queue() {
        let (outcome, all_done) = within(LIMIT, || {
            let pool = BoundedPool::new(config(RejectPolicy::DiscardOldest));
            let (probe, _, _started, done) = saturate(&pool);
            let outcome = pool.execute(probe.task(6));
            (outcome, finish(pool, probe, done))
        });
        assert_eq!(outcome, Ok(Outcome::DiscardedOldest));
        assert_eq!(all_done, vec![1, 2, 4, 5, 6]); // 队首的 3 被挤掉了
    }

    #[test]
    fn idle_extra_threads_exit_after_keep_alive_and_core_threads_stay() {
        within(LIMIT, || {
            let pool = BoundedPool::new(config(RejectPolicy::Abort));
            let (probe, _, _started, _done) = saturate(&pool);
            assert_eq!(pool.pool_size(), 3);
            probe.gate.open();
            // 额外线程做完任务、又空等了 keep_alive 之后退出；核心线程一直留着
            pool.wait_for_pool_size(2);
            // 再提交任务：线程数已达核心数，于是进队列，由空闲的核心线程来做
            let (tx, rx) = mpsc::channel();
            assert_eq!(
                pool.execute(move || tx.send(7).unwrap()),
                Ok(Outcome::Queued)
            );
            assert_eq!(rx.recv().unwrap(), 7);
        });
    }

    #[test]
    fn with_zero_core_threads_a_queued_task_still_gets_a_thread() {
        let (outcome, got) = within(LIMIT, || {
            let pool = BoundedPool::new(PoolConfig {
                core: 0,
                max: 1,
                queue_capacity: 4,
                keep_alive: Duration::from_millis(20),
                policy: RejectPolicy::Abort,
            });
            let (tx, rx) = mpsc::channel();
            let outcome = pool.execute(move || tx.send(1).unwrap());
            (outcome, rx.recv().unwrap())
        });
        assert_eq!(outcome, Ok(Outcome::Queued));
        assert_eq!(got, 1);
    }

    #[test]
    fn a_task_waiting_for_a_task_queued_behind_it_never_gets_it() {
        let (outcomes, waited) = within(LIMIT, || {
            // 只有一个线程：A 占着它等 B 的结果，B 排在队列里，要等 A 让出线程才能跑
            let pool = BoundedPool::new(PoolConfig {
                core: 1,
                max: 1,
                queue_capacity: 10,
                keep_alive: Duration::ZERO,
                policy: RejectPolicy::Abort,
            });
            let (b_tx, b_rx) = mpsc::channel::<u32>();
            let (a_tx, a_rx) = mpsc::channel();
            let a = pool.execute(move || {
                // 真实代码里这里是 future.get()，没有超时就永远等下去；
                // 测试里给它一个期限，好让它报告"没等到"
                let got = b_rx.recv_timeout(Duration::from_millis(50));
                a_tx.send(got).unwrap();
            });
            let b = pool.execute(move || {
                let _ = b_tx.send(42); // A 已经放弃等待时，接收端已关闭
            });
            (vec![a, b], a_rx.recv().unwrap())
        });
        assert_eq!(outcomes, vec![Ok(Outcome::CoreThread), Ok(Outcome::Queued)]);
        // B 在 A 放弃之前不可能运行：唯一的线程被 A 占着
        assert_eq!(waited, Err(mpsc::RecvTimeoutError::Timeout));
    }
}
