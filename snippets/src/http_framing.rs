//! HTTP/1.1 怎么在一条 TCP 连接上分出一条条响应：Content-Length、分块传输，以及没有正文的状态码（RFC 9112 第 6 节）。

use std::io::{self, BufRead, ErrorKind, Read};

/// 解析出来的一条响应。
#[derive(Debug, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

// ANCHOR: read_response
/// 从字节流里读下一条响应；在两条响应之间遇到 EOF 返回 `Ok(None)`。
pub fn read_response(r: &mut impl BufRead) -> io::Result<Option<Response>> {
    let Some(status_line) = read_line(r)? else {
        return Ok(None);
    };
    // 状态行：HTTP/1.1 200 OK
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("bad status line"))?;
    let mut headers = Vec::new();
    loop {
        let line = read_line(r)?.ok_or_else(|| bad("EOF in headers"))?;
        if line.is_empty() {
            break; // 空行：头部结束
        }
        let (name, value) = line.split_once(':').ok_or_else(|| bad("bad header"))?;
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let mut body = Vec::new();
    if (100..200).contains(&status) || status == 204 || status == 304 {
        // 这些状态码永远没有正文，哪怕带了 Content-Length
    } else if header("transfer-encoding").is_some_and(|te| te.eq_ignore_ascii_case("chunked")) {
        // 分块传输优先于 Content-Length：每块是“十六进制长度 CRLF 数据 CRLF”，长度 0 的块结束
        loop {
            let line = read_line(r)?.ok_or_else(|| bad("EOF in chunk size"))?;
            let size = line.split(';').next().unwrap_or("").trim();
            let size = usize::from_str_radix(size, 16).map_err(|_| bad("bad chunk size"))?;
            if size == 0 {
                while !read_line(r)?
                    .ok_or_else(|| bad("EOF in trailers"))?
                    .is_empty()
                {}
                break;
            }
            let start = body.len();
            body.resize(start + size, 0);
            r.read_exact(&mut body[start..])?;
            if read_line(r)? != Some(String::new()) {
                return Err(bad("chunk not followed by CRLF"));
            }
        }
    } else if let Some(len) = header("content-length") {
        let len: usize = len.parse().map_err(|_| bad("bad Content-Length"))?;
        body.resize(len, 0);
        r.read_exact(&mut body)?;
    } else {
        // 两者都没有：正文一直到服务器关闭连接，这条连接也就不能再复用了
        r.read_to_end(&mut body)?;
    }
    Ok(Some(Response {
        status,
        headers,
        body,
    }))
}
// ANCHOR_END: read_response

/// 读一行（以 CRLF 结尾），去掉行尾；开头就是 EOF 时返回 `None`。
fn read_line(r: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut line = Vec::new();
    if r.read_until(b'\n', &mut line)? == 0 {
        return Ok(None);
    }
    if !line.ends_with(b"\r\n") {
        return Err(bad("line not ended by CRLF"));
    }
    line.truncate(line.len() - 2);
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| bad("not UTF-8"))
}

fn bad(msg: &str) -> io::Error {
    io::Error::new(ErrorKind::InvalidData, msg.to_string())
}

/// 三条响应首尾相接，就像同一条持久连接上先后收到的字节。
pub const THREE_RESPONSES: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello\
HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n\
HTTP/1.1 304 Not Modified\r\nETag: \"v42\"\r\n\r\n";

/// 每次最多交出 `n` 个字节的读端：模拟 TCP 把字节流切得很碎。
pub struct Trickle<'a> {
    pub data: &'a [u8],
    pub n: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = self.n.min(buf.len()).min(self.data.len());
        buf[..k].copy_from_slice(&self.data[..k]);
        self.data = &self.data[k..];
        Ok(k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    fn all(r: &mut impl BufRead) -> Vec<Response> {
        let mut out = Vec::new();
        while let Some(resp) = read_response(r).unwrap() {
            out.push(resp);
        }
        out
    }

    #[test]
    fn three_responses_on_one_connection_are_split_whatever_the_segmentation() {
        for n in [1, 2, 3, 7, 64, usize::MAX] {
            let mut r = BufReader::with_capacity(
                4,
                Trickle {
                    data: THREE_RESPONSES,
                    n,
                },
            );
            let got = all(&mut r);
            assert_eq!(got.len(), 3, "n = {n}");
            assert_eq!(
                (got[0].status, got[0].body.as_slice()),
                (200, &b"hello"[..])
            );
            assert_eq!(
                (got[1].status, got[1].body.as_slice()),
                (200, &b"hello, world"[..])
            );
            assert_eq!((got[2].status, got[2].body.as_slice()), (304, &b""[..]));
        }
    }

    #[test]
    fn without_length_the_body_runs_to_the_end_of_the_connection() {
        let raw = b"HTTP/1.0 200 OK\r\n\r\nuntil close";
        let got = all(&mut &raw[..]);
        assert_eq!(got[0].body, b"until close");
    }

    #[test]
    fn chunked_wins_over_content_length_and_bad_lengths_are_errors() {
        let raw = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n";
        assert_eq!(all(&mut &raw[..])[0].body, b"ok");
        let raw = b"HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n";
        let err = read_response(&mut &raw[..]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidData);
        let raw = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort";
        let err = read_response(&mut &raw[..]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedEof);
    }
}
