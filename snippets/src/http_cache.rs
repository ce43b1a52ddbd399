//! HTTP 缓存的新鲜度判断（RFC 9111 第 4.2 节）和服务器对条件请求的处理（RFC 9110 第 13 章）。
//!
//! 时间一律用已经解析好的 Unix 秒表示，省去 HTTP-date 的解析，专注在规则本身。

// ANCHOR: cache-control
/// 响应里的 Cache-Control 指令（RFC 9111 第 5.2.2 节）中与新鲜度有关的几个。
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CacheControl {
    pub max_age: Option<u64>,
    pub s_maxage: Option<u64>,
    pub no_cache: bool,
    pub no_store: bool,
    pub private: bool,
    pub public: bool,
}

impl CacheControl {
    /// 指令名不区分大小写；不认识的指令必须忽略；值可以带引号。
    pub fn parse(value: &str) -> Self {
        let mut cc = Self::default();
        for directive in value.split(',') {
            let (name, arg) = match directive.split_once('=') {
                Some((n, a)) => (n.trim(), Some(a.trim().trim_matches('"'))),
                None => (directive.trim(), None),
            };
            let seconds = arg.and_then(|a| a.parse::<u64>().ok());
            match name.to_ascii_lowercase().as_str() {
                "max-age" => cc.max_age = seconds,
                "s-maxage" => cc.s_maxage = seconds,
                // 带字段名的 no-cache="Set-Cookie" 只限制那几个字段，这里按最严格的整体处理。
                "no-cache" => cc.no_cache = true,
                "no-store" => cc.no_store = true,
                "private" => cc.private = true,
                "public" => cc.public = true,
                _ => {}
            }
        }
        cc
    }
}
// ANCHOR_END: cache-control

// ANCHOR: freshness
/// Expires 头：解析不了的值（常见的是 `Expires: 0`）按“已经过期”处理（RFC 9111 第 5.3 节）。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expires {
    At(u64),
    Invalid,
}

/// 缓存里存着的一份响应，以及收到它时记下的时间。
#[derive(Debug, Clone)]
pub struct Stored {
    pub status: u16,
    pub cache_control: CacheControl,
    pub date: Option<u64>,
    pub expires: Option<Expires>,
    pub last_modified: Option<u64>,
    pub etag: Option<String>,
    /// 上游缓存在 Age 头里报告的已存放时间。
    pub age: u64,
    /// 发出请求、收到响应的本地时间。
    pub request_time: u64,
    pub response_time: u64,
}

/// 没有显式过期时间时，这些状态码允许用启发式新鲜度（RFC 9110 第 15.1 节）。
const HEURISTICALLY_CACHEABLE: [u16; 12] =
    [200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501];

