// ANCHOR: all
use std::net::TcpListener;
// ANCHOR: server
fn serve(listener: TcpListener) {
    // ANCHOR: inner
    let _ = listener.accept();
    // ANCHOR_END: inner
}
// ANCHOR_END: server
// ANCHOR_END: all
