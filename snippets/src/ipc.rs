//! 进程间通信：父进程通过管道写子进程的 stdin、读子进程的 stdout。

use std::io::{self, Read, Write};
use std::process::{Command, Stdio};
use std::thread;

// ANCHOR: pipe
/// 把 `input` 经管道送进子进程 `program`，再把它的输出经另一根管道读回来。
pub fn pipe_through(program: &str, args: &[&str], input: &[u8]) -> io::Result<Vec<u8>> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped()) // 父 → 子
        .stdout(Stdio::piped()) // 子 → 父
        .spawn()?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = input.to_vec();
    // 写放在另一个线程：如果父进程先写完再读，而子进程边读边写，
    // 两个方向的管道缓冲（Linux 默认 64 KiB）一满，双方就互相等待——死锁。
    let writer = thread::spawn(move || stdin.write_all(&input)); // 写完 stdin 被 drop：子进程读到 EOF
    let mut output = Vec::new();
    child
        .stdout
        .take()
        .expect("stdout is piped")
        .read_to_end(&mut output)?;
    writer.join().expect("writer thread panicked")?;
    let status = child.wait()?; // 回收子进程，顺便检查它是否成功
    if !status.success() {
        return Err(io::Error::other(format!("{program} exited with {status}")));
    }
    Ok(output)
}
// ANCHOR_END: pipe

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};

    #[test]
    fn data_round_trips_through_a_child_process() {
        let out = within(LIMIT, || {
            pipe_through("tr", &["a-z", "A-Z"], b"hello pipe").unwrap()
        });
        assert_eq!(out, b"HELLO PIPE");
    }

    #[test]
    fn more_than_a_pipe_buffer_does_not_deadlock() {
        let data: Vec<u8> = (0..1_000_000u32).map(|i| (i * 7 % 256) as u8).collect();
        let expected = data.clone();
        let out = within(LIMIT, move || pipe_through("cat", &[], &data).unwrap());
        assert_eq!(out, expected);
    }

    #[test]
    fn a_failing_child_is_reported() {
        let err = within(LIMIT, || {
            pipe_through("sh", &["-c", "exit 7"], b"").unwrap_err()
        });
        assert!(err.to_string().contains("7"), "{err}");
    }
}
