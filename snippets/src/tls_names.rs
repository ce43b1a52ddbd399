//! 证书校验的最后一步：证书里的名字是否覆盖了要访问的主机名（RFC 9525，取代 RFC 6125）。

use std::net::IpAddr;

// ANCHOR: hostname
/// 一个 subjectAltName 里的 DNS 名字（可能带通配符）是否匹配主机名。
pub fn dns_name_matches(pattern: &str, host: &str) -> bool {
    // DNS 名字不区分大小写；末尾的根点 `example.com.` 与 `example.com` 等价。
    let pattern = pattern.trim_end_matches('.').to_ascii_lowercase();
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host.is_empty() || pattern.is_empty() {
        return false;
    }
    let Some(rest) = pattern.strip_prefix("*.") else {
        // 没有通配符：逐字相等。`*` 出现在别处（如 `w*.example.com`）一律不认。
        return !pattern.contains('*') && pattern == host;
    };
    // 通配符只能是最左边的一整个标签，而且只代表一个标签：
    // `*.example.com` 匹配 `www.example.com`，不匹配 `example.com`，也不匹配 `a.b.example.com`。
    if rest.contains('*') || !rest.contains('.') {
        return false; // 再有 `*`，或 `*.com` 这种覆盖整个顶级域的写法，都拒绝
    }
    // IP 地址只能与证书里的 iPAddress 条目精确比较，绝不套用 DNS 通配符。
    if host.parse::<IpAddr>().is_ok() {
        return false;
    }
    match host.split_once('.') {
        Some((first, host_rest)) => !first.is_empty() && host_rest == rest,
        None => false,
    }
}

/// 证书的名字检查：主机名匹配任一 subjectAltName 即可。
/// 现代浏览器完全不看 subject 里的 CN，所以这里也不看。
pub fn certificate_covers(dns_sans: &[&str], ip_sans: &[IpAddr], host: &str) -> bool {
    match host.parse::<IpAddr>() {
        Ok(ip) => ip_sans.contains(&ip),
        Err(_) => dns_sans.iter().any(|p| dns_name_matches(p, host)),
    }
}
// ANCHOR_END: hostname

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_names_ignore_case_and_the_trailing_dot() {
        assert!(dns_name_matches("www.example.com", "WWW.Example.COM"));
        assert!(dns_name_matches("www.example.com", "www.example.com."));
        assert!(!dns_name_matches("www.example.com", "example.com"));
        assert!(!dns_name_matches("example.com", "www.example.com"));
    }

    #[test]
    fn a_wildcard_covers_exactly_one_leftmost_label() {
        assert!(dns_name_matches("*.example.com", "www.example.com"));
        assert!(dns_name_matches("*.example.com", "mail.example.com"));
        assert!(!dns_name_matches("*.example.com", "example.com"));
        assert!(!dns_name_matches("*.example.com", "a.b.example.com"));
        assert!(!dns_name_matches("*.example.com", "www.example.org"));
    }

    #[test]
    fn partial_or_misplaced_wildcards_do_not_match() {
        assert!(!dns_name_matches("w*.example.com", "www.example.com"));
        assert!(!dns_name_matches("www.*.com", "www.example.com"));
        assert!(!dns_name_matches("*.*.example.com", "a.b.example.com"));
        assert!(!dns_name_matches("*.com", "example.com"));
        assert!(!dns_name_matches("*", "localhost"));
    }

    #[test]
    fn ip_addresses_need_an_ip_san() {
        let ip: IpAddr = "192.0.2.10".parse().unwrap();
        assert!(!dns_name_matches("*.0.2.10", "192.0.2.10"));
        assert!(certificate_covers(&[], &[ip], "192.0.2.10"));
        assert!(!certificate_covers(&["192.0.2.10"], &[], "192.0.2.10"));
    }

    #[test]
    fn any_san_may_match() {
        // 与页面上用 openssl 生成的测试证书相同的两个名字。
        let sans = ["www.example.test", "example.test"];
        assert!(certificate_covers(&sans, &[], "example.test"));
        assert!(certificate_covers(&sans, &[], "www.example.test"));
        assert!(!certificate_covers(&sans, &[], "mail.example.test"));
    }
}
