//! 证书里的名字与主机名逐一比对，打印是否匹配：
//! `cargo run -p snippets --example tls_names`
use snippets::tls_names::dns_name_matches;

fn main() {
    let cases = [
        ("www.example.com", "WWW.EXAMPLE.COM"),
        ("*.example.com", "www.example.com"),
        ("*.example.com", "example.com"),
        ("*.example.com", "a.b.example.com"),
        ("w*.example.com", "www.example.com"),
        ("*.com", "example.com"),
        ("*.0.2.10", "192.0.2.10"),
    ];
    for (pattern, host) in cases {
        let verdict = if dns_name_matches(pattern, host) {
            "匹配"
        } else {
            "不匹配"
        };
        println!("{pattern:<18} {host:<18} {verdict}");
    }
}
