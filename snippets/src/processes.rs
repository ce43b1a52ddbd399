//! 多进程：普通子进程、"守护"子进程与 `join`，用 `std::process::Command` 起真正的子进程。
//!
//! 所有输出（子进程的 `echo` 和父进程的 `ending`）都写进同一根管道，就像写同一个终端；
//! 读出来的行序就是真实发生的先后顺序，测试据此断言。

use std::io::{self, PipeWriter, Read, Write};
use std::process::{Child, Command};
use std::time::Duration;

/// 起一个子进程：打印 `<name> start`，工作 `work` 这么久，再打印 `<name> done`。
/// 它的 stdout 接到 `term`（大家共用的"终端"）。
pub fn worker(name: &str, work: Duration, term: &PipeWriter) -> io::Result<Child> {
    Command::new("sh")
        .args(["-c", r#"echo "$0 start"; sleep "$1"; echo "$0 done""#])
        .arg(name)
        .arg(format!("{:.3}", work.as_secs_f64()))
        .stdout(term.try_clone()?)
        .spawn()
}

// ANCHOR: plain
/// 普通子进程：父进程启动它们后不等，直接往下走，所以 `ending` 先出现；
/// 最后再 `wait` 回收（Python 在主进程退出前会自动 join 非守护子进程）。
pub fn plain(term: &PipeWriter, work: Duration) -> io::Result<()> {
    let mut p1 = worker("f1", work, term)?;
    let mut p2 = worker("f2", work, term)?;
    writeln!(&*term, "ending")?; // 父进程自己的代码先跑完……
    p1.wait()?; // ……但子进程还在跑：等它们结束并回收，免得变成僵尸
    p2.wait()?;
    Ok(())
}
// ANCHOR_END: plain

// ANCHOR: daemon
/// Rust 没有 `daemon` 标志：父进程退出时子进程不会被自动杀掉，而是变成孤儿被 init 收养。
/// 要"随主进程结束而结束"，就在主进程收尾时亲手 `kill`——这正是 Python 对
/// `daemon=True` 的子进程做的事（退出时 terminate）。kill 之后照样要 `wait` 回收。
pub fn daemon(term: &PipeWriter, work: Duration) -> io::Result<()> {
    let mut p1 = worker("f1", work, term)?; // 当作守护进程
    let mut p2 = worker("f2", work, term)?; // 普通子进程
    writeln!(&*term, "ending")?;
    p1.kill()?; // 主进程的代码结束了：守护进程跟着结束，f1 来不及打印 done
    p1.wait()?;
    p2.wait()?; // 普通子进程照常等它做完
    Ok(())
}
// ANCHOR_END: daemon

// ANCHOR: join
/// `join`：在 `p1.wait()` 处卡住，直到 p1 结束，父进程才继续启动 p2、打印 `ending`。
pub fn join(term: &PipeWriter, work: Duration) -> io::Result<()> {
    let mut p1 = worker("f1", work, term)?;
    p1.wait()?; // 相当于 p1.join()
    let mut p2 = worker("f2", work, term)?;
    writeln!(&*term, "ending")?;
    p2.wait()?;
    Ok(())
}
// ANCHOR_END: join

/// 建一根管道当"终端"，运行 `scenario`，返回按到达顺序排列的所有输出行。
///
/// 注意 `daemon`：被 kill 的是 `sh`，它正在等的 `sleep` 孙进程不会跟着死（成了孤儿），
/// 而且还拿着管道的写端；所以这里要等它睡完才读到 EOF。杀进程不会连带杀它的子进程。
pub fn transcript(
    scenario: fn(&PipeWriter, Duration) -> io::Result<()>,
    work: Duration,
) -> io::Result<Vec<String>> {
    let (mut reader, writer) = io::pipe()?;
    scenario(&writer, work)?;
    drop(writer); // 关掉父进程的写端，所有写端都关了才会读到 EOF
    let mut out = String::new();
    reader.read_to_string(&mut out)?;
    Ok(out.lines().map(str::to_owned).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};

    /// Long enough that the parent's next lines clearly happen while the child sleeps.
    const WORK: Duration = Duration::from_millis(200);

    fn pos(lines: &[String], line: &str) -> usize {
        lines
            .iter()
            .position(|l| l == line)
            .unwrap_or_else(|| panic!("{line:?} missing from {lines:?}"))
    }

    #[test]
    fn plain_prints_ending_before_the_children_finish() {
        let lines = within(LIMIT, || transcript(plain, WORK).unwrap());
        assert_eq!(lines.len(), 5, "{lines:?}");
        let ending = pos(&lines, "ending");
        assert!(ending < pos(&lines, "f1 done"), "{lines:?}");
        assert!(ending < pos(&lines, "f2 done"), "{lines:?}");
        pos(&lines, "f1 start");
        pos(&lines, "f2 start");
    }

    #[test]
    fn daemon_child_is_killed_when_the_parent_ends() {
        let lines = within(LIMIT, || transcript(daemon, WORK).unwrap());
        assert!(!lines.contains(&"f1 done".to_owned()), "{lines:?}");
        // the non-daemon child still runs to completion, after "ending"
        assert!(pos(&lines, "ending") < pos(&lines, "f2 done"), "{lines:?}");
    }

    #[test]
    fn join_waits_for_the_joined_child_before_ending() {
        let lines = within(LIMIT, || transcript(join, WORK).unwrap());
        assert_eq!(lines.len(), 5, "{lines:?}");
        // f1 ran start to finish before the parent went on ("f2 start" may race "ending")
        assert_eq!(&lines[..2], ["f1 start", "f1 done"].map(String::from));
        assert!(pos(&lines, "f1 done") < pos(&lines, "ending"), "{lines:?}");
        assert!(pos(&lines, "ending") < pos(&lines, "f2 done"), "{lines:?}");
    }
}
