//! Rust ports of the interview notes' Python snippets.
//!
//! One module per topic. The site shows the regions between `// ANCHOR: name` and
//! `// ANCHOR_END: name`; everything is compiled and tested by `cargo test -p snippets`.

/// ABA 问题：Treiber 栈在槽位复用时 CAS 误判成功，以及带版本号的修法。
pub mod aba;
/// 全连接队列：小 backlog、只连接不 accept，读出队列长度与溢出计数（仅 Linux）。
#[cfg(target_os = "linux")]
pub mod accept_queue;
/// ARP 报文：拼请求帧、解析应答（RFC 826）。
pub mod arp;
/// 协程：`async`/`await` 与 tokio，对应 Python 的 asyncio。
pub mod async_demo;
/// 负载均衡算法：Nginx 的平滑加权轮询，带虚拟节点的一致性哈希。
pub mod balancing;
/// 有界缓冲区：一把 `Mutex` 加两个 `Condvar`，生产者满了等、消费者空了等。
pub mod bounded_buffer;
/// 有界线程池：核心/最大线程数、有界队列、keep-alive 和四种拒绝策略（仿 `ThreadPoolExecutor`）。
pub mod bounded_pool;
/// CAS：`compare_exchange_weak` 循环（有上限的许可计数）与单次的 `compare_exchange`。
pub mod cas;
/// CIDR 与子网划分：掩码、网络地址、广播地址、可用主机数，等分子网。
pub mod cidr;
/// 拥塞控制：按 RTT 模拟 Reno 的 cwnd 与 ssthresh（慢启动、拥塞避免、减半）。
pub mod congestion;
/// 上下文切换：线程、进程、tokio 任务之间的乒乓，以及 getrusage 的切换计数。
pub mod context_switch;
/// 死锁：相反顺序拿两把锁，如何检测，以及三种修法。
pub mod deadlock;
/// 10 个线程，线程 k 只打印个位是 k 的数（分工 / 按顺序轮流）。
pub mod digit_threads;
/// 分布式锁：带租约的锁服务和拒绝旧令牌的存储（fencing token）。
pub mod distributed_lock;
/// DNS 报文：拼查询、解析应答（含压缩指针），UDP 截断后改走 TCP。
pub mod dns_msg;
/// 单线程事件循环：非阻塞套接字加 `poll(2)`，同时服务多个 echo 客户端。
#[cfg(unix)]
pub mod event_loop;
/// 伪共享：同一缓存行里的两个计数器 vs 各占一行（`#[repr(align(64))]`）。
pub mod false_sharing;
/// 流量控制：接收方不读时发送方写到阻塞、窗口降到 0，读走后恢复（仅 Linux）。
#[cfg(target_os = "linux")]
pub mod flow_control;
/// 粘包：用长度前缀给 TCP 字节流分帧。
pub mod framing;
/// 玩具互斥锁：一个状态字，快路径一条 CAS，慢路径 futex(2) 睡眠与唤醒（仅 Linux）。
#[cfg(target_os = "linux")]
pub mod futex_mutex;
/// 用 `send` 驱动的"生成器协程"：Rust 稳定版没有 `yield`，手写状态机。
pub mod generator;
/// GET 与 POST：同一组表单参数放在查询串或请求体里；增量解析请求。
pub mod get_post;
/// HTTP/2 帧头：9 字节帧头的解析与编码，按流标识符拆开交错的帧。
pub mod h2_frame;
/// HTTP 缓存：新鲜度判断（max-age、Expires、启发式）与条件请求的 304。
pub mod http_cache;
/// HTTP/1.1 报文分界：Content-Length、分块传输、没有正文的状态码。
pub mod http_framing;
/// 进程间通信：父子进程之间的管道（子进程的 stdin/stdout）。
pub mod ipc;
/// JWT：手写 HS256 的签发与校验（RFC 7519、RFC 7515），签名不等于加密。
pub mod jwt;
/// TCP keepalive：按连接设置 TCP_KEEPIDLE / TCP_KEEPINTVL / TCP_KEEPCNT 与 TCP_USER_TIMEOUT。
pub mod keepalive;
/// 读写锁（`RwLock`）与用 `Condvar` 手写的计数信号量。
pub mod lock_types;
/// 内存序：Release/Acquire 传递消息，store buffering 试验里只有 SeqCst 禁止两个 0。
pub mod message_passing;
/// MTU 与 IPv4 分片：片偏移、MF 标志，以及由 MTU 推出 TCP 的 MSS。
pub mod mtu;
/// Nagle 算法与延迟确认：写-写-读、`set_nodelay`（TCP_NODELAY）与一次写完。
pub mod nodelay;
/// 线程池：手写的 mpsc 线程池，以及 rayon。
pub mod pools;
/// 端口号按协议分开：TCP 和 UDP 同时绑定同一个端口号。
pub mod ports;
/// 多进程：普通子进程、"守护"子进程、`join`（`Child::wait`）。
pub mod processes;
/// 非阻塞的生产者-消费者：1 个生产者、3 个消费者、共享计数 `g_count`。
pub mod producer_consumer;
/// 竞态条件：丢失更新，以及用 `Mutex` / `fetch_add` 修好。
pub mod race;
/// 累计确认与快速重传：接收方的确认号，发送方的重复 ACK 计数。
pub mod retransmit;
/// 超时重传：按 RFC 6298 由 RTT 样本计算 RTO（SRTT、RTTVAR、Karn 算法、退避）。
pub mod rto;
/// CPU 调度模拟器：FCFS、SJF、SRTF、时间片轮转的甘特图与平均等待时间。
pub mod scheduler;
/// `Send`/`Sync`：编译不过的三种写法（doctest）与能编译的 `Arc<Mutex<_>>`。
pub mod send_sync;
/// 强制关闭连接：`TcpStream::shutdown`，对端如何看到 EOF。
pub mod shutdown;
/// 手写 socket 通信：TCP echo 服务器和客户端。
pub mod socket_echo;
/// 系统调用的代价：函数调用、getppid、经 vDSO 与经系统调用的 clock_gettime。
pub mod syscall_cost;
/// 线程局部变量：`thread_local!`，对应 Python 的 `threading.local`。
pub mod thread_local;
/// 谁先关谁进 TIME_WAIT：从 /proc/net/tcp 读连接状态（Linux）。
#[cfg(target_os = "linux")]
pub mod time_wait;
/// TLS 证书的主机名匹配：subjectAltName 与通配符规则（RFC 9525）。
pub mod tls_names;
/// tokio 写的 echo 服务器：每个连接一个任务，一个线程服务多个客户端。
pub mod tokio_echo;
/// URL：相对引用的补全（RFC 3986 第 5.2 节）与百分号编码。
pub mod url_ref;
/// 可见性与原子性：原子的停止标志一定会被看到，64 位原子变量不会被读到一半。
pub mod visibility;
/// VRRP 选主：keepalived 的有效优先级，Backup 收到通告后是否接管。
pub mod vrrp;
/// WebSocket：握手的 Sec-WebSocket-Accept 计算与帧的编解码。
pub mod websocket;
/// 零拷贝：把文件发到 TCP socket，`read` + `write` 与 `sendfile(2)` 的对照。
#[cfg(target_os = "linux")]
pub mod zero_copy;
/// 僵尸进程：子进程退出后用 `Child::wait` 回收。
pub mod zombie;

/// Test-only helpers (time limits for anything that could hang).
#[cfg(test)]
mod test_support;
