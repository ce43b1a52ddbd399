"""非阻塞的生产者-消费者：1 个生产者每 3 ms 生产 1..=10000，3 个消费者每 1 ms 取一次。

python3 producer_consumer.py [items] [produce_ms] [consume_ms]
"""
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
        finished = done.is_set()  # 先看标志再取：标志已置位且队列为空，才说明真的取完了
        try:
            n = q.get_nowait()  # 非阻塞：没货立刻抛 queue.Empty
        except queue.Empty:
            if finished:
                return
        else:
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


if __name__ == "__main__":
    args = sys.argv[1:]
    main(
        int(args[0]) if len(args) > 0 else 10000,
        float(args[1]) / 1000 if len(args) > 1 else 0.003,
        float(args[2]) / 1000 if len(args) > 2 else 0.001,
    )
