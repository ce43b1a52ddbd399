//! Runs the corrected Python versions in `snippets/python/` with `python3` and checks their output.
//!
//! Nothing is skipped: if `python3` is missing these tests fail and say so.

use std::collections::BTreeSet;
use std::io::{BufRead, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(30);

/// Starts `python3 snippets/python/<script> <args>` with extra environment variables `env`
/// and stdout piped; fails clearly if `python3` cannot be run.
fn spawn_python(script: &str, args: &[&str], env: &[(&str, &str)]) -> Child {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("python")
        .join(script);
    Command::new("python3")
        .arg(&path)
        .args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot run python3 ({e}): install Python 3 to run these tests (they are not skipped)")
        })
}

/// Runs `python3 snippets/python/<script> <args>` and returns its stdout;
/// kills it and fails if it runs longer than `LIMIT` or exits unsuccessfully.
fn run_python(script: &str, args: &[&str]) -> String {
    run_python_with_env(script, args, &[])
}

/// `run_python` with extra environment variables.
fn run_python_with_env(script: &str, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut child = spawn_python(script, args, env);
    let mut stdout = child.stdout.take().unwrap();
    let reader = thread::spawn(move || {
        let mut out = String::new();
        stdout.read_to_string(&mut out).map(|_| out)
    });
    let deadline = Instant::now() + LIMIT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("{script} did not finish within {LIMIT:?}");
        }
        thread::sleep(Duration::from_millis(5));
    };
    let out = reader.join().unwrap().unwrap();
    assert!(
        status.success(),
        "{script} exited with {status}; stdout:\n{out}"
    );
    out
}

#[test]
fn python_deadlock_is_detected_and_every_fix_completes() {
    let out = run_python("deadlock.py", &[]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "deadlock detected: True",
            "lock-ordering bites: 2000",
            "try-lock bites: 2000",
            "single-lock bites: 2000",
        ]
    );
}

#[test]
fn python_digit_threads_thread_k_gets_exactly_the_numbers_ending_in_k() {
    let out = run_python("digit_threads.py", &["1000"]);
    let mut lines = out.lines();
    for k in 0..10u32 {
        let line = lines.next().expect("one line per thread");
        let nums: Vec<u32> = line
            .strip_prefix(&format!("thread {k}:"))
            .unwrap_or_else(|| panic!("unexpected line {line:?}"))
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect();
        let expected: Vec<u32> = (1..=1000).filter(|n| n % 10 == k).collect();
        assert_eq!(nums, expected, "thread {k}");
    }
    let in_order = lines.next().unwrap().strip_prefix("in order:").unwrap();
    let printed: Vec<(u32, u32)> = in_order
        .split_whitespace()
        .map(|item| {
            let (n, k) = item.split_once('@').unwrap();
            (n.parse().unwrap(), k.parse().unwrap())
        })
        .collect();
    assert_eq!(printed.len(), 1000);
    for (i, &(n, k)) in printed.iter().enumerate() {
        assert_eq!(n, i as u32 + 1, "printed in order");
        assert_eq!(n % 10, k, "{n} printed by thread {k}");
    }
}

#[test]
fn python_producer_consumer_consumes_each_item_exactly_once() {
    let out = run_python("producer_consumer.py", &["10000", "0", "0"]);
    let mut lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.pop(), Some("g_count = 10000"));
    let mut consumers = BTreeSet::new();
    let mut seen = vec![0u32; 10_001];
    for line in &lines {
        let (name, n) = line.split_once(' ').unwrap();
        consumers.insert(name);
        seen[n.parse::<usize>().unwrap()] += 1;
    }
    assert_eq!(lines.len(), 10_000);
    assert!(seen[1..].iter().all(|&c| c == 1), "every item exactly once");
    assert!(
        consumers.is_subset(&BTreeSet::from(["c0", "c1", "c2"])),
        "{consumers:?}"
    );
}

/// The `[... ] 1.0s` timing at the end of an `async_await.py` result line, in seconds.
fn seconds(line: &str, prefix: &str) -> f64 {
    line.strip_prefix(prefix)
        .and_then(|s| s.strip_suffix('s'))
        .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        .parse()
        .unwrap()
}

#[test]
fn python_async_await_gather_overlaps_the_waits_and_sequential_await_does_not() {
    let out = run_python("async_await.py", &[]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 10, "{out}");
    // gather: both start before either ends, so the two waits overlap. (How long it took
    // is printed, but not asserted: an upper bound on wall time fails on a loaded machine.)
    assert_eq!(lines[..4], ["a 开始", "b 开始", "a 结束", "b 结束"]);
    seconds(lines[4], "['A', 'B'] ");
    // Sequential awaits: b only starts after a ends; two delays in total.
    assert_eq!(lines[5..9], ["a 开始", "a 结束", "b 开始", "b 结束"]);
    let one_by_one = seconds(lines[9], "['A', 'B'] ");
    assert!(one_by_one >= 2.0, "sequential awaits took {one_by_one}s");
}

