//! ARP 报文（RFC 826）：拼一个“谁是 192.168.1.1？”的请求帧，解析应答。

use std::net::Ipv4Addr;

pub type Mac = [u8; 6];
pub const BROADCAST: Mac = [0xff; 6];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arp {
    pub op: u16, // 1 请求，2 应答
    pub sender_mac: Mac,
    pub sender_ip: Ipv4Addr,
    pub target_mac: Mac,
    pub target_ip: Ipv4Addr,
}

// ANCHOR: frame
/// 以太网帧 = 目的 MAC（6）+ 源 MAC（6）+ EtherType（2）+ 28 字节 ARP 报文，共 42 字节。
pub fn frame(dst: Mac, arp: &Arp) -> Vec<u8> {
    let mut f = Vec::with_capacity(42);
    f.extend(dst);
    f.extend(arp.sender_mac);
    f.extend(0x0806u16.to_be_bytes()); // EtherType：ARP，不经过 IP
    f.extend(1u16.to_be_bytes()); // 硬件类型：以太网
    f.extend(0x0800u16.to_be_bytes()); // 协议类型：IPv4
    f.extend([6, 4]); // 硬件地址 6 字节，协议地址 4 字节
    f.extend(arp.op.to_be_bytes());
    f.extend(arp.sender_mac);
    f.extend(arp.sender_ip.octets());
    f.extend(arp.target_mac);
    f.extend(arp.target_ip.octets());
    f
}

/// 请求：发往广播地址，目标 MAC 还不知道，填全 0。
pub fn request(my_mac: Mac, my_ip: Ipv4Addr, who_has: Ipv4Addr) -> Vec<u8> {
    let arp = Arp {
        op: 1,
        sender_mac: my_mac,
        sender_ip: my_ip,
        target_mac: [0; 6],
        target_ip: who_has,
    };
    frame(BROADCAST, &arp)
}

/// 应答：单播回给请求方，把问题里的双方对调，填上自己的 MAC。
pub fn reply(to: &Arp, my_mac: Mac) -> Vec<u8> {
    let arp = Arp {
        op: 2,
        sender_mac: my_mac,
        sender_ip: to.target_ip,
        target_mac: to.sender_mac,
        target_ip: to.sender_ip,
    };
    frame(to.sender_mac, &arp)
}
// ANCHOR_END: frame

/// 解析以太网帧里的 ARP 报文；不是“以太网上的 IPv4 ARP”就返回 `None`。
pub fn parse(f: &[u8]) -> Option<Arp> {
    if f.len() < 42 || f[12..14] != [0x08, 0x06] || f[14..20] != [0, 1, 8, 0, 6, 4] {
        return None;
    }
    let mac = |i: usize| -> Mac { f[i..i + 6].try_into().unwrap() };
    let ip = |i: usize| Ipv4Addr::new(f[i], f[i + 1], f[i + 2], f[i + 3]);
    Some(Arp {
        op: u16::from_be_bytes([f[20], f[21]]),
        sender_mac: mac(22),
        sender_ip: ip(28),
        target_mac: mac(32),
        target_ip: ip(38),
    })
}

/// 以太网帧（不算 4 字节 FCS）最短 60 字节，不够就在后面补 0。
pub fn pad(mut f: Vec<u8>) -> Vec<u8> {
    if f.len() < 60 {
        f.resize(60, 0);
    }
    f
}

/// 像 tcpdump 那样用一行描述它。
pub fn describe(a: &Arp) -> String {
    let mac = |m: &Mac| m.map(|b| format!("{b:02x}")).join(":");
    match a.op {
        1 => format!("Request who-has {} tell {}", a.target_ip, a.sender_ip),
        2 => format!("Reply {} is-at {}", a.sender_ip, mac(&a.sender_mac)),
        op => format!("op {op}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: Mac = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];
    const GW: Mac = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55];

    #[test]
    fn a_request_is_a_42_byte_broadcast_frame_with_a_28_byte_arp_packet() {
        let f = request(
            HOST,
            Ipv4Addr::new(192, 168, 1, 23),
            Ipv4Addr::new(192, 168, 1, 1),
        );
        assert_eq!(f.len(), 42);
        assert_eq!(f.len() - 14, 28);
        assert_eq!(f[..6], BROADCAST);
        let a = parse(&f).unwrap();
        assert_eq!(a.target_mac, [0; 6]);
        assert_eq!(
            describe(&a),
            "Request who-has 192.168.1.1 tell 192.168.1.23"
        );
    }

    #[test]
    fn the_reply_is_unicast_and_padded_to_60_bytes_on_the_wire() {
        let req = request(
            HOST,
            Ipv4Addr::new(192, 168, 1, 23),
            Ipv4Addr::new(192, 168, 1, 1),
        );
        let r = pad(reply(&parse(&req).unwrap(), GW));
        assert_eq!(r.len(), 60);
        assert_eq!(r[..6], HOST, "sent straight back to the asker");
        let a = parse(&r).unwrap();
        assert_eq!(describe(&a), "Reply 192.168.1.1 is-at 00:11:22:33:44:55");
        assert_eq!(
            (a.target_mac, a.target_ip),
            (HOST, Ipv4Addr::new(192, 168, 1, 23))
        );
    }

    #[test]
    fn other_ethertypes_are_not_arp() {
        let mut f = request(HOST, Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2));
        f[13] = 0x00; // 0x0800：IPv4
        assert_eq!(parse(&f), None);
    }
}
