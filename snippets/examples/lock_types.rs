//! `cargo run -p snippets --example lock_types`：8 个线程抢一个 3 许可的信号量，
//! 打印同时在里面的最大线程数；再演示读写锁。
use snippets::lock_types::{Config, Semaphore};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

fn main() {
    let sem = Semaphore::new(3);
    let (inside, max_seen) = (AtomicUsize::new(0), AtomicUsize::new(0));
    thread::scope(|s| {
        for i in 0..8 {
            let (sem, inside, max_seen) = (&sem, &inside, &max_seen);
            s.spawn(move || {
                let _permit = sem.acquire();
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                max_seen.fetch_max(now, Ordering::SeqCst);
                println!("线程 {i} 进来了，里面现在 {now} 个");
                thread::sleep(Duration::from_millis(50));
                inside.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    println!("同时在里面的最多 {} 个", max_seen.into_inner());

    let cfg = Config::default();
    cfg.set("mode", "fast");
    thread::scope(|s| {
        for i in 0..3 {
            let cfg = &cfg;
            s.spawn(move || println!("读者 {i} 读到 mode = {:?}", cfg.get("mode")));
        }
    });
}
