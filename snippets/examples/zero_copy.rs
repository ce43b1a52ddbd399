//! 比较 read + write 与 sendfile 把同一个文件发到回环 TCP 连接上的耗时：
//! `cargo run -p snippets --example zero_copy -- [MiB]`（默认 256 MiB）。
//! 数字随机器和负载变化，只看两者的比例；这不是测试，不做任何断言。

#[cfg(target_os = "linux")]
fn main() {
    use snippets::zero_copy::{send_with_read_write, send_with_sendfile};
    use std::fs::File;
    use std::io::{Read, Seek, SeekFrom, Write};
    use std::net::{TcpListener, TcpStream};
    use std::thread;
    use std::time::{Duration, Instant};

    let mib: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("参数是 MiB 数"))
        .unwrap_or(256);
    let mut file = tempfile::tempfile().expect("创建临时文件");
    let chunk: Vec<u8> = (0..1024 * 1024).map(|i| (i * 31 % 251) as u8).collect();
    for _ in 0..mib {
        file.write_all(&chunk).unwrap();
    }
    // 先整个读一遍，让文件进入页缓存，两种方法都从内存读。
    file.seek(SeekFrom::Start(0)).unwrap();
    std::io::copy(&mut file, &mut std::io::sink()).unwrap();

    // 接收端只数字节、不保存，尽量不让它成为瓶颈。
    // 发送线程自己用掉的 CPU 时间（用户态 + 内核态），这正是零拷贝想省下的东西。
    let thread_cpu = || {
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: usage 是一块足够大的、可写的 rusage。
        unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut usage) };
        let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
        (tv(usage.ru_utime), tv(usage.ru_stime))
    };
    let run = |send: &dyn Fn(&mut File, &mut TcpStream) -> u64,
               file: &mut File|
     -> (Duration, Duration, Duration) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let receiver = thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            let mut buf = vec![0u8; 256 * 1024];
            let mut total = 0u64;
            loop {
                match conn.read(&mut buf).unwrap() {
                    0 => return total,
                    n => total += n as u64,
                }
            }
        });
        let mut sock = TcpStream::connect(addr).unwrap();
        file.seek(SeekFrom::Start(0)).unwrap();
        let start = Instant::now();
        let (user0, sys0) = thread_cpu();
        let sent = send(file, &mut sock);
        let (user1, sys1) = thread_cpu();
        drop(sock);
        let received = receiver.join().unwrap();
        let elapsed = start.elapsed();
        assert_eq!(sent, received);
        (elapsed, user1 - user0, sys1 - sys0)
    };

    println!("文件 {mib} MiB，经 127.0.0.1 发送，各跑 3 次（毫秒）：");
    println!("方法          总耗时   发送线程用户态   发送线程内核态");
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    for _ in 1..=3 {
        let rw = run(&|f, s| send_with_read_write(f, s).unwrap(), &mut file);
        let sf = run(&|f, s| send_with_sendfile(f, s).unwrap(), &mut file);
        for (name, (wall, user, sys)) in [("read+write", rw), ("sendfile  ", sf)] {
            println!(
                "{name}  {:>8.1}  {:>14.1}  {:>14.1}",
                ms(wall),
                ms(user),
                ms(sys)
            );
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn main() {
    println!("这个例子用的是 Linux 的 sendfile(2)，只在 Linux 上运行。");
}
