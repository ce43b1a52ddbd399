//! URL 的相对引用怎么补全（RFC 3986 第 5.2 节），以及百分号编码。

// ANCHOR: resolve
/// 按 RFC 3986 附录 B 的正则拆开的五个部分；`None` 表示这一部分不存在，
/// 与“存在但为空”（如 `http://a/b?` 的空 query）不同。
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Parts<'a> {
    pub scheme: Option<&'a str>,
    pub authority: Option<&'a str>,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub fragment: Option<&'a str>,
}

pub fn parse(s: &str) -> Parts<'_> {
    let mut p = Parts::default();
    let (rest, fragment) = match s.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (s, None),
    };
    p.fragment = fragment;
    let (mut rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    p.query = query;
    // scheme 是第一个 ':' 之前的部分，前提是这之前没有出现 '/'
    if let Some(i) = rest.find(':') {
        if i > 0 && !rest[..i].contains('/') {
            p.scheme = Some(&rest[..i]);
            rest = &rest[i + 1..];
        }
    }
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find('/').unwrap_or(after.len());
        p.authority = Some(&after[..end]);
        rest = &after[end..];
    }
    p.path = rest;
    p
}

/// 以 `base` 为基准补全相对引用 `reference`（RFC 3986 第 5.2.2 节的算法）。
pub fn resolve(base: &str, reference: &str) -> String {
    let (b, r) = (parse(base), parse(reference));
    let (scheme, authority, path, query);
    if r.scheme.is_some() {
        (scheme, authority) = (r.scheme, r.authority);
        (path, query) = (remove_dot_segments(r.path), r.query);
    } else if r.authority.is_some() {
        // `//host/...`：只沿用基准的 scheme
        (scheme, authority) = (b.scheme, r.authority);
        (path, query) = (remove_dot_segments(r.path), r.query);
    } else if r.path.is_empty() {
        // 只有 `?query` 或 `#fragment`：路径不变
        (scheme, authority, path) = (b.scheme, b.authority, b.path.to_string());
        query = r.query.or(b.query);
    } else {
        (scheme, authority, query) = (b.scheme, b.authority, r.query);
        path = if r.path.starts_with('/') {
            remove_dot_segments(r.path)
        } else {
            remove_dot_segments(&merge(&b, r.path))
        };
    }
    let mut out = String::new();
    if let Some(s) = scheme {
        out += s;
        out.push(':');
    }
    if let Some(a) = authority {
        out += "//";
        out += a;
    }
    out += &path;
    if let Some(q) = query {
        out.push('?');
        out += q;
    }
    if let Some(f) = r.fragment {
        out.push('#');
        out += f;
    }
    out
}

/// 相对路径接在基准路径的最后一个 '/' 之后：`/docs/guide.html` + `intro.html`。
fn merge(base: &Parts, path: &str) -> String {
    if base.authority.is_some() && base.path.is_empty() {
        return format!("/{path}");
    }
    match base.path.rfind('/') {
        Some(i) => format!("{}{path}", &base.path[..=i]),
        None => path.to_string(),
    }
}

/// 去掉路径里的 `.` 和 `..` 段。
pub fn remove_dot_segments(path: &str) -> String {
    let mut input = path;
    let mut out = String::new();
    while !input.is_empty() {
        if let Some(rest) = input
            .strip_prefix("../")
            .or_else(|| input.strip_prefix("./"))
        {
            input = rest;
        } else if input.starts_with("/./") || input == "/." {
            input = &input[2..];
            if input.is_empty() {
                input = "/";
            }
        } else if input.starts_with("/../") || input == "/.." {
            input = &input[3..];
            if input.is_empty() {
                input = "/";
            }
            // `..` 吃掉输出里的最后一段
            out.truncate(out.rfind('/').unwrap_or(0));
        } else if input == "." || input == ".." {
            input = "";
        } else {
            // 把第一段（连同开头的 '/'）搬到输出
            let start = usize::from(input.starts_with('/'));
            let end = input[start..].find('/').map_or(input.len(), |i| i + start);
            out += &input[..end];
            input = &input[end..];
        }
    }
    out
}
// ANCHOR_END: resolve

// ANCHOR: percent
/// 百分号编码：非保留字符（字母、数字和 `- . _ ~`）原样保留，
/// 其余字符先转成 UTF-8 字节，每个字节写成 `%XX`。
pub fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out += &format!("%{b:02X}");
        }
    }
    out
}
// ANCHOR_END: percent

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_table_of_relative_references() {
        let base = "https://www.example.com/docs/guide.html";
        let cases = [
            ("intro.html", "https://www.example.com/docs/intro.html"),
            ("../img/logo.png", "https://www.example.com/img/logo.png"),
            ("/api/users", "https://www.example.com/api/users"),
            ("//cdn.example.net/app.js", "https://cdn.example.net/app.js"),
            ("?page=3", "https://www.example.com/docs/guide.html?page=3"),
        ];
        for (r, want) in cases {
            assert_eq!(resolve(base, r), want, "{r}");
        }
    }

    #[test]
    fn rfc_3986_section_5_4_examples() {
        let base = "http://a/b/c/d;p?q";
        let cases = [
            ("g:h", "g:h"),
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q#s"),
            ("g#s", "http://a/b/c/g#s"),
            (";x", "http://a/b/c/;x"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("./", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../g", "http://a/g"),
            // 5.4.2 节的反常例子：多出来的 .. 不能越过根
            ("../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("/../g", "http://a/g"),
            ("g.", "http://a/b/c/g."),
            ("..g", "http://a/b/c/..g"),
            ("./../g", "http://a/b/g"),
            ("g/./h", "http://a/b/c/g/h"),
            ("g/../h", "http://a/b/c/h"),
            ("g;x=1/../y", "http://a/b/c/y"),
            ("g?y/./x", "http://a/b/c/g?y/./x"),
            ("g#s/../x", "http://a/b/c/g#s/../x"),
        ];
        for (r, want) in cases {
            assert_eq!(resolve(base, r), want, "reference {r:?}");
        }
    }

    #[test]
    fn percent_encoding_of_chinese_and_space() {
        assert_eq!(percent_encode("中"), "%E4%B8%AD");
        assert_eq!(percent_encode(" "), "%20");
        assert_eq!(percent_encode("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(percent_encode("a+b&c"), "a%2Bb%26c");
    }
}
