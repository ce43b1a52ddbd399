//! VRRP 选主：keepalived 怎么算有效优先级，Backup 收到通告后怎么决定要不要接管（RFC 5798）。

// ANCHOR: priority
/// 实例跟踪的一项检查（`track_script`、`track_process`、`track_interface`……）。
#[derive(Clone, Copy, Debug)]
pub struct Tracker {
    /// 配置里的 `weight`，取值 -254..=254；0 是默认值。
    pub weight: i32,
    /// 这项检查此刻是否成功（进程在不在、脚本退出码是否为 0）。
    pub ok: bool,
}

/// 一个 VRRP 实例此刻的处境：带着某个优先级参加选举，或者处于 FAULT。
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    Priority(u8),
    Fault,
}

/// 按 keepalived.conf(5) 的规则算有效优先级：
/// 权重为 0 的检查一失败，实例就进入 FAULT（撤掉 VIP，不再当 Master）；
/// 正权重在检查成功时加上，负权重在检查失败时减去；结果限制在 1..=254。
pub fn effective(base: u8, trackers: &[Tracker]) -> Standing {
    let mut priority = i32::from(base);
    for t in trackers {
        match (t.weight, t.ok) {
            (0, false) => return Standing::Fault,
            (w, true) if w > 0 => priority += w,
            (w, false) if w < 0 => priority += w,
            _ => {}
        }
    }
    Standing::Priority(priority.clamp(1, 254) as u8)
}
// ANCHOR_END: priority

// ANCHOR: backup
/// Backup 收到 Master 的一条通告后做什么（RFC 5798 第 6.4.2 节）。
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnAdvert {
    /// 通告的优先级为 0：Master 宣布退出，只再等 Skew_Time 就接管。
    TakeOverSoon,
    /// 重置 Master_Down_Timer，继续当 Backup。
    StayBackup,
    /// 丢弃这条通告：计时器不再被重置，到期后接管。
    Ignore,
}

pub fn on_advert(local: u8, preempt: bool, advert: u8) -> OnAdvert {
    if advert == 0 {
        OnAdvert::TakeOverSoon
    } else if !preempt || advert >= local {
        // 关掉抢占（keepalived 的 nopreempt）时，只要 Master 还在发通告，
        // 不管它的优先级降到多低，Backup 都只是重置计时器。
        OnAdvert::StayBackup
    } else {
        OnAdvert::Ignore
    }
}

/// Master_Down_Interval = 3 × 通告间隔 + Skew_Time（RFC 5798 第 6.1 节），单位厘秒。
/// Skew_Time = (256 − 优先级) × 通告间隔 / 256：优先级越高，越早接管。
pub fn master_down_interval_cs(priority: u8, advert_interval_cs: u32) -> u32 {
    let skew = (256 - u32::from(priority)) * advert_interval_cs / 256;
    3 * advert_interval_cs + skew
}
// ANCHOR_END: backup

/// 两台机器里谁最终持有 VIP。
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    /// 原来的 Master 继续持有。
    Master,
    /// Backup 接管。
    Backup,
    /// 两台都在 FAULT，没人持有。
    Nobody,
}

/// 原 Master 和 Backup 此刻的处境已知，Backup 是否开启抢占已知：VIP 最后落在谁手里。
/// FAULT 的实例不发通告，Backup 的计时器到期就接管。
pub fn holder(master: Standing, backup: Standing, backup_preempts: bool) -> Holder {
    match (master, backup) {
        (Standing::Fault, Standing::Fault) => Holder::Nobody,
        (Standing::Fault, Standing::Priority(_)) => Holder::Backup,
        (Standing::Priority(_), Standing::Fault) => Holder::Master,
        (Standing::Priority(m), Standing::Priority(b)) => match on_advert(b, backup_preempts, m) {
            OnAdvert::StayBackup => Holder::Master,
            OnAdvert::Ignore | OnAdvert::TakeOverSoon => Holder::Backup,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nginx(weight: i32, ok: bool) -> [Tracker; 1] {
        [Tracker { weight, ok }]
    }

    #[test]
    fn weight_minus_30_leaves_the_master_above_the_backup() {
        // 150 − 30 = 120，仍高于 Backup 的 100：Nginx 死了，VIP 却不动
        assert_eq!(effective(150, &nginx(-30, false)), Standing::Priority(120));
        let backup = effective(100, &nginx(-30, true));
        assert_eq!(backup, Standing::Priority(100));
        let master = effective(150, &nginx(-30, false));
        assert_eq!(holder(master, backup, true), Holder::Master);
        assert_eq!(holder(master, backup, false), Holder::Master);
    }

    #[test]
    fn weight_minus_60_moves_the_vip_only_when_the_backup_preempts() {
        let master = effective(150, &nginx(-60, false));
        assert_eq!(master, Standing::Priority(90));
        let backup = effective(100, &nginx(-60, true));
        assert_eq!(holder(master, backup, true), Holder::Backup);
        // nopreempt：Master 还在发通告（优先级 90），Backup 只会重置计时器
        assert_eq!(holder(master, backup, false), Holder::Master);
    }

    #[test]
    fn weight_zero_puts_the_master_in_fault_and_the_vip_moves_even_with_nopreempt() {
        let master = effective(150, &nginx(0, false));
        assert_eq!(master, Standing::Fault);
        let backup = effective(100, &nginx(0, true));
        assert_eq!(holder(master, backup, false), Holder::Backup);
        assert_eq!(holder(master, backup, true), Holder::Backup);
        // 两边的 Nginx 都死了：两台都 FAULT，没人拿 VIP
        assert_eq!(
            holder(master, effective(100, &nginx(0, false)), true),
            Holder::Nobody
        );
    }

    #[test]
    fn effective_priority_is_clamped_to_1_through_254() {
        assert_eq!(effective(20, &nginx(-60, false)), Standing::Priority(1));
        assert_eq!(effective(250, &nginx(30, true)), Standing::Priority(254));
        // 正权重只在成功时加，负权重只在失败时减
        assert_eq!(effective(100, &nginx(30, false)), Standing::Priority(100));
        assert_eq!(effective(100, &nginx(-30, true)), Standing::Priority(100));
    }

    #[test]
    fn backup_follows_rfc_5798_on_each_advert() {
        assert_eq!(on_advert(100, true, 0), OnAdvert::TakeOverSoon);
        assert_eq!(on_advert(100, false, 0), OnAdvert::TakeOverSoon);
        assert_eq!(on_advert(100, true, 100), OnAdvert::StayBackup);
        assert_eq!(on_advert(100, true, 99), OnAdvert::Ignore);
        assert_eq!(on_advert(100, false, 1), OnAdvert::StayBackup);
    }

    #[test]
    fn master_down_interval_for_priority_100_and_one_second_is_3_6_seconds() {
        assert_eq!(master_down_interval_cs(100, 100), 360);
        // 优先级更高的 Backup 先到期，所以它先接管
        assert!(master_down_interval_cs(200, 100) < master_down_interval_cs(100, 100));
        assert_eq!(master_down_interval_cs(254, 100), 300);
    }
}
