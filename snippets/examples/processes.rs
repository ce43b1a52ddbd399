//! `cargo run -p snippets --example processes`：三种写法各跑一遍（子进程各工作 0.5 秒），打印输出顺序。
use snippets::processes::{daemon, join, plain, transcript, Scenario, Work};
use std::time::Duration;

fn main() -> std::io::Result<()> {
    let work = Work::Sleep(Duration::from_millis(500));
    let scenarios: [(&str, Scenario); 3] = [("普通", plain), ("守护", daemon), ("join", join)];
    for (name, scenario) in scenarios {
        println!("{name}：{:?}", transcript(scenario, work, &[])?);
    }
    Ok(())
}
