//! 签发一个 HS256 JWT，拆开三段看看，再演示篡改和过期：
//! `cargo run -p snippets --example jwt`
use snippets::jwt::{decode_unverified, sign_hs256, verify_hs256};

fn main() {
    let secret = b"a server-side secret of at least 256 bits!!";
    let now = 1_700_000_000;
    let token = sign_hs256(
        &serde_json::json!({"sub": "alice", "role": "user", "iat": now, "exp": now + 900}),
        secret,
    );
    println!("令牌：{token}\n");
    for (name, part) in ["头部", "载荷", "签名"].iter().zip(token.split('.')) {
        println!("{name}：{part}");
    }
    println!(
        "\n不需要密钥就能读出载荷：{}",
        decode_unverified(&token).unwrap()
    );
    println!("有效期内校验：{:?}", verify_hs256(&token, secret, now + 60));
    let forged = token.replacen(
        token.split('.').nth(1).unwrap(),
        "eyJzdWIiOiJhbGljZSIsInJvbGUiOiJhZG1pbiJ9", // {"sub":"alice","role":"admin"}
        1,
    );
    println!(
        "把 role 改成 admin：{:?}",
        verify_hs256(&forged, secret, now + 60)
    );
    println!("15 分钟后：{:?}", verify_hs256(&token, secret, now + 900));
}
