"""互斥锁保护“检查余额 + 扣款”：并发取款时不会超支。

python3 mutex_thread_safety.py  10 个线程同时各取 30，初始余额 100。
"""
# ANCHOR: withdraw
import threading

balance = 100
balance_lock = threading.Lock()

def withdraw(amount):
    global balance
    with balance_lock:              # 进入时 acquire，离开时（包括抛异常）自动 release
        if balance >= amount:       # 检查和扣款在同一个临界区里，中间不会被别的线程插入
            balance -= amount
            return True
        return False
# ANCHOR_END: withdraw


if __name__ == "__main__":
    start = threading.Barrier(10)  # 让 10 个线程尽量同时开抢
    results = []

    def customer():
        start.wait()
        results.append(withdraw(30))

    threads = [threading.Thread(target=customer) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("succeeded:", results.count(True))
    print("balance:", balance)
