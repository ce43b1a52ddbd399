//! 一个线程卡在 read 里，另一个线程用 shutdown 把它叫醒；再看两种粗暴关闭时对端得到什么：
//! `cargo run -p snippets --example shutdown`

use snippets::shutdown::{
    abort_with_unread_data, force_close, read_until_eof, reset, spawn_reader,
};
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};

fn pair() -> io::Result<(TcpStream, TcpStream)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    Ok((client, server))
}

fn main() -> io::Result<()> {
    let (mut client, server) = pair()?;
    let (switch, reader) = spawn_reader(server)?; // 读线程卡在 read 里，等一个永远不来的数据
    force_close(&switch)?; // 另一个线程：shutdown 同一个套接字
    let total = reader.join().expect("reader panicked")?;
    println!("shutdown 之后，读线程的 read 返回 0，线程退出（共读到 {total} 字节）");
    println!(
        "对端 read_to_end 得到 {:?}：干净的 EOF（FIN）",
        read_until_eof(&mut client)?
    );

    let (mut client, server) = pair()?;
    client.write_all(b"never read")?;
    abort_with_unread_data(server)?;
    let mut buf = [0u8; 16];
    match client.read(&mut buf) {
        Err(e) => println!("带着未读数据 close：对端 read 得到 {:?}（RST）", e.kind()),
        Ok(n) => println!("对端 read 返回 {n}（这个系统上没有发 RST）"),
    }

    let (mut client, server) = pair()?;
    reset(server)?; // SO_LINGER = 开启、0 秒，再 close
    match client.read(&mut buf) {
        Err(e) => println!(
            "SO_LINGER 置 0 后 close：对端 read 得到 {:?}（RST）",
            e.kind()
        ),
        Ok(n) => println!("对端 read 返回 {n}"),
    }
    Ok(())
}
