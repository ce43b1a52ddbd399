"""可重入锁：持锁的 add_many 再调用也要这把锁的 add。RLock 没问题；换成 Lock 就自己等自己。

python3 lock_types.py  打印 RLock 版本的结果，以及换成 Lock 后是否卡住（限时检测，不会真的挂住）。
"""
# ANCHOR: rlock
import threading

class Inventory:
    def __init__(self):
        self._lock = threading.RLock()
        self._items = {}

    def add(self, name, n):
        with self._lock:
            self._items[name] = self._items.get(name, 0) + n

    def add_many(self, pairs):
        with self._lock:            # 已经持有锁
            for name, n in pairs:
                self.add(name, n)   # add 里再次获取同一把锁：RLock 没问题，Lock 会卡死
# ANCHOR_END: rlock


def stuck_with_plain_lock(patience=0.2):
    """把 RLock 换成普通 Lock：add_many 在后台线程里卡死在 add 的 acquire 上。"""
    inv = Inventory()
    inv._lock = threading.Lock()
    t = threading.Thread(target=inv.add_many, args=([("apple", 1)],), daemon=True)
    t.start()
    t.join(timeout=patience)
    return t.is_alive()  # 仍在运行 = 卡住了（守护线程，进程退出时一并结束）


if __name__ == "__main__":
    inv = Inventory()
    inv.add_many([("apple", 1), ("pear", 2), ("apple", 3)])
    threads = [
        threading.Thread(target=inv.add_many, args=([("apple", 1), ("pear", 1)] * 100,))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("RLock:", sorted(inv._items.items()))
    print("Lock stuck:", stuck_with_plain_lock())
