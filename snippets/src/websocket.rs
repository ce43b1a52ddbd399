//! WebSocket（RFC 6455）：握手里的 Sec-WebSocket-Accept，以及数据帧的编码与解码。

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use sha1::{Digest, Sha1};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;

// ANCHOR: accept
/// RFC 6455 写死的 GUID，任何 WebSocket 服务器都用同一个。
pub const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// 服务器证明“我真的懂 WebSocket”：把客户端的随机 key 接上 GUID，取 SHA-1，再做 base64。
/// 这不是安全措施（谁都能算），而是防止普通 HTTP 服务器或缓存误把升级请求当成功。
pub fn accept_key(sec_websocket_key: &str) -> String {
    let mut sha = Sha1::new();
    sha.update(sec_websocket_key.trim().as_bytes());
    sha.update(GUID.as_bytes());
    BASE64.encode(sha.finalize())
}

/// 服务器检查升级请求的头部，合格就给出 101 响应（RFC 6455 第 4.2 节）。
pub fn handshake_response(request: &str) -> Result<String, &'static str> {
    let mut lines = request.split("\r\n");
    let request_line = lines.next().unwrap_or("");
    if !request_line.starts_with("GET ") || !request_line.ends_with(" HTTP/1.1") {
        return Err("必须是 HTTP/1.1 的 GET");
    }
    let header = |name: &str| {
        request.split("\r\n").skip(1).find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    };
    let has_token = |value: Option<&str>, token: &str| {
        value.is_some_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
    };
    if !has_token(header("Upgrade"), "websocket") || !has_token(header("Connection"), "Upgrade") {
        return Err("缺少 Upgrade: websocket 或 Connection: Upgrade");
    }
    if header("Sec-WebSocket-Version") != Some("13") {
        return Err("只支持版本 13（应回 426 并带 Sec-WebSocket-Version: 13）");
    }
    let key = header("Sec-WebSocket-Key").ok_or("缺少 Sec-WebSocket-Key")?;
    // key 必须是 16 个随机字节的 base64。
    match BASE64.decode(key) {
        Ok(raw) if raw.len() == 16 => {}
        _ => return Err("Sec-WebSocket-Key 不是 16 字节的 base64"),
    }
    Ok(format!(
        "HTTP/1.1 101 Switching Protocols\r\n\
         Upgrade: websocket\r\n\
         Connection: Upgrade\r\n\
         Sec-WebSocket-Accept: {}\r\n\r\n",
        accept_key(key)
    ))
}
// ANCHOR_END: accept

// ANCHOR: frame
/// 帧类型（opcode）。0x0 是分片的后续帧，0x8 以上是控制帧。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opcode {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// 是否是一条消息的最后一个分片。
    pub fin: bool,
    pub opcode: Opcode,
    /// 客户端发往服务器的帧必须掩码，服务器发出的帧不得掩码。
    pub mask: Option<[u8; 4]>,
    pub payload: Vec<u8>,
}

impl Frame {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![(u8::from(self.fin) << 7) | self.opcode as u8];
        let mask_bit = if self.mask.is_some() { 0x80 } else { 0 };
        // 长度用变长编码：0..=125 直接放；126 后跟 16 位；127 后跟 64 位，都是网络字节序。
        let len = self.payload.len();
        if len <= 125 {
            out.push(mask_bit | len as u8);
        } else if len <= u16::MAX as usize {
            out.push(mask_bit | 126);
            out.extend((len as u16).to_be_bytes());
        } else {
            out.push(mask_bit | 127);
            out.extend((len as u64).to_be_bytes());
        }
        match self.mask {
            Some(key) => {
                out.extend(key);
                out.extend(self.payload.iter().enumerate().map(|(i, b)| b ^ key[i % 4]));
            }
            None => out.extend(&self.payload),
        }
        out
    }

    /// 从流里读一帧；掩码过的载荷在这里还原。
    pub fn read_from(r: &mut impl Read) -> io::Result<Frame> {
        let mut head = [0u8; 2];
        r.read_exact(&mut head)?;
        let bad = |msg: &str| io::Error::new(io::ErrorKind::InvalidData, msg.to_string());
        let opcode = match head[0] & 0x0f {
            0x0 => Opcode::Continuation,
            0x1 => Opcode::Text,
            0x2 => Opcode::Binary,
            0x8 => Opcode::Close,
            0x9 => Opcode::Ping,
            0xA => Opcode::Pong,
            _ => return Err(bad("保留的 opcode")),
        };
        let len = match head[1] & 0x7f {
            126 => {
                let mut b = [0u8; 2];
                r.read_exact(&mut b)?;
                u64::from(u16::from_be_bytes(b))
            }
            127 => {
                let mut b = [0u8; 8];
                r.read_exact(&mut b)?;
                u64::from_be_bytes(b)
            }
            n => u64::from(n),
        };
        let mask = if head[1] & 0x80 != 0 {
            let mut key = [0u8; 4];
            r.read_exact(&mut key)?;
            Some(key)
        } else {
            None
        };
        let mut payload = vec![0u8; usize::try_from(len).map_err(|_| bad("帧太大"))?];
        r.read_exact(&mut payload)?;
        if let Some(key) = mask {
            payload
                .iter_mut()
                .enumerate()
                .for_each(|(i, b)| *b ^= key[i % 4]);
        }
        Ok(Frame {
            fin: head[0] & 0x80 != 0,
            opcode,
            mask,
            payload,
        })
    }
}
// ANCHOR_END: frame

