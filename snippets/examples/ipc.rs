//! `cargo run -p snippets --example ipc`：经管道把文本送进 `tr` 转成大写，再读回来；
//! 再送 1 MB 给 `cat`，远超管道缓冲区也不会卡住。
use snippets::ipc::pipe_through;

fn main() -> std::io::Result<()> {
    let out = pipe_through("tr", &["a-z", "A-Z"], b"hello pipe")?;
    println!("{}", String::from_utf8_lossy(&out));
    let big = vec![b'x'; 1 << 20];
    let back = pipe_through("cat", &[], &big)?;
    println!("送出 {} 字节，读回 {} 字节", big.len(), back.len());
    Ok(())
}
