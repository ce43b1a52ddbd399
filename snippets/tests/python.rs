//! Runs the corrected Python versions in `snippets/python/` with `python3` and checks their output.
//!
//! Nothing is skipped: if `python3` is missing these tests fail and say so.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(30);

/// Runs `python3 snippets/python/<script> <args>` and returns its stdout;
/// kills it and fails if it runs longer than `LIMIT` or exits unsuccessfully.
fn run_python(script: &str, args: &[&str]) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("python")
        .join(script);
    let mut child = Command::new("python3")
        .arg(&path)
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot run python3 ({e}): install Python 3 to run these tests (they are not skipped)")
        });
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
