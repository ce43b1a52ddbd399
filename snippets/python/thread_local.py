"""线程局部数据：threading.local 让每个线程各有一份；asyncio 里改用 contextvars.ContextVar。

python3 thread_local.py  先运行页面上的线程程序，再让三个 asyncio 任务交错运行，检查各自读到自己的 request_id。
"""
import asyncio

# ANCHOR: threading-local
import threading

ctx = threading.local()

def handle(request_id):
    ctx.request_id = request_id            # 每个线程写入自己的那一份
    do_work()

def do_work():
    log("开始处理")                         # 不用把 request_id 一路传下来

def log(msg):
    print(f"[{ctx.request_id}] {msg}")     # 读到的永远是本线程写入的值

threads = [threading.Thread(target=handle, args=(i,)) for i in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
# ANCHOR_END: threading-local


# 下面是页面上的 contextvars 片段；它调用的 do_work 由这里补上（异步版本，会 await 切换任务），
# 上面线程程序里的 handle/do_work 已经运行完毕，这里重新定义它们。
# ANCHOR: contextvars
import contextvars

request_id = contextvars.ContextVar("request_id", default=None)

async def handle(i):
    request_id.set(i)           # 只影响当前任务的上下文
    await do_work()             # 切换到其他任务再回来，值不会被别人改掉
# ANCHOR_END: contextvars


async def do_work():
    before = request_id.get()
    for _ in range(3):
        await asyncio.sleep(0)  # 让出：别的任务在这期间各自 set 了自己的值
    print(f"task {before} -> {request_id.get()}")


async def main():
    await asyncio.gather(*(handle(i) for i in range(3)))
    print("outside tasks:", request_id.get())  # 任务改的是上下文副本，外面不受影响


asyncio.run(main())
