//! 同一个表单分别用 GET 和 POST 提交，解析出的参数相同；POST 分两段到达也一样：
//! `cargo run -p snippets --example get_post`
use snippets::get_post::{Parser, FORM_GET, FORM_POST};

fn main() {
    for raw in [FORM_GET, FORM_POST] {
        println!("{}\n", raw.replace("\r\n", "\n").trim_end());
        let req = Parser::default().feed(raw.as_bytes()).expect("完整的请求");
        println!("→ {} {} 参数 {:?}\n", req.method, req.path, req.params);
    }
    let split = FORM_POST.find("\r\n\r\n").unwrap() + 4;
    let mut p = Parser::default();
    println!("只收到头部：{:?}", p.feed(&FORM_POST.as_bytes()[..split]));
    println!("正文随后到达：{:?}", p.feed(&FORM_POST.as_bytes()[split..]));
}
