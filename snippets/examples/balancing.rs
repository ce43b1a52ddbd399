//! 平滑加权轮询的顺序，以及加一台服务器时一致性哈希和取模各搬动多少键：
//! `cargo run -p snippets --example balancing`

use snippets::balancing::{modulo, Ring, SmoothWrr};

fn main() {
    let mut wrr = SmoothWrr::new(&[("a", 5), ("b", 1), ("c", 1)]);
    let round: Vec<String> = (0..7).map(|_| wrr.pick().to_string()).collect();
    println!("权重 a=5、b=1、c=1，一轮七次：{}", round.join(" "));

    let keys: Vec<String> = (0..10_000).map(|i| format!("user:{i}")).collect();
    let mut ring = Ring::new(160);
    for s in ["s1", "s2", "s3", "s4"] {
        ring.add(s);
    }
    let before: Vec<String> = keys
        .iter()
        .map(|k| ring.lookup(k).unwrap().to_string())
        .collect();
    ring.add("s5");
    let moved = keys
        .iter()
        .zip(&before)
        .filter(|(k, old)| ring.lookup(k).unwrap() != old.as_str())
        .count();
    println!("一致性哈希（每台 160 个虚拟节点），4 台加到 5 台：10000 个键搬动 {moved} 个");

    let four = ["s1", "s2", "s3", "s4"];
    let five = ["s1", "s2", "s3", "s4", "s5"];
    let moved = keys
        .iter()
        .filter(|k| modulo(k, &four) != modulo(k, &five))
        .count();
    println!("hash % N，4 台加到 5 台：10000 个键搬动 {moved} 个");
}
