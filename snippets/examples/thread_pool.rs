//! `cargo run -p snippets --example thread_pool`：手写线程池提交 10 个任务，其中一个 panic。
use snippets::pools::{func, rayon_map_with_5_threads, ThreadPool};

fn main() {
    // 默认的 panic 钩子会在 stderr 打印一大段；换成一行，输出好读一些
    std::panic::set_hook(Box::new(|info| eprintln!("（worker 线程里：{info}）")));
    let pool = ThreadPool::new(5);
    let futures: Vec<_> = (0..10u32)
        .map(|i| {
            pool.submit(move || {
                if i == 3 {
                    panic!("任务 {i} 出错了");
                }
                func(i, i)
            })
        })
        .collect();
    for (i, fut) in futures.into_iter().enumerate() {
        match fut.result() {
            Ok(line) => println!("任务 {i}：{line}"),
            Err(panic) => {
                let msg = panic.downcast_ref::<String>().map_or("?", String::as_str);
                println!("任务 {i} panic 了：{msg}（worker 还活着）");
            }
        }
    }
    drop(pool); // 相当于 shutdown(wait=True)
    let inputs: Vec<_> = (0..5).map(|i| (i, i * 10)).collect();
    println!("rayon：{:?}", rayon_map_with_5_threads(&inputs));
}
