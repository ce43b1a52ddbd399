//! `cargo run -p snippets --example digit_threads`：按顺序打印 1..=30，每个数标出是哪个线程打印的。
use snippets::digit_threads::{by_last_digit, in_order};

fn main() {
    for (k, n) in in_order(30) {
        println!("线程 {k}: {n}");
    }
    println!("只分工、不排序时线程 7 拿到：{:?}", by_last_digit(100)[7]);
}
