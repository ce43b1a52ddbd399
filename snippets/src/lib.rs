//! Rust ports of the interview notes' Python snippets.
//!
//! One module per topic. The site shows the regions between `// ANCHOR: name` and
//! `// ANCHOR_END: name`; everything is compiled and tested by `cargo test -p snippets`.

/// ARP 报文：拼请求帧、解析应答（RFC 826）。
pub mod arp;
/// 协程：`async`/`await` 与 tokio，对应 Python 的 asyncio。
pub mod async_demo;
/// 负载均衡算法：Nginx 的平滑加权轮询，带虚拟节点的一致性哈希。
pub mod balancing;
/// 死锁：相反顺序拿两把锁，如何检测，以及三种修法。
pub mod deadlock;
/// 10 个线程，线程 k 只打印个位是 k 的数（分工 / 按顺序轮流）。
pub mod digit_threads;
/// DNS 报文：拼查询、解析应答（含压缩指针），UDP 截断后改走 TCP。
pub mod dns_msg;
/// 单线程事件循环：非阻塞套接字加 `poll(2)`，同时服务多个 echo 客户端。
#[cfg(unix)]
pub mod event_loop;
/// 粘包：用长度前缀给 TCP 字节流分帧。
pub mod framing;
/// 用 `send` 驱动的"生成器协程"：Rust 稳定版没有 `yield`，手写状态机。
pub mod generator;
/// HTTP/1.1 报文分界：Content-Length、分块传输、没有正文的状态码。
pub mod http_framing;
/// 进程间通信：父子进程之间的管道（子进程的 stdin/stdout）。
pub mod ipc;
/// 线程池：手写的 mpsc 线程池，以及 rayon。
pub mod pools;
/// 多进程：普通子进程、"守护"子进程、`join`（`Child::wait`）。
pub mod processes;
/// 非阻塞的生产者-消费者：1 个生产者、3 个消费者、共享计数 `g_count`。
pub mod producer_consumer;
/// 竞态条件：丢失更新，以及用 `Mutex` / `fetch_add` 修好。
pub mod race;
/// 累计确认与快速重传：接收方的确认号，发送方的重复 ACK 计数。
pub mod retransmit;
/// 强制关闭连接：`TcpStream::shutdown`，对端如何看到 EOF。
pub mod shutdown;
/// 手写 socket 通信：TCP echo 服务器和客户端。
pub mod socket_echo;
/// 线程局部变量：`thread_local!`，对应 Python 的 `threading.local`。
pub mod thread_local;
/// 谁先关谁进 TIME_WAIT：从 /proc/net/tcp 读连接状态（Linux）。
#[cfg(target_os = "linux")]
pub mod time_wait;
/// tokio 写的 echo 服务器：每个连接一个任务，一个线程服务多个客户端。
pub mod tokio_echo;
/// URL：相对引用的补全（RFC 3986 第 5.2 节）与百分号编码。
pub mod url_ref;
/// VRRP 选主：keepalived 的有效优先级，Backup 收到通告后是否接管。
pub mod vrrp;
/// 僵尸进程：子进程退出后用 `Child::wait` 回收。
pub mod zombie;

/// Test-only helpers (time limits for anything that could hang).
#[cfg(test)]
mod test_support;