#[test]
fn python_coroutine_withdraw_loses_an_update_without_a_lock() {
    let out = run_python("coroutine_vs_thread.py", &[]);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["without lock: 70", "with asyncio.Lock: 40"]
    );
}

#[test]
fn python_yield_coroutines_average_and_hand_over_items() {
    let out = run_python("yield_coroutine.py", &[]);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "10.0",
            "15.0",
            "20.0",
            "最终结果 20.0",
            "消费 0",
            "消费 1",
            "消费 2"
        ]
    );
}

#[test]
fn python_digit_threads_page_solutions_print_1_to_1000_in_order_by_last_digit() {
    let expected: Vec<String> = (1..=1000u32)
        .map(|n| format!("线程{}: {n}", n % 10))
        .collect();
    for mode in ["condition", "baton"] {
        let out = run_python("digit_threads.py", &[mode]);
        assert_eq!(out.lines().collect::<Vec<_>>(), expected, "{mode}");
    }
}

#[test]
fn python_rlock_allows_reentry_and_a_plain_lock_would_block_itself() {
    let out = run_python("lock_types.py", &[]);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["RLock: [('apple', 804), ('pear', 802)]", "Lock stuck: True"]
    );
}

#[test]
fn python_mutex_withdraw_never_overdraws() {
    let out = run_python("mutex_thread_safety.py", &[]);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["succeeded: 3", "balance: 10"]
    );
}

#[test]
fn python_check_then_act_loads_twice_and_the_lock_loads_once() {
    let out = run_python("race_condition.py", &[]);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["check-then-act loads: 2", "with lock loads: 1"]
    );
}

#[test]
fn python_bounded_buffer_blocks_when_full_or_empty_and_loses_nothing() {
    let out = run_python("bounded_buffer.py", &[]);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "put blocks when full: True",
            "get: a",
            "blocked put finished: True",
            "get: b",
            "get blocks when empty: True",
            "every item exactly once: True",
        ]
    );
}

#[test]
fn python_producer_consumer_page_versions_consume_each_number_once() {
    // SLEEP_SCALE=0: same code without the 3 ms / 1 ms pacing (30+ s otherwise); the threads
    // then contend as hard as they can, which is the harder case for "exactly once".
    for mode in ["threads", "asyncio"] {
        let out = run_python_with_env("producer_consumer.py", &[mode], &[("SLEEP_SCALE", "0")]);
        let mut lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.pop(), Some("g_count = 10000"), "{mode}");
        assert_eq!(lines.len(), 10_000, "{mode}");
        let mut seen = vec![0u32; 10_001];
        for line in &lines {
            let (name, n) = line
                .split_once(" 消费了 ")
                .unwrap_or_else(|| panic!("{mode}: garbled line {line:?}"));
            assert!(["C0", "C1", "C2"].contains(&name), "{mode}: {line:?}");
            seen[n.parse::<usize>().unwrap()] += 1;
        }
        assert!(
            seen[1..].iter().all(|&c| c == 1),
            "{mode}: every number exactly once"
        );
    }
}

#[test]
fn python_gil_counter_increment_is_separate_load_add_store_bytecodes() {
    let out = run_python("gil.py", &[]);
    let mut rest = out.as_str();
    for op in ["LOAD_GLOBAL", "LOAD_CONST", "BINARY_OP", "STORE_GLOBAL"] {
        let at = rest
            .find(op)
            .unwrap_or_else(|| panic!("{op} missing (or out of order) in:\n{out}"));
        rest = &rest[at + op.len()..];
    }
    assert!(out.contains("(+=)"), "{out}");
}

#[test]
fn python_thread_local_and_contextvars_keep_each_request_id_apart() {
    let out = run_python("thread_local.py", &[]);
    let (threads, tasks) = out
        .split_once("task ")
        .unwrap_or_else(|| panic!("no asyncio part in:\n{out}"));
    // The page's threads print without a lock, and print writes the text and the newline
    // separately, so lines may run together; each thread's text itself is intact.
    let mut ids: Vec<&str> = threads
        .split("开始处理")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    ids.sort();
    assert_eq!(ids, ["[0]", "[1]", "[2]"], "{out}");
    assert_eq!(
        format!("task {tasks}").lines().collect::<Vec<_>>(),
        [
            "task 0 -> 0",
            "task 1 -> 1",
            "task 2 -> 2",
            "outside tasks: None"
        ]
    );
}

