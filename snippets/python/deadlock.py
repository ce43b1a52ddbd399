"""死锁：相反顺序拿两把锁会死锁；限时 acquire 把它检测出来，以及三种修法。

python3 deadlock.py  打印每个场景的结果（测试会运行它并检查输出）。
"""
import threading
import time

NAMES = ["线程1", "线程2", "线程3", "线程4"]


# ANCHOR: deadlock
def deadlock_demo(patience=0.1):
    """eat1/eat2：一个先面后叉，一个先叉后面。Barrier 让两个线程都先握住第一把锁，
    于是必然循环等待。第二把锁用 acquire(timeout=...) 限时去拿：等不到就报告死锁，
    放下手里的锁返回，而不是永远挂住。"""
    noodle_lock, fork_lock = threading.Lock(), threading.Lock()
    both_hold_one = threading.Barrier(2)
    outcomes = {}

    def eat(name, first, second):
        with first:
            both_hold_one.wait()
            if second.acquire(timeout=patience):
                second.release()
                outcomes[name] = "ate"
            else:
                outcomes[name] = "deadlocked"

    threads = [
        threading.Thread(target=eat, args=(NAMES[0], noodle_lock, fork_lock)),
        threading.Thread(target=eat, args=(NAMES[1], fork_lock, noodle_lock)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes
# ANCHOR_END: deadlock


class Table:
    def __init__(self):
        self.noodle_lock = threading.Lock()
        self.fork_lock = threading.Lock()
        self.bites = 0  # 只在两把锁都拿到时修改


# ANCHOR: lock-ordering
def eat_in_order(table, name):
    """修法一：所有人都按同一顺序加锁（先面后叉），循环等待不可能出现。"""
    with table.noodle_lock, table.fork_lock:
        table.bites += 1
# ANCHOR_END: lock-ordering


# ANCHOR: try-lock
def eat_with_try_lock(table, name):
    """修法二：顺序照旧相反，但第二把锁非阻塞地试：拿不到就把第一把也放下，
    退避一下再来（自己放下已持有的锁，打破"不可抢占"）。退避时长因线程而异，避免活锁。"""
    fork_first = NAMES.index(name) % 2 == 1
    first, second = (
        (table.fork_lock, table.noodle_lock) if fork_first else (table.noodle_lock, table.fork_lock)
    )
    while True:
        with first:
            if second.acquire(blocking=False):
                try:
                    table.bites += 1
                    return
                finally:
                    second.release()
        time.sleep(0.00002 * (NAMES.index(name) + 1))
# ANCHOR_END: try-lock


# ANCHOR: single-lock
class SharedTable:
    """修法三：面和叉子总是一起用，就只用一把锁。常见的
    `noodle_lock = fork_lock = RLock()` 能跑通靠的正是这个：两个名字是同一把锁。
    RLock 的"可重入"只是让同一线程第二次 acquire 它时不卡死自己；
    换成两把独立的 RLock、按相反顺序拿，照样死锁。"""

    def __init__(self):
        self.lock = threading.Lock()
        self.bites = 0


def eat_with_one_lock(table, name):
    with table.lock:
        table.bites += 1
# ANCHOR_END: single-lock


def dinner(table, eat, bites):
    threads = [
        threading.Thread(target=lambda n=name: [eat(table, n) for _ in range(bites)])
        for name in NAMES
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return table.bites


if __name__ == "__main__":
    outcomes = deadlock_demo()
    print("deadlock detected:", "deadlocked" in outcomes.values())
    print("lock-ordering bites:", dinner(Table(), eat_in_order, 500))
    print("try-lock bites:", dinner(Table(), eat_with_try_lock, 500))
    print("single-lock bites:", dinner(SharedTable(), eat_with_one_lock, 500))
