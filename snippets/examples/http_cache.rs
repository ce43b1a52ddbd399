//! 同一份缓存副本随时间推移的决定：先直接用，过期后带校验器去验证。
//! `cargo run -p snippets --example http_cache`
use snippets::http_cache::{conditional_get, CacheControl, Stored};

fn main() {
    let t0 = 1_700_000_000;
    let day = 86_400;
    let cases = [
        ("Cache-Control: max-age=60", "max-age=60", None),
        (
            "无 Cache-Control，Last-Modified 为 10 天前",
            "",
            Some(t0 - 10 * day),
        ),
        ("Cache-Control: no-cache", "no-cache", Some(t0 - 10 * day)),
    ];
    for (label, cc, last_modified) in cases {
        let r = Stored {
            status: 200,
            cache_control: CacheControl::parse(cc),
            date: Some(t0),
            expires: None,
            last_modified,
            etag: Some("\"v1\"".into()),
            age: 0,
            request_time: t0,
            response_time: t0,
        };
        println!("{label}：新鲜期 {:?} 秒", r.freshness_lifetime(false));
        for after in [0, 59, 60, day - 1, day] {
            println!("  {after:>6} 秒后：{:?}", r.decide(t0 + after, false));
        }
    }
    println!(
        "服务器收到 If-None-Match: \"v1\"（内容未变）→ {}",
        conditional_get(Some("\"v1\""), None, "\"v1\"", t0 - 10 * day)
    );
    println!(
        "服务器收到 If-None-Match: \"v1\"（内容已变为 v2）→ {}",
        conditional_get(Some("\"v1\""), None, "\"v2\"", t0)
    );
}
