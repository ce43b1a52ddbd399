//! CIDR 与子网划分：解析 `a.b.c.d/n`，算出掩码、网络地址、广播地址、可用主机数，
//! 以及把一个网段等分成更小的子网。

use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

// ANCHOR: net
/// 一个 IPv4 网段，比如 `192.168.10.77/26`：记住写下来的地址和前缀长度。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Net {
    addr: Ipv4Addr,
    prefix: u8,
}

impl Ipv4Net {
    pub fn new(addr: Ipv4Addr, prefix: u8) -> Option<Self> {
        (prefix <= 32).then_some(Ipv4Net { addr, prefix })
    }

    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// 子网掩码：高 `prefix` 位全 1。`/0` 要单独处理，因为 u32 左移 32 位会溢出。
    pub fn mask(&self) -> Ipv4Addr {
        let bits = u32::MAX
            .checked_shl(32 - u32::from(self.prefix))
            .unwrap_or(0);
        Ipv4Addr::from(bits)
    }

    /// 网络地址：地址和掩码按位与，主机位清零。
    pub fn network(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.addr) & u32::from(self.mask()))
    }

    /// 广播地址：主机位全部置 1。
    pub fn broadcast(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.network()) | !u32::from(self.mask()))
    }

    /// 网段里一共有多少个地址：2 的（32 - 前缀）次方。
    pub fn size(&self) -> u64 {
        1u64 << (32 - self.prefix)
    }

    /// 能分给主机的地址数：去掉网络地址和广播地址。
    /// /31 是例外（RFC 3021，点对点链路两端各用一个），/32 只有它自己。
    pub fn usable_hosts(&self) -> u64 {
        match self.prefix {
            32 => 1,
            31 => 2,
            _ => self.size() - 2,
        }
    }

    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        u32::from(ip) & u32::from(self.mask()) == u32::from(self.network())
    }
}
// ANCHOR_END: net

// ANCHOR: split
impl Ipv4Net {
    /// 把本网段等分成前缀为 `new_prefix` 的子网：每多借 1 位主机位，子网数翻一倍。
    pub fn subnets(&self, new_prefix: u8) -> Vec<Ipv4Net> {
        assert!(
            (self.prefix..=32).contains(&new_prefix),
            "子网前缀必须在 /{} 到 /32 之间",
            self.prefix
        );
        let step = 1u64 << (32 - new_prefix);
        let count = 1u64 << (new_prefix - self.prefix);
        let base = u64::from(u32::from(self.network()));
        (0..count)
            .map(|i| Ipv4Net {
                addr: Ipv4Addr::from((base + i * step) as u32),
                prefix: new_prefix,
            })
            .collect()
    }
}

/// RFC 1918 留给私有网络的三个地址块。
pub fn is_rfc1918(ip: Ipv4Addr) -> bool {
    ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]
        .iter()
        .any(|block| block.parse::<Ipv4Net>().unwrap().contains(ip))
}
// ANCHOR_END: split

#[derive(Debug, PartialEq, Eq)]
pub enum ParseNetError {
    NoSlash,
    BadAddr,
    BadPrefix,
}

impl FromStr for Ipv4Net {
    type Err = ParseNetError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (addr, prefix) = s.split_once('/').ok_or(ParseNetError::NoSlash)?;
        let addr: Ipv4Addr = addr.parse().map_err(|_| ParseNetError::BadAddr)?;
        let prefix: u8 = prefix.parse().map_err(|_| ParseNetError::BadPrefix)?;
        Ipv4Net::new(addr, prefix).ok_or(ParseNetError::BadPrefix)
    }
}

impl fmt::Display for Ipv4Net {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    // ANCHOR: worked_example
    #[test]
    fn worked_example_192_168_10_77_slash_26() {
        let net: Ipv4Net = "192.168.10.77/26".parse().unwrap();
        assert_eq!(net.mask(), ip("255.255.255.192"));
        assert_eq!(net.network(), ip("192.168.10.64"));
        assert_eq!(net.broadcast(), ip("192.168.10.127"));
        assert_eq!(net.size(), 64);
        assert_eq!(net.usable_hosts(), 62); // .65 到 .126
        assert!(net.contains(ip("192.168.10.126")));
        assert!(!net.contains(ip("192.168.10.128")));
    }

    #[test]
    fn a_slash_24_splits_into_four_slash_26() {
        let net: Ipv4Net = "192.168.10.0/24".parse().unwrap();
        let parts: Vec<String> = net.subnets(26).iter().map(|n| n.to_string()).collect();
        assert_eq!(
            parts,
            [
                "192.168.10.0/26",
                "192.168.10.64/26",
                "192.168.10.128/26",
                "192.168.10.192/26"
            ]
        );
        let last = net.subnets(26)[3];
        assert_eq!(last.broadcast(), ip("192.168.10.255"));
    }
    // ANCHOR_END: worked_example

    #[test]
    fn edge_prefixes() {
        let all: Ipv4Net = "0.0.0.0/0".parse().unwrap();
        assert_eq!(all.mask(), ip("0.0.0.0"));
        assert_eq!(all.broadcast(), ip("255.255.255.255"));
        assert_eq!(all.size(), 1 << 32);
        let host: Ipv4Net = "10.1.2.3/32".parse().unwrap();
        assert_eq!(host.mask(), ip("255.255.255.255"));
        assert_eq!(host.usable_hosts(), 1);
        let p2p: Ipv4Net = "10.1.2.3/31".parse().unwrap();
        assert_eq!(p2p.network(), ip("10.1.2.2"));
        assert_eq!(p2p.usable_hosts(), 2);
        let classic: Ipv4Net = "172.16.5.9/20".parse().unwrap();
        assert_eq!(classic.mask(), ip("255.255.240.0"));
        assert_eq!(classic.network(), ip("172.16.0.0"));
        assert_eq!(classic.broadcast(), ip("172.16.15.255"));
        assert_eq!(classic.usable_hosts(), 4094);
    }

    #[test]
    fn private_ranges() {
        assert!(is_rfc1918(ip("10.255.0.1")));
        assert!(is_rfc1918(ip("172.31.255.254")));
        assert!(!is_rfc1918(ip("172.32.0.1")));
        assert!(is_rfc1918(ip("192.168.1.1")));
        assert!(!is_rfc1918(ip("100.64.0.1"))); // 运营商级 NAT 的共享地址，不属于 RFC 1918
        assert!(!is_rfc1918(ip("8.8.8.8")));
    }

    #[test]
    fn bad_input_is_rejected() {
        assert_eq!("10.0.0.0".parse::<Ipv4Net>(), Err(ParseNetError::NoSlash));
        assert_eq!("10.0.0/8".parse::<Ipv4Net>(), Err(ParseNetError::BadAddr));
        assert_eq!(
            "10.0.0.0/33".parse::<Ipv4Net>(),
            Err(ParseNetError::BadPrefix)
        );
    }
}
