//! 在回环地址上走一遍 WebSocket 握手和一次 echo，打印线路上的内容：
//! `cargo run -p snippets --example websocket`
use snippets::websocket::{accept_key, serve_one_echo, Frame, Opcode};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

fn main() -> std::io::Result<()> {
    let key = "dGhlIHNhbXBsZSBub25jZQ==";
    println!(
        "Sec-WebSocket-Key {key} → Sec-WebSocket-Accept {}",
        accept_key(key)
    );

    let listener = TcpListener::bind("127.0.0.1:0")?; // 端口 0：由内核挑一个空闲端口
    let addr = listener.local_addr()?;
    let server = thread::spawn(move || {
        let (conn, _) = listener.accept()?;
        serve_one_echo(conn)
    });

    let mut client = TcpStream::connect(addr)?;
    let request = format!(
        "GET /echo HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    );
    print!("--- 客户端发出 ---\n{request}");
    client.write_all(request.as_bytes())?;

    let mut reader = BufReader::new(client.try_clone()?);
    println!("--- 服务器回复 ---");
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        print!("{line}");
        if line == "\r\n" {
            break;
        }
    }

    let hello = Frame {
        fin: true,
        opcode: Opcode::Text,
        mask: Some([0x37, 0xfa, 0x21, 0x3d]), // 真实客户端每帧用密码学随机数生成掩码
        payload: b"Hello".to_vec(),
    };
    println!("客户端帧（已掩码）：{:02x?}", hello.encode());
    client.write_all(&hello.encode())?;
    let echoed = Frame::read_from(&mut reader)?;
    println!("服务器帧（未掩码）：{:02x?}", echoed.encode());
    println!(
        "服务器收到的文本：{:?}",
        server.join().expect("服务器线程")?
    );
    Ok(())
}
