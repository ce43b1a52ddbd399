"""非阻塞的生产者-消费者：1 个生产者每 3 ms 生产 1..=10000，3 个消费者每 1 ms 取一次。

python3 producer_consumer.py [items] [produce_ms] [consume_ms]
python3 producer_consumer.py threads | asyncio   页面上的两个参考实现
"""
import asyncio
import os
import queue
import sys
import threading
import time

# ANCHOR: producer-consumer
g_count = 0
count_lock = threading.Lock()  # g_count += 1 不是原子操作（GIL 也不保证），要加锁


def producer(q, done, items, every):
    for n in range(1, items + 1):
        q.put(n)  # 有界队列满了才会等
        time.sleep(every)
    done.set()  # 所有数都已放进队列


def consumer(name, q, done, every):
    global g_count
    while True:
        try:
            n = q.get(timeout=0.1)  # 没货时睡在队列上（不占 CPU），最多 100 ms 回来看一眼
        except queue.Empty:
            if done.is_set() and q.empty():  # 生产者已放完、队列也取空了：真的结束了
                return
            continue
        with count_lock:
            g_count += 1
            print(name, n)  # 持锁打印，行不会交错
        time.sleep(every)


def main(items=10000, produce_every=0.003, consume_every=0.001):
    q = queue.Queue(maxsize=100)  # queue.Queue 本身线程安全，多个消费者可以共享
    done = threading.Event()
    threads = [threading.Thread(target=producer, args=(q, done, items, produce_every))]
    threads += [
        threading.Thread(target=consumer, args=(f"c{i}", q, done, consume_every)) for i in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("g_count =", g_count)
# ANCHOR_END: producer-consumer


MODE = sys.argv[1] if len(sys.argv) > 1 else "10000"

# 页面上的两个参考实现原样放在下面，各自是一个完整的模块级程序（缩进只是为了按 MODE 选择运行哪一个，
# 页面显示时会去掉公共缩进）：python3 producer_consumer.py threads | asyncio
# 按页面的节奏（每 3 ms 生产一个）要跑 30 多秒；环境变量 SLEEP_SCALE 把每次 sleep 按比例缩短，
# 只改变节奏，不改变“每个数恰好消费一次、g_count == N”这个结论。测试用它来缩短运行时间。
SLEEP_SCALE = float(os.environ.get("SLEEP_SCALE", "1"))
if SLEEP_SCALE != 1:
    _time_sleep, _asyncio_sleep = time.sleep, asyncio.sleep
    time.sleep = lambda seconds: _time_sleep(seconds * SLEEP_SCALE)

    async def _scaled_asyncio_sleep(delay, result=None):
        return await _asyncio_sleep(delay * SLEEP_SCALE, result)

    asyncio.sleep = _scaled_asyncio_sleep

if __name__ == "__main__" and MODE == "threads":
    # ANCHOR: threads
    import queue
    import threading
    import time

    N = 10_000
    NUM_CONSUMERS = 3
    STOP = object()                # 哨兵：告诉消费者“不会再有数据了”

    q = queue.Queue()              # 无界队列，put_nowait 不会抛 Full
    g_count = 0
    count_lock = threading.Lock()

    def producer():
        for n in range(1, N + 1):
            q.put_nowait(n)        # 放下就走，不等消费者
            time.sleep(0.003)
        for _ in range(NUM_CONSUMERS):
            q.put_nowait(STOP)     # 每个消费者各发一个哨兵

    def consumer(name):
        global g_count
        while True:
            try:
                n = q.get(timeout=0.1)   # 最多等 100 ms，绝不无限期挂起
            except queue.Empty:
                continue                 # 暂时没货：可以在这里做点别的
            if n is STOP:
                break
            with count_lock:             # 读-改-写必须互斥
                g_count += 1
                print(f"{name} 消费了 {n}")  # 持锁打印：不同线程的输出行不会交错
            time.sleep(0.001)

    threads = [threading.Thread(target=producer)]
    threads += [threading.Thread(target=consumer, args=(f"C{i}",)) for i in range(NUM_CONSUMERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("g_count =", g_count)          # 必然等于 N
    # ANCHOR_END: threads
elif __name__ == "__main__" and MODE == "asyncio":
    # ANCHOR: asyncio
    import asyncio

    N = 10_000
    g_count = 0

    async def producer(q, consumers):
        for n in range(1, N + 1):
            q.put_nowait(n)
            await asyncio.sleep(0.003)
        for _ in range(consumers):
            q.put_nowait(None)           # 哨兵

    async def consumer(q, name):
        global g_count
        while (n := await q.get()) is not None:
            print(f"{name} 消费了 {n}")
            g_count += 1                 # 单线程，且读写之间没有 await：不需要锁
            await asyncio.sleep(0.001)

    async def main():
        q = asyncio.Queue()
        async with asyncio.TaskGroup() as tg:   # Python 3.11+
            tg.create_task(producer(q, 3))
            for i in range(3):
                tg.create_task(consumer(q, f"C{i}"))
        print("g_count =", g_count)

    asyncio.run(main())
    # ANCHOR_END: asyncio
elif __name__ == "__main__":
    # python3 producer_consumer.py [items] [produce_ms] [consume_ms]：上面的非阻塞版本
    args = sys.argv[1:]
    main(
        int(args[0]) if len(args) > 0 else 10000,
        float(args[1]) / 1000 if len(args) > 1 else 0.003,
        float(args[2]) / 1000 if len(args) > 2 else 0.001,
    )
