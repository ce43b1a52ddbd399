//! 测一次普通函数调用、一次 getppid 系统调用、经 vDSO 和经系统调用的 clock_gettime 各要多久。
//! 运行：cargo run -p snippets --release --example syscall_cost [每轮次数]
//! 次数调小后可以在 strace -c 下运行，数一数哪些调用真的进了内核。

use snippets::syscall_cost::{clock_syscall, clock_vdso, getppid, ns_per_call, plain_call};

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .map_or(2_000_000, |a| a.parse().expect("iterations"));
    // 先各跑一轮预热（缓存、分支预测、CPU 频率），再取 5 轮里最快的一轮
    let best = |f: &dyn Fn() -> f64| (0..6).map(|_| f()).skip(1).fold(f64::MAX, f64::min);
    let rows = [
        ("普通函数调用", best(&|| ns_per_call(n, || plain_call(1)))),
        (
            "clock_gettime（vDSO）",
            best(&|| ns_per_call(n, clock_vdso)),
        ),
        ("getppid（系统调用）", best(&|| ns_per_call(n, getppid))),
        (
            "clock_gettime（系统调用）",
            best(&|| ns_per_call(n, clock_syscall)),
        ),
    ];
    println!("每次调用平均耗时（{n} 次取平均，5 轮取最快）：");
    for (name, ns) in rows {
        println!("  {ns:>8.1} ns  {name}");
    }
}
