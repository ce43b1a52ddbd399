//! JWT（RFC 7519）的 HS256 签发与校验：JWS 紧凑序列化（RFC 7515）手写一遍，
//! 看清“签名”保护的是什么、不保护什么。

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

// ANCHOR: sign
/// 签发：`base64url(头部) . base64url(载荷) . base64url(HMAC-SHA256(前两段))`。
/// 载荷只是编码，不是加密：任何拿到令牌的人都能读出里面的声明。
pub fn sign_hs256(claims: &Value, secret: &[u8]) -> String {
    let header = json!({"alg": "HS256", "typ": "JWT"});
    let signing_input = format!(
        "{}.{}",
        B64URL.encode(header.to_string()),
        B64URL.encode(claims.to_string())
    );
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC 接受任意长度的密钥");
    mac.update(signing_input.as_bytes());
    let signature = B64URL.encode(mac.finalize().into_bytes());
    format!("{signing_input}.{signature}")
}

/// 不校验签名，直接读出载荷：演示谁都能看到 JWT 里写了什么。
pub fn decode_unverified(token: &str) -> Option<Value> {
    let payload = token.split('.').nth(1)?;
    serde_json::from_slice(&B64URL.decode(payload).ok()?).ok()
}
// ANCHOR_END: sign

// ANCHOR: verify
#[derive(Debug, PartialEq, Eq)]
pub enum JwtError {
    /// 不是三段、base64url 或 JSON 不合法。
    Malformed,
    /// 头部声明的算法不是我们预期的 HS256（包括 "none"）。
    UnexpectedAlg(String),
    BadSignature,
    Expired,
    NotYetValid,
}

/// 校验：先定死算法，再核对签名，最后才相信载荷里的时间声明。
pub fn verify_hs256(token: &str, secret: &[u8], now: u64) -> Result<Value, JwtError> {
    let parts: Vec<&str> = token.split('.').collect();
    let [header_b64, payload_b64, sig_b64] = parts[..] else {
        return Err(JwtError::Malformed);
    };
    let json = |part: &str| -> Result<Value, JwtError> {
        let bytes = B64URL.decode(part).map_err(|_| JwtError::Malformed)?;
        serde_json::from_slice(&bytes).map_err(|_| JwtError::Malformed)
    };
    // 算法由服务器决定，不由令牌决定：照单全收头部里的 alg，
    // 攻击者就能写 "none" 去掉签名，或者把 RS256 换成 HS256 拿公钥当 HMAC 密钥。
    let header = json(header_b64)?;
    match header["alg"].as_str() {
        Some("HS256") => {}
        other => return Err(JwtError::UnexpectedAlg(other.unwrap_or("").to_string())),
    }
    let signature = B64URL.decode(sig_b64).map_err(|_| JwtError::Malformed)?;
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC 接受任意长度的密钥");
    mac.update(header_b64.as_bytes());
    mac.update(b".");
    mac.update(payload_b64.as_bytes());
    // verify_slice 是常数时间比较，不会因为“前几个字节就不同所以返回得快”泄露信息。
    mac.verify_slice(&signature)
        .map_err(|_| JwtError::BadSignature)?;
    let claims = json(payload_b64)?;
    // exp、nbf 是 NumericDate：自 1970 年起的秒数（RFC 7519 第 4.1.4、4.1.5 节）。
    if let Some(exp) = claims["exp"].as_u64() {
        if now >= exp {
            return Err(JwtError::Expired);
        }
    }
    if let Some(nbf) = claims["nbf"].as_u64() {
        if now < nbf {
            return Err(JwtError::NotYetValid);
        }
    }
    Ok(claims)
}
// ANCHOR_END: verify

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"a server-side secret of at least 256 bits!!";
    const NOW: u64 = 1_700_000_000;

    #[test]
    fn verifies_the_rfc_7515_appendix_a1_example() {
        // RFC 7515 附录 A.1：HS256 签名的 JWS，密钥以 JWK 的 k 值（base64url）给出。
        let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9\
            .eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ\
            .dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let key = B64URL
            .decode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")
            .unwrap();
        let claims = verify_hs256(token, &key, 1_300_819_379).unwrap();
        assert_eq!(claims["iss"], "joe");
        assert_eq!(claims["http://example.com/is_root"], true);
        // 例子里的 exp 是 1300819380（2011 年），到点即过期。
        assert_eq!(
            verify_hs256(token, &key, 1_300_819_380),
            Err(JwtError::Expired)
        );
    }

    #[test]
    fn round_trip_and_the_payload_is_readable_without_the_secret() {
        let token = sign_hs256(
            &json!({"sub": "alice", "role": "user", "exp": NOW + 900}),
            SECRET,
        );
        assert_eq!(token.split('.').count(), 3);
        assert_eq!(verify_hs256(&token, SECRET, NOW).unwrap()["sub"], "alice");
        // 签名不等于加密：不知道密钥也能读出载荷。
        assert_eq!(decode_unverified(&token).unwrap()["role"], "user");
    }

    #[test]
    fn changing_the_payload_breaks_the_signature() {
        let token = sign_hs256(
            &json!({"sub": "alice", "role": "user", "exp": NOW + 900}),
            SECRET,
        );
        let forged_payload =
            B64URL.encode(json!({"sub": "alice", "role": "admin", "exp": NOW + 900}).to_string());
        let mut parts: Vec<&str> = token.split('.').collect();
        parts[1] = &forged_payload;
        assert_eq!(
            verify_hs256(&parts.join("."), SECRET, NOW),
            Err(JwtError::BadSignature)
        );
        // 换一个密钥签的令牌同样通不过。
        let other = sign_hs256(&json!({"sub": "alice"}), b"another secret");
        assert_eq!(
            verify_hs256(&other, SECRET, NOW),
            Err(JwtError::BadSignature)
        );
    }

    #[test]
    fn alg_none_is_rejected() {
        let header = B64URL.encode(r#"{"alg":"none","typ":"JWT"}"#);
        let payload = B64URL.encode(r#"{"sub":"admin"}"#);
        assert_eq!(
            verify_hs256(&format!("{header}.{payload}."), SECRET, NOW),
            Err(JwtError::UnexpectedAlg("none".into()))
        );
    }

    #[test]
    fn time_claims_are_checked_only_after_the_signature() {
        let expired = sign_hs256(&json!({"sub": "alice", "exp": NOW}), SECRET);
        assert_eq!(verify_hs256(&expired, SECRET, NOW), Err(JwtError::Expired));
        let early = sign_hs256(&json!({"sub": "alice", "nbf": NOW + 60}), SECRET);
        assert_eq!(
            verify_hs256(&early, SECRET, NOW),
            Err(JwtError::NotYetValid)
        );
        assert!(verify_hs256(&early, SECRET, NOW + 60).is_ok());
    }

    #[test]
    fn malformed_tokens_are_rejected() {
        for bad in ["", "a.b", "a.b.c.d", "!!!.e30.e30"] {
            assert_eq!(
                verify_hs256(bad, SECRET, NOW),
                Err(JwtError::Malformed),
                "{bad}"
            );
        }
    }
}
