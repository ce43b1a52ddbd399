//! 乒乓测上下文切换：两个线程、两个进程（父进程和 cat）、同一线程上的两个 tokio 任务。
//! 运行：taskset -c 0 cargo run -p snippets --release --example context_switch
//! （钉在一个核上，每次传递都是一次真正的切换；不钉核时测到的是跨核唤醒的延迟。）

use snippets::context_switch::{
    context_switches, process_ping_pong, task_ping_pong, thread_ping_pong,
};
use std::time::Instant;

fn main() -> std::io::Result<()> {
    const ROUNDS: u32 = 100_000;
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("可用 CPU：{cpus}；每项 {ROUNDS} 个来回，下面是平均每次切换（半个来回）的耗时：");

    let (v0, i0) = context_switches();
    let t = Instant::now();
    assert_eq!(thread_ping_pong(ROUNDS)?, ROUNDS);
    let threads = t.elapsed();
    let (v1, i1) = context_switches();
    println!(
        "  {:>6.0} ns  两个线程之间（管道）；本进程的切换计数：自愿 +{}，非自愿 +{}",
        threads.as_nanos() as f64 / f64::from(2 * ROUNDS),
        v1 - v0,
        i1 - i0
    );

    let t = Instant::now();
    assert_eq!(process_ping_pong(ROUNDS)?, ROUNDS);
    let processes = t.elapsed();
    println!(
        "  {:>6.0} ns  两个进程之间（管道，对方是 cat）",
        processes.as_nanos() as f64 / f64::from(2 * ROUNDS)
    );

    let t = Instant::now();
    assert_eq!(task_ping_pong(ROUNDS), 2 * ROUNDS);
    let tasks = t.elapsed();
    println!(
        "  {:>6.0} ns  同一线程上的两个 tokio 任务（yield_now）",
        tasks.as_nanos() as f64 / f64::from(2 * ROUNDS)
    );
    Ok(())
}
