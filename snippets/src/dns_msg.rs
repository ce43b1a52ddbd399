//! DNS 报文（RFC 1035 第 4 节）：拼一个查询，解析应答；UDP 应答超过 512 字节时置 TC 位，客户端改走 TCP。

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream, UdpSocket};

pub const TYPE_A: u16 = 1;
pub const TYPE_CNAME: u16 = 5;
const CLASS_IN: u16 = 1;
/// 不带 EDNS(0) 时，UDP 上的 DNS 报文最多 512 字节（RFC 1035 第 4.2.1 节）。
pub const UDP_LIMIT: usize = 512;

/// 应答里的一条资源记录。
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub name: String,
    pub ttl: u32,
    pub data: RData,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RData {
    A(Ipv4Addr),
    Cname(String),
}

// ANCHOR: query
/// 查询报文：12 字节首部 + 一个问题。名字按“长度 + 标签”逐段写，以长度 0 结尾。
pub fn build_query(id: u16, name: &str, qtype: u16) -> Vec<u8> {
    let mut m = Vec::new();
    m.extend(id.to_be_bytes());
    m.extend(0x0100u16.to_be_bytes()); // 标志：RD=1，请递归解析器替我查到底
    m.extend([0, 1, 0, 0, 0, 0, 0, 0]); // 1 个问题，0 条回答、权威、附加记录
    put_name(&mut m, name);
    m.extend(qtype.to_be_bytes());
    m.extend(CLASS_IN.to_be_bytes());
    m
}

fn put_name(m: &mut Vec<u8>, name: &str) {
    for label in name.trim_end_matches('.').split('.') {
        m.push(label.len() as u8);
        m.extend(label.as_bytes());
    }
    m.push(0);
}
// ANCHOR_END: query

// ANCHOR: parse
/// 解析应答：返回 TC（截断）位和回答区的记录。
pub fn parse_response(m: &[u8]) -> io::Result<(bool, Vec<Record>)> {
    let u16_at = |i: usize| -> io::Result<u16> {
        let b = m.get(i..i + 2).ok_or_else(|| bad("short message"))?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    };
    let truncated = u16_at(2)? & 0x0200 != 0;
    let (questions, answers) = (u16_at(4)?, u16_at(6)?);
    let mut i = 12;
    for _ in 0..questions {
        i = read_name(m, i)?.1 + 4; // 跳过名字、类型和类
    }
    let mut records = Vec::new();
    for _ in 0..answers {
        let (name, next) = read_name(m, i)?;
        let (rtype, len) = (u16_at(next)?, usize::from(u16_at(next + 8)?));
        let ttl = u32::from(u16_at(next + 4)?) << 16 | u32::from(u16_at(next + 6)?);
        let start = next + 10;
        let rdata = m
            .get(start..start + len)
            .ok_or_else(|| bad("short rdata"))?;
        let data = match rtype {
            TYPE_A if len == 4 => RData::A(Ipv4Addr::new(rdata[0], rdata[1], rdata[2], rdata[3])),
            TYPE_CNAME => RData::Cname(read_name(m, start)?.0),
            _ => return Err(bad("unsupported record")),
        };
        records.push(Record { name, ttl, data });
        i = start + len;
    }
    Ok((truncated, records))
}

/// 读一个名字。最高两位为 11 的字节是“压缩指针”：名字的其余部分在报文里的另一个位置，
/// 同一个域名在应答里因此只需写一次。返回名字和名字之后的位置。
fn read_name(m: &[u8], mut i: usize) -> io::Result<(String, usize)> {
    let (mut labels, mut end, mut jumps) = (Vec::new(), None, 0);
    loop {
        let len = *m.get(i).ok_or_else(|| bad("name runs off the end"))?;
        if len & 0xC0 == 0xC0 {
            let low = *m.get(i + 1).ok_or_else(|| bad("short pointer"))?;
            end.get_or_insert(i + 2);
            i = usize::from(len & 0x3F) << 8 | usize::from(low);
            jumps += 1;
            if jumps > 16 {
                return Err(bad("pointer loop")); // 恶意报文可以让指针互指
            }
        } else if len == 0 {
            return Ok((labels.join("."), end.unwrap_or(i + 1)));
        } else {
            let label = m
                .get(i + 1..i + 1 + usize::from(len))
                .ok_or_else(|| bad("short label"))?;
            labels.push(String::from_utf8_lossy(label).into_owned());
            i += 1 + usize::from(len);
        }
    }
}

