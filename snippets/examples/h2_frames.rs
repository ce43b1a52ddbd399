//! 把交错写在一条连接上的两个 HTTP/2 响应按帧打印出来：
//! `cargo run -p snippets --example h2_frames`
use snippets::h2_frame::{interleaved_responses, split_frames, DEFAULT_MAX_FRAME_SIZE, END_STREAM};

fn main() {
    let wire = interleaved_responses();
    println!("连接上共 {} 字节", wire.len());
    let (frames, _) = split_frames(&wire, DEFAULT_MAX_FRAME_SIZE).expect("帧长度合法");
    for (h, payload) in frames {
        let end = if h.flags & END_STREAM != 0 {
            "  END_STREAM"
        } else {
            ""
        };
        println!(
            "流 {} {:<13} 帧头 {:02x?} 载荷 {:?}{end}",
            h.stream_id,
            format!("{:?}", h.kind),
            h.encode(),
            String::from_utf8_lossy(payload),
        );
    }
}
