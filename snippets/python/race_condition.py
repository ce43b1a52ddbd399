"""先检查再执行（check-then-act）：两个线程都通过了检查，load 被执行两次；加锁后只执行一次。

python3 race_condition.py  用 Barrier 让第一个线程停在 load 里，确定性地复现这种交错。
"""
import threading

cache = {}
loads = []
inside_load = threading.Barrier(2, timeout=5)  # 两个线程都进了 load 才放行：说明两个都通过了检查


def load(key):
    loads.append(key)
    inside_load.wait()  # 第一个线程在这里等，此时 cache 里还没有 key
    return f"value of {key}"


def get(key):
    # ANCHOR: check-then-act
    if key not in cache:        # 检查：此刻还不存在
        cache[key] = load(key)  # 执行：另一个线程可能已经抢先写入了
    # ANCHOR_END: check-then-act
    return cache[key]


cache_lock = threading.Lock()


def get_locked(key):
    """修法：检查和写入放进同一个临界区。"""
    with cache_lock:
        if key not in cache:
            cache[key] = plain_load(key)
        return cache[key]


def plain_load(key):
    loads.append(key)
    return f"value of {key}"


def run(target, n):
    threads = [threading.Thread(target=target, args=("k",)) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    run(get, 2)
    print("check-then-act loads:", len(loads))
    cache.clear()
    loads.clear()
    run(get_locked, 8)
    print("with lock loads:", len(loads))
