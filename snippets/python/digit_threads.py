"""10 个线程打印 1..=1000：线程 k 只打印个位是 k 的数。

常见的错误答案把任务随便丢进 ThreadPoolExecutor，再按线程 ident 分组：哪个线程拿到哪个数取决于调度，
并不保证"某个线程只拿个位是 k 的数"。这里直接按题意分工，或者按顺序轮流。
"""
import sys
import threading


# ANCHOR: digit-threads
def by_last_digit(max_n=1000):
    """做法一：线程 k 只处理 k, k+10, k+20, …（线程 0 从 10 开始），不靠运气。"""
    result = [None] * 10

    def worker(k):
        result[k] = list(range(k or 10, max_n + 1, 10))  # 这里 print 就是"打印"

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return result


def in_order(max_n=1000):
    """做法二：还要整体按 1, 2, 3, … 的顺序：轮到谁（下一个数的个位）谁打印。"""
    cond = threading.Condition()
    state = {"next": 1}
    printed = []

    def worker(k):
        while True:
            with cond:
                cond.wait_for(lambda: state["next"] > max_n or state["next"] % 10 == k)
                if state["next"] > max_n:
                    return
                printed.append((k, state["next"]))  # 持锁打印，顺序有保证
                state["next"] += 1
                cond.notify_all()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return printed
# ANCHOR_END: digit-threads


MODE = sys.argv[1] if len(sys.argv) > 1 else "1000"

# 页面上的两个解法原样放在下面，各自是一个完整的模块级程序（缩进只是为了按 MODE 选择运行哪一个，
# 页面显示时会去掉公共缩进）：python3 digit_threads.py condition | baton
if __name__ == "__main__" and MODE == "condition":
    # ANCHOR: condition
    import threading

    N = 1000
    current = 1                      # 下一个要打印的数
    cond = threading.Condition()

    def worker(k):
        global current
        while True:
            with cond:
                # 等到“轮到我”或者“全部打完”；wait_for 内部会循环检查，不怕虚假唤醒
                cond.wait_for(lambda: current > N or current % 10 == k)
                if current > N:
                    return
                print(f"线程{k}: {current}")
                current += 1
                cond.notify_all()    # 叫醒所有人，只有下一个数的主人能通过检查

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # ANCHOR_END: condition
elif __name__ == "__main__" and MODE == "baton":
    # ANCHOR: baton
    import threading

    N = 1000
    batons = [threading.Semaphore(0) for _ in range(10)]

    def worker(k):
        first = k if k else 10                 # 线程 0 负责 10, 20, …, 1000
        for n in range(first, N + 1, 10):
            batons[k].acquire()                # 等接力棒
            print(f"线程{k}: {n}")
            batons[(k + 1) % 10].release()     # 交给下一个线程

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(10)]
    for t in threads:
        t.start()
    batons[1].release()                        # 数字 1 归线程 1，从它开始
    for t in threads:
        t.join()
    # ANCHOR_END: baton
elif __name__ == "__main__":
    # python3 digit_threads.py [max_n]：上面两个移植函数的结果
    max_n = int(MODE)
    for k, nums in enumerate(by_last_digit(max_n)):
        print(f"thread {k}:", *nums)
    print("in order:", *(f"{n}@{k}" for k, n in in_order(max_n)))