#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    /// 不能存：no-store，或共享缓存遇到 private。
    DoNotStore,
    /// 还新鲜，直接用副本，不发请求（俗称“强缓存”）。
    UseStored { fresh_for: u64 },
    /// 发条件请求验证副本（俗称“协商缓存”），附带这些请求头。
    Validate(Vec<(&'static str, String)>),
    /// 不新鲜又没有校验器，只能重新完整请求。
    Refetch,
}

impl Stored {
    /// 新鲜期（RFC 9111 第 4.2.1 节），按优先级取第一个有的：
    /// 共享缓存的 s-maxage → max-age → Expires 减 Date → 启发式。
    pub fn freshness_lifetime(&self, shared: bool) -> Option<u64> {
        let cc = &self.cache_control;
        if shared {
            if let Some(s) = cc.s_maxage {
                return Some(s);
            }
        }
        if let Some(m) = cc.max_age {
            return Some(m); // 有 max-age 时 Expires 被忽略
        }
        match self.expires {
            Some(Expires::Invalid) => return Some(0),
            Some(Expires::At(t)) => {
                let date = self.date.unwrap_or(self.response_time);
                return Some(t.saturating_sub(date));
            }
            None => {}
        }
        // 启发式（第 4.2.2 节）：只在没有任何显式过期信息时使用，
        // 规范建议不超过“距上次修改时长”的某个比例，典型取 10%。
        let allowed = cc.public || HEURISTICALLY_CACHEABLE.contains(&self.status);
        match (allowed, self.last_modified) {
            (true, Some(lm)) => {
                let date = self.date.unwrap_or(self.response_time);
                Some(date.saturating_sub(lm) / 10)
            }
            _ => None,
        }
    }

    /// 当前年龄（RFC 9111 第 4.2.3 节）：响应在各级缓存和路上已经待了多久。
    pub fn current_age(&self, now: u64) -> u64 {
        let date = self.date.unwrap_or(self.response_time);
        let apparent_age = self.response_time.saturating_sub(date);
        let response_delay = self.response_time - self.request_time;
        let corrected_age_value = self.age + response_delay;
        let corrected_initial_age = apparent_age.max(corrected_age_value);
        let resident_time = now - self.response_time;
        corrected_initial_age + resident_time
    }

    pub fn decide(&self, now: u64, shared: bool) -> Decision {
        let cc = &self.cache_control;
        if cc.no_store || (shared && cc.private) {
            return Decision::DoNotStore;
        }
        // no-cache 不是“不缓存”，而是“每次用之前都要先验证”。
        if !cc.no_cache {
            if let Some(lifetime) = self.freshness_lifetime(shared) {
                let age = self.current_age(now);
                if age < lifetime {
                    return Decision::UseStored {
                        fresh_for: lifetime - age,
                    };
                }
            }
        }
        // 验证时带上所有校验器（第 4.3.1 节）；服务器那边 If-None-Match 优先。
        let mut headers = Vec::new();
        if let Some(tag) = &self.etag {
            headers.push(("If-None-Match", tag.clone()));
        }
        if let Some(lm) = self.last_modified {
            headers.push(("If-Modified-Since", lm.to_string()));
        }
        if headers.is_empty() {
            Decision::Refetch
        } else {
            Decision::Validate(headers)
        }
    }
}
// ANCHOR_END: freshness

// ANCHOR: conditional
/// 服务器处理 GET 的条件请求：返回 304 还是 200（RFC 9110 第 13.1.2、13.1.3、13.2.2 节）。
pub fn conditional_get(
    if_none_match: Option<&str>,
    if_modified_since: Option<u64>,
    current_etag: &str,
    last_modified: u64,
) -> u16 {
    if let Some(list) = if_none_match {
        // 有 If-None-Match 时必须忽略 If-Modified-Since：实体标签比秒级时间戳更精确。
        let matched =
            list.trim() == "*" || list.split(',').any(|tag| weak_eq(tag.trim(), current_etag));
        return if matched { 304 } else { 200 };
    }
    match if_modified_since {
        Some(since) if last_modified <= since => 304,
        _ => 200,
    }
}

/// If-None-Match 用弱比较：去掉 `W/` 前缀后比较引号里的内容。
fn weak_eq(a: &str, b: &str) -> bool {
    a.trim_start_matches("W/") == b.trim_start_matches("W/")
}
// ANCHOR_END: conditional

#[cfg(test)]
mod tests {
    use super::*;

    const T0: u64 = 1_700_000_000;
    const DAY: u64 = 86_400;

    fn stored(cache_control: &str) -> Stored {
        Stored {
            status: 200,
            cache_control: CacheControl::parse(cache_control),
            date: Some(T0),
            expires: None,
            last_modified: None,
            etag: None,
            age: 0,
            request_time: T0,
            response_time: T0,
        }
    }

    #[test]
    fn parses_directives_case_insensitively_and_ignores_unknown_ones() {
        let cc = CacheControl::parse("Public, MAX-AGE=\"600\", s-maxage=60, immutable");
        assert!(cc.public);
        assert_eq!(cc.max_age, Some(600));
        assert_eq!(cc.s_maxage, Some(60));
        assert!(!cc.no_cache);
    }

    #[test]
    fn fresh_until_max_age_then_validate() {
        let mut r = stored("max-age=60");
        r.etag = Some("\"v1\"".into());
        assert_eq!(
            r.decide(T0 + 59, false),
            Decision::UseStored { fresh_for: 1 }
        );
        assert_eq!(
            r.decide(T0 + 60, false),
            Decision::Validate(vec![("If-None-Match", "\"v1\"".into())])
        );
    }

    #[test]
    fn max_age_wins_over_expires() {
        let mut r = stored("max-age=60");
        r.expires = Some(Expires::At(T0 + DAY));
        assert_eq!(r.freshness_lifetime(false), Some(60));
        r.cache_control = CacheControl::default();
        assert_eq!(r.freshness_lifetime(false), Some(DAY));
    }

    #[test]
    fn an_invalid_expires_means_already_stale() {
        let mut r = stored("");
        r.expires = Some(Expires::Invalid);
        r.last_modified = Some(T0 - 100 * DAY);
        assert_eq!(r.freshness_lifetime(false), Some(0));
        assert!(matches!(r.decide(T0, false), Decision::Validate(_)));
    }

    #[test]
    fn heuristic_freshness_is_a_tenth_of_the_time_since_last_modified() {
        let mut r = stored("");
        r.last_modified = Some(T0 - 10 * DAY);
        assert_eq!(r.freshness_lifetime(false), Some(DAY));
        assert_eq!(
            r.decide(T0 + DAY - 1, false),
            Decision::UseStored { fresh_for: 1 }
        );
        assert!(matches!(r.decide(T0 + DAY, false), Decision::Validate(_)));
    }

    #[test]
    fn no_heuristic_for_a_302_without_explicit_freshness() {
        let mut r = stored("");
        r.status = 302;
        r.last_modified = Some(T0 - 10 * DAY);
        assert_eq!(r.freshness_lifetime(false), None);
        // 但 public 明确允许缓存，启发式又可以用了。
        r.cache_control.public = true;
        assert_eq!(r.freshness_lifetime(false), Some(DAY));
    }

    #[test]
    fn no_cache_stores_but_always_validates_with_both_validators() {
        let mut r = stored("no-cache, max-age=3600");
        r.etag = Some("W/\"abc\"".into());
        r.last_modified = Some(T0 - DAY);
        assert_eq!(
            r.decide(T0, false),
            Decision::Validate(vec![
                ("If-None-Match", "W/\"abc\"".into()),
                ("If-Modified-Since", (T0 - DAY).to_string()),
            ])
        );
    }

    #[test]
    fn stale_without_validators_must_refetch() {
        let r = stored("max-age=0");
        assert_eq!(r.decide(T0, false), Decision::Refetch);
    }

    #[test]
    fn no_store_and_private_in_a_shared_cache_are_not_stored() {
        assert_eq!(stored("no-store").decide(T0, false), Decision::DoNotStore);
        let private = stored("private, max-age=600");
        assert_eq!(private.decide(T0, true), Decision::DoNotStore);
        assert_eq!(
            private.decide(T0, false),
            Decision::UseStored { fresh_for: 600 }
        );
    }

    #[test]
    fn s_maxage_applies_only_to_shared_caches() {
        let r = stored("max-age=600, s-maxage=60");
        assert_eq!(r.freshness_lifetime(true), Some(60));
        assert_eq!(r.freshness_lifetime(false), Some(600));
    }

    #[test]
    fn age_counts_upstream_caches_and_the_round_trip() {
        // CDN 报告已存了 100 秒，请求往返花了 2 秒，又在本地放了 30 秒。
        let mut r = stored("max-age=300");
        r.age = 100;
        r.request_time = T0 - 2;
        assert_eq!(r.current_age(T0 + 30), 132);
        assert_eq!(
            r.decide(T0 + 30, false),
            Decision::UseStored { fresh_for: 168 }
        );
    }

    #[test]
    fn if_none_match_takes_precedence_over_if_modified_since() {
        let lm = T0 - DAY;
        // 标签匹配：即便按时间看“改过了”，也回 304。
        assert_eq!(
            conditional_get(Some("\"v2\""), Some(lm - 1), "\"v2\"", lm),
            304
        );
        // 标签不匹配：即便按时间看“没改过”，也回 200。
        assert_eq!(conditional_get(Some("\"v1\""), Some(lm), "\"v2\"", lm), 200);
        // 只有 If-Modified-Since 时才看时间。
        assert_eq!(conditional_get(None, Some(lm), "\"v2\"", lm), 304);
        assert_eq!(conditional_get(None, Some(lm - 1), "\"v2\"", lm), 200);
    }

    #[test]
    fn if_none_match_uses_weak_comparison_and_lists() {
        assert_eq!(conditional_get(Some("W/\"v2\""), None, "\"v2\"", T0), 304);
        assert_eq!(
            conditional_get(Some("\"a\", \"v2\""), None, "\"v2\"", T0),
            304
        );
        assert_eq!(conditional_get(Some("*"), None, "\"v2\"", T0), 304);
    }
}
