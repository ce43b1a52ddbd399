"""async/await 页面的 Python 例子：gather 并发运行两个协程，以及顺序 await 的对照。

python3 async_await.py  先运行页面上的完整程序（约 1 秒），再运行顺序 await（约 2 秒）。
"""
# ANCHOR: gather
import asyncio
import time

async def fetch(name, delay):
    print(f"{name} 开始")
    await asyncio.sleep(delay)      # 挂起当前协程，线程去跑别的协程
    print(f"{name} 结束")
    return name.upper()

async def main():
    t0 = time.perf_counter()
    results = await asyncio.gather(fetch("a", 1), fetch("b", 1))
    print(results, f"{time.perf_counter() - t0:.1f}s")   # ['A', 'B'] 1.0s

asyncio.run(main())
# ANCHOR_END: gather


async def sequential():
    t0 = time.perf_counter()
    # ANCHOR: sequential
    a = await fetch("a", 1)   # 等 a 完全结束……
    b = await fetch("b", 1)   # ……才开始 b，共 2 秒
    # ANCHOR_END: sequential
    print([a, b], f"{time.perf_counter() - t0:.1f}s")


asyncio.run(sequential())
