//! `cargo run -p snippets --example thread_local`：四个线程各设自己的"当前用户"，再各自读回来。
use snippets::thread_local::{greet, handle_all};

fn main() {
    for line in handle_all(&["alice", "bob", "carol", "dave"]) {
        println!("{line}");
    }
    println!("主线程没设过：{}", greet());
}
