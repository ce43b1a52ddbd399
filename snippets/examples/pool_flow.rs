//! 把有界线程池（核心 2、最大 3、队列 2）塞满，打印每次提交的去向，再看任务开始的顺序。
//! 运行：cargo run -p snippets --example pool_flow

use snippets::bounded_pool::{BoundedPool, PoolConfig, RejectPolicy};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::Duration;

fn main() {
    let pool = BoundedPool::new(PoolConfig {
        core: 2,
        max: 3,
        queue_capacity: 2,
        keep_alive: Duration::from_millis(100),
        policy: RejectPolicy::Abort,
    });
    // 闸门：主线程拿着写锁，任务要拿读锁才能结束，保证提交期间没有任务完成
    let gate = Arc::new(RwLock::new(()));
    let closed = gate.write().unwrap();
    let (started_tx, started) = mpsc::channel();
    for i in 1..=6 {
        let (gate, started_tx) = (Arc::clone(&gate), started_tx.clone());
        let outcome = pool.execute(move || {
            started_tx.send(i).unwrap();
            drop(gate.read().unwrap());
        });
        println!("任务 {i}：{outcome:?}，此时线程数 {}", pool.pool_size());
    }
    drop(started_tx);
    let first: Vec<u32> = (0..3).map(|_| started.recv().unwrap()).collect();
    println!("最先开始运行的三个任务（顺序不定）：{first:?}");
    drop(closed); // 开闸
    let rest: Vec<u32> = started.iter().collect();
    println!("开闸后，队列里的任务才开始：{rest:?}");
}
