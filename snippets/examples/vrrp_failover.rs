//! 主机 A（priority 150）上的 Nginx 挂了，VIP 会不会漂到 B（priority 100）？
//! 把几种配置逐一算一遍：`cargo run -p snippets --example vrrp_failover`

use snippets::vrrp::{effective, holder, master_down_interval_cs, Holder, Standing, Tracker};

fn show(s: Standing) -> String {
    match s {
        Standing::Priority(p) => p.to_string(),
        Standing::Fault => "FAULT".into(),
    }
}

fn main() {
    let cases = [
        ("weight -30，nopreempt", -30, false),
        ("weight -30，允许抢占", -30, true),
        ("weight -60，nopreempt", -60, false),
        ("weight -60，允许抢占", -60, true),
        ("weight 0（track_process），nopreempt", 0, false),
    ];
    println!("A 的 Nginx 挂了，B 的 Nginx 正常：");
    for (name, weight, preempt) in cases {
        let a = effective(150, &[Tracker { weight, ok: false }]);
        let b = effective(100, &[Tracker { weight, ok: true }]);
        let who = match holder(a, b, preempt) {
            Holder::Master => "仍在 A（Nginx 已死）",
            Holder::Backup => "漂到 B",
            Holder::Nobody => "没人持有",
        };
        println!("  {name}：A={}，B={} → VIP {who}", show(a), show(b));
    }
    let cs = master_down_interval_cs(100, 100);
    println!(
        "通告间隔 1 秒、B 的优先级 100：A 不再发通告后，B 等 {}.{:02} 秒接管",
        cs / 100,
        cs % 100
    );
}
