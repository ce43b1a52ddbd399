//! 系统调用的代价：普通函数调用、真正陷入内核的 getppid、走 vDSO 的 clock_gettime，
//! 以及强制走系统调用的 clock_gettime。计时放在 `examples/syscall_cost.rs` 里打印，测试只验证正确性。

use std::hint::black_box;
use std::time::Instant;

// ANCHOR: calls
/// 对照组：一次普通的（不内联的）函数调用，全程在用户态。
#[inline(never)]
pub fn plain_call(x: u64) -> u64 {
    black_box(x).wrapping_add(1)
}

/// getppid(2)：glibc 不缓存它，每次都执行 syscall 指令进入内核。
pub fn getppid() -> i32 {
    // SAFETY: getppid 没有参数，总是成功
    unsafe { libc::getppid() }
}

/// clock_gettime(CLOCK_MONOTONIC) 经 libc 调用：glibc 把它转给 vDSO，
/// 在用户态读内核共享出来的时间数据，不发生模式切换。
pub fn clock_vdso() -> libc::timespec {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: ts 是有效的可写 timespec
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    assert_eq!(rc, 0);
    ts
}

/// 同一个 clock_gettime，但绕过 vDSO，用 syscall(2) 直接陷入内核。
pub fn clock_syscall() -> libc::timespec {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: 参数与内核的 clock_gettime 系统调用约定一致
    let rc = unsafe {
        libc::syscall(
            libc::SYS_clock_gettime,
            libc::CLOCK_MONOTONIC,
            &mut ts as *mut libc::timespec,
        )
    };
    assert_eq!(rc, 0);
    ts
}

/// 连续调用 `f` 共 `iters` 次，返回平均每次的纳秒数。
pub fn ns_per_call<T>(iters: u32, mut f: impl FnMut() -> T) -> f64 {
    let start = Instant::now();
    for _ in 0..iters {
        black_box(f());
    }
    start.elapsed().as_nanos() as f64 / f64::from(iters)
}
// ANCHOR_END: calls

#[cfg(test)]
mod tests {
    use super::*;

    fn ns(ts: libc::timespec) -> i128 {
        ts.tv_sec as i128 * 1_000_000_000 + ts.tv_nsec as i128
    }

    #[test]
    fn getppid_via_libc_agrees_with_std() {
        assert_eq!(getppid() as u32, std::os::unix::process::parent_id());
    }

    #[test]
    fn vdso_and_syscall_read_the_same_monotonic_clock() {
        // 两条路径读的是同一个时钟：交替读取，结果单调不减
        let a = ns(clock_vdso());
        let b = ns(clock_syscall());
        let c = ns(clock_vdso());
        assert!(a <= b && b <= c, "{a} {b} {c}");
    }

    #[test]
    fn plain_call_is_a_function() {
        assert_eq!(plain_call(41), 42);
        assert!(ns_per_call(10, || plain_call(1)) >= 0.0);
    }
}