#[test]
fn python_thread_pool_and_process_pool_return_every_result() {
    // OFFLINE=1: urllib's https requests are answered in-process, so no network is needed.
    let out = run_python_with_env("thread_pool.py", &[], &[("OFFLINE", "1")]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 10, "{out}");
    let fetched: BTreeSet<&str> = lines[..2].iter().copied().collect();
    let body = |url: &str| format!("{url} {}", format!("fake page for {url}").len());
    let expected = [body("https://example.com"), body("https://example.org")];
    assert_eq!(
        fetched,
        expected.iter().map(String::as_str).collect::<BTreeSet<_>>()
    );
    let total: u64 = (0..1_000_000u64).map(|i| i * i).sum();
    assert!(lines[2..].iter().all(|l| *l == total.to_string()), "{out}");
}

#[test]
fn python_sigchld_handler_reaps_every_child_with_its_exit_code() {
    let out = run_python("zombie_orphan.py", &[]);
    let mut lines: Vec<&str> = out.lines().collect();
    let expected: Vec<String> = lines
        .pop()
        .and_then(|l| l.strip_prefix("expected "))
        .unwrap_or_else(|| panic!("no expected line in:\n{out}"))
        .split_whitespace()
        .map(|pc| {
            let (pid, code) = pc.split_once(':').unwrap();
            format!("回收了 {pid}，退出码 {code}")
        })
        .collect();
    assert_eq!(expected.len(), 3);
    assert!(expected[2].ends_with("退出码 -15"), "{expected:?}");
    assert_eq!(lines, expected);
}

#[test]
fn python_socket_echo_returns_exactly_the_message() {
    // port 0: the script's server binds whatever port the kernel picks and tells its client
    let out = run_python("socket_echo.py", &["0"]);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["hello world", "1 MiB echoed intact: True"]
    );
}

/// Kills the wrapped server process when dropped, also when an assertion fails.
/// The second field is the port it announced on its first line of output.
struct Server(Child, Option<u16>);

impl Server {
    fn port(&mut self) -> u16 {
        if let Some(port) = self.1 {
            return port;
        }
        let stdout = self.0.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        thread::spawn(move || {
            let mut line = String::new();
            let _ = std::io::BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(LIMIT)
            .expect("the server announced no port");
        let port = line
            .trim()
            .strip_prefix("listening on port ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        self.1 = Some(port);
        port
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Reads the server's first line, `listening on port N`, and connects to N. The server printed it
/// after `listen`, so the connection is queued even before the loop reaches `select`.
fn connect(server: &mut Server) -> TcpStream {
    let port = server.port();
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(LIMIT)).unwrap();
    stream
}

fn echo(stream: &mut TcpStream, message: &[u8]) -> Vec<u8> {
    stream.write_all(message).unwrap();
    let mut back = vec![0; message.len()];
    stream.read_exact(&mut back).unwrap();
    back
}

#[test]
fn python_selectors_server_serves_several_connections_from_one_thread() {
    let mut server = Server(spawn_python("io_multiplexing.py", &["0"], &[]), None);
    let mut a = connect(&mut server);
    let mut b = connect(&mut server);
    // Both connections are open at once and answered in turn by the single-threaded loop.
    assert_eq!(echo(&mut a, b"from a"), b"from a");
    assert_eq!(echo(&mut b, "来自 b".as_bytes()), "来自 b".as_bytes());
    assert_eq!(echo(&mut a, b"a again"), b"a again");
    // Half-closing makes the server read b'' and close its side: we then read EOF.
    a.shutdown(std::net::Shutdown::Write).unwrap();
    let mut rest = Vec::new();
    a.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty());
    assert_eq!(echo(&mut b, b"b still served"), b"b still served");
    let mut c = connect(&mut server);
    assert_eq!(echo(&mut c, b"new client"), b"new client");
    assert!(
        server.0.try_wait().unwrap().is_none(),
        "the server loop must keep running"
    );
}

#[test]
fn python_length_prefix_framing_splits_messages_and_rejects_bad_ones() {
    let out = run_python("message_framing.py", &[]);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "messages: True",
            "1 MiB message: True",
            "too long: 消息过长：16777217 字节",
            "cut short: 连接在一条消息中途被关闭",
        ]
    );
}

#[test]
fn python_so_linger_zero_close_resets_the_connection() {
    let out = run_python("force_close.py", &[]);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "after RST close, peer recv: ConnectionResetError",
            "after normal close, peer recv: b''",
        ]
    );
}
