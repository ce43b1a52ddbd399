//! 粘包（message framing）：TCP 只有字节流，用"4 字节长度 + 内容"给消息分帧。

use std::io::{self, ErrorKind, Read, Write};

/// 单帧上限：长度字段来自网络，不可信，先检查再分配内存。
pub const MAX_FRAME: usize = 16 * 1024 * 1024;

// ANCHOR: framing
/// 写一帧：4 字节大端长度，再写内容。接收方据此知道这条消息到哪里结束。
pub fn write_frame(w: &mut impl Write, payload: &[u8]) -> io::Result<()> {
    if payload.len() > MAX_FRAME {
        return Err(io::Error::new(ErrorKind::InvalidInput, "frame too large"));
    }
    w.write_all(&(payload.len() as u32).to_be_bytes())?;
    w.write_all(payload)
}

/// 读一帧。`Ok(None)` 表示对端在帧边界处正常关闭（EOF）。
///
/// 一次 `read` 可能只拿到半帧（半包），也可能拿到一帧半（粘包）：
/// `read_exact` 会一直读到凑够所要的字节数，多出来的留在流里给下一帧。
pub fn read_frame(r: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut header = [0u8; 4];
    // 先单独读第 1 个字节：在这里遇到 EOF 是“没有下一帧了”，不是错误
    loop {
        match r.read(&mut header[..1]) {
            Ok(0) => return Ok(None),
            Ok(_) => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    // 帧中间遇到 EOF 就是错误（UnexpectedEof）：对端发了半帧就断了
    r.read_exact(&mut header[1..])?;
    let len = u32::from_be_bytes(header) as usize;
    if len > MAX_FRAME {
        return Err(io::Error::new(ErrorKind::InvalidData, "frame too large"));
    }
    let mut payload = vec![0u8; len];
    r.read_exact(&mut payload)?;
    Ok(Some(payload))
}
// ANCHOR_END: framing

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{within, LIMIT};
    use std::io::Cursor;
    use std::net::{TcpListener, TcpStream};
    use std::thread;

    /// A reader that hands out the underlying bytes in the chunk sizes it is given,
    /// cycling through them: simulates how the network splits and coalesces a stream.
    struct Chunked<'a> {
        data: &'a [u8],
        chunks: &'a [usize],
        i: usize,
    }

    impl Read for Chunked<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let want = self.chunks[self.i % self.chunks.len()];
            self.i += 1;
            let n = want.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    fn messages() -> Vec<Vec<u8>> {
        let mut msgs: Vec<Vec<u8>> = vec![
            b"hello".to_vec(),
            Vec::new(), // 空消息也是一帧
            b"world".to_vec(),
            "粘包".as_bytes().to_vec(),
            vec![0xAB; 10_000],
        ];
        // deterministic pseudo-random lengths (LCG), no extra crates
        let mut x: u32 = 12345;
        for _ in 0..50 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let len = (x >> 16) as usize % 3000;
            msgs.push((0..len).map(|i| (i as u32 ^ x) as u8).collect());
        }
        msgs
    }

    fn encode(msgs: &[Vec<u8>]) -> Vec<u8> {
        let mut wire = Vec::new();
        for m in msgs {
            write_frame(&mut wire, m).unwrap();
        }
        wire
    }

    fn decode_all(r: &mut impl Read) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        while let Some(m) = read_frame(r).unwrap() {
            out.push(m);
        }
        out
    }

    #[test]
    fn round_trips_when_split_and_coalesced_arbitrarily() {
        let msgs = messages();
        let wire = encode(&msgs);
        // 1 字节一读（最碎的半包）、整块一读（最大的粘包）、以及各种不规则切法
        let splits: [&[usize]; 5] = [
            &[1],
            &[usize::MAX],
            &[3, 1, 7],
            &[4096, 2, 5],
            &[13, 1000, 1],
        ];
        for chunks in splits {
            let mut r = Chunked {
                data: &wire,
                chunks,
                i: 0,
            };
            assert_eq!(decode_all(&mut r), msgs, "chunks {chunks:?}");
        }
    }

    #[test]
    fn truncated_frame_is_an_error_not_a_clean_eof() {
        let wire = encode(&[b"hello world".to_vec()]);
        for cut in 1..wire.len() {
            let err = read_frame(&mut Cursor::new(&wire[..cut])).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::UnexpectedEof, "cut at {cut}");
        }
        assert_eq!(read_frame(&mut Cursor::new(&[][..])).unwrap(), None);
    }

    #[test]
    fn oversized_length_is_rejected_before_allocating() {
        let wire = u32::MAX.to_be_bytes();
        let err = read_frame(&mut Cursor::new(&wire[..])).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidData);
    }

    #[test]
    fn round_trips_over_tcp_loopback() {
        let msgs = messages();
        let expected = msgs.clone();
        let got = within(LIMIT, move || {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap();
            let sender = thread::spawn(move || {
                let mut s = TcpStream::connect(addr).unwrap();
                // 所有帧一次 write_all 发出：对端一次 read 可能读到好几帧（粘包）
                s.write_all(&encode(&msgs)).unwrap();
            });
            let (mut conn, _) = listener.accept().unwrap();
            let got = decode_all(&mut conn);
            sender.join().unwrap();
            got
        });
        assert_eq!(got, expected);
    }
}
