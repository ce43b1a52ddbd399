//! `cargo run -p snippets --example zombie`：子进程退出后、wait 之前是僵尸（Z），wait 之后消失。
use snippets::zombie::zombie_then_reap;

fn main() -> std::io::Result<()> {
    let r = zombie_then_reap()?;
    println!("wait 之前的状态：{:?}", r.before_wait);
    println!("wait 拿到的退出码：{:?}", r.status.code());
    println!(
        "wait 之后的状态：{:?}（/proc 里已经没有这个 pid）",
        r.after_wait
    );
    Ok(())
}
