//! 负载均衡的两个算法：Nginx 的平滑加权轮询，以及带虚拟节点的一致性哈希。

use std::collections::BTreeMap;

// ANCHOR: smooth_wrr
/// 平滑加权轮询（Nginx upstream 默认的轮询算法）。
pub struct SmoothWrr {
    names: Vec<String>,
    weights: Vec<i64>,
    current: Vec<i64>,
}

impl SmoothWrr {
    pub fn new(peers: &[(&str, i64)]) -> Self {
        SmoothWrr {
            names: peers.iter().map(|(n, _)| n.to_string()).collect(),
            weights: peers.iter().map(|&(_, w)| w).collect(),
            current: vec![0; peers.len()],
        }
    }

    /// 每一轮：每个节点的 current 加上自己的权重，选 current 最大的（相同时取靠前的），
    /// 再让它减去权重总和。权重大的节点被选得多，但不会连续霸占。
    pub fn pick(&mut self) -> &str {
        let total: i64 = self.weights.iter().sum();
        let mut best = 0;
        for i in 0..self.current.len() {
            self.current[i] += self.weights[i];
            if self.current[i] > self.current[best] {
                best = i;
            }
        }
        self.current[best] -= total;
        &self.names[best]
    }
}
// ANCHOR_END: smooth_wrr

// ANCHOR: consistent_hash
/// 一致性哈希环：每台服务器在环上放 `replicas` 个虚拟节点，
/// 键顺时针找到的第一个虚拟节点，就是负责它的服务器。
pub struct Ring {
    ring: BTreeMap<u64, String>,
    replicas: usize,
}

impl Ring {
    pub fn new(replicas: usize) -> Self {
        Ring {
            ring: BTreeMap::new(),
            replicas,
        }
    }

    pub fn add(&mut self, server: &str) {
        for i in 0..self.replicas {
            self.ring
                .insert(hash(&format!("{server}#{i}")), server.to_string());
        }
    }

    pub fn remove(&mut self, server: &str) {
        self.ring.retain(|_, s| s != server);
    }

    pub fn lookup(&self, key: &str) -> Option<&str> {
        let h = hash(key);
        // 环上第一个不小于 h 的位置；走到头就绕回开头
        let (_, server) = self
            .ring
            .range(h..)
            .next()
            .or_else(|| self.ring.iter().next())?;
        Some(server)
    }
}

/// 64 位 FNV-1a，再用 splitmix64 的终结步骤把相近的字符串打散。
pub fn hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}
// ANCHOR_END: consistent_hash

/// 对照组：`hash(key) % n`。
pub fn modulo(key: &str, servers: &[&str]) -> String {
    servers[(hash(key) % servers.len() as u64) as usize].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_5_1_1_give_a_a_b_a_c_a_a() {
        let mut wrr = SmoothWrr::new(&[("a", 5), ("b", 1), ("c", 1)]);
        let round: Vec<String> = (0..7).map(|_| wrr.pick().to_string()).collect();
        assert_eq!(round, ["a", "a", "b", "a", "c", "a", "a"]);
        // 下一轮重复同样的顺序：所有 current 又回到了 0
        let again: Vec<String> = (0..7).map(|_| wrr.pick().to_string()).collect();
        assert_eq!(again, round);
    }

    #[test]
    fn each_peer_gets_exactly_its_weight_per_round() {
        let mut wrr = SmoothWrr::new(&[("a", 3), ("b", 2), ("c", 4), ("d", 1)]);
        let mut counts = std::collections::HashMap::new();
        for _ in 0..10 * 100 {
            *counts.entry(wrr.pick().to_string()).or_insert(0) += 1;
        }
        assert_eq!(counts["a"], 300);
        assert_eq!(counts["b"], 200);
        assert_eq!(counts["c"], 400);
        assert_eq!(counts["d"], 100);
    }

    fn keys() -> Vec<String> {
        (0..10_000).map(|i| format!("user:{i}")).collect()
    }

    #[test]
    fn adding_a_server_moves_only_keys_to_the_new_server_and_about_one_in_n() {
        let mut ring = Ring::new(160);
        for s in ["s1", "s2", "s3", "s4"] {
            ring.add(s);
        }
        let before: Vec<String> = keys()
            .iter()
            .map(|k| ring.lookup(k).unwrap().to_string())
            .collect();
        ring.add("s5");
        let mut moved = 0;
        for (k, old) in keys().iter().zip(&before) {
            let new = ring.lookup(k).unwrap();
            if new != old {
                assert_eq!(new, "s5", "a key may only move to the new server");
                moved += 1;
            }
        }
        // 理想值是 1/5 = 2000 个
        assert!((1500..=2500).contains(&moved), "moved {moved} of 10000");
    }

    #[test]
    fn removing_a_server_moves_only_its_own_keys() {
        let mut ring = Ring::new(160);
        for s in ["s1", "s2", "s3", "s4", "s5"] {
            ring.add(s);
        }
        let before: Vec<String> = keys()
            .iter()
            .map(|k| ring.lookup(k).unwrap().to_string())
            .collect();
        ring.remove("s3");
        for (k, old) in keys().iter().zip(&before) {
            let new = ring.lookup(k).unwrap();
            assert_eq!(new == old, old != "s3", "{k}: {old} -> {new}");
        }
    }

    #[test]
    fn modulo_moves_most_keys_when_a_server_is_added() {
        let four = ["s1", "s2", "s3", "s4"];
        let five = ["s1", "s2", "s3", "s4", "s5"];
        let moved = keys()
            .iter()
            .filter(|k| modulo(k, &four) != modulo(k, &five))
            .count();
        // 从 %4 到 %5，只有 h%4 == h%5 的键留在原处，理论上约 80% 要搬家
        assert!(moved > 7000, "moved {moved} of 10000");
    }
}
