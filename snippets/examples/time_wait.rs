//! 让客户端、服务器轮流先关，看 TIME_WAIT 落在哪一端：`cargo run -p snippets --example time_wait`

use snippets::time_wait::{close_first, Side};

fn show(state: Option<&str>) -> &str {
    state.unwrap_or("已释放")
}

fn main() -> std::io::Result<()> {
    for (first, name) in [(Side::Client, "客户端"), (Side::Server, "服务器")] {
        let (client, server) = close_first(first)?;
        println!(
            "{name}先关：客户端那一端 {}，服务器那一端 {}",
            show(client),
            show(server)
        );
    }
    Ok(())
}