fn bad(msg: &str) -> io::Error {
    io::Error::new(ErrorKind::InvalidData, msg.to_string())
}
// ANCHOR_END: parse

// ANCHOR: resolve
/// 先走 UDP；应答带 TC 位，说明 512 字节装不下，就改用 TCP 重问一次。
/// TCP 上每个报文前面有 2 字节长度（RFC 1035 第 4.2.2 节），这正是长度前缀分帧。
pub fn lookup(server: SocketAddr, name: &str) -> io::Result<(&'static str, Vec<Record>)> {
    let query = build_query(0x1234, name, TYPE_A);
    let udp = UdpSocket::bind("127.0.0.1:0")?;
    udp.send_to(&query, server)?;
    let mut buf = [0u8; UDP_LIMIT];
    let n = udp.recv(&mut buf)?;
    let (truncated, records) = parse_response(&buf[..n])?;
    if !truncated {
        return Ok(("UDP", records));
    }
    let mut tcp = TcpStream::connect(server)?;
    tcp.write_all(&(query.len() as u16).to_be_bytes())?;
    tcp.write_all(&query)?;
    let mut len = [0u8; 2];
    tcp.read_exact(&mut len)?;
    let mut reply = vec![0u8; usize::from(u16::from_be_bytes(len))];
    tcp.read_exact(&mut reply)?;
    Ok(("TCP", parse_response(&reply)?.1))
}
// ANCHOR_END: resolve

/// 权威服务器一侧：对任何查询都用 `records` 作答。
/// 经 UDP 回答且超过 512 字节时，只回首部和问题，并置 TC 位。
pub fn answer(query: &[u8], records: &[Record], over_udp: bool) -> Vec<u8> {
    // 问题区原样抄回：首部之后到问题结束
    let qend = read_name(query, 12)
        .map(|(_, i)| i + 4)
        .unwrap_or(query.len());
    let mut m = Vec::new();
    m.extend(&query[0..2]); // 同一个 ID
    m.extend(0x8580u16.to_be_bytes()); // QR=1 应答，AA=1 权威，RD、RA=1
    m.extend([0, 1]);
    m.extend((records.len() as u16).to_be_bytes());
    m.extend([0, 0, 0, 0]);
    m.extend(&query[12..qend]);
    for r in records {
        put_name(&mut m, &r.name);
        let (rtype, rdata) = match &r.data {
            RData::A(ip) => (TYPE_A, ip.octets().to_vec()),
            RData::Cname(target) => {
                let mut d = Vec::new();
                put_name(&mut d, target);
                (TYPE_CNAME, d)
            }
        };
        m.extend(rtype.to_be_bytes());
        m.extend(CLASS_IN.to_be_bytes());
        m.extend(r.ttl.to_be_bytes());
        m.extend((rdata.len() as u16).to_be_bytes());
        m.extend(rdata);
    }
    if over_udp && m.len() > UDP_LIMIT {
        m.truncate(qend);
        m[2] |= 0x02; // TC：截断了，请改用 TCP
        m[6..8].copy_from_slice(&[0, 0]);
    }
    m
}

/// 一个只为测试和示例服务的权威服务器：在同一个端口上答一次 UDP 查询，
/// 若 UDP 应答被截断，再在 TCP 上答一次。
pub fn serve_once(
    udp: &UdpSocket,
    tcp: &std::net::TcpListener,
    records: &[Record],
) -> io::Result<()> {
    let mut buf = [0u8; UDP_LIMIT];
    let (n, from) = udp.recv_from(&mut buf)?;
    let reply = answer(&buf[..n], records, true);
    udp.send_to(&reply, from)?;
    if reply[2] & 0x02 != 0 {
        let (mut conn, _) = tcp.accept()?;
        let mut len = [0u8; 2];
        conn.read_exact(&mut len)?;
        let mut query = vec![0u8; usize::from(u16::from_be_bytes(len))];
        conn.read_exact(&mut query)?;
        let reply = answer(&query, records, false);
        conn.write_all(&(reply.len() as u16).to_be_bytes())?;
        conn.write_all(&reply)?;
    }
    Ok(())
}

