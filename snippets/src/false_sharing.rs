//! 伪共享：两个线程各改各的计数器，计数器却落在同一条缓存行里。

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

// ANCHOR: layout
/// 两个计数器紧挨着：相距 8 字节，整个结构按 64 字节对齐，所以一定在同一条 64 字节的缓存行里。
#[repr(C, align(64))]
#[derive(Default)]
pub struct SameLine {
    pub a: AtomicU64,
    pub b: AtomicU64,
}

/// 把一个值单独撑满一条缓存行：对齐到 64 字节，大小也向上取整到 64 字节。
/// crossbeam-utils 的 `CachePadded` 做的是同一件事（在 x86-64 上它按 128 字节对齐，
/// 因为 Intel 的空间预取器会成对地取相邻的两条缓存行）。
#[repr(align(64))]
#[derive(Default)]
pub struct Padded(pub AtomicU64);

/// 两个计数器各占一条缓存行。
#[derive(Default)]
pub struct SeparateLines {
    pub a: Padded,
    pub b: Padded,
}
// ANCHOR_END: layout

// ANCHOR: count
/// 两个线程分别给 `a`、`b` 各加 `n` 次，返回两者的最终值。
/// 两个线程之间没有任何共享的数据，结果永远正确；差别只在速度：
/// 同一条缓存行被两个核轮流改写时，这条线要在两个核的缓存之间来回传递。
pub fn count_both(a: &AtomicU64, b: &AtomicU64, n: u64) -> (u64, u64) {
    thread::scope(|s| {
        s.spawn(|| {
            for _ in 0..n {
                a.fetch_add(1, Ordering::Relaxed);
            }
        });
        s.spawn(|| {
            for _ in 0..n {
                b.fetch_add(1, Ordering::Relaxed);
            }
        });
    });
    (a.load(Ordering::Relaxed), b.load(Ordering::Relaxed))
}
// ANCHOR_END: count

/// 地址所在的 64 字节缓存行的编号（测试和示例程序用来说明布局）。
pub fn line_of<T>(x: &T) -> usize {
    x as *const T as usize / 64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};

    #[test]
    fn same_line_really_shares_a_line_and_padded_does_not() {
        let same = SameLine::default();
        assert_eq!(line_of(&same.a), line_of(&same.b));
        let sep = SeparateLines::default();
        assert_ne!(line_of(&sep.a.0), line_of(&sep.b.0));
        assert_eq!(std::mem::size_of::<Padded>(), 64);
        assert_eq!(std::mem::align_of::<Padded>(), 64);
    }

    #[test]
    fn both_layouts_give_exact_totals() {
        let totals = within(LIMIT, || {
            let same = SameLine::default();
            let sep = SeparateLines::default();
            (
                count_both(&same.a, &same.b, 100_000),
                count_both(&sep.a.0, &sep.b.0, 100_000),
            )
        });
        assert_eq!(totals, ((100_000, 100_000), (100_000, 100_000)));
    }
}
