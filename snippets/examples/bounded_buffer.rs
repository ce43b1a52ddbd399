//! `cargo run -p snippets --example bounded_buffer`：容量 2 的缓冲区，快生产者、慢消费者。
//! 看生产者在缓冲区满时停下来等（背压）。
use snippets::bounded_buffer::BoundedBuffer;
use std::thread;
use std::time::{Duration, Instant};

fn main() {
    let buf = BoundedBuffer::new(2);
    let t0 = Instant::now();
    thread::scope(|s| {
        s.spawn(|| {
            for n in 1..=6 {
                buf.put(n);
                println!("{:>5.0?} 放入 {n}", t0.elapsed());
            }
            buf.put(0); // 结束标记
        });
        s.spawn(|| loop {
            thread::sleep(Duration::from_millis(100)); // 消费者慢
            match buf.get() {
                0 => break,
                n => println!("{:>5.0?}           取出 {n}", t0.elapsed()),
            }
        });
    });
}
