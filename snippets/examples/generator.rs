//! `cargo run -p snippets --example generator`：生成器协程和调用方轮流打印，输出和 Python 版一致。
use snippets::generator::consumer;

fn main() {
    let mut screen = Vec::new();
    consumer(&mut screen);
    for line in screen {
        println!("{line}");
    }
}