/// 在 127.0.0.1 的同一个端口号上同时打开 UDP 和 TCP，就像 DNS 服务器同时监听 UDP 53 和 TCP 53。
pub fn bind_server() -> io::Result<(UdpSocket, std::net::TcpListener)> {
    loop {
        let tcp = std::net::TcpListener::bind("127.0.0.1:0")?;
        match UdpSocket::bind(tcp.local_addr()?) {
            Ok(udp) => return Ok((udp, tcp)),
            // 这个端口号的 UDP 恰好被别人占着：换一个再试
            Err(e) if e.kind() == ErrorKind::AddrInUse => continue,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};
    use std::thread;

    fn page_records() -> Vec<Record> {
        vec![
            Record {
                name: "www.example.com".into(),
                ttl: 300,
                data: RData::Cname("web.example.net".into()),
            },
            Record {
                name: "web.example.net".into(),
                ttl: 60,
                data: RData::A(Ipv4Addr::new(203, 0, 113, 10)),
            },
        ]
    }

    fn run(records: Vec<Record>) -> (&'static str, Vec<Record>) {
        within(LIMIT, move || {
            let (udp, tcp) = bind_server().unwrap();
            let addr = udp.local_addr().unwrap();
            let server = thread::spawn(move || serve_once(&udp, &tcp, &records).unwrap());
            let got = lookup(addr, "www.example.com").unwrap();
            server.join().unwrap();
            got
        })
    }

    #[test]
    fn the_query_for_www_example_com_is_33_bytes() {
        let q = build_query(0xabcd, "www.example.com", TYPE_A);
        // 12 字节首部 + 名字 (1+3)+(1+7)+(1+3)+1 = 17 + 类型和类 4
        assert_eq!(q.len(), 33);
        assert_eq!(&q[12..17], b"\x03www\x07");
        assert_eq!(&q[29..], &[0, 1, 0, 1]);
    }

    #[test]
    fn a_small_answer_comes_back_over_udp_with_the_pages_cname_and_a_record() {
        let (transport, records) = run(page_records());
        assert_eq!(transport, "UDP");
        assert_eq!(records, page_records());
    }

    #[test]
    fn a_large_answer_is_truncated_over_udp_and_fetched_again_over_tcp() {
        // 40 条 A 记录：每条约 33 字节，远超 512
        let many: Vec<Record> = (0..40)
            .map(|i| Record {
                name: "www.example.com".into(),
                ttl: 60,
                data: RData::A(Ipv4Addr::new(198, 51, 100, i)),
            })
            .collect();
        let (transport, records) = run(many.clone());
        assert_eq!(transport, "TCP");
        assert_eq!(records, many);
    }

    #[test]
    fn compression_pointers_are_followed_and_loops_are_rejected() {
        // 应答里的名字只写一个指针 0xC00C，指回问题里的 www.example.com
        let q = build_query(1, "www.example.com", TYPE_A);
        let mut m = q.clone();
        m[2] = 0x81;
        m[7] = 1; // 1 条回答
        m.extend([0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1]);
        let (_, records) = parse_response(&m).unwrap();
        assert_eq!(records[0].name, "www.example.com");
        assert_eq!(records[0].data, RData::A(Ipv4Addr::new(192, 0, 2, 1)));
        // 指向自己的指针
        let mut evil = m.clone();
        let at = q.len();
        evil[at] = 0xC0;
        evil[at + 1] = at as u8;
        assert_eq!(
            parse_response(&evil).unwrap_err().kind(),
            ErrorKind::InvalidData
        );
    }
}
