//! 多进程：普通子进程、"守护"子进程与 `join`，用 `std::process::Command` 起真正的子进程。
//!
//! 所有输出（子进程的 `echo` 和父进程的 `ending`）都写进同一根管道，就像写同一个终端；
//! 读出来的行序就是真实发生的先后顺序。

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, PipeWriter, Write};
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// 子进程的"工作"怎么做。
#[derive(Debug, Clone, Copy)]
pub enum Work {
    /// 睡这么久再结束（示例程序用它，和 Python 版一样）。
    Sleep(Duration),
    /// 一直等到有人打开它的闸门（关掉它 stdin 管道的写端）才结束。测试用它精确地决定
    /// 子进程何时做完，结论于是不依赖"睡 200 ms 够不够长"。
    Gated,
}

/// 大家共用的"终端"，外加每个子进程的闸门。
pub struct Term {
    out: PipeWriter,
    work: Work,
    gates: Gates,
}

/// 每个子进程闸门的写端；drop 写端 = 打开闸门（子进程的 `read` 读到 EOF）。
type Gates = Arc<Mutex<HashMap<String, PipeWriter>>>;

impl Write for &Term {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&self.out).write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        (&self.out).flush()
    }
}

/// 起一个子进程：打印 `<name> start`，工作一阵，再打印 `<name> done`。
/// 它的 stdout 接到 `term`（大家共用的"终端"）。
pub fn worker(name: &str, term: &Term) -> io::Result<Child> {
    let mut cmd = Command::new("sh");
    cmd.arg("-c").stdout(term.out.try_clone()?);
    match term.work {
        Work::Sleep(d) => {
            let script = r#"echo "$0 start"; sleep "$1"; echo "$0 done""#;
            cmd.args([script, name, &format!("{:.3}", d.as_secs_f64())]);
        }
        Work::Gated => {
            let (gate, opener) = io::pipe()?;
            cmd.args([r#"echo "$0 start"; read _; echo "$0 done""#, name])
                .stdin(gate);
            term.gates.lock().unwrap().insert(name.to_owned(), opener);
        }
    }
    cmd.spawn()
}

// ANCHOR: plain
/// 普通子进程：父进程启动它们后不等，直接往下走，所以 `ending` 先出现；
/// 最后再 `wait` 回收（Python 在主进程退出前会自动 join 非守护子进程）。
pub fn plain(term: &Term) -> io::Result<()> {
    let mut p1 = worker("f1", term)?;
    let mut p2 = worker("f2", term)?;
    writeln!(&*term, "ending")?; // 父进程自己的代码先跑完……
    p1.wait()?; // ……但子进程还在跑：等它们结束并回收，免得变成僵尸
    p2.wait()?;
    Ok(())
}
// ANCHOR_END: plain

// ANCHOR: daemon
/// Rust 没有 `daemon` 标志：父进程退出时子进程不会被自动杀掉，而是成为孤儿
/// （由最近的 subreaper 收养，没有就归 init）。要"随主进程结束而结束"，就在收尾时亲手 `kill`。
/// `Child::kill` 发的是 SIGKILL；Python 退出时对守护子进程调用的 `terminate()` 发 SIGTERM，
/// 子进程还有机会收尾。kill 之后照样要 `wait` 回收。
pub fn daemon(term: &Term) -> io::Result<()> {
    let mut p1 = worker("f1", term)?; // 当作守护进程
    let mut p2 = worker("f2", term)?; // 普通子进程
    writeln!(&*term, "ending")?;
    p1.kill()?; // 主进程的代码结束了：守护进程跟着结束，f1 来不及打印 done
    p1.wait()?;
    p2.wait()?; // 普通子进程照常等它做完
    Ok(())
}
// ANCHOR_END: daemon

// ANCHOR: join
/// `join`：在 `p1.wait()` 处卡住，直到 p1 结束，父进程才继续启动 p2、打印 `ending`。
pub fn join(term: &Term) -> io::Result<()> {
    let mut p1 = worker("f1", term)?;
    p1.wait()?; // 相当于 p1.join()
    let mut p2 = worker("f2", term)?;
    writeln!(&*term, "ending")?;
    p2.wait()?;
    Ok(())
}
// ANCHOR_END: join

/// 一个场景：父进程做的事。
pub type Scenario = fn(&Term) -> io::Result<()>;

/// 建一根管道当"终端"，运行 `scenario`，返回按到达顺序排列的所有输出行。
///
/// `open_when` 只对 `Work::Gated` 有用：读到某一行时打开哪个子进程的闸门，
/// 例如 `("ending", "f2")` 表示父进程打印了 ending 之后 f2 才做完。
///
/// 用 `Work::Sleep` 时注意 `daemon`：被 kill 的是 `sh`，它正在等的 `sleep` 孙进程不会跟着死
/// （成了孤儿），而且还拿着管道的写端，所以要等它睡完才读到 EOF：杀进程不会连带杀它的子进程。
pub fn transcript(
    scenario: Scenario,
    work: Work,
    open_when: &[(&str, &str)],
) -> io::Result<Vec<String>> {
    let (reader, writer) = io::pipe()?;
    let gates = Gates::default();
    let term = Term {
        out: writer,
        work,
        gates: Arc::clone(&gates),
    };
    let parent = thread::spawn(move || {
        let result = scenario(&term);
        term.gates.lock().unwrap().clear(); // 场景结束：剩下的闸门全打开
        result // term 在这里被 drop：父进程的写端关闭
    });
    // 边读边开闸：所有写端（父进程的和子进程们的）都关闭后，read_line 返回 0
    let mut lines = Vec::new();
    for line in BufReader::new(reader).lines() {
        let line = line?;
        for &(trigger, name) in open_when {
            if line == trigger {
                gates.lock().unwrap().remove(name);
            }
        }
        lines.push(line);
    }
    parent.join().expect("scenario panicked")?;
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};

    fn pos(lines: &[String], line: &str) -> usize {
        lines
            .iter()
            .position(|l| l == line)
            .unwrap_or_else(|| panic!("{line:?} missing from {lines:?}"))
    }

    #[test]
    fn plain_prints_ending_while_the_children_are_still_working() {
        // the children can only finish after "ending": if the parent waited for them
        // before printing, this would hang (and time out) instead of passing
        let lines = within(LIMIT, || {
            transcript(plain, Work::Gated, &[("ending", "f1"), ("ending", "f2")]).unwrap()
        });
        assert_eq!(lines.len(), 5, "{lines:?}");
        let ending = pos(&lines, "ending");
        assert!(ending < pos(&lines, "f1 done"), "{lines:?}");
        assert!(ending < pos(&lines, "f2 done"), "{lines:?}");
        pos(&lines, "f1 start");
        pos(&lines, "f2 start");
    }

    #[test]
    fn daemon_child_is_killed_while_the_plain_child_is_waited_for() {
        // f1 never gets its gate opened: only the kill ends it
        let lines = within(LIMIT, || {
            transcript(daemon, Work::Gated, &[("ending", "f2")]).unwrap()
        });
        assert!(!lines.contains(&"f1 done".to_owned()), "{lines:?}");
        assert!(pos(&lines, "ending") < pos(&lines, "f2 done"), "{lines:?}");
    }

    #[test]
    fn join_waits_for_the_joined_child_before_ending() {
        let lines = within(LIMIT, || {
            transcript(join, Work::Gated, &[("f1 start", "f1"), ("ending", "f2")]).unwrap()
        });
        assert_eq!(lines.len(), 5, "{lines:?}");
        // f1 ran start to finish before the parent went on ("f2 start" may race "ending")
        assert_eq!(&lines[..2], ["f1 start", "f1 done"].map(String::from));
        assert!(pos(&lines, "ending") < pos(&lines, "f2 done"), "{lines:?}");
    }
}
