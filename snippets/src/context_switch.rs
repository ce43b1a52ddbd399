//! 上下文切换的代价：两个线程、两个进程、两个 tokio 任务之间来回传一个字节（乒乓）。
//! 钉在一个核上时，每次传递都迫使内核把 CPU 从一方切换给另一方。
//! 计时在 `examples/context_switch.rs` 里打印，测试只验证乒乓本身是对的。

use std::io::{self, Read, Write};
use std::process::{Command, Stdio};
use std::thread;

// ANCHOR: threads
/// 两个线程经两根管道乒乓 `rounds` 个来回，返回对方回传的字节数。
/// 每个来回：主线程写 → 阻塞在读；对方被唤醒、读、写回 → 阻塞在读；主线程被唤醒。
pub fn thread_ping_pong(rounds: u32) -> io::Result<u32> {
    let (mut ping_r, mut ping_w) = io::pipe()?;
    let (mut pong_r, mut pong_w) = io::pipe()?;
    let echo = thread::spawn(move || -> io::Result<()> {
        let mut b = [0u8; 1];
        // 读到 EOF（主线程关掉写端）就结束
        while ping_r.read(&mut b)? == 1 {
            pong_w.write_all(&b)?;
        }
        Ok(())
    });
    let mut echoed = 0;
    let mut b = [0u8; 1];
    for _ in 0..rounds {
        ping_w.write_all(&[7])?;
        pong_r.read_exact(&mut b)?;
        echoed += u32::from(b[0] == 7);
    }
    drop(ping_w);
    echo.join().expect("echo thread panicked")?;
    Ok(echoed)
}
// ANCHOR_END: threads

// ANCHOR: processes
/// 同样的乒乓，对方换成另一个进程：`cat` 从 stdin 读到什么就立刻写回 stdout。
/// 切换时除了寄存器，还要换页表（地址空间）。
pub fn process_ping_pong(rounds: u32) -> io::Result<u32> {
    let mut cat = Command::new("cat")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut to_cat = cat.stdin.take().expect("piped");
    let mut from_cat = cat.stdout.take().expect("piped");
    let mut echoed = 0;
    let mut b = [0u8; 1];
    for _ in 0..rounds {
        to_cat.write_all(&[7])?;
        from_cat.read_exact(&mut b)?;
        echoed += u32::from(b[0] == 7);
    }
    drop(to_cat); // cat 读到 EOF 后退出
    cat.wait()?;
    Ok(echoed)
}
// ANCHOR_END: processes

// ANCHOR: tasks
/// 同一个线程上的两个 tokio 任务轮流让出：每次 `yield_now().await` 都是一次
/// 用户态的任务切换，不进内核，也不换栈（任务是无栈的状态机）。
pub fn task_ping_pong(rounds: u32) -> u32 {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let spin = move || async move {
            let mut n = 0;
            for _ in 0..rounds {
                tokio::task::yield_now().await; // 回到调度器，换另一个任务运行
                n += 1;
            }
            n
        };
        let a = tokio::spawn(spin());
        let b = tokio::spawn(spin());
        a.await.expect("task a") + b.await.expect("task b")
    })
}
// ANCHOR_END: tasks

/// 本进程（所有线程合计）迄今的自愿和非自愿上下文切换次数，来自 getrusage(2)。
pub fn context_switches() -> (i64, i64) {
    // SAFETY: rusage 是纯数据结构，全零是合法初值；getrusage 只往里写
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: 指针指向有效的 rusage
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    assert_eq!(rc, 0);
    (ru.ru_nvcsw as i64, ru.ru_nivcsw as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};

    #[test]
    fn threads_echo_every_byte() {
        assert_eq!(within(LIMIT, || thread_ping_pong(1000).unwrap()), 1000);
    }

    #[test]
    fn a_child_process_echoes_every_byte() {
        assert_eq!(within(LIMIT, || process_ping_pong(200).unwrap()), 200);
    }

    #[test]
    fn two_tasks_take_turns() {
        assert_eq!(within(LIMIT, || task_ping_pong(1000)), 2000);
    }

    #[test]
    fn rusage_counts_only_grow() {
        let (v1, i1) = context_switches();
        within(LIMIT, || thread_ping_pong(10).unwrap());
        let (v2, i2) = context_switches();
        assert!(v2 >= v1 && i2 >= i1);
    }
}
