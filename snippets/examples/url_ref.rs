//! 以 https://www.example.com/docs/guide.html 为基准补全页面表格里的相对引用，再做几次百分号编码：
//! `cargo run -p snippets --example url_ref`

use snippets::url_ref::{percent_encode, resolve};

fn main() {
    let base = "https://www.example.com/docs/guide.html";
    println!("基准：{base}");
    for r in [
        "intro.html",
        "../img/logo.png",
        "/api/users",
        "//cdn.example.net/app.js",
        "?page=3",
        "#install",
    ] {
        println!("  {r:<26} → {}", resolve(base, r));
    }
    for s in ["中", "a b", "a+b&c"] {
        println!("百分号编码 {s:?} → {}", percent_encode(s));
    }
}
