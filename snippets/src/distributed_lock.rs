//! 分布式锁的两个要点：租约（lease，到期自动释放）和防护令牌（fencing token，单调递增）。
//! 锁服务和存储都在内存里，时钟是手动拨动的，好让"客户端停顿、租约过期"确定地重现。

use std::collections::HashMap;

// ANCHOR: service
/// 一次加锁成功得到的租约。`token` 每次加锁都递增，既能区分持有者，又能当防护令牌。
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lease {
    pub token: u64,
    pub expires_at: u64,
}

/// 锁服务：相当于 Redis 的 `SET key value NX PX ttl` 加上一个全局递增计数器
/// （ZooKeeper 的 zxid、etcd 的 revision 天然就是这样的计数器）。
#[derive(Default)]
pub struct LockService {
    locks: HashMap<String, Lease>,
    next_token: u64,
}

impl LockService {
    /// 键不存在或租约已过期时加锁成功（NX）；租约 `ttl` 毫秒后到期（PX）。
    pub fn acquire(&mut self, key: &str, now: u64, ttl: u64) -> Option<Lease> {
        if let Some(held) = self.locks.get(key) {
            if held.expires_at > now {
                return None; // 别人还持有，且没过期
            }
        }
        self.next_token += 1;
        let lease = Lease {
            token: self.next_token,
            expires_at: now + ttl,
        };
        self.locks.insert(key.to_string(), lease);
        Some(lease)
    }

    /// 比较再删除（Redis 里用一段 Lua 脚本原子地完成）：只有令牌对得上才删。
    /// 不比较就 DEL，过期后醒来的旧持有者会删掉新持有者的锁。
    pub fn release(&mut self, key: &str, token: u64) -> bool {
        match self.locks.get(key) {
            Some(held) if held.token == token => {
                self.locks.remove(key);
                true
            }
            _ => false,
        }
    }

    /// 续期（"看门狗"）：仍是自己的锁且没过期时，把到期时间往后推。
    pub fn renew(&mut self, key: &str, token: u64, now: u64, ttl: u64) -> bool {
        match self.locks.get_mut(key) {
            Some(held) if held.token == token && held.expires_at > now => {
                held.expires_at = now + ttl;
                true
            }
            _ => false,
        }
    }
}
// ANCHOR_END: service

// ANCHOR: storage
/// 被锁保护的存储。它记住见过的最大令牌，拒绝更小的令牌：
/// 这一步必须由资源自己做，锁服务管不到已经过期却还在干活的客户端。
#[derive(Default)]
pub struct FencedStorage {
    highest_token: u64,
    pub writes: Vec<(u64, String)>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct StaleToken {
    pub token: u64,
    pub highest: u64,
}

impl FencedStorage {
    pub fn write(&mut self, token: u64, value: &str) -> Result<(), StaleToken> {
        if token < self.highest_token {
            return Err(StaleToken {
                token,
                highest: self.highest_token,
            });
        }
        self.highest_token = token;
        self.writes.push((token, value.to_string()));
        Ok(())
    }
}
// ANCHOR_END: storage

#[cfg(test)]
mod tests {
    use super::*;

    const TTL: u64 = 30_000; // 30 秒，即 PX 30000

    #[test]
    fn only_one_holder_until_release_or_expiry() {
        let mut locks = LockService::default();
        let a = locks.acquire("order:42", 0, TTL).unwrap();
        assert_eq!(locks.acquire("order:42", 1_000, TTL), None);
        assert!(locks.acquire("order:7", 1_000, TTL).is_some()); // 不同的键互不影响
        assert!(locks.release("order:42", a.token));
        let b = locks.acquire("order:42", 2_000, TTL).unwrap();
        assert!(b.token > a.token);
    }

    #[test]
    fn release_compares_the_token_before_deleting() {
        let mut locks = LockService::default();
        let old = locks.acquire("k", 0, TTL).unwrap();
        let new = locks.acquire("k", TTL + 1, TTL).unwrap(); // old 过期后被别人拿到
        assert!(
            !locks.release("k", old.token),
            "the stale holder must not delete"
        );
        assert_eq!(locks.acquire("k", TTL + 2, TTL), None); // 锁仍在 new 手里
        assert!(locks.release("k", new.token));
    }

    #[test]
    fn renewal_keeps_the_lease_but_not_after_it_expired() {
        let mut locks = LockService::default();
        let l = locks.acquire("k", 0, TTL).unwrap();
        assert!(locks.renew("k", l.token, 20_000, TTL)); // 到期时间推到 50_000
        assert_eq!(locks.acquire("k", 40_000, TTL), None);
        assert!(!locks.renew("k", l.token, 50_000, TTL)); // 已经过期：续不上
    }

    // ANCHOR: pause
    #[test]
    fn a_paused_client_is_stopped_by_the_fencing_token() {
        let mut locks = LockService::default();
        let mut storage = FencedStorage::default();
        let mut now = 0;

        // 客户端 1 拿到锁，随即停顿（GC、换页、被调度走……）
        let c1 = locks.acquire("file", now, TTL).unwrap();
        now += 40_000; // 停了 40 秒，租约在第 30 秒已过期

        // 客户端 2 合法地拿到锁，写入
        let c2 = locks.acquire("file", now, TTL).expect("lease expired");
        assert!(c2.token > c1.token);
        assert_eq!(storage.write(c2.token, "from client 2"), Ok(()));

        // 客户端 1 醒来，并不知道自己的锁已经没了，照常写：被存储拒绝
        assert_eq!(
            storage.write(c1.token, "from client 1"),
            Err(StaleToken {
                token: c1.token,
                highest: c2.token
            })
        );
        // 它的释放也不会误删客户端 2 的锁
        assert!(!locks.release("file", c1.token));
        assert_eq!(
            storage.writes,
            vec![(c2.token, "from client 2".to_string())]
        );
    }
    // ANCHOR_END: pause
}
