"""SIGCHLD 处理函数里循环 waitpid(-1, WNOHANG)，及时回收子进程，不留僵尸。

python3 zombie_orphan.py  装上页面上的处理函数，再依次 fork 几个子进程：两个带退出码退出，
一个一直睡到被 SIGTERM 杀掉。主流程为处理函数回收的每个子进程打印一行；
最后一行列出子进程的 pid 和预期退出码。
"""
# ANCHOR: reap
import os
import signal

reaped = []   # 处理函数只记下结果；打印留给主流程做

def reap_children(signum, frame):
    while True:                            # 标准信号不排队：一次 SIGCHLD 可能对应多个子进程
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:          # 已经没有任何子进程
            return
        if pid == 0:                       # 有子进程，但都还在运行
            return
        # 不在这里 print：处理函数可能打断正在 print 的主流程，
        # 对同一个缓冲流再次写入会抛 RuntimeError（reentrant call）
        reaped.append((pid, os.waitstatus_to_exitcode(status)))

signal.signal(signal.SIGCHLD, reap_children)
# ANCHOR_END: reap

import sys
import time


def gone(pid):
    """pid 已被回收（僵尸也算还在：对僵尸 kill(pid, 0) 仍然成功）。"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def wait_until_reaped(pid, limit=10):
    deadline = time.monotonic() + limit
    while not gone(pid):
        if time.monotonic() > deadline:
            sys.exit(f"child {pid} was not reaped within {limit}s")
        time.sleep(0.005)  # SIGCHLD 到来时处理函数在主线程里运行
    while reaped:
        got, code = reaped.pop(0)
        print(f"回收了 {got}，退出码 {code}")


def fork(body):
    pid = os.fork()
    if pid == 0:
        body()
        os._exit(0)
    return pid


if __name__ == "__main__":
    sys.stdout.flush()
    expected = []
    # 一个一直在运行的子进程：处理函数会走到 pid == 0 那个分支
    sleeper = fork(lambda: time.sleep(30))
    # 每次只让一个子进程退出、等它被回收后再 fork 下一个，输出顺序因此是确定的
    for code in (3, 7):
        pid = fork(lambda code=code: os._exit(code))
        wait_until_reaped(pid)
        expected.append(f"{pid}:{code}")
    os.kill(sleeper, signal.SIGTERM)
    wait_until_reaped(sleeper)
    expected.append(f"{sleeper}:{-signal.SIGTERM}")
    print("expected", *expected)