// ANCHOR: echo
/// 极简的 WebSocket echo 服务器：完成一次握手，把收到的一帧文本原样（不掩码）发回。
pub fn serve_one_echo(stream: TcpStream) -> io::Result<String> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    // 握手请求就是普通的 HTTP/1.1 请求，读到空行为止。
    while !request.ends_with("\r\n\r\n") {
        if reader.read_line(&mut request)? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
    }
    let mut writer = stream;
    match handshake_response(&request) {
        Ok(resp) => writer.write_all(resp.as_bytes())?,
        Err(why) => {
            writer.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")?;
            return Err(io::Error::new(io::ErrorKind::InvalidData, why));
        }
    }
    // 从这里开始，同一条 TCP 连接上跑的不再是 HTTP，而是 WebSocket 帧。
    let frame = Frame::read_from(&mut reader)?;
    if frame.mask.is_none() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "客户端帧必须掩码",
        ));
    }
    let text = String::from_utf8_lossy(&frame.payload).into_owned();
    let reply = Frame {
        mask: None,
        ..frame
    };
    writer.write_all(&reply.encode())?;
    Ok(text)
}
// ANCHOR_END: echo

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};
    use std::net::TcpListener;
    use std::thread;

    #[test]
    fn accept_key_matches_the_rfc_6455_example() {
        // RFC 6455 第 1.3 节的例子。
        assert_eq!(
            accept_key("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }

    #[test]
    fn handshake_checks_the_upgrade_headers() {
        let ok = "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n\
                  Connection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
                  Origin: http://example.com\r\nSec-WebSocket-Version: 13\r\n\r\n";
        let resp = handshake_response(ok).unwrap();
        assert!(resp.starts_with("HTTP/1.1 101 Switching Protocols\r\n"));
        assert!(resp.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
        assert!(handshake_response(&ok.replace("GET", "POST")).is_err());
        assert!(handshake_response(&ok.replace("Version: 13", "Version: 8")).is_err());
        assert!(handshake_response(&ok.replace("Upgrade: websocket", "Upgrade: h2c")).is_err());
        assert!(handshake_response(&ok.replace("dGhlIHNhbXBsZSBub25jZQ==", "c2hvcnQ=")).is_err());
    }

    fn decode(bytes: &[u8]) -> Frame {
        Frame::read_from(&mut &bytes[..]).unwrap()
    }

    #[test]
    fn frames_match_the_rfc_6455_examples() {
        // 第 5.7 节：未掩码的单帧文本 "Hello"。
        let unmasked = [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f];
        let f = decode(&unmasked);
        assert!(f.fin && f.opcode == Opcode::Text && f.payload == b"Hello");
        assert_eq!(f.encode(), unmasked);
        // 掩码后的同一条消息：载荷字节完全不同，解码后相同。
        let masked = [
            0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58,
        ];
        let f = decode(&masked);
        assert_eq!(f.payload, b"Hello");
        assert_eq!(f.mask, Some([0x37, 0xfa, 0x21, 0x3d]));
        assert_eq!(f.encode(), masked);
        // 分成两片："Hel"（FIN=0）和 "lo"（opcode 0 表示续片，FIN=1）。
        let first = decode(&[0x01, 0x03, 0x48, 0x65, 0x6c]);
        let second = decode(&[0x80, 0x02, 0x6c, 0x6f]);
        assert!(!first.fin && first.opcode == Opcode::Text);
        assert!(second.fin && second.opcode == Opcode::Continuation);
        // Ping 是控制帧。
        assert_eq!(
            decode(&[0x89, 0x05, b'H', b'e', b'l', b'l', b'o']).opcode,
            Opcode::Ping
        );
    }

    #[test]
    fn lengths_use_7_16_or_64_bits() {
        let frame = |n: usize| Frame {
            fin: true,
            opcode: Opcode::Binary,
            mask: None,
            payload: vec![0; n],
        };
        assert_eq!(frame(256).encode()[..4], [0x82, 0x7e, 0x01, 0x00]);
        assert_eq!(
            frame(65536).encode()[..10],
            [0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0]
        );
        for n in [0, 125, 126, 65535, 65536] {
            assert_eq!(decode(&frame(n).encode()).payload.len(), n);
        }
    }

    #[test]
    fn handshake_and_one_echo_over_loopback() {
        let (accept_line, echoed, server_saw) = within(LIMIT, || {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap();
            let server = thread::spawn(move || {
                let (conn, _) = listener.accept().unwrap();
                serve_one_echo(conn).unwrap()
            });
            let mut client = TcpStream::connect(addr).unwrap();
            client
                .write_all(
                    b"GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n\
                      Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
                      Sec-WebSocket-Version: 13\r\n\r\n",
                )
                .unwrap();
            let mut reader = BufReader::new(client.try_clone().unwrap());
            let mut accept_line = String::new();
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line.starts_with("Sec-WebSocket-Accept") {
                    accept_line = line.trim_end().to_string();
                }
                if line == "\r\n" {
                    break;
                }
            }
            let hello = Frame {
                fin: true,
                opcode: Opcode::Text,
                mask: Some([1, 2, 3, 4]),
                payload: b"hello".to_vec(),
            };
            client.write_all(&hello.encode()).unwrap();
            let echoed = Frame::read_from(&mut reader).unwrap();
            (accept_line, echoed, server.join().unwrap())
        });
        assert_eq!(
            accept_line,
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
        assert_eq!(server_saw, "hello");
        assert_eq!(echoed.payload, b"hello");
        assert_eq!(echoed.mask, None);
    }
}
