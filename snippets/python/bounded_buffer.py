"""有界缓冲区：一把锁加“不满”“不空”两个条件变量。

python3 bounded_buffer.py  检查满了会阻塞、空了会阻塞，以及多生产者多消费者时每个元素恰好取到一次。
"""
# ANCHOR: bounded-buffer
import collections
import threading

class BoundedBuffer:
    def __init__(self, capacity):
        self._items = collections.deque()
        self._capacity = capacity
        lock = threading.Lock()
        self._not_full = threading.Condition(lock)    # 两个条件共用一把锁
        self._not_empty = threading.Condition(lock)

    def put(self, item):
        with self._not_full:
            while len(self._items) >= self._capacity:   # 用 while，醒来后要重新检查
                self._not_full.wait()
            self._items.append(item)
            self._not_empty.notify()                     # 叫醒一个等数据的消费者

    def get(self):
        with self._not_empty:
            while not self._items:
                self._not_empty.wait()
            item = self._items.popleft()
            self._not_full.notify()                      # 叫醒一个等空位的生产者
            return item
# ANCHOR_END: bounded-buffer


def blocks(target, *args, patience=0.2):
    """在守护线程里调用 target(*args)，patience 秒后还没返回就算阻塞住了。"""
    t = threading.Thread(target=target, args=args, daemon=True)
    t.start()
    t.join(timeout=patience)
    return t, t.is_alive()


def many_to_many(items=2000, producers=3, consumers=3, capacity=4):
    buf = BoundedBuffer(capacity)
    got = [[] for _ in range(consumers)]

    def produce(p):
        for n in range(p, items, producers):
            buf.put(n)

    def consume(c):
        while (n := buf.get()) is not None:
            got[c].append(n)

    ps = [threading.Thread(target=produce, args=(p,)) for p in range(producers)]
    cs = [threading.Thread(target=consume, args=(c,)) for c in range(consumers)]
    for t in ps + cs:
        t.start()
    for t in ps:
        t.join()
    for _ in cs:
        buf.put(None)  # 每个消费者一个哨兵
    for t in cs:
        t.join()
    return sorted(n for g in got for n in g) == list(range(items))


if __name__ == "__main__":
    buf = BoundedBuffer(1)
    buf.put("a")
    putter, stuck = blocks(buf.put, "b")
    print("put blocks when full:", stuck)
    print("get:", buf.get())          # 腾出空位，卡住的 put("b") 随之完成
    putter.join(timeout=5)
    print("blocked put finished:", not putter.is_alive())
    print("get:", buf.get())
    _, stuck = blocks(buf.get)
    print("get blocks when empty:", stuck)
    print("every item exactly once:", many_to_many())
