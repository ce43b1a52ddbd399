//! 僵尸进程：子进程已退出、父进程还没 `wait` 时处于 Z 状态；`Child::wait` 把它回收掉。

use std::io;
use std::process::{Command, ExitStatus};
use std::thread;
use std::time::{Duration, Instant};

/// 读 Linux 的 `/proc/<pid>/stat`，返回进程状态字母（R 运行、S 睡眠、Z 僵尸……）；
/// 进程表里已经没有这个 pid 时返回 `None`。
pub fn proc_state(pid: u32) -> Option<char> {
    parse_state(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

/// 从 `/proc/<pid>/stat` 的内容里取状态字母。
/// 格式是 "pid (comm) S ..."，comm 里可能有空格和括号，所以从最后一个 ')' 之后取。
pub fn parse_state(stat: &str) -> Option<char> {
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

/// `zombie_then_reap` 观察到的三件事。
#[derive(Debug)]
pub struct Reaped {
    /// 子进程退出后、`wait` 之前的状态（应为 `Some('Z')`）。
    pub before_wait: Option<char>,
    /// `wait` 收到的退出状态。
    pub status: ExitStatus,
    /// `wait` 之后的状态（应为 `None`：进程表项已释放）。
    pub after_wait: Option<char>,
}

// ANCHOR: reap
/// 子进程退出后，内核还保留它的进程表项（pid、退出码），等父进程来取：这就是僵尸。
/// `Child::wait`（底层是 waitpid）取走退出状态，表项随之释放。
/// 注意：Rust 的 `Child` 被 drop 时**不会**自动 wait，忘了 wait 就会留下僵尸，直到父进程退出、
/// 僵尸被收养者（最近的 subreaper，没有就是 init）回收。不想阻塞可以定期 `try_wait()`
/// （相当于 waitpid 加 WNOHANG）。
pub fn zombie_then_reap() -> io::Result<Reaped> {
    let mut child = Command::new("sh").args(["-c", "exit 3"]).spawn()?;
    let pid = child.id();
    // 子进程几乎立刻退出；父进程还没 wait，它就停在 'Z'（最多等 5 秒，不会挂住）
    let deadline = Instant::now() + Duration::from_secs(5);
    while proc_state(pid) != Some('Z') && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(1));
    }
    let before_wait = proc_state(pid);
    let status = child.wait()?; // 回收：拿到退出码 3
    let after_wait = proc_state(pid); // 僵尸消失了
    Ok(Reaped {
        before_wait,
        status,
        after_wait,
    })
}
// ANCHOR_END: reap

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};

    #[cfg(target_os = "linux")]
    #[test]
    fn exited_child_is_a_zombie_until_wait_collects_its_status() {
        let r = within(LIMIT, || zombie_then_reap().unwrap());
        assert_eq!(r.before_wait, Some('Z'), "{r:?}");
        assert_eq!(r.status.code(), Some(3), "wait() collected the exit status");
        assert_eq!(
            r.after_wait, None,
            "after wait() the process table entry is gone"
        );
    }

    #[test]
    fn the_state_letter_follows_the_last_parenthesis_even_in_odd_command_names() {
        assert_eq!(parse_state("42 (sh) Z 1 42 42 0"), Some('Z'));
        assert_eq!(parse_state("42 (a) S (b)) R 1 42"), Some('R'));
        assert_eq!(parse_state("garbage"), None);
    }
}
