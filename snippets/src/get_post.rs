//! GET 与 POST 搬运同一组表单参数：一个放在 URL 的查询串里，一个放在请求体里。
//! 附一个增量的 HTTP/1.1 请求解析器，说明“报文被拆成几段到达”与方法无关。

// ANCHOR: form
/// 解析 `application/x-www-form-urlencoded`：`&` 分隔、`=` 分开键值、`+` 表示空格、
/// `%XX` 是 UTF-8 字节。查询串和 POST 表单正文用的是同一种编码。
pub fn parse_form(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |i: usize| bytes.get(i).and_then(|&b| (b as char).to_digit(16));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'+', _, _) => out.push(b' '),
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 2;
            }
            // 不成对的 `%` 按字面保留，而不是报错
            (b, _, _) => out.push(b),
        }
        i += 1;
    }
    // 解出来的字节按 UTF-8 解释，非法序列替换成 U+FFFD
    String::from_utf8_lossy(&out).into_owned()
}
// ANCHOR_END: form

// ANCHOR: parser
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// 按方法和 Content-Type 取出的表单参数：GET 取自查询串，POST 取自正文。
    pub params: Vec<(String, String)>,
}

/// 增量解析：网络每送来一段字节就 `feed` 一次，凑齐一个完整请求才返回。
/// 服务器从不假设“头部一个包、正文一个包”，只看空行和 Content-Length。
#[derive(Default)]
pub struct Parser {
    buf: Vec<u8>,
}

impl Parser {
    pub fn feed(&mut self, bytes: &[u8]) -> Option<Request> {
        self.buf.extend_from_slice(bytes);
        let head_end = self.buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
        let head = std::str::from_utf8(&self.buf[..head_end]).ok()?;
        let mut lines = head.split("\r\n");
        let mut first = lines.next()?.split(' ');
        let (method, target) = (first.next()?.to_string(), first.next()?);
        let header = |name: &str| {
            head.split("\r\n").skip(1).find_map(|l| {
                let (n, v) = l.split_once(':')?;
                n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
            })
        };
        let length: usize = header("Content-Length").map_or(Some(0), |v| v.parse().ok())?;
        if self.buf.len() < head_end + length {
            return None; // 正文还没到齐，继续等
        }
        let body = std::str::from_utf8(&self.buf[head_end..head_end + length]).ok()?;
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let is_form = header("Content-Type")
            .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
        let params = if method == "POST" && is_form {
            parse_form(body)
        } else {
            parse_form(query)
        };
        Some(Request {
            method,
            path: path.to_string(),
            params,
        })
    }
}
// ANCHOR_END: parser

/// 同一个搜索表单分别用 GET 和 POST 提交时，浏览器发出的两条请求。
pub const FORM_GET: &str = "GET /search?q=%E4%B8%AD%E6%96%87+http&page=2 HTTP/1.1\r\n\
                            Host: shop.example.com\r\n\r\n";
pub const FORM_POST: &str = "POST /search HTTP/1.1\r\n\
                             Host: shop.example.com\r\n\
                             Content-Type: application/x-www-form-urlencoded\r\n\
                             Content-Length: 32\r\n\r\n\
                             q=%E4%B8%AD%E6%96%87+http&page=2";

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Request {
        Parser::default().feed(raw.as_bytes()).expect("完整的请求")
    }

    #[test]
    fn get_and_post_carry_the_same_parameters() {
        let get = parse(FORM_GET);
        let post = parse(FORM_POST);
        assert_eq!(get.params, post.params);
        assert_eq!(
            get.params,
            [
                ("q".to_string(), "中文 http".to_string()),
                ("page".to_string(), "2".to_string())
            ]
        );
        assert_eq!((get.method.as_str(), post.method.as_str()), ("GET", "POST"));
        assert_eq!(get.path, post.path);
    }

    #[test]
    fn decoding_handles_plus_percent_and_stray_percent() {
        assert_eq!(
            parse_form("a=1+2&b=%2B&c=100%&d"),
            [
                ("a".to_string(), "1 2".to_string()),
                ("b".to_string(), "+".to_string()),
                ("c".to_string(), "100%".to_string()),
                ("d".to_string(), String::new()),
            ]
        );
    }

    #[test]
    fn however_the_bytes_are_split_the_request_is_the_same() {
        // 头部和正文分两段、三段、逐字节到达，结果都一样：“发几个包”不改变请求本身。
        let whole = parse(FORM_POST);
        let raw = FORM_POST.as_bytes();
        for cut in 1..raw.len() {
            let mut p = Parser::default();
            assert_eq!(p.feed(&raw[..cut]), None, "只到了 {cut} 字节");
            assert_eq!(p.feed(&raw[cut..]).as_ref(), Some(&whole));
        }
        let mut p = Parser::default();
        let mut got = None;
        for b in raw {
            got = p.feed(std::slice::from_ref(b));
        }
        assert_eq!(got, Some(whole));
    }
}
