//! `cargo run -p snippets --example deadlock`：相反顺序加锁被检测为死锁，三种修法都能吃完。
use snippets::deadlock::{
    deadlock, dinner, eat_in_order, eat_with_one_lock, eat_with_try_lock, Table, Utensils,
};
use std::sync::Mutex;
use std::time::Duration;

fn main() {
    let table = Table::default();
    println!(
        "相反顺序：{:?}",
        deadlock(&table, Duration::from_millis(200))
    );

    let table = Table::default();
    dinner(500, |_| eat_in_order(&table));
    println!("统一顺序：吃了 {} 口", table.noodle.lock().unwrap());

    let table = Table::default();
    let retries = std::sync::atomic::AtomicU32::new(0);
    dinner(500, |i| {
        let (first, second) = if i % 2 == 0 {
            (&table.noodle, &table.fork)
        } else {
            (&table.fork, &table.noodle)
        };
        let r = eat_with_try_lock(first, second, i as u64);
        retries.fetch_add(r, std::sync::atomic::Ordering::Relaxed);
    });
    println!(
        "try-lock 加退避：吃了 {} 口，放下重来 {} 次",
        table.noodle.lock().unwrap(),
        retries.into_inner()
    );

    let table = Mutex::new(Utensils::default());
    dinner(500, |_| eat_with_one_lock(&table));
    println!("一把锁：吃了 {} 口", table.lock().unwrap().noodle);
}
