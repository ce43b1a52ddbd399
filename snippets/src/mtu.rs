//! MTU、IPv4 分片与 MSS：按 RFC 791 的规则切分一个数据报，算出每片的片偏移和 MF 标志，
//! 以及由 MTU 推出 TCP 的 MSS。

// ANCHOR: fragment
/// 一个 IPv4 分片：片偏移以 8 字节为单位（首部里只有 13 位），MF=1 表示后面还有分片。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fragment {
    pub offset_units: u16,
    pub data_len: usize,
    pub more_fragments: bool,
}

impl Fragment {
    /// 这一片的数据在原数据报载荷里的起始字节。
    pub fn offset_bytes(&self) -> usize {
        usize::from(self.offset_units) * 8
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum FragmentError {
    /// MTU 放不下首部加 8 字节数据，没法切。
    MtuTooSmall,
    /// IPv4 总长度字段只有 16 位，数据报最多 65535 字节。
    DatagramTooLarge,
}

/// 把 `payload_len` 字节的载荷按 `mtu` 切片，每片都带一个 `header_len` 字节的 IP 首部。
pub fn fragment(
    payload_len: usize,
    mtu: usize,
    header_len: usize,
) -> Result<Vec<Fragment>, FragmentError> {
    if header_len + payload_len > 65535 {
        return Err(FragmentError::DatagramTooLarge);
    }
    // 除最后一片外，每片的数据长度必须是 8 的倍数，否则下一片的偏移写不进首部。
    let per_fragment = mtu
        .checked_sub(header_len)
        .ok_or(FragmentError::MtuTooSmall)?
        / 8
        * 8;
    if per_fragment == 0 {
        return Err(FragmentError::MtuTooSmall);
    }
    let mut fragments = Vec::new();
    let mut offset = 0;
    loop {
        let data_len = per_fragment.min(payload_len - offset);
        let last = offset + data_len == payload_len;
        fragments.push(Fragment {
            offset_units: (offset / 8) as u16,
            data_len,
            more_fragments: !last,
        });
        if last {
            return Ok(fragments);
        }
        offset += data_len;
    }
}
// ANCHOR_END: fragment

// ANCHOR: mss
/// TCP 在 SYN 里通告的 MSS 只算 TCP 载荷：MTU 减去 20 字节 IPv4 首部和 20 字节 TCP 首部
/// （都不带选项）。
pub fn mss_ipv4(mtu: usize) -> usize {
    mtu - 20 - 20
}

/// IPv6 的固定首部是 40 字节，所以要减 60。
pub fn mss_ipv6(mtu: usize) -> usize {
    mtu - 40 - 20
}
// ANCHOR_END: mss

#[cfg(test)]
mod tests {
    use super::*;

    // ANCHOR: tests
    #[test]
    fn a_4000_byte_datagram_over_ethernet() {
        // 总长 4000 字节 = 20 字节首部 + 3980 字节载荷，出接口 MTU 1500。
        let frags = fragment(3980, 1500, 20).unwrap();
        let table: Vec<(u16, usize, bool)> = frags
            .iter()
            .map(|f| (f.offset_units, f.data_len, f.more_fragments))
            .collect();
        assert_eq!(
            table,
            [(0, 1480, true), (185, 1480, true), (370, 1020, false)]
        );
        assert_eq!(frags[2].offset_bytes(), 2960);
        // 每片各带一个首部：三片在线上共 4040 字节，比原来多了两个首部。
        let on_wire: usize = frags.iter().map(|f| f.data_len + 20).sum();
        assert_eq!(on_wire, 4040);
    }

    #[test]
    fn mss_for_common_links() {
        assert_eq!(mss_ipv4(1500), 1460); // 以太网
        assert_eq!(mss_ipv4(1492), 1452); // PPPoE 多了 8 字节封装
        assert_eq!(mss_ipv6(1500), 1440);
        assert_eq!(mss_ipv6(1280), 1220); // IPv6 的最小 MTU
    }
    // ANCHOR_END: tests

    #[test]
    fn fragments_cover_the_payload_without_gaps() {
        for (payload, mtu) in [
            (1, 576),
            (1480, 1500),
            (1481, 1500),
            (65515, 1500),
            (9000, 68),
        ] {
            let frags = fragment(payload, mtu, 20).unwrap();
            let mut next = 0;
            for (i, f) in frags.iter().enumerate() {
                assert_eq!(f.offset_bytes(), next);
                assert!(f.data_len + 20 <= mtu);
                let last = i == frags.len() - 1;
                assert_eq!(f.more_fragments, !last);
                if !last {
                    assert_eq!(f.data_len % 8, 0);
                }
                next += f.data_len;
            }
            assert_eq!(next, payload);
        }
        // 正好放得下时不分片。
        assert_eq!(fragment(1480, 1500, 20).unwrap().len(), 1);
    }

    #[test]
    fn impossible_inputs_are_errors() {
        assert_eq!(fragment(100, 27, 20), Err(FragmentError::MtuTooSmall));
        assert_eq!(fragment(100, 10, 20), Err(FragmentError::MtuTooSmall));
        assert_eq!(
            fragment(65516, 1500, 20),
            Err(FragmentError::DatagramTooLarge)
        );
    }
}
