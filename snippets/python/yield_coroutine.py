"""生成器协程：averager 用 send 喂数、用 StopIteration.value 交出结果；send/yield 实现单线程的生产者-消费者。

python3 yield_coroutine.py  依次运行页面上的两个程序。
"""
# ANCHOR: averager
def averager():
    total = count = 0
    avg = None
    while True:
        x = yield avg        # 产出当前平均值，并在这里等下一个数
        if x is None:
            return avg       # 返回值会放进 StopIteration.value
        total += x
        count += 1
        avg = total / count

g = averager()
next(g)             # 预激：运行到第一个 yield，产出 None
print(g.send(10))   # 10.0
print(g.send(20))   # 15.0
print(g.send(30))   # 20.0
try:
    g.send(None)
except StopIteration as e:
    print("最终结果", e.value)   # 20.0
# ANCHOR_END: averager


# ANCHOR: producer-consumer
def consumer():
    while True:
        item = yield             # 等生产者送货
        print("消费", item)

def producer(c):
    next(c)                      # 预激
    for i in range(3):
        c.send(i)                # 切到消费者，消费完再切回来
    c.close()

producer(consumer())
# ANCHOR_END: producer-consumer
